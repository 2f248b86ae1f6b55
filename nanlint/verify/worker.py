"""The verifier's worker: a fork server that runs snippets and answers in JSON lines on stdout.

Standalone on purpose (no nanlint import): `--python PATH` runs this file in the user's own interpreter,
where nanlint is not installed. TensorFlow is imported once, in the server, on the first request that needs
it; each request then runs in a forked child (40-60 ms) so that a snippet that loops, exhausts memory, forks
or calls `os._exit` takes only its child down. The server itself never runs TensorFlow ops: children of a
parent that ran `fit`/`tf.function` deadlock.

Request:  {"id", "recipe": "python"|"function"|"keras-loss"|"keras-call"|"training", "source", "entry", "params": [...], "dtypes": [...],
           "device": "cpu"|"gpu"|"auto", "timeout": s, "memory_mb": n, ...} (`Request` below)
Response: {"id", "status", "detail", "op", "input", "phase", "seconds", ...} (`Answer` below)
"""

from __future__ import annotations

import importlib.util
import json
import math
import os
import resource
import select
import signal
import sys
import time
import traceback
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # only for the type checker: the user's interpreter may lack newer typing features
    from collections.abc import Callable, Iterator
    from types import FrameType, ModuleType
    from typing import Any, NoReturn, TypedDict

    # TensorFlow, Keras and NumPy ship no type information: their tensors, models, optimizers and arrays are Any.
    Tensor = Any
    # The snippet's globals: whatever the user's code defines.
    Namespace = dict[str, Any]
    # A witness row per parameter.
    Values = dict[str, list[float]]
    # What a model builder is called with: sizes and shapes (see _build).
    BuildArgs = list[int | tuple[int, ...]]

    class Request(TypedDict, total=False):
        """What nanlint/verify/recipes/expression.py's Recipe.request sends, plus what sandbox.Worker.run adds."""

        id: int
        recipe: str  # "python" | "function" | "keras-loss" | "keras-call" | "training"
        source: str
        entry: str
        kind: str  # "function" | "layer" | "model" | "model_factory"
        params: list[str]
        dtypes: list[str]
        policy: str | None
        floatx: str | None
        probed: bool
        fix: str | None  # training: "batchnorm" | "clipnorm"
        arity: dict[str, int]
        roles: dict[str, str]  # param -> "axis" | "axes" | "index" (snippet.py's _roles): fed ROLE_VALUES
        numpy: bool  # NumPy code: witnesses are NumPy arrays (writable copies), not tensors
        device: str
        timeout: float
        memory_mb: int
        workdir: str
        network_cut: bool
        # training: the set-up the lint read (nanlint.analysis.training.TrainingSetup.as_data)
        input_scale: float | None
        input_scale_source: str | None
        optimizer: str | None
        learning_rate: float | None
        loss: str | None
        from_logits: bool | None

    class Witness(TypedDict, total=False):
        dtype: str
        values: Values
        description: str
        shape: list[int]
        structural: dict[str, int | list[int]]  # the parameters fed their role's value, not a row
        masked: str  # the flagged op's non-finite value that the output masks out

    class TrialData(TypedDict):
        setup: str
        variant: str  # "as written" | "fixed"
        loss: list[float | None]
        grad_norm: list[float | None]
        nonfinite_step: int | None

    class Answer(TypedDict, total=False):
        id: int | None
        status: str
        detail: str
        reason: str  # could not run: one of nanlint/verify/reasons.py
        op: str | None
        phase: str
        input: Witness
        seconds: float
        trials: list[TrialData]
        condition: dict[str, object]  # a confirmed training verdict's set-up, for the reproducer

    class ProbeRecord(TypedDict):
        role: str  # "out": the flagged op's value; "in": one of its operands
        value: Tensor
        gradient: Tensor | None

CONFIRMED, NOT_REPRODUCED, COULD_NOT_RUN = "confirmed", "not reproduced", "could not run"

# Parameters with these names carry labels (0/1), not logits: a NaN from a label of 1000 is not the user's bug.
LABEL_NAMES = ("y_true", "labels", "label", "targets", "target", "y")
# Nor does a mask (`mask`, `attention_mask`, `ques_mask`) hold anything but 0/1: a NaN from a mask of -20 (which a
# `(1 - mask) * float16.min` adder overflows itself) is not the user's bug, an all-0 mask (every entry masked) is.
MASK_NAMES = ("mask", "masks")
MASK_SUFFIX = "_mask"
CONSTANTS = (0.0, 1.0, -1.0, 20.0, -20.0, 100.0, -100.0, 1000.0, -1000.0)
WIDTH = 4
# Leading dimensions of a witness (the row is the last axis): a batch of one row first, then the ranks of
# images and sequences, tried only when no witness of a lower rank ran (an axis=[1, 2, 3] reduction, a conv).
WITNESS_SHAPES = ((1,), (1, 2, 2), (1, 3))
# What a parameter that says where to compute is fed (see snippet.py's AXIS): the last axis, as an int or a list
# (`list(axes)`), and the first entry (valid on every witness shape; `i - 1` is then the last).
ROLE_VALUES: dict[str, int | list[int]] = {"axis": -1, "axes": [-1], "index": 0}


def _candidate_rows() -> list[tuple[str, list[float]]]:
    """Canonical inputs: constant rows and the logit rows that saturate a softmax."""
    rows = [("constant %g" % c, [c] * WIDTH) for c in CONSTANTS]
    rows.append(("logit row [0, 200, 0, 0]", [0.0, 200.0, 0.0, 0.0]))
    rows.append(("logit row [200, 0, 0, 0]", [200.0, 0.0, 0.0, 0.0]))
    rows.append(("logit row [-200, 0, 0, 0]", [-200.0, 0.0, 0.0, 0.0]))
    return rows


def _is_label(name: str) -> bool:
    """A parameter that only ever holds 0 or 1: labels and masks."""
    lowered = name.lower()
    return lowered in LABEL_NAMES or lowered in MASK_NAMES or lowered.endswith(MASK_SUFFIX)


def _assignments(params: list[str]) -> Iterator[tuple[str, Values]]:
    """Per-parameter witness rows: every parameter the same row, then each one in turn with the others at 1."""
    rows = _candidate_rows()
    indicators = [p for p in params if _is_label(p)]
    masks_only = indicators and not any(p.lower() in LABEL_NAMES for p in indicators)
    for label_value in (1.0, 0.0):
        for description, row in rows:
            values = {p: ([label_value] * WIDTH if _is_label(p) else row) for p in params}
            suffix = f", {'masks' if masks_only else 'labels'}={label_value:g}" if indicators else ""
            yield description + suffix, values
    if len(params) > 1:
        for target in params:
            if _is_label(target):
                continue
            for description, row in rows:
                values = {p: ([1.0] * WIDTH if p != target else row) for p in params}
                yield f"{target}={description}, others 1", values


