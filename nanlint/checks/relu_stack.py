"""NAN101: three or more ReLU-family Dense/Conv layers in a row with no normalization between them.

Measured (numerics-facts.md): under Adam such MLPs stayed finite at depths 10-50, learning rates up to 10
and inputs up to x1e20; under SGD they went NaN: lr=10 on inputs in [0, 1] (step 9), lr=0.1 with inputs
x100 (step 7), lr=0.01 with inputs x1e4 (step 6). BatchNormalization or LayerNormalization after each
layer fixed all three, and so did clipnorm=1.0. The message says which of these the set-up resembles."""

from __future__ import annotations

from collections.abc import Iterator

from nanlint.analysis.models import RELU_FAMILY, Block, Model
from nanlint.analysis.module import ModuleAnalysis
from nanlint.checks.base import Check, Report

_MIN_DEPTH = 3


def _unnormalized_relu_runs(model: Model) -> Iterator[list[Block]]:
    run: list[Block] = []
    for block in model.blocks():
        if block is not None and block.activation in RELU_FAMILY:
            run.append(block)
            if block.normalized:
                yield run
                run = []
        else:
            yield run
            run = []
    yield run


def _likelihood(model: Model) -> str:
    optimizer = model.optimizer
    if optimizer is None:
        return ("possible divergence: whether it happens depends on the optimizer (measured: finite under Adam; NaN "
                "under SGD with lr=0.1 and inputs x100 at step 7, lr=10 at step 9)")
    if optimizer.clipped:
        return ("unlikely divergence (the optimizer clips gradients, which prevented the measured SGD NaNs); "
                "normalization still helps training")
    if optimizer.kind == "SGD":
        rate = optimizer.learning_rate
        if rate is not None and rate >= 0.1:
            return (f"likely divergence: SGD with lr={rate:g} (measured: NaN at step 7 with lr=0.1 and inputs x100, "
                    f"step 9 with lr=10 on inputs in [0, 1])")
        return ("possible divergence under SGD with large inputs (measured: NaN at step 6 with lr=0.01 and inputs "
                "x1e4)")
    return (f"rarely diverges under {optimizer.kind} (measured finite under Adam at depths 10-50, lr up to 10); it "
            f"does under SGD with a large learning rate or input scale")


class ReluStackWithoutNormalization(Check):
    code = "NAN101"

    def run(self, analysis: ModuleAnalysis) -> Iterator[Report]:
        for model in analysis.models:
            for run in _unnormalized_relu_runs(model):
                if len(run) < _MIN_DEPTH:
                    continue
                yield Report(
                    run[0].layer.node,
                    f"{len(run)} {run[0].activation} layers in a row without BatchNormalization/LayerNormalization "
                    f"in model '{model.name}': {_likelihood(model)}; add a normalization layer after each, or "
                    f"clipnorm=1.0 on the optimizer",
                )
