"""NAN107: an optimizer set up outside what its numerics tolerate, for an optimizer that trains a model of the
module (a schedule counts with its initial value):
- an SGD learning rate above 1 (measured: NaN at step 9 with lr=10 on a ReLU MLP with inputs in [0, 1]), or <= 0
  (a rate of exactly 0 in test code is a frozen optimizer on purpose);
- an optimizer built with care and never used while `compile` gets a string (`compile(optimizer="sgd")`: Keras'
  defaults train the model, not the SGD(lr=1e-3) or the clipped optimizer above);
- a pure float16 policy or floatx (`K.set_floatx("float16")`) with Keras' default epsilon 1e-7: Adam-family
  updates, the cross-entropies' clipping and BatchNormalization all use it, and in float16 it is subnormal and
  `1 - 1e-7 == 1`, so the loss reaches log(0) and Adam's m / (sqrt(v) + eps) overflows once v underflows;
- an Adam-family optimizer whose epsilon is 0 in float16 (TF1's AdamOptimizer default 1e-8) training a TF1 graph
  built on float16 placeholders or variables (measured: NaN/Inf conv weights at the first step)."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from nanlint.analysis.models import Model, ModelPicture
from nanlint.analysis.module import CallSite, ModuleAnalysis
from nanlint.analysis.numerics import FLOAT16
from nanlint.analysis.training import (Optimizer, TrainingReader, float16_graph, float16_policy,
                                       least_squares_overshoot, sgd_divergence, summed_lookup_overshoot)
from nanlint.checks.base import Check, Report

_OPTIMIZERS = frozenset({"SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax", "Nadam", "Ftrl", "Lion"})


class OptimizerSetup(Check):
    code = "NAN107"

    def run(self, analysis: ModuleAnalysis) -> Iterator[Report]:
        picture = analysis.picture
        reader = TrainingReader(picture)
        yield from _optimizer_constructions(analysis, picture, reader)
        yield from _diverging_sgd_models(analysis.models)
        yield from _diverging_graph_trainings(reader)
        yield from _epsilon_zero_in_float16(analysis, reader)
        yield from _float16_everywhere_with_default_epsilon(analysis)


def _optimizer_constructions(analysis: ModuleAnalysis, picture: ModelPicture,
                             reader: TrainingReader) -> Iterator[Report]:
    """Each Keras optimizer built in the module: a learning rate <= 0 or an SGD rate above 1, or left unused."""
    # learning-rate findings only for optimizers that train a model of the module (not an image being
    # optimized in style transfer, not a frozen default nobody trains with)
    training = {optimizer.node for model in analysis.models for optimizer in model.training.optimizers}
    for call in analysis.calls:
        if picture.keras_class(call.node.func) not in _OPTIMIZERS:
            continue
        optimizer = reader.optimizer(call.node, call.site.scope)
        if optimizer is None:
            continue
        rate = optimizer.learning_rate if call.node in training else None
        # a rate of exactly 0 in a test is a frozen optimizer on purpose (megnet's callback test: "Learning rate to
        # 0 so model doesn't actually optimize"; keras' multi_optimizer_test), not a model that cannot learn
        frozen = rate == 0 and analysis.test_code
        if rate is not None and rate <= 0 and not frozen:
            yield Report(call.node, f"learning_rate={rate:g}: the model cannot learn (and a negative rate ascends "
                                    f"the loss until it overflows)")
        elif optimizer.kind == "SGD" and rate is not None and rate > 1.0 and not optimizer.clipped:
            yield Report(call.node, f"SGD with learning_rate={rate:g} is far above the usual 1e-3..0.1: measured NaN "
                                    f"at step 9 with lr=10 on a ReLU MLP even with inputs in [0, 1]; lower it or "
                                    f"add clipnorm=1.0")
        elif call.node not in training and reader.never_used(call):
            yield from _unused_beside_a_string_compile(analysis, call, optimizer)


def _unused_beside_a_string_compile(analysis: ModuleAnalysis, call: CallSite, optimizer: Optimizer) -> Iterator[Report]:
    """An optimizer built and never used while a model of the same function is compiled with a string."""
    string_compiled = [model for model in analysis.models
                       if model.training.optimizers and all(isinstance(o.node, cst.SimpleString)
                                                            for o in model.training.optimizers)]
    compiled = next((model for model in string_compiled
                     if model.training.compile_node is not None
                     and analysis.sites[model.training.compile_node].scope is call.site.scope), None)
    if compiled is not None:
        used = compiled.training.optimizers[0]
        yield Report(call.node, f"this {optimizer.describe()} is never used: '{compiled.name}' is compiled "
                                f"with the string {analysis.code_of(used.node)}, i.e. {used.describe()} "
                                f"with Keras' defaults; pass the optimizer object to compile")


def _diverging_sgd_models(models: tuple[Model, ...]) -> Iterator[Report]:
    """A model without a ReLU stack (NAN101 owns those) trained at a diverging SGD rate for its input scale."""
    reported = set()
    for model in models:
        risk = sgd_divergence(model)
        if (risk is None or risk.learning_rate > 1.0 or model.unnormalized_relu_runs()
                or risk.optimizer.node in reported):
            continue
        reported.add(risk.optimizer.node)
        yield Report(risk.optimizer.node, f"'{model.name}' is trained with {risk.describe()}: divergence to NaN is "
                                          f"{risk.grade}; {risk.remedy}", extra=model.training.as_data(risk.optimizer))


def _diverging_graph_trainings(reader: TrainingReader) -> Iterator[Report]:
    """A TF1 graph minimizing a squared error under unclipped SGD at a rate its input scale makes diverge, or a
    sampled loss over summed embedding lookups at a rate the sum makes diverge."""
    for graph in reader.graph_trainings():
        risk = least_squares_overshoot(graph.optimizer, graph.input_scale, graph.squared, power=graph.power) \
            if graph.squared and graph.optimizer.kind == "SGD" and not graph.optimizer.clipped else None
        risk = risk or summed_lookup_overshoot(graph.optimizer, graph.summed_lookups)
        if risk is not None:
            yield Report(graph.optimizer.node, f"this graph is trained with {risk.describe()}: divergence to NaN "
                                               f"is {risk.grade}; {risk.remedy}")


def _float16_everywhere_with_default_epsilon(analysis: ModuleAnalysis) -> Iterator[Report]:
    """A pure float16 policy or floatx, with Keras' default epsilon, in a module that trains a model."""
    policy = float16_policy(analysis)
    trained = next((model for model in analysis.models if model.training.trained), None)
    if policy is not None and policy.pure_float16 and policy.epsilon < 1e-4 and trained is not None:
        setup = trained.training
        # what the verifier trains first, and the fixed variant to run beside it (the epsilon, not clipping)
        extra = {**setup.as_data(next(iter(setup.optimizers), None)), "fix": "epsilon"}
        yield Report(policy.node, f"{policy.name} everywhere with Keras' epsilon {policy.epsilon:g}: Adam-family "
                                  f"optimizers, the cross-entropies' clipping and BatchNormalization use it, and in "
                                  f"float16 it is subnormal and 1 - {policy.epsilon:g} rounds to 1, so the loss "
                                  f"reaches log(0) and Adam's m / (sqrt(v) + epsilon) overflows once v underflows; "
                                  f"call keras.backend.set_epsilon(1e-4) (or use mixed_float16)", extra=extra)


