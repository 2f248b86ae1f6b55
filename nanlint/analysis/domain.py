"""Each operation's unsafe inputs, as queries on where values lie (ranges.py).

- log needs > 0: `reaches_negative` (a linear head, a tanh, a signed product used as a probability);
- exp needs its argument below ln(max) of the dtype (88.72 in float32, 11.09 in float16): `unbounded_above` (a
  linear head), `Domain.exp_overflows` (nothing bounds the argument below the overflow point: no clip or cap, no
  shift by the max, no where() branch taken only below a cutoff), `Domain.squashed_elsewhere` (a tensor the code
  itself treats as logits: it passes other slices of it to sigmoid/softmax, as a YOLO head's `feats`),
  `Domain.decoded_log_ratio` (exp(t) * s where the module encodes t as log(w / s): a box coder's size code, which
  a regression head predicts);
- a log of a sum of exps (softplus `log(1 + exp(x))`, log-cosh `log((exp(x) + exp(-x)) / 2)`, a log-sum-exp without
  the max subtracted) overflows in the exp although the result itself is representable: `Domain.logs_of_exp_sums`;
- a log of a difference with an exp (`log(exp(d) - 1)`, `log(1 - exp(x))`, `log(exp(a) - exp(b))`) needs the two
  sides apart: 0 where they meet, negative past it (`Domain.exp_difference`);
- acos/asin need (-1, 1): a normalised dot product `a·b / (|a| |b|)` is exactly ±1 for parallel vectors and rounds
  past 1 in float32 (`Domain.cosine`);
- division needs != 0: an overlap over a total (Dice, IoU) is 0/0 where both quantities are empty
  (`overlap_ratio`);
- a log weighted by its own argument (`p * log(p)`, `y_true * log(y_true / y_pred)`: an entropy or KL term) means
  0 * log(0) = 0 but computes 0 * -Inf = NaN, so the weight must stay off 0 (`Domain.self_weighted_log`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import libcst as cst

from nanlint.analysis.binder import END, At, BindingKind, Point
from nanlint.analysis.guards import Domain as Unsafe
from nanlint.analysis.interval import INF
from nanlint.analysis.module import ModuleAnalysis, Scope, Site
from nanlint.analysis.arguments import argument
from nanlint.analysis.numerics import OVERFLOWS
from nanlint.analysis.operations import MEANS, Op, normalize
from nanlint.analysis.samples import SAME_ENTRIES, axis_argument
from nanlint.analysis.ranges import positive, range_of
from nanlint.analysis.values import LABEL_SIGNATURE, Guard, Producer, Value, numeric_literal, parameter_index

_MAX_DEPTH = 12
# Operations that change a vector's shape, not its entries: a unit vector stays one.
_SAME_VECTOR = frozenset({Op.SQUEEZE, Op.RESHAPE, Op.EXPAND_DIMS, Op.IDENTITY})
_ROOTS = frozenset({Op.SQRT, Op.NORM})
# What changes a tensor's shape or type but keeps it the same tensor (a sum of exps, logits).
_RESHAPES = frozenset({Op.RESHAPE, Op.SQUEEZE, Op.EXPAND_DIMS, Op.CAST})

# Output activations that make a model a classifier, whose labels are 0/1 or one-hot.
_PROBABILITY_ACTIVATIONS = frozenset({"sigmoid", "softmax"})

# Guards that bound a value from below (a clip or a floor), so it cannot go negative or unbounded there.
_BOUNDING_GUARDS = (Guard.CLIPPED, Guard.MAXIMUM, Guard.WHERE)


# Producers that take both signs by construction. A sum or a masked value may too, but nothing shows that it does
# (`log(reduce_sum(counts) + 2)` is not "a linear output").
_SIGNED_BY_CONSTRUCTION = (Producer.LINEAR, Producer.TANH, Producer.SIGNED)


def reaches_negative(value: Value) -> bool:
    """The value takes negative values for some inputs and no guard bounds it: log is NaN there."""
    span = range_of(value)
    return span is not None and span.low < 0 and value.guard not in _BOUNDING_GUARDS \
        and value.producer in _SIGNED_BY_CONSTRUCTION


def unbounded_above(value: Value) -> bool:
    """A value with no upper bound and no clip (a linear head): exp of it overflows for large enough inputs."""
    span = range_of(value)
    return span is not None and span.high == INF and value.producer is Producer.LINEAR \
        and value.guard is not Guard.CLIPPED


@dataclass(frozen=True)
class OverlapRatio:
    """An overlap over the total of the same two nonnegative quantities: Dice `2 * sum(a * b) / (sum(a) + sum(b))`,
    IoU / Jaccard `inter / (area1 + area2 - inter)`. Where both quantities are empty (an all-zero mask or block, two
    zero-area padding boxes) the overlap and the total are both 0: 0/0."""

    kind: str  # "Dice" or "IoU"
    operands: tuple[str, str]  # the two quantities (source text), for messages


def overlap_ratio(analysis: ModuleAnalysis, numerator: cst.BaseExpression | None, denominator: cst.BaseExpression,
                  site: Site) -> OverlapRatio | None:
    """The overlap ratio a division spells, followed through names; None when it is not one, or when it is never
    0/0. A total with a third term (a smoothing constant, an epsilon) is not one: that is the guard. One of the two
    quantities never 0 is not one either: the total is at least that quantity (a union is at least either area,
    the overlap being at most the smaller), so it is 0 only where that quantity is; see `_never_zero`."""
    if numerator is None:
        return None
    overlap = analysis.values.definition(_without_constant_factors(analysis, numerator, site), site)
    total, total_at = analysis.values.definition_at(denominator, site)
    terms = _additive_terms(total)
    added = [term for sign, term in terms if sign > 0]
    subtracted = [term for sign, term in terms if sign < 0]
    if len(added) != 2 or len(subtracted) > 1 or any(analysis.values.constant(t, site) is not None for t in added) \
            or any(_never_zero(analysis, term, total_at) for term in added):
        return None
    texts = tuple(analysis.spelled(term) for term in added)
    if subtracted:
        # the overlap itself taken out of the sum of the two: a union
        taken = subtracted[0]
        if analysis.spelled(taken) in (analysis.spelled(numerator), analysis.spelled(overlap)) or analysis.spelled(
                analysis.values.definition(taken, site)) == analysis.spelled(overlap):
            return OverlapRatio("IoU", (texts[0], texts[1]))
        return None
    # Dice: sum(a * b) over sum(a) + sum(b)
    summed = [_summed(analysis, analysis.values.definition(term, site)) for term in added]
    product = _summed(analysis, overlap)
    if product is None or any(s is None for s in summed) or not (
            isinstance(product, cst.BinaryOperation) and isinstance(product.operator, cst.Multiply)):
        return None
    factors = {analysis.spelled(product.left), analysis.spelled(product.right)}
    operands = tuple(analysis.spelled(s) for s in summed if s is not None)
    return OverlapRatio("Dice", (operands[0], operands[1])) if set(operands) == factors and len(factors) == 2 else None



@dataclass(frozen=True)
class PowerNormalization:
    """`w ** g / reduce_sum(w ** g, axis)` with g a tensor the code computes (NTM's sharpening, a learned
    exponent such as `1 + softplus(h)`): once g is large, every w below 1 underflows to exactly 0 and the sum is 0
    (0/0); any w above 1 overflows to Inf instead (Inf/Inf). Either way NaN, unless g is bounded."""

    powers: str  # the powers as written (source text), for messages
    exponent: str


def _never_zero(analysis: ModuleAnalysis, quantity: cst.BaseExpression, at: Point) -> bool:
    """One of an overlap ratio's two quantities is never 0 for any input: its range has a positive lower bound (the
    areas of an anchor table of positive sizes, `anchors[..., 0] * anchors[..., 1]`, also where the table is a
    parameter every call of the project passes such a table for, imported from another file: yolov3-tf2's
    `transform_targets(y, yolo_anchors, size)`), or it is fixed (computed from literals alone: the same on every
    run, so 0 always or never, and no input makes it so)."""
    return positive(analysis.ranges.of(quantity, at, project=True)) or analysis.ranges.fixed(quantity, at) \
        or _inclusive_area(analysis, quantity, at)


def _inclusive_area(analysis: ModuleAnalysis, quantity: cst.BaseExpression, at: Point) -> bool:
    """`(x2 - x1 + 1) * (y2 - y1 + 1)`, also an element of an array of them (`areas[j]`): a box's area counted in
    inclusive pixels (py-faster-rcnn's and Pascal VOC's NMS), each side a difference plus a positive constant. A
    degenerate or zero-padded box (x1 = x2) has area 1 there, and any box whose max is at least its min one at
    least c * c: a zero needs an inverted box, not the zero-area boxes the rule is about."""
    expr, at = _element_array(analysis, quantity, at)
    form = analysis.operator_form(expr)
    return isinstance(form, cst.BinaryOperation) and isinstance(form.operator, cst.Multiply) and all(
        _widened_difference(analysis, side, at) for side in (form.left, form.right))


def _element_array(analysis: ModuleAnalysis, expr: cst.BaseExpression,
                   at: Point) -> tuple[cst.BaseExpression, Point]:
    """`expr` through names and subscripts: what an element was taken from (`areas[i]` -> what `areas` is)."""
    for _ in range(_MAX_DEPTH):
        expr, at = analysis.binder.follow(expr, at, _MAX_DEPTH)
        if not isinstance(expr, cst.Subscript):
            break
        expr = expr.value
    return expr, at


def _widened_difference(analysis: ModuleAnalysis, side: cst.BaseExpression, at: Point) -> bool:
    """`x2 - x1 + 1` (or `1 + (x2 - x1)`): a difference plus a positive constant, through names."""
    expr, at = _element_array(analysis, side, at)
    form = analysis.operator_form(expr)
    if not (isinstance(form, cst.BinaryOperation) and isinstance(form.operator, cst.Add)):
        return False
    for constant, rest in ((form.right, form.left), (form.left, form.right)):
        value = numeric_literal(constant)
        difference = analysis.operator_form(_element_array(analysis, rest, at)[0])
        if value is not None and value > 0 and isinstance(difference, cst.BinaryOperation) \
                and isinstance(difference.operator, cst.Subtract):
            return True
    return False


def power_normalization(analysis: ModuleAnalysis, numerator: cst.BaseExpression | None,
                        denominator: cst.BaseExpression, site: Site) -> PowerNormalization | None:
    """The powers a division normalises by their own sum along an axis, when the exponent is a tensor with no
    upper bound (followed through names and shape-only wrappers). Not an exponent the caller passes as a number
    (`y ** (1 / temperature)` with a Python float: a fixed sharpening, whose sum stays far from 0)."""
    if numerator is None:
        return None
    summed, at = _unwrapped(analysis, denominator, site)
    if not (isinstance(summed, cst.Call) and analysis.op_of_call(summed) is Op.REDUCE_SUM):
        return None
    terms = analysis.operand(summed)
    if terms is None or axis_argument(summed, terms) is None:
        return None
    power, power_at = _unwrapped(analysis, terms, at)
    form = analysis.operator_form(power)
    if not (isinstance(form, cst.BinaryOperation) and isinstance(form.operator, cst.Power)):
        return None
    exponent = form.right
    if not _computed_tensor(analysis, exponent, power_at, 0) \
            or analysis.spelled(_unwrapped(analysis, numerator, site)[0]) != analysis.spelled(power) \
            or analysis.values.number(exponent, power_at) is not None \
            or analysis.ranges.upper(exponent, power_at) is not None:
        return None
    return PowerNormalization(analysis.spelled(terms), analysis.spelled(exponent))


def _unsigned(expr: cst.BaseExpression) -> cst.BaseExpression:
    """`-p` -> `p` (an entropy's `-p * log(p)`)."""
    while isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Minus):
        expr = expr.expression
    return expr


