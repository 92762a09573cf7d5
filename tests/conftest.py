"""Shared fixtures: the sample, a fixed clock, a CLI runner."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from support import EPOCH, SAMPLE, SAMPLE_STATE, free_port


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test sees the same "now", so outputs are reproducible."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary folder holding a copy of the sample and its state; the cwd."""
    shutil.copy(SAMPLE, tmp_path / "sessions.yaml")
    shutil.copy(SAMPLE_STATE, tmp_path / "sessions.state.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def server(workdir: Path) -> Iterator[str]:
    """`asco-cal serve` (uvicorn) on a free loopback port, in the workdir; its base URL."""
    port = free_port()
    log = (workdir / "server.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "asco_cal", "serve", "sessions.yaml", "--port", str(port)],
        cwd=workdir,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
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
                    pytest.fail("server did not start:\n" + (workdir / "server.log").read_text())
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()
    text = (workdir / "server.log").read_text()
    assert "Agenda page:  http://localhost:" in text  # the start-up banner
    assert re.search(r"GET /\S* \d{3} \d+B [\d.]+ms", text)  # one access-log line per request
    assert "Traceback" not in text
