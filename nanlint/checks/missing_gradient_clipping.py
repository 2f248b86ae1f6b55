"""NAN103: a recurrent model trained where clipping is what keeps it finite, without clipping: SGD with a
learning rate >= 0.1 (or one set at run time).

Measured (numerics-facts.md): LSTM/GRU with inputs x1000 and no clipnorm stayed finite under Adam (lr 1e-3 to
1.0); under SGD lr=1.0, GRU and tanh SimpleRNN went NaN (steps 16-17) and clipnorm=1.0 prevented it.
SimpleRNN(activation='relu') under Adam with lr >= 0.1 went NaN even with clipnorm: clipping does not help."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from nanlint.analysis.module import ModuleAnalysis
from nanlint.checks.base import Check, Report
from nanlint.finding import Fix


def _clipnorm_fix(analysis: ModuleAnalysis, constructor: cst.BaseExpression) -> Fix | None:
    if not isinstance(constructor, cst.Call):
        return None  # `optimizer="sgd"`: there is no constructor to add the argument to
    clip = cst.Arg(keyword=cst.Name("clipnorm"), value=cst.Float("1.0"),
                   equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")))
    args = [*constructor.args[:-1], constructor.args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)] \
        if constructor.args else []
    return Fix("add clipnorm=1.0", analysis.code_of(constructor.with_changes(args=[*args, clip])), safe=False)


class MissingGradientClipping(Check):
    code = "NAN103"

    def run(self, analysis: ModuleAnalysis) -> Iterator[Report]:
        reported = set()
        for model in analysis.models:
            recurrent = model.recurrent_layers
            if not recurrent or not model.setup.trained:
                continue
            relu_rnn = next((layer for layer in recurrent if layer.kind == "SimpleRNN" and layer.activation == "relu"), None)
            for optimizer in model.setup.optimizers:
                rate = optimizer.learning_rate
                if optimizer.node in reported:
                    continue
                if relu_rnn is not None and optimizer.kind != "SGD" and rate is not None and rate >= 0.1:
                    reported.add(optimizer.node)
                    yield Report(
                        optimizer.node,
                        f"SimpleRNN(activation='relu') under {optimizer.kind} with lr={rate:g}: measured NaN even with "
                        f"clipnorm=1.0, so clipping will not help here; lower the learning rate or use tanh",
                    )
                elif optimizer.kind == "SGD" and not optimizer.clipped and rate is not None and rate >= 0.1:
                    reported.add(optimizer.node)
                    kinds = ", ".join(sorted({layer.kind for layer in recurrent}))
                    yield Report(
                        optimizer.node,
                        f"recurrent model '{model.name}' ({kinds}) trained with {optimizer.describe()} without "
                        f"clipnorm/clipvalue/global_clipnorm: likely NaN (measured at steps 16-17 for GRU and tanh "
                        f"SimpleRNN under SGD lr=1.0 with inputs x1000, which clipnorm=1.0 prevented); add clipnorm=1.0",
                        _clipnorm_fix(analysis, optimizer.node),
                    )
