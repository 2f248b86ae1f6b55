"""NAN003: an epsilon that does nothing in the dtype it runs in.

Two ways: it rounds to 0 (1e-8 in float16) or is too small to keep a float16 division finite; or it is
absorbed by a larger constant before it can act (`1e-10 + 1 - p` is `(1e-10 + 1) - p`, and
`1 + 1e-10 == 1` in float32; `clip_by_value(p, 1e-10, 1.0 - 1e-10)` has an upper bound of exactly 1.0).
"""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from nanlint.analysis.binder import Point
from nanlint.analysis.domain import reaches_negative
from nanlint.analysis.module import ModuleAnalysis, Site
from nanlint.analysis.operations import Op
from nanlint.analysis.numerics import FLOAT16, FLOAT32
from nanlint.analysis.precision import wide_float_cast
from nanlint.analysis.arguments import argument
from nanlint.analysis.values import Guard, Producer
from nanlint.checks.base import Check, Report
from nanlint.finding import Fix

# Below this, x / (d + eps) at d = 0 overflows float16 (max 65504) for every |x| > 65504 * eps ~ 6.5.
_FLOAT16_DIVISION_EPSILON = 1e-4
_GUARDED_OPS = (Op.LOG, Op.LOG1P, Op.SQRT, Op.RSQRT)
# where `1 - p` of a clipped p is 0 at p = 1 and hurts: log(0), sqrt(0)'s gradient, rsqrt(0)
_COMPLEMENT_HAZARDS = (Op.LOG, Op.SQRT, Op.RSQRT)
_BOUNDED_OPS = (Op.LOG, Op.LOG1P, Op.SQRT, Op.RSQRT, Op.CLIP, Op.MAXIMUM)


def _dtype_note(reason: str | None) -> str:
    return f" (float16 because of {reason})" if reason else ""


