"""Guards that keep an operation off its unsafe point, understood for the forward value and the gradient apart.

`where(d > 0, a / d, c)` never *takes* a / d at d = 0, so its forward value is safe (no NAN002); but where()
evaluates both branches and differentiates both, so the gradient at d = 0 is still NaN (NAN007's alone).
`cond(any(mask), lambda: sum(x * mask) / sum(mask), ...)` runs the division only when the mask is non-empty,
so neither its value nor its gradient is at risk. `where(v >= 0, log(v), ...)` tests v but lets v = 0 through:
that condition is no guard at all.

`Guards.around(node, site)` lists the facts that hold wherever `node` is evaluated *and its value used*, from
the where() branches and cond() branches it sits in; `Guards.verdict(facts, operand, domain)` says whether they
exclude the unsafe point of an operation on `operand`.

`Guards.untaken_hazards(where)` looks at each where() branch from the other side: the set of values of the
condition's subject where an operation in the branch is unsafe (log(x + 1) at x <= -1, 1 / (1 - x) at x = 1,
exp(x) above 88.72, a root at 0), solved through the affine and exponential steps between the two, against the
region where the branch is *not* taken. `where(x < 0, 1 / (1 - x), log(x + 1))` takes neither unsafe point, yet
computes both, and the gradient of each is NaN there (0 * Inf). `masked_infinities()` finds the same select
spelled as arithmetic, `x * mask + (1 - mask) * -inf`, where the dropped term is 0 * Inf = NaN.
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import cast

import libcst as cst

from nanlint.analysis.binder import END, At, Binding, BindingKind, Point
from nanlint.analysis.conditions import Condition, ConditionKind
from nanlint.analysis.module import CallSite, ModuleAnalysis, Scope, Site
from nanlint.analysis.names import called_name
from nanlint.analysis.operations import Op, normalize, operation_named
from nanlint.analysis.numerics import FLOAT32
from nanlint.analysis.ranges import excludes_zero, positive
from nanlint.analysis.arguments import argument
from nanlint.analysis.values import numeric_literal, parameter_index
from nanlint.analysis.walk import children, descendants, name_reads


# The wrappers whose callers are being read (`_returned_vanishing`), against a chain that calls itself.
_RETURNED: set[tuple[int, str, bool]] = set()

# Operations that keep a 0 a 0 entrywise or as a whole (a sum or mean of zeros, a transposed or reshaped zero).
_LINEAR = frozenset({Op.REDUCE_SUM, Op.REDUCE_MEAN, Op.TRANSPOSE, Op.RESHAPE})


class Domain(enum.Enum):
    """The unsafe point of an operation on its operand."""

    NONZERO = "division"  # a / x needs x != 0
    POSITIVE = "log"  # log(x) needs x > 0; so does the gradient of sqrt(x)


class Hazard(enum.Enum):
    """What makes an operation in a where() branch non-finite, and for which values of its operand."""

    LOG = "log"  # -Inf/NaN at operand <= 0
    DIVISION = "division"  # Inf/NaN at operand == 0
    ROOT = "sqrt"  # an Inf derivative at operand == 0 (and NaN below)
    OVERFLOW = "exp"  # Inf above 88.72 in float32


# float32's exp is Inf from 88.723 on (the numerics table)
EXP_OVERFLOW = FLOAT32.exp_overflow


@dataclass(frozen=True)
class Span:
    """An interval of real numbers (a bound of ±Inf: open on that side)."""

    low: float
    high: float
    low_closed: bool = True
    high_closed: bool = True

    def meets(self, relation: str, bound: float) -> bool:
        """Whether some value in the span satisfies `value relation bound`."""
        if relation == ">":
            return self.high > bound
        if relation == ">=":
            return self.high > bound or (self.high == bound and self.high_closed)
        if relation == "<":
            return self.low < bound
        if relation == "<=":
            return self.low < bound or (self.low == bound and self.low_closed)
        if relation == "==":
            return (self.low < bound or (self.low == bound and self.low_closed)) and \
                (bound < self.high or (bound == self.high and self.high_closed))
        if relation == "!=":
            return not (self.low == self.high == bound)
        return True

    def magnitude(self) -> Span:
        """{|v| : v in span}."""
        if self.low >= 0:
            return self
        if self.high <= 0:
            return Span(-self.high, -self.low, self.high_closed, self.low_closed)
        if self.high == -self.low:
            return Span(0.0, self.high, True, self.high_closed or self.low_closed)
        top, closed = (self.high, self.high_closed) if self.high > -self.low else (-self.low, self.low_closed)
        return Span(0.0, top, True, closed)

    def shifted(self, offset: float) -> Span:
        return Span(self.low + offset, self.high + offset, self.low_closed, self.high_closed)

    def scaled(self, factor: float) -> Span:
        """The span times a nonzero factor (a negative one swaps the ends)."""
        low, high = self.low * factor, self.high * factor
        if factor < 0:
            return Span(high, low, self.high_closed, self.low_closed)
        return Span(low, high, self.low_closed, self.high_closed)

    def logged(self) -> Span | None:
        """{v : exp(v) in span}, or None when exp never lands in it."""
        if self.high <= 0:
            return None
        low = math.log(self.low) if self.low > 0 else -math.inf
        return Span(low, math.log(self.high) if self.high < math.inf else math.inf,
                    self.low_closed and self.low > 0, self.high_closed)

    def describe(self, subject: str) -> str:
        """`x = 1`, `x <= -1`, `x > 3.65` for messages (0, not -0, where a sign change solved it)."""
        if self.low == self.high:
            return f"{subject} = {self.low + 0.0:.4g}"
        if self.low == -math.inf:
            return f"{subject} {'<=' if self.high_closed else '<'} {self.high:.4g}"
        if self.high == math.inf:
            return f"{subject} {'>=' if self.low_closed else '>'} {self.low:.4g}"
        return f"{self.low:.4g} < {subject} < {self.high:.4g}"


# The operand values at which each hazard strikes.
_UNSAFE = {Hazard.LOG: Span(-math.inf, 0.0), Hazard.DIVISION: Span(0.0, 0.0), Hazard.ROOT: Span(-math.inf, 0.0),
           Hazard.OVERFLOW: Span(EXP_OVERFLOW, math.inf, low_closed=False)}


@dataclass(frozen=True)
class UntakenHazard:
    """An operation in a where() branch that is non-finite for values only the other branch is taken at."""

    where: cst.Call
    operation: cst.CSTNode  # the log / division / sqrt / exp inside the branch
    hazard: Hazard
    operand: cst.BaseExpression
    condition: cst.CSTNode
    subject: str  # what the condition tests, as spelled: "x"
    unsafe: str  # where it strikes, in terms of the condition's subject: "x = 1", "x > 88.72"
    taken_too: bool  # the branch is also taken at some of those values (a forward hazard as well)
    branch: int = 1  # the argument of where() the operation is in: 1 (taken where the condition holds) or 2
    # a ratio whose condition tests the numerator and fills 0 (`where(i == 0, 0, i / u)`): the divisor is 0 there too
    zero_over_zero: bool = False


@dataclass(frozen=True)
class MaskedInfinity:
    """`(1 - mask) * -inf`: an infinite fill multiplied by a mask that is 0 where the fill is not wanted."""

    node: cst.CSTNode  # the product
    mask: str  # the factor that is 0, as spelled
    infinity: str  # "-Inf" or "Inf"


@dataclass(frozen=True)
class InfiniteFactor:
    """`x * inf_mask` where `inf_mask` holds an infinity among its entries (`inf_mask[i] = -np.inf`, a placeholder
    fed such an array, `np.full(shape, -np.inf)`): the gradient with respect to `x` is the factor itself."""

    node: cst.CSTNode  # the product
    factor: str  # the factor holding the infinity, as spelled
    other: cst.BaseExpression  # the factor the gradient flows into
    infinity: str  # "-Inf" or "Inf"
    origin: cst.CSTNode  # where the infinity is put into it (for messages)


_INFINITIES = {"numpy.inf", "numpy.Inf", "numpy.infty", "numpy.PINF", "math.inf"}
# Array constructors whose fill value (argument, keyword) is every entry.
_FILLS = {"full": (1, "fill_value"), "full_like": (1, "fill_value"), "fill": (1, "value")}


class Verdict(enum.Enum):
    EXCLUDED = "excluded"  # a fact keeps the operand off the unsafe point
    ADMITTED = "admitted"  # a fact tests the operand but lets the unsafe point through (`v >= 0` for log)
    UNRELATED = "unrelated"  # nothing tests the operand


@dataclass(frozen=True)
class Fact:
    """`operand relation bound` holds (bound None: a bound that is not a known number, like `eps`), or for
    relation "any": the operand, a mask, has at least one true element; for relation "errstate": the author set
    NumPy's handling of a 0 divisor (`with np.errstate(divide="ignore")`), whatever the operand."""

    operand: str  # normalized source
    relation: str  # ">", ">=", "<", "<=", "!=", "==", "any", "errstate"
    bound: float | None
    condition: cst.CSTNode  # for messages
    # the operand is the magnitude of this (`tf.abs(x) < 0.1`: "x"), whose spans map to the operand's through abs
    magnitude_of: str | None = None

    def negated(self) -> Fact | None:
        if self.relation in ("any", "errstate"):
            return None
        return Fact(self.operand, _NEGATION[self.relation], self.bound, self.condition, self.magnitude_of)


@dataclass(frozen=True)
class Guarded:
    """A fact around a node, and the where()/cond() call or the statement it comes from."""

    fact: Fact
    guard: cst.CSTNode
    kind: str  # "where" | "cond" | "assert" | "python" (a conditional expression, and/or) | a ConditionKind's value


_NEGATION = {">": "<=", ">=": "<", "<": ">=", "<=": ">", "!=": "==", "==": "!="}
_FLIP = {">": "<", ">=": "<=", "<": ">", "<=": ">=", "!=": "!=", "==": "=="}
_OPERATORS = {cst.GreaterThan: ">", cst.GreaterThanEqual: ">=", cst.LessThan: "<", cst.LessThanEqual: "<=",
              cst.NotEqual: "!=", cst.Equal: "=="}
_COMPARISON_OPS = {Op.GREATER: ">", Op.GREATER_EQUAL: ">=", Op.LESS: "<", Op.LESS_EQUAL: "<=", Op.NOT_EQUAL: "!=",
                   Op.EQUAL: "=="}
_COND_CALLS = {"cond"}
_ASSERT_AGAINST_ZERO = {"assert_positive": ">", "assert_negative": "<", "assert_none_equal": "!="}
_ASSERT_COMPARISONS = {"assert_greater": ">", "assert_greater_equal": ">=", "assert_less": "<",
                       "assert_less_equal": "<="}
_COUNTING = {Op.REDUCE_SUM, Op.COUNT_NONZERO, Op.CAST, Op.REDUCE_MEAN}


# Calls that read only their argument's shape and dtype (a fill of the same shape), never its values.
_SHAPE_READS = frozenset({"zeros_like", "ones_like", "full_like", "fill_like"})


# Selections that can replace a NaN they test for, and the keyword of their condition.
_NAN_REPAIRS = {"where": "condition", "cond": "pred"}


