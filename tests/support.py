"""Paths and constants shared by the tests."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).parent.parent
SAMPLE = ROOT / "sessions.yaml"
SAMPLE_STATE = ROOT / "sessions.state.yaml"
DATA = Path(__file__).parent / "data"
# 2011-05-26 12:00 UTC: the day of the press release the sample comes from.
EPOCH = 1306411200
