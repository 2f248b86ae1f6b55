"""NAN009: exp (or expm1, sinh, cosh: what overflows as exp does, at the numerics table's points) of an unbounded value: a linear head (a log-variance, log-scale or log-rate produced by a matmul, a
Dense layer without activation, or a trainable weight times an input), a tensor the code itself treats as logits
(it gives other slices of it to sigmoid/softmax, as a YOLO head's box sizes `exp(feats[..., 2:4])`), and a layer
whose activation is 'exponential' (exp of its own pre-activation; a recurrent one feeds it back every step), and
exp(t) * s where the module encodes t as log(w / s) (a box coder's size code, predicted by a regression head)."""

from __future__ import annotations

from collections.abc import Iterator

from nanlint.analysis.domain import unbounded_above
from nanlint.analysis.keras import RECURRENT, WEIGHTED
from nanlint.analysis.module import ModuleAnalysis
from nanlint.analysis.numerics import OVERFLOWS
from nanlint.analysis.operations import Op
from nanlint.checks.base import Check, Report

_EXPONENTIAL = ("exponential", "exp")
# exp and the operations that overflow as it does (the numerics table's OVERFLOWS: expm1 where exp does, sinh and
# cosh past ln(2 * max) on either side)
_OVERFLOWING = (Op.EXP, Op.EXPM1, Op.SINH, Op.COSH)
def _fix(name: str) -> str:
    softplus = ", or use softplus for a positive scale" if name == "exp" else ""
    return f"bound it before {name} (clip_by_value(x, -20, 20)){softplus}"


class ExpOfUnbounded(Check):
    code = "NAN009"

    def run(self, analysis: ModuleAnalysis) -> Iterator[Report]:
        yield from self._exp_calls(analysis)
        yield from self._exponential_layers(analysis)

    def _exp_calls(self, analysis: ModuleAnalysis) -> Iterator[Report]:
        # an exp that a hand-written sigmoid/softmax/softplus is built from is that form's hazard (NAN004), once
        reported = {exp for squash in analysis.values.hand_written_squashes for exp in squash.exps}
        reported |= {exp for log in analysis.domain.logs_of_exp_sums for exp in log.exps}
        for call in analysis.calls_of(*_OVERFLOWING):
            operand = analysis.operand(call.node)
            if operand is None or call.is_numpy or call.node in reported:
                continue
            if not analysis.domain.overflows(call.node, operand, call.site):
                continue  # clipped or capped below the overflow point
            dtype, _ = analysis.precision.float_at(call.site)
            name = call.op.value if call.op is not None else "exp"
            # the numerics table's overflow point of this operation (sinh and cosh: of the argument's magnitude)
            size = "its magnitude" if OVERFLOWS[name].symmetric else "it"
            overflow = f"{'±' if call.op is Op.SINH else ''}Inf once {size} exceeds {dtype.overflow(name):.2f} in " \
                       f"{dtype.name}"
            value = analysis.values.of(operand, call.site)
            if unbounded_above(value):
                yield Report(call.node, f"{name} of a {value.describe()} (a matmul, a Dense layer without activation or "
                                        f"a weight times an input: nothing bounds it): {overflow}, and the Inf then "
                                        f"makes the loss and the gradients Inf/NaN; {_fix(name)}{value.flow}")
                continue
            decoded = analysis.domain.decoded_log_ratio(call.node) if call.op is Op.EXP else None
            if decoded is not None:
                line = analysis.position(decoded.encoding).start.line
                yield Report(call.node, f"exp of `{analysis.spelled(operand)}` scaled by `{decoded.scale}`: line "
                                        f"{line} encodes that quantity as {analysis.code_of(decoded.encoding)} "
                                        f"beside center offsets over `{decoded.scale}`, so this decodes a box "
                                        f"coder's size code, and the codes a box regression head predicts are "
                                        f"linear outputs that nothing bounds; {overflow}, then Inf/NaN boxes, "
                                        f"loss and gradients; cap the code before exp: exp(minimum(t, log(1000 / "
                                        f"16))), as torchvision and tf-models' box_ops do")
                continue
            squash = analysis.domain.squashed_elsewhere(operand, call.site)
            if squash is not None:
                tensor = analysis.spelled(operand)
                line = analysis.position(squash).start.line
                yield Report(call.node, f"{name} of `{tensor}`, a raw network output: the same tensor is given to "
                                        f"{analysis.code_of(squash.func)} at line {line}, so it holds logits, which "
                                        f"nothing bounds; {overflow}, then Inf/NaN in the loss and "
                                        f"gradients; {_fix(name)}")

    def _exponential_layers(self, analysis: ModuleAnalysis) -> Iterator[Report]:
        for call in analysis.calls:
            if call.op is not None or not call.node.args:
                continue
            layer = analysis.values.layer(call.node, call.site.scope)
            if layer is None or layer.node is not call.node or layer.activation not in _EXPONENTIAL:
                continue
            dtype, _ = analysis.precision.float_at(call.site)
            if layer.kind in RECURRENT:
                yield Report(call.node, f"{layer.kind} with activation='exponential': every step computes exp(W·x + "
                                        f"U·h + b) from the previous step's exp output, so the state compounds "
                                        f"without bound and is Inf once the pre-activation exceeds "
                                        f"{dtype.exp_overflow:.2f} in {dtype.name}, then NaN; use a bounded "
                                        f"activation (the default tanh)")
            elif layer.kind in WEIGHTED:
                yield Report(call.node, f"{layer.kind} with activation='exponential' is exp of a linear head, which "
                                        f"nothing bounds: Inf once the pre-activation exceeds "
                                        f"{dtype.exp_overflow:.2f} in {dtype.name}, then Inf/NaN in the loss and "
                                        f"gradients; use softplus for a positive output, or a linear output and exp "
                                        f"of a clipped value")