def _finite(tf: ModuleType, value: object) -> bool:
    """True when every float tensor in a (possibly nested) result is finite."""
    if value is None:
        return True
    if isinstance(value, (list, tuple)):
        return all(_finite(tf, item) for item in value)
    if isinstance(value, dict):
        return all(_finite(tf, item) for item in value.values())
    if isinstance(value, (int, float)):
        return math.isfinite(value)
    tensor = tf.convert_to_tensor(value)
    if not tensor.dtype.is_floating:
        return True
    return bool(tf.reduce_all(tf.math.is_finite(tensor)).numpy())


def _kind(tf: ModuleType, value: object) -> str:
    """'NaN', '-Inf' or 'Inf' for a non-finite result (NaN first: it is the one that poisons weights)."""
    values = value if isinstance(value, (list, tuple)) else [value]
    tensors = [tf.convert_to_tensor(t) for t in values if t is not None]
    tensors = [t for t in tensors if t.dtype.is_floating]
    if any(bool(tf.reduce_any(tf.math.is_nan(t)).numpy()) for t in tensors):
        return "NaN"
    if any(bool(tf.reduce_any(tf.equal(t, -float("inf"))).numpy()) for t in tensors):
        return "-Inf"
    return "Inf"


def _first_bad_op(tf: ModuleType, call: Callable[[], object]) -> str | None:
    """Localize with check_numerics (it only names the op; `isfinite` judged already)."""
    import re

    tf.debugging.enable_check_numerics()
    try:
        call()
    except Exception as error:  # noqa: BLE001 - any TF error text is what we parse
        match = re.search(r'op "?(\w+)"?', str(error))
        return match.group(1) if match else None
    finally:
        tf.debugging.disable_check_numerics()
    return None


def _install_probes(tf: ModuleType, namespace: Namespace, records: list[ProbeRecord]) -> None:
    """The names snippet.py wraps around the flagged expression (PROBE_OUT) and its operands (PROBE_IN)."""

    import numpy as np

    def probe(role: str) -> Callable[[Tensor], Tensor]:
        def wrap(value: Tensor) -> Tensor:
            if isinstance(value, (np.ndarray, np.floating)) and np.issubdtype(value.dtype, np.floating):
                records.append({"role": role, "value": value, "gradient": None})  # NumPy: a value, no gradient
                return value
            if not tf.is_tensor(value) or not value.dtype.is_floating:
                return value
            entry: ProbeRecord = {"role": role, "value": value, "gradient": None}
            records.append(entry)

            @tf.custom_gradient
            def identity(x: Tensor) -> tuple[Tensor, Callable[[Tensor], Tensor]]:
                def grad(upstream: Tensor) -> Tensor:
                    entry["gradient"] = upstream
                    return upstream
                return tf.identity(x), grad

            return identity(value)
        return wrap

    namespace["__nanlint_out__"] = probe("out")
    namespace["__nanlint_in__"] = probe("in")


class _LegacyBackend:
    """A Keras backend module with the math Keras 3 removed (K.sqrt, K.sum, K.epsilon...): tf_keras's backend
    where it is installed, else Keras 3's port of the Keras 2 backend (keras.src.legacy.backend: int_shape, ndim,
    sum with keepdims), else keras.ops, else tf.math."""

    def __init__(self, module: ModuleType) -> None:
        self._module = module

    def __getattr__(self, name: str) -> Any:
        import importlib

        for source in (self._module, "tf_keras.backend", "keras.src.legacy.backend", "keras.ops", "tensorflow.math"):
            try:
                holder = importlib.import_module(source) if isinstance(source, str) else source
            except ImportError:
                continue
            if hasattr(holder, name):
                return getattr(holder, name)
        raise AttributeError(name)


def _legacy_backend(module: ModuleType) -> _LegacyBackend:
    return _LegacyBackend(module)


def _op_verdict(tf: ModuleType, records: list[ProbeRecord]) -> tuple[str, str] | None:
    """(phase, kind) when the flagged op itself turned finite operands into NaN/Inf, forward or backward."""
    outs = [r for r in records if r["role"] == "out"]
    ins = [r for r in records if r["role"] == "in"]
    if not outs or not all(_finite(tf, r["value"]) for r in ins):
        return None
    bad = [r["value"] for r in outs if not _finite(tf, r["value"])]
    if bad:
        return "forward", _kind(tf, bad)
    if all(r["gradient"] is None or _finite(tf, r["gradient"]) for r in outs):
        bad = [r["gradient"] for r in ins if r["gradient"] is not None and not _finite(tf, r["gradient"])]
        if bad:
            return "gradient", _kind(tf, bad)
    return None


def _witness_array(tf: ModuleType, row: list[float], dtype_name: str, shape: tuple[int, ...], numpy: bool) -> Any:
    """One witness: the row broadcast to `shape`, a tensor, or for NumPy code a NumPy array it may write into."""
    if numpy:
        import numpy as np

        return np.broadcast_to(np.asarray(row, dtype=dtype_name), shape).copy()
    return tf.broadcast_to(tf.constant(row, dtype=getattr(tf, dtype_name)), shape)


def _structural(request: Request) -> dict[str, int | list[int]]:
    """The structural parameters' values, fresh on each call (the code may change a list it is given)."""
    return {p: json.loads(json.dumps(ROLE_VALUES[role])) for p, role in (request.get("roles") or {}).items()
            if role in ROLE_VALUES}


def _entry(namespace: Namespace, entry: str) -> tuple[Any, bool]:
    """The callable to drive: a function, or a fresh instance of a layer/model/class."""
    target = namespace[entry]
    if isinstance(target, type):
        return target(), True
    return target, False


def _run_function(request: Request, namespace: Namespace) -> Answer:
    """Call the function (or a fresh instance of the layer) on each canonical witness, rank by rank, until one
    confirms the finding; `not reproduced` says what was tried."""
    import tensorflow as tf

    search = _WitnessSearch(tf, request, namespace)
    for shape in WITNESS_SHAPES:
        for dtype_name in search.dtypes:
            roles = request.get("roles") or {}
            for description, values in _assignments([p for p in request["params"] if p not in roles]):
                answer = search.attempt(shape, dtype_name, description, values)
                if answer is not None:
                    return answer
        if search.ran:
            break  # the rank fits: a larger one would only repeat the same values
    return search.conclusion()


