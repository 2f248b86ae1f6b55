from keras.models import Sequential
from keras.layers import Dense, LSTM
from keras.layers.wrappers import TimeDistributed
import numpy

samples = 100
timesteps = 32
inputs = 3
outputs = 1

Xt = numpy.random.random((samples, timesteps, inputs))
Yt = numpy.random.random((samples, outputs))

model = Sequential()
model.add(LSTM(output_dim=128, input_shape=(timesteps, inputs), activation='tanh', return_sequences=True))
model.add(LSTM(output_dim=128, activation='tanh', return_sequences=True))
model.add(TimeDistributed(Dense(outputs, init='uniform', activation='linear')))
model.compile(loss='mse', optimizer='rmsprop')
model.fit(Xt, Yt, nb_epoch=10, batch_size=10)