class EpsilonTooSmall(Check):
    code = "NAN003"

    def run(self, analysis: ModuleAnalysis) -> Iterator[Report]:
        reported: set[int] = set()
        harmed: dict[int, str] | None = None
        for division in analysis.divisions():
            yield from self._guard(analysis, division.node, division.denominator, division.site, division=True)
            yield from self._absorbed(analysis, division.denominator, division.site, reported)
        for call in analysis.calls_of(*_BOUNDED_OPS):
            for position, keyword in ((0, "x"), (1, "clip_value_min"), (2, "clip_value_max"), (1, "y")):
                operand = argument(call.node, position, keyword)
                if operand is None:
                    continue
                if call.op in _GUARDED_OPS and position == 0:
                    yield from self._guard(analysis, call.node, operand, call.site, division=False)
                harm = None
                if call.op is Op.CLIP and position == 2 and next(_sums(operand), None) is not None:
                    # an upper bound of exactly 1 harms only some uses: log(p) of it is finite at 1, log(1 - p) not
                    harmed = _harmed_at_one(analysis) if harmed is None else harmed
                    harm = harmed.get(id(call.node))
                    if harm is None:
                        continue
                yield from self._absorbed(analysis, operand, call.site, reported, harm)
        yield from self._variance_epsilons(analysis)

    def _variance_epsilons(self, analysis: ModuleAnalysis) -> Iterator[Report]:
        """`tf.nn.batch_normalization(x, mean, variance, offset, scale, variance_epsilon)` computes
        rsqrt(variance + variance_epsilon): the epsilon guards a variance, 0 for a constant row."""
        for call in analysis.calls_of(Op.BATCH_NORMALIZATION):
            epsilon = argument(call.node, 5, "variance_epsilon")
            if epsilon is None:
                continue
            eps = analysis.values.constant(epsilon, call.site)
            if eps is None:
                continue
            if eps == 0:
                yield from _no_variance_epsilon(analysis, call.node, call.site)
                continue
            # reported where the literal is written (`variance_epsilon = 1e-12`), which is what to change
            written = analysis.values.definition(epsilon, call.site)
            node = written if isinstance(written, (cst.Float, cst.Integer)) else call.node
            yield from self._vanishing(analysis, node, eps, call.site,
                                       "variance in batch_normalization's rsqrt(variance + variance_epsilon)")

    def _guard(self, analysis: ModuleAnalysis, node: cst.CSTNode, operand: cst.BaseExpression, site: Site,
               division: bool) -> Iterator[Report]:
        value = analysis.values.of(operand, site)
        if value.guard not in (Guard.EPSILON_ADDED, Guard.MAXIMUM) or value.epsilon is None or value.producer is None:
            return
        if reaches_negative(value):  # an epsilon added to a signed value guards nothing in the first place
            return
        # a guarded value cast to float32 (or float64) is computed in it, whatever the code's float type
        wide = wide_float_cast(analysis, operand, site) is not None
        dtype, reason = (FLOAT32, None) if wide else analysis.precision.float_at(site)
        eps = value.epsilon
        # a sum of terms not known to cancel or vanish together (router probabilities) needs no guard in any dtype
        reaches_zero = value.producer is not Producer.SUM or value.subject_can_be_zero
        vanishing = list(self._vanishing(analysis, node, eps, site, value.describe(), reaches_zero, wide))
        if vanishing:
            yield from vanishing
        elif division and dtype is FLOAT16 and eps < _FLOAT16_DIVISION_EPSILON:
            yield Report(node, f"dividing by {value.describe()} + {eps:g} overflows float16{_dtype_note(reason)}: "
                               f"where the {value.describe()} is 0 the result is Inf once |numerator| > "
                               f"{FLOAT16.max * eps:.2g}; use an epsilon >= 1e-4 or tf.math.divide_no_nan",
                         _replace_literal(analysis, node, eps, "1e-3"))

    def _vanishing(self, analysis: ModuleAnalysis, node: cst.CSTNode, eps: float, site: Site,
                   guarded: str, reaches_zero: bool = True, wide: bool = False) -> Iterator[Report]:
        """An epsilon that is exactly 0 in the dtype the code runs in; or in float16, when the function takes its
        float type from its input (`dtype = inputs.dtype`), so float16 inputs run it in float16 (tensorflow#24979:
        contrib layer_norm's 1e-12), and what it guards is known to reach 0. Not where what it guards is cast to
        float32 or float64 (`wide`): that is the dtype it is computed in."""
        dtype, reason = (FLOAT32, None) if wide else analysis.precision.float_at(site)
        if 0 < eps < dtype.smallest:
            yield Report(node, f"the epsilon {eps:g} guarding this {guarded} is exactly 0 in {dtype.name}"
                               f"{_dtype_note(reason)}, so the guard does nothing; use >= {dtype.smallest * 10:.0e}"
                               f"{' (>= 1e-4 for a division)' if dtype is FLOAT16 else ''}",
                         _replace_literal(analysis, node, eps, "1e-3" if dtype is FLOAT16 else "1e-7"))
            return
        follows = analysis.precision.input_dtype(site) if reaches_zero and not wide and 0 < eps < FLOAT16.smallest \
            else None
        if follows is not None:
            yield Report(node, f"the epsilon {eps:g} guarding this {guarded} is exactly 0 in float16, and this code "
                               f"runs in its input's float type (`{follows}`): with float16 inputs the guard does "
                               f"nothing and a 0 gives Inf/NaN; use >= 1e-3 for float16 (`{eps:g} if dtype != "
                               f"float16 else 1e-3`)")

    def _absorbed(self, analysis: ModuleAnalysis, expr: cst.BaseExpression, site: Site,
                  reported: set[int], harm: str | None = None) -> Iterator[Report]:
        """A constant sum like `1e-10 + 1` or `1.0 - 1e-10` that rounds back to the larger term; `harm` says what
        that does where it is not the operand of the log, sqrt or division itself."""
        for binary in _sums(expr):
            if id(binary) in reported:
                continue
            left = analysis.values.constant(binary.left, site)
            right = analysis.values.constant(binary.right, site)
            if left is None or right is None or left == 0 or right == 0:
                continue
            big, small = (left, right) if abs(left) >= abs(right) else (right, left)
            dtype, reason = analysis.precision.float_at(site)
            # Only a bound near 1 matters here: that is where `1 - p` and probabilities live.
            if abs(big) >= 0.5 and abs(small) < abs(big) * dtype.half_ulp_at_one:
                reported.add(id(binary))
                code = analysis.spelled(binary)
                yield Report(binary, f"`{code}` rounds to {big:g} in {dtype.name}{_dtype_note(reason)}: the epsilon "
                                     f"{abs(small):g} is absorbed before it can act, "
                                     f"{harm or 'so a log, sqrt or division it guards still sees 0 (-Inf/NaN at p = 1)'}"
                                     f"; use an epsilon >= "
                                     f"{abs(big) * dtype.half_ulp_at_one * 2:.0e}, or add it last: "
                                     f"`1 - p + eps` is `(1 - p) + eps`",
                             _replace_literal(analysis, binary, abs(small), "1e-7" if dtype is not FLOAT16 else "1e-3"))


