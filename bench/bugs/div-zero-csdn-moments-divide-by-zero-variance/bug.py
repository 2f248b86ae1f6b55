import numpy as np
import tensorflow as tf

# 初始化全0 Tensor
tensor = tf.constant(np.zeros(shape=(5, 3)), dtype='float32')
# 获取方差均值
mean, variance = tf.nn.moments(x=tensor, axes=[1])
# -Mean
tensor -= tf.expand_dims(mean, axis=1)
# /Std
tensor /= tf.expand_dims(variance, axis=1)
print(tensor)
