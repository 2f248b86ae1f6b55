import numpy as np
import tensorflow as tf

features = np.zeros([10, 4])
normalized, norm = tf.linalg.normalize(features, ord=1, axis=-1)
