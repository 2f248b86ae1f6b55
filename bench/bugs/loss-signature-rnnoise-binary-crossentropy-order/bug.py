from keras import backend as K
from keras.models import Model
from keras.layers import Input, Dense, GRU


def my_crossentropy(y_true, y_pred):
    return K.mean(2*K.abs(y_true-0.5) * K.binary_crossentropy(y_pred, y_true), axis=-1)


def mymask(y_true):
    return K.minimum(y_true+1., 1.)


def msse(y_true, y_pred):
    return K.mean(mymask(y_true) * K.square(K.sqrt(y_pred) - K.sqrt(y_true)), axis=-1)


main_input = Input(shape=(None, 42), name='main_input')
tmp = Dense(24, activation='tanh', name='input_dense')(main_input)
vad_gru = GRU(24, activation='tanh', recurrent_activation='sigmoid', return_sequences=True, name='vad_gru')(tmp)
vad_output = Dense(1, activation='sigmoid', name='vad_output')(vad_gru)
denoise_gru = GRU(96, activation='relu', recurrent_activation='sigmoid', return_sequences=True, name='denoise_gru')(vad_gru)
denoise_output = Dense(22, activation='sigmoid', name='denoise_output')(denoise_gru)

model = Model(inputs=main_input, outputs=[denoise_output, vad_output])
model.compile(loss=[msse, my_crossentropy], metrics=[msse], optimizer='adam', loss_weights=[10, 0.5])
