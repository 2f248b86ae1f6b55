from keras.models import Sequential
from keras.layers import Masking, LSTM, Dropout, RepeatVector, TimeDistributed, Dense, Activation
from keras.optimizers import Adam

HIDDEN_SIZE = 128
UNIT = LSTM

_, xmax_timestamp, x_feature = x_train.shape
_, ymax_timestamp, y_feature = y_train.shape
model = Sequential()
model.add(Masking(input_shape=(xmax_timestamp, x_feature)))
model.add(UNIT(HIDDEN_SIZE, activation='tanh'))
model.add(Dropout(0.2))
model.add(RepeatVector(ymax_timestamp))
model.add(TimeDistributed(Dense(y_feature)))
model.add(Activation('softmax'))
model.compile(loss='categorical_crossentropy', optimizer=Adam(clipnorm=1.0), sample_weight_mode="temporal")
model.fit(x_train, y_train, sample_weight=m_train)
