import tensorflow as tf

_NUM_CLASSES = 10


def model():
    x = tf.placeholder(tf.float32, shape=[None, 32 * 32 * 3], name='Input')
    y = tf.placeholder(tf.float32, shape=[None, _NUM_CLASSES], name='Output')
    x_image = tf.reshape(x, [-1, 32, 32, 3], name='images')

    with tf.variable_scope('conv1') as scope:
        conv = tf.layers.conv2d(inputs=x_image, filters=32, kernel_size=[3, 3], padding='SAME', activation=tf.nn.relu)
        pool = tf.layers.max_pooling2d(conv, pool_size=[2, 2], strides=2, padding='SAME')
        drop = tf.layers.dropout(pool, rate=0.25, name=scope.name)

    with tf.variable_scope('fully_connected') as scope:
        flat = tf.reshape(drop, [-1, 16 * 16 * 32])
        fc = tf.layers.dense(inputs=flat, units=1500, activation=tf.nn.relu)
        drop = tf.layers.dropout(fc, rate=0.5)
        softmax = tf.layers.dense(inputs=drop, units=_NUM_CLASSES, activation=tf.nn.softmax, name=scope.name)

    y_pred_cls = tf.argmax(softmax, axis=1)
    return x, y, softmax, y_pred_cls


x, y, output, y_pred_cls = model()
loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(logits=output, labels=y))
optimizer = tf.train.AdamOptimizer(learning_rate=1e-3, beta1=0.9, beta2=0.999, epsilon=1e-08).minimize(loss)
