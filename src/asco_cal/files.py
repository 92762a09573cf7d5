"""Atomic file and folder writing: a failed or killed write never leaves a broken output.

* A file is written to a temporary file in the same folder, flushed and
  fsynced, then renamed over the old one: readers (and a web server serving the
  folder) see the old file or the new one, never half of one.
* A folder (``export --split``) is written in full beside the old one, then
  swapped in with two renames; if the process dies between them the old folder
  is still there, complete, in ``.NAME.old-*/NAME``.
* An existing output keeps its permission bits; a new one gets the usual
  ``0666 & ~umask`` (files) or ``0777 & ~umask`` (folders).
* If the output path is a symbolic link, the file or folder it points to is
  replaced and the link stays.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path


class FolderInUse(OSError):
    """The --split folder holds files asco-cal did not write."""


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _fsync_dir(folder: Path) -> None:
    """Make a rename durable (POSIX); a no-op where folders cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_new(path: Path, data: bytes, mode: int) -> None:
    with open(path, "xb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())  # reports a full disk here, while the old folder is intact
    os.chmod(path, mode)


def write_atomic(path: str | os.PathLike[str], data: bytes, *, durable: bool = True) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it over ``path``.

    ``durable=False`` skips the fsyncs, for callers writing many files that call
    :func:`flush_all` once at the end (the renames stay atomic either way).
    """
    target = Path(os.path.realpath(path))  # through a symlink: replace its target
    if not durable and not target.exists():
        try:  # a new file: nothing to protect, so no temporary file and rename
            with open(target, "xb") as fh:  # created 0666 & ~umask, as below
                fh.write(data)
            return
        except FileExistsError:
            pass  # created meanwhile: replace it atomically below
        except BaseException:
            target.unlink(missing_ok=True)
            raise
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        try:
            mode = target.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = 0o666 & ~_umask()
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if durable:
        _fsync_dir(target.parent)


def flush_all() -> None:
    """Make every write so far durable (one sync instead of one per file)."""
    if hasattr(os, "sync"):
        os.sync()


def write_folder_atomic(path: str | os.PathLike[str], files: Mapping[str, bytes]) -> None:
    """Make the folder ``path`` hold exactly ``files`` (name -> bytes), all or nothing.

    Refuses (:class:`FolderInUse`) to replace a folder holding anything but
    ``.ics`` files, so a mistyped ``--split`` never deletes someone's documents.
    """
    target = Path(os.path.realpath(path))
    old_modes: dict[str, int] = {}
    folder_mode = 0o777 & ~_umask()
    if target.exists():
        if not target.is_dir():
            raise FolderInUse(20, "exists and is not a folder", str(path))
        foreign = [p.name for p in target.iterdir() if not (p.is_file() and p.suffix == ".ics")]
        if foreign:
            shown = ", ".join(sorted(foreign)[:3]) + ("..." if len(foreign) > 3 else "")
            raise FolderInUse(
                39, f"holds files asco-cal did not write ({shown}); use an empty folder", str(path)
            )
        folder_mode = target.stat().st_mode & 0o7777
        old_modes = {p.name: p.stat().st_mode & 0o7777 for p in target.iterdir()}
    target.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        default = 0o666 & ~_umask()
        for name, data in sorted(files.items()):
            _write_new(fresh / name, data, old_modes.get(name, default))
        _fsync_dir(fresh)
        os.chmod(fresh, folder_mode)
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
            os.replace(target, old / target.name)  # old is kept until the new one is in
            os.replace(fresh, target)
            _fsync_dir(target.parent)
            shutil.rmtree(old)
        else:
            os.replace(fresh, target)
            _fsync_dir(target.parent)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
