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

import libcst as cst

from nanlint.analysis.arguments import argument
from nanlint.analysis.guards import Hazard, UntakenHazard
from nanlint.analysis.infinities import InfiniteRow
from nanlint.analysis.masking import MaskingSentinel, masking_sentinels
from nanlint.analysis.module import ModuleAnalysis
from nanlint.analysis.operations import Op
from nanlint.checks.base import Check, Report
from nanlint.finding import Confidence

# What the double where feeds each operation where its branch is not taken (a value it is finite and smooth at), and
# how the fix names the use of the sanitised operand.
_SAFE_VALUE = {Hazard.LOG: "1.0", Hazard.DIVISION: "1.0", Hazard.ROOT: "1.0", Hazard.OVERFLOW: "0.0"}
_USE = {Hazard.LOG: "take the log of", Hazard.DIVISION: "divide by", Hazard.ROOT: "take the sqrt of",
        Hazard.OVERFLOW: "exponentiate"}


class WhereUntakenBranch(Check):
    code = "NAN007"

    def run(self, analysis: ModuleAnalysis) -> Iterator[Report]:
        yield from self._untaken_branches(analysis)
        yield from self._infinite_masks(analysis)
        for sentinel in masking_sentinels(analysis):
            yield Report(sentinel.written, _sentinel_message(analysis, sentinel),
                         confidence=Confidence.PLAUSIBLE if not sentinel.is_nan and sentinel.padded_targets is None
                         else Confidence.CONSTRUCTION, extra={"mechanism": "masking-sentinel"})

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
                if not any(analysis.gradients.carries_gradient(operand, call.site)
                           for operand in _operands(analysis, hazard)):
                    continue  # no gradient flows through the operation (counts, labels, constants): none to be NaN
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



def _operands(analysis: ModuleAnalysis, hazard: UntakenHazard) -> list[cst.BaseExpression]:
    """What a gradient through the untaken operation flows into: both sides of a division (`tf.div(tp, tp + fp)` as
    `tp / (tp + fp)`), the one operand of a log, root or exp."""
    operation = hazard.operation
    form = analysis.operator_form(operation) if isinstance(operation, cst.BaseExpression) else None
    if isinstance(form, cst.BinaryOperation):
        return [form.left, form.right]
    return [hazard.operand]


def _message(analysis: ModuleAnalysis, hazard: UntakenHazard, xla: str) -> str:
    condition = analysis.spelled(hazard.condition)
    operation = analysis.spelled(hazard.operation)
    fix = _double_where(analysis, hazard)
    if hazard.hazard is Hazard.OVERFLOW:
        taken = " (and where it is taken, the value itself is Inf)" if hazard.taken_too else ""
        return (f"where() computes and differentiates both branches: `{operation}` overflows to Inf at "
                f"{hazard.unsafe}, where `{condition}` does not take its branch{taken}; its Inf derivative times "
                f"where's 0 is NaN in the gradient; {fix}, or bound it (exp(minimum(x, 0)) for the negative side of "
                f"an ELU)")
    if hazard.hazard is Hazard.ROOT:
        return (f"`{condition}` guards the forward value, but where() computes and differentiates both branches: "
                f"`{operation}` still runs at {hazard.unsafe}, where its derivative is Inf; TensorFlow's own sqrt "
                f"gradient returns 0 there, XLA ({xla}) computes 0 * Inf = NaN; {fix}")
    if hazard.hazard is Hazard.LOG:
        return (f"`{condition}` guards the forward value, but where() computes and differentiates both branches: the "
                f"log `{operation}` in the branch it does not take still runs at {hazard.unsafe}, and its Inf "
                f"gradient times where's 0 is NaN; {fix}")
    divisor = analysis.spelled(hazard.operand)
    zero = "" if divisor == hazard.subject else f", where its divisor `{divisor}` is 0"
    if hazard.zero_over_zero:
        zero += " too (the condition tests the numerator: it is there for this 0/0)"
    return (f"`{condition}` guards the forward value, but where() computes and differentiates both branches: the "
            f"division `{operation}` in the branch it does not take still runs at {hazard.unsafe}{zero}, and its "
            f"gradient there (Inf, or NaN for 0/0) times where's 0 is NaN; {fix}")


def _sentinel_message(analysis: ModuleAnalysis, sentinel: MaskingSentinel) -> str:
    layer = analysis.position(sentinel.layer).start.line
    if sentinel.is_nan:
        return (f"the Masking layer at line {layer} masks the steps equal to NaN, and NaN equals nothing, itself "
                f"included: no step is masked, the NaN padding reaches the next layers, and the output and the loss "
                f"are NaN; pad with a finite sentinel (0.0, -1.0) and mask that")
    padded = (f"the targets are padded with it (line {analysis.position(sentinel.padded_targets).start.line})"
              if sentinel.padded_targets is not None else "if the targets are padded with it too")
    summed = f", summed over the {sentinel.features} features of a step," if sentinel.features > 1 else ""
    return (f"the Masking layer at line {layer} masks with {sentinel.value:g}, whose square {sentinel.value ** 2:.3g}"
            f"{summed} is above float32's maximum 3.4e38: {padded}, a masked step's {sentinel.loss} is Inf, and Keras "
            f"multiplies each step's loss by the mask, 0 * Inf = NaN, so the loss is NaN; use a sentinel whose "
            f"square fits float32 (-1.0, 0.0)")


def _double_where(analysis: ModuleAnalysis, hazard: UntakenHazard) -> str:
    """The fix with the code's own names: `safe_u = tf.where(c, 1.0, u)` (the safe value on the side where the
    operation's branch is not taken), then the operation on `safe_u`."""
    where = analysis.spelled(hazard.where.func)
    written = argument(hazard.where, 0, "condition")
    condition = analysis.spelled(written if written is not None else hazard.condition)
    operand = analysis.spelled(hazard.operand)
    safe = _SAFE_VALUE[hazard.hazard]
    sides = f"{operand}, {safe}" if hazard.branch == 1 else f"{safe}, {operand}"
    name = hazard.operand.attr.value if isinstance(hazard.operand, cst.Attribute) else \
        hazard.operand.value if isinstance(hazard.operand, cst.Name) else "operand"
    return (f"sanitise the operand first (the double where): `safe_{name} = {where}({condition}, {sides})`, and "
            f"{_USE[hazard.hazard]} `safe_{name}` in the branch")


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
