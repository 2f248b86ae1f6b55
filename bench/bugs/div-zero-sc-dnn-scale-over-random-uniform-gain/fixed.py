import tensorflow as tf


def regularizer(x):
    a = tf.abs(x)
    a_clipped = tf.clip_by_value(a, -1, +1)
    y = 2 * (a - a_clipped)
    return y


n_hidden = 128
n_inputs = 784
n_classes = 10

X = tf.placeholder(tf.float32, [None, n_inputs], name="features")
Y = tf.placeholder(tf.float32, [None, n_classes], name="labels")

weights = {
    'l1': tf.get_variable(name="w1", initializer=tf.random_normal([n_inputs, n_hidden])),
    'lo': tf.get_variable(name="wout", initializer=tf.random_normal([n_hidden, n_classes]))
}
biases = {
    'l1': tf.get_variable(name="b1", initializer=tf.random_normal([n_hidden])),
    'lo': tf.get_variable(name="bout", initializer=tf.random_normal([n_classes]))
}

l1_matmul = {
    's_inp': tf.constant(1.0, shape=[1, n_inputs]),
    'upscale': True,
    'gain': tf.get_variable(name="G_matmul_1",
                            initializer=tf.random_uniform([n_hidden], minval=0, maxval=16))
}
l1_matadd = {'upscale': True}
lo_matmul = {
    'upscale': True,
    'gain': tf.get_variable(name="G_matmul_2",
                            initializer=tf.random_uniform([n_classes], minval=0, maxval=16))
}
lo_matadd = {'upscale': True}


def sc_matmul(x, w, s_in, upscale=False, gain=None):
    max_scale = tf.reduce_max(s_in)
    rescale_ratio = tf.div(s_in, max_scale)
    x_rescaled = tf.multiply(x, rescale_ratio)

    s = tf.reduce_sum(tf.abs(w), axis=0)
    S = tf.reshape(tf.tile(s, [tf.shape(x)[0]]),
                   shape=[tf.shape(x)[0], tf.shape(w)[1]])

    y = tf.matmul(x_rescaled, w)
    z = tf.div(y, S)

    curr_scale = tf.multiply(max_scale, S)

    if upscale:
        z_upscaled = tf.multiply(z, gain)
        new_scale = tf.div(curr_scale, gain + 1e-7)
    else:
        z_upscaled = z
        new_scale = curr_scale

    out_scale = new_scale[0, :]
    max_act = tf.reduce_max(z_upscaled)
    z_clipped = tf.clip_by_value(z_upscaled, -1, +1)
    return z_clipped, max_act, out_scale


def sc_add(x, b, s_in, upscale=False):
    b_scaled = tf.div(b, s_in)
    y = tf.div(tf.add(x, b_scaled), 2)
    curr_scale = tf.multiply(s_in, 2)
    if upscale:
        z_upscaled = tf.multiply(y, 2)
        out_scale = tf.div(curr_scale, 2)
    else:
        z_upscaled = y
        out_scale = curr_scale
    max_act = tf.reduce_max(z_upscaled)
    z_clipped = tf.clip_by_value(z_upscaled, -1, +1)
    return z_clipped, max_act, out_scale


l1_m, max_l1_m, s1_m = sc_matmul(X, weights['l1'], l1_matmul['s_inp'], l1_matmul['upscale'], l1_matmul['gain'])
l1_a, max_l1_a, s1_a = sc_add(l1_m, biases['l1'], s1_m, l1_matadd['upscale'])
l2_m, max_l2_m, s2_m = sc_matmul(l1_a, weights['lo'], s1_a, lo_matmul['upscale'], lo_matmul['gain'])
l2_a, max_l2_a, s2_a = sc_add(l2_m, biases['lo'], s2_m, lo_matadd['upscale'])

sc_logits = l2_a
S2_a = tf.reshape(tf.tile(s2_a, [tf.shape(X)[0]]), shape=[tf.shape(X)[0], tf.shape(l2_a)[1]])
logits = tf.multiply(sc_logits, S2_a)

objective = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=logits, labels=Y))
reg_scale = tf.constant(0.25)
reg_loss_1 = tf.reduce_sum(regularizer(weights['l1']))
reg_loss_2 = tf.reduce_sum(regularizer(weights['lo']))
reg_loss_3 = tf.reduce_sum(regularizer(biases['l1']))
reg_loss_4 = tf.reduce_sum(regularizer(biases['lo']))
loss = objective + reg_scale * tf.reduce_sum(reg_loss_1 + reg_loss_2 + reg_loss_3 + reg_loss_4)

optimizer = tf.train.AdamOptimizer(learning_rate=0.1)
train_op = optimizer.minimize(loss)
