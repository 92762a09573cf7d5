"""Paths and constants shared by the tests."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

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


@contextlib.contextmanager
def serving(folder: Path, *options: str) -> Iterator[str]:
    """`asco-cal serve sessions.yaml` (uvicorn) in ``folder`` on a free loopback port,
    with ``options``; its base URL, once /healthz answers.  The log is server.log."""
    port = free_port()
    log = (folder / "server.log").open("w")
    command = [sys.executable, "-m", "asco_cal", "serve", "sessions.yaml", "--port", str(port)]
    proc = subprocess.Popen([*command, *options], cwd=folder, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(base + "healthz", timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail("server did not start:\n" + (folder / "server.log").read_text())
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


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
