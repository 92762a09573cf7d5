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
