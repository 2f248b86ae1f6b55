from keras.models import Sequential
from keras.layers import Dense, TimeDistributed, Convolution1D, MaxPooling1D
import numpy as np

num_examples = 128
num_times = 200
num_features = 5
inputs = np.random.random((num_examples, num_times, num_features))
targets = np.random.random((num_examples, num_times // 2, num_features))
model = Sequential()

model.add(Convolution1D(input_dim=num_features, nb_filter=5, filter_length=3, activation='relu', border_mode='same'))
model.add(MaxPooling1D(pool_length=2, border_mode='valid'))
model.add(TimeDistributed(Dense(output_dim=16, activation='tanh')))
model.add(TimeDistributed(Dense(output_dim=1, activation='linear')))

model.compile(optimizer='rmsprop', loss='mse')
model.fit(x=inputs, y=targets, batch_size=32, nb_epoch=10)
