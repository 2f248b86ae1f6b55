from tensorflow import keras
from tensorflow.keras import layers


class ConvnLSTMnArchitecture(object):
    """Conv1D + LSTM blocks followed by a dense classifier."""

    def __init__(self, seq_len, feat_dim, output_dim, n_conv_lstm_blocks=1):
        self._seq_len = seq_len
        self._feat_dim = feat_dim
        self._output_dim = output_dim
        self._n_conv_lstm_blocks = n_conv_lstm_blocks
        self._model = self._build_model()

    def _build_model(self):
        inputs = keras.Input(shape=(self._seq_len, self._feat_dim))
        x = inputs
        for _ in range(self._n_conv_lstm_blocks):
            x = layers.Conv1D(filters=64, kernel_size=3, activation="relu")(x)
            x = layers.Dropout(0.2)(x)
            x = layers.LSTM(128, activation="relu", return_sequences=True)(x)
            x = layers.Dropout(0.2)(x)
        x = layers.Flatten()(x)
        x = layers.Dense(128, activation="relu")(x)
        outputs = layers.Dense(self._output_dim, activation="softmax")(x)
        return keras.Model(inputs, outputs)

    @property
    def model(self):
        return self._model


model = ConvnLSTMnArchitecture(seq_len=64, feat_dim=2, output_dim=3).model
model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
model.fit(X_train, y_train, epochs=100)