class _WitnessSearch:
    """One function's witness search: each attempt calls it once under a gradient tape and judges the result."""

    def __init__(self, tf: ModuleType, request: Request, namespace: Namespace) -> None:
        self.tf = tf
        self.request = request
        self.namespace = namespace
        self.records: list[ProbeRecord] = []
        _install_probes(tf, namespace, self.records)
        self.dtypes = _dtypes(request, namespace)
        self.tried, self.ran = 0, 0
        self.last_error: str | None = None
        self.detour: Answer | None = None  # a confirmation through a non-finite intermediate (see _judge_flagged_op)

    def attempt(self, shape: tuple[int, ...], dtype_name: str, description: str, values: Values) -> Answer | None:
        """The answer when this witness confirms the finding (or shows the code is Python 2), else None."""
        tf = self.tf
        self.tried += 1
        self.records.clear()
        dtype = getattr(tf, dtype_name)
        tensors = {p: _witness_array(tf, row, dtype_name, (*shape, len(row)), self.request.get("numpy", False))
                   for p, row in values.items()}
        fn, is_object = _entry(self.namespace, self.request["entry"])
        structural = _structural(self.request)
        args = self._arguments({**tensors, **structural})
        leaves = [t for a in args for t in (a if isinstance(a, tuple) else (a,)) if tf.is_tensor(t)]
        with tf.GradientTape() as tape:
            for tensor in leaves:
                tape.watch(tensor)
            try:
                output = fn(*args)
            except Exception as error:  # noqa: BLE001 - a shape mismatch on one witness is not a verdict
                self.last_error = f"{type(error).__name__}: {str(error).splitlines()[0][:200] if str(error) else ''}"
                return _could_not_run("python2", f"Python 2 code: {self.last_error}") if _python2(error) else None
            self.ran += 1
            total = _summed(tf, output, dtype)
        sources = list(leaves) + (list(fn.trainable_variables) if is_object else [])
        witness: Witness = {"dtype": dtype_name, "values": values, "description": description,
                            "shape": [*shape, WIDTH]}
        if structural:
            witness["structural"] = structural
        if self.request.get("probed", False):
            gradients = tape.gradient(total, sources)  # also fills the probes' gradients
            return self._judge_flagged_op(output, gradients[:len(leaves)], args, witness)
        if not _finite(tf, output):
            op = _first_bad_op(tf, lambda: self._call_fresh(args))
            return _confirmed("forward", _kind(tf, output), op, witness)
        return self._judge_gradient(tape.gradient(total, sources), args, leaves, dtype, witness)

    def _arguments(self, tensors: dict[str, Tensor]) -> list[Tensor | tuple[Tensor, ...]]:
        """A parameter the function unpacks (`x, y = vects`) gets a tuple of separate tensors; a structural one
        its value."""
        arity = self.request.get("arity") or {}
        return [tuple(self.tf.identity(tensors[p]) for _ in range(arity[p])) if arity.get(p) else tensors[p]
                for p in self.request["params"]]

    def _judge_flagged_op(self, output: Tensor, input_gradients: list[Tensor], args: list[Tensor],
                          witness: Witness) -> Answer | None:
        """Probed: the flagged op itself must turn finite operands into NaN/Inf, forward or backward."""
        tf = self.tf
        found = _op_verdict(tf, self.records)
        if found and found[0] == "forward" and _finite(tf, output):
            # Phase honesty: the op's value never reaches the function's output (an untaken `where` branch, a
            # mask); what the code sees is the output and the gradient of its inputs.
            if _finite(tf, input_gradients):
                return None
            witness["masked"] = found[1]
            return _confirmed("gradient", _kind(tf, input_gradients), "the flagged expression's backward pass",
                              witness)
        if found:
            op: str | None = "the flagged expression's backward pass"
            if found[0] == "forward":
                reaches_operands = any(r["role"] == "in" for r in self.records)
                self.records.clear()
                op = _first_bad_op(tf, lambda: self._call_fresh(args))
                if reaches_operands and not any(r["role"] == "in" for r in self.records):
                    # check_numerics stopped before the flagged op's operands were computed: an op upstream
                    # (a 0 divisor this witness made) is non-finite first. The flagged op still turned finite
                    # operands into NaN/Inf, but a witness without that detour is a clearer reproducer: keep
                    # searching, and fall back to this one naming the flagged expression, not the upstream op.
                    if self.detour is None:
                        self.detour = _confirmed(found[0], found[1], f"the flagged expression (an earlier {op} is "
                                                 f"already non-finite at this input)", witness)
                    return None
            return _confirmed(found[0], found[1], op, witness)
        return None

    def _judge_gradient(self, gradients: list[Tensor], args: list[Tensor], leaves: list[Tensor], dtype: Tensor,
                        witness: Witness) -> Answer | None:
        """Not probed, the output finite: the gradient of the inputs (and of a layer's weights)."""
        tf = self.tf
        if not _finite(tf, gradients):
            op = _first_bad_op(tf, lambda: self._gradient_again(args, leaves, dtype))
            return _confirmed("gradient", _kind(tf, gradients), op, witness)
        return None

    def _call_fresh(self, args: list[Tensor]) -> Tensor:
        return _entry(self.namespace, self.request["entry"])[0](*args)

    def _gradient_again(self, args: list[Tensor], leaves: list[Tensor], dtype: Tensor) -> None:
        """The backward pass once more, under check_numerics, to name the op that goes non-finite."""
        with self.tf.GradientTape() as again:
            for tensor in leaves:
                again.watch(tensor)
            out = self._call_fresh(args)
        again.gradient(self.tf.reduce_sum(self.tf.cast(out, dtype)), leaves)

    def conclusion(self) -> Answer:
        """No witness confirmed the finding without a detour (else the first one that did with one)."""
        if self.detour is not None:
            return self.detour
        if not self.ran:
            return _could_not_run("no-witness", f"no canonical input ran: {self.last_error}")
        detail = (f"forward and gradient finite on {self.tried} canonical inputs "
                  f"(0, ±1, ±20, ±100, ±1000, logit rows [0, 200]) in {', '.join(self.dtypes)}")
        return {"status": NOT_REPRODUCED, "detail": detail}


def _dtypes(request: Request, namespace: Namespace) -> list[str]:
    """The witness dtypes: a layer computes in its own dtype (`dtype=` where it is built, else the policy), so it
    is fed only that; a function gets the request's."""
    target = namespace[request["entry"]]
    if isinstance(target, type):
        compute = getattr(target(), "compute_dtype", None)
        if isinstance(compute, str) and compute in ("float16", "float32", "float64", "bfloat16"):
            return [compute]
    return request["dtypes"]


def _summed(tf: ModuleType, output: Tensor, dtype: Tensor) -> Tensor:
    """The scalar the gradient is taken of: the sum of the output (of every output, for a list or tuple)."""
    if isinstance(output, (list, tuple)):
        return tf.add_n([tf.reduce_sum(tf.cast(o, dtype)) for o in output])
    return tf.reduce_sum(tf.cast(output, dtype))


