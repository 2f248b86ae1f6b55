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


class _FieldsOf(dict[type, tuple[str, ...]]):
    """node type -> the names of its fields that may hold nodes the analysis reads (computed once per type)."""

    def __missing__(self, node_type: type) -> tuple[str, ...]:
        names = tuple(
            f.name for f in dataclasses.fields(node_type)
            if not f.name.startswith("whitespace") and f.name not in ("lpar", "rpar", "comma", "semicolon",
                                                                    "leading_lines", "lines_after_decorators",
                                                                    "header", "footer", "newline", "trailing_whitespace")
        )
        self[node_type] = names
        return names


class _Entered(dict[type, bool]):
    """type -> whether a value of that type is a node the walk enters. Keyed on the exact type: an isinstance()
    against libcst's ABCs costs an ABC subclass check per call, millions of them on a corpus."""

    def __missing__(self, value_type: type) -> bool:
        entered = issubclass(value_type, cst.CSTNode) and not issubclass(value_type, _SKIPPED_TYPES)
        self[value_type] = entered
        return entered


_FIELDS = _FieldsOf()
_ENTERED = _Entered()
_HOOKS: dict[tuple[type, type], tuple[Callable[..., object] | None, Callable[..., object] | None]] = {}


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
            assert leave is not None  # a node is pushed for leaving only when its type has a leave hook
            leave(collector, node)
            continue
        if visit is not None:
            visit(collector, node)
        if leave is not None:
            stack.append((node, True))
        stack.extend((child, False) for child in reversed(_entered_children(node)))


def descendants(root: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """The node and every node below it that `walk` enters (any order; iterative, like `walk`): whitespace,
    comments, commas and parentheses are left out. Not libcst's `node.children`, which runs the visitor protocol
    (rebuilding each child) and made a scope's scan cost more than its parse (issue 17)."""
    pending = [root]
    while pending:
        node = pending.pop()
        yield node
        pending.extend(_entered_children(node))


def _entered_children(node: cst.CSTNode) -> list[cst.CSTNode]:
    """The children `walk` enters, in source order, read from the node type's field table."""
    children: list[cst.CSTNode] = []
    for field_name in _FIELDS[type(node)]:
        value = getattr(node, field_name)
        value_type = type(value)
        if value_type is tuple or value_type is list:
            children.extend(child for child in value if _ENTERED[type(child)])
        elif _ENTERED[value_type]:
            children.append(value)
    return children
