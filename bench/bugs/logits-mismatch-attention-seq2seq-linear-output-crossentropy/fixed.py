import seq2seq
from keras.models import Sequential
from keras.layers import TimeDistributed, Dense, Activation
from seq2seq.models import AttentionSeq2Seq

input_length = 20
input_dim = 100
output_length = 8
output_dim = 5000
hidden_dim = 256


def build(depth=4):
    model = Sequential()
    model.add(AttentionSeq2Seq(input_dim=input_dim, input_length=input_length, hidden_dim=hidden_dim,
                               output_length=output_length, output_dim=output_dim, depth=depth))
    model.add(TimeDistributed(Dense(output_dim)))
    model.add(Activation('softmax'))
    return model


model = build()
model.compile(loss='categorical_crossentropy', optimizer='rmsprop', metrics=['accuracy'])
model.fit(X, Y, batch_size=100, epochs=100)
