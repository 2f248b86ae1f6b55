"""What Python's own control flow establishes at a point: the tests that hold there because of the statements
around it and before it.

A statement guard keeps an operation off its unsafe point as surely as where() does, and more: the branch that is
not taken never runs, so neither its value nor its gradient exists. Understood, within one function body (or the
module body):

- an enclosing `if test:` (the test holds in its body, its negation in the `else`, and in an `elif` every earlier
  test of the chain is false), an enclosing `while test:` (in its body);
- an early exit before the point, in the same block or an enclosing one: `if test: ... return` (or `raise`,
  `continue`, `break`; each branch of the chain up to that one ending in an exit) makes `not test` hold after the
  `if`; `if test: ... else: return` makes `test` hold;
- `assert test` before the point, in the same block or an enclosing one;
- `a[test] = c` before the point (`norm[norm == 0] = 1`): the entries that passed the test were replaced by `c`
  (guards.py decides whether `c` is safe);
- `with np.errstate(divide=..., invalid=...)` around the point: the author chose what a 0 divisor does.

Not understood: what a loop leaves behind (`while d == 0: ...` ends with d != 0), exits through a call
(`sys.exit()`, a helper that raises), `try`/`except ZeroDivisionError`, facts established in another function or
before a nested function is defined (it runs later), `match` statements. Whether the tested names still hold the
tested values at the point is guards.py's question: a condition carries the statement that tests it (its place
in source order) and the loops entered since, in which a name may be reassigned after the point.
"""

from __future__ import annotations

import bisect
import enum
from collections.abc import Sequence
from dataclasses import dataclass, replace

import libcst as cst

from nanlint.analysis.module import ModuleAnalysis, Scope, Site
from nanlint.analysis.walk import descendants


class ConditionKind(enum.Enum):
    IF = "if"  # an enclosing if/elif/else
    WHILE = "while"  # an enclosing while loop's test
    EXIT = "exit"  # an earlier `if test: return/raise/continue/break`
    ASSERT = "assert"  # an earlier `assert test`
    REPLACED = "replaced"  # an earlier `a[test] = value`
    ERRSTATE = "errstate"  # an enclosing `with np.errstate(...)`


@dataclass(frozen=True)
class Condition:
    """`test` holds at the point (its negation when `holds` is False)."""

    test: cst.BaseExpression  # the tested expression; for REPLACED the index, for ERRSTATE the errstate call
    holds: bool
    kind: ConditionKind
    statement: cst.CSTNode  # the statement that tests it (its source-order place: `statement_seqs`)
    loops: tuple[cst.CSTNode, ...] = ()  # loops entered between that statement and the point
    target: cst.BaseExpression | None = None  # REPLACED: the array written (`norm` in `norm[norm == 0] = 1`)
    value: cst.BaseExpression | None = None  # REPLACED: what its entries are replaced by


_EXITS = (cst.Return, cst.Raise, cst.Continue, cst.Break)
# np.errstate keywords that say what a division by 0 (or a log of 0) does
_ERRSTATE_KEYWORDS = frozenset({"divide", "invalid", "all"})

Conditions = tuple[Condition, ...]


