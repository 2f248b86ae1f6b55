import numpy as np
import tensorflow as tf

features = np.zeros([10, 4])
normalized = tf.math.l2_normalize(features, axis=-1)
