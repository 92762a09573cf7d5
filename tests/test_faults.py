"""Faults while writing: exceptions, a full disk, a killed process, permissions, symlinks.

Whatever happens, the previous output stays intact (or the new one is complete),
and no temporary file or folder is left behind by a failure asco-cal sees.
"""

from __future__ import annotations

import errno
import os
import resource
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from asco_cal import files
from asco_cal.cli import cli
from support import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_an_exception_mid_write_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.ics"
    target.write_bytes(b"old")

    def boom(fd: int) -> None:
        raise RuntimeError("power cut")

    monkeypatch.setattr(os, "fsync", boom)
    with pytest.raises(RuntimeError):
        files.write_atomic(target, b"new" * 1000)
    assert target.read_bytes() == b"old"
    assert _leftovers(tmp_path) == []


def _disk_full(monkeypatch: pytest.MonkeyPatch) -> None:
    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)


def test_a_full_disk_keeps_the_old_file_and_says_so(
    workdir: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    (workdir / "out.ics").write_bytes(b"old")
    _disk_full(monkeypatch)
    result = runner.invoke(cli, ["export", "-o", "out.ics"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        "Error: out.ics: cannot write (No space left on device); nothing was changed"
    )
    assert (workdir / "out.ics").read_bytes() == b"old"
    assert _leftovers(workdir) == []


def test_a_full_disk_keeps_the_old_split_folder(
    workdir: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert runner.invoke(cli, ["export", "--split", "events"]).exit_code == 0
    before = {p.name: p.read_bytes() for p in (workdir / "events").iterdir()}
    (workdir / "sessions.yaml").write_text(
        (workdir / "sessions.yaml").read_text().replace("E450b", "E451"), encoding="utf-8"
    )
    _disk_full(monkeypatch)
    result = runner.invoke(cli, ["export", "--split", "events"])
    assert result.exit_code == 1
    assert "No space left on device" in result.stderr
    assert {p.name: p.read_bytes() for p in (workdir / "events").iterdir()} == before
    assert _leftovers(workdir) == []


def test_a_real_write_failure_keeps_the_old_file(workdir: Path) -> None:
    """The file-size limit makes the kernel refuse the write (EFBIG), as a full disk would."""
    (workdir / "out.ics").write_bytes(b"old")

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (2000, 2000))

    result = subprocess.run(
        [sys.executable, "-m", "asco_cal", "export", "-o", "out.ics"],
        cwd=workdir,
        capture_output=True,
        text=True,
        preexec_fn=small_files,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines()[-1] == (
        "Error: out.ics: cannot write (File too large); nothing was changed"
    )
    assert "Traceback" not in result.stderr
    assert (workdir / "out.ics").read_bytes() == b"old"
    assert _leftovers(workdir) == []


def test_a_killed_export_leaves_the_old_or_the_new_output(workdir: Path) -> None:
    """SIGKILL at many points of a 1 s export: never a half-written file or folder."""
    (workdir / "big.yaml").write_text(generate(3000), encoding="utf-8")
    command = [sys.executable, "-m", "asco_cal", "export", "big.yaml", "-o", "out.ics"]
    command += ["--split", "events"]
    subprocess.run(command, cwd=workdir, check=True, capture_output=True)
    new_file = (workdir / "out.ics").read_bytes()
    new_folder = {p.name: p.read_bytes() for p in (workdir / "events").iterdir()}
    assert len(new_folder) == 3000
    started = time.monotonic()
    subprocess.run(command, cwd=workdir, check=True, capture_output=True)
    full_run = time.monotonic() - started
    outcomes = set()
    # At once (surely before any write), across the writing, and after the end.
    delays = [0.0] + [full_run * (0.35 + 0.06 * i) for i in range(12)] + [full_run * 3]
    for delay in delays:
        (workdir / "out.ics").write_bytes(b"old")
        for p in (workdir / "events").iterdir():
            p.write_bytes(b"old")
        proc = subprocess.Popen(command, cwd=workdir, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        data = (workdir / "out.ics").read_bytes()
        assert data in (b"old", new_file)
        folder = (
            {p.name: p.read_bytes() for p in (workdir / "events").iterdir()}
            if (workdir / "events").exists()
            else None
        )
        if folder is None:  # killed between the two renames: the old folder is kept aside
            kept = list(workdir.glob(".events.old-*/events"))
            assert len(kept) == 1
            folder = {p.name: p.read_bytes() for p in kept[0].iterdir()}
            kept[0].rename(workdir / "events")
        assert set(folder) == set(new_folder)
        assert set(folder.values()) == {b"old"} or folder == new_folder
        outcomes.add((data == new_file, folder == new_folder))
    assert (False, False) in outcomes  # some kills landed before the writes...
    assert (True, True) in outcomes  # ...and some after


def test_permissions_of_existing_outputs_are_kept(workdir: Path, runner: CliRunner) -> None:
    target = workdir / "out.ics"
    target.write_bytes(b"old")
    target.chmod(0o640)
    assert runner.invoke(cli, ["export", "-o", "out.ics"]).exit_code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert runner.invoke(cli, ["export", "--split", "events"]).exit_code == 0
    (workdir / "events").chmod(0o750)
    one = next((workdir / "events").iterdir())
    one.chmod(0o600)
    assert runner.invoke(cli, ["export", "--split", "events"]).exit_code == 0
    assert stat.S_IMODE((workdir / "events").stat().st_mode) == 0o750
    assert stat.S_IMODE(one.stat().st_mode) == 0o600


def test_new_outputs_follow_the_umask(workdir: Path, runner: CliRunner) -> None:
    old = os.umask(0o027)
    try:
        assert runner.invoke(cli, ["export", "-o", "out.ics", "--split", "events"]).exit_code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((workdir / "out.ics").stat().st_mode) == 0o640
    assert stat.S_IMODE((workdir / "events").stat().st_mode) == 0o750
    assert {stat.S_IMODE(p.stat().st_mode) for p in (workdir / "events").iterdir()} == {0o640}


def test_a_symlinked_output_replaces_its_target_and_keeps_the_link(
    workdir: Path, runner: CliRunner
) -> None:
    (workdir / "real").mkdir()
    (workdir / "real" / "asco.ics").write_bytes(b"old")
    (workdir / "link.ics").symlink_to("real/asco.ics")
    (workdir / "real" / "events").mkdir()
    (workdir / "events-link").symlink_to("real/events")
    result = runner.invoke(cli, ["export", "-o", "link.ics", "--split", "events-link"])
    assert result.exit_code == 0, result.output
    assert (workdir / "link.ics").is_symlink()
    assert (workdir / "real" / "asco.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert (workdir / "events-link").is_symlink()
    assert len(list((workdir / "real" / "events").iterdir())) == 3


def test_split_refuses_a_folder_with_other_files(workdir: Path, runner: CliRunner) -> None:
    (workdir / "docs").mkdir()
    (workdir / "docs" / "notes.txt").write_text("mine")
    result = runner.invoke(cli, ["export", "--split", "docs"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        "Error: docs: holds files asco-cal did not write (notes.txt); use an empty folder; "
        "nothing was changed"
    )
    assert [p.name for p in (workdir / "docs").iterdir()] == ["notes.txt"]


def test_split_removes_files_of_events_that_are_gone(workdir: Path, runner: CliRunner) -> None:
    assert runner.invoke(cli, ["export", "--split", "events"]).exit_code == 0
    assert runner.invoke(cli, ["export", "--split", "events", "--abstract", "8013"]).exit_code == 0
    assert sorted(p.name for p in (workdir / "events").iterdir()) == ["8013.ics"]
