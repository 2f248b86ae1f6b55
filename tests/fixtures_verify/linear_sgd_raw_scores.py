from keras.models import Sequential
from keras.layers import Dense
from keras.optimizers import SGD
import numpy as np

x_data = np.array([[73., 80., 75.], [93., 88., 93.], [89., 91., 90.], [96., 98., 100.], [73., 66., 70.]])
y_data = np.array([[152.], [185.], [180.], [196.], [142.]])

model = Sequential()
model.add(Dense(input_dim=3, units=1))

sgd = SGD(lr=0.1)
model.compile(loss='mse', optimizer=sgd)
model.fit(x_data, y_data, epochs=1000)
