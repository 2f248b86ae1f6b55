"""Guards that keep an operation off its unsafe point, understood for the forward value and the gradient apart.

`where(d > 0, a / d, c)` never *takes* a / d at d = 0, so its forward value is safe (no NAN002); but where()
evaluates both branches and differentiates both, so the gradient at d = 0 is still NaN (NAN007's alone).
`cond(any(mask), lambda: sum(x * mask) / sum(mask), ...)` runs the division only when the mask is non-empty,
so neither its value nor its gradient is at risk. `where(v >= 0, log(v), ...)` tests v but lets v = 0 through:
that condition is no guard at all.

`Guards.around(node, site)` lists the facts that hold wherever `node` is evaluated *and its value used*, from
the where() branches and cond() branches it sits in; `Guards.verdict(facts, operand, domain)` says whether they
exclude the unsafe point of an operation on `operand`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import libcst as cst

from nanlint.analysis.module import ModuleAnalysis, Site
from nanlint.analysis.operations import Op, normalize
from nanlint.analysis.values import argument
from nanlint.analysis.walk import descendants


class Domain(enum.Enum):
    """The unsafe point of an operation on its operand."""

    NONZERO = "division"  # a / x needs x != 0
    POSITIVE = "log"  # log(x) needs x > 0; so does the gradient of sqrt(x)


class Verdict(enum.Enum):
    EXCLUDED = "excluded"  # a fact keeps the operand off the unsafe point
    ADMITTED = "admitted"  # a fact tests the operand but lets the unsafe point through (`v >= 0` for log)
    UNRELATED = "unrelated"  # nothing tests the operand


@dataclass(frozen=True)
class Fact:
    """`operand relation bound` holds (bound None: a bound that is not a known number, like `eps`), or for
    relation "any": the operand, a mask, has at least one true element."""

    operand: str  # normalized source
    relation: str  # ">", ">=", "<", "<=", "!=", "==", "any"
    bound: float | None
    condition: cst.CSTNode  # for messages

    def negated(self) -> Fact | None:
        if self.relation == "any":
            return None
        return Fact(self.operand, _NEGATION[self.relation], self.bound, self.condition)


@dataclass(frozen=True)
class Guarded:
    """A fact around a node, and the where()/cond() call it comes from."""

    fact: Fact
    guard: cst.Call
    kind: str  # "where" | "cond"


_NEGATION = {">": "<=", ">=": "<", "<": ">=", "<=": ">", "!=": "==", "==": "!="}
_FLIP = {">": "<", ">=": "<=", "<": ">", "<=": ">=", "!=": "!=", "==": "=="}
_OPERATORS = {cst.GreaterThan: ">", cst.GreaterThanEqual: ">=", cst.LessThan: "<", cst.LessThanEqual: "<=",
              cst.NotEqual: "!=", cst.Equal: "=="}
_COMPARISON_CALLS = {"greater": ">", "greater_equal": ">=", "less": "<", "less_equal": "<=", "not_equal": "!=",
                     "equal": "=="}
_ANY_CALLS = {"any", "reduce_any"}
_AND_CALLS = {"logical_and"}
_NOT_CALLS = {"logical_not"}
_COND_CALLS = {"cond"}
_ALL_CALLS = {"reduce_all", "all"}
_ASSERT_AGAINST_ZERO = {"assert_positive": ">", "assert_negative": "<", "assert_none_equal": "!="}
_ASSERT_COMPARISONS = {"assert_greater": ">", "assert_greater_equal": ">=", "assert_less": "<",
                       "assert_less_equal": "<="}
_COUNTING = {"reduce_sum", "sum", "count_nonzero", "cast", "reduce_mean", "mean"}


class Guards:
    def __init__(self, analysis: ModuleAnalysis) -> None:
        self.analysis = analysis
        # node id -> the where/cond branches around it: (call, "where" | "cond", branch index, its site)
        self._around: dict[int, list[tuple[cst.Call, str, int, Site]]] = {}
        for call in analysis.calls:
            kind = self._guard_kind(call.node)
            if kind is None:
                continue
            for index, branch in self._branches(call.node, kind):
                for node in descendants(branch):
                    self._around.setdefault(id(node), []).append((call.node, kind, index, call.site))

    # -- public -----------------------------------------------------------------------------
    def around(self, node: cst.CSTNode, site: Site | None = None) -> list[Guarded]:
        """The facts that hold wherever `node`'s value is used: from the where()/cond() branches around it, and
        (given its site) from the asserts that run before it in its function (`tf.debugging.assert_positive(n)`,
        `tf.Assert(reduce_all(greater(n, 0)), ...)`): an asserted invariant makes the program stop, not NaN."""
        found = self._asserted(site) if site is not None else []
        for call, kind, index, site in self._around.get(id(node), ()):
            condition = argument(call, 0, "condition" if kind == "where" else "pred")
            if condition is None:
                continue
            facts = self.facts(condition, site)
            if index == 2:  # where's y / cond's false branch: the condition is false there
                facts = [negated for negated in (fact.negated() for fact in facts) if negated is not None] \
                    if len(facts) == 1 else []
            found.extend(Guarded(fact, call, kind) for fact in facts)
        return found

    def verdict(self, guards: list[Guarded], operand: cst.BaseExpression, domain: Domain,
                site: Site) -> tuple[Verdict, Guarded | None]:
        """Whether the guards keep `operand` off the unsafe point of `domain`."""
        spelled = _spelled(self.analysis, operand)
        counted = self._counted_mask(operand, site)
        admitted = None
        for guarded in guards:
            fact = guarded.fact
            if fact.relation == "any":
                if counted is not None and counted == fact.operand:
                    return Verdict.EXCLUDED, guarded
                continue
            if fact.operand != spelled:
                continue
            if _excludes(fact, domain):
                return Verdict.EXCLUDED, guarded
            admitted = admitted or guarded
        return (Verdict.ADMITTED, admitted) if admitted is not None else (Verdict.UNRELATED, None)

    def facts(self, condition: cst.BaseExpression, site: Site) -> list[Fact]:
        """What a condition asserts: comparisons (either side constant), greater()/not_equal()/..., any(mask),
        conjunctions of those (`&`, `and`, logical_and), negations, names bound to conditions."""
        condition, _ = self.analysis.binder.follow(condition, site)
        if isinstance(condition, cst.Comparison):
            return self._comparison(condition, site)
        if isinstance(condition, cst.BooleanOperation) and isinstance(condition.operator, cst.And) or \
                isinstance(condition, cst.BinaryOperation) and isinstance(condition.operator, cst.BitAnd):
            return self.facts(condition.left, site) + self.facts(condition.right, site)
        if isinstance(condition, cst.UnaryOperation) and isinstance(condition.operator, (cst.Not, cst.BitInvert)):
            inner = self.facts(condition.expression, site)
            return [negated for negated in (fact.negated() for fact in inner) if negated is not None] \
                if len(inner) == 1 else []
        if isinstance(condition, cst.Call):
            last = self._name(condition.func).rsplit(".", 1)[-1]
            first, second = argument(condition, 0, "x"), argument(condition, 1, "y")
            if last in _COMPARISON_CALLS and first is not None and second is not None:
                return self._pair(first, _COMPARISON_CALLS[last], second, condition, site)
            if last in _AND_CALLS and first is not None and second is not None:
                return self.facts(first, site) + self.facts(second, site)
            if last in _NOT_CALLS and first is not None:
                inner = self.facts(first, site)
                return [negated for negated in (fact.negated() for fact in inner) if negated is not None] \
                    if len(inner) == 1 else []
            if last in _ANY_CALLS and first is not None:
                return [Fact(_spelled(self.analysis, first), "any", None, condition)]
            if last in _ALL_CALLS and first is not None:
                return self.facts(first, site)  # every element satisfies it
        return []

    # -- internals --------------------------------------------------------------------------
    def _asserted(self, site: Site) -> list[Guarded]:
        found: list[Guarded] = []
        for call in self.analysis.calls:
            if call.site.scope is not site.scope or call.site.seq >= site.seq:
                continue
            last = self._name(call.node.func).rsplit(".", 1)[-1]
            first, second = argument(call.node, 0, "x"), argument(call.node, 1, "y")
            facts: list[Fact] = []
            if last == "Assert" and first is not None:
                facts = self.facts(first, call.site)
            elif last in _ASSERT_AGAINST_ZERO and first is not None:
                facts = [Fact(_spelled(self.analysis, first), _ASSERT_AGAINST_ZERO[last], 0.0, call.node)]
            elif last in _ASSERT_COMPARISONS and first is not None and second is not None:
                facts = self._pair(first, _ASSERT_COMPARISONS[last], second, call.node, call.site)
            found.extend(Guarded(fact, call.node, "assert") for fact in facts)
        return found

    def _guard_kind(self, call: cst.Call) -> str | None:
        if self.analysis.op_of_call(call) is Op.WHERE and len(call.args) >= 3:
            return "where"  # NumPy's too: its forward value is guarded the same way
        name = self._name(call.func)
        if name.rsplit(".", 1)[-1] in _COND_CALLS and name.startswith(("tensorflow.", "keras.")):
            return "cond"
        return None

    def _branches(self, call: cst.Call, kind: str) -> list[tuple[int, cst.CSTNode]]:
        names = (("x", "y") if kind == "where" else ("true_fn", "false_fn"))
        branches: list[tuple[int, cst.CSTNode]] = []
        for index, keyword in ((1, names[0]), (2, names[1])):
            branch = argument(call, index, keyword)
            if branch is None:
                continue
            if kind == "cond" and isinstance(branch, cst.Name):
                # `cond(pred, true_fn, false_fn)` with local functions: their bodies are the branches
                function = self.analysis.binder.local_function(self.analysis.sites[call].scope, branch.value)
                if function is not None:
                    branches.append((index, function.node))
                continue
            branches.append((index, branch))
        return branches

    def _comparison(self, node: cst.Comparison, site: Site) -> list[Fact]:
        facts = []
        left = node.left
        for target in node.comparisons:
            relation = _OPERATORS.get(type(target.operator))
            if relation is not None:
                facts.extend(self._pair(left, relation, target.comparator, node, site))
            left = target.comparator
        return facts

    def _pair(self, left: cst.BaseExpression, relation: str, right: cst.BaseExpression, node: cst.CSTNode,
              site: Site) -> list[Fact]:
        constants = self.analysis.values
        right_value, left_value = constants.constant(right, site), constants.constant(left, site)
        if left_value is not None and right_value is None:
            left, right, relation, right_value = right, left, _FLIP[relation], left_value
        subject = _unwrap_abs(self.analysis, left)
        if subject is not left and relation in (">", ">=") and (right_value is None or right_value >= 0):
            # |x| > c with c >= 0: x != 0
            return [Fact(_spelled(self.analysis, subject), "!=", 0.0, node)]
        return [Fact(_spelled(self.analysis, left), relation, right_value, node)]

    def _counted_mask(self, operand: cst.BaseExpression, site: Site) -> str | None:
        """`m` when the operand is (a name bound to) sum/count_nonzero/mean of (a cast of) m."""
        expr, _ = self.analysis.binder.follow(operand, site)
        seen = False
        for _ in range(6):
            if not isinstance(expr, cst.Call) or self._name(expr.func).rsplit(".", 1)[-1] not in _COUNTING:
                break
            seen = True
            inner = argument(expr, 0, "x") or argument(expr, 0, "input_tensor")
            if inner is None:
                return None
            expr = inner  # the mask is named as the condition names it: not followed to its definition
        return _spelled(self.analysis, expr) if seen else None

    def _name(self, expr: cst.BaseExpression) -> str:
        qualified = self.analysis.qualified_name(expr)
        if qualified is not None:
            return normalize(qualified)
        return expr.attr.value if isinstance(expr, cst.Attribute) else ""


def _excludes(fact: Fact, domain: Domain) -> bool:
    bound, relation = fact.bound, fact.relation
    if relation == ">":
        return bound is None or bound >= 0
    if relation == ">=":
        return bound is None or bound > 0
    if relation == "<":
        return domain is Domain.NONZERO and (bound is None or bound <= 0)
    if relation == "<=":
        return domain is Domain.NONZERO and bound is not None and bound < 0
    if relation == "!=":
        return bound == 0
    if relation == "==":
        return bound is not None and bound != 0 and (domain is Domain.NONZERO or bound > 0)
    return False


def _unwrap_abs(analysis: ModuleAnalysis, expr: cst.BaseExpression) -> cst.BaseExpression:
    if isinstance(expr, cst.Call) and analysis.op_of_call(expr) is Op.ABS and expr.args:
        return expr.args[0].value
    return expr


def _spelled(analysis: ModuleAnalysis, expr: cst.BaseExpression) -> str:
    return " ".join(analysis.code_of(expr).split())
