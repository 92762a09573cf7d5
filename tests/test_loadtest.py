"""Small runs of benchmarks/loadtest.py: concurrent feed requests (and page views) while
the file is edited, and a short soak of reloads.

The full runs (20,000+ requests, 50 connections, 100 rewrites; the mixed load on
1,200 sessions; 1,000 reloads) take minutes; their figures are in benchmarks/README.md.
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


def test_page_views_and_feed_polls_together() -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "loadtest.py"),
            "--requests=1500",
            "--concurrency=10",
            "--rewrites=4",
            "--abstracts=100",
            "--page-share=0.1",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "All checks passed." in result.stdout
    assert "10% page views" in result.stdout
    row = result.stdout.splitlines()[4].split("|")
    assert int(row[2].strip()) == 0 and int(row[3].strip()) == 0  # failed, 5xx
    assert int(row[11].strip().replace(",", "")) >= 100  # page views, each checked
    assert float(row[13].strip()) > 0  # their p99


def test_a_short_soak_keeps_its_memory() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "loadtest.py"), "--soak=40",
         "--abstracts=50"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "| 40 |" in result.stdout and "All checks passed." in result.stdout
