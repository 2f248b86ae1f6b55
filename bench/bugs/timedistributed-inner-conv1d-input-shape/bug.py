from keras.models import Sequential
from keras.layers import TimeDistributed, Convolution1D, Flatten, LSTM, Dense

num_of_blocks = 4
num_hidden_dimensions = 1024

model = Sequential()
model.add(TimeDistributed(Convolution1D(nb_filter=32, filter_length=3, border_mode='same', activation='relu', subsample_length=1, input_shape=(num_of_blocks, 1, num_hidden_dimensions))))
model.add(TimeDistributed(Flatten()))
model.add(LSTM(64))
model.add(Dense(1, activation='sigmoid'))
model.compile(loss='binary_crossentropy', optimizer='adam')