class Guards:
    def __init__(self, analysis: ModuleAnalysis) -> None:
        self.analysis = analysis
        # node id -> the where/cond branches around it: (call, "where" | "cond", branch index, its site)
        self._around: dict[int, list[tuple[cst.Call, str, int, Site]]] = {}
        self._entries: dict[int, dict[str, list[cst.Assign]]] = {}  # scope node id -> entry_assignments
        # statement id -> {node id: the Python conditions its nodes are evaluated under}: _expression_conditions
        self._in_expressions: dict[int, dict[int, tuple[tuple[cst.BaseExpression, bool], ...]]] = {}
        self._assigned_in_loop: dict[int, frozenset[str]] = {}
        self._facts_of: dict[int, list[Fact]] = {}  # id(Condition) -> _condition_facts (conditions are kept alive)
        # id(scope) -> its assert calls in source order, with what each asserts (`_asserted` is asked once per
        # operation: scanning every call of the module each time was quadratic, 145 s on a 3,000-line file)
        self._assertions: dict[int, list[tuple[CallSite, list[Fact]]]] | None = None
        # id(scope node) -> the `if isnan(r):` statements in it, as (seq, r), scanned once per scope
        self._nan_tests: dict[int, list[tuple[int, str]]] = {}
        self._compared: frozenset[int] | None = None  # ids of the module's comparisons' operands
        # id(scope node) -> its simple lines' name reads by name, and the names read elsewhere: _simple_reads
        self._simple_reads_of: dict[int, tuple[dict[str, list[tuple[cst.CSTNode, int, list[cst.Name]]]],
                                               frozenset[str]]] = {}
        for call in analysis.calls:
            kind = self._guard_kind(call.node)
            if kind is None:
                continue
            for index, branch in self._branches(call.node, kind):
                for node in descendants(branch):
                    self._around.setdefault(id(node), []).append((call.node, kind, index, call.site))

    # -- public -----------------------------------------------------------------------------
    def excluded(self, node: cst.CSTNode, operand: cst.BaseExpression, domain: Domain, site: Site,
                 gradient: bool = False, point: float = 0.0) -> bool:
        """Whether something keeps `operand` of the operation `node` off the unsafe point of `domain` wherever the
        operation runs: a guard around it (`around`), or an operand that only selects safe entries
        (`den[den > 0]`, `den[mask]` with `mask = den > eps`, `den[np.nonzero(den)]`). With `gradient`, for a
        finding that is also about the gradient: not a where(), which computes (and differentiates) both branches.
        `point` moves the unsafe point: 1 for a `1 - p` that must not be 0 (`elif p == 1: ...; else: log(1 - p)`)."""
        if point == 0.0 and self._selected_safely(operand, domain, site):
            return True
        guards = [guarded for guarded in self.around(node, site) if not (gradient and guarded.kind == "where")]
        expr: cst.BaseExpression = operand
        while guards:
            if self.verdict(guards, expr, domain, site, point)[0] is Verdict.EXCLUDED:
                return True
            if not isinstance(expr, cst.Subscript):
                return False
            expr = expr.value  # entries of an array kept off the point are off it too (`NI[NI == 0] = 1; NI[idx]`)
        return False

    def around(self, node: cst.CSTNode, site: Site | None = None) -> list[Guarded]:
        """The facts that hold wherever `node`'s value is used: from the where()/cond() branches around it;
        from Python's own control flow (conditions.py: enclosing if/while, earlier early exits and asserts,
        `a[a == 0] = 1`, `np.errstate`) as long as the tested names still hold the tested values; from the
        conditional expressions around it in its statement (`a / d if d != 0 else 0`, `d != 0 and a / d > 1`,
        `[a / d for d in ds if d]`) and a NumPy `where=` argument (`np.divide(a, d, where=d != 0, out=...)`); and
        (given its site) from the asserts that run before it in its function (`tf.debugging.assert_positive(n)`,
        `tf.Assert(reduce_all(greater(n, 0)), ...)`): an asserted invariant makes the program stop, not NaN."""
        found = self._asserted(site) if site is not None else []
        site = site or self.analysis.sites.get(node)
        if site is not None:
            found.extend(Guarded(fact, condition.statement, condition.kind.value)
                         for condition, fact in self._statement_facts(site, node))
            found.extend(self._expression_guards(node, site))
        for call, kind, index, site in self._around.get(id(node), ()):
            condition = argument(call, 0, "condition" if kind == "where" else "pred")
            if condition is None:
                continue
            facts = self.facts(condition, site)
            if index == 2:  # where's y / cond's false branch: the condition is false there
                facts = _negated(facts)
            found.extend(Guarded(fact, call, kind) for fact in facts)
        return found

    def repaired_downstream(self, site: Site) -> bool:
        """The statement at `site` assigns a value that a later `where(isnan(r), fallback, r)` in the same function
        repairs, `r` being computed from it (`scale = 255 / (high - low)`, ..., `result = where(is_nan(result),
        original, result)`, keras' auto_contrast): the author replaces the NaN, so the forward value is guarded the
        way a where() around the division guards it (the gradient through where's untaken branch is NAN007's)."""
        repaired = self._nan_repaired_names(site)
        return bool(repaired) and bool(self._derived_later(site) & repaired)

    def replaced_downstream(self, site: Site, operand: cst.BaseExpression, domain: Domain, point: float = 0.0) -> bool:
        """The statement at `site` assigns a value that a later where() in the same function takes only where its
        condition keeps `operand` off the unsafe point (`values = x * (1 - log(x)); where(equal(x, 0), zeros,
        values)`): the forward value is replaced there as by a where() around it (the gradient through the
        untaken branch is NAN007's)."""
        derived = self._derived_later(site)
        if not derived:
            return False
        for call in self.analysis.calls_of(Op.WHERE):
            condition = argument(call.node, 0, "condition")
            if call.site.scope is not site.scope or call.site.seq <= site.seq or condition is None:
                continue
            for index, keyword in ((1, "x"), (2, "y")):
                branch = argument(call.node, index, keyword)
                if branch is None or not any(isinstance(node, cst.Name) and node.value in derived
                                             for node in descendants(branch)):
                    continue
                facts = self.facts(condition, call.site)
                taken = [Guarded(fact, call.node, "where") for fact in (facts if index == 1 else _negated(facts))]
                if self.verdict(taken, operand, domain, site, point)[0] is Verdict.EXCLUDED:
                    return True
        return False

    def capped_downstream(self, site: Site) -> bool:
        """The statement at `site` assigns a value that a later `minimum(r, c)` / `clip_by_value(r, lo, hi)` in the
        same function caps, `r` being computed from it (`inv = rsqrt(n); inv = minimum(inv, 1.0)`, a step size
        clipped to its largest value): an Inf there becomes the cap in the forward value."""
        derived = self._derived_later(site)
        if not derived:
            return False
        for call in self.analysis.calls_of(Op.MINIMUM, Op.CLIP):
            if call.site.scope is not site.scope or call.site.seq <= site.seq:
                continue
            capped = argument(call.node, 0, "x") or argument(call.node, 0, "t")
            if capped is not None and any(isinstance(node, cst.Name) and node.value in derived
                                          for node in descendants(capped)):
                return True
        return False

    def infinity_selected_away(self, node: cst.CSTNode, site: Site) -> cst.Call | None:
        """The where() that drops the -Inf of `node` afterwards, when every use of its value does: the statement at
        `site` binds a name to `node` or to `node` moved by constants that keep -Inf at -Inf (`+ c`, `- c`, `* c`
        or `/ c` with c > 0: `log2 = log(abs(m)) / np.log(2.0)`), and every read of that binding is either tested
        (a comparison's operand, an is_nan/is_finite argument) or a where() branch taken only where the test fails
        at -Inf: `where(r > c, r, ...)`, `where(r >= c, r, ...)` with c finite, `where(is_finite(r), r, ...)`, or
        the other branch of their negations (`where(r <= c, ..., r)`). -Inf compares false to every finite bound,
        so where() never takes it (QKeras' integer bits: `ceil(where(log2 > 0, log2, 0))` of an EMA range that is
        0 at build). The forward value is then finite; the gradient is not: where() passes 0 back to the entries it
        drops, and the log's infinite derivative there makes 0 * Inf = NaN. Returns the first such where()."""
        statement = site.statement
        small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1 \
            else None
        if not (isinstance(small, cst.Assign) and len(small.targets) == 1
                and isinstance(small.targets[0].target, cst.Name) and self._keeps_minus_infinity(small.value, node,
                                                                                                 site, 0)):
            return None
        name = small.targets[0].target.value
        reads = self._reads_of_binding(name, small.value, site)
        if not reads:
            return None
        tested = self._tested_operands(site.scope)
        selecting: list[tuple[int, cst.Call]] = []
        for read in reads:
            if id(read) in tested:
                continue
            where = self._finite_branch(read, name, site.scope)
            if where is None:
                return None
            selecting.append((self.analysis.sites[where].seq if where in self.analysis.sites else 0, where))
        return min(selecting, key=lambda pair: pair[0])[1] if selecting else None

    def _keeps_minus_infinity(self, expr: cst.BaseExpression, node: cst.CSTNode, site: Site, depth: int) -> bool:
        """`expr` is `node`, or it moved by constants that map -Inf to -Inf (a shift, a positive scale)."""
        if expr is node:
            return True
        form = self.analysis.operator_form(expr)
        if depth > 3 or not isinstance(form, cst.BinaryOperation):
            return False
        values, ranges = self.analysis.values, self.analysis.ranges
        if isinstance(form.operator, (cst.Add, cst.Subtract, cst.Multiply, cst.Divide)):
            if self._keeps_minus_infinity(form.left, node, site, depth + 1):
                other = form.right
            elif isinstance(form.operator, (cst.Add, cst.Multiply)) \
                    and self._keeps_minus_infinity(form.right, node, site, depth + 1):
                other = form.left
            else:
                return False
            constant = values.constant(other, site)
            if constant is None and not ranges.fixed(other, site):
                return False
            if isinstance(form.operator, (cst.Add, cst.Subtract)):
                return constant is None or math.isfinite(constant)
            return constant > 0 and math.isfinite(constant) if constant is not None else \
                positive(ranges.of(other, site))
        return False

    def _tested_operands(self, scope: Scope) -> set[int]:
        """Ids of the nodes of `scope` whose value only a test or a shape reads: comparisons' operands, is_nan /
        is_finite arguments, the tensor a zeros_like/ones_like/shape takes (`where(is_finite(r), r, zeros_like(r))`)."""
        tested = {id(operand) for operand in self.analysis.compared}
        for call in self.analysis.calls:
            first = call.node.args[0].value if call.node.args else None
            if call.site.scope is scope and first is not None and (
                    call.op in (Op.IS_NAN, Op.IS_FINITE, Op.SHAPE)
                    or (called_name(call.node) or "").rsplit(".", 1)[-1] in _SHAPE_READS):
                tested.add(id(first))
        return tested

    def _finite_branch(self, read: cst.Name, name: str, scope: Scope) -> cst.Call | None:
        """The where() of `scope` whose branch `read` is, taken only where `name` is not -Inf (see
        `infinity_selected_away`)."""
        for call in self.analysis.calls_of(Op.WHERE):
            condition = argument(call.node, 0, "condition")
            if call.site.scope is not scope or condition is None:
                continue
            for index, keyword in ((1, "x"), (2, "y")):
                if argument(call.node, index, keyword) is read \
                        and self._fails_at_minus_infinity(condition, name, call.site, taken=index == 1):
                    return call.node
        return None

    def _fails_at_minus_infinity(self, condition: cst.BaseExpression, name: str, site: Site, taken: bool) -> bool:
        """Whether the condition is False (`taken`) or True (not `taken`) wherever `name` is -Inf."""
        followed, at = self.analysis.binder.follow(condition, site)
        while isinstance(followed, cst.UnaryOperation) and isinstance(followed.operator, (cst.Not, cst.BitInvert)) \
                or isinstance(followed, cst.Call) and self.analysis.op_of_call(followed) is Op.LOGICAL_NOT:
            inner = followed.expression if isinstance(followed, cst.UnaryOperation) else argument(followed, 0, "x")
            if inner is None:
                return False
            followed, taken = inner, not taken
        if isinstance(followed, cst.Call) and self.analysis.op_of_call(followed) is Op.IS_FINITE:
            tested = argument(followed, 0, "x")
            return taken and isinstance(tested, cst.Name) and tested.value == name
        facts = self.facts(followed, at)
        facts = facts if taken else _negated(facts)
        # (a conjunction is false at -Inf when one of its comparisons is)
        # -Inf > b is false for every b; -Inf >= b and -Inf == b only for a bound known to be finite
        return any(fact.operand == name and (
            fact.relation == ">" or fact.relation in (">=", "==") and fact.bound is not None
            and math.isfinite(fact.bound)) for fact in facts)

    def vanishing_upstream(self, node: cst.CSTNode, site: Site, base: cst.BaseExpression, centered: bool) -> bool:
        """Every read of the root `node` (directly, or through a name bound to it or to it plus a constant) is in
        the denominator of a division whose numerator is 0 wherever the root is: `x / (norm(x) + eps)`,
        `(x - mean) / (std(x) + eps)`, a cosine `sum(a * b) / (norm(a) * norm(b) + eps)` (also with that
        denominator bound to a name first: `m = a_norm * b_norm + eps; dot / m`); or a factor of a product
        with such a value (`norm * x`), also after a division by a value that is never 0 (capsnet's squash,
        `norm / (1 + norm²) * x`); or what a wrapper returns, where every call of the wrapper reads it so
        (`_returned_vanishing`). The derivative of u / D(root) with respect to the root is -u D' / D², 0 where u is 0, and TensorFlow's sqrt gradient given a
        0 upstream gradient is 0, not 0 * Inf (SqrtGrad special-cases it; TF 2.21: x / (norm(x) + 1e-4) at x = 0
        and (x - mean) / (std + eps) of a constant row have finite gradients; older TensorFlow gave NaN).
        `centered`: the root is 0 where `base` is constant, so the numerator must vanish with `base - mean`."""
        analysis = self.analysis
        divisions = [d for d in analysis.divisions()
                     if d.site.scope is site.scope and d.numerator is not None]
        operators = self._operators(site.scope)
        carried: set[int] = set()  # the quotients followed, once each
        named: dict[str, bool] = {}  # names bound to a sum/product riding on a read: whether all their reads are

        def upstream_vanishes(read: cst.CSTNode) -> bool:
            division = next((d for d in divisions if any(n is read for n in descendants(d.denominator))), None)
            if (division is not None and division.numerator is not None and self._vanishes(
                    division.numerator, division.site, base, centered)) or self._returned_vanishing(
                    read, site.scope, base, centered):
                return True
            # a denominator built in its own statement: `m = a_norm * b_norm + 1e-9`, then `dot / m`
            name = self._riding_binding(read, site.scope)
            if name is not None:
                if name not in named:
                    named[name] = False  # a name read in its own chain is not followed twice
                    reads = [other for other in name_reads(site.scope.node) if other.value == name]
                    named[name] = bool(reads) and all(upstream_vanishes(other) for other in reads)
                if named[name]:
                    return True
            for written, form, at in operators:
                if read is form.left or read is form.right:
                    other = form.right if read is form.left else form.left
                    if isinstance(form.operator, cst.Multiply):
                        # capsnet's squash `norm / (1 + norm²) * s`: d/d(factor) of factor * s is s, 0 where s is
                        return self._vanishes(other, at, base, centered)
                    if (isinstance(form.operator, cst.Divide) and read is form.left and id(written) not in carried
                            and excludes_zero(analysis.ranges.of(form.right, at))):
                        # root / (1 + x²) carries a finite factor of the root's upstream gradient: follow it
                        carried.add(id(written))
                        return self._only_read_as(written, at, upstream_vanishes, riding=True)
            return False

        return self._only_read_as(node, site, upstream_vanishes, riding=True)

    def _returned_vanishing(self, read: cst.CSTNode, function: Scope, base: cst.BaseExpression,
                            centered: bool) -> bool:
        """`read` is what `function` returns, `base` one of its parameters (a thin wrapper of the framework's std or
        norm, `def std(val, axis): return tf.math.reduce_std(val, axis)`), and every call of the function that the
        project shows, in this file and in the others, reads its result only where the upstream gradient vanishes
        with what that call passes for the parameter, judged where the call is made (probflow's BatchNormalization:
        `std = O.std(x, axis=-2)`, then `(x - mean) / (std + 1e-5)`). No call: False (its users are elsewhere)."""
        if not isinstance(base, cst.Name) or not any(returned is read for returned in function.returns):
            return False
        binding = self.analysis.binder.resolve(base.value, At(function, END))
        index = parameter_index(function, base.value) if base.value in function.params else None
        if binding is None or binding.kind is not BindingKind.PARAMETER or binding.scope is not function \
                or index is None:
            return False
        key = (id(function), base.value, centered)
        if key in _RETURNED:
            return False  # a recursive chain of wrappers: not followed twice
        _RETURNED.add(key)
        try:
            calls = self.analysis.values.project_callers(function)
            return bool(calls) and all(
                (passed := argument(call, index, base.value)) is not None and call in analysis.sites
                and analysis.guards.vanishing_upstream(call, analysis.sites[call], passed, centered)
                for call, _, analysis in calls)
        finally:
            _RETURNED.discard(key)

    def _operators(self, scope: Scope) -> list[tuple[cst.BaseExpression, cst.BinaryOperation, Site]]:
        """The operator expressions of a function, however spelled (`a * b`, `tf.multiply(a, b)`), with their
        sites."""
        analysis = self.analysis
        return [(node, form, analysis.sites[node]) for node in (*(b.node for b in analysis.binary_operations),
                                                               *(c.node for c in analysis.calls))
                if node in analysis.sites and analysis.sites[node].scope is scope
                and isinstance(form := analysis.operator_form(node), cst.BinaryOperation)]

    def capped_only(self, node: cst.CSTNode, site: Site) -> bool:
        """Every read of the value of `node` (directly, or through a name bound to it) is capped from above:
        `minimum(v, c)`, `clip_by_value(v, lo, c)` in any spelling (keras.ops' `_normalize`: `inv_norm =
        rsqrt(square_sum); inv_norm = minimum(inv_norm, 1 / epsilon)`). The cap keeps the value finite where `node`
        is Inf; the gradient is another matter (the cap passes none back there, and what the root's gradient does
        with that 0 depends on the framework)."""
        capped = self._capped_operands(site.scope)
        if id(node) in capped:
            return True
        statement = site.statement
        small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1 \
            else None
        if not (isinstance(small, cst.Assign) and len(small.targets) == 1
                and isinstance(small.targets[0].target, cst.Name) and small.value is node):
            return False
        reads = self._reads_of_binding(small.targets[0].target.value, node, site)
        return reads is not None and bool(reads) and all(id(read) in capped for read in reads)

    def _capped_operands(self, scope: Scope) -> set[int]:
        """The first operands of the minimum and clip calls of a function (the values they cap from above)."""
        capped: set[int] = set()
        for call in self.analysis.calls_of(Op.MINIMUM, Op.CLIP):
            if call.site.scope is not scope:
                continue
            first = argument(call.node, 0, "x") or argument(call.node, 0, "t")
            cap = argument(call.node, 1, "y") if call.op is Op.MINIMUM else (
                argument(call.node, 2, "clip_value_max") or argument(call.node, 2, "x_max"))
            if first is not None and cap is not None:
                capped.add(id(first))
        return capped

    def _reads_of_binding(self, name: str, value: cst.CSTNode, site: Site) -> list[cst.Name] | None:
        """The reads of `name` in the function of `site` that see its binding to `value` (`inv_norm =
        minimum(inv_norm, c)` reads the root's binding, what follows it the cap's); None when the name is also read
        outside a simple statement (an `if` test), which is not followed."""
        reads_by_name, read_elsewhere = self._simple_reads(site.scope)
        if name in read_elsewhere:
            return None
        found: list[cst.Name] = []
        for line, seq, reads in reads_by_name.get(name, ()):
            binding = self.analysis.binder.resolve(name, At(site.scope, seq)) if line is not site.statement else None
            if binding is not None and binding.expression is value:
                found.extend(reads)
        return found

    def _simple_reads(self, scope: Scope) -> tuple[dict[str, list[tuple[cst.CSTNode, int, list[cst.Name]]]],
                                                   frozenset[str]]:
        """The name reads of `scope`'s simple statement lines (nested functions' included), by name, as (line, its
        seq, the reads), in source order; and the names also read outside such lines. Indexed once per scope:
        asked once per log or root, walking the function each time was quadratic (60 s on a 3,000-line file)."""
        known = self._simple_reads_of.get(id(scope.node))
        if known is not None:
            return known
        inside = {id(child) for child in descendants(scope.node)}
        reads_by_name: dict[str, list[tuple[cst.CSTNode, int, list[cst.Name]]]] = {}
        in_lines: set[int] = set()
        for line, seq in self.analysis.statement_seqs.items():
            if not (isinstance(line, cst.SimpleStatementLine) and id(line) in inside):
                continue
            by_name: dict[str, list[cst.Name]] = {}
            for read in name_reads(line):
                by_name.setdefault(read.value, []).append(read)
                in_lines.add(id(read))
            for read_name, reads in by_name.items():
                reads_by_name.setdefault(read_name, []).append((line, seq, reads))
        elsewhere = frozenset(read.value for read in name_reads(scope.node) if id(read) not in in_lines)
        self._simple_reads_of[id(scope.node)] = (reads_by_name, elsewhere)
        return reads_by_name, elsewhere

    def squared_only(self, node: cst.CSTNode, site: Site) -> bool:
        """Every read of the root `node` (directly, or through a name bound to it) is squared: `square(root)` (any
        spelling), `root ** p` for a constant p > 1 (`pow(root, 2)`), or `n * n` of a name bound to it. The
        square's derivative p·root^(p-1) is 0 where the root is, so the root's gradient gets a 0 upstream, and
        TensorFlow's sqrt gradient given 0 is 0 (TF 2.21: `square(norm(v))` at v = 0 has gradient 0; alibi's CEM
        and counterfactual losses, `gamma * square(norm(ae(x) - x))`). Not where the square itself meets an
        operation whose derivative is infinite at 0, a denominator or a log's or root's operand (in its statement,
        or through a name bound to it): 2·0·Inf is NaN again (`1 / square(norm(x))`)."""
        analysis = self.analysis
        scope = site.scope
        squares: dict[int, cst.BaseExpression] = {
            id(argument(call.node, 0, "x")): call.node for call in analysis.calls_of(Op.SQUARE)
            if call.site.scope is scope}
        for written, form, _ in self._operators(scope):
            exponent = numeric_literal(form.right) if isinstance(form.operator, cst.Power) else None
            if exponent is not None and exponent > 1:
                squares[id(form.left)] = written
            elif (isinstance(form.operator, cst.Multiply) and isinstance(form.left, cst.Name)
                  and isinstance(form.right, cst.Name) and form.left.value == form.right.value):
                squares[id(form.left)] = squares[id(form.right)] = written
        unsafe = [d.denominator for d in analysis.divisions() if d.site.scope is scope] + [
            operand for call in analysis.calls_of(Op.LOG, Op.SQRT, Op.RSQRT)
            if call.site.scope is scope and (operand := analysis.operand(call.node)) is not None]
        inside = {id(n) for expr in unsafe for n in descendants(expr)}
        return self._only_read_as(node, site, lambda read: id(read) in squares and self._clear_of(
            squares[id(read)], scope, inside), riding=False)

    def _clear_of(self, node: cst.CSTNode, scope: Scope, inside: set[int]) -> bool:
        """Neither `node` nor a read of a name its statement binds to it (or to it plus/times another value) is
        among `inside`."""
        if id(node) in inside:
            return False
        site = self.analysis.sites.get(node)
        statement = site.statement if site is not None else None
        small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1 \
            else None
        if not (isinstance(small, cst.Assign) and len(small.targets) == 1
                and isinstance(small.targets[0].target, cst.Name) and self._rides_within(small.value, node)):
            return True
        name = small.targets[0].target.value
        return all(id(read) not in inside for read in name_reads(scope.node) if read.value == name)

    def zero_upstream(self, node: cst.CSTNode, site: Site) -> bool:
        """The value of `node` is used only as the denominator of `divide_no_nan` (directly, or through a name bound
        once in its function and read nowhere else): divide_no_nan's gradient to a 0 denominator is 0, and
        TensorFlow's sqrt/norm/std gradient given a 0 upstream is 0, not 0 * Inf (TF 2.21: `divide_no_nan(x - mean,
        reduce_std(x))` of a constant column has a finite gradient). So a root there has no NaN gradient at 0
        (tensorflow-similarity's Barlow loss standardises columns this way). The denominator must be the root
        itself: `divide_no_nan(x, root + c)` divides by c there, with an ordinary gradient."""
        denominators = [argument(call.node, 1, "y") for call in self.analysis.calls_of(Op.DIVIDE_NO_NAN)
                        if call.site.scope is site.scope]
        return self._only_read_as(node, site, lambda read: any(read is d for d in denominators), riding=False)

    def compared_only(self, node: cst.CSTNode, site: Site) -> bool:
        """Every read of `node`'s value (directly, or through a name bound once to it) is an operand of a
        comparison (`if tf.norm(v) < tol:`, `tf.less(n, c)`): a comparison has no gradient, so none comes back to
        the value through it (cleverhans' Lanczos start vector, tested against a tolerance before it is used)."""
        operands = self._compared
        if operands is None:
            operands = self._compared = frozenset(id(operand) for operand in self.analysis.compared)
        return self._only_read_as(node, site, lambda read: id(read) in operands, riding=False)

    def _only_read_as(self, node: cst.CSTNode, site: Site, accepted: Callable[[cst.CSTNode], bool],
                      riding: bool) -> bool:
        """`node`'s value is read only where `accepted`: the node itself is, or its statement binds a name to it
        (riding: to it plus, minus or times another value, `n = norm(x) + 1e-4`) and every read of that name in
        the function is accepted (riding: or rebinds the name riding on it, `n = n + 1e-4`; else the name is
        bound once)."""
        if accepted(node):
            return True
        statement = site.statement
        small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1 \
            else None
        if not (isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target,
                                                                                          cst.Name)
                and (self._rides_on(small.value, node) if riding else small.value is node)):
            return False
        name = small.targets[0].target.value
        bindings = [value for _, value in site.scope.assignments.get(name, ()) if isinstance(value, cst.BaseExpression)]
        if not riding and len(site.scope.assignments.get(name, ())) != 1:
            return False
        reads = [read for read in name_reads(site.scope.node) if read.value == name]
        return bool(reads) and all(
            accepted(read) or (riding and any(self._rides_on(value, read) for value in bindings)) for read in reads)

    def _riding_binding(self, read: cst.CSTNode, scope: Scope) -> str | None:
        """The name bound once in `scope` to a sum, difference or product that `read` is a term or factor of, at any
        depth (`m = a_norm * b_norm + 1e-9`): as a denominator, d(u / m)/d read = -u (dm/d read) / m², 0 where u is."""
        for name, entries in scope.assignments.items():
            if len(entries) == 1 and isinstance(entries[0][1], cst.BaseExpression) and entries[0][1] is not read \
                    and self._rides_within(entries[0][1], read):
                return name
        return None

    def _rides_within(self, expr: cst.BaseExpression, node: cst.CSTNode, depth: int = 0) -> bool:
        if expr is node:
            return True
        form = self.analysis.operator_form(expr)
        return (depth < 6 and isinstance(form, cst.BinaryOperation)
                and isinstance(form.operator, (cst.Add, cst.Subtract, cst.Multiply))
                and any(self._rides_within(side, node, depth + 1) for side in (form.left, form.right)))

    def _rides_on(self, expr: cst.BaseExpression, node: cst.CSTNode) -> bool:
        """`expr` is `node`, or `node` plus, minus or times another value (`norm + 1e-4`, `eps + std`): as a
        denominator, any of these still gives d(u / D)/d node = -u D' / D², 0 where u is."""
        if expr is node:
            return True
        form = self.analysis.operator_form(expr)
        return (isinstance(form, cst.BinaryOperation)
                and isinstance(form.operator, (cst.Add, cst.Subtract, cst.Multiply))
                and any(side is node for side in (form.left, form.right)))

    def _vanishes(self, expr: cst.BaseExpression, at: Point, base: cst.BaseExpression, centered: bool,
                  depth: int = 0) -> bool:
        """The value of `expr` is 0 wherever `base` is 0 (centered: wherever `base - mean(base)` is): it is that,
        or a product, a quotient's numerator, or a sum/mean/transpose/reshape of one (through names)."""
        analysis = self.analysis
        if depth > 6:
            return False
        target = analysis.spelled(base)
        form = analysis.operator_form(expr)
        if centered:
            if (isinstance(form, cst.BinaryOperation) and isinstance(form.operator, cst.Subtract)
                    and analysis.spelled(form.left) == target and numeric_literal(form.right) is None):
                return True
        elif analysis.spelled(expr) == target:
            return True
        if isinstance(form, cst.BinaryOperation) and isinstance(form.operator, cst.Multiply):
            return any(self._vanishes(side, at, base, centered, depth + 1) for side in (form.left, form.right))
        if isinstance(form, cst.BinaryOperation) and isinstance(form.operator, cst.Divide):
            return self._vanishes(form.left, at, base, centered, depth + 1)
        if isinstance(expr, cst.Call) and analysis.op_of_call(expr) in _LINEAR:
            operand = analysis.operand(expr)
            return operand is not None and self._vanishes(operand, at, base, centered, depth + 1)
        followed, where = analysis.binder.follow(expr, at, limit=1)
        return followed is not expr and self._vanishes(followed, where, base, centered, depth + 1)

    def _derived_later(self, site: Site) -> set[str]:
        """The names the statement at `site` assigns, and the names assigned later in its function from an
        expression that mentions one of them, in source order."""
        statement = site.statement
        if not isinstance(statement, cst.SimpleStatementLine):
            return set()
        derived = {target.target.value for small in statement.body if isinstance(small, cst.Assign)
                   for target in small.targets if isinstance(target.target, cst.Name)}
        if not derived:
            return derived
        later = sorted((seq, name, value) for name, entries in site.scope.assignments.items()
                       for seq, value in entries if seq > site.seq and isinstance(value, cst.BaseExpression))
        for _, name, value in later:
            if any(isinstance(node, cst.Name) and node.value in derived for node in descendants(value)):
                derived.add(name)
        return derived

    def _nan_repaired_names(self, site: Site) -> set[str]:
        """Names `r` that a `where(isnan(r), ...)` or a `cond(is_nan(r), lambda: fallback, lambda: ...r...)` after
        `site` in its function tests (tensorflow-addons CohenKappa.result: 0 where the expected agreement is NaN),
        or an `if isnan(r):` statement after it (deepchem's angle_between: `angle = np.arccos(...)`, then
        `if np.isnan(angle): return 0.0 or pi`)."""
        names = set()
        for call in self.analysis.calls:
            called = "where" if operation_named(called_name(call.node)) is Op.WHERE else called_name(call.node)
            if call.site.scope is not site.scope or call.site.seq <= site.seq or called not in _NAN_REPAIRS:
                continue
            tested = _nan_tested(argument(call.node, 0, _NAN_REPAIRS[called]))
            if tested is not None:
                names.add(tested)
        names.update(name for seq, name in self._nan_test_statements(site.scope) if seq > site.seq)
        return names

    def _nan_test_statements(self, scope: Scope) -> list[tuple[int, str]]:
        key = id(scope.node)
        if key not in self._nan_tests:
            found = []
            for node in descendants(scope.node):
                tested = _nan_tested(node.test) if isinstance(node, cst.If) else None
                if tested is not None:
                    found.append((self.analysis.statement_seqs.get(node, -1), tested))
            self._nan_tests[key] = found
        return self._nan_tests[key]

    def verdict(self, guards: list[Guarded], operand: cst.BaseExpression, domain: Domain,
                site: Site, point: float = 0.0) -> tuple[Verdict, Guarded | None]:
        """Whether the guards keep `operand` off the unsafe point of `domain`, moved to `point` (see `excluded`)."""
        spelled = _spelled(self.analysis, operand)
        followed, _ = self.analysis.binder.follow(operand, site, limit=1)  # `scale = hi - lo; if hi != lo: x / scale`
        # compared without spaces: `hi-lo` is the `hi - lo` that `hi != lo` speaks of
        uncast, _ = self._uncast(operand, site)  # `tf.cast(n - 1, tf.float32)` is the `n - 1` a guard compares
        spellings = {_unspaced(spelled), _unspaced(_spelled(self.analysis, followed)),
                     _unspaced(_spelled(self.analysis, uncast))}
        swapped = {_unspaced(text) for text in (_swapped_difference(self.analysis, expr) for expr in (operand, followed))
                   if text is not None}
        counted = self._counted_mask(operand, site)
        offset = self._offset(operand, site)
        admitted = None
        for guarded in guards:
            fact = guarded.fact
            if fact.relation == "errstate":
                return Verdict.EXCLUDED, guarded
            if fact.relation == "any":
                if counted is not None and counted == fact.operand:
                    return Verdict.EXCLUDED, guarded
                continue
            restated = _restated(fact, spelled, spellings, swapped, offset)
            if restated is None:
                continue
            fact = restated
            if point and fact.bound is None:
                admitted = admitted or guarded  # `p > eps` says nothing about p = 1
                continue
            if point and fact.bound is not None:
                fact = Fact(fact.operand, fact.relation, fact.bound - point, fact.condition, fact.magnitude_of)
            if _excludes(fact, domain):
                return Verdict.EXCLUDED, guarded
            admitted = admitted or guarded
        return (Verdict.ADMITTED, admitted) if admitted is not None else (Verdict.UNRELATED, None)

    def _uncast(self, operand: cst.BaseExpression, site: Site) -> tuple[cst.BaseExpression, Point]:
        """The value behind names and casts, which keep it (`tf.cast(x - 1, dtype)`, `d = tf.cast(n, tf.float32)`)."""
        expr: cst.BaseExpression = operand
        at: Point = site
        for _ in range(12):
            expr, at = self.analysis.binder.follow(expr, at)
            if isinstance(expr, cst.Call) and self.analysis.op_of_call(expr) is Op.CAST and expr.args:
                expr = expr.args[0].value
                continue
            break
        return expr, at

    def _offset(self, operand: cst.BaseExpression, site: Site) -> tuple[str, float] | None:
        """(a, c) for an operand that is `a - c` or `a + (-c)` with c a constant, through names and casts
        (`n_minus_1 = tf.cast(x - 1, dtype)`): a guard on `a` bounds it, shifted by c."""
        expr, at = self._uncast(operand, site)
        form = self.analysis.operator_form(expr)
        if not (isinstance(form, cst.BinaryOperation) and isinstance(form.operator, (cst.Subtract, cst.Add))):
            return None
        constant = self.analysis.values.constant(form.right, at)
        if constant is None or constant == 0:
            return None
        shift = constant if isinstance(form.operator, cst.Subtract) else -constant
        return _unspaced(_spelled(self.analysis, form.left)), shift

    def facts(self, condition: cst.BaseExpression, site: Point) -> list[Fact]:
        """What a condition asserts: comparisons (either side constant), greater()/not_equal()/..., any(mask),
        conjunctions of those (`&`, `and`, logical_and), negations, names bound to conditions (read where they
        were bound: `mask = logical_and(mask, x > 0)` refers to the mask before it)."""
        condition, site = self.analysis.binder.follow(condition, site)
        if isinstance(condition, cst.Comparison):
            return self._comparison(condition, site)
        if isinstance(condition, cst.BooleanOperation) and isinstance(condition.operator, cst.And) or \
                isinstance(condition, cst.BinaryOperation) and isinstance(condition.operator, cst.BitAnd):
            return self.facts(condition.left, site) + self.facts(condition.right, site)
        if isinstance(condition, cst.UnaryOperation) and isinstance(condition.operator, (cst.Not, cst.BitInvert)):
            return _negated(self.facts(condition.expression, site))
        if isinstance(condition, cst.Call):
            op = operation_named(self._name(condition.func))
            first, second = argument(condition, 0, "x"), argument(condition, 1, "y")
            if op in _COMPARISON_OPS and first is not None and second is not None:
                return self._pair(first, _COMPARISON_OPS[op], second, condition, site)
            if op is Op.LOGICAL_AND and first is not None and second is not None:
                return self.facts(first, site) + self.facts(second, site)
            if op is Op.LOGICAL_NOT and first is not None:
                return _negated(self.facts(first, site))
            if op is Op.REDUCE_ANY and first is not None:
                return [Fact(_spelled(self.analysis, first), "any", None, condition)]
            if op is Op.REDUCE_ALL and first is not None:
                return self.facts(first, site)  # every element satisfies it
        return []

    def untaken_hazards(self, where: cst.Call, site: Site) -> list[UntakenHazard]:
        """The operations of `where`'s branches that are non-finite somewhere the branch is not taken (see the
        module docstring), as far as the condition is one comparison whose subject the operand is solved for."""
        condition = argument(where, 0, "condition")
        facts = self.facts(condition, site) if condition is not None else []
        if len(facts) != 1 or facts[0].relation == "any" or facts[0].bound is None:
            return self._exact_untaken(where, facts, site) if condition is not None else []
        fact = facts[0]
        assert condition is not None and fact.bound is not None  # facts come from a condition; bound checked above
        condition, _ = self.analysis.binder.follow(condition, site)  # `cond = K.greater(x, 0)`: named in messages
        found = []
        for index, keyword in ((1, "x"), (2, "y")):
            branch = argument(where, index, keyword)
            taken = fact if index == 1 else fact.negated()
            if branch is None or taken is None:
                continue
            untaken = taken.negated()
            assert untaken is not None and taken.bound is not None and untaken.bound is not None  # a comparison negates to one
            fill = argument(where, 3 - index, "y" if index == 1 else "x")
            for operation, hazard, operand in self._unsafe_operations(branch):
                span, subject, unsafe = self._unsafe_span(operation, hazard, operand, fact, site)
                if self._double_where(operand, site) or (
                        hazard is Hazard.DIVISION and self._scattered_alike(operation, operand, site)):
                    continue
                if span is None and hazard is Hazard.DIVISION:
                    if self._guarded_zero_over_zero(operation, operand, fact.operand, taken, fill, site):
                        found.append(UntakenHazard(where, operation, hazard, operand, condition, fact.operand,
                                                   f"{fact.operand} = 0", False, index, zero_over_zero=True))
                    continue
                if span is None or not span.meets(untaken.relation, untaken.bound):
                    continue
                taken_too = span.meets(taken.relation, taken.bound)
                if hazard in (Hazard.LOG, Hazard.DIVISION) and _spelled(self.analysis, operand) == fact.operand:
                    # as `verdict` reads it: `x != 0` around log(x) says x is not negative either
                    taken_too = not _excludes(taken, Domain.POSITIVE if hazard is Hazard.LOG else Domain.NONZERO)
                found.append(UntakenHazard(where, operation, hazard, operand, condition, subject, unsafe, taken_too,
                                           index))
        return found

    def _unsafe_span(self, operation: cst.CSTNode, hazard: Hazard, operand: cst.BaseExpression, fact: Fact,
                     site: Site) -> tuple[Span | None, str, str]:
        """Where `operation` is not finite, as a span of the condition's operand (None: not solved), the subject it is
        solved for, and that place for messages. A condition on a magnitude (`where(abs(x) < 0.1, taylor, 1 / x)`)
        is solved for abs's argument and mapped through abs: x = 0 is |x| = 0, where the Taylor side is taken."""
        if isinstance(operation, cst.Call) and self.analysis.op_of_call(operation) is Op.POW:
            span = self._overflow_of_power(operation, fact.operand, site)
        else:
            span = self._solve(operand, fact.operand, _UNSAFE[hazard], site, 0)
            if span is None and fact.magnitude_of is not None:
                inner = self._solve(operand, fact.magnitude_of, _UNSAFE[hazard], site, 0)
                if inner is not None:
                    return inner.magnitude(), fact.magnitude_of, inner.describe(fact.magnitude_of)
        return span, fact.operand, span.describe(fact.operand) if span is not None else ""

    def _guarded_zero_over_zero(self, division: cst.CSTNode, divisor: cst.BaseExpression, subject: str, taken: Fact,
                                fill: cst.BaseExpression | None, site: Site) -> bool:
        """`where(i == 0, 0, i / u)`: a ratio whose condition tests its numerator against 0 and fills 0 there. Where
        u is not 0, i / u is already 0 at i = 0, so the where() changes the value only where u is 0 as well: the
        guard is there for the 0/0, and says the divisor is 0 on inputs the branch is not taken at (IoU's union of
        two empty boxes, 0 exactly when their intersection is). False for another ratio, another fill, or a divisor
        kept off 0 (an epsilon, a floor, a range that excludes 0)."""
        if isinstance(division, cst.BinaryOperation):
            numerator: cst.BaseExpression | None = division.left
        else:
            numerator = argument(division, 0, "x") if isinstance(division, cst.Call) else None
        zero = Span(0.0, 0.0)
        values = self.analysis.values
        if numerator is None or fill is None or taken.bound is None or zero.meets(taken.relation, taken.bound) \
                or values.filled_with(fill, site) != 0.0 or self._solve(numerator, subject, zero, site, 0) != zero:
            return False
        kept_off_zero = excludes_zero(self.analysis.ranges.of(divisor, site)) or self._shifted(divisor, site)
        return not (kept_off_zero or values.constant(divisor, site) is not None
                    or values.of(divisor, site).guard is not None)

    def _exact_untaken(self, where: cst.Call, facts: list[Fact], site: Site) -> list[UntakenHazard]:
        """Conditions with a bound that is not a known number (`x > eps`) or several facts: only an operand
        spelled as the condition's subject, judged by `verdict`."""
        found = []
        for index, keyword in ((1, "x"), (2, "y")):
            branch = argument(where, index, keyword)
            if branch is None:
                continue
            for operation, hazard, operand in self._unsafe_operations(branch):
                if hazard not in (Hazard.LOG, Hazard.DIVISION) or self._double_where(operand, site):
                    continue
                domain = Domain.POSITIVE if hazard is Hazard.LOG else Domain.NONZERO
                verdict, guard = self.verdict(self.around(operation), operand, domain, site)
                if verdict is Verdict.EXCLUDED and guard is not None and guard.guard is where:
                    found.append(UntakenHazard(where, operation, hazard, operand, guard.fact.condition,
                                               guard.fact.operand, f"{_spelled(self.analysis, operand)} = 0", False,
                                               index))
        return found

    def _unsafe_operations(self, branch: cst.BaseExpression) -> list[tuple[cst.CSTNode, Hazard, cst.BaseExpression]]:
        """The logs, divisions, roots and exps computed in a branch (not inside a nested where or lambda, which
        guard or defer their own)."""
        found: list[tuple[cst.CSTNode, Hazard, cst.BaseExpression]] = []
        pending: list[cst.CSTNode] = [branch]
        while pending:
            node = pending.pop()
            if isinstance(node, cst.Lambda):
                continue
            if isinstance(node, cst.Call):
                op = self.analysis.op_of_call(node)
                if op is Op.WHERE and node is not branch:
                    continue
                operand = self.analysis.operand(node)
                if op in (Op.LOG, Op.RECIPROCAL, Op.SQRT, Op.EXP) and operand is not None:
                    hazard = {Op.LOG: Hazard.LOG, Op.RECIPROCAL: Hazard.DIVISION, Op.SQRT: Hazard.ROOT,
                              Op.EXP: Hazard.OVERFLOW}[op]
                    found.append((node, hazard, operand))
                elif op is Op.DIVIDE and argument(node, 1, "y") is not None:
                    found.append((node, Hazard.DIVISION, argument(node, 1, "y")))  # type: ignore[arg-type]
                elif op is Op.POW and argument(node, 1, "y") is not None:
                    found.append((node, Hazard.OVERFLOW, argument(node, 1, "y")))  # type: ignore[arg-type]
            if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Divide):
                found.append((node, Hazard.DIVISION, node.right))
            pending.extend(node.children)
        return found

    def _solve(self, expr: cst.BaseExpression, subject: str, span: Span, site: Point, depth: int) -> Span | None:
        """The values of `subject` for which `expr` lies in `span`, when `expr` is the subject through additions
        and multiplications by constants and exp (followed through names); None when it is not."""
        if depth > 8:
            return None
        if _spelled(self.analysis, expr) == subject:
            return span
        if isinstance(expr, cst.Name):
            followed, at = self.analysis.binder.follow(expr, site, limit=1)
            return self._solve(followed, subject, span, at, depth + 1) if followed is not expr else None
        if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Minus):
            return self._solve(expr.expression, subject, span.scaled(-1.0), site, depth + 1)
        if isinstance(expr, cst.Call) and self.analysis.op_of_call(expr) is Op.EXP:
            inner = self.analysis.operand(expr)
            logged = span.logged()
            return self._solve(inner, subject, logged, site, depth + 1) if inner is not None and logged else None
        arithmetic = self._arithmetic(expr)
        if arithmetic is None:
            return None
        left, operator, right = arithmetic
        constant = self.analysis.values.constant
        undone = _undo(left, operator, right, constant(left, site), constant(right, site), span)
        return self._solve(undone[0], subject, undone[1], site, depth + 1) if undone is not None else None

    def _shifted(self, expr: cst.BaseExpression, site: Point) -> bool:
        """`u + 1e-7` (through a name): a nonzero constant added, which moves the value's 0 off the 0 of what it adds
        to."""
        arithmetic = self._arithmetic(self.analysis.binder.follow(expr, site)[0])
        if arithmetic is None or not isinstance(arithmetic[1], (cst.Add, cst.Subtract)):
            return False
        return any(self.analysis.values.constant(side, site) not in (None, 0.0) for side in (arithmetic[0], arithmetic[2]))

    def _arithmetic(self, expr: cst.BaseExpression
                    ) -> tuple[cst.BaseExpression, cst.BaseBinaryOp, cst.BaseExpression] | None:
        """`a + b` as (a, +, b), also spelled as a call (`tf.add(a, b)`); None for anything else."""
        form = self.analysis.operator_form(expr)
        return (form.left, form.operator, form.right) if isinstance(form, cst.BinaryOperation) else None

    def _overflow_of_power(self, operation: cst.CSTNode, subject: str, site: Point) -> Span | None:
        """pow(c, u) with a constant base c > 1 overflows where u > 88.72 / ln(c)."""
        if not isinstance(operation, cst.Call) or self.analysis.op_of_call(operation) is not Op.POW:
            return None
        base, exponent = argument(operation, 0, "x"), argument(operation, 1, "y")
        value = self.analysis.values.constant(base, site) if base is not None else None
        if value is None or value <= 1 or exponent is None:
            return None
        return self._solve(exponent, subject, Span(EXP_OVERFLOW / math.log(value), math.inf, low_closed=False),
                           site, 0)

    def masked_infinities(self) -> list[MaskedInfinity]:
        """Products of an infinite constant and a mask (or its complement `1 - mask`)."""
        found = []
        for node, left, right, site in self._products():
            if self._nan_replaced(node, site):
                continue
            for factor, other in ((left, right), (right, left)):
                infinity = self._infinity(factor, site, 0)
                if infinity is not None and self._mask_or_complement(other, site):
                    found.append(MaskedInfinity(node, self.analysis.spelled(other), infinity))
                    break
        return found

    def _nan_replaced(self, node: cst.CSTNode, site: Point) -> bool:
        """A value whose NaN entries are dealt with where it is computed: passed straight to `is_nan` (a boolean
        comes out), to `where(is_nan(v), fill, v)` as the kept v, or to a module function every return of which is
        that where of the parameter it receives (TensorFlowASR's RNN-T loss: `nan_to_zero(LOG_0 * (1.0 - mask))`
        with `def nan_to_zero(t): return tf.where(tf.math.is_nan(t), tf.zeros_like(t), t)`: the NaN of -inf * 0
        is 0 there, the author's idiom for this select)."""
        call = self._arguments_of.get(id(node))
        if call is None:
            return False
        op = self.analysis.op_of_call(call.node)
        if op is Op.IS_NAN:
            return True
        if op is Op.WHERE:
            return _keeps_unless_nan(self.analysis, call.node) == self.analysis.spelled(node)
        function = self.analysis.values.called_function(call.node, site)
        if function is None or not function.returns or node not in [arg.value for arg in call.node.args]:
            return False
        kept = {_keeps_unless_nan(self.analysis, returned) if isinstance(returned, cst.Call) else None
                for returned in function.returns}
        name = next(iter(kept)) if len(kept) == 1 else None
        if name is None or name not in function.params:
            return False
        return argument(call.node, parameter_index(function, name), name) is node

    @cached_property
    def _arguments_of(self) -> dict[int, CallSite]:
        """id(an argument's expression) -> the call it is passed to."""
        return {id(arg.value): call for call in self.analysis.calls for arg in call.node.args}

    def infinite_factors(self) -> list[InfiniteFactor]:
        """Products one of whose factors holds an infinity that was put into it (an entry set to -inf, a
        placeholder fed such an array, a full/fill with -inf): a -inf written into a multiplicative mask."""
        found = []
        for node, left, right, site in self._products():
            for factor, other in ((left, right), (right, left)):
                if self._infinity(factor, site, 0) is not None:
                    continue  # a bare infinite constant: masked_infinities' form, or no array at all
                held = self._held_infinity(factor, site, 0)
                if held is not None:
                    found.append(InfiniteFactor(node, self.analysis.spelled(factor), other, *held))
                    break
        return found

    def _products(self) -> list[tuple[cst.CSTNode, cst.BaseExpression, cst.BaseExpression, Site]]:
        products: list[tuple[cst.CSTNode, cst.BaseExpression, cst.BaseExpression, Site]] = [
            (binary.node, binary.node.left, binary.node.right, binary.site) for binary in self.analysis.binary_operations
            if isinstance(binary.node.operator, cst.Multiply)]
        for call in self.analysis.calls_of(Op.MULTIPLY):
            left, right = argument(call.node, 0, "x"), argument(call.node, 1, "y")
            if left is not None and right is not None:
                products.append((call.node, left, right, call.site))
        return products

    def written_infinity(self, expr: cst.BaseExpression, site: Point) -> tuple[str, cst.CSTNode] | None:
        """("-Inf", where it is written) for an infinite constant (`-np.inf`, `float('-inf')`, a name bound to one)
        or an array filled with one (`tf.fill(dims, -np.inf)`, `np.full(shape, -np.inf)`)."""
        filled = self._filled_with_infinity(expr, site) if isinstance(expr, cst.Call) else None
        infinity = self._infinity(expr, site, 0) if filled is None else None
        return filled or ((infinity, expr) if infinity is not None else None)

    def _held_infinity(self, expr: cst.BaseExpression, site: Point, depth: int) -> tuple[str, cst.CSTNode] | None:
        """("-Inf", where it is put) when the array `expr` denotes holds an infinity: an entry assigned one
        (`mask[1] = -np.inf`), a fill with one, or, for a placeholder, an array fed to it that holds one."""
        if depth > 4:
            return None
        if isinstance(expr, cst.Call):
            return self._filled_with_infinity(expr, site)
        if not isinstance(expr, cst.Name):
            return None
        binding = self.analysis.binder.resolve(expr.value, site)
        if binding is None:
            return None
        assigned = self._entry_set_to_infinity(expr.value, binding, site)
        if assigned is not None:
            return assigned
        bound = binding.expression
        if bound is None:
            return None
        if isinstance(bound, cst.Call) and self._name(bound.func).rsplit(".", 1)[-1] == "placeholder":
            return self._fed_infinity(expr.value, binding, depth)
        return self._held_infinity(bound, binding.at, depth + 1)

    def _filled_with_infinity(self, call: cst.Call, site: Point) -> tuple[str, cst.CSTNode] | None:
        """`np.full(shape, -np.inf)`, `tf.fill(dims, -np.inf)`: ("-Inf", the call)."""
        name = self._name(call.func)
        last = name.rsplit(".", 1)[-1]
        if last not in _FILLS or not name.startswith(("numpy.", "tensorflow.", "keras.")):
            return None
        index, keyword = _FILLS[last]
        fill = argument(call, index, keyword)
        infinity = self._infinity(fill, site, 0) if fill is not None else None
        return (infinity, call) if infinity is not None else None

    def _entry_set_to_infinity(self, name: str, binding: Binding, site: Point) -> tuple[str, cst.CSTNode] | None:
        """`mask[1] = -np.inf` anywhere in the scope the array is bound in: ("-Inf", that assignment)."""
        for statement in self.entry_assignments(binding.scope.node).get(name, ()):
            infinity = self._infinity(statement.value, site, 0)
            if infinity is not None:
                return infinity, statement
        return None

    def entry_assignments(self, scope: cst.CSTNode) -> dict[str, list[cst.Assign]]:
        """The `name[...] = value` assignments in a scope, by name: one walk per scope, not one per product."""
        if id(scope) not in self._entries:
            found: dict[str, list[cst.Assign]] = {}
            for statement in descendants(scope):
                if isinstance(statement, cst.Assign):
                    for target in statement.targets:
                        if isinstance(target.target, cst.Subscript) and isinstance(target.target.value, cst.Name):
                            found.setdefault(target.target.value.value, []).append(statement)
            self._entries[id(scope)] = found
        return self._entries[id(scope)]

    def _fed_infinity(self, name: str, placeholder: Binding, depth: int) -> tuple[str, cst.CSTNode] | None:
        """What `sess.run(..., feed_dict={name: array})` feeds the placeholder bound as `placeholder`, if that
        holds an infinity."""
        for call in self.analysis.calls:
            is_run = self._name(call.node.func).rsplit(".", 1)[-1] == "run"
            feed = argument(call.node, 1, "feed_dict") if is_run else None
            if feed is None:
                continue
            feed, at = self.analysis.binder.follow(feed, call.site)
            if not isinstance(feed, cst.Dict):
                continue
            for element in feed.elements:
                if isinstance(element, cst.DictElement) and isinstance(element.key, cst.Name) \
                        and element.key.value == name and _same_binding(self.analysis.binder.resolve(name, at),
                                                                        placeholder):
                    held = self._held_infinity(element.value, at, depth + 1)
                    if held is not None:
                        return held
        return None

    def _infinity(self, expr: cst.BaseExpression, site: Point, depth: int) -> str | None:
        """"-Inf" / "Inf" for float('-inf'), -np.inf, math.inf and names bound to them."""
        if depth > 4:
            return None
        if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Minus):
            inner = self._infinity(expr.expression, site, depth + 1)
            return {"Inf": "-Inf", "-Inf": "Inf"}.get(inner) if inner is not None else None
        if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Name) and expr.func.value == "float" \
                and len(expr.args) == 1 and isinstance(expr.args[0].value, cst.SimpleString):
            text = str(expr.args[0].value.evaluated_value).strip().lower()
            return {"inf": "Inf", "+inf": "Inf", "infinity": "Inf", "-inf": "-Inf", "-infinity": "-Inf"}.get(text)
        qualified = self.analysis.qualified_name(expr)
        if qualified is not None and qualified in _INFINITIES:
            return "Inf"
        if qualified == "numpy.NINF":
            return "-Inf"
        if isinstance(expr, cst.Name):
            followed, at = self.analysis.binder.follow(expr, site, limit=1)
            return self._infinity(followed, at, depth + 1) if followed is not expr else None
        return None

    def _mask_or_complement(self, expr: cst.BaseExpression, site: Point) -> bool:
        if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Subtract) \
                and numeric_literal(expr.left) == 1.0:
            expr = expr.right
        elif isinstance(expr, cst.Call) and self.analysis.op_of_call(expr) is Op.SUBTRACT \
                and numeric_literal(argument(expr, 0, "x")) == 1.0 and argument(expr, 1, "y") is not None:
            expr = argument(expr, 1, "y")  # type: ignore[assignment]
        return self.analysis.values.is_mask(expr, site)

    def _scattered_alike(self, division: cst.CSTNode, divisor: cst.BaseExpression, site: Point) -> bool:
        """`scatter_nd(i, x, s) / scatter_nd(i, ones_like(x), s)` (through names): the divisor counts what was
        scattered to each position (updates of ones), so it is 0 exactly where nothing was; the numerator is a
        scatter of the same indices into the same shape, and a scatter's gradient is a gather of its indices, which
        never reads a position nothing was scattered to. The Inf or NaN the division's gradient holds there reaches
        no input (tensorflow_ranking's RestoreList: gradient measured finite)."""
        if isinstance(division, cst.BinaryOperation):
            numerator: cst.BaseExpression | None = division.left
        else:
            numerator = argument(division, 0, "x") if isinstance(division, cst.Call) else None
        if numerator is None:
            return False
        scatters = [self.analysis.binder.follow(side, site) for side in (numerator, divisor)]
        if not all(isinstance(call, cst.Call) and self.analysis.op_of_call(call) is Op.SCATTER_ND
                   for call, _ in scatters):
            return False
        (written, written_at), (counted, counted_at) = scatters
        assert isinstance(written, cst.Call) and isinstance(counted, cst.Call)
        updates = argument(counted, 1, "updates") or argument(counted, 1, "values")
        return self.analysis.values.filled_with(updates, counted_at) == 1.0 and all(
            self._same_value(argument(written, index, keyword), written_at, argument(counted, index, keyword),
                             counted_at) for index, keyword in ((0, "indices"), (2, "shape")))

    def _same_value(self, first: cst.BaseExpression | None, first_at: Point, second: cst.BaseExpression | None,
                    second_at: Point) -> bool:
        """The two expressions are the same binding, or spelled alike once followed through names."""
        if first is None or second is None:
            return False
        first, _ = self.analysis.binder.follow(first, first_at)
        second, _ = self.analysis.binder.follow(second, second_at)
        return first is second or _spelled(self.analysis, first) == _spelled(self.analysis, second)

    def _double_where(self, operand: cst.BaseExpression, site: Point) -> bool:
        """The operand is (a name bound to) a where() itself: the double-where form that feeds the op a safe value."""
        definition, _ = self.analysis.binder.follow(operand, site)
        return isinstance(definition, cst.Call) and self.analysis.op_of_call(definition) is Op.WHERE

    # -- Python's own control flow ------------------------------------------------------------
    def statement_facts(self, site: Site, about: str | None = None) -> list[Fact]:
        """The facts Python's control flow establishes at `site` (conditions.py) on values unchanged since
        (only those on the operand spelled `about`, when given)."""
        return [fact for _, fact in self._statement_facts(site, None, about)]

    def _statement_facts(self, site: Site, node: cst.CSTNode | None,
                         about: str | None = None) -> Iterator[tuple[Condition, Fact]]:
        for condition in self.analysis.conditions.at(site, node):
            if condition.kind is ConditionKind.ERRSTATE:
                yield condition, Fact("", "errstate", None, condition.test)
                continue
            tested_at = At(site.scope, self.analysis.statement_seqs.get(condition.statement, site.seq))
            for fact in self._condition_facts(condition, tested_at):
                if (about is None or fact.operand == about) \
                        and self._unchanged(fact.operand, tested_at, site, condition.loops):
                    yield condition, fact

    def _condition_facts(self, condition: Condition, at: Point) -> list[Fact]:
        """What a condition says, read where it is tested (once per condition: ranges ask at every name)."""
        cached = self._facts_of.get(id(condition))
        if cached is None:
            if condition.kind is ConditionKind.REPLACED:
                cached = self._replaced_facts(condition, at)
            else:
                cached = self.test_facts(condition.test, at, condition.holds)
            self._facts_of[id(condition)] = cached
        return cached

    def test_facts(self, test: cst.BaseExpression, at: Point, holds: bool = True) -> list[Fact]:
        """What a Python truth test asserts where it is true (`holds`) or false: `facts`, plus the truth of a plain
        value (`if n:` is n != 0). Each operand of a true `and` holds, and the negation of each operand of a false
        `or` (`if bad(x) or n == 0: raise` leaves n != 0 after it)."""
        if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
            return self.test_facts(test.expression, at, not holds)
        if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.And if holds else cst.Or):
            return self.test_facts(test.left, at, holds) + self.test_facts(test.right, at, holds)
        facts = self.facts(test, at)
        if not facts and isinstance(test, (cst.Name, cst.Attribute, cst.Subscript, cst.Call)):
            facts = [Fact(_spelled(self.analysis, test), "!=", 0.0, test)]
        return facts if holds else _negated(facts)

    def _replaced_facts(self, condition: Condition, at: Point) -> list[Fact]:
        """After `a[test] = value`, the entries of `a` that passed the test hold `value`: the negation of the test
        holds for every entry when `value` satisfies it too (`norm[norm == 0] = 1`, `std[std < eps] = eps`)."""
        if condition.target is None or condition.value is None:
            return []
        written = _spelled(self.analysis, condition.target)
        facts = _negated([fact for fact in self.facts(condition.test, at) if fact.operand == written])
        value = self.analysis.values.constant(condition.value, at)
        value_spelled = _spelled(self.analysis, condition.value)
        # a test against a threshold that is not a known number (`std[np.less(std, threshold)] = 1.0`, stumpy):
        # the entries left are >= the threshold, an epsilon as `_excludes` reads it, and the replaced ones hold a
        # positive constant, so the fact holds for both
        return [fact for fact in facts if (value is not None and fact.bound is not None and _holds(value, fact))
                or (fact.bound is None and value_spelled in _spelled(self.analysis, fact.condition))
                or (fact.bound is None and value is not None and value > 0 and fact.relation in (">", ">="))]

    def _unchanged(self, operand: str, tested_at: Point, site: Point, loops: tuple[cst.CSTNode, ...]) -> bool:
        """No name in `operand` is rebound between the test and the point, nor anywhere in a loop entered since
        (the next pass would see the new value)."""
        binder = self.analysis.binder
        for name in set(_NAMES.findall(operand)):
            before, now = binder.resolve(name, tested_at), binder.resolve(name, site)
            if (before is None) != (now is None) or (now is not None and not _same_binding(before, now)):
                return False
            if any(name in self._assigned_in(loop) for loop in loops):
                return False
        return True

    def _assigned_in(self, loop: cst.CSTNode) -> frozenset[str]:
        if id(loop) not in self._assigned_in_loop:
            names: set[str] = set()
            for node in descendants(loop):
                if isinstance(node, cst.AssignTarget):
                    names.update(_bound_names(node.target))
                elif isinstance(node, (cst.AugAssign, cst.AnnAssign, cst.For, cst.NamedExpr)):
                    names.update(_bound_names(node.target))
            self._assigned_in_loop[id(loop)] = frozenset(names)
        return self._assigned_in_loop[id(loop)]

    def _expression_guards(self, node: cst.CSTNode, site: Site) -> list[Guarded]:
        found: list[Guarded] = []
        for test, holds in self._expression_conditions(site.statement).get(id(node), ()):
            found.extend(Guarded(fact, test, "python") for fact in self.test_facts(test, site, holds))
        return found

    def _expression_conditions(self, statement: cst.CSTNode) -> dict[int, tuple[tuple[cst.BaseExpression, bool], ...]]:
        """For the nodes of one statement (not of the blocks it heads), the tests of the conditional expressions
        they are evaluated under: `b if t else c`, `t and b`, `t or b`, comprehension `if`s, `where=t`."""
        cached = self._in_expressions.get(id(statement))
        if cached is not None:
            return cached
        found: dict[int, tuple[tuple[cst.BaseExpression, bool], ...]] = {}
        pending: list[tuple[cst.CSTNode, tuple[tuple[cst.BaseExpression, bool], ...]]] = [(statement, ())]
        while pending:
            node, tests = pending.pop()
            if tests:
                found[id(node)] = tests
            if type(node) is cst.Call:  # exact type: a failed isinstance() against a node class is an ABC check
                where = next((arg.value for arg in node.args if arg.keyword is not None
                              and arg.keyword.value == "where"), None)
                if where is not None:
                    found[id(node)] = (*tests, (where, True))
            pending.extend(_conditioned_children(node, tests, node is statement))
        self._in_expressions[id(statement)] = found
        return found

    def _selected_safely(self, operand: cst.BaseExpression, domain: Domain, site: Site) -> bool:
        """The operand selects entries by a test that excludes the unsafe point: `d[d > 0]`, `d[mask]` with
        `mask = d > eps` (d unchanged since), `d[np.nonzero(d)]`, and what is selected from those (`d[m][:, None]`)."""
        expr: cst.BaseExpression = operand
        at: Point = site
        for _ in range(6):
            expr, at = self.analysis.binder.follow(expr, at, limit=2)
            if not isinstance(expr, cst.Subscript):
                return False
            selected = _spelled(self.analysis, expr.value)
            for element in expr.slice:
                if not isinstance(element.slice, cst.Index):
                    continue
                index, index_at = self.analysis.binder.follow(element.slice.value, at, limit=2)
                for fact in self._selection_facts(index, index_at):
                    if fact.operand == selected and _excludes(fact, domain) \
                            and self._unchanged(selected, index_at, at, ()):
                        return True
            expr = expr.value
        return False

    def _selection_facts(self, index: cst.BaseExpression, at: Point) -> list[Fact]:
        """What the entries an index selects satisfy: a boolean mask's test, or nonzero(d)/flatnonzero(d)/
        d.nonzero() (d != 0), or the one-argument where(test) (its test)."""
        if isinstance(index, cst.Call):
            last = self._name(index.func).rsplit(".", 1)[-1] or called_name(index)
            if last in ("nonzero", "flatnonzero", "argwhere"):
                receiver = argument(index, 0, "a")
                if receiver is None and isinstance(index.func, cst.Attribute):
                    receiver = index.func.value
                if receiver is None:
                    return []
                # the indices where a condition holds (`np.flatnonzero(sd > 1e-5)`, statsmodels): its test
                return self.facts(receiver, at) or [Fact(_spelled(self.analysis, receiver), "!=", 0.0, index)]
            if operation_named(last) is Op.WHERE and len(index.args) == 1:
                return self.facts(index.args[0].value, at)
        return self.facts(index, at)

    # -- internals --------------------------------------------------------------------------
    def _asserted(self, site: Site) -> list[Guarded]:
        if self._assertions is None:
            self._assertions = {}
            for call in self.analysis.calls:
                facts = self._assertion_facts(call)
                if facts:
                    self._assertions.setdefault(id(call.site.scope), []).append((call, facts))
        return [Guarded(fact, call.node, "assert") for call, facts in self._assertions.get(id(site.scope), ())
                if call.site.seq < site.seq for fact in facts]

    def _assertion_facts(self, call: CallSite) -> list[Fact]:
        last = self._name(call.node.func).rsplit(".", 1)[-1]
        first, second = argument(call.node, 0, "x"), argument(call.node, 1, "y")
        if last == "Assert" and first is not None:
            return self.facts(first, call.site)
        if last in _ASSERT_AGAINST_ZERO and first is not None:
            return [Fact(_spelled(self.analysis, first), _ASSERT_AGAINST_ZERO[last], 0.0, call.node)]
        if last in _ASSERT_COMPARISONS and first is not None and second is not None:
            return self._pair(first, _ASSERT_COMPARISONS[last], second, call.node, call.site)
        return []

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

    def _comparison(self, node: cst.Comparison, site: Point) -> list[Fact]:
        facts = []
        left = node.left
        for target in node.comparisons:
            relation = _OPERATORS.get(type(target.operator))
            if relation is not None:
                facts.extend(self._pair(left, relation, target.comparator, node, site))
            left = target.comparator
        return facts

    def _pair(self, left: cst.BaseExpression, relation: str, right: cst.BaseExpression, node: cst.CSTNode,
              site: Point) -> list[Fact]:
        constants = self.analysis.values
        left, right = _as_number(self.analysis, left), _as_number(self.analysis, right)
        right_value, left_value = constants.constant(right, site), constants.constant(left, site)
        if left_value is not None and right_value is None:
            left, right, relation, right_value = right, left, _FLIP[relation], left_value
        subject = _unwrap_abs(self.analysis, left)
        if subject is not left and relation in (">", ">=") and (right_value is None or right_value >= 0):
            # |x| > c with c >= 0: x != 0
            return [Fact(_spelled(self.analysis, subject), "!=", 0.0, node)]
        facts = [Fact(_spelled(self.analysis, left), relation, right_value, node,
                      _spelled(self.analysis, subject) if subject is not left else None)]
        if left_value is None and right_value is None:
            # `imax != imin`: also `imax - imin != 0` (verdict reads `imin - imax` with the relation flipped)
            subtrahend = _spelled(self.analysis, right)
            if isinstance(right, cst.BinaryOperation) and isinstance(right.operator, (cst.Add, cst.Subtract)):
                subtrahend = f"({subtrahend})"  # `i < (n - 1)`: i - (n - 1) < 0, not i - n - 1
            difference = f"{_spelled(self.analysis, left)} - {subtrahend}"
            facts.append(Fact(difference, relation, 0.0, node))
            facts.extend(self._above_nonnegative(left, relation, right, node, site))
        return facts

    def _above_nonnegative(self, left: cst.BaseExpression, relation: str, right: cst.BaseExpression,
                           node: cst.CSTNode, site: Point) -> list[Fact]:
        """`i < d` where i >= 0 (an index over range(...), a size, a count): d > i >= 0, so d > 0 wherever the
        comparison holds; `i <= d` with i > 0 too. Tabnet's `for ni in range(n): if ni < (n - 1): ... / (n - 1)`, a
        warm-up's `if epoch < warmup: lr * epoch / warmup`."""
        if relation in ("<", "<="):
            lower, upper = left, right
        elif relation in (">", ">="):
            lower, upper = right, left
        else:
            return []
        span = self.analysis.ranges.of(lower, site)
        if span is None or not (span.low >= 0 if relation in ("<", ">") else span.low > 0):
            return []
        return [Fact(_spelled(self.analysis, upper), ">", 0.0, node)]

    def _counted_mask(self, operand: cst.BaseExpression, site: Site) -> str | None:
        """`m` when the operand is (a name bound to) sum/count_nonzero/mean of (a cast of) m."""
        expr, _ = self.analysis.binder.follow(operand, site)
        seen = False
        for _ in range(6):
            if not isinstance(expr, cst.Call) or operation_named(self._name(expr.func)) not in _COUNTING:
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


