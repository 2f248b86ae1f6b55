"""Standalone reproducers: the extracted snippet plus the witness input, runnable with plain TensorFlow."""

from __future__ import annotations

import re
from pathlib import Path

from nanlint.finding import Finding
from nanlint.verify.snippet import Snippet

_DRIVER = '''

# --- reproducer written by `nanlint verify`: {code} at {path}:{line} ---
# Witness: {description} ({dtype}); expected: {phase} {kind} at the flagged expression.
import tensorflow as tf

RECORDS = []  # (role, value, gradient) for the flagged expression ("out") and its operands ("in")


def _probe(role):
    def wrap(value):
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


if __name__ == "__main__":
    entry = {entry}
    call = entry() if isinstance(entry, type) else entry
    inputs = [tf.constant([row], dtype=tf.{dtype}) for row in {rows!r}]
    with tf.GradientTape() as tape:
        for tensor in inputs:
            tape.watch(tensor)
        output = call(*inputs)
        total = tf.reduce_sum(tf.cast(output, tf.{dtype}))
    gradients = tape.gradient(total, inputs)
    print("output:", output.numpy())
    print("gradients:", [None if g is None else g.numpy() for g in gradients])
    flagged = [r for r in RECORDS if r["role"] == "out"]
    operands = [r for r in RECORDS if r["role"] == "in"]
    for r in flagged:
        print("flagged expression value:", r["value"].numpy())
    for r in operands:
        gradient = None if r["gradient"] is None else r["gradient"].numpy()
        print("operand:", r["value"].numpy(), "gradient sent back to it:", gradient)
    if flagged and {op_level}:
        forward_bad = any(not _finite(r["value"]) for r in flagged)
        gradient_bad = any(not _finite(r["gradient"]) for r in operands)
    else:
        forward_bad, gradient_bad = not _finite(output), any(not _finite(g) for g in gradients)
    if forward_bad:
        print("NON-FINITE forward (NaN/Inf) reproduced")
    elif gradient_bad:
        print("NON-FINITE gradient (NaN/Inf) reproduced")
    else:
        print("finite: not reproduced with this TensorFlow")
'''


def write_reproducer(directory: Path, finding: Finding, snippet: Snippet, answer: dict, op_level: bool) -> Path:
    """`op_level`: judge the flagged expression alone, as the recipe did; else the function's output."""
    witness = answer["input"]
    kind = "NaN" if "NaN" in answer["detail"] else "Inf"
    script = snippet.source + _DRIVER.format(
        code=finding.code, path=finding.path, line=finding.line, description=witness["description"],
        dtype=witness["dtype"], phase=answer.get("phase", ""), kind=kind, entry=snippet.entry,
        rows=[witness["values"][p] for p in snippet.params], op_level=op_level)
    directory.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9]+", "_", Path(finding.path).stem)
    target = directory / f"{finding.code}_{stem}_{finding.line}_{finding.col}.py"
    target.write_text(script, encoding="utf-8")
    return target
