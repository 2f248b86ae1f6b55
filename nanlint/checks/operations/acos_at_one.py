"""NAN006: acos/asin of a value known to reach ±1 (a cosine similarity, or one clipped to exactly [-1, 1]):
the derivative 1/sqrt(1 - x²) is infinite there. acos of an arbitrary parameter is not flagged."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from nanlint.analysis.module import ModuleAnalysis, Site
from nanlint.analysis.operations import Op
from nanlint.analysis.values import Producer, argument
from nanlint.checks.base import Check, Report


def _reaches_one(analysis: ModuleAnalysis, operand: cst.BaseExpression, site: Site) -> str | None:
    """Why the argument is known to reach ±1: a cosine similarity, or a clip to exactly ±1."""
    bounds = analysis.values.clip_bounds(operand, site)
    if bounds is not None:
        return "a value clipped to exactly ±1" if max(abs(bounds[0]), abs(bounds[1])) >= 1.0 else None
    definition = analysis.values.definition(operand, site)
    for division in analysis.divisions():
        if division.node is definition:
            denominator = analysis.values.of(division.denominator, division.site)
            if denominator.producer is Producer.NORM:
                return "a cosine similarity, exactly ±1 for parallel vectors"
    return None


class AcosAtOne(Check):
    code = "NAN006"

    def run(self, analysis: ModuleAnalysis) -> Iterator[Report]:
        for call in analysis.calls_of(Op.ACOS, Op.ASIN):
            operand = argument(call.node, 0, "x")
            if operand is None or call.is_numpy:
                continue
            reason = _reaches_one(analysis, operand, call.site)
            if reason is None:
                continue
            hazard = analysis.gradients.gradient_hazard(call.site, call.node)
            if hazard is None:
                continue
            confidence, where = hazard
            name = "acos" if call.op is Op.ACOS else "asin"
            yield Report(
                call.node,
                f"{name} of {reason}: the forward value is finite but the gradient is ∓Inf at ±1, and NaN just "
                f"outside [-1, 1] where rounding can put a computed cosine; clip to ±(1 - 1e-6) first (float32)"
                f"{where}",
                confidence=confidence,
            )