def _same_binding(first: Binding | None, second: Binding) -> bool:
    return first is not None and first.scope is second.scope and first.seq == second.seq and first.name == second.name


def _restated(fact: Fact, spelled: str, spellings: set[str], swapped: set[str],
              offset: tuple[str, float] | None) -> Fact | None:
    """The fact as one about the operand spelled `spelled` (also `spellings`), or None when it is about something
    else: `a - b > 0` read for `b - a` (`swapped`), `n > 1` read for `n - 1` (`offset`: n and 1)."""
    operand = _unspaced(fact.operand)
    if operand in swapped and fact.bound == 0:
        return Fact(spelled, _FLIP[fact.relation], 0.0, fact.condition)  # a - b > 0: b - a < 0
    if offset is not None and operand == offset[0] and fact.bound is not None and fact.magnitude_of is None:
        # `if n <= 1: return` before `i / (n - 1)`: n > 1 there, so n - 1 > 0
        return Fact(spelled, fact.relation, fact.bound - offset[1], fact.condition)
    return fact if operand in spellings else None


def _keeps_unless_nan(analysis: ModuleAnalysis, call: cst.Call) -> str | None:
    """`v` of `where(is_nan(v), fill, v)`: the value a where keeps except where it is NaN (as spelled); else None."""
    if analysis.op_of_call(call) is not Op.WHERE:
        return None
    condition, kept = argument(call, 0, "condition"), argument(call, 2, "y")
    if not (isinstance(condition, cst.Call) and condition.args and kept is not None
            and operation_named(called_name(condition)) is Op.IS_NAN):
        return None
    tested = analysis.spelled(condition.args[0].value)
    return tested if tested == analysis.spelled(kept) else None


