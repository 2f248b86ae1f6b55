"""NAN004: exp spelled out by hand where the library op is stable: sigmoid `1/(1+exp(-x))`,
`exp(x)/(1+exp(x))`, softmax `exp(x)/sum(exp(x))` without subtracting the max, and a log of a sum of exps: softplus
`log(1+exp(x))`, log-cosh `log((exp(x)+exp(-x))/2)`, a log-sum-exp, unless the exp's argument is bounded below the
overflow point (a clip, `x - reduce_max(x)`, `-abs(x)`)."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from nanlint.analysis.binder import Point
from nanlint.analysis.domain import LogOfExpSum, unbounded_above
from nanlint.analysis.module import ModuleAnalysis
from nanlint.analysis.operations import Op
from nanlint.analysis.numerics import FLOAT16, FLOAT32, FLOAT64, NUMPY_FLOAT32, Float
from nanlint.analysis.precision import float32_array
from nanlint.analysis.samples import axis_argument
from nanlint.analysis.arguments import argument
from nanlint.analysis.values import HandWrittenSquash, Producer, numeric_literal, sigmoid_exp
from nanlint.checks.base import Check, Report
from nanlint.finding import Confidence, Fix


def _exp_argument(analysis: ModuleAnalysis, expr: cst.BaseExpression) -> cst.BaseExpression | None:
    if isinstance(expr, cst.Call) and analysis.op_of_call(expr) is Op.EXP:
        return argument(expr, 0, "x")
    return None


_LIBRARY = {
    "sigmoid": ("tensorflow.math.sigmoid", "keras.ops.sigmoid"),
    "softplus": ("tensorflow.math.softplus", "keras.ops.softplus"),
}


def _library_fix(analysis: ModuleAnalysis, exp_call: cst.BaseExpression, negated: bool, op: str) -> Fix | None:
    """Replace the hand-written form by the library op on the exp's argument (un-negated for exp(-x))."""
    argument_of_exp = _exp_argument(analysis, exp_call)
    qualified = analysis.qualified_name(exp_call.func) if isinstance(exp_call, cst.Call) else None
    if argument_of_exp is None or qualified is None:
        return None
    candidates = _LIBRARY[op][::-1] if qualified.startswith("keras") else _LIBRARY[op]
    spelled = analysis.imports.spell_any(*candidates)
    if spelled is None:
        return None
    if negated:
        if isinstance(argument_of_exp, cst.UnaryOperation) and isinstance(argument_of_exp.operator, cst.Minus):
            text = analysis.code_of(argument_of_exp.expression)
        else:
            text = f"-({analysis.code_of(argument_of_exp)})"
    else:
        text = analysis.code_of(argument_of_exp)
    return Fix(f"use {spelled}", f"{spelled}({text})", safe=True)


def _softmax_fix(analysis: ModuleAnalysis, node: cst.BinaryOperation) -> Fix | None:
    """`exp(x) / reduce_sum(exp(x), axis=a, ...)` -> `softmax(x, axis=a)`; only with an explicit axis, since
    reduce_sum's default (all axes) and softmax's (the last) differ."""
    exponent = _exp_argument(analysis, node.left)
    axis = argument(node.right, 1, "axis") if isinstance(node.right, cst.Call) else None
    qualified = analysis.qualified_name(node.left.func) if isinstance(node.left, cst.Call) else None
    if exponent is None or axis is None or qualified is None:
        return None
    candidates = ("keras.ops.softmax", "tensorflow.nn.softmax") if qualified.startswith("keras") else (
        "tensorflow.nn.softmax", "keras.ops.softmax")
    spelled = analysis.imports.spell_any(*candidates)
    if spelled is None:
        return None
    return Fix(f"use {spelled}", f"{spelled}({analysis.code_of(exponent)}, axis={analysis.code_of(axis)})", safe=True)


