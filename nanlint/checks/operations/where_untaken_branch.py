"""NAN007: where() computes both branches everywhere, so an operation in the branch it does not take still runs
on the inputs the condition was meant to keep from it. `where(x > 0, log(x), 0)` takes log(0) nowhere, yet
computes it at x = 0, and its Inf derivative times where's 0 is NaN in the gradient; so does an exp that
overflows in the untaken branch (`where(x > 0, x, exp(x) - 1)` at x > 88.72), and under XLA a sqrt at 0. The
forward value is finite. The arithmetic spelling of the same select, `x * mask + (1 - mask) * -inf`, is NaN in the
forward value itself (0 * -Inf); so is a factor holding -Inf (`x * inf_mask` with `inf_mask[i] = -np.inf`), whose
Inf is the gradient of the other factor (NaN after a softmax's 0). And a -Inf fill selected by where() into a
softmax: a row the mask keeps nothing of is all -Inf, and its softmax is NaN in the forward value."""

from __future__ import annotations

from collections.abc import Iterator


from nanlint.analysis.guards import Hazard, UntakenHazard
from nanlint.analysis.infinities import InfiniteRow
from nanlint.analysis.module import ModuleAnalysis
from nanlint.analysis.operations import Op
from nanlint.checks.base import Check, Report

# The double where, spelled for each hazard: feed the operation a safe value where its branch is not taken.
_FIXES = {
    Hazard.LOG: "use the double where: log(where(cond, x, 1.0)) inside where(cond, ..., ...)",
    Hazard.DIVISION: "use the double where: a / where(cond, x, 1.0) inside where(cond, ..., ...)",
    Hazard.ROOT: "use the double where: sqrt(where(cond, x, 1.0)) inside where(cond, ..., ...)",
    Hazard.OVERFLOW: "feed it only the values its branch keeps (the double where: x replaced by where(cond, "
                     "safe_value, x) inside it), or bound it (exp(minimum(x, 0)) for the negative side of an ELU)",
}


class WhereUntakenBranch(Check):
    code = "NAN007"

    def run(self, analysis: ModuleAnalysis) -> Iterator[Report]:
        yield from self._untaken_branches(analysis)
        yield from self._infinite_masks(analysis)

    def _untaken_branches(self, analysis: ModuleAnalysis) -> Iterator[Report]:
        for call in analysis.calls_of(Op.WHERE):
            if call.is_numpy:
                continue
            reported = []
            for hazard in analysis.guards.untaken_hazards(call.node, call.site):
                # a log or division the branch also takes at its unsafe point is a forward hazard: its own rule
                # (NAN001, NAN002) reports it, and the same fix removes both
                if hazard.taken_too and hazard.hazard is not Hazard.OVERFLOW:
                    continue
                xla = analysis.gradients.compiled_by_xla(call.site) if hazard.hazard is Hazard.ROOT else ""
                if hazard.hazard is Hazard.ROOT and not xla:
                    continue  # TF's own sqrt gradient is finite there (docs/numerics-facts.md)
                reported.append((hazard, xla))
            flow = analysis.gradients.gradient_hazard(call.site, call.node) if reported else None
            if flow is None:
                continue
            confidence, where = flow
            # one where(), one finding: the other branches' hazards are named in it
            (first, xla), others = reported[0], reported[1:]
            also = "".join(f"; likewise `{analysis.spelled(other.operation)}` at {other.unsafe}" for other, _ in others)
            yield Report(call.node, _message(analysis, first, xla) + also + where, confidence=confidence)

    def _infinite_masks(self, analysis: ModuleAnalysis) -> Iterator[Report]:
        """-Inf written into a mask: multiplied by it, held by a factor, or selected into a softmax's row."""
        for masked in analysis.guards.masked_infinities():
            yield Report(
                masked.node,
                f"`{masked.mask}` is 0 wherever the select keeps the other term, and 0 * {masked.infinity} is NaN, "
                f"not 0: this arithmetic select (x * mask + (1 - mask) * -inf) makes every kept entry NaN; use a "
                f"large finite fill instead (-1e9 in float32, -1e4 in float16) or tf.where(mask, x, fill)",
            )
        for row in analysis.infinite_rows.found:
            yield Report(row.origin, _infinite_row_message(analysis, row))
        for factor in analysis.guards.infinite_factors():
            site = analysis.sites[factor.node]
            flow = analysis.gradients.gradient_hazard(site, factor.node)
            if flow is None or not analysis.gradients.carries_gradient(factor.other, site):
                continue
            confidence, where = flow
            other = analysis.spelled(factor.other)
            yield Report(
                factor.node,
                f"`{factor.factor}` holds {factor.infinity} (put there at line "
                f"{analysis.position(factor.origin).start.line}), and the gradient of this product with respect to "
                f"`{other}` is that factor: {factor.infinity} times the incoming gradient, NaN where that is 0 (a "
                f"softmax or exp after it gives exactly 0 for the entry the {factor.infinity} removes), and the "
                f"product itself is NaN where `{other}` is 0; mask by adding a large finite value (x + (1 - mask) * "
                f"-1e9 in float32, -1e4 in float16) or with tf.where(mask, x, -1e9), not by multiplying by "
                f"{factor.infinity}{where}",
                confidence=confidence,
            )



def _message(analysis: ModuleAnalysis, hazard: UntakenHazard, xla: str) -> str:
    condition = analysis.spelled(hazard.condition)
    operation = analysis.spelled(hazard.operation)
    if hazard.hazard is Hazard.OVERFLOW:
        taken = " (and where it is taken, the value itself is Inf)" if hazard.taken_too else ""
        return (f"where() evaluates both branches: `{operation}` overflows to Inf at {hazard.unsafe}, where "
                f"`{condition}` does not take its branch{taken}; its Inf derivative times where's 0 is NaN in the "
                f"gradient; {_FIXES[hazard.hazard]}")
    if hazard.hazard is Hazard.ROOT:
        return (f"where() evaluates both branches: `{condition}` keeps the forward value finite, but `{operation}` "
                f"still runs at {hazard.unsafe}, where its derivative is Inf; TensorFlow's own sqrt gradient "
                f"returns 0 there, XLA ({xla}) computes 0 * Inf = NaN; {_FIXES[hazard.hazard]}")
    return (f"where() evaluates both branches: `{condition}` keeps the forward value finite, but the "
            f"{hazard.hazard.value} `{operation}` in the branch it does not take still runs at {hazard.unsafe}, and "
            f"its Inf gradient times where's 0 is NaN; {_FIXES[hazard.hazard]}")


def _infinite_row_message(analysis: ModuleAnalysis, row: InfiniteRow) -> str:
    line = analysis.position
    if row.select is row.origin:  # log(mask)
        written = f"the entries where `{row.mask}` is 0 (log(0) = -Inf)"
    else:
        entries = f"where `{row.mask}` is true" if row.dropping else f"`{row.mask}` drops"
        written = f"the entries {entries} (the where() at line {line(row.select).start.line})"
    return (f"-Inf fills {written}, and the "
            f"{row.operation} at line {line(row.normalizer).start.line} normalizes over them: {row.empty_when} is "
            f"all -Inf, and {row.operation} of it is NaN (it subtracts the row's maximum: -Inf - (-Inf) is NaN), in "
            f"the forward value, and from there in the loss and the gradients; fill with a large finite negative instead (the "
            f"dtype's minimum, tf.float32.min; -1e9 in float32 only, it rounds to -Inf in float16), which gives such "
            f"a row a uniform {row.operation}, or replace the row after it with tf.where(mask, result, 0.0)")
