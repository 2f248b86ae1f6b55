import numpy as np
import tensorflow as tf

inputs = tf.keras.Input(shape=(8,))
outputs = tf.keras.layers.Dense(1, activation="sigmoid")(inputs)
model = tf.keras.Model(inputs, outputs)
loss_fn = tf.keras.losses.BinaryCrossentropy(from_logits=True)
model.compile(optimizer="adam", loss=loss_fn)

x = np.random.rand(16, 8)
y = np.random.randint(0, 2, size=(16, 1))
model.fit(x, y, epochs=1)
print(loss_fn(y, model.predict(x)))
