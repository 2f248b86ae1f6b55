"""NAN107: an optimizer set up outside what its numerics tolerate: an SGD learning rate above 1 (measured:
NaN at step 9 with lr=10 on a ReLU MLP with inputs in [0, 1]) or a learning rate <= 0, for an optimizer that
trains a model of the module (a schedule counts with its initial value); or an Adam-family epsilon below 1e-4
under a pure float16 policy or floatx (where the optimizer's own arithmetic is float16)."""

from __future__ import annotations

from collections.abc import Iterator

from nanlint.analysis.models import ModelPicture
from nanlint.analysis.training import TrainingReader
from nanlint.analysis.module import ModuleAnalysis
from nanlint.checks.base import Check, Report

_OPTIMIZERS = frozenset({"SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax", "Nadam", "Ftrl", "Lion"})
_ADAM_FAMILY = frozenset({"Adam", "AdamW", "RMSprop", "Adamax", "Nadam", "Adagrad"})
_KERAS_DEFAULT_EPSILON = 1e-7


class OptimizerSetup(Check):
    code = "NAN107"

    def run(self, analysis: ModuleAnalysis) -> Iterator[Report]:
        picture = ModelPicture(analysis)
        reader = TrainingReader(picture)
        policy = analysis.precision.global_float16
        pure_float16 = policy is not None and "mixed" not in policy
        # learning-rate findings only for optimizers that train a model of the module (not an image being
        # optimized in style transfer, not a frozen default nobody trains with)
        training = {optimizer.node for model in analysis.models for optimizer in model.setup.optimizers}
        for call in analysis.calls:
            if picture.keras_class(call.node.func) not in _OPTIMIZERS:
                continue
            optimizer = reader.optimizer(call.node, call.site.scope)
            if optimizer is None:
                continue
            rate = optimizer.learning_rate if call.node in training else None
            if rate is not None and rate <= 0:
                yield Report(call.node, f"learning_rate={rate:g}: the model cannot learn (and a negative rate ascends "
                                        f"the loss until it overflows)")
            elif optimizer.kind == "SGD" and rate is not None and rate > 1.0 and not optimizer.clipped:
                yield Report(call.node, f"SGD with learning_rate={rate:g} is far above the usual 1e-3..0.1: measured NaN "
                                        f"at step 9 with lr=10 on a ReLU MLP even with inputs in [0, 1]; lower it or "
                                        f"add clipnorm=1.0")
            if pure_float16 and optimizer.kind in _ADAM_FAMILY:
                epsilon = optimizer.epsilon if optimizer.epsilon is not None else _KERAS_DEFAULT_EPSILON
                if epsilon < 1e-4:
                    yield Report(call.node, f"{optimizer.kind} epsilon={epsilon:g} under {policy}: the optimizer "
                                            f"computes in float16, where {epsilon:g} is subnormal or 0, so "
                                            f"m / (sqrt(v) + epsilon) overflows once v underflows; use epsilon=1e-4 "
                                            f"or the mixed_float16 policy")