def _nan_tested(condition: cst.BaseExpression | None) -> str | None:
    """`r` in `isnan(r)` (`tf.math.is_nan(r)`, `np.isnan(r)`), a name."""
    if not isinstance(condition, cst.Call) or not condition.args:
        return None
    tested = condition.args[0].value
    if operation_named(called_name(condition)) is Op.IS_NAN and isinstance(tested, cst.Name):
        return tested.value
    return None


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


def _as_number(analysis: ModuleAnalysis, expr: cst.BaseExpression) -> cst.BaseExpression:
    """`d` in `d.item()` and the builtin `float(d)`: a 0-d array or tensor as a Python number has its value
    (`if denom.item() == 0: return ...`, monai)."""
    if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute) and expr.func.attr.value == "item" \
            and not expr.args:
        return expr.func.value
    if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Name) and expr.func.value == "float" \
            and analysis.qualified_name(expr.func) is None and len(expr.args) == 1 and expr.args[0].keyword is None:
        return expr.args[0].value
    return expr


def _unwrap_abs(analysis: ModuleAnalysis, expr: cst.BaseExpression) -> cst.BaseExpression:
    """`x` in `tf.abs(x)`, `np.abs(x)` and the builtin `abs(x)`."""
    builtin = isinstance(expr, cst.Call) and isinstance(expr.func, cst.Name) and expr.func.value == "abs" \
        and analysis.qualified_name(expr.func) is None
    if isinstance(expr, cst.Call) and (builtin or analysis.op_of_call(expr) is Op.ABS) and expr.args:
        return expr.args[0].value
    return expr


