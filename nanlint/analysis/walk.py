"""A read-only traversal of a libcst tree, several times faster than `module.visit(visitor)`.

libcst's visitor protocol rebuilds every node on the way back up and calls attribute hooks for every
field; the analysis only reads the tree, so this walker follows the dataclass fields that hold nodes
and calls `visit_<Type>` / `leave_<Type>` on the collector, with the same names libcst uses.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Iterator

import libcst as cst

# Fields that never contain anything the analysis looks at (whitespace, commas, parentheses).
_SKIPPED_TYPES = (cst.BaseParenthesizableWhitespace, cst.Comma, cst.LeftParen, cst.RightParen, cst.Semicolon,
                  cst.Newline, cst.EmptyLine, cst.TrailingWhitespace)


class _FieldsOf(dict[type, tuple[str, ...]]):
    """node type -> the names of its fields that may hold nodes the analysis reads (computed once per type), in
    reverse source order: the walks push children on a stack, so the last field is pushed first."""

    def __missing__(self, node_type: type) -> tuple[str, ...]:
        names = tuple(
            f.name for f in reversed(dataclasses.fields(node_type))
            # a `str` field (Name.value, Integer.value) never holds a node: not worth a getattr per leaf
            if f.type is not str and not f.name.startswith("whitespace")
            and f.name not in ("lpar", "rpar", "comma", "semicolon", "leading_lines", "lines_after_decorators",
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


class _HooksOf(dict[type, tuple[Callable[..., object] | None, Callable[..., object] | None]]):
    """node type -> a collector type's (visit_X, leave_X) methods for it, libcst's names (None where absent)."""

    def __init__(self, collector_type: type) -> None:
        super().__init__()
        self.collector_type = collector_type

    def __missing__(self, node_type: type) -> tuple[Callable[..., object] | None, Callable[..., object] | None]:
        name = node_type.__name__
        hooks = (getattr(self.collector_type, f"visit_{name}", None),
                 getattr(self.collector_type, f"leave_{name}", None))
        self[node_type] = hooks
        return hooks


_FIELDS = _FieldsOf()
_ENTERED = _Entered()
_HOOKS: dict[type, _HooksOf] = {}  # collector type -> its hooks


def walk(root: cst.CSTNode, collector: object) -> None:
    """Depth-first, source-ordered: `visit_X(node)` before the children, `leave_X(node)` after.

    Iterative, so a 1,000-term sum or 1,000 nested unary minuses (valid Python) cannot overflow the stack. This
    loop runs once per node of every linted file (half a million on 400 files): the children are pushed straight
    from the field table (no list per node), and a pending `leave_X` is pushed as a call bound to its node."""
    hooks_of = _HOOKS.get(type(collector)) or _HOOKS.setdefault(type(collector), _HooksOf(type(collector)))
    fields_of, entered = _FIELDS, _ENTERED
    stack: list[object] = [root]
    pop, push = stack.pop, stack.append
    while stack:
        node = pop()
        node_type = type(node)
        if node_type is _Leave:
            node()  # type: ignore[operator]  # a pending leave hook
            continue
        visit, leave = hooks_of[node_type]
        if visit is not None:
            visit(collector, node)
        if leave is not None:
            push(_Leave(leave, collector, node))
        for field_name in fields_of[node_type]:
            value = getattr(node, field_name)
            value_type = type(value)
            if value_type is tuple or value_type is list:
                for child in reversed(value):
                    if entered[type(child)]:
                        push(child)
            elif entered[value_type]:
                push(value)


_Leave = functools.partial  # a leave hook bound to its collector and node, waiting on the walk's stack


def descendants(root: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """The node and every node below it that `walk` enters (any order; iterative, like `walk`): whitespace,
    comments, commas and parentheses are left out. Not libcst's `node.children`, which runs the visitor protocol
    (rebuilding each child) and made a scope's scan cost more than its parse (issue 17)."""
    fields_of, entered = _FIELDS, _ENTERED
    pending = [root]
    pop, push = pending.pop, pending.append
    while pending:
        node = pop()
        yield node
        # the order of `walk`'s stack, mirrored: the callers were written against this order
        for field_name in reversed(fields_of[type(node)]):
            value = getattr(node, field_name)
            value_type = type(value)
            if value_type is tuple or value_type is list:
                for child in value:
                    if entered[type(child)]:
                        push(child)
            elif entered[value_type]:
                push(value)


def children(node: cst.CSTNode) -> list[cst.CSTNode]:
    """The children `walk` enters, in source order (for walks that carry their own context down the tree)."""
    found: list[cst.CSTNode] = []
    for field_name in reversed(_FIELDS[type(node)]):  # the table is in reverse order, for the walks' stacks
        value = getattr(node, field_name)
        value_type = type(value)
        if value_type is tuple or value_type is list:
            found.extend(child for child in value if _ENTERED[type(child)])
        elif _ENTERED[value_type]:
            found.append(value)
    return found


def name_reads(root: cst.CSTNode) -> Iterator[cst.Name]:
    """The names read below `root`: not an attribute's own name (`.attr`), a keyword (`axis=`) or an assignment
    target."""
    not_reads: set[int] = set()
    for node in descendants(root):
        if isinstance(node, cst.Attribute):
            not_reads.add(id(node.attr))
        elif isinstance(node, cst.Arg) and node.keyword is not None:
            not_reads.add(id(node.keyword))
        elif isinstance(node, cst.AssignTarget):
            not_reads.add(id(node.target))
        elif isinstance(node, cst.Name) and id(node) not in not_reads:
            yield node


def body_statements(node: cst.CSTNode) -> list[cst.BaseStatement]:
    """The statements directly in a module or a function body (none for anything else)."""
    if isinstance(node, cst.Module):
        return list(node.body)
    body = getattr(node, "body", None) if isinstance(node, cst.FunctionDef) else None
    return list(body.body) if isinstance(body, cst.IndentedBlock) else []


def suites(statement: cst.BaseCompoundStatement) -> Iterator[cst.IndentedBlock]:
    """The blocks of a compound statement: body, else (an `elif` as a block holding its If), finally, every
    except handler and match case."""
    for field in ("body", "orelse", "finalbody"):
        part = getattr(statement, field, None)
        if isinstance(part, cst.If):
            part = cst.IndentedBlock(body=[part])
        elif part is not None and not isinstance(part, cst.IndentedBlock):
            part = getattr(part, "body", None)
        if isinstance(part, cst.IndentedBlock):
            yield part
    for handler in getattr(statement, "handlers", ()) or ():
        if isinstance(handler.body, cst.IndentedBlock):
            yield handler.body
    for case in getattr(statement, "cases", ()) or ():
        if isinstance(case.body, cst.IndentedBlock):
            yield case.body
