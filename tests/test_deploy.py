"""The deployment recipes work as written: the GitHub Pages workflow's commands, run
from a copy of the checkout in a fresh virtual environment, offline, and the README
shows the committed recipes word for word."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import yaml

from support import ROOT

DEPLOY = ROOT / "examples" / "deploy"
CHECKOUT = ("pyproject.toml", "README.md", "src", "sessions.yaml", "sessions.state.yaml")


def _steps() -> list[dict[str, object]]:
    workflow = yaml.safe_load((DEPLOY / "github-pages.yml").read_text(encoding="utf-8"))
    steps: list[dict[str, object]] = workflow["jobs"]["publish"]["steps"]
    return steps


def test_workflow_sets_up_python_and_installs_from_the_checkout() -> None:
    steps = _steps()
    uses = [s["uses"] for s in steps if "uses" in s]
    assert uses[:2] == ["actions/checkout@v4", "actions/setup-python@v5"]
    assert {"with": {"python-version": "3.11"}}.items() <= steps[1].items()
    runs = [s["run"] for s in steps if "run" in s]
    assert runs[0] == "python -m pip install ."  # the checkout, not a release by name


def test_workflow_commands_build_the_site(tmp_path: Path) -> None:
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    for name in CHECKOUT:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, checkout / name, ignore=shutil.ignore_patterns("*.egg-info",
                            "__pycache__"))  # fmt: skip
        else:
            shutil.copy(source, checkout / name)
    # A fresh environment, as setup-python gives.  The dependencies are this interpreter's
    # (already installed, so pip downloads none of them); only the build backend
    # (setuptools) comes from pip's usual sources, as in CI.
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / "python"
    site_packages = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    Path(site_packages, "offline-dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8"
    )
    environment = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "VIRTUAL_ENV": str(env_dir),
        "PYTHONNOUSERSITE": "1",
    }
    environment.pop("PYTHONPATH", None)
    for step in _steps():
        if "run" not in step:
            continue
        # The workflow's own command line, run by a shell as GitHub's runner does.
        done = subprocess.run(  # noqa: S602
            str(step["run"]), shell=True, cwd=checkout, env=environment,
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert done.returncode == 0, f"{step['run']}\n{done.stdout}\n{done.stderr}"
    # It is the environment's own asco-cal that ran, and it built the whole site.
    assert (bin_dir / "asco-cal").exists()
    site = checkout / "site"
    for name in ("index.html", "calendar.ics", "agenda.json", "embed.html", "favicon.svg"):
        assert (site / name).is_file(), name
    html = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="webcal://ORG.github.io/REPO/calendar.ics"' in html
    assert sys.executable != str(python)


def test_readme_shows_the_committed_recipes() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in ("github-pages.yml", "nginx.conf", "Caddyfile"):
        text = (DEPLOY / name).read_text(encoding="utf-8")
        assert text in readme, name
    assert "encode gzip" in readme
    assert "aws s3 sync site/ s3://BUCKET/asco/" in readme
