"""NAN104: the model's output activation and its loss disagree about logits vs probabilities."""

from __future__ import annotations

from collections.abc import Iterator

from nanlint.analysis.module import ModuleAnalysis
from nanlint.checks.base import Check, Report

_PROBABILITY_LOSSES = frozenset({
    "binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy", "BinaryCrossentropy",
    "CategoricalCrossentropy", "SparseCategoricalCrossentropy", "BinaryFocalCrossentropy", "binary_focal_crossentropy",
})


class LossActivationMismatch(Check):
    code = "NAN104"

    def run(self, analysis: ModuleAnalysis) -> Iterator[Report]:
        for model in analysis.models:
            output = model.output_layer
            activation = model.output_activation()
            if output is not None and activation == "softmax" and output.units == 1:
                yield Report(output.node, "softmax over a single unit is always 1.0: the loss is constant and the "
                                          "gradient 0, so nothing is learned; use sigmoid for one output unit")
            loss = model.setup.loss
            if loss is None or activation is None or loss.name not in _PROBABILITY_LOSSES:
                continue
            if output.activation_source is not None:
                activation_text = f"{activation} ({output.activation_source})"
            else:
                activation_text = activation
            if loss.from_logits and activation in ("sigmoid", "softmax"):
                yield Report(loss.node, f"{loss.name}(from_logits=True) on a {activation_text} output squashes twice: the "
                                        f"loss applies {activation} again to values already in [0, 1], so it cannot "
                                        f"approach 0 and gradients shrink (training stalls, no NaN); drop the "
                                        f"output activation or from_logits=True")
            elif not loss.from_logits and activation in ("linear", "relu"):
                yield Report(loss.node, f"{loss.name} expects probabilities but the output is {activation_text}: Keras "
                                        f"clips the outputs to [1e-7, 1 - 1e-7], so outside [0, 1] the loss is flat "
                                        f"and the gradient exactly 0 (silent, no NaN); use from_logits=True")