def _complement_of(expr: cst.BaseExpression) -> cst.BaseExpression | None:
    """x in `1 - x`."""
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Subtract) \
            and numeric_literal(expr.left) == 1.0:
        return expr.right
    return None


def _unwrapped(analysis: ModuleAnalysis, expr: cst.BaseExpression, at: Point) -> tuple[cst.BaseExpression, Point]:
    """`expr` through names and the wrappers that keep its values (`expand_dims(reduce_sum(p, 1), 1)`)."""
    for _ in range(_MAX_DEPTH):
        expr, at = analysis.binder.follow(expr, at, _MAX_DEPTH)
        operand = analysis.operand(expr) if isinstance(expr, cst.Call) and analysis.op_of_call(expr) in _RESHAPES \
            else None
        if operand is None:
            break
        expr = operand
    return expr, at


def _computed_tensor(analysis: ModuleAnalysis, expr: cst.BaseExpression, at: Point, depth: int) -> bool:
    """`expr` is a tensor the code computes with TensorFlow/Keras operations (`tf.expand_dims(gamma, 1)`,
    `1 + tf.nn.softplus(h)`), through names: a value of the network, not a hyper-parameter the caller passes."""
    if depth > _MAX_DEPTH:
        return False
    expr, at = analysis.binder.follow(expr, at, _MAX_DEPTH)
    if isinstance(expr, cst.BinaryOperation):
        return any(_computed_tensor(analysis, side, at, depth + 1) for side in (expr.left, expr.right))
    if not isinstance(expr, cst.Call):
        return False
    op = analysis.op_of_call(expr)
    if op is Op.CONSTANT:
        return False
    qualified = normalize(analysis.qualified_name(expr.func) or "")
    return op is not None and qualified.startswith(("tensorflow.", "keras."))


def _without_constant_factors(analysis: ModuleAnalysis, expr: cst.BaseExpression, site: Site) -> cst.BaseExpression:
    """`2 * x`, `1.0 * x`, `x * 2.`, `float(x)`, `tf.cast(x, tf.float32)` -> `x`."""
    while True:
        if isinstance(expr, cst.Call) and expr.args and (
                analysis.op_of_call(expr) is Op.CAST
                or (isinstance(expr.func, cst.Name) and expr.func.value == "float" and len(expr.args) == 1)):
            expr = expr.args[0].value
            continue
        if not (isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Multiply)):
            break
        if analysis.values.constant(expr.left, site) is not None:
            expr = expr.right
        elif analysis.values.constant(expr.right, site) is not None:
            expr = expr.left
        else:
            break
    return expr


