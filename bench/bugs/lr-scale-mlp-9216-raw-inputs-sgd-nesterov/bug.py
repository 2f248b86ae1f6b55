from keras.models import Sequential
from keras.layers import Dense
from keras.optimizers import SGD

X, y = load()

net1 = Sequential()
net1.add(Dense(100, input_dim=9216, init='glorot_uniform', activation='linear'))
net1.add(Dense(30, init='glorot_uniform', activation='linear'))

sgd = SGD(lr=0.01, momentum=0.9, nesterov=True)
net1.compile(loss='mean_squared_error', optimizer=sgd)
net1.fit(X, y, nb_epoch=400, batch_size=128, validation_split=0.2)
