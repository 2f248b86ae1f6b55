"""A static picture of each Keras model in a module: its ordered layers, its input shape, the models it contains,
and (from training.py) how it is trained. Built lazily from the shared analysis; model-level checks read it.

Covers `Sequential([...])` plus `.add(...)` (also in loops), functional `Model(inputs, outputs)` chains from
`Input(shape=...)` (a model called inside the chain is contained, not flattened), subclassed models whose
`__init__` assigns layers to `self`, and models returned by a builder function of the module. Layers are read by
the shared `LayerReader` (keras.py). TF1 graphs have no model object: their recurrences (`tf.nn.dynamic_rnn` over a
`MultiRNNCell` of `LSTMCell`s) are read as `GraphRecurrence`s, with the cells the same reader reads."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING

import libcst as cst

from nanlint.analysis.keras import (ACTIVATION_LAYERS, NORMALIZATION, RECURRENT, RELU_FAMILY, STEP_KEEPING, TRANSPARENT,
                                    UNKNOWN, WEIGHTED, Layer, LayerReader)
from nanlint.analysis.binder import END, At
from nanlint.analysis.module import AssignedValue, CallSite, ClassInfo, ModuleAnalysis, Scope
from nanlint.analysis.operations import normalize
from nanlint.analysis.arguments import argument, keyword
from nanlint.analysis.values import numeric_literal
from nanlint.analysis.walk import descendants

if TYPE_CHECKING:  # training.py reads the models built here
    from nanlint.analysis.training import TrainingSetup

_MODEL_BASES = ("keras.Model", "keras.models.Model")
_SEQUENTIAL = ("keras.Sequential", "keras.models.Sequential")
_FUNCTIONAL = ("keras.Model", "keras.models.Model")
_MAX_DEPTH = 10
# TF1 functions that run a recurrent cell over a sequence, and where their cells and inputs are given.
_CELL_RUNNERS: dict[str, tuple[tuple[tuple[int, str], ...], tuple[int, str]]] = {
    "tensorflow.nn.dynamic_rnn": (((0, "cell"),), (1, "inputs")),
    "tensorflow.nn.static_rnn": (((0, "cell"),), (1, "inputs")),
    "tensorflow.contrib.rnn.static_rnn": (((0, "cell"),), (1, "inputs")),
    "tensorflow.nn.bidirectional_dynamic_rnn": (((0, "cell_fw"), (1, "cell_bw")), (2, "inputs")),
    "tensorflow.nn.static_bidirectional_rnn": (((0, "cell_fw"), (1, "cell_bw")), (2, "inputs")),
    "tensorflow.contrib.rnn.static_bidirectional_rnn": (((0, "cell_fw"), (1, "cell_bw")), (2, "inputs")),
    "tensorflow.contrib.rnn.stack_bidirectional_dynamic_rnn": (((0, "cells_fw"), (1, "cells_bw")), (2, "inputs")),
}


@dataclass(frozen=True)
class Model:
    name: str
    node: cst.CSTNode  # where the model is built: the construction call, or the ClassDef of a subclassed model
    layers: tuple[Layer, ...]
    input_shape: tuple[int | None, ...] | None = None  # without the batch dimension
    # Models called inside this one's functional chain or listed in its Sequential (construction nodes).
    contains: tuple[cst.CSTNode, ...] = ()
    setup: TrainingSetup | None = None  # attached by `models` once every model is known

    @property
    def training(self) -> TrainingSetup:
        """The training set-up `ModelPicture.models` attached; the checks read models only from there."""
        assert self.setup is not None, f"{self.name}: a model from ModelPicture.structures has no set-up yet"
        return self.setup

    @property
    def output_layer(self) -> Layer | None:
        """The last layer that shapes the output (an `Activation` after `Dense(1)` counts)."""
        for layer in reversed(self.layers):
            if layer.kind not in TRANSPARENT:
                return layer
        return None

    def output_activation(self) -> str | None:
        """"sigmoid", "softmax", "linear", ... of the model's output; None when unknown (e.g. a custom layer)."""
        layer = self.output_layer
        return layer.applied_activation if layer is not None else None

    def output_units(self) -> int | None:
        """The size of the output's last axis: the units of the last weighted layer, through activations, dropout
        and a `Reshape` whose literal target keeps that axis (`Reshape((n, 1))` after `Conv2D(1)`)."""
        for layer in reversed(self.layers):
            if layer.kind in ACTIVATION_LAYERS or layer.kind in ("Dropout", "SpatialDropout1D", "SpatialDropout2D"):
                continue
            if layer.kind == "Reshape":
                target = argument(layer.node, 0, "target_shape") if isinstance(layer.node, cst.Call) else None
                last = target.elements[-1].value if isinstance(target, (cst.Tuple, cst.List)) and target.elements else None
                return 1 if numeric_literal(last) == 1 else None
            applied = layer.inner if layer.inner is not None else layer
            return applied.units
        return None

    def per_step_source(self) -> Layer | None:
        """The layer that makes the model's output per timestep, 3-D (batch, steps, units): a TimeDistributed
        wrapper or a recurrent layer with return_sequences=True, followed only by layers that work on each step (a
        Dense after it is applied to every step, an implicit TimeDistributed). None when the output is not known
        to be per step (a recurrent layer without return_sequences, a Flatten or pooling, an unknown layer)."""
        source: Layer | None = None
        for layer in self.layers:
            recurrent = layer.inner if layer.kind == "Bidirectional" and layer.inner is not None else layer
            if layer.kind == "TimeDistributed":
                source = layer
            elif recurrent.kind in RECURRENT:
                source = layer if recurrent.returns_sequences else None
            elif layer.kind not in STEP_KEEPING:
                source = None
        return source

    def blocks(self) -> list[Block | None]:
        """Weighted layers with the activation that follows them and whether a normalization follows;
        None where an unknown layer interrupts the sequence."""
        blocks: list[Block | None] = []
        for layer in self.layers:
            if layer.kind in WEIGHTED:
                blocks.append(Block(layer, layer.activation or "linear"))
            elif layer.kind in NORMALIZATION:
                if blocks and blocks[-1] is not None:
                    blocks[-1] = Block(blocks[-1].layer, blocks[-1].activation, normalized=True)
            elif layer.kind in ACTIVATION_LAYERS:
                if blocks and blocks[-1] is not None and layer.activation:
                    blocks[-1] = Block(blocks[-1].layer, layer.activation, blocks[-1].normalized)
            elif layer.kind not in TRANSPARENT:
                blocks.append(None)
        return blocks

    def unnormalized_relu_runs(self, min_depth: int = 3) -> list[list[Block]]:
        """Runs of at least `min_depth` ReLU-family blocks with no normalization inside them."""
        runs, run = [], []
        for block in [*self.blocks(), None]:
            if block is not None and block.activation in RELU_FAMILY:
                run.append(block)
                if not block.normalized:
                    continue
            if len(run) >= min_depth:
                runs.append(run)
            run = []
        return runs

    @property
    def recurrent_layers(self) -> list[Layer]:
        return [layer.inner if layer.inner is not None and layer.inner.kind in RECURRENT else layer
                for layer in self.layers
                if layer.kind in RECURRENT or (layer.inner is not None and layer.inner.kind in RECURRENT)]


