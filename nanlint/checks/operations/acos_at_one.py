"""NAN006: acos/asin of a value known to reach ±1: a normalised dot product (a cosine: a quotient by a root or norm,
or a dot product of normalised vectors), which rounds past 1 in float32 (forward NaN) and has an infinite
derivative 1/sqrt(1 - x²) at ±1; a dot product of vectors not normalised there, outside [-1, 1] unless both are
unit vectors (forward NaN); or a value clipped to exactly [-1, 1] (gradient only). acos of an arbitrary
parameter is not flagged. Also atanh and erfinv (domain (-1, 1), ±Inf at ±1 with an infinite derivative: the numerics
table's domains) of a tanh output, which rounds to exactly ±1 once it saturates (a tanh bijector's inverse)."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from nanlint.analysis.module import ModuleAnalysis, Site
from nanlint.analysis.numerics import Outcome, domain
from nanlint.analysis.operations import Op
from nanlint.analysis.arguments import argument
from nanlint.analysis.values import FLOAT64_TANH_SATURATION, TANH_SATURATION
from nanlint.checks.base import Check, Report


def _clipped_to_one(analysis: ModuleAnalysis, operand: cst.BaseExpression, site: Site) -> bool | None:
    """True: clipped to exactly ±1 (forward finite, gradient Inf there); False: clipped strictly inside (safe);
    None: not clipped."""
    bounds = analysis.values.clip_bounds(operand, site)
    if bounds is None:
        return None
    return max(abs(bounds[0]), abs(bounds[1])) >= 1.0


# The mechanisms reported outside TensorFlow/Keras files (`Check.outside_frameworks`; README, "Which files are
# linted"): forward NaNs, true in any array library and any float type (bench/FINDINGS.md, flows7 and acos13).
COSINE_ROUNDING = "acos/asin of a normalised dot product, which rounds past ±1"
RAW_DOT_PRODUCT = "acos/asin of a dot product of vectors not normalised there, unclipped"


class AcosAtOne(Check):
    code = "NAN006"
    outside_frameworks = frozenset({COSINE_ROUNDING, RAW_DOT_PRODUCT})

    def run(self, analysis: ModuleAnalysis) -> Iterator[Report]:
        yield from _atanh_of_tanh(analysis)
        for call in analysis.calls_of(Op.ACOS, Op.ASIN):
            operand = argument(call.node, 0, "x")
            if operand is None:
                continue
            name = "acos" if call.op is Op.ACOS else "asin"
            # NumPy has no gradient, but a cosine rounding past 1 is NaN in its forward value all the same
            hazard = None if call.is_numpy else analysis.gradients.gradient_hazard(call.site, call.node)
            clipped = _clipped_to_one(analysis, operand, call.site)
            cosine = analysis.domain.cosine(operand, call.site) if clipped is None else None
            if cosine in ("dot", "product") and analysis.guards.repaired_downstream(call.site):
                continue  # the author tests the angle for NaN and replaces it (`if np.isnan(angle): ...`)
            if cosine == "dot":
                # the forward value is already at risk: rounding puts a computed cosine past 1 in any code
                gradient = f"; its gradient is ∓Inf at ±1{hazard[1]}" if hazard is not None else ""
                # NumPy computes in float64 and has no gradient: clipping to ±1 itself is enough there
                rounded, fix = (("1.0000000000000007 in float64", "clip to [-1, 1] first") if call.is_numpy
                                else ("1.0000001 in float32", "clip to ±(1 - 1e-6) first (float32)"))
                yield Report(call.node, f"{name} of a normalised dot product (a cosine), which is exactly ±1 for "
                                        f"parallel vectors and rounds past it ({rounded}, e.g. a vector with "
                                        f"itself), where {name} is NaN{gradient}; {fix}")
            elif cosine == "product" and not _within_one(analysis, operand, call.site):
                gradient = f"; its gradient is ∓Inf at ±1{hazard[1]}" if hazard is not None else ""
                clip = "[-1, 1]" if call.is_numpy else "±(1 - 1e-6) (float32)"
                yield Report(call.node, f"{name} of a dot product of vectors not normalised here: it lies in [-1, 1] "
                                        f"only if both are unit vectors, and even then rounds past ±1 (about a fifth "
                                        f"of unit vectors dotted with themselves exceed 1, in float64 and float32), "
                                        f"where {name} is NaN{gradient}; normalise the vectors unless they are unit "
                                        f"ones, and clip to {clip} first")
            elif (clipped or cosine == "component") and hazard is not None and not analysis.outside_frameworks:
                what = "a value clipped to exactly ±1" if clipped else "a coordinate over its vector's norm, ±1 on the axis"
                yield Report(call.node, f"{name} of {what}: the forward value is finite but the gradient is ∓Inf at "
                                        f"±1; clip to ±(1 - 1e-6) first (float32){hazard[1]}", confidence=hazard[0])


def _within_one(analysis: ModuleAnalysis, operand: cst.BaseExpression, site: Site) -> bool:
    """What produced the factors bounds the dot product inside [-1, 1] (`0.5 * a * b + 0.5 * c * d` of tanh
    outputs): no input takes it past ±1."""
    span = analysis.ranges.of(operand, site)
    return span is not None and span.low >= -1.0 and span.high <= 1.0


# The operations that are ±Inf at ±1 with an infinite derivative there (the numerics table's domains: atanh, erfinv).
_INFINITE_AT_ONE = tuple(op for op in (Op.ATANH, Op.ERFINV)
                         if domain(op.value, 1.0).value is Outcome.INF and domain(op.value, 1.0).gradient is Outcome.INF)


def _atanh_of_tanh(analysis: ModuleAnalysis) -> Iterator[Report]:
    """atanh (or erfinv, ±Inf at ±1 as well) of an unclipped tanh output (`atanh(tanh(x))`, a bijector's
    `_inverse(y)` of its `_forward`'s tanh): ±Inf where tanh has rounded to exactly ±1, and a NaN gradient there; of a
    value clipped to exactly ±1 (gradient only). Clipped strictly inside (-1, 1) is safe (how far inside the dtype
    needs is NAN003's)."""
    for call in analysis.calls_of(*_INFINITE_AT_ONE):
        operand = argument(call.node, 0, "x")
        if operand is None:
            continue
        name = call.op.value if call.op is not None else "atanh"
        clipped = _clipped_to_one(analysis, operand, call.site)
        tanh = analysis.values.tanh_output(operand, call.site) if clipped is None else None
        if tanh is not None:
            saturation = FLOAT64_TANH_SATURATION if tanh.float64 else TANH_SATURATION
            hazard = None if call.is_numpy else analysis.gradients.gradient_hazard(call.site, call.node)
            gradient = f", with a NaN gradient{hazard[1]}" if hazard is not None else ""
            keep = "keep the pre-tanh value, or " if call.op is Op.ATANH else ""
            yield Report(call.node, f"{name} of a tanh output is ±Inf where the tanh is exactly ±1 ({saturation})"
                                    f"{gradient}; {keep}clip to ±(1 - 1e-6) first (float32; "
                                    f"±(1 - 1e-3) in float16){tanh.flow}")
        elif clipped and not call.is_numpy and not analysis.outside_frameworks:
            hazard = analysis.gradients.gradient_hazard(call.site, call.node)
            if hazard is not None:
                derivative = "1 / (1 - x²)" if call.op is Op.ATANH else "√π/2 · exp(erfinv(x)²)"
                yield Report(call.node, f"{name} of a value clipped to exactly ±1: {name} is ±Inf there and its "
                                        f"gradient {derivative} infinite; clip to ±(1 - 1e-6) first (float32)"
                                        f"{hazard[1]}", confidence=hazard[0])