TRAIN_STEPS, BATCH = 30, 32
# The sweep after the user's own set-up: (optimizer, learning rate, input scale), harshest last. The
# conditions are the measured ones (nanlint/rules/NAN101.yaml: SGD lr=0.1 with inputs x100 NaNs a ReLU MLP at step 7).
SWEEP = (("SGD", 0.1, 1.0), ("SGD", 1.0, 1.0), ("Adam", 0.1, 1.0), ("SGD", 0.1, 100.0), ("Adam", 0.1, 100.0))
RELU_FAMILY = ("relu", "relu6", "elu", "leaky_relu", "selu", "gelu", "silu")
# The epsilon NAN107 recommends under float16 floatx (Keras 2's Adam took K.epsilon() as its own; Keras 3's does
# not, so the fixed variant sets both).
FIXED_EPSILON = 1e-4


class _Setup(NamedTuple):
    """One training set-up: the model's own optimizer ("own", at its own learning rate) or a named one."""

    optimizer: str
    learning_rate: float | None  # None for "own"
    input_scale: float


# Keras calls a loss as loss(y_true, y_pred): a one-hot target first, then a probability row (a softmax output,
# every entry inside (0, 1)).
KERAS_TARGET = [0.0, 1.0, 0.0, 0.0]
KERAS_PREDICTION = [0.1, 0.7, 0.1, 0.1]


def _run_keras_loss(request: Request, namespace: Namespace) -> Answer:
    """A loss function given to Keras, called positionally the way Keras calls it: confirmed when that call is
    NaN/Inf (forward or gradient) while the call with the two arguments the other way round, the order its
    parameters declare, is finite: the argument order, not something else in the loss, makes the NaN."""
    return _keras_call(request, namespace, against_declared_order=True)


def _run_keras_call(request: Request, namespace: Namespace) -> Answer:
    """A loss called as Keras calls it, loss(one-hot target, probabilities): confirmed when that call is NaN/Inf.
    For hazards of the labels themselves (a KL divergence's y_true * log(y_true / y_pred) is 0 * -Inf where the
    target is 0): the only inputs are ones the code is given in training, never a negative 'prediction' that a
    probability-output model cannot produce."""
    return _keras_call(request, namespace, against_declared_order=False)


def _keras_call(request: Request, namespace: Namespace, against_declared_order: bool) -> Answer:
    import tensorflow as tf

    params = request["params"]
    if len(params) < 2:  # the function the snippet can call is not the loss: a factory that returns it, say
        return _could_not_run("no-entry-point", f"`{request['entry']}` takes {len(params)} required argument(s), "
                                                f"not the (y_true, y_pred) Keras passes: the loss is built inside it, "
                                                f"and the verifier does not call the factory")
    first, second = params[:2]
    rest = {p: [1.0] * WIDTH for p in params[2:]}
    search = _WitnessSearch(tf, {**request, "probed": False}, namespace)
    if against_declared_order:
        declared = search.attempt((1,), "float32", "the declared order", {first: KERAS_PREDICTION,
                                                                         second: KERAS_TARGET, **rest})
        if declared is not None:
            return {"status": NOT_REPRODUCED, "detail": f"the loss is already non-finite with its arguments in "
                                                        f"the declared order ({declared['detail']}): not the order's "
                                                        f"doing"}
    keras_call = (f"Keras' call loss(y_true, y_pred): the one-hot target {KERAS_TARGET} into '{first}', the "
                  f"probabilities {KERAS_PREDICTION} into '{second}'")
    answer = search.attempt((1,), "float32", keras_call, {first: KERAS_TARGET, second: KERAS_PREDICTION, **rest})
    if answer is not None or not search.ran:
        return answer if answer is not None else search.conclusion()
    return {"status": NOT_REPRODUCED, "detail": f"finite forward and gradient under {keras_call} (float32)"}


def _run_training(request: Request, namespace: Namespace) -> Answer:
    """Train the user's model for a few steps under its own set-up (optimizer, loss, input scale), then a sweep
    of harsher ones, each beside the fixed variant (BatchNormalization inserted / clipnorm=1.0); every run is
    a trial with its loss and gradient-norm curve."""
    import keras

    # Each trial trains a clone of the user's model; cloning a `Lambda` layer re-creates the user's own lambda,
    # which the snippet has already run, so Keras' guard against unknown serialized code does not apply here.
    keras.config.enable_unsafe_deserialization()
    built = _model(keras, request, namespace)
    if not isinstance(built, tuple):
        return built
    model, build_args = built
    try:
        input_shape, output_shape = tuple(model.inputs[0].shape), tuple(model.outputs[0].shape)
    except (AttributeError, ValueError, IndexError):
        return _could_not_run("no-witness", "the model's input shape cannot be inferred (no Input/input_shape)")
    free = any(dim is None for dim in input_shape[1:])
    if free:  # a model of any input size (`Input(shape=(None, None, 3))`): trained at FREE_DIM
        sized = _sized(model, input_shape)
        if sized is None:
            return _could_not_run("no-witness", f"the model takes inputs of any size and does not run at "
                                                f"{FREE_DIM} for each free dimension")
        input_shape, output_shape = sized
    compiled = getattr(model, "optimizer", None) if getattr(model, "compiled", False) else None
    # The file's own optimizer and loss: those the snippet compiles the model with, else those the lint read
    # where compile is out of the snippet's reach (a builder compiled by its caller, a custom loop).
    own = compiled if compiled is not None else _read_optimizer(keras, request)
    read_loss = None if compiled is not None else _read_loss(keras, request)
    loss = read_loss if read_loss is not None else \
        model.loss if compiled is not None and model.loss is not None else "mse"
    if not (isinstance(loss, str) or callable(loss)):
        return _could_not_run("unsupported", "a model with several losses (one per output) is not trained here")
    # What the reproducer needs to rebuild the run: the optimizer from the compiled model or as the lint read it.
    rebuilt = ("own", None) if compiled is not None else (type(own).__name__, request.get("learning_rate"))
    rebuild: dict[str, object] = {"optimizer": rebuilt[0], "lr": rebuilt[1],
                                  "loss": request.get("loss") if read_loss is not None else None,
                                  "from_logits": bool(request.get("from_logits")), "build_args": build_args}
    training = _Training(keras, model, own, loss, own_loss=compiled is not None or read_loss is not None,
                         request=request, shapes=(input_shape, output_shape), rebuild=rebuild)
    training.sized = input_shape[1:] if free else None
    return training.sweep()


# A model that takes inputs of any size (a fully convolutional net) is trained on inputs whose free dimensions
# are this size; its output shape is read from one call at that size.
FREE_DIM = 16


