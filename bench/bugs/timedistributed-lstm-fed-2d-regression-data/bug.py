from sklearn.datasets import make_regression
from keras.models import Sequential
from keras.layers import Dense, LSTM

X, Y = make_regression(100, 9, 9, 2)

model = Sequential()
model.add(LSTM(32, input_dim=9))
model.add(Dense(2))
model.compile(loss='mean_squared_error', optimizer='adam')
model.fit(X, Y, nb_epoch=1, batch_size=32)
