import tensorflow as tf


def triplet_loss(anchor, positive, negative, margin=1.0):
    pos_dist = tf.norm(anchor - positive, axis=-1)
    neg_dist = tf.norm(anchor - negative, axis=-1)
    return tf.reduce_mean(tf.maximum(pos_dist - neg_dist + margin, 0.0))


def train_step(encoder, optimizer, anchors, positives, negatives):
    with tf.GradientTape() as tape:
        loss = triplet_loss(encoder(anchors), encoder(positives), encoder(negatives))
    grads = tape.gradient(loss, encoder.trainable_variables)
    optimizer.apply_gradients(zip(grads, encoder.trainable_variables))
    return loss