def _additive_terms(expr: cst.BaseExpression) -> list[tuple[int, cst.BaseExpression]]:
    """`a + b - c` -> [(+1, a), (+1, b), (-1, c)] (parentheses dropped, no descent into calls)."""
    terms: list[tuple[int, cst.BaseExpression]] = []
    pending: list[tuple[int, cst.BaseExpression]] = [(1, expr)]
    while pending:
        sign, current = pending.pop()
        if isinstance(current, cst.BinaryOperation) and isinstance(current.operator, (cst.Add, cst.Subtract)):
            pending.append((-sign if isinstance(current.operator, cst.Subtract) else sign, current.right))
            pending.append((sign, current.left))  # popped first: the terms keep their written order
        else:
            terms.append((sign, current))
    return terms


def _summed(analysis: ModuleAnalysis, expr: cst.BaseExpression) -> cst.BaseExpression | None:
    """What `reduce_sum(x)` / `K.sum(x)` sums, else None."""
    if isinstance(expr, cst.Call) and analysis.op_of_call(expr) is Op.REDUCE_SUM:
        return analysis.operand(expr)
    return None


@dataclass(frozen=True)
class ExpSum:
    """A sum of exps up to positive constants: `exp(x) + 1`, `(exp(x) + exp(-x)) / 2`, `reduce_sum(exp(x))`.
    `exps` are the exp (or cosh) calls, each with the point its argument is evaluated at."""

    exps: tuple[tuple[cst.Call, Point], ...]
    constant: float = 0.0  # the positive constant added (1 in a softplus)
    reduced: bool = False  # summed over an axis (a log-sum-exp)

    def plus(self, other: ExpSum) -> ExpSum:
        return ExpSum(self.exps + other.exps, self.constant + other.constant, self.reduced or other.reduced)


@dataclass(frozen=True)
class LogOfExpSum:
    """`log`/`log1p` of an `ExpSum`: the exps it overflows in, and the form for the message and the fix."""

    node: cst.Call  # the log / log1p call
    site: Site
    form: str  # "softplus" | "log-cosh" | "log-sum-exp"
    exps: tuple[cst.Call, ...]  # every exp the sum is built from (reported once, with the log)
    overflowing: tuple[tuple[cst.Call, Point], ...]  # those whose argument nothing bounds below the overflow point


@dataclass(frozen=True)
class ExpDifference:
    """`exp(u) - c` (c > 0 a constant: `log(exp(d) - 1)`, a hand-written softplus inverse), `c - exp(u)` (log1mexp
    by hand) or `exp(u) - exp(v)`: 0 where the two sides meet (u = ln c, u = v) and of the wrong sign past it, so a
    log of it is -Inf there and NaN beyond. Against c = 1 it is also exactly 0 where exp(u) rounds to 1.0: measured
    (TF 2.21), `exp(u) - 1` is 0 for 0 < u < 6e-8 in float32 (4.9e-4 in float16) and `1 - exp(u)` for
    -3e-8 < u < 0 (-2.4e-4 in float16)."""

    exp: cst.Call  # the exp whose argument decides (exp(u) in `exp(u) - c`; exp(u) in `exp(u) - exp(v)`)
    zero_where: str  # where the difference is 0, as a clause: "`d` = 0", "`a` equals `b`"
    rounding: str | None  # where rounding makes it 0 as well (against 1 only)
    wrong_sign_where: str | None  # where it is negative; None when the argument's range stays clear of that side
    fix: str
    construction: bool  # the code makes the meeting point reachable (see `Domain.exp_difference`)


def _is_difference(analysis: ModuleAnalysis, expr: cst.BaseExpression | None) -> bool:
    """`a - b` written as such (a center offset `xcenter - xcenter_a`)."""
    form = analysis.operator_form(expr) if expr is not None else None
    return isinstance(form, cst.BinaryOperation) and isinstance(form.operator, cst.Subtract)


@dataclass(frozen=True)
class LogRatioCode:
    """exp of a box coder's size code, which the module encodes as `log(w / scale)` beside center offsets over the
    same scale: a regression target, predicted unbounded."""

    scale: str  # the scale it is decoded against, spelled (`wa`, `anchor_w`)
    encoding: cst.Call  # the `log(w / scale)` that encodes it


@dataclass(frozen=True)
class SelfWeightedLog:
    """A log weighted by its own argument: `w * log(w)`, `w * log(w / q)`, `w * (log(w) - log(q))`, `-w *
    log(w)` (an entropy or a KL divergence term, in any spelling of the product). The formula means 0 * log(0) =
    0; floating point computes 0 * -Inf = NaN wherever w is exactly 0 (measured, TF 2.21 and NumPy: the loss is
    NaN, and in the quotient form every gradient through q is NaN too)."""

    product: cst.CSTNode  # the product as written
    weight: cst.BaseExpression  # w, without its sign
    quotient: bool  # the log's argument is w / q: its gradient reaches q (the prediction of a KL loss)


@dataclass(frozen=True)
class ZeroWeight:
    """Why the weight of a `SelfWeightedLog` can be exactly 0."""

    where: str  # "`y_true` is 0 (...)", a clause for messages
    source: str  # "labels" (a loss's labels: no gradient flows into them), "value" or "parameter"
    # the labels of a loss compiled on a model whose output is no probability (regression targets, 0 only if the
    # data has zeros: a count, an intensity), or a parameter's entries: 0 for inputs the code does not show (on
    # NumPy libraries the parameter cause was 2 DEBATABLE, 5 FALSE of 7: `m > 1` by a distribution's own check,
    # entries shifted off 0 in a loop)
    plausible: bool = False


