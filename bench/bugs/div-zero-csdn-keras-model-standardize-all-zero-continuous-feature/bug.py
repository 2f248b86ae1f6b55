import tensorflow as tf
from tensorflow.keras import Model, layers


class CustomModel(Model):
    def __init__(self, vocab_size, embed_dim=8):
        super().__init__()
        self.embedding = layers.Embedding(vocab_size, embed_dim)
        self.u_fc1 = layers.Dense(64, activation='relu')
        self.u_fc2 = layers.Dense(32, activation='relu')
        self.out = layers.Dense(1)

    def call(self, inputs):
        cat_x, cont_x = inputs
        # embedding layer: discrete features embedded, continuous features standardized
        emb = tf.reshape(self.embedding(cat_x), [tf.shape(cat_x)[0], -1])
        mean, var = tf.nn.moments(cont_x, axes=[0])
        cont = (cont_x - mean) / tf.sqrt(var)
        x = tf.concat([emb, cont], axis=-1)
        x = self.u_fc1(x)
        x = self.u_fc2(x)
        return self.out(x)


def build(vocab_size):
    model = CustomModel(vocab_size)
    model.compile(optimizer='adam', loss=tf.keras.losses.BinaryCrossentropy(from_logits=True))
    return model