def _harmed_at_one(analysis: ModuleAnalysis) -> dict[int, str]:
    """The clip_by_value calls (their ids) whose result this module uses where a value of exactly 1 hurts, with what
    that use does, for messages: `1 - p` under a log, a root or as a divisor (0 at p = 1), acos/asin of p (infinite
    gradient at 1), atanh of p (Inf at 1), a division by log(p) (0 at p = 1). `log(p)` alone is 0 there: an upper bound that rounds to 1
    does no harm to it."""
    harmed: dict[int, str] = {}
    complement = "so the clip's upper bound is 1 and the `1 - p` this code takes of the clipped value is still 0 " \
                 "(-Inf/NaN at p = 1)"
    uses: list[tuple[cst.BaseExpression | None, Point, str]] = []
    for division in analysis.divisions():
        uses.append((division.denominator, division.site, complement))
        logged, at = analysis.values.definition_at(division.denominator, division.site)
        if isinstance(logged, cst.Call) and analysis.op_of_call(logged) is Op.LOG:
            uses.append((argument(logged, 0, "x"), at,
                         "so the clip's upper bound is 1, where the log of the clipped value this code divides by is "
                         "0 (Inf/NaN at p = 1)"))
    uses += [(argument(call.node, 0, "x"), call.site, complement) for call in analysis.calls_of(*_COMPLEMENT_HAZARDS)]
    uses += [(argument(call.node, 0, "x"), call.site, "so the clip's upper bound is 1, where the acos/asin this code "
                                                      "takes of the clipped value has an infinite gradient")
             for call in analysis.calls_of(Op.ACOS, Op.ASIN)]
    uses += [(argument(call.node, 0, "x"), call.site, "so the clip's upper bound is 1, where the atanh this code "
                                                      "takes of the clipped value is Inf, with an infinite gradient")
             for call in analysis.calls_of(Op.ATANH)]
    for operand, site, harm in uses:
        value = analysis.values.of(operand, site) if operand is not None else None
        if value is None or value.clip is None or id(value.clip) in harmed:
            continue
        if value.complement is (harm is complement):
            harmed[id(value.clip)] = harm
    return harmed


def _replace_literal(analysis: ModuleAnalysis, node: cst.CSTNode, value: float, replacement: str) -> Fix | None:
    """The node with its epsilon literal replaced by one that works in the dtype; None when the epsilon is not
    written as a literal inside the node (a module constant is fixed where it is defined, by hand)."""
    pending = [node]
    while pending:
        current = pending.pop()
        if isinstance(current, (cst.Float, cst.Integer)) and float(current.evaluated_value) == value:
            fixed = node.deep_replace(current, cst.Float(replacement))
            return Fix(f"use an epsilon of {replacement}", analysis.code_of(fixed), safe=False)
        if isinstance(current, cst.BinaryOperation):
            pending.extend((current.right, current.left))
        elif isinstance(current, cst.UnaryOperation):
            pending.append(current.expression)
        elif isinstance(current, cst.Call):
            pending.extend(arg.value for arg in reversed(current.args))
    return None


def _sums(expr: cst.BaseExpression) -> Iterator[cst.BinaryOperation]:
    """The + and - operations in an arithmetic expression (not descending into calls or lambdas)."""
    pending = [expr]
    while pending:
        current = pending.pop()
        if isinstance(current, cst.BinaryOperation):
            if isinstance(current.operator, (cst.Add, cst.Subtract)):
                yield current
            pending.extend((current.right, current.left))
        elif isinstance(current, cst.UnaryOperation):
            pending.append(current.expression)


def _no_variance_epsilon(analysis: ModuleAnalysis, call: cst.Call, site: Site) -> Iterator[Report]:
    """`batch_normalization(x, mean, variance, ..., variance_epsilon=0)` of a variance that can be 0: rsqrt(0) is Inf
    and the centred value there is 0, so the output is 0 * Inf = NaN (measured: a constant column, and every column
    of a batch of one normalised over axes=[0], gives NaN; 1e-3 gives 0)."""
    variance = argument(call, 2, "variance")
    value = analysis.values.of(variance, site) if variance is not None else None
    if value is None or value.zero_when is None:
        return
    yield Report(call, f"batch_normalization with variance_epsilon=0 computes rsqrt(variance) of a {value.describe()}, "
                       f"which is 0 for {value.zero_when} (for instance every feature of a batch of one, normalised over "
                       f"the batch axis): rsqrt(0) is Inf and the centred input there is 0, so the output is 0 * Inf = NaN "
                       f"(measured); use variance_epsilon=1e-3 (Keras' BatchNormalization default){value.flow}")
