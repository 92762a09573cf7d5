"""The agenda page on paper and its weight: Chromium's A4 PDF of the built page.

    python benchmarks/print.py            # the sample, and 1,200 sessions
    python benchmarks/print.py 1200 5000  # other sizes

For the sample (sessions.yaml) and each generated programme (benchmarks/generate.py),
builds the static site and prints a table: sessions, the page's bytes (raw and
gzipped), and the number of A4 pages Chromium's print to PDF makes of it (Debian's
chromium, driven by Playwright, as in tests/test_browser.py).  The goal: the
sample on one page, 1,200 sessions on at most 40.
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "chromium"
LAUNCH = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def build(sessions: Path, out: Path) -> Path:
    subprocess.run([sys.executable, "-m", "asco_cal", "build", str(sessions), "-o", str(out),
                    "--base-url", "https://cal.example.org/"], check=True,
                   capture_output=True)  # fmt: skip
    return out / "index.html"


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def main(sizes: list[int]) -> None:
    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH)
        programmes = [("sample", ROOT / "sessions.yaml")]
        for n in sizes:
            path = Path(tmp) / f"{n}.yaml"
            text = subprocess.run(
                [sys.executable, str(ROOT / "benchmarks" / "generate.py"), str(n)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            path.write_text(text, encoding="utf-8")
            programmes.append((f"{n:,} sessions", path))
        for name, sessions in programmes:
            page_file = build(sessions, Path(tmp) / f"site-{sessions.stem}")
            data = page_file.read_bytes()
            page = browser.new_page()
            page.goto(page_file.as_uri())
            count = page.locator("ol.s li").count()
            pages = pdf_pages(page.pdf(format="A4"))
            rows.append((name, count, len(data), len(gzip.compress(data, mtime=0)), pages))
            page.close()
        browser.close()
    print(f"{'programme':<16} {'sessions':>8} {'page bytes':>11} {'gzipped':>9} {'A4 pages':>8}")
    for name, count, raw, gz, pages in rows:
        print(f"{name:<16} {count:>8,} {raw:>11,} {gz:>9,} {pages:>8}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1200])