def _exponent_bounded(analysis: ModuleAnalysis, exp_call: cst.Call | None) -> bool:
    """`exp(x - reduce_max(x))`, the standard overflow guard of a softmax (also through names, at the exp), or an
    exponent bounded below every float type's overflow by construction (a Gaussian kernel's `-x**2 / (2 *
    sigma**2)`, `x / max(abs(x))`): no term can overflow, and all of them underflowing to 0 takes a degenerate input
    (a sigma far below the grid step), not a reachable one."""
    if exp_call is None:
        return False
    exponent = _exp_argument(analysis, exp_call)
    if exponent is None:
        return False
    span = analysis.ranges.of(exponent, analysis.sites[exp_call])
    if span is not None and span.high < FLOAT16.exp_overflow:
        return True  # (bounded below every float type's overflow: `x / max(abs(x))` is at most 1)
    exponent, at = analysis.values.definition_at(exponent, analysis.sites[exp_call])
    while isinstance(exponent, cst.Call) and analysis.op_of_call(exponent) is Op.CLIP:
        # a clip of a max-shifted value (openai_lab's later policies: `a - np.amax(a)`, then clipped) is bounded
        clipped = analysis.operand(exponent)
        if clipped is None:
            break
        exponent, at = analysis.values.definition_at(clipped, at)
    form = analysis.operator_form(exponent)
    if _is_log(analysis, exponent, at) or (isinstance(form, cst.BinaryOperation) and isinstance(
            form.operator, (cst.Multiply, cst.Divide)) and _is_log(analysis, form.left, at)):
        # exp(log(p) / temperature) is p ** (1 / temperature), a reweighting of probabilities (the text generators'
        # sampling): it overflows only for p beyond 1e308 ** temperature, no logit this softmax is fed
        return True
    if isinstance(form, cst.BinaryOperation) and isinstance(form.operator, (cst.Multiply, cst.Divide)):
        # a max-shifted value scaled by a temperature (`(q - q.max()) / tau`, a Boltzmann policy) stays <= 0
        shifted, at = analysis.values.definition_at(form.left, at)
        form = analysis.operator_form(shifted)
    return (
        isinstance(form, cst.BinaryOperation)
        and isinstance(form.operator, cst.Subtract)
        and _is_max(analysis, form.right, at)
    )


def _mean_centred(analysis: ModuleAnalysis, found: HandWrittenSquash) -> bool:
    """The exponent is `x - mean(x)` taken over the axis the denominator sums (also times or over one number, a
    temperature: chrombpnet's `exp(temp * (x - np.mean(x, axis=1, keepdims=True)))`). The centred values of a row sum
    to 0, so one of them (times any number) is >= 0 and its term is >= exp(0) = 1: the sum never underflows to 0,
    and only the overflow remains, for a logit more than the overflow point above its row's mean. A mean over other
    axes than the sum's (a global mean of a row-wise softmax) keeps the 0/0 of a row far below it."""
    exp_call = analysis.values.exp_call(found.numerator, found.site)
    exponent = _exp_argument(analysis, exp_call) if exp_call is not None else None
    total, _ = analysis.values.definition_at(found.denominator, found.site)
    if exponent is None or exp_call is None or not isinstance(total, cst.Call) \
            or analysis.op_of_call(total) is not Op.REDUCE_SUM:
        return False
    summed = analysis.operand(total)
    if summed is None:
        return False
    exponent, at = analysis.values.definition_at(exponent, analysis.sites[exp_call])
    form = analysis.operator_form(exponent)
    if isinstance(form, cst.BinaryOperation) and isinstance(form.operator, (cst.Multiply, cst.Divide)):
        sides = [form.left] if isinstance(form.operator, cst.Divide) else [form.left, form.right]
        for side in sides:
            other = form.right if side is form.left else form.left
            other, where = analysis.values.definition_at(other, at)
            # one number: a literal, or a parameter whose default is one (`temp=1`)
            default = where.scope.defaults.get(other.value) if isinstance(other, cst.Name) else None
            if numeric_literal(other) is not None or numeric_literal(default) is not None:
                centred, where = analysis.values.definition_at(side, at)
                if _centred_on_mean(analysis, centred, where, axis_argument(total, summed)):
                    return True
        return False
    return _centred_on_mean(analysis, exponent, at, axis_argument(total, summed))


def _centred_on_mean(analysis: ModuleAnalysis, expr: cst.BaseExpression, at: Point,
                     axis: cst.BaseExpression | None) -> bool:
    """`x - mean(x, axis)` (`x - x.mean(axis)`), the mean's axis spelled as `axis` (both absent: every axis)."""
    form = analysis.operator_form(expr)
    if not (isinstance(form, cst.BinaryOperation) and isinstance(form.operator, cst.Subtract)):
        return False
    mean, _ = analysis.values.definition_at(form.right, at)
    if not isinstance(mean, cst.Call) or analysis.op_of_call(mean) is not Op.REDUCE_MEAN:
        return False
    averaged = analysis.operand(mean)
    if averaged is None or analysis.code_of(averaged) != analysis.code_of(form.left):
        return False
    mean_axis = axis_argument(mean, averaged)
    if mean_axis is None or axis is None:
        return mean_axis is None and axis is None
    return analysis.code_of(mean_axis) == analysis.code_of(axis)


