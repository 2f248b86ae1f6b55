"""NAN005: sqrt (or `** 0.5`) of a value that can be exactly 0: finite forward, but the gradient at 0 is
Inf (sqrt(x)) or NaN (norm / sqrt(sum(x**2)), whose chain rule multiplies that Inf by 0)."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from nanlint.analysis.module import ModuleAnalysis, Site
from nanlint.analysis.operations import Op
from nanlint.analysis.reachability import zero_confidence
from nanlint.analysis.values import Producer, numeric_literal
from nanlint.checks.base import Check, Report
from nanlint.finding import Confidence

# Squared quantities: their root's gradient at 0 is Inf * 0 = NaN rather than Inf.
_SQUARED = (Producer.SUM_OF_SQUARES, Producer.SQUARE, Producer.VARIANCE)


class SqrtGradientAtZero(Check):
    code = "NAN005"

    def run(self, analysis: ModuleAnalysis) -> Iterator[Report]:
        for call in analysis.calls_of(Op.SQRT):
            if call.is_numpy:
                continue
            operand = analysis.operand(call.node)
            if operand is not None:
                yield from self._check(analysis, call.node, operand, call.site, "sqrt")
        for binary in analysis.binary_operations:
            node = binary.node
            if isinstance(node.operator, cst.Power) and numeric_literal(node.right) == 0.5:
                yield from self._check(analysis, node, node.left, binary.site, "x ** 0.5")

    def _check(self, analysis: ModuleAnalysis, node: cst.CSTNode, operand: cst.BaseExpression, site: Site,
               spelled: str) -> Iterator[Report]:
        value = analysis.values.of(operand, site)
        if value.zero_when is None or value.is_probability:
            return
        hazard = analysis.gradients.gradient_hazard(site, node)
        if hazard is None or not analysis.gradients.carries_gradient(operand, site):
            return
        flow_confidence, where = hazard
        confidence = Confidence.weakest(flow_confidence, zero_confidence(analysis, operand, site, value))
        outcome = "NaN" if value.producer in _SQUARED else "Inf"
        yield Report(
            node,
            f"{spelled} of a {value.describe()}: the forward value is finite, but the gradient is {outcome} where "
            f"it is 0 ({value.zero_when}), and one such gradient turns every weight NaN; use sqrt(x + 1e-7) or "
            f"sqrt(maximum(x, 1e-7)){value.flow}{where}",
            confidence=confidence,
        )
