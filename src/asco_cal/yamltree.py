"""YAML text -> the located tree (:mod:`asco_cal.tree`), with limits.

The YAML is *composed* (parsed to nodes with line and column) but never
*constructed* by PyYAML, so YAML 1.1's surprises never happen: ``8:00`` stays
"8:00" (not 480), ``0123`` stays "0123" (not 83) and ``NO`` stays "NO" (not
false).  The reader takes each value from its raw text.
"""

from __future__ import annotations

from collections.abc import Callable

import yaml

from asco_cal.errors import AscoCalError, Location
from asco_cal.tree import Hidden, MappingNode, Node, ScalarNode, SequenceNode, blank, hidden_comment

# libyaml's parser (C) when PyYAML has it: 5-10x faster, same events and marks.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Deeper nesting is never a sessions file (it needs 4 levels), and unbounded
# nesting would overflow the C stack of libyaml's recursive composer.
MAX_DEPTH = 64


def documents(
    text: str, file: str, max_nodes: int | None = None, size_hint: str = "a larger size limit"
) -> list[Node]:
    """The non-empty documents of ``text``; a syntax error raises :class:`AscoCalError`
    located at the mark libyaml reports."""
    try:
        composed = compose_all(text, max_nodes, size_hint)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = Location(file, mark.line + 1, mark.column + 1) if mark else Location(file)
        problem = exc.problem or exc.context or "cannot read"
        if "maximum nesting depth" in problem:  # libyaml >= 0.2.6's own limit (1,000)
            problem = f"nested more than {MAX_DEPTH} levels deep"
        if mark and "cannot start any token" in problem and _char_at(text, mark.index) == "\t":
            problem = "a tab character; indent with spaces, not tabs"
        raise AscoCalError(f"YAML syntax: {problem}", location=loc) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow
        before = text[: exc.position]
        line, column = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise AscoCalError(
            f"YAML does not allow the character U+{code:04X} here; remove it",
            location=Location(file, line, column),
        ) from None
    return [d for d in composed if d is not None and not blank(d)]


def _char_at(text: str, index: int) -> str:
    return text[index] if 0 <= index < len(text) else ""


class _Limit(yaml.MarkedYAMLError):
    pass


def compose_all(
    text: str, max_nodes: int | None = None, size_hint: str = "a larger size limit"
) -> list[Node | None]:
    """The documents of ``text`` as nodes with positions, composed without recursion.

    Like ``yaml.compose_all`` but iterative (libyaml's composer recurses in C and
    crashes on ``[[[[...`` nested a few hundred thousand deep), limited to
    :data:`MAX_DEPTH` levels and ``max_nodes`` nodes (default: no limit; the
    loader allows one per 32 bytes of its size limit), and without resolving
    implicit tags, which the loader never uses (it reads raw text): 4-5x faster
    than PyYAML's composer.  Aliases are shared nodes, never copies, so an alias
    "bomb" stays small.
    """
    budget = max_nodes if max_nodes is not None else 1 << 62
    parser = _YAML_LOADER(text)
    docs: list[Node | None] = []
    anchors: dict[str, Node] = {}
    stack: list[tuple[Node, list[Node]]] = []  # open collections and their items
    root: Node | None = None
    lines: list[str] = []  # the text's lines, split when an empty value needs them
    count = 0
    scalar, alias = yaml.ScalarEvent, yaml.AliasEvent
    mapping_start, sequence_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
    mapping_end, sequence_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
    get_event = parser.get_event
    add: Callable[[Node], None] | None = None  # appends to the innermost open collection
    try:
        while True:
            event = get_event()
            node: Node
            kind = type(event)
            if kind is scalar:
                mark = event.start_mark
                if event.value or event.style:
                    node = ScalarNode(event.value, mark.line, mark.column, not event.style)
                else:  # an empty value: say so if a comment looks like its value
                    lines = lines or text.split("\n")
                    hidden = hidden_comment(lines[mark.line], mark.column)
                    node = (
                        Hidden(mark.line, mark.column, hidden)
                        if hidden
                        else ScalarNode("", mark.line, mark.column, True)
                    )
                count += 1
                if event.anchor is not None:
                    anchors[event.anchor] = node
            elif kind is mapping_start or kind is sequence_start:
                mark = event.start_mark
                if len(stack) >= MAX_DEPTH:
                    raise _Limit(None, None, f"nested more than {MAX_DEPTH} levels deep", mark)
                cls = MappingNode if kind is mapping_start else SequenceNode
                node = cls([], mark.line, mark.column)
                if event.anchor is not None:
                    anchors[event.anchor] = node
                items: list[Node] = []
                stack.append((node, items))
                add = items.append
                count += 1
                continue
            elif kind is mapping_end or kind is sequence_end:
                node, items = stack.pop()
                if isinstance(node, MappingNode):
                    node.value = list(zip(items[0::2], items[1::2], strict=True))
                else:
                    node.value = items
                add = stack[-1][1].append if stack else None
            elif kind is alias:
                if event.anchor not in anchors:
                    raise _Limit(
                        None, None, f"found undefined alias {event.anchor!r}", event.start_mark
                    )
                node = anchors[event.anchor]
                count += 1
            elif kind is yaml.DocumentEndEvent:
                docs.append(root)
                root = None
                anchors = {}
                continue
            elif kind is yaml.StreamEndEvent:
                return docs
            else:  # stream and document start
                continue
            if count > budget:
                raise _Limit(
                    None,
                    None,
                    f"more than {budget:,} values: not a sessions file "
                    f"(if it is, raise the limit with {size_hint})",
                    event.start_mark,
                )
            if add is not None:
                add(node)
            else:
                root = node
    finally:
        parser.dispose()