def _sized(model: Any, input_shape: tuple[int | None, ...]
           ) -> tuple[tuple[int | None, ...], tuple[int | None, ...]] | None:
    import numpy as np

    concrete = tuple(FREE_DIM if dim is None else dim for dim in input_shape[1:])
    try:
        output = model(np.zeros((1, *concrete), dtype="float32"))
    except Exception:  # noqa: BLE001 - a model that needs another size: the verdict says it could not run
        return None
    return (None, *concrete), (None, *tuple(output.shape)[1:])


def _model(keras: ModuleType, request: Request, namespace: Namespace) -> tuple[Any, BuildArgs] \
        | Answer:
    """The model to train and the arguments its builder got; an answer (could not run) when there is none."""
    model = namespace[request["entry"]]
    build_args: BuildArgs = []
    if request["kind"] == "model_factory":
        built = _build(model, request.get("params") or [])
        if not isinstance(built, tuple):
            return built
        model, build_args = built
    if not isinstance(model, keras.Model):
        return _could_not_run("not-a-model", f"{request['entry']} is not a Keras model")
    return model, build_args


class _Training:
    """The user's model trained under set-ups: its own, then the harsher SWEEP, each a trial."""

    def __init__(self, keras: ModuleType, model: Any, own: Any, loss: Any, own_loss: bool, request: Request,
                 shapes: tuple[tuple[int | None, ...], tuple[int | None, ...]], rebuild: dict[str, object]) -> None:
        import numpy as np

        self.keras = keras
        self.rebuild = rebuild
        self.model = model
        self.own = own
        self.own_loss = own_loss
        self.loss_fn = keras.losses.get(loss) if isinstance(loss, str) else loss
        self.fix = request.get("fix")
        # The input scale the code shows (x 255 for raw pixels); uniform [0, 1) inputs where it shows none.
        self.own_scale = float(request.get("input_scale") or 1.0)
        self.own_source = request.get("input_scale_source") if request.get("input_scale") else None
        self.x, self.y = _training_data(np, shapes[0], shapes[1], loss)
        self.sized: tuple[int | None, ...] | None = None  # the input shape chosen for a model of any size

    def sweep(self) -> Answer:
        """Its own set-up first; a harsher one identical to it is not trained twice. The first set-up that goes
        non-finite decides: confirmed under its own, else `not reproduced` (diverges only harsher)."""
        own = [_Setup("own", None, self.own_scale)] if self.own is not None else []
        setups = own + [_Setup(*s) for s in SWEEP if not self._is_own(_Setup(*s))]
        trials: list[TrialData] = []
        for setup in setups:
            trial, kind = self.train(self._user_model, setup, "as written")
            trials.append(trial)
            if kind is not None:
                return self._diverged(setup, trial, kind, trials)
        tried = "; ".join(self.describe(setup) for setup in setups)
        return {"status": NOT_REPRODUCED, "detail": f"finite for {TRAIN_STEPS} steps under each of: {tried}",
                "phase": "training", "trials": trials}

    def _diverged(self, setup: _Setup, trial: TrialData, kind: str, trials: list[TrialData]) -> Answer:
        condition = f"{kind} at step {trial['nonfinite_step']} under {self.describe(setup)}"
        fixed_trial, fixed_label = _fixed_trial(self.keras, self.fix, self.model,
                                                lambda build, clip=None, epsilon=None:
                                                self.train(build, setup, "fixed", clip, epsilon))
        fixed = ""
        if fixed_trial is not None:
            trials.append(fixed_trial)
            fixed = (f"; finite with {fixed_label}" if fixed_trial["nonfinite_step"] is None
                     else f"; still non-finite at step {fixed_trial['nonfinite_step']} with {fixed_label}")
        if setup.optimizer == "own":
            reproduce = {**self.rebuild, "scale": setup.input_scale, "steps": TRAIN_STEPS, "batch": BATCH,
                         "step": trial["nonfinite_step"], "setup": self.describe(setup)}
            return {"status": CONFIRMED, "detail": f"{condition}{fixed}", "phase": "training", "trials": trials,
                    "condition": reproduce}
        own_part = f"finite for {TRAIN_STEPS} steps under {self.describe(_Setup('own', None, self.own_scale))}; " \
            if self.own is not None else "no optimizer of its own to train under; "
        return {"status": NOT_REPRODUCED, "detail": f"{own_part}diverges only harsher: {condition}{fixed}",
                "phase": "training", "trials": trials}

    def _user_model(self) -> Any:
        return self.keras.models.clone_model(self.model)

    def _own_rate(self) -> float:
        return float(self.keras.ops.convert_to_numpy(self.own.learning_rate))

    def _is_own(self, setup: _Setup) -> bool:
        """The learning rate is read back from a float32 variable: 0.1 -> 0.10000000149."""
        if self.own is None or setup.learning_rate is None:
            return False
        own_class = type(self.own).__name__
        return setup.optimizer == own_class and setup.input_scale == self.own_scale and \
            math.isclose(setup.learning_rate, self._own_rate(), rel_tol=1e-6)

    def optimizer(self, setup: _Setup, clipnorm: float | None = None, epsilon: float | None = None) -> Any:
        keras = self.keras
        if setup.optimizer == "own":
            config = keras.optimizers.serialize(self.own)
            if clipnorm:
                config["config"]["clipnorm"] = clipnorm
            if epsilon is not None and "epsilon" in config["config"]:
                config["config"]["epsilon"] = epsilon
            return keras.optimizers.deserialize(config)
        built = getattr(keras.optimizers, setup.optimizer)(learning_rate=setup.learning_rate, clipnorm=clipnorm)
        if epsilon is not None and hasattr(built, "epsilon"):
            built.epsilon = epsilon
        return built

    def describe(self, setup: _Setup) -> str:
        """The set-up in words; the file's own is named as such, a harsher one never is."""
        if setup.optimizer != "own":
            return f"{setup.optimizer} lr={setup.learning_rate:g}" + (
                f" with inputs x{setup.input_scale:g}" if setup.input_scale != 1 else "")
        inputs = (f"at its own input scale ({self.own_source})" if self.own_source
                  else "on inputs in [0, 1) (the code shows no input scale)")
        if self.sized is not None:
            inputs += f" of shape {self.sized} (the model takes any size)"
        # 3 digits: under float16 floatx the rate is read back from a float16 variable (1e-4 -> 0.000100017)
        return f"its own {type(self.own).__name__} lr={self._own_rate():.3g} {inputs}" + (
            "" if self.own_loss else ", mse for its loss")

    def train(self, build: Callable[[], Any], setup: _Setup, variant: str, clipnorm: float | None = None,
              epsilon: float | None = None) -> tuple[TrialData, str | None]:
        """TRAIN_STEPS steps of a fresh model; the trial, and what went non-finite first (None: nothing)."""
        import tensorflow as tf

        self.keras.utils.set_random_seed(0)
        candidate = build()
        opt = self.optimizer(setup, clipnorm, epsilon)
        losses: list[float | None] = []
        norms: list[float | None] = []
        for step in range(1, TRAIN_STEPS + 1):
            value, norm, weights_ok = self._step(tf, candidate, opt, step, setup.input_scale)
            losses.append(value if math.isfinite(value) else None)
            norms.append(norm if math.isfinite(norm) else None)
            if not (math.isfinite(value) and math.isfinite(norm) and weights_ok):
                kind = "NaN" if math.isnan(value) or math.isnan(norm) else "Inf"
                trial = _trial(self.describe(setup), variant, losses, norms, step)
                return trial, kind + ("" if math.isfinite(value) else " loss") + \
                    ("" if weights_ok else " in the weights")
        return _trial(self.describe(setup), variant, losses, norms, None), None

    def _step(self, tf: ModuleType, candidate: Any, opt: Any, step: int, scale: float) -> tuple[float, float, bool]:
        """One optimizer step on the next batch: the loss, the global gradient norm, whether the weights are finite."""
        start = (step - 1) * BATCH % len(self.x)
        xb = tf.constant(self.x[start:start + BATCH] * scale)
        yb = tf.constant(self.y[start:start + BATCH])
        with tf.GradientTape() as tape:
            value = tf.reduce_mean(self.loss_fn(yb, candidate(xb, training=True)))
            if candidate.losses:
                value = value + tf.add_n(candidate.losses)
        variables = candidate.trainable_variables
        grads = tape.gradient(value, variables)
        norm = float(tf.linalg.global_norm([g for g in grads if g is not None]))
        opt.apply_gradients([(g, v) for g, v in zip(grads, variables) if g is not None])
        weights_ok = all(bool(tf.reduce_all(tf.math.is_finite(w))) for w in candidate.weights
                         if "float" in str(w.dtype))
        return float(value), norm, weights_ok


