"""A short, bounded coverage-guided run of fuzz/fuzz_sessions.py (atheris/libFuzzer).

Longer runs: see the docstring of fuzz/fuzz_sessions.py and the README.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support import DATA, ROOT, SAMPLE


@pytest.mark.skipif(
    importlib.util.find_spec("atheris") is None, reason="atheris is not installed here"
)
def test_bounded_fuzz_run_finds_no_crash(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SAMPLE, corpus / "sample.yaml")
    seeds = [DATA / "hostile", DATA / "valid", DATA / "invalid"]
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "fuzz" / "fuzz_sessions.py"),
            "-runs=4000",
            "-max_total_time=60",
            "-max_len=4096",
            "-timeout=10",
            "-rss_limit_mb=1024",
            "-seed=2011",
            f"-artifact_prefix={tmp_path}/",
            str(corpus),
            *map(str, seeds),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        cwd=tmp_path,
    )
    crashes = sorted(p.name for p in tmp_path.glob("crash-*"))
    assert result.returncode == 0 and not crashes, result.stderr[-3000:]
    assert "Done 4000 runs" in result.stderr or "DONE" in result.stderr, result.stderr[-2000:]
