# Dense network on a subset of MNIST with a hand-written softplus activation (tf.keras), after the
# question; the initializer, the regularizer and the data split are written here in the question's names.
import tensorflow as tf
from tensorflow.keras import layers, models


def my_softplus(z):
    return tf.math.softplus(tf.cast(z, tf.float32))


def my_glorot_initializer(shape, dtype=tf.float32):
    stddev = tf.sqrt(2. / (shape[0] + shape[1]))
    return tf.random.normal(shape, stddev=stddev, dtype=dtype)


def my_l1_regularizer(weights):
    return tf.reduce_sum(tf.abs(0.01 * weights))


(x_train, y_train), (x_test, y_test) = tf.keras.datasets.mnist.load_data()
x_train, y_train = x_train[:5000], y_train[:5000]
# creating a validation set
x_val, y_val = x_train[:1000], y_train[:1000]
x_tr, y_tr = x_train[1000:], y_train[1000:]

model2 = models.Sequential()
model2.add(layers.Flatten(input_shape=(28, 28)))
model2.add(layers.Dense(16, activation=my_softplus,
                        kernel_initializer=my_glorot_initializer,
                        kernel_regularizer=my_l1_regularizer,
                        ))
model2.add(layers.Dense(16, activation="relu"))
model2.add(layers.Dense(10, activation="softmax"))

model2.compile(optimizer="rmsprop", loss=tf.keras.losses.SparseCategoricalCrossentropy(),
               metrics=["accuracy"])
model2.fit(x_tr, y_tr, epochs=20, batch_size=200, validation_data=(x_val, y_val), verbose=2)