def _clipped(analysis: ModuleAnalysis, exp_call: cst.Call, dtype: Float) -> bool:
    """exp of `np.clip(x, lo, hi)` whose upper bound is not a number above the array's overflow: the author bounded
    the exponent (keras-rl's later Boltzmann policy clips the float64 `q / tau` to (-500, 500)). The same bound on a
    float32 array (openai_lab's `Q.astype("float32")`, keras-rl#25) overflows above 88.72: no guard."""
    exponent = _exp_argument(analysis, exp_call)
    if exponent is None:
        return False
    site = analysis.sites[exp_call]
    clipped, _ = analysis.values.definition_at(exponent, site)
    if not (isinstance(clipped, cst.Call) and analysis.op_of_call(clipped) is Op.CLIP):
        return False
    bounds = analysis.values.clip_bounds(clipped, site)
    return bounds is None or bounds[1] < dtype.exp_overflow


def _below_overflow(analysis: ModuleAnalysis, exp_call: cst.BaseExpression) -> bool:
    """The exp's argument is bounded below the overflow point of the float type the code runs in: doctr's DBNet
    binarisation `1 / (1 + exp(-50 * (prob_map - thresh_map)))` of two sigmoid outputs is at most exp(50), finite
    in float32 (not in float16, where such code is reported)."""
    exponent = _exp_argument(analysis, exp_call)
    site = analysis.sites.get(exp_call)
    if exponent is None or site is None:
        return False
    span = analysis.ranges.of(exponent, site)
    return span is not None and span.high < analysis.precision.float_at(site)[0].exp_overflow


def _is_log(analysis: ModuleAnalysis, expr: cst.BaseExpression, at: Point) -> bool:
    expr, _ = analysis.values.definition_at(expr, at)
    return isinstance(expr, cst.Call) and analysis.op_of_call(expr) is Op.LOG


def _is_max(analysis: ModuleAnalysis, expr: cst.BaseExpression, at: Point) -> bool:
    """A max (`reduce_max(x)`, `stop_gradient(reduce_max(x))`), also computed by a helper of the module (TFP's
    `_max_mask_non_finite(x)`: the max, with a fallback where it is not finite)."""
    if not isinstance(expr, cst.Call):
        return False
    op = analysis.op_of_call(expr)
    if op is Op.REDUCE_MAX:
        return True
    if op is Op.STOP_GRADIENT:  # the max with its gradient stopped, not whatever is stopped
        operand = analysis.operand(expr)
        return operand is not None and _is_max(analysis, operand, at)
    function = analysis.values.called_function(expr, at)
    return function is not None and any(call.site.scope is function for call in analysis.calls_of(Op.REDUCE_MAX))


# The one mechanism reported outside TensorFlow/Keras files (`Check.outside_frameworks`; README, "Which files are
# linted"): a forward Inf/Inf of any array library, reported in real NaN bugs of NumPy code (bench/FINDINGS.md, lead
# session 11).
NUMPY_SOFTMAX = "a NumPy softmax exp(x)/sum(exp(x)) without the max subtracted"


class HandWrittenExpSquash(Check):
    code = "NAN004"
    outside_frameworks = frozenset({NUMPY_SOFTMAX})

    def run(self, analysis: ModuleAnalysis) -> Iterator[Report]:
        for found in analysis.values.hand_written_squashes:
            numpy = any(call.is_numpy for call in analysis.calls if call.node in found.exps)
            if analysis.outside_frameworks and not (found.kind is Producer.SOFTMAX and numpy):
                continue
            # (a hand-written sigmoid's denominator is the literal `1 + exp(...)`, however the sum is spelled:
            # `tf.add(1., tf.exp(u))`, and the division `tf.truediv`, `tf.div`)
            exp_term = sigmoid_exp(analysis, found.denominator,
                                   lambda expr: analysis.values.exp_call(expr, found.site) is not None) \
                if found.kind is Producer.SIGMOID else None
            if exp_term is not None:
                yield from _sigmoid(analysis, found, exp_term, numpy)
            elif found.kind is Producer.SOFTMAX and not _exponent_bounded(
                    analysis, analysis.values.exp_call(found.numerator, found.site)):
                yield from _softmax(analysis, found, numpy)
        for found_log in () if analysis.outside_frameworks else analysis.domain.logs_of_exp_sums:
            if found_log.overflowing:
                yield _log_of_exp_sum(analysis, found_log)


