import tensorflow as tf


def f(x):
    # f(x) = 1/(1-exp(-x)) - 1/x for x != 0, f(0) = 0.5; near 0 use the Taylor form 0.5 + x/12
    near_zero = tf.abs(x) < 0.1
    safe_x = tf.where(near_zero, tf.ones_like(x), x)
    return tf.where(near_zero, 0.5 + x / 12, 1 / (1 - tf.exp(-safe_x)) - 1 / safe_x)


def custom_loss(y_true, y_pred):
    x = y_pred - y_true
    return tf.reduce_mean(f(x))


model = tf.keras.Sequential([
    tf.keras.layers.Dense(64, activation='relu'),
    tf.keras.layers.Dense(1),
])
model.compile(optimizer=tf.keras.optimizers.Adam(1e-3), loss=custom_loss)
