import tensorflow as tf
from model import VI_Block

config = tf.app.flags.FLAGS

X = tf.placeholder(tf.float32, name="X", shape=[None, config.imsize, config.imsize, config.ch_i])
S1 = tf.placeholder(tf.int32, name="S1", shape=[None, config.statebatchsize])
S2 = tf.placeholder(tf.int32, name="S2", shape=[None, config.statebatchsize])
y = tf.placeholder(tf.int32, name="y", shape=[None])

nn = VI_Block(X, S1, S2, config)

# Define loss and optimizer
dim = tf.shape(y)[0]
cost_idx = tf.concat([tf.reshape(tf.range(dim), [dim, 1]), tf.reshape(y, [dim, 1])], 1)
cost = -tf.reduce_mean(tf.gather_nd(tf.log(nn), [cost_idx]))
optimizer = tf.train.RMSPropOptimizer(learning_rate=config.lr, epsilon=1e-6, centered=True).minimize(cost)

cp = tf.cast(tf.argmax(nn, 1), tf.int32)
err = tf.reduce_mean(tf.cast(tf.not_equal(cp, y), dtype=tf.float32))
