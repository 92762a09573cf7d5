"""Run ``asco-cal ARGS... FILE`` for each file in a forked child; print time and peak memory.

python tests/limits.py validate -- a.yaml b.yaml
python tests/limits.py export -o /tmp/x.ics -- a.yaml

One JSON object per file on standard output: ``{"file", "exit", "seconds", "max_rss_mb"}``.
The children are forked after the imports, so each measurement covers the
command's own work; ``max_rss_mb`` counts the pages shared with this parent
(about 40 MB), so it overstates the command's own memory, never understates it.
"""

from __future__ import annotations

import json
import os
import sys
import time

from asco_cal.cli import cli  # imported before forking: children start warm


def measure(args: list[str], path: str) -> dict[str, object]:
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
