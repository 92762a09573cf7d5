"""Run ``asco-cal ARGS... FILE`` for each file in a forked child; print time and peak memory.

python tests/limits.py validate -- a.yaml b.yaml
python tests/limits.py export -o /tmp/x.ics -- a.yaml

One JSON object per file on standard output: ``{"file", "exit", "seconds", "max_rss_mb"}``.
The children are forked after the imports, so each measurement covers the
command's own work; ``max_rss_mb`` counts the pages shared with this parent
(about 40 MB), so it overstates the command's own memory, never understates it.

The tests and benchmarks of hostile inputs call :func:`run_each` (this script, in a
process of its own) and :func:`generated` (the inputs a ``make_*.py`` script writes).
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def run_each(command: list[str], paths: list[Path]) -> list[dict[str, Any]]:
    """``asco-cal COMMAND PATH`` for each path, each in a child forked by this script
    (started afresh, so nothing of the caller's process is measured): one row per path."""
    proc = subprocess.run(
        [sys.executable, __file__, *command, "--", *map(str, paths)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        check=True,
        timeout=600,
    )
    return [json.loads(line) for line in proc.stdout.splitlines()]


def generated(script: Path, folder: Path) -> list[Path]:
    """The files ``script`` (a ``make_*.py`` beside a corpus) writes into ``folder``."""
    spec = importlib.util.spec_from_file_location(script.stem, script)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    made: list[Path] = module.generate(folder)
    return made


def measure(args: list[str], path: str) -> dict[str, object]:
    from asco_cal.cli import cli  # imported before forking (and timing): children start warm

    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # the child: run the command, never return
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        code = 70
        try:
            cli.main([*args, path], prog_name="asco-cal", standalone_mode=True)
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except BaseException:  # a crash: report it as exit 70
            code = 70
        finally:
            os._exit(code)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - started
    return {
        "file": path,
        "exit": os.waitstatus_to_exitcode(status),
        "seconds": round(seconds, 3),
        "max_rss_mb": round(usage.ru_maxrss / 1024, 1),  # Linux reports KiB
    }


def main(argv: list[str]) -> None:
    split = argv.index("--")
    args, files = argv[:split], argv[split + 1 :]
    for path in files:
        print(json.dumps(measure(args, path)), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
