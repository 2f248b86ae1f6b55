from tensorflow.python.framework import dtypes
from tensorflow.python.ops import init_ops
from tensorflow.python.ops import nn
from tensorflow.python.ops import variable_scope
from tensorflow.contrib.framework.python.ops import variables


def layer_norm(inputs, center=True, scale=True, begin_norm_axis=1, begin_params_axis=-1, scope=None):
    with variable_scope.variable_scope(scope, 'LayerNorm', [inputs]) as sc:
        inputs_shape = inputs.shape
        inputs_rank = inputs_shape.ndims
        dtype = inputs.dtype.base_dtype
        params_shape = inputs_shape[begin_params_axis:]
        beta, gamma = None, None
        if center:
            beta = variables.model_variable('beta', shape=params_shape, dtype=dtype,
                                            initializer=init_ops.zeros_initializer())
        if scale:
            gamma = variables.model_variable('gamma', shape=params_shape, dtype=dtype,
                                             initializer=init_ops.ones_initializer())
        norm_axes = list(range(begin_norm_axis, inputs_rank))
        mean, variance = nn.moments(inputs, norm_axes, keep_dims=True)
        # Compute layer normalization using the batch_normalization function.
        variance_epsilon = 1e-12
        outputs = nn.batch_normalization(inputs, mean, variance, offset=beta, scale=gamma,
                                         variance_epsilon=variance_epsilon)
        outputs.set_shape(inputs_shape)
        return outputs
