"""Shared fixtures: the sample, a fixed clock, a CLI runner."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from support import EPOCH, SAMPLE, SAMPLE_STATE, serving


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
    with serving(workdir) as base:
        yield base
    text = (workdir / "server.log").read_text()
    assert "Agenda page:  http://localhost:" in text  # the start-up banner
    assert re.search(r"GET /\S* \d{3} \d+B [\d.]+ms", text)  # one access-log line per request
    assert "Traceback" not in text
