from keras.models import Sequential
from keras.layers import Dense, LSTM, Dropout, TimeDistributed

batch_size = 1
model = Sequential()
model.add(TimeDistributed(Dense(5), input_shape=(20, 1)))
model.add(TimeDistributed(Dense(10)))
model.add(LSTM(32))
model.add(Dropout(0.3))
model.add(Dense(5))
model.add(Dense(1))
model.compile(loss='mean_squared_error', optimizer='adam')
model.fit(trainX, trainY, nb_epoch=100, batch_size=batch_size, verbose=2)
