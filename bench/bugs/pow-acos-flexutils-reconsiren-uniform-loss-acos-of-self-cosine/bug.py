import tensorflow as tf
from tensorflow.keras import layers, Model, Input
from tensorflow.keras.initializers import RandomNormal

from tensorflow_toolkit.utils import gramSchmidt


def uniform_distribution_loss(vectors):
    """
    Loss to encourage uniform distribution of pairs of vectors on a sphere.
    `vectors` is assumed to be of shape [batch_size, 3], where each row contains two 3D vectors.
    """
    batch_size = tf.shape(vectors)[0]
    batch_size_f = tf.cast(batch_size, tf.float32)

    # Compute the cosine similarity between each pair of vectors
    cosine_similarity = tf.matmul(vectors, vectors, transpose_b=True)

    # Angular distance (in radians) between vectors
    angular_distances = tf.acos(cosine_similarity)

    # Repulsion term: Use an inverse square law-like term for repulsion
    # Add a small epsilon to the angular distances to avoid division by zero
    epsilon = 1e-4
    repulsion = 1 / (angular_distances + epsilon)

    # Mask the diagonal (self-repulsion) because it's always zero and not meaningful
    mask = 1.0 - tf.eye(batch_size)
    repulsion *= mask

    # Summing up the repulsion terms and normalizing
    loss = tf.reduce_sum(repulsion) / (batch_size_f * (batch_size_f - 1.0))

    return loss


class HeadEncoder(Model):
    def __init__(self):
        super(HeadEncoder, self).__init__()

        x = Input(shape=(1024,))

        rows = layers.Dense(1024, activation="relu")(x)
        for _ in range(3):
            rows = layers.Dense(1024, activation="relu")(rows)
        rows = layers.Dense(6, activation="linear")(rows)

        shifts = layers.Dense(1024, activation="relu")(x)
        for _ in range(3):
            shifts = layers.Dense(1024, activation="relu")(shifts)
        shifts = layers.Dense(2, activation="linear", kernel_initializer=RandomNormal(stddev=0.0001))(shifts)

        self.encoder = tf.keras.Model(x, [rows, shifts], name="encoder")

    def call(self, x):
        encoded = self.encoder(x)
        return encoded


class AutoEncoder(Model):
    def __init__(self, generator, ud_lambda=0.000001, un_lambda=0.0001, n_candidates=6, **kwargs):
        super(AutoEncoder, self).__init__(**kwargs)
        self.generator = generator
        self.head_encoder = [HeadEncoder() for _ in range(n_candidates)]
        self.n_candidates = n_candidates
        self.ud_lambda = ud_lambda
        self.un_lambda = un_lambda
        self.cost = self.generator.mse
        self.rec_loss_tracker = tf.keras.metrics.Mean(name="rec_loss")

    def compile(self, e_optimizer, d_optimizer, jit_compile=False):
        super().compile(jit_compile=jit_compile)
        self.e_optimizer = e_optimizer
        self.d_optimizer = d_optimizer

    def decode_images_with_loss(self, images, encoded):
        B = tf.shape(images)[0]
        prev_loss_rec = 10000. * tf.ones(B)
        u_norm_loss = 0.0
        uniform_dist_loss = 0.0

        for idr in range(self.n_candidates):
            rows, shifts = self.head_encoder[idr](encoded)

            # Compute rotation matrix
            r = gramSchmidt(rows)

            imgs = self.generator.project(r, shifts)
            loss_rec = self.cost(images, imgs)
            loss_rec = tf.reduce_min(tf.stack([loss_rec, prev_loss_rec], axis=-1), axis=-1)

            # Unit norm constrain
            n1 = tf.reduce_sum(tf.square(rows[..., :3]), axis=-1)
            n2 = tf.reduce_sum(tf.square(rows[..., 3:]), axis=-1)
            u_norm_loss += (0.5 * (tf.reduce_mean(n1) + tf.reduce_mean(n2)))

            # Uniform distribution loss
            x = uniform_distribution_loss(r[..., -1])
            uniform_dist_loss += x

            prev_loss_rec = loss_rec

        u_norm_loss = u_norm_loss / self.n_candidates
        uniform_dist_loss = uniform_dist_loss / self.n_candidates

        loss_rec += self.ud_lambda * uniform_dist_loss + self.un_lambda * u_norm_loss
        return loss_rec

    def train_step(self, data):
        images = data[0]
        with tf.GradientTape() as tape_e:
            loss_rec_e = self.decode_images_with_loss(images, data[1])

        encoder_weights = []
        for model in self.head_encoder:
            encoder_weights += model.trainable_weights
        grads_e = tape_e.gradient(loss_rec_e, encoder_weights)
        self.e_optimizer.apply_gradients(zip(grads_e, encoder_weights))

        self.rec_loss_tracker.update_state(loss_rec_e)
        return {"rec_loss": self.rec_loss_tracker.result()}
