"""A spreadsheet (CSV) -> a commented sessions.yaml.

Header names are matched case- and space-insensitively, with the synonyms
people use ("Abstract #", "Session Title", "Start Time"...); ``--map`` names
the rest.  UTF-8 (with or without a BOM) and Windows-1252, comma, semicolon
or tab separated.  The rows become a located tree (:mod:`asco_cal.tree`) that
the same reader as a YAML file's reads, so every problem, from a cell that does
not parse to sessions that overlap, is reported where it is in the spreadsheet:
``FILE.csv:ROW: column "Start": message``.
Rows with the same abstract become its parts, in row order, so an imported
file exports to the same events (and UIDs) as a hand-written one.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from asco_cal.errors import AscoCalError, InvalidInput, Location, UsageError
from asco_cal.loader import load_tree
from asco_cal.model import SESSION, Program
from asco_cal.tree import Cell, MappingNode, Node, Option, Row, SequenceNode
from asco_cal.zones import resolve as resolve_timezone

IGNORE = "-"  # --map "Notes=-": skip a column

# Column names -> field, from the field table (plus the part number `export --format csv`
# writes, which the row order already says).
SYNONYMS: dict[str, tuple[str, ...]] = {
    **{f.name: f.synonyms for f in SESSION if f.synonyms},
    "part": ("part",),
}
SHARED = tuple(f.name for f in SESSION if f.shared)  # the same for every part of an abstract
LISTS = ("presenters", "reminders")  # cells holding several values
FIELD_ORDER = [f.name for f in SESSION if f.name != "parts"]


def _norm(header: str) -> str:
    return re.sub(r"\s+", " ", header.strip().strip(":").lower())


_LOOKUP = {_norm(s): name for name, synonyms in SYNONYMS.items() for s in synonyms}


@dataclass
class Imported:
    yaml: str  # the commented draft
    program: Program  # what the reader made of the spreadsheet (the draft reads the same)
    sessions: int
    rows: int
    ignored: list[str] = field(default_factory=list)


def decode(data: bytes) -> str:
    """UTF-8 (BOM or not), else Windows-1252: what Excel writes."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _dialect(text: str) -> str:
    first = text.split("\n", 1)[0]
    counts = {sep: first.count(sep) for sep in (",", ";", "\t")}
    return max(counts, key=lambda sep: counts[sep]) if any(counts.values()) else ","


def parse_map(items: Sequence[str]) -> dict[str, str]:
    """``["Talk=title", "Notes=-"]`` -> ``{"talk": "title", "notes": "-"}``."""
    out = {}
    known = set(SYNONYMS) - {"part"}
    for item in items:
        column, sep, target = item.partition("=")
        target = target.strip().lower()
        if not sep or not column.strip() or (target not in known and target != IGNORE):
            raise UsageError(
                f"--map {item!r}: write COLUMN=FIELD, with FIELD one of "
                f"{', '.join(sorted(known))}, or - to skip the column"
            )
        out[_norm(column)] = target
    return out