@dataclass(frozen=True)
class GraphRecurrence:
    """A TF1 graph's recurrence: `tf.nn.dynamic_rnn(cell, inputs)` and its kin, with the cells it runs."""

    call: cst.Call
    cells: tuple[Layer, ...]
    steps: int | None  # the sequence length, where the inputs are a placeholder of literal shape


@dataclass(frozen=True)
class Block:
    layer: Layer
    activation: str
    normalized: bool = False


class ModelPicture:
    def __init__(self, analysis: ModuleAnalysis) -> None:
        self.analysis = analysis
        self.layers = LayerReader(analysis)

    def keras_class(self, expr: cst.BaseExpression) -> str | None:
        return self.layers.keras_class(expr)

    def layer(self, expr: cst.BaseExpression, scope: Scope | None = None) -> Layer | None:
        return self.layers.read(expr, scope)

    @cached_property
    def graph_recurrences(self) -> tuple[GraphRecurrence, ...]:
        """Every `dynamic_rnn`/`static_rnn`/bidirectional call of the module whose cells are known cells."""
        found = []
        for call in self.analysis.calls:
            runner = _CELL_RUNNERS.get(normalize(call.qualified_name)) if call.qualified_name else None
            if runner is None:
                continue
            scope = call.site.scope
            cells = tuple(cell for position, name in runner[0]
                          for cell in self.layers.cells(argument(call.node, position, name), scope))
            if cells:
                found.append(GraphRecurrence(call.node, cells, self._steps(call, argument(call.node, *runner[1]))))
        return tuple(found)

    def _steps(self, call: CallSite, inputs: cst.BaseExpression | None) -> int | None:
        """The time axis of `inputs` when it is a `tf.placeholder` of literal shape (axis 1, or 0 when time_major)."""
        if inputs is None:
            return None
        placeholder, at = self.analysis.binder.follow(inputs, At(call.site.scope, call.site.seq))
        qualified = self.analysis.qualified_name(placeholder.func) if isinstance(placeholder, cst.Call) else None
        if qualified is None or normalize(qualified) != "tensorflow.placeholder" or not isinstance(placeholder, cst.Call):
            return None
        shape = self.layers.shape(argument(placeholder, 1, "shape"), at.scope)
        time_major = keyword(call.node, "time_major")
        axis = 0 if isinstance(time_major, cst.Name) and time_major.value == "True" else 1
        return shape[axis] if shape is not None and len(shape) > axis else None

    # -- models -------------------------------------------------------------------------------
    @cached_property
    def structures(self) -> dict[cst.CSTNode, Model]:
        """Every model built in the module, by construction node, without its training set-up."""
        found: dict[cst.CSTNode, Model] = {}
        for call in self.analysis.calls:
            qualified = normalize(call.qualified_name) if call.qualified_name else None
            if qualified in _SEQUENTIAL:
                found[call.node] = self._sequential(call)
            elif qualified in _FUNCTIONAL:
                model = self._functional(call)
                if model is not None:
                    found[call.node] = model
        for info in self.analysis.classes.values():
            if any(normalize(base) in _MODEL_BASES for base in info.bases if base):
                found[info.node] = self._subclassed(info)
        return found

    @cached_property
    def models(self) -> tuple[Model, ...]:
        from nanlint.analysis.training import TrainingReader

        setups = TrainingReader(self).setups()
        return tuple(replace(model, setup=setups[node]) for node, model in self.structures.items())

    def built_elsewhere(self, model: Model) -> bool:
        """A subclassed model whose class the module defines but never instantiates (a test utility's model, a
        library's architecture): its instances, and whatever trains them, are in other files, so an untrained set-up
        here says nothing about them."""
        if not isinstance(model.node, cst.ClassDef):
            return False
        name = model.node.name.value
        return not any(isinstance(call.node.func, cst.Name) and call.node.func.value == name
                       for call in self.analysis.calls)

    def model_of(self, expr: cst.BaseExpression | None, scope: Scope, seq: int = END,
                 depth: int = 0) -> Model | None:
        """The model an expression denotes: a construction, a name bound to one, a builder's call, an instance of a
        subclassed model, `self.attr` holding one (through the constructor arguments of the module's instances)."""
        if expr is None or depth > _MAX_DEPTH:
            return None
        if expr in self.structures:
            return self.structures[expr]
        if isinstance(expr, cst.Name):
            target, at = self.analysis.binder.follow(expr, At(scope, seq))
            return None if isinstance(target, cst.Name) else self.model_of(target, at.scope, at.seq, depth + 1)
        if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Name):
            name = expr.func.value
            info = self.analysis.classes.get(name)
            if info is not None:
                return self.structures.get(info.node)
            builder = self.analysis.functions.get(name)
            if builder is not None:
                return self._returned_model(builder, depth)
        if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute):  # `self._build_model()`
            owner = self.analysis.binder.instance_class(expr.func.value, At(scope, seq))
            method = self.analysis.binder.method(owner[0], expr.func.attr.value) if owner is not None else None
            return self._returned_model(method, depth) if method is not None else None
        if isinstance(expr, cst.Attribute):  # `Architecture(...).model` (a property), `self._model`
            return self._member_model(expr, scope, seq, depth)
        return None

    def _returned_model(self, function: Scope, depth: int) -> Model | None:
        for returned in reversed(function.returns):
            model = self.model_of(returned, function, END, depth + 1)
            if model is not None:
                return model
        return None

    def _member_model(self, expr: cst.Attribute, scope: Scope, seq: int, depth: int) -> Model | None:
        """The model an attribute of an instance of a module class holds: a property returning it, or the value
        its methods assign to `self.<attr>` (a model-zoo class building its model in `__init__`)."""
        owner = self.analysis.binder.instance_class(expr.value, At(scope, seq))
        if owner is None:
            return None
        info, name = owner[0], expr.attr.value
        method = self.analysis.binder.method(info, name)
        if method is not None:
            return self._returned_model(method, depth) if method.is_property else None
        for bound in reversed(self.analysis.binder.attribute(info, name)):
            if bound.expression is not None:
                model = self.model_of(bound.expression, bound.scope, END, depth + 1)
                if model is not None:
                    return model
        return None

    def _bound_name(self, call: CallSite) -> str:
        statement = call.site.statement
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.Assign) and small.value is call.node:
                    target = small.targets[0].target
                    if isinstance(target, cst.Name):
                        return target.value
                    if isinstance(target, cst.Attribute):
                        return self.analysis.code_of(target)
                if isinstance(small, cst.Return) and small.value is call.node:
                    return f"{call.site.scope.name}()"
        return ""

    def _sequential(self, call: CallSite) -> Model:
        scope = call.site.scope
        layers: list[Layer] = []
        contains: list[cst.CSTNode] = []
        input_shape = None
        listed = argument(call.node, 0, "layers")
        for element in listed.elements if isinstance(listed, (cst.List, cst.Tuple)) else ():
            if isinstance(element.value, cst.Call) and self.keras_class(element.value.func) in ("Input", "InputLayer"):
                input_shape = _input_shape(self.layers, element.value, scope)
                continue
            layers.append(self._member(element.value, scope, contains))
        name = self._bound_name(call)
        if name:
            added_in: list[tuple[cst.For | None, Layer]] = []
            for add in self.analysis.calls:
                func = add.node.func
                if (isinstance(func, cst.Attribute) and func.attr.value == "add" and isinstance(func.value, cst.Name)
                        and func.value.value == name and scope.encloses(add.site.scope)
                        and _binding_at(self.analysis, add.site.scope, name, add.site.seq) is call.node):
                    added = argument(add.node, 0, "layer")
                    if isinstance(added, cst.Call) and self.keras_class(added.func) in ("Input", "InputLayer"):
                        input_shape = _input_shape(self.layers, added, add.site.scope)
                        continue
                    if added is not None:
                        added_in.append((add.site.loop, self._member(added, add.site.scope, contains)))
            layers.extend(_unrolled(added_in))
        if input_shape is None and layers and layers[0].input_shape is not None:
            input_shape = layers[0].input_shape
        return Model(name or "<Sequential>", call.node, tuple(layers), input_shape, tuple(contains))

    def _member(self, expr: cst.BaseExpression, scope: Scope, contains: list[cst.CSTNode]) -> Layer:
        """A Sequential's element: a layer, or a model (recorded as contained; an unknown layer for the chain)."""
        layer = self.layer(expr, scope)
        if layer is not None:
            return layer
        inner = _model_construction(self, expr, scope)
        if inner is not None:
            contains.append(inner)
        return Layer(expr, UNKNOWN)

    def _functional(self, call: CallSite) -> Model | None:
        scope, seq = call.site.scope, call.site.seq
        outputs = argument(call.node, 1, "outputs") or keyword(call.node, "output")  # Keras 1: output=
        chain: list[Layer] = []
        contains: list[cst.CSTNode] = []
        input_shape = None
        current = outputs
        for _ in range(500):
            if isinstance(current, cst.Name):
                bound = self.analysis.binder.resolve(current.value, At(scope, seq))
                if bound is None or bound.expression is None:
                    break
                current, seq = bound.expression, bound.seq
                continue
            if not isinstance(current, cst.Call):
                break
            kind = self.keras_class(current.func)
            if kind == "Input":
                input_shape = _input_shape(self.layers, current, scope)
                break
            layer = self.layer(current.func, scope)
            if layer is None:
                inner = _model_construction(self, current.func, scope)
                if inner is not None:  # `decoder(encoder(inputs))`: the outer model contains both
                    contains.append(inner)
                    current = argument(current, 0, "inputs")
                    continue
                break
            chain.append(layer)
            current = argument(current, 0, "inputs")
        if not chain and not contains:
            return None
        return Model(self._bound_name(call) or "<Model>", call.node, tuple(reversed(chain)), input_shape,
                     tuple(contains))

    def _subclassed(self, info: ClassInfo) -> Model:
        """The layers `__init__` assigns to attributes, in order; a layer whose attribute nothing in the class reads
        (`self.probs_layer = Dense(1, ...)` that `call` never applies) is no part of the model."""
        layers: list[Layer] = []
        init = info.methods.get("__init__")
        applied = _read_attributes(info)
        if init is not None:
            for attribute, bindings in info.attributes.items():
                if applied is not None and attribute not in applied:
                    continue
                for _, _, value in bindings:
                    layer = self.layer(value, init) if isinstance(value, cst.Call) else None
                    if layer is not None:
                        layers.append(layer)
        layers.sort(key=lambda layer: self.analysis.sites[layer.node].seq if layer.node in self.analysis.sites else 0)
        return Model(info.name, info.node, tuple(layers))