# Arguments for a model builder's required parameters, by what their name says they are: sizes get small
# ints, shapes a vector / an image / a sequence shape. Tried in order until the model builds.
SIZE_WORDS = ("dim", "size", "units", "num", "classes", "len", "depth", "width", "height", "features", "hidden",
              "out", "vocab", "n_", "steps", "filters", "channels")
SHAPES_TRIED = ((8,), (28, 28, 1), (16, 8))


def _build(target: Callable[..., Any], params: list[str]) -> tuple[Any, BuildArgs] | Answer:
    """The model from a builder; its required parameters synthesised (`build_model(n_features)`). A dict
    answer (could not run) when a parameter has no synthesisable meaning or no combination builds."""
    choices: list[tuple[int | tuple[int, ...], ...]] = []
    for name in params:
        lowered = name.lower()
        if "shape" in lowered:
            choices.append(SHAPES_TRIED)
        elif any(word in lowered for word in SIZE_WORDS) or lowered in ("n", "k", "d"):
            choices.append((8,))
        else:
            return _could_not_run("no-witness", f"cannot synthesise an argument for the builder's `{name}`")
    error = None
    for index in range(max((len(c) for c in choices), default=1)):
        args = [c[min(index, len(c) - 1)] for c in choices]
        try:
            return target(*args), args
        except Exception as raised:  # noqa: BLE001 - a shape that does not fit: try the next one
            error = raised
    return _could_not_run("snippet-error", f"the builder raised {type(error).__name__}: {str(error)[:160]}")


def _read_optimizer(keras: ModuleType, request: Request) -> Any:
    """The optimizer the lint read from the file (`SGD` at lr 0.1), built fresh; None when it read none, or
    one Keras does not have by that name."""
    kind, rate = request.get("optimizer"), request.get("learning_rate")
    cls = getattr(keras.optimizers, kind, None) if isinstance(kind, str) and rate is not None else None
    return cls(learning_rate=float(rate)) if isinstance(cls, type) and rate is not None else None


def _read_loss(keras: ModuleType, request: Request) -> Any:
    """The loss the lint read from the file (`"mse"`, `SparseCategoricalCrossentropy(from_logits=True)`),
    built fresh; None when it read none, or one Keras does not know by that name (a loss of the file's own)."""
    name = request.get("loss")
    if not isinstance(name, str):
        return None
    if request.get("from_logits"):
        cls = getattr(keras.losses, name, None)
        return cls(from_logits=True) if isinstance(cls, type) else None
    try:
        return keras.losses.get(name)
    except (ValueError, TypeError):
        return None


def _trial(setup: str, variant: str, losses: list[float | None], norms: list[float | None], bad_step: int | None
           ) -> TrialData:
    return {"setup": setup, "variant": variant, "loss": losses, "grad_norm": norms, "nonfinite_step": bad_step}


def _fixed_trial(keras: ModuleType, fix: str | None, model: Any,
                 train: Callable[..., tuple[TrialData, str | None]]) -> tuple[TrialData | None, str | None]:
    """(trial, label) of the fixed variant under the same set-up, or (None, None) when the rule has none."""
    if fix == "clipnorm":
        return train(lambda: keras.models.clone_model(model), 1.0)[0], "clipnorm=1.0"
    if fix == "epsilon":  # Keras 2's `K.set_epsilon(1e-4)`: the losses' clipping and Adam's epsilon follow it
        previous = keras.backend.epsilon()
        keras.backend.set_epsilon(FIXED_EPSILON)
        try:
            trial = train(lambda: keras.models.clone_model(model), None, FIXED_EPSILON)[0]
        finally:
            keras.backend.set_epsilon(previous)
        return trial, f"keras.backend.set_epsilon({FIXED_EPSILON:g}) and the optimizer's epsilon {FIXED_EPSILON:g}"
    if fix == "batchnorm" and isinstance(model, keras.Sequential):
        return train(lambda: _with_batchnorm(keras, model))[0], "BatchNormalization"
    return None, None


def _with_batchnorm(keras: ModuleType, model: Any) -> Any:
    layers = [keras.Input(shape=tuple(model.inputs[0].shape)[1:])]
    for layer in model.layers:
        layers.append(type(layer).from_config(layer.get_config()))
        activation = getattr(getattr(layer, "activation", None), "__name__", "")
        if activation in RELU_FAMILY:
            layers.append(keras.layers.BatchNormalization())
    return keras.Sequential(layers)