def _undo(left: cst.BaseExpression, operator: cst.BaseBinaryOp, right: cst.BaseExpression,
          left_value: float | None, right_value: float | None, span: Span) -> tuple[cst.BaseExpression, Span] | None:
    """For `left <operator> right` with exactly one side a known constant: the other side, and the span it must lie
    in for the whole to lie in `span` (x + c in S iff x in S - c, c - x in S iff x in -(S - c), x * c in S iff
    x in S / c, x / c in S iff x in S * c). None for other arithmetic, and for a product or quotient by 0."""
    if isinstance(operator, cst.Add) and (left_value is None) != (right_value is None):
        inner, offset = (left, right_value) if right_value is not None else (right, left_value)
        return inner, span.shifted(-offset)  # type: ignore[operator]
    if isinstance(operator, cst.Subtract) and right_value is not None and left_value is None:
        return left, span.shifted(right_value)
    if isinstance(operator, cst.Subtract) and left_value is not None and right_value is None:
        return right, span.shifted(-left_value).scaled(-1.0)
    if isinstance(operator, cst.Multiply) and (left_value is None) != (right_value is None):
        inner, factor = (left, right_value) if right_value is not None else (right, left_value)
        return (inner, span.scaled(1.0 / factor)) if factor else None
    if isinstance(operator, cst.Divide) and right_value and left_value is None:
        return left, span.scaled(right_value)
    return None



