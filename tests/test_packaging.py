"""The wheel and sdist build and install cleanly; the installed command works."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest

from support import ROOT, SAMPLE

pytest.importorskip("build")


def test_wheel_and_sdist_install_and_run(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "--wheel", "--outdir", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = dist.glob("asco_cal-*.whl")
    (sdist,) = dist.glob("asco_cal-*.tar.gz")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"asco_cal/templates/index.html.j2", "asco_cal/py.typed", "asco_cal/cli.py"} <= names
    # The gettext catalogs (read at run time: no compiled .mo to go stale).
    assert {f"asco_cal/locales/{language}/LC_MESSAGES/asco_cal.po"
            for language in ("de", "fr", "es", "it", "ja")} <= names  # fmt: skip
    metadata = (
        zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("METADATA"))).decode()
    )
    assert "Requires-Dist: icalendar" in metadata and "Classifier: Typing :: Typed" in metadata
    with tarfile.open(sdist) as tar:
        members = {m.name.split("/", 1)[1] for m in tar.getmembers() if "/" in m.name}
    assert {"pyproject.toml", "README.md", "src/asco_cal/cli.py"} <= members
    # A fresh venv that borrows the already-installed dependencies, then the wheel alone.
    env_dir = tmp_path / "env"
    venv.create(env_dir, with_pip=True)
    site = next(env_dir.glob("lib/python*/site-packages"))
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    version = subprocess.run(
        [str(env_dir / "bin" / "asco-cal"), "--version"], capture_output=True, text=True, check=True
    )
    assert version.stdout.startswith("asco-cal, version ")
    out = tmp_path / "out.ics"
    subprocess.run(
        [str(env_dir / "bin" / "asco-cal"), "export", str(SAMPLE), "-o", str(out),
         "--state", str(tmp_path / "state.yaml")],
        check=True, capture_output=True,
    )  # fmt: skip
    assert out.read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")
    # The installed copy finds its catalogs: the agenda in German.
    listed = subprocess.run(
        [str(env_dir / "bin" / "asco-cal"), "list", str(SAMPLE), "--locale", "de-DE"],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    assert "Samstag, 4. Juni 2011" in listed.stdout and "Uhrzeit folgt" in listed.stdout
    where = subprocess.run(
        [str(python), "-c", "import asco_cal; print(asco_cal.__file__)"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert str(env_dir) in where.stdout  # the installed copy, not the source tree
