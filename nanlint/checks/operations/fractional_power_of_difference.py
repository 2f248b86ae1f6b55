"""NAN008: a fractional power (`x ** 0.5`, `tf.pow(x, 1/3)`) of a difference, which can be negative:
NaN forward and gradient for x < 0 (integer exponents are fine)."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from nanlint.analysis.module import ModuleAnalysis, Site
from nanlint.analysis.operations import Op
from nanlint.analysis.values import argument
from nanlint.checks.base import Check, Report


def _is_difference(analysis: ModuleAnalysis, base: cst.BaseExpression, site: Site) -> bool:
    """`a - b` of two non-constant values (directly or through a name): its sign is not known."""
    definition = analysis.values.definition(base, site)
    return (
        isinstance(definition, cst.BinaryOperation)
        and isinstance(definition.operator, cst.Subtract)
        and analysis.values.constant(definition.left, site) is None
        and analysis.values.constant(definition.right, site) is None
    )


class FractionalPowerOfDifference(Check):
    code = "NAN008"

    def run(self, analysis: ModuleAnalysis) -> Iterator[Report]:
        candidates: list[tuple[cst.BaseExpression, cst.BaseExpression | None, cst.BaseExpression | None, Site]] = [
            (b.node, b.node.left, b.node.right, b.site) for b in analysis.binary_operations
            if isinstance(b.node.operator, cst.Power)]
        candidates += [(c.node, argument(c.node, 0, "x"), argument(c.node, 1, "y"), c.site)
                       for c in analysis.calls_of(Op.POW)]
        for node, base, exponent, site in candidates:
            if base is None or exponent is None:
                continue
            power = analysis.values.constant(exponent, site)
            if power is None or float(power).is_integer() or not _is_difference(analysis, base, site):
                continue
            yield Report(node, f"power {power:g} of a difference, which is negative for some inputs: NaN in the "
                               f"forward value and the gradient wherever it is < 0 (and an Inf gradient at 0); "
                               f"square it first, take abs(), or clamp with maximum(x, eps)")