# Expressions that stay valid without their parentheses (an empty tuple, a generator expression do not)
_UNWRAPPABLE = (cst.BinaryOperation, cst.UnaryOperation, cst.Name, cst.Attribute, cst.Call, cst.Subscript,
                cst.Comparison, cst.BooleanOperation)


def _spelled(analysis: ModuleAnalysis, expr: cst.CSTNode) -> str:
    """The normalized source of an expression, without its outer parentheses (`(hi - lo)` is `hi - lo`)."""
    if isinstance(expr, _UNWRAPPABLE) and expr.lpar:
        expr = expr.with_changes(lpar=(), rpar=())
    return analysis.spelled(expr)


def _unspaced(spelled: str) -> str:
    return spelled.replace(" ", "")


# The names an expression reads, from its spelling (not attributes: `x.std()` reads `x`)
_NAMES = re.compile(r"(?<![\w.])[A-Za-z_]\w*")


def _negated(facts: list[Fact]) -> list[Fact]:
    """The facts that hold where a condition is false: its facts negated when they restate one comparison
    (`a != b` is also `a - b != 0`); nothing for a conjunction (`not (a and b)` says nothing about a alone)."""
    single = len(facts) == 1 or (bool(facts) and all(fact.condition is facts[0].condition for fact in facts)
                                 and not (isinstance(facts[0].condition, cst.Comparison)
                                          and len(facts[0].condition.comparisons) > 1))
    return [negated for negated in (fact.negated() for fact in facts) if negated is not None] if single else []


