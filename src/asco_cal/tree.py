"""The located tree: what every input (a YAML file, a spreadsheet) becomes before it is read.

A tree is made of scalars, sequences and mappings, each knowing where it
stands in its input, so that every message names the place the user wrote:
``sessions.yaml:12:10: sessions[2].end: ...`` for YAML (line and column, built
by :mod:`asco_cal.yamltree`), ``program.csv:3: column "End": ...`` for a
spreadsheet's cell (built by :mod:`asco_cal.importer`).  The reader
(:mod:`asco_cal.reader`) reads every tree the same way.
"""

from __future__ import annotations

from collections.abc import Iterator

from asco_cal.errors import Location
from asco_cal.values import shown

NULLS = ("", "~", "null", "Null", "NULL")


class Node:
    """A YAML node and where it starts (0-based line and column).

    Lighter than PyYAML's nodes (no tag, no end mark, no mark objects): a big
    file's nodes take about a third of the memory.
    """

    __slots__ = ("column", "line", "value")

    def __init__(self, value: object, line: int, column: int) -> None:
        self.value = value
        self.line = line
        self.column = column

    def located(self, file: str, path: str) -> tuple[Location, str]:
        """Where the node is, and how its field is named, in messages."""
        return Location(file, self.line + 1, self.column + 1), path


class ScalarNode(Node):
    __slots__ = ("plain",)
    value: str

    def __init__(self, value: str, line: int, column: int, plain: bool) -> None:
        self.value = value  # (no super() call: this runs once per value of a big file)
        self.line = line
        self.column = column
        self.plain = plain  # unquoted: ``~`` and ``null`` mean "no value"


class Hidden(ScalarNode):
    """An empty value with a comment right after it that looks like the value itself:
    ``accent: #0b57d0`` (YAML reads ``#0b57d0`` as a comment)."""

    __slots__ = ("comment",)

    def __init__(self, line: int, column: int, comment: str) -> None:
        super().__init__("", line, column, True)
        self.comment = comment


def hidden_comment(line_text: str, column: int) -> str | None:
    """The comment that hides a value after ``column`` of a line: ``#0b57d0`` in
    ``accent: #0b57d0``, never ``# later`` (a space after ``#`` is a comment's)."""
    rest = line_text[column:]
    after = rest.lstrip(" \t")
    if after != rest and len(after) > 1 and after[0] == "#" and not after[1].isspace():
        return after.rstrip()
    return None


class SequenceNode(Node):
    __slots__ = ()
    value: list[Node]


class MappingNode(Node):
    __slots__ = ()
    value: list[tuple[Node, Node]]


class Cell(ScalarNode):
    """A spreadsheet cell: named by its row and column header, e.g. ``column "End"``."""

    __slots__ = ("header",)

    def __init__(self, value: str, row: int, header: str) -> None:
        super().__init__(value, row - 1, 0, False)  # as written: never a YAML null
        self.header = header

    def located(self, file: str, path: str) -> tuple[Location, str]:
        return Location(file, self.line + 1), f'column "{self.header}"'


class Row(MappingNode):
    """A spreadsheet row (a session or part), located by its row number."""

    __slots__ = ()

    def __init__(self, value: list[tuple[Node, Node]], row: int) -> None:
        super().__init__(value, row - 1, 0)

    def located(self, file: str, path: str) -> tuple[Location, str]:
        return Location(file, self.line + 1), path


class Option(ScalarNode):
    """A value given on the command line (``--timezone CT``), named by its option."""

    __slots__ = ("option",)

    def __init__(self, value: str, option: str) -> None:
        super().__init__(value, 0, 0, False)
        self.option = option

    def located(self, file: str, path: str) -> tuple[Location, str]:
        return Location(file), self.option or path


def blank(node: Node) -> bool:
    """An empty value (``key:``, ``~``, ``null``), as opposed to a quoted "null"."""
    # Plain style is None with PyYAML's parser and "" with libyaml's.
    return isinstance(node, ScalarNode) and node.plain and node.value in NULLS


def described(node: Node) -> str:
    """What a node is, for "expected text, got a list"."""
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    return shown(str(node.value))


def merged_pairs(node: MappingNode) -> Iterator[tuple[Node, Node]]:
    """Key/value pairs with YAML merge keys (``<<: *defaults``) applied.

    A mapping that merges itself (``&a {<<: *a}``) contributes its keys once.
    Each merged mapping is read once, however often it is merged (``<<: [*a, *a]``
    chains would otherwise take exponential time).
    """
    return iter(_merge(node, set()))


def _merge(node: MappingNode, seen: set[int]) -> list[tuple[Node, Node]]:
    seen.add(id(node))
    own = [(k, v) for k, v in node.value if not (isinstance(k, ScalarNode) and k.value == "<<")]
    own_keys = {k.value for k, _ in own if isinstance(k, ScalarNode)}
    merged: list[tuple[Node, Node]] = []
    for k, v in node.value:
        if isinstance(k, ScalarNode) and k.value == "<<":
            sources = v.value if isinstance(v, SequenceNode) else [v]
            for source in sources:
                if isinstance(source, MappingNode) and id(source) not in seen:
                    for mk, mv in _merge(source, seen):
                        if isinstance(mk, ScalarNode) and mk.value not in own_keys:
                            own_keys.add(mk.value)
                            merged.append((mk, mv))
    return own + merged
