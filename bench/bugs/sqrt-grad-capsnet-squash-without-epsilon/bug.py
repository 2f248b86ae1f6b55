import tensorflow as tf


def squash(s, axis=-1, epsilon=1e-7, name=None):
    with tf.name_scope(name, default_name="squash"):
        squared_norm = tf.reduce_sum(tf.square(s), axis=axis, keep_dims=True)
        safe_norm = tf.sqrt(squared_norm)
        squash_factor = safe_norm / (1. + squared_norm)
        unit_vector = s
        return squash_factor * unit_vector


caps1_n_maps = 32
caps1_n_caps = caps1_n_maps * 6 * 6
caps1_n_dims = 8
X = tf.placeholder(shape=[None, 28, 28, 1], dtype=tf.float32, name="X")
conv1 = tf.layers.conv2d(X, filters=256, kernel_size=9, strides=1, padding="valid", activation=tf.nn.relu)
conv2 = tf.layers.conv2d(conv1, filters=caps1_n_maps * caps1_n_dims, kernel_size=9, strides=2,
                         padding="valid", activation=tf.nn.relu)
caps1_raw = tf.reshape(conv2, [-1, caps1_n_caps, caps1_n_dims], name="caps1_raw")
caps1_output = squash(caps1_raw, name="caps1_output")
