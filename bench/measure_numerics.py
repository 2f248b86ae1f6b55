"""Re-measure every number of nanlint/analysis/numerics.py with TensorFlow (CPU) and NumPy.

    python bench/measure_numerics.py            # print the table beside what was measured, mark the differences
    python bench/measure_numerics.py --check    # exit 1 when a number of the table is not what was measured

Each point: the operation applied, in the point's dtype, to the grid 0, ±step, ±2·step, ... outwards on the event's
side (up to 1000); the measured point is the first grid input from which the event holds at every grid input beyond
(to 1000), and, where the kernel is not monotone, the first grid input where it holds at all. Each domain entry: the op and its gradient
(tf.GradientTape, d/dx of the sum) evaluated in float32 at the entry's input, classified finite/+Inf/-Inf/NaN.
Each float type's limits: `1 + half_ulp == 1` and `1 + 1.01 * half_ulp != 1`; 1.01 * `smallest` survives a
multiplication by 1 in the dtype and 0.49 * `smallest` is 0; `max` is finite.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from nanlint.analysis import numerics  # noqa: E402
from nanlint.analysis.numerics import Event, Outcome  # noqa: E402

_TF = {"float16": tf.float16, "bfloat16": tf.bfloat16, "float32": tf.float32, "float64": tf.float64}
_NP = {"numpy.float32": np.float32, "numpy.float64": np.float64}
_LIMIT = 1000.0


def _tf_softmax_entry(gap: tf.Tensor) -> tf.Tensor:
    logits = tf.stack([tf.zeros_like(gap), -gap], axis=-1)
    return tf.nn.softmax(logits, axis=-1)[..., 1]


# The event's predicate on the op's output, per library.
_TF_OPS = {
    Event.EXP_INF: (tf.math.exp, lambda y: tf.math.is_inf(y)),
    Event.EXP_ZERO: (tf.math.exp, lambda y: tf.equal(y, 0)),
    Event.EXPM1_INF: (tf.math.expm1, lambda y: tf.math.is_inf(y)),
    Event.EXPM1_MINUS_ONE: (tf.math.expm1, lambda y: tf.equal(y, -1)),
    Event.SINH_INF: (tf.math.sinh, lambda y: tf.math.is_inf(y)),
    Event.COSH_INF: (tf.math.cosh, lambda y: tf.math.is_inf(y)),
    Event.SOFTPLUS_ZERO: (tf.math.softplus, lambda y: tf.equal(y, 0)),
    Event.LOG_SIGMOID_ZERO: (tf.math.log_sigmoid, lambda y: tf.equal(y, 0)),
    Event.SIGMOID_ZERO: (tf.math.sigmoid, lambda y: tf.equal(y, 0)),
    Event.SIGMOID_ONE: (tf.math.sigmoid, lambda y: tf.equal(y, 1)),
    Event.TANH_ONE: (tf.math.tanh, lambda y: tf.equal(y, 1)),
    Event.SOFTMAX_ZERO: (_tf_softmax_entry, lambda y: tf.equal(y, 0)),
}


def _np_softmax_entry(gap: np.ndarray) -> np.ndarray:
    return np.exp(-gap) / (1 + np.exp(-gap))


_NP_OPS = {
    Event.EXP_INF: (np.exp, np.isinf),
    Event.EXP_ZERO: (np.exp, lambda y: y == 0),
    Event.TANH_ONE: (np.tanh, lambda y: y == 1),
    Event.SOFTMAX_ZERO: (_np_softmax_entry, lambda y: y == 0),
}


def _grid(point: numerics.Point) -> np.ndarray:
    count = int(round(_LIMIT / point.step)) + 1
    direction = 1 if point.event.symmetric else point.event.side
    return direction * np.arange(count, dtype=np.float64) * point.step


def _holds(point: numerics.Point, xs: np.ndarray) -> np.ndarray:
    if point.dtype in _TF:
        op, predicate = _TF_OPS[point.event]
        with np.errstate(all="ignore"):
            return predicate(op(tf.constant(xs, dtype=_TF[point.dtype]))).numpy()
    op, predicate = _NP_OPS[point.event]
    with np.errstate(all="ignore"):
        return predicate(op(xs.astype(_NP[point.dtype])))


def measure_point(point: numerics.Point) -> tuple[float, float | None] | str:
    """(the first grid input from which the event holds at every input beyond, the first grid input where it
    holds at all when that is before); a string when it does not hold at the end of the scan."""
    xs = _grid(point)
    holds = _holds(point, xs)
    if not holds[-1]:
        return f"does not hold at {xs[-1]:g}"
    after = int(len(holds) - np.argmin(holds[::-1])) if not holds.all() else 0
    first = int(np.argmax(holds))

    def on_grid(index: int) -> float:
        return float(round(xs[index] / point.step) * point.step)

    return on_grid(after), (on_grid(first) if first < after else None)


_DOMAIN_OPS = {
    "log": tf.math.log, "log1p": tf.math.log1p, "sqrt": tf.math.sqrt, "rsqrt": tf.math.rsqrt,
    "reciprocal": tf.math.reciprocal, "pow(x, 0.5)": lambda x: tf.pow(x, 0.5), "acos": tf.math.acos,
    "asin": tf.math.asin, "atanh": tf.math.atanh, "erfinv": tf.math.erfinv, "lgamma": tf.math.lgamma,
    "digamma": tf.math.digamma,
}


def _classify(value: float) -> Outcome:
    if np.isnan(value):
        return Outcome.NAN
    if np.isinf(value):
        return Outcome.INF if value > 0 else Outcome.MINUS_INF
    return Outcome.FINITE


def measure_domain(entry: numerics.Domain) -> tuple[Outcome, Outcome]:
    x = tf.constant([entry.x], dtype=tf.float32)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = _DOMAIN_OPS[entry.op](x)
        total = tf.reduce_sum(y)
    gradient = tape.gradient(total, x)
    return _classify(float(y.numpy()[0])), _classify(float(gradient.numpy()[0]))


def measure_limits(limits: numerics.Float) -> list[str]:
    """What of the float type's limits does not hold, as text (empty: all hold)."""
    wrong = []
    if limits.key in _TF:
        dtype = _TF[limits.key]

        def value(x: float) -> float:
            return float(tf.cast(tf.constant(x, tf.float64), dtype) * tf.constant(1.0, dtype))
    else:
        kind = _NP[limits.key]

        def value(x: float) -> float:
            with np.errstate(all="ignore"):
                return float(kind(x) * kind(1.0))

    def add(eps: float) -> float:
        if limits.key in _TF:
            return float(tf.constant(1.0, _TF[limits.key]) + tf.cast(tf.constant(eps, tf.float64), _TF[limits.key]))
        return float(_NP[limits.key](1.0) + _NP[limits.key](eps))

    if add(limits.half_ulp_at_one) != 1.0:
        wrong.append(f"1 + {limits.half_ulp_at_one:g} != 1")
    if add(limits.half_ulp_at_one * 1.01) == 1.0:
        wrong.append(f"1 + 1.01 * {limits.half_ulp_at_one:g} == 1")
    if value(limits.smallest * 1.01) == 0.0:
        wrong.append(f"1.01 * {limits.smallest:g} is 0")
    if value(limits.smallest * 0.49) != 0.0:
        wrong.append(f"0.49 * {limits.smallest:g} survives")
    if not np.isfinite(value(limits.max)):
        wrong.append(f"{limits.max:g} is not finite")
    return wrong


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when the table is not what was measured")
    options = parser.parse_args()
    differences = 0
    for point in numerics.POINTS.values():
        measured = measure_point(point)
        same = not isinstance(measured, str) and abs(measured[0] - point.at) < point.step / 2 and (
            (measured[1] is None and point.first is None) or (
                measured[1] is not None and point.first is not None and abs(measured[1] - point.first) < point.step / 2))
        differences += not same
        if not options.check or not same:
            shown = measured if isinstance(measured, str) else f"{measured[0]:g}" + (
                f" (first at {measured[1]:g})" if measured[1] is not None else "")
            table = f"{point.at:g}" + (f" (first at {point.first:g})" if point.first is not None else "")
            print(f"{'  ' if same else '! '}{point.event.name:18} {point.dtype:14} table {table:<24} "
                  f"measured {shown} (step {point.step:g})")
    for entry in numerics.DOMAINS:
        value, gradient = measure_domain(entry)
        same = (value, gradient) == (entry.value, entry.gradient)
        differences += not same
        if not options.check or not same:
            print(f"{'  ' if same else '! '}{entry.op:12} at {entry.x:<5g} table value {entry.value.value:6} "
                  f"gradient {entry.gradient.value:6} measured value {value.value:6} gradient {gradient.value}")
    for limits in numerics.LIMITS:
        wrong = measure_limits(limits)
        differences += bool(wrong)
        if not options.check or wrong:
            print(f"{'! ' if wrong else '  '}{limits.key:14} limits {'; '.join(wrong) or 'hold'}")
    print(f"{differences} difference(s)")
    return 1 if options.check and differences else 0


if __name__ == "__main__":
    sys.exit(main())
