import tensorflow as tf
from tensorflow.keras import layers


class RAFT(tf.keras.Model):
    def __init__(self, iters=12, **kwargs):
        super().__init__(**kwargs)
        self.iters = iters
        self.fnet = layers.Conv2D(128, 7, strides=8, padding='same')
        self.update_gru = layers.ConvLSTM2D(128, 3, padding='same', return_sequences=False)
        self.flow_head = layers.Conv2D(2, 3, padding='same')

    def call(self, inputs, training):
        image1, image2 = inputs
        image1 = 2 * (image1 / 255.0) - 1.0
        image2 = 2 * (image2 / 255.0) - 1.0
        fmap = self.fnet(tf.concat([image1, image2], axis=-1))
        flow = tf.zeros_like(fmap[..., :2])
        flow_predictions = []
        for i in range(self.iters):
            net = self.update_gru(tf.expand_dims(tf.concat([fmap, flow], axis=-1), 1))
            flow = flow + self.flow_head(net)
            flow_predictions.append(flow)
        return flow_predictions

    def compile(self, optimizer, loss, **kwargs):
        super().compile(**kwargs)
        self.optimizer = optimizer
        self.loss = loss

    def train_step(self, data):
        image1, image2, flow, valid = data
        image1 = tf.cast(image1, dtype=tf.float32)
        image2 = tf.cast(image2, dtype=tf.float32)

        with tf.GradientTape() as tape:
            flow_predictions = self([image1, image2], training=True)
            loss = self.loss([flow, valid], flow_predictions)
        grads = tape.gradient(loss, self.trainable_weights)
        self.optimizer.apply_gradients(zip(grads, self.trainable_weights))
        return {'loss': loss}
