import numpy as np
from keras.models import Sequential
from keras.layers import LSTM, Dense

# shapes from the report: 118 samples of 45 steps with 2 features, one target value each
X = np.zeros((118, 45, 2))
y = np.zeros((118, 1))

model = Sequential()
model.add(LSTM(512, input_shape=(45, 2), return_sequences=True))
model.add(LSTM(512, return_sequences=True))
model.add(Dense(1))
model.compile(loss='mean_squared_error', optimizer='adam')
model.fit(X, y, epochs=10, batch_size=32)
