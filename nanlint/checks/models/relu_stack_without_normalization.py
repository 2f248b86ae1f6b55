"""NAN101: three or more ReLU-family Dense/Conv layers in a row with no normalization between them, in a model
whose training set-up makes divergence likely.

Measured (nanlint/rules/NAN101.yaml): under Adam such MLPs stayed finite at depths 10-50, learning rates up to 10
and inputs up to x1e20; under SGD they went NaN: lr=10 on inputs in [0, 1] (step 9), lr=0.1 with inputs
x100 (step 7), lr=0.01 with inputs x1e4 (step 6). BatchNormalization or LayerNormalization after each
layer fixed all three, and so did clipnorm=1.0. So a stack is reported only when an unclipped SGD trains the
model at a learning rate and input scale at least those of a measured NaN; an SGD rate above 1 is NAN107's."""

from __future__ import annotations

from collections.abc import Iterator

from nanlint.analysis.module import ModuleAnalysis
from nanlint.analysis.training import sgd_divergence
from nanlint.checks.base import Check, Report


class ReluStackWithoutNormalization(Check):
    code = "NAN101"

    def run(self, analysis: ModuleAnalysis) -> Iterator[Report]:
        reported = set()
        for model in analysis.models:
            risk = sgd_divergence(model)
            if risk is None or risk.learning_rate > 1.0:
                continue
            for run in model.unnormalized_relu_runs():
                if run[0].layer.node in reported:  # the encoder and the autoencoder containing it: once
                    continue
                reported.add(run[0].layer.node)
                yield Report(
                    run[0].layer.node,
                    f"{len(run)} {run[0].activation} layers in a row without BatchNormalization/LayerNormalization "
                    f"in model '{model.name}', trained with {risk.describe()}: divergence to NaN is {risk.grade}; "
                    f"normalize the inputs, add a normalization layer after each, or clipnorm=1.0 on the optimizer",
                    extra=model.training.as_data(risk.optimizer),
                )
