from keras.layers import Input, LSTM, Dense
from keras.models import Model
from keras.constraints import maxnorm

constraint = maxnorm(0.5, axis=0)

ipt = Input(batch_shape=(32, 672, 16))
x = LSTM(512, activation='relu', return_sequences=True, recurrent_dropout=0.3,
         kernel_constraint=constraint, recurrent_constraint=constraint)(ipt)
x = LSTM(512, activation='relu', return_sequences=False, recurrent_dropout=0.3,
         kernel_constraint=constraint, recurrent_constraint=constraint)(x)
out = Dense(1, activation='sigmoid')(x)

model = Model(ipt, out)
model.compile('nadam', 'binary_crossentropy')
for i in range(17):
    model.train_on_batch(X[i], Y[i])
