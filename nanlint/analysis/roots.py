"""Square roots whose derivative is infinite at 0, in every spelling, with what is under the root and how it
reaches 0.

d sqrt(u) = du / (2 sqrt(u)) is Inf at u = 0; when u is a square or a sum of squares, du is 0 there too and the
chain rule makes Inf * 0 = NaN. The same root hides in `tf.norm(x)` (sqrt(sum(x²)), NaN at x = 0), in
`reduce_std` / `K.std` (sqrt of a variance, NaN for a constant row) and in `tf.global_norm`. The forward value is
finite, so nothing shows until the weights are NaN.

`roots(analysis)` lists each such root with its radicand, the condition that makes it 0 (stated as the mechanism:
the two operands of a difference that can be equal, a relu, a constant row), the gradient it produces, and how
sure the analysis is that the 0 is reachable (see reachability.py). Whether the code is differentiated is the
caller's question (gradients.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

import libcst as cst

from nanlint.analysis.binder import Point
from nanlint.analysis.diagonal import broadcast_base, same_vector
from nanlint.analysis.module import ModuleAnalysis, Site, Unpacked
from nanlint.analysis.operations import MEANS, Op
from nanlint.analysis.ranges import euclidean, excludes_zero
from nanlint.analysis.reachability import zero_confidence
from nanlint.analysis.samples import axis_argument
from nanlint.analysis.arguments import argument
from nanlint.analysis.values import Producer, Value, numeric_literal
from nanlint.analysis.walk import descendants
from nanlint.finding import Confidence

# Squared quantities: their root's gradient at 0 is Inf * 0 = NaN rather than Inf.
_SQUARED = (Producer.SUM_OF_SQUARES, Producer.SQUARE, Producer.VARIANCE)
# The largest constant `_shifted` reads as an epsilon added to a vector (1e-3: float16's smallest useful one).
_EPSILON_SHIFT = 1e-3

@dataclass(frozen=True)
class Root:
    """A root of a value that can be exactly 0."""

    node: cst.CSTNode  # the sqrt/norm/std call, or the `** 0.5`
    site: Site
    spelled: str  # "sqrt", "x ** 0.5", "tf.norm", "std", "global_norm"
    radicand: cst.BaseExpression  # what is under the root (for a norm: the vector whose squares are summed)
    described: str  # "sum of squares", "variance", "1 - c²"
    zero_when: str  # the mechanism that makes the radicand 0, as a clause: "when `a` equals `b`", "for a constant row"
    outcome: str  # the gradient at 0: "Inf" or "NaN"
    confidence: Confidence  # whether that 0 is reachable by construction
    via: str = ""  # ` (via ...)` for messages, when the radicand was produced elsewhere
    # Rounding can push the radicand below 0 as well (1 - c² with |c| = 1 + ulp): a NaN forward value too.
    negative_too: bool = False
    # The root is (part of) a denominator that can be 0 (`x / norm(x)`): the same 0 already makes the forward
    # value Inf/NaN, which is the division's hazard to report.
    divides: bool = False
    # The tensor whose zero makes the radicand 0: the vector of a norm or of a sum of its squares (0 where it is
    # all-zero), or, `centered`, the data of a std or variance (0 where it is constant, i.e. where `base - mean`
    # is 0). None when the radicand does not say.
    base: cst.BaseExpression | None = None
    centered: bool = False


def roots(analysis: ModuleAnalysis) -> list[Root]:
    """Every root of a value that can be 0 in the module (NumPy's aside: it has no gradient)."""
    denominators = _zero_denominators(analysis)
    found = [*_root_calls(analysis), *_half_powers(analysis)]
    return [replace(root, divides=True) if id(root.node) in denominators else root for root in found]


def _root_calls(analysis: ModuleAnalysis) -> Iterator[Root]:
    """sqrt, rsqrt, norm, std and global_norm calls of a value that can be 0 (an rsqrt is Inf there: a division
    by 0, which NAN002 reports, unless its value is capped; see NAN005)."""
    for call in analysis.calls:
        if call.is_numpy or call.op not in (Op.SQRT, Op.NORM, Op.REDUCE_STD, Op.GLOBAL_NORM, Op.RSQRT):
            continue
        operand = analysis.operand(call.node)
        if operand is None:
            continue
        if call.op in (Op.SQRT, Op.RSQRT):
            root = _sqrt(analysis, call.node, operand, call.site, "sqrt" if call.op is Op.SQRT else "rsqrt")
        elif call.op is Op.NORM:
            root = _norm(analysis, call.node, operand, call.site)
        elif call.op is Op.REDUCE_STD:
            root = _spread(analysis, call.node, operand, call.site)
        else:
            root = _global_norm(analysis, call.node, operand, call.site)
        if root is not None:
            yield root


def _half_powers(analysis: ModuleAnalysis) -> Iterator[Root]:
    """`x ** 0.5` of a value that can be 0."""
    for binary in analysis.binary_operations:
        node = binary.node
        if isinstance(node.operator, cst.Power) and numeric_literal(node.right) == 0.5:
            root = _sqrt(analysis, node, node.left, binary.site, "x ** 0.5")
            if root is not None:
                yield root


# How many expressions a denominator is followed through (names bound to names...): a bound on the walk.
_DENOMINATOR_STEPS = 12


def _zero_denominators(analysis: ModuleAnalysis) -> set[int]:
    """The nodes inside denominators that can be 0 (followed through the names they are bound to)."""
    inside: set[int] = set()
    for division in analysis.divisions():
        if analysis.values.of(division.denominator, division.site).zero_when is None:
            continue
        # every name in the denominator, not only a denominator that is one name: `a / (a_norm * b_norm)`
        pending: list[tuple[cst.BaseExpression, Point]] = [(division.denominator, division.site)]
        for _ in range(_DENOMINATOR_STEPS):
            if not pending:
                break
            expr, at = pending.pop()
            nodes = list(descendants(expr))
            inside.update(id(node) for node in nodes)
            for name in (node for node in nodes if isinstance(node, cst.Name)):
                followed, where = analysis.binder.follow(name, at, limit=1)
                if followed is not name and id(followed) not in inside:
                    pending.append((followed, where))
    return inside


def _sqrt(analysis: ModuleAnalysis, node: cst.CSTNode, radicand: cst.BaseExpression, site: Site,
          spelled: str) -> Root | None:
    value = analysis.values.of(radicand, site)
    if value.squashed or value.guard is not None:
        return None
    if value.zero_when is not None:
        # (a coefficient of 0 multiplies the Inf by 0 on its way to the other factor: NaN)
        outcome = "NaN" if value.producer in (*_SQUARED, Producer.ZERO_COEFFICIENT) else "Inf"
        base, centered = _zero_base(analysis, radicand, site)
        if base is not None and not centered and _summed_never_zero(analysis, radicand, base, site):
            return None
        return Root(node, site, spelled, radicand, value.describe(), _mechanism(analysis, radicand, site, value),
                    outcome, zero_confidence(analysis, radicand, site, value), value.flow, base=base,
                    centered=centered)
    if value.producer in (Producer.SQUARE, Producer.ABS):
        # sqrt(square(v)), sqrt(x * x): a hand-written |v|, 0 wherever v is
        base = _base_of_square(analysis, radicand, site)
        zero = f"where `{analysis.spelled(base)}` is 0" if base is not None else "where its input is 0"
        return Root(node, site, spelled, radicand, value.describe(), _difference(analysis, base, site) or zero,
                    "NaN" if value.producer is Producer.SQUARE else "Inf",
                    zero_confidence(analysis, radicand, site, Value(Producer.SUM_OF_SQUARES)), value.flow)
    definition, at = analysis.binder.follow(radicand, site)
    squares = _sum_of_squares(analysis, definition, at)
    if squares:
        # sqrt(dx**2 + dy**2): 0 where every term is, two coincident points
        equal = [_difference(analysis, base, at) for base in squares]
        zero = _both(equal) or "when every squared term is 0"
        confidence = Confidence.weakest(*(zero_confidence(analysis, base, site, Value(Producer.SUM_OF_SQUARES))
                                          for base in squares))
        return Root(node, site, spelled, radicand, "sum of squares", zero, "NaN", confidence)
    cosine = _one_minus_square(analysis, definition, at)
    if cosine is not None and not _inside_unit(analysis, cosine, at, site):
        # sqrt(1 - c²), a sine from a cosine: 0 at |c| = 1, the end of c's range that training toward an angle of 0
        # reaches; and rounding puts c² just above 1 there
        return Root(node, site, spelled, radicand, "1 - c²", f"where |{analysis.spelled(cosine)}| = 1", "Inf",
                    Confidence.CONSTRUCTION, negative_too=True)
    return None


def _norm(analysis: ModuleAnalysis, call: cst.Call, vector: cst.BaseExpression, site: Site) -> Root | None:
    if not euclidean(argument(call, 1, "ord"), argument(call, 2, "axis")):
        return None
    if analysis.values.of(vector, site).guard is not None or _shifted(analysis, vector, site) or excludes_zero(
            analysis.ranges.of(call, site)):
        return None  # (a vector with a component that is never 0: homogeneous coordinates, barycentric weights)
    zero = _reflexive(analysis, vector, site) or _difference(analysis, vector, site) or _relu(analysis, vector, site) \
        or "for an all-zero vector"
    return Root(call, site, "norm", vector, "norm", zero, "NaN",
                zero_confidence(analysis, call, site, Value(Producer.NORM)), base=vector)


def _shifted(analysis: ModuleAnalysis, vector: cst.BaseExpression, site: Point) -> bool:
    """`x + 1e-8` (through names): an epsilon added to every entry, so the vector is all-zero only where every
    entry of x is exactly -1e-8, not at the all-zero x (acme's AIL gradient penalty, `norm(gradients + 1e-8)`: a
    flat discriminator's zero gradient has the finite norm 1e-8 * sqrt(n), and a finite gradient there). Not a
    larger constant: `tanh(h) + 1` is all-zero where the tanh saturates at -1."""
    definition, at = analysis.binder.follow(vector, site)
    form = analysis.operator_form(definition)
    if not (isinstance(form, cst.BinaryOperation) and isinstance(form.operator, cst.Add)):
        return False
    shifts = (analysis.values.constant(side, at) for side in (form.left, form.right))
    return any(shift is not None and 0.0 < abs(shift) <= _EPSILON_SHIFT for shift in shifts)


def _spread(analysis: ModuleAnalysis, call: cst.Call, data: cst.BaseExpression, site: Site) -> Root | None:
    if analysis.values.of(call, site).producer is not Producer.STD:  # a NumPy-style statistic of a data set
        return None
    # without an axis the spread is of every entry: 0 only for a tensor whose entries are all equal
    constant = "for a constant row" if axis_argument(call, data) is not None else \
        "for a tensor whose entries are all equal"
    return Root(call, site, "std", data, "standard deviation (the root of a variance)",
                _relu(analysis, data, site) or constant, "NaN",
                zero_confidence(analysis, call, site, Value(Producer.STD)), base=data, centered=True)


def _global_norm(analysis: ModuleAnalysis, call: cst.Call, tensors: cst.BaseExpression, site: Site) -> Root | None:
    listed, at = analysis.binder.follow(tensors, site)
    elements = [element.value for element in listed.elements] if isinstance(listed, (cst.List, cst.Tuple)) else []
    equal = [_difference(analysis, element, at) for element in elements]
    zero = (_both(equal) if elements else None) or "when every tensor is all-zero"
    confidence = Confidence.weakest(*(zero_confidence(analysis, element, site, Value(Producer.NORM))
                                      for element in elements)) if elements else Confidence.CONSTRUCTION
    return Root(call, site, "global_norm", tensors, "global norm", zero, "NaN", confidence)


def _mechanism(analysis: ModuleAnalysis, radicand: cst.BaseExpression, site: Site, value: Value) -> str:
    """The value's own zero condition, named by the difference it squares when there is one (the difference read
    where the square reads it: `d = a - b; d = reduce_sum(square(d))` squares `a - b`, not the later `d`)."""
    definition, at = analysis.binder.follow(radicand, site)
    base = _squared_base(analysis, definition, at)
    reflexive = _reflexive(analysis, base, at) if base is not None else None
    if reflexive is not None:
        return reflexive
    equal = _difference(analysis, base, at) if base is not None else None
    return f"for {value.zero_when}, {equal}" if equal else f"for {value.zero_when}"


def _summed_never_zero(analysis: ModuleAnalysis, radicand: cst.BaseExpression, base: cst.BaseExpression,
                       site: Point) -> bool:
    """sqrt(reduce_sum(square(v), axis)), the norm of `v` along that axis written out by hand, where that norm's
    range excludes 0 (a constant 1 of homogeneous coordinates, components summing to 1)."""
    summed, at = analysis.binder.follow(radicand, site)
    if not isinstance(summed, cst.Call) or not any(node is base for node in descendants(summed)):
        return False  # (the square written inline, so that `base` is read where the sum is)
    return excludes_zero(analysis.ranges.norm(base, at, argument(summed, 1, "axis")))


def _zero_base(analysis: ModuleAnalysis, radicand: cst.BaseExpression, site: Point
               ) -> tuple[cst.BaseExpression | None, bool]:
    """Root.base and Root.centered for a radicand: `v` of reduce_sum(square(v)) (0 where v is), or `x` of
    reduce_variance(x) or of `mean, var = tf.nn.moments(x)`, centered (0 where x is constant)."""
    definition, at = analysis.binder.follow(radicand, site)
    if isinstance(definition, cst.Name):
        binding = analysis.binder.resolve(definition.value, at)
        unpacked = binding.value if binding is not None and isinstance(binding.value, Unpacked) else None
        if (unpacked is not None and unpacked.index == 1 and isinstance(unpacked.source, cst.Call)
                and analysis.op_of_call(unpacked.source) is Op.MOMENTS):
            return analysis.operand(unpacked.source), True
    centered = isinstance(definition, cst.Call) and analysis.op_of_call(definition) is Op.REDUCE_VARIANCE
    return _squared_base(analysis, radicand, site), centered


def _squared_base(analysis: ModuleAnalysis, expr: cst.BaseExpression, site: Point) -> cst.BaseExpression | None:
    """`d` in reduce_sum(square(d)), sum((d) ** 2), reduce_variance(d)."""
    expr, at = analysis.binder.follow(expr, site)
    if isinstance(expr, cst.Call) and analysis.op_of_call(expr) in {Op.REDUCE_SUM, Op.REDUCE_VARIANCE} | MEANS:
        inner = analysis.operand(expr)
        if inner is None:
            return None
        if analysis.op_of_call(expr) is Op.REDUCE_VARIANCE:
            return inner
        return _base_of_square(analysis, inner, at)
    return None


def _base_of_square(analysis: ModuleAnalysis, expr: cst.BaseExpression, site: Point) -> cst.BaseExpression | None:
    """`v` in square(v), v ** 2, v * v, abs(v) (through names)."""
    expr, _ = analysis.binder.follow(expr, site)
    if isinstance(expr, cst.Call) and analysis.op_of_call(expr) is Op.ABS:
        return analysis.operand(expr)
    return analysis.squared_base(expr)


def _sum_of_squares(analysis: ModuleAnalysis, expr: cst.BaseExpression, site: Point) -> list[cst.BaseExpression]:
    """The bases of `a**2 + b**2 + ...` written with `+`, `tf.add` or `add_n` (every term a square of a value that is
    not a constant: `square(d) + square(1e-3)` is the Charbonnier epsilon, never 0), else []."""
    form = analysis.operator_form(expr)
    if not (isinstance(form, cst.BinaryOperation) and isinstance(form.operator, cst.Add)):
        return []
    expr = form
    bases: list[cst.BaseExpression] = []
    for term in (expr.left, expr.right):
        nested = _sum_of_squares(analysis, term, site)
        if nested:
            bases.extend(nested)
            continue
        base = _base_of_square(analysis, term, site)
        if base is None or analysis.values.constant(base, site) is not None:
            return []
        bases.append(base)
    return bases


def _one_minus_square(analysis: ModuleAnalysis, expr: cst.BaseExpression, site: Point) -> cst.BaseExpression | None:
    """`c` in 1 - c**2, 1 - square(c), subtract(1., square(c)) (the square possibly named)."""
    operands = _subtraction(analysis, expr)
    if operands is None or numeric_literal(operands[0]) != 1.0:
        return None
    return _base_of_square(analysis, operands[1], site)


def _inside_unit(analysis: ModuleAnalysis, cosine: cst.BaseExpression, at: Point, site: Site) -> bool:
    """`c` is kept strictly inside (-1, 1) by at least one step of the float below 1 (`clip_by_value(rho,
    -1 / (1 + eps), 1 / (1 + eps))`, edward2's DVI layer): 1 - c² is then > 0 in that float (>= 1.2e-7 in float32)
    and the root's gradient finite. A bound that rounds to 1 in the float (the same clip under float16) is not."""
    span = analysis.ranges.of(cosine, at)
    if span is None:
        return False
    dtype, _ = analysis.precision.float_at(site)
    return max(abs(span.low), abs(span.high)) <= 1.0 - dtype.half_ulp_at_one


def _subtraction(analysis: ModuleAnalysis, expr: cst.BaseExpression) -> tuple[cst.BaseExpression, cst.BaseExpression] | None:
    """The two operands of `a - b`, `subtract(a, b)`, `tf.sub(a, b)`."""
    form = analysis.operator_form(expr)
    if isinstance(form, cst.BinaryOperation) and isinstance(form.operator, cst.Subtract):
        return form.left, form.right
    return None


def _reflexive(analysis: ModuleAnalysis, expr: cst.BaseExpression | None, site: Point) -> str | None:
    """"on the diagonal ..." when the expression is (a name bound to) the pairwise difference of a tensor with itself,
    laid out along two axes (`expand_dims(x, 1) - expand_dims(x, 2)`, `x[:, None] - x[None, :]`, `x - transpose(x)`):
    each entry minus itself on the diagonal, 0 there for every input (a distance matrix's self-distances)."""
    if expr is None:
        return None
    expr, _ = analysis.binder.follow(expr, site)
    operands = _subtraction(analysis, expr)
    if operands is None or analysis.code_of(operands[0]) == analysis.code_of(operands[1]) \
            or not same_vector(analysis, *operands):
        return None
    return (f"on the diagonal, where `{analysis.spelled(operands[0])} - {analysis.spelled(operands[1])}` subtracts "
            f"each entry of `{broadcast_base(analysis, operands[0])}` from itself (for every input)")


def _difference(analysis: ModuleAnalysis, expr: cst.BaseExpression | None, site: Point) -> str | None:
    """"when `a` equals `b`" when the expression is (a name bound to) a difference of two non-constant values."""
    if expr is None:
        return None
    expr, _ = analysis.binder.follow(expr, site)
    operands = _subtraction(analysis, expr)
    if operands is None or any(numeric_literal(side) is not None for side in operands):
        return None
    left, right = operands
    return f"when `{analysis.spelled(left)}` equals `{analysis.spelled(right)}`"


def _relu(analysis: ModuleAnalysis, expr: cst.BaseExpression, site: Point) -> str | None:
    value = analysis.values.of(expr, site)
    return f"for a {value.describe()} with {value.zero_when}" if value.producer is Producer.RELU else None


def _both(clauses: list[str | None]) -> str | None:
    """"when `a` equals `b` and `c` equals `d`" when every clause is known."""
    if not clauses or not all(clauses):
        return None
    return "when " + " and ".join(str(clause).removeprefix("when ") for clause in clauses)


def other_backend(analysis: ModuleAnalysis, root: Root) -> str | None:
    """Where a root may run other than on TensorFlow: jax.numpy's on JAX; keras.ops' (Keras 3 runs it on JAX or
    PyTorch too), also as Keras spells it inside itself (`keras.src.backend.math.rsqrt`, dispatched to the configured
    backend; not `keras.src.backend.tensorflow.*`); standalone Keras' `keras.backend` functions (`K.std`, `K.sqrt`:
    Keras 3's `keras.backend` has none, so the code is written for Keras 1 or 2, whose backend module runs it on
    Theano too, `tensorflow.keras.backend` only on TensorFlow). JAX's, PyTorch's and Theano's sqrt/rsqrt derivatives
    multiply a 0 upstream gradient by Inf (NaN; Theano's sqrt gradient is `(gz * 0.5) / sqrt(x)`), unlike
    TensorFlow's. None where it runs on TensorFlow only."""
    qualified = analysis.imports.qualified_name(root.node.func) if isinstance(root.node, cst.Call) else None
    if qualified is None:
        return None
    if qualified.startswith("jax"):
        return "JAX"
    if qualified.startswith(("keras.ops", "keras.src.ops")) or (
            qualified.startswith("keras.src.backend.") and not qualified.startswith("keras.src.backend.tensorflow.")):
        return "JAX and PyTorch (Keras 3 runs keras.ops there too)"
    if qualified.startswith("keras.backend."):
        return "Theano (multi-backend Keras 1 and 2 run `keras.backend` there too)"
    return None
