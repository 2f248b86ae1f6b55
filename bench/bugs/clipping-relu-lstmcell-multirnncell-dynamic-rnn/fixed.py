import tensorflow as tf
from tensorflow.nn.rnn_cell import LSTMCell, MultiRNNCell


def encode(embedding_layer, features):
    # the default LSTM activation (tanh) keeps h and c in (-1, 1)
    lstm_activation = tf.nn.tanh

    cells_fw = [LSTMCell(num_units=100, activation=lstm_activation),
                LSTMCell(num_units=10, activation=lstm_activation)]

    stacked_cells_fw = MultiRNNCell(cells_fw)

    _, states = tf.nn.dynamic_rnn(cell=stacked_cells_fw,
                                  inputs=embedding_layer,
                                  sequence_length=features['length'],
                                  dtype=tf.float32)

    output_states = [s.h for s in states]
    states = tf.concat(output_states, 1)
    return states