def _sigmoid(analysis: ModuleAnalysis, found: HandWrittenSquash, exp_term: cst.BaseExpression, numpy: bool
             ) -> Iterator[Report]:
    node = found.node
    if numeric_literal(found.numerator) == 1.0:
        if numpy:
            return  # NumPy has no gradient, and its forward value is a finite 0
        if _below_overflow(analysis, exp_term):
            return
        hazard = analysis.gradients.gradient_hazard(found.site, node)
        if hazard is None:
            return  # the value is a finite 0; only its gradient is NaN, and none flows here
        yield Report(node, "hand-written sigmoid 1/(1+exp(-x)): exp(-x) overflows to Inf for x < "
                           f"{-FLOAT32.exp_overflow:.2f} in float32 ({-FLOAT16.exp_overflow:.2f} in float16); the value "
                           f"is 0 but the gradient is NaN; use tf.sigmoid / keras.ops.sigmoid{hazard[1]}",
                     _library_fix(analysis, exp_term, negated=True, op="sigmoid"),
                     confidence=hazard[0])
    elif not _exponent_bounded(analysis, analysis.values.exp_call(found.numerator, found.site)) \
            and not (analysis.test_code and numpy):
        # (the stable sigmoid's other half, `z = exp(x)` under `x < 0`, cannot overflow; a test's
        # expected value, computed in NumPy from its own fixtures (module.test_code), as NAN001/NAN002)
        if numpy:  # NumPy's float64, forward only; a TensorFlow op is no fix for array code
            yield Report(node, "hand-written sigmoid exp(x)/(1+exp(x)) is Inf/Inf = NaN for x > "
                               f"{FLOAT64.exp_overflow:.2f} in float64 ({FLOAT32.exp_overflow:.2f} for "
                               "float32 arrays); use scipy.special.expit")
        else:
            yield Report(node, "hand-written sigmoid exp(x)/(1+exp(x)) is Inf/Inf = NaN for x > "
                               f"{FLOAT32.exp_overflow:.2f} in float32 (forward and gradient); use tf.sigmoid / "
                               "keras.ops.sigmoid",
                         _library_fix(analysis, found.numerator, negated=False, op="sigmoid"))


def _softmax(analysis: ModuleAnalysis, found: HandWrittenSquash, numpy: bool) -> Iterator[Report]:
    node = found.node
    centred = _mean_centred(analysis, found)
    if not numpy and centred:
        yield Report(node, "hand-written softmax exp(x)/sum(exp(x)) shifted by the mean of x, not its max: a term of "
                           "each row is >= exp(0) = 1, so the sum cannot underflow, but it is Inf/Inf = NaN once a "
                           f"logit lies more than {FLOAT32.exp_overflow:.2f} above its row's mean in float32 "
                           f"({FLOAT16.exp_overflow:.2f} in float16); use tf.nn.softmax or subtract reduce_max(x) "
                           "instead",
                     _softmax_fix(analysis, node) if isinstance(node, cst.BinaryOperation) else None)
        return
    if not numpy:
        yield Report(node, "hand-written softmax exp(x)/sum(exp(x)) without subtracting the max is NaN once a "
                           f"logit exceeds {FLOAT32.exp_overflow:.2f} in float32 ({FLOAT16.exp_overflow:.2f} in "
                           "float16), and 0/0 when all logits are "
                           f"below {FLOAT32.exp_underflow:.2f} in float32 ({FLOAT16.exp_underflow:.2f} in "
                           "float16; TensorFlow flushes subnormals); use tf.nn.softmax or subtract "
                           "reduce_max(x) first",
                     _softmax_fix(analysis, node) if isinstance(node, cst.BinaryOperation) else None)
        return
    # NumPy computes in float64 unless the code casts to float32; a test's expected value is computed from its own
    # fixtures (module.test_code, as for the spreads)
    exp_call = analysis.values.exp_call(found.numerator, found.site)
    exponent = _exp_argument(analysis, exp_call) if exp_call is not None else None
    cast = float32_array(analysis, exponent, analysis.sites[exp_call]) \
        if exp_call is not None and exponent is not None else None
    if analysis.test_code or (exp_call is not None and _clipped(analysis, exp_call, FLOAT32 if cast else FLOAT64)):
        return
    if exp_call is not None and exponent is not None and cast is not None:
        clip = analysis.values.clip_bounds(exponent, analysis.sites[exp_call])
        unbounded = f" (the clip to {clip[1]:g} is a float64 bound)" if clip is not None else ""
        if centred:
            yield Report(node, "hand-written softmax exp(x)/sum(exp(x)) shifted by the mean of x, not its max: a "
                               "term of each row is >= exp(0) = 1, so the sum cannot underflow, but it is Inf/Inf = "
                               f"NaN once a logit lies more than {FLOAT32.exp_overflow:.2f} above its row's mean"
                               f"{unbounded}: the array is float32 (`{analysis.code_of(cast)}` at line "
                               f"{analysis.position(cast).start.line}), whose exp overflows there (float64's at "
                               f"{FLOAT64.exp_overflow:.2f}); subtract x.max() instead, as scipy.special.softmax does")
            return
        yield Report(node, "hand-written softmax exp(x)/sum(exp(x)) without subtracting the max is Inf/Inf = NaN "
                           f"once a logit exceeds {FLOAT32.exp_overflow:.2f}{unbounded}: the array is float32 "
                           f"(`{analysis.code_of(cast)}` at line {analysis.position(cast).start.line}), whose exp "
                           f"overflows there (float64's at {FLOAT64.exp_overflow:.2f}), and 0/0 when every logit is "
                           f"below {NUMPY_FLOAT32.exp_underflow:.2f}; subtract x.max() first, as "
                           "scipy.special.softmax does, or compute in float64")
        return
    if centred:
        yield Report(node, "hand-written softmax exp(x)/sum(exp(x)) shifted by the mean of x, not its max: a term of "
                           "each row is >= exp(0) = 1, so the sum cannot underflow, but it is Inf/Inf = NaN once a "
                           f"logit lies more than {FLOAT64.exp_overflow:.2f} above its row's mean in float64 "
                           f"({FLOAT32.exp_overflow:.2f} for float32 arrays); subtract x.max() instead, as "
                           "scipy.special.softmax does")
        return
    yield Report(node, "hand-written softmax exp(x)/sum(exp(x)) without subtracting the max is "
                       f"Inf/Inf = NaN once a logit exceeds {FLOAT64.exp_overflow:.2f} in float64 "
                       f"({FLOAT32.exp_overflow:.2f} for float32 arrays), and 0/0 when every logit is "
                       f"below {FLOAT64.exp_underflow:.2f} ({NUMPY_FLOAT32.exp_underflow:.2f} "
                       "in float32); subtract x.max() first, as scipy.special.softmax does")