# Ways a class reaches its attributes other than by name: Keras' tracked lists (`for layer in self.layers`), getattr.
_ATTRIBUTE_LISTS = frozenset({"layers", "submodules", "_layers", "_self_tracked_trackables", "__dict__"})


def _read_attributes(info: ClassInfo) -> frozenset[str] | None:
    """The attributes `self.<name>` the class reads anywhere (not only assigns); None when it defines no `call`
    of its own (an inherited one may apply any of them) or reaches them by other means (`self.layers`,
    `getattr(self, ...)`, `vars(self)`)."""
    if "call" not in info.methods:
        return None
    seen: dict[str, int] = {}
    for node in descendants(info.node):
        if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) and node.value.value == "self":
            if node.attr.value in _ATTRIBUTE_LISTS:
                return None
            seen[node.attr.value] = seen.get(node.attr.value, 0) + 1
        elif isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value in ("getattr", "vars"):
            return None
    return frozenset(name for name, count in seen.items() if count > len(info.attributes.get(name, ())))


def _model_construction(picture: ModelPicture, expr: cst.BaseExpression, scope: Scope) -> cst.CSTNode | None:
    """The construction node of a model an expression names, while the pictures are still being built: only
    Sequential/functional constructions bound to a name, and instances of subclassed models."""
    expr, at = picture.analysis.binder.follow(expr, At(scope))
    scope = at.scope
    if not isinstance(expr, cst.Call):
        return None
    qualified = picture.analysis.qualified_name(expr.func)
    if qualified is not None and normalize(qualified) in _SEQUENTIAL + _FUNCTIONAL:
        return expr
    if isinstance(expr.func, cst.Name) and expr.func.value in picture.analysis.functions:
        builder = picture.analysis.functions[expr.func.value]
        return _model_construction(picture, builder.returns[-1], builder) if builder.returns else None
    if isinstance(expr.func, cst.Name) and expr.func.value in picture.analysis.classes:
        info = picture.analysis.classes[expr.func.value]
        if any(normalize(base) in _MODEL_BASES for base in info.bases if base):
            return info.node
    return None