class Domain:
    """The unsafe-input queries that need the module: exp's overflow, logs of sums of exps, logits, cosines."""

    def __init__(self, analysis: ModuleAnalysis) -> None:
        self.analysis = analysis
        self.values = analysis.values
        self.binder = analysis.binder

    # -- logs weighted by their own argument -----------------------------------------------------
    def self_weighted_log(self, log_call: cst.Call) -> SelfWeightedLog | None:
        """The product that weighs this log by its own argument (or the numerator of it), if there is one."""
        return self._self_weighted.get(id(log_call))

    @cached_property
    def _weighted_logs(self) -> list[tuple[cst.BaseExpression, cst.BaseExpression, cst.Call, Point]]:
        """Every (product, weight, log, where the log is evaluated) of a log that is a factor of a product, up to
        sign and sums (`w * log(p)`, `-w * (log(p) - log(q))`, `tf.multiply(w, log_p)`), the weight unsigned."""
        found: list[tuple[cst.BaseExpression, cst.BaseExpression, cst.Call, Point]] = []
        products: list[tuple[cst.BaseExpression, Site]] = [(binary.node, binary.site)
                                                            for binary in self.analysis.binary_operations]
        products += [(call.node, call.site) for call in self.analysis.calls_of(Op.MULTIPLY)]
        for node, site in products:
            form = self.analysis.operator_form(node)
            if not (isinstance(form, cst.BinaryOperation) and isinstance(form.operator, cst.Multiply)):
                continue
            for weight, other in ((form.left, form.right), (form.right, form.left)):
                found.extend((node, _unsigned(weight), log, at) for log, at in self._logs_in(other, site, 0))
        return found

    @cached_property
    def _self_weighted(self) -> dict[int, SelfWeightedLog]:
        found: dict[int, SelfWeightedLog] = {}
        for node, weight, log, at in self._weighted_logs:
            operand = self.analysis.operand(log)
            if operand is None or id(log) in found:
                continue
            argument, _ = self.binder.follow(operand, at, 2)
            ratio = self.analysis.operator_form(argument)
            quotient = isinstance(ratio, cst.BinaryOperation) and isinstance(ratio.operator, cst.Divide)
            numerator = ratio.left if isinstance(ratio, cst.BinaryOperation) and quotient else argument
            if self.analysis.spelled(_unsigned(numerator)) == self.analysis.spelled(weight):
                found[id(log)] = SelfWeightedLog(node, weight, quotient)
        return found

    # -- log(p) and log(1 - p) weighted as a cross-entropy weighs them ------------------------------
    def weighted_as_cross_entropy(self, plain_log: cst.Call, complement_log: cst.Call, site: Site) -> bool:
        """Whether log(p) and log(1 - p) carry the weights of a binary cross-entropy: the target and its complement
        (`y` and `1 - y`, `y` and `n - y`, `alpha * y` and `(1 - alpha) * (1 - y)`: weights that share a name, here
        or through an arithmetic binding, `neg = 1 - y`), constants (fixed targets), or no weight on one of them.
        Not two weights of their own: the Beta density's kernel `(a - 1) * log(x) + (b - 1) * log(1 - x)` (edward's
        conjugate log-probabilities) is a density of x weighted by two shape parameters, no cross-entropy whose
        prediction saturates."""
        weights = self._log_weights
        plain, complement = weights.get(id(plain_log)), weights.get(id(complement_log))
        if plain is None or complement is None:
            return True
        plain_names, complement_names = self._weight_names(plain, site), self._weight_names(complement, site)
        return not plain_names or not complement_names or bool(plain_names & complement_names)

    @cached_property
    def _log_weights(self) -> dict[int, cst.BaseExpression]:
        found: dict[int, cst.BaseExpression] = {}
        for _, weight, log, _ in self._weighted_logs:
            found.setdefault(id(log), weight)
        return found

    def _weight_names(self, weight: cst.BaseExpression, site: Site) -> set[str]:
        """The names, attributes and subscripts a weight is computed from (a call's arguments, not its function),
        a name followed through a binding that is arithmetic (`neg = 1 - y`)."""
        names: set[str] = set()
        pending: list[tuple[cst.BaseExpression, int]] = [(weight, 0)]
        while pending:
            expr, depth = pending.pop()
            if isinstance(expr, cst.Name) and depth < 2:
                bound = self.values.definition(expr, site)
                if bound is not expr and isinstance(bound, (cst.BinaryOperation, cst.UnaryOperation)):
                    pending.append((bound, depth + 1))
                    continue
            if isinstance(expr, (cst.Name, cst.Attribute, cst.Subscript)):
                names.add(self.analysis.spelled(expr))
            elif isinstance(expr, cst.BinaryOperation):
                pending.extend(((expr.left, depth), (expr.right, depth)))
            elif isinstance(expr, cst.UnaryOperation):
                pending.append((expr.expression, depth))
            elif isinstance(expr, cst.Call):
                pending.extend((arg.value, depth) for arg in expr.args)
        return names

    def zero_weight(self, found: SelfWeightedLog, log_call: cst.Call, site: Site, numpy: bool) -> ZeroWeight | None:
        """Why the weight of a self-weighted log can be exactly 0, or None when nothing shows it can (or a guard,
        a clip, an epsilon or a positive range keeps it off 0). A weight can be 0 as a loss's labels (a one-hot or
        0/1 target is 0 in every class it does not mark), as a value with a structural zero of its own (a relu
        output, a count, a masked value), or as the entries of a parameter nothing in the module calls with
        anything else (what it is handed is a distribution, and a distribution with a zero entry is a legal one;
        the form itself, an entropy or a KL divergence, says so). Not a sigmoid or softmax output, whose log
        NAN001 reports as such; not a prediction (`y_pred`), which is such an output when it is a probability; not
        a value computed from data (`counts / counts.sum()`, `count / n` of unique counts): whether that has zeros
        is the data's business, not the code's. A where() that keeps the weight off 0 (around the log, or over its
        result afterwards) guards it only where no gradient comes back through the log: NumPy, or labels under a
        log of their own (TF 2.21: where(y > 0, y * log(y / p), 0) has a NaN gradient through p)."""
        weight = found.weight
        value = self.values.of(weight, site)
        if value.guard is not None or value.squashed or self._kept_off_zero(found, log_call, site, numpy or (
                value.producer is Producer.LABELS and not found.quotient)):
            return None
        if positive(self.analysis.ranges.of(weight, site)) or self.analysis.ranges.fixed(weight, site):
            return None
        spelled = self.analysis.spelled(weight)
        if value.producer is Producer.LABELS:
            regression = self._compiled_on_regression(site.scope.name.rsplit(".", 1)[-1])
            kind = "regression targets that are 0" if regression else \
                "labels: a one-hot or 0/1 target is 0 in every class it does not mark"
            return ZeroWeight(f"`{spelled}` is 0 ({kind})", "labels", regression)
        if value.zero_when is not None and (value.producer is not Producer.SUM or value.mask or value.subject_can_be_zero):
            return ZeroWeight(f"`{spelled}`, a {value.describe()}, is 0 ({value.zero_when})", "value")
        if value.producer is not None:
            return None
        complement = _complement_of(weight)
        root = complement if complement is not None else weight
        parameter = self._parameter(root, site, 0)
        if parameter is None:
            return None
        rooted = self.analysis.spelled(root)
        holds = f"`{parameter}` is a parameter" if parameter == rooted else \
            f"`{rooted}` holds entries of the parameter `{parameter}`"
        if complement is not None:
            return ZeroWeight(f"`{rooted}` is 1, so `{spelled}` is 0 ({holds}, and a probability of exactly 1 is a "
                              f"legal argument)", "parameter", True)
        return ZeroWeight(f"`{spelled}` is 0 ({holds}, and a probability of exactly 0, a one-hot vector's or a class "
                          f"never seen, is a legal argument)", "parameter", True)

    def _kept_off_zero(self, found: SelfWeightedLog, log_call: cst.Call, site: Site, where_guards: bool) -> bool:
        """A guard keeps the weight (or the log's argument) off 0, or `1 - p` off p = 1, where the log runs; with
        `where_guards`, also a where() around it or one that replaces its result afterwards."""
        weight, guards = found.weight, self.analysis.guards
        operand = self.analysis.operand(log_call)
        complement = _complement_of(weight)
        checks = [(weight, Unsafe.NONZERO, 0.0)]
        if operand is not None:
            checks.append((operand, Unsafe.POSITIVE, 0.0))
        if complement is not None:
            checks.append((complement, Unsafe.NONZERO, 1.0))
        return any(guards.excluded(log_call, expr, domain, site, gradient=not where_guards, point=point)
                   or (where_guards and guards.replaced_downstream(site, expr, domain, point))
                   for expr, domain, point in checks)

    def _compiled_on_regression(self, loss: str) -> bool:
        """Every model compiled with the loss function `loss` ends in an activation that is no probability (a
        linear, softplus or relu head): its labels are regression targets."""
        activations = [model.output_activation() for model in self.analysis.models
                       if model.setup is not None and model.setup.loss is not None and model.setup.loss.name == loss]
        return bool(activations) and all(activation is not None and activation not in _PROBABILITY_ACTIVATIONS
                                         for activation in activations)

    def _parameter(self, expr: cst.BaseExpression, at: Point, depth: int) -> str | None:
        """The parameter whose entries `expr` holds unchanged (through names, subscripts, casts and array
        conversions), when nothing in the module calls its function or a call passes it the entries of another
        such parameter (`self.kl_divergence(summary[group][0], pc)` in a method nothing calls); not a prediction
        (`y_pred`, the second of Keras' `(y_true, y_pred)`). Spelled as the outermost parameter found."""
        parameter = self.values.parameter_entries(expr, at, self._same_entries)
        return self._uncalled_parameter(parameter.scope, parameter.name, depth) if parameter is not None else None

    def _same_entries(self, call: cst.Call) -> cst.BaseExpression | None:
        """What a cast, a conversion to an array or tensor, or a copy takes (`np.array(pk)`, `tf.cast(y, ...)`)."""
        func = call.func
        last = (self.analysis.qualified_name(func) or "").rsplit(".", 1)[-1] or (
            func.attr.value if isinstance(func, cst.Attribute) else "")
        if self.analysis.op_of_call(call) not in (Op.CAST, Op.IDENTITY, Op.CONSTANT) and last not in SAME_ENTRIES:
            return None
        return self.analysis.operand(call)

    def _uncalled_parameter(self, function: Scope, name: str, depth: int) -> str | None:
        if function.params[:2] == list(LABEL_SIGNATURE) and name == LABEL_SIGNATURE[1]:
            return None
        callers = self.values.callers(function)
        if not callers:
            return name
        index = parameter_index(function, name)
        for call, caller in callers:
            passed = argument(call, index, name)
            found = self._parameter(passed, caller, depth + 1) if passed is not None and depth < 2 else None
            if found is not None:
                return found
        return None

    def _logs_in(self, expr: cst.BaseExpression, at: Point, depth: int) -> list[tuple[cst.Call, Point]]:
        """The log calls a factor is made of up to sign and sums: `log(p)`, `-log(p)`, `log(p) - log(q)`, and a
        name bound to one (`log_p = np.log(p)`), with the point each is evaluated at."""
        if depth > 4:
            return []
        expr, at = self.binder.follow(expr, at, 2)
        form = self.analysis.operator_form(expr)
        if isinstance(form, cst.UnaryOperation) and isinstance(form.operator, cst.Minus):
            return self._logs_in(form.expression, at, depth + 1)
        if isinstance(form, cst.BinaryOperation) and isinstance(form.operator, (cst.Add, cst.Subtract)):
            return self._logs_in(form.left, at, depth + 1) + self._logs_in(form.right, at, depth + 1)
        if isinstance(expr, cst.Call) and self.analysis.op_of_call(expr) is Op.LOG:
            return [(expr, at)]
        return []

    # -- exp's overflow ---------------------------------------------------------------------
    def bounded_but_for_a_scale(self, argument_of_exp: cst.BaseExpression, at: Point, site: Site) -> bool:
        """exp's argument is a product (or quotient, or its negation) of a factor the code bounds below the
        overflow point (a clip, a sigmoid output) and factors whose range the code does not show, none of them
        known to be unbounded (a linear head, a tensor the code also squashes as logits): keras-gym's logistic
        loss `exp(-y_true * clip(z, -15, 15))` overflows only for a label beyond ±5.9, a scale the code never
        shows (its labels are ±1). The overflow rests on that scale, not on the code."""
        dtype, _ = self.analysis.precision.float_at(site)
        factors = self._scale_factors(argument_of_exp, at, 0)
        if factors is None:
            return False
        bounded = unshown = 0
        for factor, point in factors:
            span = self.analysis.ranges.of(factor, point)
            if span is not None and max(abs(span.low), abs(span.high)) < dtype.exp_overflow:
                # a constant (a sign, `-1.0 if invert else 1.0`) bounds nothing: the author bounded a value
                bounded += not self.analysis.ranges.fixed(factor, point)
            elif (span is None or not (math.isfinite(span.low) and math.isfinite(span.high))) \
                    and not unbounded_above(self.values.of(factor, point)) \
                    and self.squashed_elsewhere(factor, point) is None:
                unshown += 1
            else:
                return False
        return bounded > 0 and unshown > 0

    def _scale_factors(self, expr: cst.BaseExpression, at: Point,
                 depth: int) -> list[tuple[cst.BaseExpression, Point]] | None:
        """The factors of a product or quotient (through names and negations); None for anything else."""
        if depth > 4:
            return None
        expr, at = self.binder.follow(expr, at)
        if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Minus):
            return self._scale_factors(expr.expression, at, depth + 1)
        form = self.analysis.operator_form(expr)
        if not (isinstance(form, cst.BinaryOperation) and isinstance(form.operator, (cst.Multiply, cst.Divide))):
            return [(expr, at)] if depth > 0 else None
        found = []
        for side in (form.left, form.right):
            inner = self._scale_factors(side, at, depth + 1)
            if inner is None:
                return None
            found.extend(inner)
        return found

    def exp_overflows(self, argument_of_exp: cst.BaseExpression, at: Point, site: Site,
                      exp_call: cst.Call | None = None, op: str = "exp") -> bool:
        """Nothing bounds exp's argument below the overflow point of the dtype the code runs in (of `op`'s, for
        expm1, sinh and cosh: the numerics table's OVERFLOWS): no bound of its own, and no where() branch that takes
        the exp only below a cutoff (`where(x < cutoff, exp(x), ...)`; the untaken branch's gradient is NAN007's
        business)."""
        bound = self.analysis.ranges.upper(argument_of_exp, at)
        dtype, _ = self.analysis.precision.float_at(site)
        limit = dtype.overflow(op)
        if bound is not None and bound <= limit:
            return False
        if exp_call is None:
            return True
        spelled = self.analysis.spelled(argument_of_exp)
        return not any(
            guarded.fact.operand == spelled and guarded.fact.relation in ("<", "<=")
            and (guarded.fact.bound is None or guarded.fact.bound <= limit)
            for guarded in self.analysis.guards.around(exp_call))

    def overflows(self, call: cst.Call, operand: cst.BaseExpression, site: Site) -> bool:
        """An exp-like call (exp, expm1, sinh, cosh: the numerics table's OVERFLOWS) whose argument nothing keeps
        below its overflow point; sinh and cosh overflow on either side, so the negated argument is asked too."""
        op = self.analysis.op_of_call(call)
        if op is None or op.value not in OVERFLOWS:
            return False
        if self.exp_overflows(operand, site, site, call, op.value):
            return True
        return OVERFLOWS[op.value].symmetric and self.exp_overflows(
            cst.UnaryOperation(operator=cst.Minus(), expression=operand), site, site, None, op.value)

    # -- sums of exps -----------------------------------------------------------------------
    def exp_sum(self, expr: cst.BaseExpression, at: Point, depth: int = 0) -> ExpSum | None:
        """The exps `expr` is a positive sum of, through names and the return of a module function."""
        if depth > _MAX_DEPTH:
            return None
        expr, at = self.binder.follow(expr, at, _MAX_DEPTH)
        form = self.analysis.operator_form(expr)  # `tf.add(1.0, tf.exp(x))` is `1.0 + tf.exp(x)`
        if isinstance(form, cst.BinaryOperation):
            return self._binary_exp_sum(form, at, depth)
        if not isinstance(expr, cst.Call):
            return None
        op = self.analysis.op_of_call(expr)
        if op in (Op.EXP, Op.COSH):
            return ExpSum(((expr, at),))
        operand = self.analysis.operand(expr)
        if (op is Op.REDUCE_SUM or op in MEANS) and operand is not None:
            inner = self.exp_sum(operand, at, depth + 1)
            return ExpSum(inner.exps, inner.constant, True) if inner is not None else None
        if op in _RESHAPES and operand is not None:
            return self.exp_sum(operand, at, depth + 1)
        function = self.values.called_function(expr, at) if op is None else None
        if function is not None and len(function.returns) == 1:
            return self.exp_sum(function.returns[0], At(function, END), depth + 1)
        return None

    def _binary_exp_sum(self, expr: cst.BinaryOperation, at: Point, depth: int) -> ExpSum | None:
        operator = expr.operator
        if isinstance(operator, cst.Add):
            left, right = self.exp_sum(expr.left, at, depth + 1), self.exp_sum(expr.right, at, depth + 1)
            if left is not None and right is not None:
                return left.plus(right)
            for found, other in ((left, expr.right), (right, expr.left)):
                added = self.values.constant(other, at)
                if found is not None and added is not None and added > 0:
                    return ExpSum(found.exps, found.constant + added, found.reduced)
            return None
        if isinstance(operator, (cst.Multiply, cst.Divide)):
            sides = ((expr.left, expr.right),) if isinstance(operator, cst.Divide) else (
                (expr.left, expr.right), (expr.right, expr.left))
            for summed, factor in sides:
                scale = self.values.constant(factor, at)
                if scale is not None and scale > 0:
                    return self.exp_sum(summed, at, depth + 1)
        return None

    @cached_property
    def logs_of_exp_sums(self) -> list[LogOfExpSum]:
        """Every `log`/`log1p` of a sum of exps in the module (softplus, log-cosh, log-sum-exp written by hand)."""
        found = []
        for call in self.analysis.calls_of(Op.LOG, Op.LOG1P):
            operand = self.analysis.operand(call.node)
            if operand is None or call.is_numpy:
                continue
            summed = self.exp_sum(operand, call.site)
            if summed is None or (call.op is Op.LOG and not summed.constant and not summed.reduced
                                  and [self.analysis.op_of_call(exp) for exp, _ in summed.exps] == [Op.EXP]):
                continue  # log(exp(x)) alone is x, and log1p needs nothing added
            overflowing = tuple((exp, at) for exp, at in summed.exps if self._overflows(exp, at, call.site))
            found.append(LogOfExpSum(call.node, call.site, self._form(call.op, summed),
                                     tuple(exp for exp, _ in summed.exps), overflowing))
        return found

    def _overflows(self, exp: cst.Call, at: Point, site: Site) -> bool:
        operand = self.analysis.operand(exp)
        if operand is None:
            return False
        if self.analysis.op_of_call(exp) is Op.COSH:  # cosh(x) overflows on either side
            return self.exp_overflows(operand, at, site) or self.exp_overflows(
                cst.UnaryOperation(operator=cst.Minus(), expression=operand), at, site)
        return self.exp_overflows(operand, at, site, exp)

    def _form(self, op: Op | None, summed: ExpSum) -> str:
        if summed.reduced:
            return "log-sum-exp"
        calls = [exp for exp, _ in summed.exps]
        if len(calls) == 1 and self.analysis.op_of_call(calls[0]) is Op.COSH:
            return "log-cosh"
        if len(calls) == 1 and (op is Op.LOG1P or summed.constant == 1.0):
            return "softplus"
        if len(calls) == 2 and self._opposite(calls[0], calls[1]):
            return "log-cosh"
        return "log-sum-exp"

    def _opposite(self, first: cst.Call, second: cst.Call) -> bool:
        """exp(x) and exp(-x): one of them overflows whichever sign x has."""
        a, b = self.analysis.operand(first), self.analysis.operand(second)
        if a is None or b is None:
            return False
        for one, other in ((a, b), (b, a)):
            if isinstance(one, cst.UnaryOperation) and isinstance(one.operator, cst.Minus) \
                    and self.analysis.code_of(one.expression) == self.analysis.code_of(other):
                return True
        return False

    # -- differences with an exp -------------------------------------------------------------
    def exp_difference(self, expr: cst.BaseExpression, at: Point) -> ExpDifference | None:
        """`expr` (through names) as an `ExpDifference`, or None. Reachable by construction when the exp's argument
        can sit at the meeting point or past it: a difference of two values that can coincide (`exp(a - b) - 1`), a
        range that reaches it (a linear head, a relu's 0, a log-probability's 0), or two exps (`exp(u) - exp(v)`
        at u = v); an argument of unknown range is plausible only (`log(exp(scale) - 1)` of a positive scale)."""
        expr, at = self.binder.follow(expr, at, _MAX_DEPTH)
        form = self.analysis.operator_form(expr)
        if not (isinstance(form, cst.BinaryOperation) and isinstance(form.operator, cst.Subtract)):
            return None
        left, right = self._exp_of(form.left, at), self._exp_of(form.right, at)
        if left is not None and right is not None:
            u, v = (self.analysis.spelled(self.analysis.operand(side[0]) or side[0]) for side in (left, right))
            return ExpDifference(left[0], f"`{u}` equals `{v}`", None, f"`{u}` < `{v}`",
                                 "subtract in log space: u + log(-expm1(v - u)) (tfp.math.log_sub_exp)", True)
        for exp, constant_side, exp_first in ((left, form.right, True), (right, form.left, False)):
            constant = self.values.constant(constant_side, at)
            if exp is None or constant is None or constant <= 0:
                continue
            call, argument_at = exp
            argument = self.analysis.operand(call)
            return self._against_constant(call, argument, argument_at, constant, exp_first) \
                if argument is not None else None
        return None

    def _against_constant(self, call: cst.Call, argument: cst.BaseExpression, at: Point, constant: float,
                          exp_first: bool) -> ExpDifference | None:
        """`exp(u) - c` (`exp_first`) or `c - exp(u)`: None when u's range never reaches ln c."""
        meeting = math.log(constant)
        span = self.analysis.ranges.of(argument, at)
        if span is not None and (span.low > meeting if exp_first else span.high < meeting):
            return None  # the argument never reaches the meeting point
        u = self.analysis.spelled(argument)
        point = f"{meeting:g}" if meeting else "0"
        wrong_side = span is None or (span.low < meeting if exp_first else span.high > meeting)
        construction = span is not None and (span.low <= meeting if exp_first else span.high >= meeting) \
            or self._differs(argument, at)
        if exp_first:
            rounding = f"0 < `{u}` < 6e-8 in float32 (4.9e-4 in float16)" if constant == 1 else None
            fix = ("use log(expm1(u)) (exact near 0), and keep u > 0 (softplus inverse: u + log(-expm1(-u)), "
                   "tfp.math.softplus_inverse)") if constant == 1 else "keep u above ln c before the log"
            return ExpDifference(call, f"`{u}` = {point}", rounding, f"`{u}` < {point}" if wrong_side else None,
                                 fix, construction)
        rounding = f"-3e-8 < `{u}` < 0 in float32 (-2.4e-4 in float16)" if constant == 1 else None
        fix = "use log(-expm1(u)) (tfp.math.log1mexp), exact near 0, and keep u < 0" if constant == 1 else \
            "keep u below ln c before the log"
        return ExpDifference(call, f"`{u}` = {point}", rounding, f"`{u}` > {point}" if wrong_side else None, fix,
                             construction)

    def _exp_of(self, expr: cst.BaseExpression, at: Point) -> tuple[cst.Call, Point] | None:
        expr, at = self.binder.follow(expr, at, _MAX_DEPTH)
        if isinstance(expr, cst.Call) and self.analysis.op_of_call(expr) is Op.EXP:
            return expr, at
        return None

    def _differs(self, expr: cst.BaseExpression, at: Point) -> bool:
        """A difference of two values that are not constants (through names): 0 wherever they coincide."""
        expr, at = self.binder.follow(expr, at, _MAX_DEPTH)
        form = self.analysis.operator_form(expr)
        return isinstance(form, cst.BinaryOperation) and isinstance(form.operator, cst.Subtract) and all(
            self.values.constant(side, at) is None for side in (form.left, form.right))

    # -- what the code itself says a tensor is ----------------------------------------------
    def decoded_log_ratio(self, exp_call: cst.Call) -> LogRatioCode | None:
        """`exp(t) * s` where the module encodes the same quantity as `log(w / s)` against the same `s`, next to
        center offsets over that `s` (`(x - xa) / s`): a box coder's size code (`tw = log(w / wa)`, `tx = (x - xa) /
        wa`; decoded as `w = exp(tw) * wa`). What is decoded is what a box regression head predicts for it, a linear
        output nothing bounds. A log ratio alone is no box code (a distribution's quantile `log(y / rate)` and its
        CDF's `exp(x) * rate` are one bijection)."""
        return self._log_ratio_decodings.get(id(exp_call))

    @cached_property
    def _log_ratio_decodings(self) -> dict[int, LogRatioCode]:
        encodings: dict[str, cst.Call] = {}  # the scale `s` of each `log(w / s)`, spelled
        for call in self.analysis.calls_of(Op.LOG):
            operand = self.analysis.operand(call.node)
            if operand is None:
                continue
            ratio, at = self.binder.follow(operand, call.site, _MAX_DEPTH)
            form = self.analysis.operator_form(ratio)
            if isinstance(form, cst.BinaryOperation) and isinstance(form.operator, cst.Divide) \
                    and self.values.constant(form.right, at) is None:
                encodings.setdefault(self.analysis.spelled(form.right), call.node)
        offsets = {self.analysis.spelled(division.denominator) for division in self.analysis.divisions()
                   if _is_difference(self.analysis, division.numerator)}
        encodings = {scale: log for scale, log in encodings.items() if scale in offsets}
        found: dict[int, LogRatioCode] = {}
        if not encodings:
            return found
        for binary in self.analysis.binary_operations:
            product = binary.node
            if not isinstance(product.operator, cst.Multiply):
                continue
            for exp, scale in ((product.left, product.right), (product.right, product.left)):
                encoding = encodings.get(self.analysis.spelled(scale))
                if encoding is not None and isinstance(exp, cst.Call) and self.analysis.op_of_call(exp) is Op.EXP:
                    found[id(exp)] = LogRatioCode(self.analysis.spelled(scale), encoding)
        return found

    # -- what the code itself says a tensor is ----------------------------------------------
    def squashed_elsewhere(self, expr: cst.BaseExpression, at: Point) -> cst.Call | None:
        """A sigmoid/softmax call in the same function applied to the same tensor (or another slice of it): the
        code treats the tensor as logits, a raw network output nothing bounds (`sigmoid(feats[..., :2])` next to
        `exp(feats[..., 2:4])` in a YOLO head). Not one in a branch that cannot run with `at`'s (`if likelihood ==
        'binary_logistic': sigmoid(logits)` / `elif likelihood == 'poisson': exp(logits)`: there the tensor is a
        log-rate, whose exp is the model's own mean)."""
        root = self._tensor_root(expr, at)
        if root is None:
            return None
        conditions = self.analysis.conditions
        for call in self.analysis.calls_of(Op.SIGMOID, Op.SOFTMAX):
            operand = self.analysis.operand(call.node)
            if call.site.scope is at.scope and operand is not None and self._tensor_root(operand, call.site) == root \
                    and not conditions.exclusive(at.scope, min(call.site.seq, at.seq), max(call.site.seq, at.seq)):
                return call.node
        return None

    def _tensor_root(self, expr: cst.BaseExpression, at: Point) -> tuple[int, int, str] | None:
        """The binding a tensor expression reads, through slices and shape-only wrappers: (scope, seq, name)."""
        for _ in range(_MAX_DEPTH):
            if isinstance(expr, cst.Subscript):
                expr = expr.value
            elif isinstance(expr, cst.Call) and self.analysis.op_of_call(expr) in _RESHAPES:
                expr = self.analysis.operand(expr) or expr
            else:
                break
        if not isinstance(expr, cst.Name):
            return None
        binding = self.binder.resolve(expr.value, at)
        if binding is None or binding.kind in (BindingKind.OPAQUE, BindingKind.ELEMENT):
            return None
        return id(binding.scope), binding.seq, binding.name

    # -- cosines ------------------------------------------------------------------------------
    def cosine(self, expr: cst.BaseExpression, at: Point) -> str | None:
        """A normalised value: "dot" for a normalised dot product (`a·b / (|a| |b|)`, `num / sqrt(k_xx)[:, None] /
        sqrt(k_yy)[None, :]` with num a matmul or a sum of products, a dot product of normalised vectors), which
        is exactly ±1 for parallel vectors and rounds past 1 in float32; "component" for one coordinate over a
        norm (`z / |p|`), which reaches ±1 on an axis but does not round past it; "product" for a dot product of
        vectors not normalised here (`np.dot(a, b)`, `reduce_sum(a * b, -1)`, `x1*x2 + y1*y2 + z1*z2`), in
        [-1, 1] only if both are unit vectors and past ±1 by rounding even then; None otherwise."""
        expr, at = self.binder.follow(expr, at, _MAX_DEPTH)
        if self._normalized_dot_layer(expr, at):
            return "dot"
        numerator, denominators = self._quotient(expr)
        if any(self._is_root(denominator, at, 0) for denominator in denominators):
            return "dot" if self._is_dot(numerator, at, 0) else "component"
        if denominators:
            return None  # divided by something else: not a dot product any more
        form = self.analysis.operator_form(expr)
        if isinstance(form, cst.BinaryOperation) and isinstance(form.operator, cst.MatrixMultiply):
            factors = [form.left, form.right]
        elif isinstance(expr, cst.Call) and self.analysis.op_of_call(expr) is Op.REDUCE_SUM:
            factors = self._factors(self.analysis.operand(expr), at)
        else:
            return "product" if self._coordinate_products(expr, at) else None
        if len(factors) != 2:
            return None
        return "dot" if all(self._is_normalized(factor, at, 0) for factor in factors) else "product"

    def _normalized_dot_layer(self, expr: cst.BaseExpression, at: Point) -> bool:
        """A Keras dot product of l2-normalised inputs: `Dot(axes=1, normalize=True)([a, b])` (the layer built there
        or bound to a name, read by the shared layer reader) or `keras.layers.dot([a, b], axes=1, normalize=True)`:
        the cosine of a and b, which Keras computes as `batch_dot(l2_normalize(a), l2_normalize(b))`."""
        if not isinstance(expr, cst.Call):
            return False
        if normalize(self.analysis.qualified_name(expr.func) or "") == "keras.layers.dot":
            flag = argument(expr, 2, "normalize")
            return isinstance(flag, cst.Name) and flag.value == "True"
        # the layer applied: `Dot(...)([a, b])`, or `layer([a, b])` with `layer = Dot(...)`
        layer = self.values.layer(expr.func, at.scope) if expr.args and isinstance(expr.func, (cst.Call, cst.Name)) \
            else None
        return layer is not None and layer.normalized_dot

    def _coordinate_products(self, expr: cst.BaseExpression, at: Point) -> bool:
        """A dot product written out by coordinates: a sum of two or more terms, each a product of at least two
        factors that are not constants (`x1*x2 + y1*y2 + z1*z2`; the spherical law of cosines `sin(a)*sin(b) +
        cos(a)*cos(b)*cos(c)`). A constant term or a difference makes it something else (`1 - 2*x*y`)."""
        terms: list[cst.BaseExpression] = []
        pending = [expr]
        while pending and len(terms) <= _MAX_DEPTH:
            current = pending.pop()
            form = self.analysis.operator_form(current)
            if isinstance(form, cst.BinaryOperation) and isinstance(form.operator, cst.Add):
                pending.extend((form.right, form.left))
            else:
                terms.append(current)
        return len(terms) >= 2 and not pending and all(
            len([factor for factor in self._product_factors(term, 0)
                 if self.values.constant(factor, at) is None]) >= 2 for term in terms)

    def _product_factors(self, expr: cst.BaseExpression, depth: int) -> list[cst.BaseExpression]:
        """The factors of a product as written (`a * b * c` -> [a, b, c]); [expr] for anything else."""
        form = self.analysis.operator_form(expr)
        if depth > _MAX_DEPTH or not (isinstance(form, cst.BinaryOperation) and isinstance(form.operator, cst.Multiply)):
            return [expr]
        return self._product_factors(form.left, depth + 1) + self._product_factors(form.right, depth + 1)

    def _quotient(self, expr: cst.BaseExpression) -> tuple[cst.BaseExpression, list[cst.BaseExpression]]:
        """`a / b / c` -> (a, [c, b]); `tf.divide(a, b)` -> (a, [b])."""
        found: list[cst.BaseExpression] = []
        for _ in range(_MAX_DEPTH):
            form = self.analysis.operator_form(expr)
            if not (isinstance(form, cst.BinaryOperation) and isinstance(form.operator, cst.Divide)):
                break
            found.append(form.right)
            expr = form.left
        return expr, found

    def _is_dot(self, expr: cst.BaseExpression, at: Point, depth: int) -> bool:
        """A dot product: a matmul (`@`), a sum of products (reduced, or written out by coordinates), plus a bias,
        through names and a module function's returns (`self._weighted_product(X, X2)`)."""
        if depth > _MAX_DEPTH:
            return False
        expr, at = self.binder.follow(expr, at, _MAX_DEPTH)
        form = self.analysis.operator_form(expr)
        if isinstance(form, cst.BinaryOperation):
            if isinstance(form.operator, cst.MatrixMultiply):
                return True
            return isinstance(form.operator, cst.Add) and (
                self._is_dot(form.left, at, depth + 1) or self._is_dot(form.right, at, depth + 1)
                or self._coordinate_products(expr, at))
        if not isinstance(expr, cst.Call):
            return False
        op = self.analysis.op_of_call(expr)
        if op is Op.REDUCE_SUM:
            return bool(self._factors(self.analysis.operand(expr), at))
        function = self.values.called_function(expr, at) if op is None else None
        return function is not None and any(self._is_dot(returned, At(function, END), depth + 1)
                                            for returned in function.returns)

    def _is_root(self, expr: cst.BaseExpression, at: Point, depth: int) -> bool:
        """A square root or a norm, or a product with one, through names, slices and guards (`maximum(n, eps)`)."""
        if depth > _MAX_DEPTH:
            return False
        expr, at = self.binder.follow(expr, at, _MAX_DEPTH)
        if isinstance(expr, cst.Subscript):
            return self._is_root(expr.value, at, depth + 1)
        form = self.analysis.operator_form(expr)
        if isinstance(form, cst.BinaryOperation) and isinstance(form.operator, (cst.Multiply, cst.Add)):
            return self._is_root(form.left, at, depth + 1) or self._is_root(form.right, at, depth + 1)
        if isinstance(form, cst.BinaryOperation) and isinstance(form.operator, cst.Power):
            return self.values.constant(form.right, at) == 0.5
        if not isinstance(expr, cst.Call):
            return False
        op = self.analysis.op_of_call(expr)
        if op in _ROOTS:
            return True
        if op in (Op.MAXIMUM, Op.CLIP, Op.EXPAND_DIMS, Op.RESHAPE, Op.STOP_GRADIENT):
            operand = self.analysis.operand(expr)
            return operand is not None and self._is_root(operand, at, depth + 1)
        return self.values.of(expr, at).producer in (Producer.NORM, Producer.STD)

    def _factors(self, expr: cst.BaseExpression | None, at: Point) -> list[cst.BaseExpression]:
        if expr is None:
            return []
        expr, _ = self.binder.follow(expr, at, _MAX_DEPTH)
        form = self.analysis.operator_form(expr)
        if isinstance(form, cst.BinaryOperation) and isinstance(form.operator, cst.Multiply):
            return [form.left, form.right]
        return []

    def _is_normalized(self, expr: cst.BaseExpression | None, at: Point, depth: int) -> bool:
        """A vector over its norm: `l2_normalize(v)`, `v / norm(v)` (a quotient by a root), also what a module
        function returns (`unit_vector(v)`, returning `v / np.linalg.norm(v)`)."""
        if expr is None or depth > _MAX_DEPTH:
            return False
        expr, at = self.binder.follow(expr, at, _MAX_DEPTH)
        _, denominators = self._quotient(expr)
        if any(self._is_root(denominator, at, 0) for denominator in denominators):
            return True
        if not isinstance(expr, cst.Call):
            return False
        op = self.analysis.op_of_call(expr)
        if op is Op.L2_NORMALIZE:
            return True
        if op in _SAME_VECTOR:  # `np.squeeze(p0 / np.linalg.norm(p0))`, magenta's slerp
            return self._is_normalized(self.analysis.operand(expr), at, depth + 1)
        function = self.values.called_function(expr, at) if op is None else None
        return function is not None and bool(function.returns) and all(
            self._is_normalized(returned, At(function, END), depth + 1) for returned in function.returns)