def _holds(value: float, fact: Fact) -> bool:
    """Whether the constant `value` satisfies `fact`'s relation to its (known) bound."""
    bound = fact.bound
    assert bound is not None
    return {">": value > bound, ">=": value >= bound, "<": value < bound, "<=": value <= bound,
            "!=": value != bound, "==": value == bound}.get(fact.relation, False)


def _swapped_difference(analysis: ModuleAnalysis, expr: cst.BaseExpression) -> str | None:
    """`b - a` for `a - b`: the spelling a fact on the negated difference has."""
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Subtract):
        return f"{_spelled(analysis, expr.right)} - {_spelled(analysis, expr.left)}"
    return None


def _bound_names(target: cst.BaseExpression) -> list[str]:
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [name for element in target.elements for name in _bound_names(element.value)]
    return []


_Tests = tuple[tuple[cst.BaseExpression, bool], ...]


def _conditioned_children(node: cst.CSTNode, tests: _Tests, root: bool) -> list[tuple[cst.CSTNode, _Tests]]:
    """A node's children in one statement, each with the tests it is evaluated under; the blocks a compound
    statement heads are other statements, and a lambda's body runs later, under none of them."""
    # Exact types (libcst's node classes have no subclasses): a failed isinstance() against them is an ABC check,
    # and this runs on every node of every statement an operation is checked in.
    if type(node) is cst.IndentedBlock or (type(node) is cst.If and not root):
        return []
    if type(node) is cst.IfExp:
        return [(node.test, tests), (node.body, (*tests, (node.test, True))), (node.orelse, (*tests, (node.test, False)))]
    if type(node) is cst.BooleanOperation:
        return [(node.left, tests), (node.right, (*tests, (node.left, isinstance(node.operator, cst.And))))]
    if type(node) in _COMPREHENSIONS:
        node = cast("cst.ListComp | cst.SetComp | cst.GeneratorExp | cst.DictComp", node)
        ifs: list[tuple[cst.BaseExpression, bool]] = []
        clause: cst.CompFor | None = node.for_in
        while clause is not None:
            ifs.extend((comp_if.test, True) for comp_if in clause.ifs)
            clause = clause.inner_for_in
        body = [node.key, node.value] if isinstance(node, cst.DictComp) else [node.elt]
        return [(node.for_in, tests), *((part, (*tests, *ifs)) for part in body)]
    if type(node) is cst.Lambda:
        return [(child, ()) for child in children(node)]
    return [(child, tests) for child in children(node)]


_COMPREHENSIONS = frozenset((cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp))

