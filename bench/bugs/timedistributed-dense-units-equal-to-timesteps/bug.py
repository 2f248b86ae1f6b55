import numpy as np
from keras.models import Sequential
from keras.layers import LSTM, Dense, Activation, TimeDistributed

in_out_neurons = 96
X = np.zeros((2688, 96, 1))
y = np.zeros((2688, 96, 1))

model = Sequential()
model.add(LSTM(960, batch_input_shape=(2688, in_out_neurons, 1), return_sequences=True))
model.add(LSTM(480, return_sequences=True))
model.add(LSTM(180, return_sequences=True))
model.add(TimeDistributed(Dense(96, activation='relu')))
model.add(Activation("linear"))
model.compile(loss="mean_squared_error", optimizer="adam")
model.fit(X, y, batch_size=10, epochs=1, verbose=2)
