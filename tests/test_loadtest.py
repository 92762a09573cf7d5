"""A small run of benchmarks/loadtest.py: concurrent feed requests while the file is edited.

The full run (20,000+ requests, 50 connections, 100 rewrites) takes about 75 s;
its figures are in benchmarks/README.md.
"""

from __future__ import annotations

import subprocess
import sys

from support import ROOT


def test_feed_under_load_while_the_file_is_edited() -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "loadtest.py"),
            "--requests=2000",
            "--concurrency=20",
            "--rewrites=8",
            "--abstracts=100",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "All checks passed." in result.stdout
    row = result.stdout.splitlines()[4].split("|")
    assert int(row[2].strip()) == 0 and int(row[3].strip()) == 0  # failed, 5xx
    assert int(row[9].strip()) >= 1  # at least one broken edit was seen and refused
