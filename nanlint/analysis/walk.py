"""A read-only traversal of a libcst tree, several times faster than `module.visit(visitor)`.

libcst's visitor protocol rebuilds every node on the way back up and calls attribute hooks for every
field; the analysis only reads the tree, so this walker follows the dataclass fields that hold nodes
and calls `visit_<Type>` / `leave_<Type>` on the collector, with the same names libcst uses.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator

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


def walk(root: cst.CSTNode, collector: object) -> None:
    """Depth-first, source-ordered: `visit_X(node)` before the children, `leave_X(node)` after.

    Iterative, so a 1,000-term sum or 1,000 nested unary minuses (valid Python) cannot overflow the stack."""
    collector_type = type(collector)
    stack: list[tuple[cst.CSTNode, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        node_type = type(node)
        hooks = _HOOKS.get((collector_type, node_type))
        if hooks is None:
            name = node_type.__name__
            hooks = (getattr(collector_type, f"visit_{name}", None), getattr(collector_type, f"leave_{name}", None))
            _HOOKS[(collector_type, node_type)] = hooks
        visit, leave = hooks
        if leaving:
            leave(collector, node)
            continue
        if visit is not None:
            visit(collector, node)
        if leave is not None:
            stack.append((node, True))
        children: list[cst.CSTNode] = []
        for field_name in _fields_of(node_type):
            value = getattr(node, field_name)
            if isinstance(value, cst.CSTNode):
                if not isinstance(value, _SKIPPED_TYPES):
                    children.append(value)
            elif isinstance(value, (tuple, list)):
                children.extend(child for child in value
                                if isinstance(child, cst.CSTNode) and not isinstance(child, _SKIPPED_TYPES))
        stack.extend((child, False) for child in reversed(children))


def descendants(root: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """The node and every node below it (any order; iterative, like `walk`)."""
    pending = [root]
    while pending:
        node = pending.pop()
        yield node
        pending.extend(node.children)
