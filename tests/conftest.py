"""Shared fixtures: the sample, a fixed clock, a CLI runner."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from support import EPOCH, SAMPLE, SAMPLE_STATE


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