def _log_of_exp_sum(analysis: ModuleAnalysis, found: LogOfExpSum) -> Report:
    """softplus / log-cosh / log-sum-exp written with exp: the exp overflows where the log would be finite."""
    dtype, _ = analysis.precision.float_at(found.site)
    where = f"{dtype.exp_overflow:.2f} in {dtype.name}"
    exp_call, at = found.overflowing[0]
    # an exponent the code bounds but for a factor whose range it does not show (a label): plausible
    scaled = all((operand := analysis.operand(exp)) is not None
                 and analysis.domain.bounded_but_for_a_scale(operand, point, found.site)
                 for exp, point in found.overflowing)
    shown = Confidence.PLAUSIBLE if scaled else Confidence.CONSTRUCTION
    if found.form == "softplus":
        return Report(found.node, f"hand-written softplus log(1 + exp(x)) is Inf once x exceeds {where} (exp "
                                  f"overflows; the softplus itself is about x there); use tf.nn.softplus / "
                                  f"keras.ops.softplus", _library_fix(analysis, exp_call, negated=False, op="softplus"),
                      confidence=shown)
    if found.form == "log-cosh":
        return Report(found.node, f"log-cosh written with exp: (exp(x) + exp(-x)) overflows to Inf once |x| exceeds "
                                  f"{where}, so the value is Inf and its gradient Inf/Inf = NaN, although log(cosh(x)) "
                                  f"is about |x| - 0.69 there; use x + softplus(-2x) - log(2) (tf.keras.losses.log_cosh / "
                                  f"keras.losses.log_cosh), which never overflows", confidence=shown)
    confidence = Confidence.CONSTRUCTION if any(_known_unbounded(analysis, exp, point)
                                                for exp, point in found.overflowing) else Confidence.PLAUSIBLE
    return Report(found.node, f"log of a sum of exps written by hand: exp overflows to Inf once an argument exceeds "
                              f"{where} (and every term is 0 below {dtype.exp_underflow:.2f}, giving log(0) = -Inf), although the "
                              f"log-sum-exp itself is finite; use tf.math.reduce_logsumexp / keras.ops.logsumexp, "
                              f"which subtract the max first", confidence=confidence)


def _known_unbounded(analysis: ModuleAnalysis, exp_call: cst.Call, at: Point) -> bool:
    """exp's argument is a linear head, or a tensor the code itself gives to sigmoid/softmax (logits)."""
    operand = analysis.operand(exp_call)
    if operand is None:
        return False
    return unbounded_above(analysis.values.of(operand, at)) or analysis.domain.squashed_elsewhere(operand, at) is not None