def _training_data(np: ModuleType, input_shape: tuple[int | None, ...], output_shape: tuple[int | None, ...],
                   loss: Any) -> tuple[Any, Any]:
    rng = np.random.default_rng(0)
    count = 8 * BATCH
    x = rng.random((count, *input_shape[1:]), dtype=np.float32)
    name = _loss_name(loss)
    units = output_shape[-1] or 1
    if "sparse" in name:
        y = rng.integers(0, units, (count, *output_shape[1:-1])).astype(np.int32)
    elif "categorical" in name:
        y = np.eye(units, dtype=np.float32)[rng.integers(0, units, (count, *output_shape[1:-1]))]
    else:
        y = rng.integers(0, 2, (count, *output_shape[1:])).astype(np.float32)
    return x, y


def _loss_name(loss: object) -> str:
    """A Keras Loss object's `name` ("sparse_categorical_crossentropy") or a function's says which labels it
    takes; lower case."""
    name = loss if isinstance(loss, str) else getattr(loss, "name", None) or getattr(loss, "__name__", "")
    return str(name).lower()


# The worker's recipes by the name a request gives (nanlint/verify/recipes).
RUNNERS = {"function": _run_function, "keras-loss": _run_keras_loss, "keras-call": _run_keras_call,
           "training": _run_training}


def _confirmed(phase: str, kind: str, op: str | None, witness: Witness) -> Answer:
    where = f" in {op}" if op else ""
    detail = f"{phase} {kind}{where} at {witness['description']} ({witness['dtype']})"
    masked = witness.pop("masked", None)
    if masked:
        detail += f"; the flagged op's {masked} value is masked out of the output, which stays finite"
    return {"status": CONFIRMED, "detail": detail, "op": op, "phase": phase, "input": witness}


# Names and methods that exist only in Python 2: code that reaches one is a Python 2 leftover, not a bug here.
PYTHON2_NAMES = ("xrange", "unicode", "basestring", "raw_input", "unichr", "long", "iteritems", "itervalues",
                 "iterkeys", "has_key", "izip", "imap", "cPickle", "urllib2", "execfile", "reload", "file")


def _python2(error: BaseException) -> bool:
    if isinstance(error, (NameError, AttributeError, ImportError)):
        name = getattr(error, "name", None) or str(error)
        return any(name == word or f"'{word}'" in str(error) for word in PYTHON2_NAMES)
    return False


def _could_not_run(reason: str, detail: str) -> Answer:
    return {"status": COULD_NOT_RUN, "reason": reason, "detail": detail}


def _gpu_visible() -> bool:
    """Imports TensorFlow into the server (once), so that every forked child starts warm."""
    import gc

    import tensorflow as tf

    # TensorFlow's import leaves millions of objects that every child would scan (and copy, page by page, out of
    # the memory it shares with the server) at each garbage collection, Keras' clear_session included: 0.17 s of
    # CPU per finding. Frozen, the children's collections skip them.
    gc.freeze()
    return bool(tf.config.list_physical_devices("GPU"))


def _child(request: Request, write_fd: int, tf_device: str | None, protocol_fd: int) -> NoReturn:
    """Runs in the forked child: limits, a fresh directory, the snippet, one JSON answer."""
    os.setpgid(0, 0)
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    # Nothing of the server's reaches the snippet: not the protocol to nanlint, not the request pipe.
    os.close(protocol_fd)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    if not request.get("network_cut"):
        _guard_sockets()
    me = os.getpid()
    limit = request.get("memory_mb")
    if limit:
        current = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        resource.setrlimit(resource.RLIMIT_DATA, ((current + limit) << 20, (current + limit) << 20))
    os.chdir(request["workdir"])
    try:
        namespace = {"__name__": "__nanlint_snippet__", "__nanlint_backend__": _legacy_backend}
        if tf_device:
            import tensorflow as tf

            tf.keras.backend.clear_session()
            # the module's own precision set-up (its policy call does not run: module-level code is not run)
            tf.keras.mixed_precision.set_global_policy(request.get("policy") or "float32")
            tf.keras.backend.set_floatx(request.get("floatx") or "float32")
            with tf.device(tf_device):
                exec(compile(request["source"], "<snippet>", "exec"), namespace)
                answer = RUNNERS[request["recipe"]](request, namespace)
        else:
            exec(compile(request["source"], "<snippet>", "exec"), namespace)
            answer = {"status": NOT_REPRODUCED, "detail": "ran without error"}
    except MemoryError:
        answer = _could_not_run("memory", f"memory limit ({limit} MB) exceeded")
    except FileNotFoundError as error:
        answer = _could_not_run("needs-data", f"needs a data file: {error.filename}")
    except Exception as error:  # noqa: BLE001 - the user's snippet may raise anything
        first = str(error).splitlines()[0][:200] if str(error) else ""
        reason = "import-failed" if isinstance(error, ImportError) else "snippet-error"
        answer = _could_not_run("python2" if _python2(error) else reason,
                                f"snippet raised {type(error).__name__}: {first}")
    except BaseException as error:  # noqa: BLE001 - SystemExit from the snippet
        answer = _could_not_run("crashed", f"snippet exited ({type(error).__name__})")
    if os.getpid() == me:  # a grandchild the snippet forked must not answer
        os.write(write_fd, json.dumps(answer, default=str).encode())
    os._exit(0)


def _guard_sockets() -> None:
    """Without a network namespace: refuse new sockets from the snippet (the worker itself needs none). A guard
    against accidental downloads (`keras.datasets...load_data()`), not containment: code can undo it."""
    import socket

    def refuse(*args: object, **kwargs: object) -> NoReturn:
        raise OSError("network access is disabled by nanlint verify")

    for method in ("connect", "connect_ex", "sendto"):
        setattr(socket.socket, method, refuse)
    socket.create_connection = refuse
    socket.getaddrinfo = refuse


def choose_tf_device(requested: str, gpu_visible: bool) -> str | None:
    """The TensorFlow device for `--device`: None when a GPU is demanded and there is none."""
    if requested == "cpu":
        return "/CPU:0"
    if gpu_visible:
        return "/GPU:0"
    return None if requested == "gpu" else "/CPU:0"


@dataclass
class _Server:
    protocol_fd: int  # the descriptor answers go to (each child closes it)
    gpu: bool | None = None  # whether TensorFlow sees a GPU; None until TensorFlow is imported


