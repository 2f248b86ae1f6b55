# Siamese LSTM trained to output the angular distance between two string encodings
# (tf.keras), after the question; the string-to-int encoding and the fit call are written here.
import math

import numpy as np
import tensorflow as tf


def encode(strings, length=20):
    """unicode code points of each string, zero-padded, shape (n, length, 1)"""
    out = np.zeros((len(strings), length, 1), dtype='float32')
    for i, s in enumerate(strings):
        codes = [ord(c) for c in s[:length]]
        out[i, :len(codes), 0] = codes
    return out


# inputs are unicode encoded int arrays from strings
# similar strings should yield a low angular distance
left_input = tf.keras.layers.Input(shape=[None, 1], dtype='float32')
right_input = tf.keras.layers.Input(shape=[None, 1], dtype='float32')
lstm = tf.keras.layers.LSTM(10)
left_embedding = lstm(left_input)
right_embedding = lstm(right_input)
# cosine_layer is the operation to get the cosine similarity
cosine_layer = tf.keras.layers.Dot(axes=1, normalize=True)
cosine_similarity = cosine_layer([left_embedding, right_embedding])
# next two lines calculate the angular distance (with inversed labels)
arccos = tf.math.acos(cosine_similarity)
angular_distance = arccos / math.pi
model = tf.keras.Model([left_input, right_input], [angular_distance])
model.compile(loss='binary_crossentropy', optimizer='sgd')

left = encode(['hello world', 'tensorflow', 'keras', 'siamese'])
right = encode(['hello world', 'tensorfl0w', 'pytorch', 'lstm'])
labels = np.array([[0.], [0.], [1.], [1.]], dtype='float32')  # 0: similar (low distance)
model.fit([left, right], labels, epochs=10)
