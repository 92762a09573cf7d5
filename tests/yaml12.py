"""YAML as editors read it (YAML 1.2 core schema), for checking files against the JSON Schema.

PyYAML implements YAML 1.1 (``8:00`` is 480, ``NO`` is false); the YAML
language server in editors reads YAML 1.2, where both are strings.  This
converts the loader's own nodes with the 1.2 core schema's rules, merge keys
applied.
"""

from __future__ import annotations

import re
from typing import Any

from asco_cal.tree import MappingNode, Node, ScalarNode, SequenceNode, merged_pairs
from asco_cal.yamltree import compose_all

_NULL = re.compile(r"^(~|null|Null|NULL|)$")
_BOOL = re.compile(r"^(true|True|TRUE|false|False|FALSE)$")
_INT = re.compile(r"^([-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT = re.compile(
    r"^([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$"
)


def _scalar(node: ScalarNode) -> Any:
    text = node.value
    if not node.plain:
        return text
    if _NULL.match(text):
        return None
    if _BOOL.match(text):
        return text.lower() == "true"
    if _INT.match(text):
        return int(text, 0) if text.startswith(("0o", "0x")) else int(text)
    if _FLOAT.match(text):
        if text.lstrip("+-").lower() == ".inf":
            return float(text.replace(".", "").lower())
        return float("nan") if text.lower() == ".nan" else float(text)
    return text


def to_python(node: Node | None, memo: dict[int, Any] | None = None) -> Any:
    """Aliases give the same Python object (so alias "bombs" stay small); recursive
    ones become recursive lists."""
    memo = {} if memo is None else memo
    if node is None:
        return None
    if id(node) in memo:
        return memo[id(node)]
    if isinstance(node, ScalarNode):
        return _scalar(node)
    if isinstance(node, MappingNode):
        mapping: dict[str, Any] = {}
        memo[id(node)] = mapping
        for k, v in merged_pairs(node):
            mapping.setdefault(str(to_python(k, memo)), to_python(v, memo))
        return mapping
    items: list[Any] = []
    memo[id(node)] = items
    assert isinstance(node, SequenceNode)
    items += [to_python(item, memo) for item in node.value]
    return items


def load(text: str) -> Any:
    docs = compose_all(text)
    return to_python(docs[0]) if docs else None
