from tensorflow import keras
from tensorflow.keras.layers import Input, Conv2D, Reshape, LSTM, Dropout, Dense


def Ordonez2016DeepOriginal(inp_shape, out_shape):
    nb_filters = 64
    drp_out_dns = .5
    nb_dense = 128

    inp = Input(inp_shape)
    x = Conv2D(nb_filters, kernel_size=(5, 1), strides=(1, 1), padding='valid', activation='relu')(inp)
    x = Conv2D(nb_filters, kernel_size=(5, 1), strides=(1, 1), padding='valid', activation='relu')(x)
    x = Conv2D(nb_filters, kernel_size=(5, 1), strides=(1, 1), padding='valid', activation='relu')(x)
    x = Conv2D(nb_filters, kernel_size=(5, 1), strides=(1, 1), padding='valid', activation='relu')(x)
    x = Reshape((x.shape[1], x.shape[2] * x.shape[3]))(x)
    act = LSTM(nb_dense, return_sequences=True, activation='tanh', name="lstm_1")(x)
    act = Dropout(drp_out_dns, name="dot_1")(act)
    act = LSTM(nb_dense, activation='tanh', name="lstm_2")(act)
    act = Dropout(drp_out_dns, name="dot_2")(act)
    out_act = Dense(out_shape, activation='softmax', name="act_smx")(act)

    model = keras.models.Model(inputs=inp, outputs=out_act)
    return model


model = Ordonez2016DeepOriginal((128, 3, 1), 6)
model.compile(loss=keras.losses.CategoricalCrossentropy(from_logits=True),
              optimizer=keras.optimizers.Adam(learning_rate=0.001),
              metrics=['accuracy'])
model.fit(X_train, Y_train, batch_size=64, epochs=10)
