"""Keras `Masking` sentinels that let a non-finite value through.

`Masking(mask_value=v)` masks the time steps whose features all equal `v`: it multiplies their values by 0 and
hands the mask down to the loss, which Keras multiplies each step's loss by. Measured (Keras 3.15.1, TensorFlow
2.21, a Masking -> LSTM -> Dense model compiled with mse, `test_on_batch` on inputs padded with the sentinel):

- v NaN: NaN compares unequal to everything, itself included, so nothing is masked: the padded NaNs reach the
  next layers, and the output and the loss are NaN (also with no layer after the Masking).
- v finite with v² above float32's maximum (3.4e38; 1e20, or 1e19 over 4 features, where the mean of the squares
  is a sum first), under a squared-error loss, with the targets padded with the same sentinel: a masked step's
  squared error is Inf, and the mask's 0 times Inf is NaN, so the loss is NaN. With the targets padded otherwise
  (or under mae) it is finite; so is v = -999.
- v = ±Inf is masked correctly (the layer selects rather than multiplies): not reported.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import libcst as cst

from nanlint.analysis.arguments import argument
from nanlint.analysis.binder import At, Point
from nanlint.analysis.module import ModuleAnalysis
from nanlint.analysis.operations import normalize
from nanlint.analysis.numerics import FLOAT32
from nanlint.analysis.values import numeric_literal

_NAN_CONSTANTS = frozenset({"numpy.nan", "numpy.NaN", "numpy.NAN", "math.nan"})
# Casts a sentinel is written through (`float(-999)`, `np.float32(1e20)`): the value is kept.
_CASTS = frozenset({"float", "numpy.float32", "numpy.float64"})
# Keras' squared-error losses (as a string or a name): the mean of (y_pred - y_true)² over the last axis.
_SQUARED_LOSSES = frozenset({"mse", "MSE", "mean_squared_error", "MeanSquaredError"})
# Model methods given the targets (`y`, the second argument) that compute the loss on them.
_TARGET_METHODS = frozenset({"fit", "train_on_batch", "test_on_batch", "evaluate"})


@dataclass(frozen=True)
class MaskingSentinel:
    """A Masking layer's sentinel that a non-finite value passes: NaN (nothing is masked), or one whose square
    overflows float32 under a squared-error loss (0 * Inf in the masked loss)."""

    layer: cst.Call  # the Masking(...) construction
    written: cst.BaseExpression  # the sentinel as written (a name's assigned value is followed)
    value: float  # math.nan, or the finite sentinel
    loss: str = ""  # the squared-error loss, for an overflowing sentinel
    features: int = 1  # the features of a step the squared errors are summed over (1 where not known)
    # where the targets are padded with the sentinel (`y[1, 3:, :] = maskval`), None where the code does not show it
    padded_targets: cst.CSTNode | None = None

    @property
    def is_nan(self) -> bool:
        return math.isnan(self.value)


def masking_sentinels(analysis: ModuleAnalysis) -> list[MaskingSentinel]:
    """The module's Masking layers whose sentinel lets a NaN through (see the module docstring)."""
    layers = [call for call in analysis.calls if call.qualified_name is not None
              and normalize(call.qualified_name) in ("keras.layers.Masking", "keras.layers.core.Masking")]
    if not layers:
        return []
    found: list[MaskingSentinel] = []
    for call in layers:
        given = argument(call.node, 0, "mask_value")
        sentinel = _sentinel(analysis, given, call.site) if given is not None else None
        if sentinel is None:
            continue
        written, value = sentinel
        if math.isnan(value):
            found.append(MaskingSentinel(call.node, written, value))
            continue
        for model in analysis.models:
            if not any(layer.node is call.node for layer in model.layers):
                continue
            loss = model.training.loss
            features = (model.input_shape[-1] or 1) if model.input_shape else 1
            if loss is None or loss.name not in _SQUARED_LOSSES or value * value * features <= FLOAT32.max:
                continue
            found.append(MaskingSentinel(call.node, written, value, loss.name, features,
                                         _padded_targets(analysis, model.node, value)))
            break
    return found


def _sentinel(analysis: ModuleAnalysis, expr: cst.BaseExpression, at: Point
              ) -> tuple[cst.BaseExpression, float] | None:
    """(the expression written, its value) for a numeric literal or NaN constant, through names and casts."""
    for _ in range(6):
        expr, at = analysis.binder.follow(expr, at)
        value = numeric_literal(expr)
        if value is not None:
            return expr, value
        written = expr.func if isinstance(expr, cst.Call) else expr
        qualified = analysis.qualified_name(written)
        name = normalize(qualified) if qualified is not None else written.value if isinstance(written, cst.Name) else ""
        if name in _NAN_CONSTANTS:
            return expr, math.nan
        if not isinstance(expr, cst.Call) or len(expr.args) != 1 or name not in _CASTS:
            return None
        inner = expr.args[0].value
        if isinstance(inner, cst.SimpleString) and str(inner.evaluated_value).strip().lower() == "nan":
            return expr, math.nan
        expr = inner
    return None


def _padded_targets(analysis: ModuleAnalysis, model: cst.CSTNode, value: float) -> cst.CSTNode | None:
    """Where the targets given to the model (`fit(x, y)`, `test_on_batch(x, y)`, ...) are written with `value`:
    an entry assignment `y[i, t:] = sentinel`, or `pad_sequences(..., value=sentinel)` bound to them."""
    for call in analysis.calls:
        func = call.node.func
        if not isinstance(func, cst.Attribute) or func.attr.value not in _TARGET_METHODS:
            continue
        given = analysis.picture.model_of(func.value, call.site.scope, call.site.seq)
        targets = argument(call.node, 1, "y")
        if given is None or given.node is not model or not isinstance(targets, cst.Name):
            continue
        binding = analysis.binder.resolve(targets.value, call.site)
        if binding is None:
            continue
        for statement in analysis.guards.entry_assignments(binding.scope.node).get(targets.value, ()):
            written = _sentinel(analysis, statement.value, At(binding.scope))
            if written is not None and written[1] == value:
                return statement
        bound = binding.expression
        padding = argument(bound, None, "value") if isinstance(bound, cst.Call) and \
            (analysis.qualified_name(bound.func) or "").endswith("pad_sequences") else None
        written = _sentinel(analysis, padding, binding.at) if padding is not None else None
        if written is not None and written[1] == value:
            return bound
    return None