def _yaml_str(value: str) -> str:
    """A double-quoted YAML scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def import_csv(
    data: bytes,
    filename: str,
    *,
    mapping: Mapping[str, str] | None = None,
    calendar_name: str,
    conference: str | None = None,
    conference_id: str | None = None,
    timezone: str | None = None,
) -> Imported:
    """The sessions.yaml text for a CSV file; raises :class:`InvalidInput` listing every problem."""
    text = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_dialect(text))
    rows = list(reader)
    problems: list[AscoCalError] = []

    def problem(row: int, column: str | None, message: str) -> None:
        where = f'column "{column}"' if column else ""
        problems.append(AscoCalError(message, location=Location(filename, row), field=where))

    if not rows or not any(cell.strip() for cell in rows[0]):
        problem(1, None, "no header row (the first row must name the columns)")
        raise InvalidInput(problems)
    overrides = dict(mapping or {})
    columns: list[tuple[int, str, str]] = []  # (index, header as written, field)
    ignored = []
    seen: dict[str, str] = {}
    for index, header in enumerate(rows[0]):
        key = _norm(header)
        if not key:
            continue
        target = overrides.pop(key, None) or _LOOKUP.get(key)
        if target is None:
            ignored.append(header.strip())
            continue
        if target == IGNORE:
            continue
        if target in seen:
            problem(1, header.strip(), f'is {target} too (so is column "{seen[target]}"); '
                    f'skip one with --map "{header.strip()}=-"')  # fmt: skip
            continue
        seen[target] = header.strip()
        columns.append((index, header.strip(), target))
    for key in overrides:
        problem(1, None, f"--map names a column the file does not have: {key!r}")
    for required in ("abstract", "title"):
        if required not in seen and not (required == "abstract" and "id" in seen):
            problem(1, None, f"no {required} column (map one with --map 'COLUMN={required}')")
    zone = None
    if timezone:
        try:
            zone = resolve_timezone(timezone)
        except ValueError as exc:
            raise UsageError(f"--timezone: {exc}") from None
    elif "timezone" not in seen:
        problem(1, None, "no timezone column: give --timezone, e.g. --timezone CT")
    if problems:
        raise InvalidInput(problems)

    abstracts: dict[str, list[dict[str, Cell]]] = {}
    count = 0
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        count += 1
        record: dict[str, Cell] = {}
        for index, header, target in columns:
            value = row[index].strip() if index < len(row) else ""
            if value and target != "part":
                record[target] = Cell(value, number, header)
        identity = record.get("id") or record.get("abstract")  # rows of one session: its parts
        if identity is None:
            if "id" in seen:
                problem(number, seen.get("abstract", seen["id"]),
                        "empty (every row needs its abstract number or an id)")  # fmt: skip
            else:
                problem(number, seen["abstract"], "empty (every row needs its abstract number)")
            continue
        if "title" not in record and identity.value not in abstracts:
            problem(number, seen["title"], "empty (the abstract's title)")
        abstracts.setdefault(identity.value, []).append(record)
    for abstract, parts in abstracts.items():
        for key in SHARED:
            values = {p[key].value for p in parts if key in p}
            if len(values) > 1:
                first = parts[0].get("id") or parts[0]["abstract"]
                problem(first.line + 1, seen.get(key), f"abstract {abstract} has "
                        f"{len(values)} different values in its rows; give it once")  # fmt: skip
    records = [r for parts in abstracts.values() for r in parts]
    zones = {r["timezone"].value if "timezone" in r else None for r in records}
    if zone is None and len(zones) == 1 and None not in zones:
        zone = _zone(zones.pop() or "")  # one zone for all: the conference's (or reported)
    for record in records:  # defaults need not be repeated on every row
        if "status" in record and record["status"].value.lower() == "confirmed":
            del record["status"]
        if zone is not None and "timezone" in record and _zone(record["timezone"].value) == zone:
            del record["timezone"]
    given = {"name": conference, "id": conference_id, "timezone": zone}
    options = {"name": "--conference", "id": "--id", "timezone": "--timezone"}
    tree = _mapping(
        None,
        {
            "calendar": _mapping(None, {"name": Option(calendar_name, "--name")}),
            "conference": _mapping(None, {k: Option(v, options[k]) for k, v in given.items() if v}),
            "sessions": SequenceNode([_session(parts) for parts in abstracts.values()], 0, 0),
        },
    )
    try:
        program = load_tree([tree], filename).program
    except InvalidInput as exc:
        problems.extend(exc.errors)
    if problems:
        raise InvalidInput(problems)

    lines = [
        "# yaml-language-server: $schema=sessions.schema.json",
        f"# sessions.yaml: imported by asco-cal from {filename}.",
        "# Check it with `asco-cal validate`, then export or serve it.",
        "",
        "calendar:",
        f"  name: {_yaml_str(calendar_name)}",
        "",
        "conference:",
    ]
    if conference:
        lines.append(f"  name: {_yaml_str(conference)}")
    if conference_id:
        lines.append(f"  id: {_yaml_str(conference_id)}  # UIDs come from this: never change it")
    if zone:
        lines.append(f"  timezone: {_yaml_str(zone)}")
    if not (conference or conference_id or zone):
        lines[-1] = "conference: {}"
    lines += ["", "sessions:"]
    for parts in abstracts.values():
        shared = {k: next((p[k].value for p in parts if k in p), None) for k in SHARED}
        dash = "-"
        for key in SHARED:  # abstract, id, title, compound: the field table's order
            if shared[key]:
                lines.append(f"  {dash} {key}: {_yaml_str(shared[key] or '')}")
                dash = " "
        own = [{k: c.value for k, c in p.items() if k not in SHARED} for p in parts]
        if len(parts) == 1:
            lines += _fields(own[0], "    ")
        else:
            lines.append("    parts:")
            for part in own:
                body = _fields(part, "        ")
                lines += ["      - " + body[0].lstrip(), *body[1:]] if body else ["      - {}"]
    return Imported("\n".join(lines) + "\n", program, len(abstracts), count, ignored)


def _zone(text: str) -> str | None:
    try:
        return resolve_timezone(text)
    except ValueError:
        return None


def _mapping(row: int | None, entries: Mapping[str, Node]) -> MappingNode:
    """A mapping of the located tree; keys are located like their values."""
    pairs: list[tuple[Node, Node]] = []
    for key, value in entries.items():
        name = (
            Cell(key, value.line + 1, value.header) if isinstance(value, Cell) else Option(key, "")
        )
        pairs.append((name, value))
    return Row(pairs, row) if row is not None else MappingNode(pairs, 0, 0)


def _value(target: str, cell: Cell) -> Node:
    """A cell as the tree holds it: lists for the cells that hold several values."""
    if target not in LISTS:
        return cell
    split = _reminder_cells if target == "reminders" else _names
    items: list[Node] = [Cell(x, cell.line + 1, cell.header) for x in split(cell.value)]
    return SequenceNode(items, cell.line, 0)


def _session(parts: list[dict[str, Cell]]) -> MappingNode:
    """Rows of one abstract as a session: shared cells once, then one part per row."""
    first = (parts[0].get("id") or parts[0]["abstract"]).line + 1
    own = [{k: _value(k, c) for k, c in p.items() if k not in SHARED} for p in parts]
    shared = {k: next(p[k] for p in parts if k in p) for k in SHARED if any(k in p for p in parts)}
    if len(parts) == 1:
        return _mapping(first, {**shared, **own[0]})
    rows = [
        _mapping((p.get("id") or p["abstract"]).line + 1, o)
        for p, o in zip(parts, own, strict=True)
    ]
    return _mapping(first, {**shared, "parts": SequenceNode(list(rows), first - 1, 0)})


def _names(value: str) -> list[str]:
    """``"Dr. A; Dr. B"`` -> two presenters."""
    return [n.strip() for n in value.split(";") if n.strip()]


def _reminder_cells(value: str) -> list[str]:
    """``"15m; 1h"`` or ``"15m, 1h"`` -> ``["15m", "1h"]``."""
    return [x.strip() for x in re.split(r"[;,]", value) if x.strip()]


def _fields(record: Mapping[str, str], indent: str) -> list[str]:
    out = []
    for key in FIELD_ORDER:
        if key not in record or key in SHARED:
            continue
        value = record[key]
        if key == "presenters":
            out.append(f"{indent}{key}: [{', '.join(_yaml_str(n) for n in _names(value))}]")
        elif key == "reminders":
            items = _reminder_cells(value)
            out.append(f"{indent}{key}: [{', '.join(_yaml_str(x) for x in items)}]")
        else:
            out.append(f"{indent}{key}: {_yaml_str(value)}")
    return out
