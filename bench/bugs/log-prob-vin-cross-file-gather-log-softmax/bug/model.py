import numpy as np
import tensorflow as tf


def conv2d_flipkernel(x, k, name=None):
    return tf.nn.conv2d(x, k[::-1, ::-1], name=name, strides=(1, 1, 1, 1), padding='SAME')


def VI_Block(X, S1, S2, config):
    k = config.k
    ch_i = config.ch_i
    ch_h = config.ch_h
    ch_q = config.ch_q
    state_batch_size = config.statebatchsize

    w0 = tf.Variable(np.random.randn(3, 3, ch_i, ch_h) * 0.01, dtype=tf.float32)
    w1 = tf.Variable(np.random.randn(1, 1, ch_h, 1) * 0.01, dtype=tf.float32)
    w = tf.Variable(np.random.randn(3, 3, 1, ch_q) * 0.01, dtype=tf.float32)
    w_fb = tf.Variable(np.random.randn(3, 3, 1, ch_q) * 0.01, dtype=tf.float32)
    w_o = tf.Variable(np.random.randn(ch_q, 8) * 0.01, dtype=tf.float32)
    bias = tf.Variable(np.random.randn(1, 1, 1, ch_h) * 0.01, dtype=tf.float32)

    h = conv2d_flipkernel(X, w0, name="h0") + bias
    r = conv2d_flipkernel(h, w1, name="r")
    q = conv2d_flipkernel(r, w, name="q")
    v = tf.reduce_max(q, axis=3, keepdims=True, name="v")

    for i in range(0, k - 1):
        rv = tf.concat([r, v], 3)
        wwfb = tf.concat([w, w_fb], 2)
        q = conv2d_flipkernel(rv, wwfb, name="q")
        v = tf.reduce_max(q, axis=3, keepdims=True, name="v")

    q = conv2d_flipkernel(tf.concat([r, v], 3), tf.concat([w, w_fb], 2), name="q")
    q = tf.transpose(q, perm=[0, 3, 1, 2])

    bs = tf.shape(q)[0]
    rprn = tf.reshape(tf.tile(tf.reshape(tf.range(bs), [-1, 1]), [1, state_batch_size]), [-1])
    ins1 = tf.cast(tf.reshape(S1, [-1]), tf.int32)
    ins2 = tf.cast(tf.reshape(S2, [-1]), tf.int32)
    idx_in = tf.transpose(tf.stack([ins1, ins2, rprn]), [1, 0])
    q_out = tf.gather_nd(tf.transpose(q, [2, 3, 0, 1]), idx_in, name="q_out")

    # softmax output weights
    output = tf.nn.softmax(tf.matmul(q_out, w_o), name="output")
    return output
