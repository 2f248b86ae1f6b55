from keras.models import Sequential
from keras.layers.core import Activation, Dropout, TimeDistributedDense
from keras.layers.recurrent import LSTM

model = Sequential()
model.add(LSTM(128, input_shape=(398, 40), activation='sigmoid', inner_activation='hard_sigmoid', return_sequences=True))
model.add(Activation('sigmoid'))
model.add(Dropout(0.2))
model.add(TimeDistributedDense(11))
model.add(Activation('softmax'))
model.compile(loss='categorical_crossentropy', optimizer='rmsprop')
