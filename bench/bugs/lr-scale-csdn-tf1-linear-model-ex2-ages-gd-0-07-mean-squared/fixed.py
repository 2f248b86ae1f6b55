import tensorflow as tf
import numpy as np
# 通过numpy.loadtxt()函数解析当前目录数据x.y
x_data = np.loadtxt('./ex2x.dat')
y_data = np.loadtxt('./ex2y.dat')
# 设置线性函数参数W、b
# W初始化为均匀随机数
W = tf.Variable(tf.random_uniform([1], -1.0, 1.0))
# b初始化为0
b = tf.Variable(tf.zeros([1]))
# 参数下输出为y_
y_ = W * x_data + b
# 设置损失函数
loss = tf.reduce_mean(tf.square(y_data - y_))
# 定义梯度下降优化器 设置学习率
optimizer = tf.train.GradientDescentOptimizer(0.01)
# 定义优化方法
train = optimizer.minimize(loss)

# 会话执行图
sess = tf.Session()
# 初始化变量
init = tf.global_variables_initializer()
sess.run(init)

# 执行梯度下降优化
for i in range(1500):
    sess.run(train)
    if i % 100 == 0:
        print(sess.run(W), sess.run(b))
