"""A read-only traversal of a libcst tree, several times faster than `module.visit(visitor)`.

libcst's visitor protocol rebuilds every node on the way back up and calls attribute hooks for every
field; the analysis only reads the tree, so this walker follows the dataclass fields that hold nodes
and calls `visit_<Type>` / `leave_<Type>` on the collector, with the same names libcst uses.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import libcst as cst

# Fields that never contain anything the analysis looks at (whitespace, commas, parentheses).
_SKIPPED_TYPES = (cst.BaseParenthesizableWhitespace, cst.Comma, cst.LeftParen, cst.RightParen, cst.Semicolon,
                  cst.Newline, cst.EmptyLine, cst.TrailingWhitespace)

_FIELDS: dict[type, tuple[str, ...]] = {}
_HOOKS: dict[tuple[type, type], tuple[Callable | None, Callable | None]] = {}


def _fields_of(node_type: type) -> tuple[str, ...]:
    names = _FIELDS.get(node_type)
    if names is None:
        names = tuple(
            f.name for f in dataclasses.fields(node_type)
            if not f.name.startswith("whitespace") and f.name not in ("lpar", "rpar", "comma", "semicolon",
                                                                    "leading_lines", "lines_after_decorators",
                                                                    "header", "footer", "newline", "trailing_whitespace")
        )
        _FIELDS[node_type] = names
    return names


def walk(node: cst.CSTNode, collector: object) -> None:
    """Depth-first, source-ordered: `visit_X(node)` before the children, `leave_X(node)` after."""
    node_type = type(node)
    key = (type(collector), node_type)
    hooks = _HOOKS.get(key)
    if hooks is None:
        name = node_type.__name__
        hooks = (getattr(type(collector), f"visit_{name}", None), getattr(type(collector), f"leave_{name}", None))
        _HOOKS[key] = hooks
    visit, leave = hooks
    if visit is not None:
        visit(collector, node)
    for field_name in _fields_of(node_type):
        value = getattr(node, field_name)
        if isinstance(value, cst.CSTNode):
            if not isinstance(value, _SKIPPED_TYPES):
                walk(value, collector)
        elif isinstance(value, (tuple, list)):
            for child in value:
                if isinstance(child, cst.CSTNode) and not isinstance(child, _SKIPPED_TYPES):
                    walk(child, collector)
    if leave is not None:
        leave(collector, node)
