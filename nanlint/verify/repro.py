"""Standalone reproducers: the extracted snippet plus the witness input, runnable with plain TensorFlow."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import TYPE_CHECKING

from nanlint.finding import Finding
from nanlint.verify.snippet import LEGACY_BACKEND, Snippet
from nanlint.verify.worker import ROLE_VALUES

if TYPE_CHECKING:
    from nanlint.verify.recipes.expression import Recipe

_DRIVER = '''

# --- reproducer written by `nanlint verify`: {code} at {path}:{line} ---
# Witness: {description} ({dtype}); expected: {phase} {kind} at the flagged expression.
import numpy as np
import tensorflow as tf

RECORDS = []  # (role, value, gradient) for the flagged expression ("out") and its operands ("in")


def _probe(role):
    def wrap(value):
        if isinstance(value, (np.ndarray, np.floating)) and np.issubdtype(value.dtype, np.floating):
            RECORDS.append({{"role": role, "value": value, "gradient": None}})  # NumPy: a value, no gradient
            return value
        if not tf.is_tensor(value) or not value.dtype.is_floating:
            return value
        entry = {{"role": role, "value": value, "gradient": None}}
        RECORDS.append(entry)

        @tf.custom_gradient
        def identity(x):
            def grad(upstream):
                entry["gradient"] = upstream
                return upstream
            return tf.identity(x), grad

        return identity(value)
    return wrap


__nanlint_out__, __nanlint_in__ = _probe("out"), _probe("in")


def _finite(tensor):
    return tensor is None or bool(tf.reduce_all(tf.math.is_finite(tf.cast(tensor, tf.float32))))


def _witness(row, shape):
    """NumPy code gets a NumPy array it may write into, as the verifier fed it; other code a tensor."""
    if {numpy!r}:
        return np.broadcast_to(np.asarray(row, dtype="{dtype}"), shape).copy()
    return tf.broadcast_to(tf.constant(row, dtype=tf.{dtype}), shape)


def _show(value):
    """Tensors as arrays; a function may also return a Python float or a nested list."""
    if isinstance(value, (list, tuple)):
        return [_show(item) for item in value]
    return value.numpy() if hasattr(value, "numpy") else value


if __name__ == "__main__":
    entry = {entry}
    call = entry() if isinstance(entry, type) else entry
    arity = {arity!r}  # parameters the function unpacks into several tensors
    fixed = {fixed!r}  # parameters that say where to compute (an axis, an index): passed as they are
    inputs = [_witness(row, {shape!r})
              for row, count, value in zip({rows!r}, arity, fixed) if value is None for _ in range(count or 1)]
    grouped, position = [], 0
    for count, value in zip(arity, fixed):
        if value is not None:
            grouped.append(value)
            continue
        grouped.append(tuple(inputs[position:position + count]) if count else inputs[position])
        position += count or 1
    with tf.GradientTape() as tape:
        watched = [tensor for tensor in inputs if tf.is_tensor(tensor)]
        for tensor in watched:
            tape.watch(tensor)
        output = call(*grouped)
        total = tf.reduce_sum(tf.cast(output, tf.{dtype}))
    gradients = tape.gradient(total, watched)
    print("output:", _show(output))
    print("gradients:", [_show(g) for g in gradients])
    flagged = [r for r in RECORDS if r["role"] == "out"]
    operands = [r for r in RECORDS if r["role"] == "in"]
    for r in flagged:
        print("flagged expression value:", _show(r["value"]))
    for r in operands:
        gradient = None if r["gradient"] is None else r["gradient"].numpy()
        print("operand:", _show(r["value"]), "gradient sent back to it:", gradient)
    if flagged and {op_level}:
        forward_bad = any(not _finite(r["value"]) for r in flagged)
        gradient_bad = any(not _finite(r["gradient"]) for r in operands)
    else:
        forward_bad = not all(_finite(o) for o in (output if isinstance(output, (list, tuple)) else [output]))
        gradient_bad = any(not _finite(g) for g in gradients)
    if forward_bad:
        print("NON-FINITE forward (NaN/Inf) reproduced")
    elif gradient_bad:
        print("NON-FINITE gradient (NaN/Inf) reproduced")
    else:
        print("finite: not reproduced with this TensorFlow")
'''


_TRAINING_DRIVER = '''

# --- reproducer written by `nanlint verify`: {code} at {path}:{line} ---
# Trains the model above for {steps} steps under {setup} on random data shaped like its input;
# expected: loss, gradient or weights non-finite at step {step}.
import math

import keras
import numpy as np
import tensorflow as tf

if __name__ == "__main__":
    model = {entry}
    optimizer = {optimizer}
    loss = {loss}
    loss_fn = keras.losses.get(loss) if isinstance(loss, str) else loss
    keras.utils.set_random_seed(0)
    model = keras.models.clone_model(model)
    rng = np.random.default_rng(0)
    input_shape, output_shape = tuple(model.inputs[0].shape), tuple(model.outputs[0].shape)
    x = rng.random((8 * {batch}, *input_shape[1:]), dtype=np.float32) * {scale!r}
    units = output_shape[-1] or 1
    name = loss if isinstance(loss, str) else getattr(loss, "name", None) or getattr(loss, "__name__", "")
    if "sparse" in name.lower():
        y = rng.integers(0, units, (len(x), *output_shape[1:-1])).astype(np.int32)
    elif "categorical" in name.lower():
        y = np.eye(units, dtype=np.float32)[rng.integers(0, units, (len(x), *output_shape[1:-1]))]
    else:
        y = rng.integers(0, 2, (len(x), *output_shape[1:])).astype(np.float32)
    for step in range(1, {steps} + 1):
        start = (step - 1) * {batch} % len(x)
        xb, yb = tf.constant(x[start:start + {batch}]), tf.constant(y[start:start + {batch}])
        with tf.GradientTape() as tape:
            value = tf.reduce_mean(loss_fn(yb, model(xb, training=True)))
            if model.losses:
                value = value + tf.add_n(model.losses)
        grads = tape.gradient(value, model.trainable_variables)
        norm = float(tf.linalg.global_norm([g for g in grads if g is not None]))
        optimizer.apply_gradients([(g, v) for g, v in zip(grads, model.trainable_variables) if g is not None])
        finite = all(bool(tf.reduce_all(tf.math.is_finite(w))) for w in model.weights if "float" in str(w.dtype))
        print(f"step {{step}}: loss {{float(value):.6g}}, gradient norm {{norm:.6g}}")
        if not (math.isfinite(float(value)) and math.isfinite(norm) and finite):
            print(f"NON-FINITE training at step {{step}} reproduced")
            break
    else:
        print("finite: not reproduced with this TensorFlow")
'''


def write_reproducer(directory: Path, finding: Finding, snippet: Snippet, answer: dict, recipe: Recipe,
                     taken: AbstractSet[Path] = frozenset()) -> Path:
    """One standalone script per confirmed finding, named uniquely (`taken`: names already written this run;
    the hash of the full path keeps same-basename files in different folders apart)."""
    source = _legacy_backend_prelude() + snippet.source if LEGACY_BACKEND in snippet.source else snippet.source
    if recipe.name == "training":
        script = source + _training_driver(finding, snippet, answer)
    else:
        script = source + _expression_driver(finding, snippet, answer, recipe.op_level)
    directory.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9]+", "_", Path(finding.path).stem)
    where = hashlib.sha256(str(Path(finding.path).resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:8]
    base = f"{finding.code}_{stem}_{where}_{finding.line}_{finding.col}"
    target = directory / f"{base}.py"
    count = 1
    while target in taken:
        count += 1
        target = directory / f"{base}_{count}.py"
    target.write_text(script, encoding="utf-8")
    return target


def _legacy_backend_prelude() -> str:
    """The worker's Keras 2 backend shim (K.sum, K.int_shape, ... under Keras 3), which snippet.py wraps `K` in:
    the same class, so that the reproducer computes what the worker did, without nanlint installed."""
    import inspect

    from nanlint.verify.worker import _LegacyBackend

    return (f"from types import ModuleType\nfrom typing import Any\n\n\n{inspect.getsource(_LegacyBackend)}\n\n"
            f"{LEGACY_BACKEND} = _LegacyBackend\n\n\n")


def _expression_driver(finding: Finding, snippet: Snippet, answer: dict, op_level: bool) -> str:
    witness = answer["input"]
    kind = "NaN" if "NaN" in answer["detail"] else "Inf"
    return _DRIVER.format(
        code=finding.code, path=finding.path, line=finding.line, description=witness["description"],
        dtype=witness["dtype"], phase=answer.get("phase", ""), kind=kind, entry=snippet.entry,
        rows=[witness["values"].get(p) for p in snippet.params], op_level=op_level,
        arity=[dict(snippet.arity).get(p, 0) for p in snippet.params],
        fixed=[ROLE_VALUES.get(dict(snippet.roles).get(p, "")) for p in snippet.params], numpy=snippet.numpy,
        shape=tuple(witness.get("shape") or (1, len(witness["values"][snippet.params[0]]))))


def _training_driver(finding: Finding, snippet: Snippet, answer: dict) -> str:
    condition = answer["condition"]
    arguments = ", ".join(repr(tuple(a) if isinstance(a, list) else a) for a in condition.get("build_args", []))
    entry = f"{snippet.entry}({arguments})" if snippet.kind == "model_factory" else snippet.entry
    if condition["optimizer"] == "own":
        optimizer = "keras.optimizers.deserialize(keras.optimizers.serialize(model.optimizer))"
    else:
        optimizer = f"keras.optimizers.{condition['optimizer']}(learning_rate={condition['lr']!r})"
    if condition.get("loss") is None:  # the model's compiled loss (mse where it has none)
        loss = 'model.loss if getattr(model, "compiled", False) and model.loss is not None else "mse"'
    elif condition.get("from_logits"):  # the loss the lint read, where the snippet does not compile the model
        loss = f"keras.losses.{condition['loss']}(from_logits=True)"
    else:
        loss = f"keras.losses.get({condition['loss']!r})"
    return _TRAINING_DRIVER.format(loss=loss, 
        code=finding.code, path=finding.path, line=finding.line, steps=condition["steps"], setup=condition["setup"],
        step=condition["step"], entry=entry, optimizer=optimizer, batch=condition["batch"],
        scale=float(condition["scale"]))
