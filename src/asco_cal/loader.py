"""A sessions file -> a validated :class:`~asco_cal.model.Program`, and the limits on reading it.

Reading goes: bytes (size limit, encoding) -> YAML text -> the located tree
(:mod:`asco_cal.yamltree`) -> the reader (:mod:`asco_cal.reader`), which
collects every problem with its file, line, column and field.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from asco_cal import reader, yamltree
from asco_cal.errors import AscoCalError, InvalidInput, Location
from asco_cal.model import Program
from asco_cal.tree import Node

# Bigger files are refused before they are read (see load_file); raise it with
# $ASCO_CAL_MAX_SIZE.  ASCO's ~6,000 abstracts take about 2 MB.
MAX_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class Loaded:
    """A valid program and the warnings found while reading it."""

    program: Program
    warnings: tuple[AscoCalError, ...]


def load_file(
    path: str | os.PathLike[str], *, name: str | None = None, max_bytes: int | None = None
) -> Loaded:
    """Read and validate a sessions file; raise :class:`InvalidInput` on errors.

    Messages name the file as ``name`` (default: the path as given).  Files over
    ``max_bytes`` (default: :func:`max_file_bytes`) are refused before they are
    read, so a stray 2 GB file cannot exhaust memory.
    """
    p = Path(path)
    name = str(path) if name is None else name
    limit = max_file_bytes() if max_bytes is None else max_bytes
    try:
        with p.open("rb") as fh:
            data = fh.read(limit + 1)
    except FileNotFoundError:
        raise AscoCalError("file not found", location=Location(name)) from None
    except IsADirectoryError:
        raise AscoCalError("is a folder, not a file", location=Location(name)) from None
    except OSError as exc:
        raise AscoCalError(f"cannot read: {exc.strerror}", location=Location(name)) from None
    if len(data) > limit:
        raise AscoCalError(
            f"larger than {_megabytes(limit)}, the most asco-cal reads "
            f"(set {SIZE_VARIABLE}=200MB, say, if this really is a sessions file)",
            location=Location(name),
        )
    return load_bytes(data, name, p.parent)


def load_bytes(data: bytes, name: str = "sessions.yaml", folder: Path | None = None) -> Loaded:
    """Validate the bytes of a sessions file (UTF-8, with or without a BOM); the files
    it names (``site.logo``) are in ``folder`` (default: the current one)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise AscoCalError(
            "saved as UTF-16 text; save it as UTF-8 instead", location=Location(name, 1, 1)
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = data.rfind(b"\n", 0, exc.start) + 1
        line = data.count(b"\n", 0, exc.start) + 1
        column = len(data[start : exc.start].decode("utf-8", "replace")) + 1
        raise AscoCalError(
            f"not UTF-8 text: byte 0x{data[exc.start]:02X} (save the file as UTF-8)",
            location=Location(name, line, column),
        ) from None
    return load_text(text, name, folder)


SIZE_VARIABLE = "ASCO_CAL_MAX_SIZE"


def max_file_bytes() -> int:
    """:data:`MAX_BYTES`, or ``$ASCO_CAL_MAX_SIZE`` (``200MB``, ``1GB``, bytes)."""
    raw = os.environ.get(SIZE_VARIABLE, "").strip()
    if not raw:
        return MAX_BYTES
    units = {"": 1, "B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}
    number = raw.upper().rstrip("BKMG ")
    unit = raw.upper()[len(number) :].strip()
    try:
        return int(float(number) * units[unit])
    except (ValueError, KeyError):
        raise AscoCalError(f"{SIZE_VARIABLE}={raw!r} is not a size; write it like 200MB") from None


def _megabytes(n: int) -> str:
    return f"{n / 1024**2:g} MB"


def load_text(text: str, filename: str = "sessions.yaml", folder: Path | None = None) -> Loaded:
    """Validate YAML text; raise :class:`InvalidInput` listing every error."""
    hint = f"{SIZE_VARIABLE}=200MB, say"
    try:
        docs = yamltree.documents(text, filename, max_file_bytes() // 32, hint)
    except AscoCalError as exc:
        raise InvalidInput([exc]) from None
    return load_tree(docs, filename, folder)


def load_tree(docs: list[Node], filename: str, folder: Path | None = None) -> Loaded:
    """Validate a located tree (from YAML or a spreadsheet); raise :class:`InvalidInput`."""
    program, problems = reader.read(docs, filename, folder)
    if program is None or any(p.is_error for p in problems):
        raise InvalidInput(problems)
    return Loaded(program, tuple(sorted(problems, key=AscoCalError.sort_key)))
