import numpy as np
import tensorflow as tf

np.random.seed(1)
tf.keras.backend.set_floatx('float32')

optimizer = tf.keras.optimizers.Adam(learning_rate=1e-1)
data = np.random.uniform(-1, 1, size=(100, 2)).astype(np.float32)
data[:, 0] = 0.
x = data[:, 1:]
y = x.copy()

model = tf.keras.Sequential([
    tf.keras.layers.Dense(20, activation='tanh'),
    tf.keras.layers.Dense(1),
])


@tf.function
def train_step(x, y):
    with tf.GradientTape() as tape:
        pred = model(x)
        loss = tf.norm(pred - y) / tf.norm(y)
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss


for it in range(5000):
    loss = train_step(x, y)