def _input_shape(reader: LayerReader, call: cst.Call, scope: Scope) -> tuple[int | None, ...] | None:
    """The shape `Input(shape=...)` / `InputLayer(input_shape=...)` declares, without the batch dimension."""
    shape = reader.shape(argument(call, 0, "shape") or argument(call, 0, "input_shape"), scope)
    if shape is None:
        batch_shape = reader.shape(keyword(call, "batch_shape") or keyword(call, "batch_input_shape"), scope)
        shape = batch_shape[1:] if batch_shape else None
    return shape


def _loop_count(loop: cst.For) -> int:
    """`for _ in range(4)` runs 4 times; any other loop is assumed to run at least twice."""
    iterable = loop.iter
    if isinstance(iterable, cst.Call) and isinstance(iterable.func, cst.Name) and iterable.func.value == "range":
        bounds = [numeric_literal(arg.value) for arg in iterable.args]
        if len(bounds) == 1 and bounds[0] is not None:
            return max(0, int(bounds[0]))
        if len(bounds) >= 2:
            start, stop = bounds[0], bounds[1]
            if start is not None and stop is not None:
                return max(0, int(stop - start))
    return 2


def _unrolled(added: list[tuple[cst.For | None, Layer]]) -> list[Layer]:
    """Layers added with `.add()`, with each loop body repeated as often as the loop runs."""
    layers: list[Layer] = []
    index = 0
    while index < len(added):
        loop = added[index][0]
        body = []
        while index < len(added) and added[index][0] is loop:
            body.append(added[index][1])
            index += 1
        layers.extend(body * (_loop_count(loop) if loop is not None else 1))
    return layers


def _binding_at(analysis: ModuleAnalysis, scope: Scope, name: str, seq: int) -> AssignedValue:
    """The value `name` is bound to at `seq` (enclosing scopes: their last binding)."""
    bound = analysis.binder.resolve(name, At(scope, seq))
    return bound.value if bound is not None else None