def _epsilon_zero_in_float16(analysis: ModuleAnalysis, reader: TrainingReader) -> Iterator[Report]:
    """An Adam-family optimizer whose epsilon rounds to 0 in float16, in a TF1 graph built in float16."""
    graph = float16_graph(analysis)
    if graph is None:
        return
    for call in analysis.calls:
        optimizer = reader.optimizer(call.node, call.site.scope)
        if (optimizer is None or optimizer.node is not call.node or optimizer.epsilon is None
                or optimizer.epsilon >= FLOAT16.smallest or reader.never_used(call)):
            continue
        name = analysis.code_of(call.node.func).rsplit(".", 1)[-1]
        yield Report(call.node, f"{name}'s epsilon {optimizer.epsilon:g} is 0 in float16, and this graph is "
                                f"float16 ({analysis.code_of(graph)} at line {analysis.position(graph).start.line}), "
                                f"so its variables and the optimizer's slots are float16 too: NaN/Inf is likely, since "
                                f"where a gradient is below ~2.4e-4 its square underflows to 0 and the update "
                                f"m / (sqrt(v) + 0) is Inf (measured: "
                                f"float16 conv weights NaN/Inf at the first step under AdamOptimizer(1e-3), finite "
                                f"with epsilon=1e-4); pass epsilon=1e-4")
