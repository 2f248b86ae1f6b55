import math
import numpy as np
import tensorflow as tf

x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
y = np.array([[0], [1], [1], [0]])

loss_function = tf.keras.losses.BinaryCrossentropy(from_logits=True)

for i in range(2000):
    model = tf.keras.Sequential([
        tf.keras.layers.Dense(units=1, dtype=tf.float32)])

    model.compile(optimizer='sgd', loss=loss_function)
    model.fit(x=x, y=y, epochs=1, batch_size=1, verbose=0)

    loss_result = loss_function(y, model(x))
    if math.isnan(loss_result):
        raise RuntimeError('NAN Error in iteration {}'.format(i))