class StatementConditions:
    """The conditions at each statement of a scope, computed once per scope, on the first question about it."""

    def __init__(self, analysis: ModuleAnalysis) -> None:
        self.analysis = analysis
        self._by_scope: dict[int, dict[int, Conditions]] = {}
        # the statements in source order (their `statement_seqs`), to find the statement a position lies in
        self._order: tuple[list[int], list[cst.CSTNode]] | None = None
        # the if statements inside a loop of their scope: a binding in one branch reaches the other on a later pass
        self._looped: set[int] = set()

    def exclusive(self, scope: Scope, first: int, second: int) -> bool:
        """The code at source position `first` and the code at `second` (of `scope`, `first` earlier) never run in
        the same call of the scope: they lie in opposite branches of one `if` (`if c: x = a else: use(x)`), or in
        opposite branches of two `if`s testing the same flag (a name or `a.b`), which nothing in the scope
        assigns after the first test (`if FLAGS.pointer_gen: d = mix(p) else: d = p` ... `if FLAGS.pointer_gen:
        log(d)` reads the mix). A branch inside a loop is left alone: a later pass reaches the other branch."""
        before, after = self._at_position(scope, first), self._at_position(scope, second)
        for bound in before:
            if bound.kind is not ConditionKind.IF or bound.loops or id(bound.statement) in self._looped:
                continue
            for used in after:
                if used.kind is not ConditionKind.IF or used.holds is bound.holds:
                    continue
                if used.statement is bound.statement:
                    return True
                if _flag(bound.test) is not None and self.analysis.code_of(used.test) == \
                        self.analysis.code_of(bound.test) and not self._assigned_after(scope, bound):
                    return True
        return False

    def _assigned_after(self, scope: Scope, condition: Condition) -> bool:
        """The scope assigns the name the test reads anywhere after the test (a loop may bring it back)."""
        name = _flag(condition.test)
        start = self.analysis.statement_seqs.get(condition.statement, 0)
        return any(seq > start for seq, _ in scope.assignments.get(name or "", ()))

    def _at_position(self, scope: Scope, seq: int) -> Conditions:
        """The conditions at the statement of `scope` that source position `seq` lies in (the innermost one that
        starts before it; a one-line `if` body is read as the `if` itself)."""
        if self._order is None:
            ordered = sorted(self.analysis.statement_seqs.items(), key=lambda item: item[1])
            self._order = ([seq for _, seq in ordered], [statement for statement, _ in ordered])
        seqs, statements = self._order
        index = bisect.bisect_right(seqs, seq) - 1
        return self._scope(scope).get(id(statements[index]), ()) if index >= 0 else ()

    def at(self, site: Site, node: cst.CSTNode | None = None) -> Conditions:
        """The conditions that hold where `node` (at `site`) is evaluated. A one-line body (`if d: x = a / d`)
        has no statement of its own: its nodes' site is the `if`, so `node` tells the body from the test. A
        lambda's body is part of the statement that makes it: the conditions there are those of that statement in
        the enclosing function (`if n > 1: ds.map(lambda s: k * s["d"] / (n - 1))`, spleeter's segments)."""
        scope = site.scope
        while isinstance(scope.node, cst.Lambda) and scope.parent is not None:
            scope = scope.parent
        found = self._scope(scope)
        statement = site.statement
        if node is not None and isinstance(statement, (cst.If, cst.While, cst.For, cst.With)):
            for suite in _one_line_suites(statement):
                if id(suite) in found and any(inner is node for inner in descendants(suite)):
                    return found[id(suite)]
        return found.get(id(statement), ())

    def _scope(self, scope: Scope) -> dict[int, Conditions]:
        found = self._by_scope.get(id(scope))
        if found is None:
            found = {}
            node = scope.node
            if isinstance(node, cst.Module):
                self._block(node.body, (), found)
            elif isinstance(node, cst.FunctionDef):
                self._suite(node.body, (), found)
            self._by_scope[id(scope)] = found
        return found

    def _suite(self, suite: cst.BaseSuite, known: Conditions, found: dict[int, Conditions]) -> None:
        if isinstance(suite, cst.IndentedBlock):
            self._block(suite.body, known, found)
        else:
            found[id(suite)] = known  # a one-line body (`if d: return a / d`)

    def _block(self, statements: Sequence[cst.BaseStatement], known: Conditions,
               found: dict[int, Conditions]) -> None:
        """Each statement of a block sees the block's conditions plus what the statements before it established."""
        for statement in statements:
            found[id(statement)] = known
            if isinstance(statement, cst.SimpleStatementLine):
                known = known + self._established(statement)
            elif isinstance(statement, cst.If):
                self._if(statement, known, found)
                known = known + _exits(statement)
            else:
                self._compound(statement, known, found)

    def _compound(self, statement: cst.BaseStatement, known: Conditions, found: dict[int, Conditions]) -> None:
        if isinstance(statement, (cst.For, cst.While)):
            self._looped.update(id(node) for node in descendants(statement) if isinstance(node, cst.If))
            # a name assigned anywhere in the loop may differ on the next pass
            inside = tuple(replace(condition, loops=(*condition.loops, statement)) for condition in known)
            if isinstance(statement, cst.While):
                inside += (Condition(statement.test, True, ConditionKind.WHILE, statement),)
            self._suite(statement.body, inside, found)
            if statement.orelse is not None:
                self._suite(statement.orelse.body, known, found)
        elif isinstance(statement, cst.With):
            self._suite(statement.body, known + self._errstate(statement), found)
        elif isinstance(statement, cst.Try):
            for suite in (statement.body, *(handler.body for handler in statement.handlers),
                          *(part.body for part in (statement.orelse, statement.finalbody) if part is not None)):
                self._suite(suite, known, found)
        elif isinstance(statement, cst.ClassDef):
            self._suite(statement.body, known, found)  # a class body runs where it stands, in the same scope

    def _if(self, statement: cst.If, known: Conditions, found: dict[int, Conditions]) -> None:
        """Each branch of an if/elif/else chain: its own test holds, every earlier one is false."""
        current: cst.If = statement
        earlier: Conditions = ()
        while True:
            found[id(current)] = known + earlier  # an elif's test is read where the earlier tests failed
            self._suite(current.body, known + earlier + (Condition(current.test, True, ConditionKind.IF, current),),
                        found)
            earlier += (Condition(current.test, False, ConditionKind.IF, current),)
            orelse = current.orelse
            if isinstance(orelse, cst.If):
                current = orelse
                continue
            if isinstance(orelse, cst.Else):
                self._suite(orelse.body, known + earlier, found)
            return

    def _established(self, line: cst.SimpleStatementLine) -> Conditions:
        """`assert test` and `a[test] = value` on a line: what holds after it."""
        found: list[Condition] = []
        for small in line.body:
            if isinstance(small, cst.Assert):
                found.append(Condition(small.test, True, ConditionKind.ASSERT, line))
            elif isinstance(small, cst.Assign) and len(small.targets) == 1:
                target = small.targets[0].target
                if isinstance(target, cst.Subscript) and len(target.slice) == 1 \
                        and isinstance(target.slice[0].slice, cst.Index):
                    found.append(Condition(target.slice[0].slice.value, False, ConditionKind.REPLACED, line,
                                           target=target.value, value=small.value))
        return tuple(found)

    def _errstate(self, statement: cst.With) -> Conditions:
        for item in statement.items:
            call = item.item
            if isinstance(call, cst.Call) and self.analysis.qualified_name(call.func) == "numpy.errstate" and any(
                    arg.keyword is not None and arg.keyword.value in _ERRSTATE_KEYWORDS for arg in call.args):
                return (Condition(call, True, ConditionKind.ERRSTATE, statement),)
        return ()


