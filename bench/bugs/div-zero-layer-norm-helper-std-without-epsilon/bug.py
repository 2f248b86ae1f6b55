import tensorflow as tf


def layer_norm(input_tensor, num_variables_in_tensor=1, initial_bias_value=0.0, scope="layer_norm"):
    with tf.variable_scope(scope):
        alpha = tf.get_variable('layer_norm_alpha', [input_tensor.get_shape()[1]],
                                initializer=tf.constant_initializer(1.0))
        bias = tf.get_variable('layer_norm_bias', [input_tensor.get_shape()[1]],
                               initializer=tf.constant_initializer(initial_bias_value))
        mean, variance = moments_for_layer_norm(input_tensor, axes=[1], name="moments_" + scope)
        output = (alpha * (input_tensor - mean)) / variance + bias
        return output


def moments_for_layer_norm(x, axes=1, name=None):
    """output for mean and variance should be [batch_size]"""
    if not isinstance(axes, list):
        axes = list(axes)
    with tf.name_scope(name, "moments", [x, axes]):
        mean = tf.reduce_mean(x, axes, keep_dims=True)
        variance = tf.sqrt(tf.reduce_mean(tf.square(x - mean), axes, keep_dims=True))
        return mean, variance
