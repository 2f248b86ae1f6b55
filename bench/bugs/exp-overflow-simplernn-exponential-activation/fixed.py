import numpy as np
from tensorflow import keras

x = keras.layers.Input((6, 3))
buggy_layer = keras.layers.SimpleRNN(50, activation='tanh')
y = buggy_layer(x)
model = keras.models.Model(x, y)
out = model.predict(np.random.rand(10, 6, 3) * 10)