def _flag(test: cst.BaseExpression) -> str | None:
    """The name a flag test reads: `flag`, `FLAGS.pointer_gen` (the name `FLAGS`); None for other tests."""
    while isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        test = test.expression
    while isinstance(test, cst.Attribute):
        test = test.value
    return test.value if isinstance(test, cst.Name) else None


def _exits(statement: cst.If) -> Conditions:
    """What holds after an `if` chain because branches of it leave the block: `not test` for each leading branch
    that ends in return/raise/continue/break; `test` when only the `else` does."""
    found: list[Condition] = []
    current: cst.If = statement
    while _terminates(current.body):
        found.append(Condition(current.test, False, ConditionKind.EXIT, current))
        if not isinstance(current.orelse, cst.If):
            break
        current = current.orelse
    orelse = statement.orelse
    if not found and isinstance(orelse, cst.Else) and _terminates(orelse.body):
        found.append(Condition(statement.test, True, ConditionKind.EXIT, statement))
    return tuple(found)


def _terminates(suite: cst.BaseSuite) -> bool:
    """The block always leaves: it ends in an exit, or in an if/else whose every branch does."""
    if isinstance(suite, cst.SimpleStatementSuite):
        return bool(suite.body) and isinstance(suite.body[-1], _EXITS)
    if not isinstance(suite, cst.IndentedBlock) or not suite.body:
        return False
    last = suite.body[-1]
    if isinstance(last, cst.SimpleStatementLine):
        return bool(last.body) and isinstance(last.body[-1], _EXITS)
    if isinstance(last, cst.If):
        orelse = last.orelse
        if orelse is None:
            return False
        rest = orelse.body if isinstance(orelse, cst.Else) else cst.IndentedBlock(body=[orelse])
        return _terminates(last.body) and _terminates(rest)
    return False


def _one_line_suites(statement: cst.BaseCompoundStatement) -> list[cst.BaseSuite]:
    """The one-line bodies of a compound statement, whose nodes' site is the statement itself."""
    suites: list[cst.BaseSuite] = [statement.body]
    orelse = getattr(statement, "orelse", None)
    if isinstance(orelse, cst.Else):
        suites.append(orelse.body)
    return [suite for suite in suites if isinstance(suite, cst.SimpleStatementSuite)]
