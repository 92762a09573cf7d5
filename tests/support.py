"""Paths and constants shared by the tests."""

from __future__ import annotations

import socket
from pathlib import Path

ROOT = Path(__file__).parent.parent
SAMPLE = ROOT / "sessions.yaml"
SAMPLE_STATE = ROOT / "sessions.state.yaml"
DATA = Path(__file__).parent / "data"
# 2011-05-26 12:00 UTC: the day of the press release the sample comes from.
EPOCH = 1306411200


def free_port() -> int:
    """A TCP port nobody listens on, on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


# A company's look for the sample (tests/data/branded/logo.svg is its logo).
BRANDED_SITE = """\
site:
  logo: logo.svg
  accent: "#7a1f5c"
  intro: |
    Our presentations at **ASCO 2011**.
    Meet the team at [our booth](https://example.org/booth).
  contact: "Investor relations: [ir@example.org](mailto:ir@example.org)"
  footer: © 2011 Example Bio, Inc.
  disclaimer: |
    *For investors and healthcare professionals only.* Not for promotional use.

    Forward-looking statements: see [our filings](https://example.org/sec).
  embed_origins: [https://www.example.org]
  made_with: false

"""


def brand(folder: Path) -> Path:
    """The sample in ``folder`` given :data:`BRANDED_SITE` and its logo; the file's path."""
    path = folder / "sessions.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\nconference:", "\n" + BRANDED_SITE + "conference:", 1),
                    encoding="utf-8")  # fmt: skip
    (folder / "logo.svg").write_bytes((DATA / "branded" / "logo.svg").read_bytes())
    return path
