"""Writes the hostile sessions files too big to keep in git into a folder: a 50 MB file, four
million presenters, a 15 MB title, a million levels of nesting.  Each must fail, fast and small.

    python tests/data/hostile/make_big.py DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def generate(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    head = (HERE / "utf8_bom.yaml").read_text(encoding="utf-8-sig")
    files = {
        "fifty_mb.yaml": head + "# " + "x" * (50 * 1024 * 1024) + "\n",
        "presenters_bomb.yaml": head.replace(
            "A title", "A title\n    presenters: [" + ",".join(["ab"] * 4_000_000) + "]"
        ),
        "fifteen_mb_title.yaml": head.replace("A title", "A " + "wörd " * 2_700_000),
        "deep_million.yaml": "sessions: " + "[" * 1_000_000 + "]" * 1_000_000 + "\n",
    }
    out = []
    for file_name, text in files.items():
        path = folder / file_name
        path.write_text(text, encoding="utf-8")
        out.append(path)
    return out


if __name__ == "__main__":
    for written in generate(Path(sys.argv[1])):
        print(written)
