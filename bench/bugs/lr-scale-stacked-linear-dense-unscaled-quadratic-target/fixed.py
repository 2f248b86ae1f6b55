import numpy as np
from keras.models import Sequential
from keras.layers import Dense

x = np.arange(100)[:, np.newaxis]
f = lambda x: x ** 2 + 3
y = f(x)
x_normed = (x - x.mean()) / x.std()
y_normed = (y - y.mean()) / y.std()

km = Sequential()
km.add(Dense(1, activation=None))
km.add(Dense(1, activation=None))
km.compile('sgd', loss='mse')
km.fit(x_normed, y_normed, epochs=300)
