"""NAN006: acos/asin of a value that reaches ±1 (a cosine similarity, or one clipped to exactly [-1, 1]):
the derivative 1/sqrt(1 - x²) is infinite there."""

from __future__ import annotations

from collections.abc import Iterator

from nanlint.analysis.module import ModuleAnalysis
from nanlint.analysis.operations import Op
from nanlint.analysis.values import argument
from nanlint.checks.base import Check, Report


class AcosAtOne(Check):
    code = "NAN006"

    def run(self, analysis: ModuleAnalysis) -> Iterator[Report]:
        for call in analysis.calls_of(Op.ACOS, Op.ASIN):
            operand = argument(call.node, 0, "x")
            if operand is None:
                continue
            constant = analysis.values.constant(operand, call.site)
            if constant is not None and abs(constant) < 1.0:
                continue
            bounds = analysis.values.clip_bounds(operand, call.site)
            if bounds is not None and max(abs(bounds[0]), abs(bounds[1])) < 1.0:
                continue  # clipped strictly inside (-1, 1)
            name = "acos" if call.op is Op.ACOS else "asin"
            yield Report(
                call.node,
                f"{name} of a value that reaches ±1 (a cosine of identical or opposite vectors, or a value clipped to "
                f"exactly ±1): the forward value is finite but the gradient is ∓Inf there, and NaN just outside "
                f"[-1, 1] where rounding puts a cosine; clip to ±(1 - 1e-6) first (float32)",
            )
