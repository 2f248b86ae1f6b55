import tensorflow as tf

tensor1, tensor2 = tf.constant(1.0), tf.constant(1.0)
tensor3, tensor4 = tf.constant(2.0), tf.constant(2.0)
tensor_list = [tensor1 - tensor2, tensor3 - tensor4]
loss = tf.square(tf.global_norm(tensor_list))

grad = tf.gradients(loss, tensor1)[0]
with tf.Session() as sess:
    print(grad.eval())
