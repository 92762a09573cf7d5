"""The README stays true: its commands, the CI script, the sample."""

from __future__ import annotations

import re

from support import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _first_code_blocks(n: int) -> list[str]:
    return re.findall(r"```sh\n(.*?)\n```", README, re.S)[:n]


def test_readme_starts_with_the_two_commands() -> None:
    try_it, run_tests = _first_code_blocks(2)
    assert (
        try_it == "python3 -m venv .venv && .venv/bin/pip install -q . && .venv/bin/asco-cal export"
    )
    assert run_tests.startswith("python3 -m venv .venv && ")
    assert run_tests.endswith(".venv/bin/python -m pytest")


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    _, run_tests = _first_code_blocks(2)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert run_tests in ci.splitlines()


def test_every_option_of_export_is_documented() -> None:
    from asco_cal.cli import cli

    export = cli.commands["export"]
    for param in export.params:
        for opt in getattr(param, "opts", []):
            if opt.startswith("--"):
                assert f"`{opt}" in README, opt