def _serve_one(request: Request, server: _Server) -> Answer:
    start = time.monotonic()
    tf_device = None
    if request["recipe"] != "python":
        if server.gpu is None:
            server.gpu = _gpu_visible()
        tf_device = choose_tf_device(request["device"], server.gpu)
        if tf_device is None:
            return _timed(_could_not_run("no-device", "--device gpu but TensorFlow sees no GPU"), start)
    # The finding's time limit starts now: the one-time TensorFlow import is the run's, not the finding's.
    start = time.monotonic()
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        try:
            _child(request, write_fd, tf_device, server.protocol_fd)
        finally:
            os._exit(1)
    os.close(write_fd)
    data, status = _await_child(pid, read_fd, deadline=start + request["timeout"])
    if status is None:
        return _timed(_could_not_run("timeout", f"timeout after {request['timeout']:g} s"), start)
    if not _complete(data):
        if os.WIFSIGNALED(status):
            why = f"killed by signal {signal.Signals(os.WTERMSIG(status)).name}"
        else:
            why = f"exited with status {os.WEXITSTATUS(status)}"
        return _timed(_could_not_run("crashed", f"snippet process {why} before answering"), start)
    answer: Answer = json.loads(data)
    return _timed(answer, start)


def _await_child(pid: int, read_fd: int, deadline: float) -> tuple[bytes, int | None]:
    """What the child wrote and its wait status, its process group killed and reaped; status None: it timed
    out. Done at the child's complete answer or its exit: a grandchild it forked may hold the pipe open."""
    chunks: list[bytes] = []
    timed_out, status = False, None
    while status is None:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            timed_out = True
            break
        ready, _, _ = select.select([read_fd], [], [], min(remaining, 0.05))
        chunks.append(os.read(read_fd, 1 << 16) if ready else b"")
        if _complete(b"".join(chunks)):
            break
        exited, code = os.waitpid(pid, os.WNOHANG)
        if exited:
            status = code
            chunks.extend(_rest(read_fd))
    os.close(read_fd)
    _kill_group(pid)
    if status is None:
        _, status = os.waitpid(pid, 0)
    return b"".join(chunks), None if timed_out else status


def _rest(read_fd: int) -> Iterator[bytes]:
    """What an exited child left in the pipe."""
    while select.select([read_fd], [], [], 0)[0]:
        rest = os.read(read_fd, 1 << 16)
        if not rest:
            break
        yield rest


def _timed(answer: Answer, start: float) -> Answer:
    answer["seconds"] = time.monotonic() - start
    return answer


def _complete(data: bytes) -> bool:
    try:
        json.loads(data)
    except ValueError:
        return False
    return True


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def main() -> None:
    """argv: [--readonly WORKDIR] (set when the parent started us in our own mount namespace) [--preload]
    (import TensorFlow right after the hello, while the parent is still linting)."""
    args = sys.argv[1:]
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # the worker dies with nanlint, even on SIGKILL
    _prctl(PR_SET_CHILD_SUBREAPER, 1)  # orphaned descendants (daemons) become ours, so we can end them
    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides; a terminal's Ctrl-C reaches it
    readonly = _read_only_root(args[1]) if args[:1] == ["--readonly"] else False
    # The snippet's own prints must not corrupt the protocol: the protocol is a private descriptor, fd 1 is
    # stderr, and each forked child closes the protocol descriptor before it runs anything.
    protocol_fd = os.dup(1)
    os.set_inheritable(protocol_fd, False)
    protocol = os.fdopen(protocol_fd, "w")
    os.dup2(2, 1)
    server = _Server(protocol_fd)
    hello = {"tensorflow": importlib.util.find_spec("tensorflow") is not None, "python": sys.version.split()[0],
             "readonly": readonly, "tensorflow_version": _tensorflow_version()}
    protocol.write(json.dumps(hello) + "\n")
    protocol.flush()
    if "--preload" in args and hello["tensorflow"]:
        _preload(server)
    for line in sys.stdin:
        request: Request = json.loads(line)
        try:
            answer = _serve_one(request, server)
        except Exception:  # noqa: BLE001 - the server must answer every request
            answer = _could_not_run("internal-error", "worker error: " + traceback.format_exc(limit=2)[-300:])
        _end_descendants()
        answer["id"] = request.get("id")
        protocol.write(json.dumps(answer, default=str) + "\n")
        protocol.flush()
    _end_descendants()


def _preload(server: _Server) -> None:
    """TensorFlow imported before the first request arrives. A failing import is left for that request to
    report (it imports again and answers with the error)."""
    try:
        server.gpu = _gpu_visible()
    except Exception:  # noqa: BLE001 - a broken installation: the first request says how
        pass


def _tensorflow_version() -> str | None:
    """From the installed metadata (importing TensorFlow here would cost seconds before the first request)."""
    from importlib import metadata

    for name in ("tensorflow", "tensorflow-cpu", "tf-nightly"):
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return None


PR_SET_PDEATHSIG, PR_SET_CHILD_SUBREAPER = 1, 36


def _prctl(option: int, value: int) -> None:
    """Linux only; elsewhere a no-op (the parent's process-group kill is the fallback)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(option, value, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _terminate(signum: int, frame: FrameType | None) -> NoReturn:
    _end_descendants()
    os._exit(0)


def _descendants(pid: int) -> list[int]:
    """Every live descendant of `pid` (via /proc/PID/task/*/children), deepest last."""
    found: list[int] = []
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            tasks = os.listdir(f"/proc/{current}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    children = [int(c) for c in handle.read().split()]
            except (OSError, ValueError):
                continue
            found.extend(children)
            pending.extend(children)
    return found


def _end_descendants() -> None:
    """Kill every process below the worker (a subreaper: daemons that double-forked are re-parented here), and
    reap them; repeated because a dying daemon may have forked once more."""
    for _ in range(20):
        children = _descendants(os.getpid())
        if not children:
            break
        for pid in children:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        _reap(0.05)
    _reap(0)


def _reap(wait: float) -> None:
    deadline = time.monotonic() + wait
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            if time.monotonic() >= deadline:
                return
            time.sleep(0.005)


def _read_only_root(workdir: str) -> bool:
    """In our own user+mount namespace: every mount read-only (mount_setattr, recursive), then a private tmpfs
    on the working directory, the only writable place. False when the kernel refuses (the caller says so)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)

        class MountAttr(ctypes.Structure):
            _fields_ = [("attr_set", ctypes.c_uint64), ("attr_clr", ctypes.c_uint64),
                        ("propagation", ctypes.c_uint64), ("userns_fd", ctypes.c_uint64)]

        ms_rec, ms_private, at_fdcwd, at_recursive, attr_rdonly, sys_mount_setattr = 16384, 1 << 18, -100, 0x8000, 1, 442
        if libc.mount(b"none", b"/", None, ms_rec | ms_private, None) != 0:
            return False
        attr = MountAttr(attr_rdonly, 0, 0, 0)
        if libc.syscall(sys_mount_setattr, at_fdcwd, b"/", at_recursive, ctypes.byref(attr), ctypes.sizeof(attr)):
            return False
        return libc.mount(b"tmpfs", workdir.encode(), b"tmpfs", 0, b"size=1g,mode=0700") == 0
    except (OSError, AttributeError):
        return False


if __name__ == "__main__":
    main()
