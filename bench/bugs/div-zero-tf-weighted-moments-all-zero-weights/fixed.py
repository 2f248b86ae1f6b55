"""Primitive Neural Net (NN) Operations: weighted moments."""

from tensorflow.python.framework import dtypes
from tensorflow.python.framework import ops
from tensorflow.python.ops import array_ops
from tensorflow.python.ops import math_ops
from tensorflow.python.util.tf_export import tf_export


@tf_export(v1=["nn.weighted_moments"])
def weighted_moments(x, axes, frequency_weights, name=None, keep_dims=None, keepdims=None):
    """Returns the frequency-weighted mean and variance of `x`."""
    if keepdims is None:
        keepdims = bool(keep_dims)
    with ops.name_scope(name, "weighted_moments", [x, frequency_weights, axes]):
        x = ops.convert_to_tensor(x, name="x")
        frequency_weights = ops.convert_to_tensor(frequency_weights, name="frequency_weights")

        # Unlike moments(), this just uses a simpler two-pass method.

        # See comment in moments() WRT precision; it applies here too.
        needs_cast = x.dtype == dtypes.float16
        if needs_cast:
            x = math_ops.cast(x, dtypes.float32)

        if frequency_weights.dtype != x.dtype:
            frequency_weights = math_ops.cast(frequency_weights, x.dtype)

        # Note that we use keep_dims=True for our reductions regardless of the arg;
        # this is so that the results remain broadcast-compatible with the inputs.
        weighted_input_sum = math_ops.reduce_sum(
            frequency_weights * x, axes, name="weighted_input_sum", keepdims=True)

        # The shape of the weights isn't necessarily the same as x's
        # shape, just broadcast-compatible with it -- so this expression
        # performs broadcasting to give a per-item weight, with the same
        # shape as (frequency_weights * x).
        broadcasted_weights = frequency_weights + array_ops.zeros_like(x)

        sum_of_weights = math_ops.reduce_sum(
            broadcasted_weights, axes, name="sum_of_weights", keepdims=True)

        weighted_mean = math_ops.div_no_nan(weighted_input_sum, sum_of_weights)

        # Have the weighted mean; now on to variance:
        weighted_distsq = math_ops.reduce_sum(
            frequency_weights * math_ops.squared_difference(x, weighted_mean),
            axes,
            name="weighted_distsq",
            keepdims=True)

        weighted_variance = math_ops.div_no_nan(weighted_distsq, sum_of_weights)

        if not keepdims:
            weighted_mean = array_ops.squeeze(weighted_mean, axis=axes)
            weighted_variance = array_ops.squeeze(weighted_variance, axis=axes)

        if needs_cast:
            weighted_mean = math_ops.cast(weighted_mean, dtypes.float16)
            weighted_variance = math_ops.cast(weighted_variance, dtypes.float16)

        return weighted_mean, weighted_variance
