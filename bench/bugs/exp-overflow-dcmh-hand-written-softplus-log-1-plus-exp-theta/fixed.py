import os
import numpy as np
import tensorflow as tf
import pickle

from load_data import loading_data
from net_structure_img import img_net_strucuture
from net_structure_txt import txt_net_strucuture

# data parameters
DATA_DIR = 'data/FLICKR-25K.mat'
TRAINING_SIZE = 10000
QUERY_SIZE = 2000
DATABASE_SIZE = 18015

# hyper-parameters
MAX_ITER = 500
gamma = 1
eta = 1
bit = 64


def train_img_net(image_input, cur_f_batch, var, ph, train_x, train_L, lr, train_step_x, mean_pixel_, Sim):
	F = var['F']
	batch_size = var['batch_size']
	num_train = train_x.shape[0]
	for iter in range(num_train // batch_size):
		index = np.random.permutation(num_train)
		ind = index[0: batch_size]
		unupdated_ind = np.setdiff1d(range(num_train), ind)
		sample_L = train_L[ind, :]
		image = train_x[ind, :, :, :].astype(np.float64)
		image = image - mean_pixel_.astype(np.float64)

		S = calc_neighbor(sample_L, train_L)
		cur_f = cur_f_batch.eval(feed_dict={image_input: image})
		F[:, ind] = cur_f

		train_step_x.run(feed_dict={ph['S_x']: S, ph['G']: var['G'], ph['b_batch']: var['B'][:, ind],
									ph['F_']: F[:, unupdated_ind], ph['lr']: lr, image_input: image})

	return F


def train_txt_net(text_input, cur_g_batch, var, ph, train_y, train_L, lr, train_step_y, Sim):
	G = var['G']
	batch_size = var['batch_size']
	num_train = train_y.shape[0]
	for iter in range(num_train // batch_size):
		index = np.random.permutation(num_train)
		ind = index[0: batch_size]
		unupdated_ind = np.setdiff1d(range(num_train), ind)
		sample_L = train_L[ind, :]
		text = train_y[ind, :].astype(np.float32)
		text = text.reshape([text.shape[0],1,text.shape[1],1])
		S = calc_neighbor(train_L, sample_L)
		cur_g = cur_g_batch.eval(feed_dict={text_input: text})
		G[:, ind] = cur_g

		train_step_y.run(feed_dict={ph['S_y']: S, ph['F']: var['F'], ph['b_batch']: var['B'][:, ind],
									ph['G_']: G[:, unupdated_ind], ph['lr']: lr, text_input: text})
	return G


def calc_neighbor(label_1, label_2):
	Sim = (np.dot(label_1, label_2.transpose()) > 0).astype(int)
	return Sim


def calc_loss(B, F, G, Sim, gamma, eta):
	theta = np.matmul(np.transpose(F), G) / 2
	term1 = np.sum(np.log(1+np.exp(-np.abs(theta))) + np.maximum(0, theta) - Sim * theta)
	term2 = np.sum(np.power((B-F), 2) + np.power(B-G,2))
	term3 = np.sum(np.power(np.matmul(F, np.ones((F.shape[1],1))),2)) + np.sum(np.power(np.matmul(G, np.ones((F.shape[1],1))),2))
	loss = term1 + gamma * term2 + eta * term3
	return loss


if __name__ == '__main__':
	images, tags, labels = loading_data(DATA_DIR)
	ydim = tags.shape[1]

	train_x = images[QUERY_SIZE:TRAINING_SIZE + QUERY_SIZE,:,:,:]
	train_y = tags[QUERY_SIZE:TRAINING_SIZE + QUERY_SIZE,:]
	train_L = labels[QUERY_SIZE:TRAINING_SIZE + QUERY_SIZE,:]
	batch_size = 128
	with tf.Graph().as_default(), tf.Session() as sess:
		# construct image network
		image_input = tf.placeholder(tf.float32, (None,) + (224, 224, 3))
		net, _meanpix = img_net_strucuture(image_input, bit)
		mean_pixel_ = np.repeat(_meanpix[:, :, :, np.newaxis], batch_size, axis=3).transpose(3,0,1,2)
		cur_f_batch = tf.transpose(net['fc8'])
		# construct text network
		text_input = tf.placeholder(tf.float32, (None,) + (1, ydim, 1))
		cur_g_batch = txt_net_strucuture(text_input, ydim, bit)

		num_train = train_x.shape[0]
		Sim = calc_neighbor(train_L, train_L)

		var = {}
		lr = np.linspace(np.power(10, -1.5), np.power(10, -6.), MAX_ITER)

		var['lr'] = lr
		var['batch_size'] = batch_size

		var['F'] = np.random.randn(bit, num_train)
		var['G'] = np.random.randn(bit, num_train)
		var['B'] = np.sign(var['F']+var['G'])

		unupdated_size = num_train - batch_size
		var['unupdated_size'] = unupdated_size

		ph = {}
		ph['lr'] = tf.placeholder('float32', (), name='lr')
		ph['S_x'] = tf.placeholder('float32', [batch_size, num_train], name='pS_x')
		ph['S_y'] = tf.placeholder('float32', [num_train, batch_size], name='pS_y')
		ph['F'] = tf.placeholder('float32', [bit, num_train], name='pF')
		ph['G'] = tf.placeholder('float32', [bit, num_train], name='pG')
		ph['F_'] = tf.placeholder('float32', [bit, unupdated_size], name='unupdated_F')
		ph['G_'] = tf.placeholder('float32', [bit, unupdated_size], name='unupdated_G')
		ph['b_batch'] = tf.placeholder('float32', [bit, batch_size], name='b_batch')
		ph['ones_'] = tf.constant(np.ones([unupdated_size, 1], 'float32'))
		ph['ones_batch'] = tf.constant(np.ones([batch_size, 1], 'float32'))

		theta_x = 1.0 / 2 * tf.matmul(tf.transpose(cur_f_batch), ph['G'])
		theta_y = 1.0 / 2 * tf.matmul(tf.transpose(ph['F']), cur_g_batch)

		logloss_x = -tf.reduce_sum(tf.multiply(ph['S_x'], theta_x) - (tf.log(1.0 + tf.exp(-tf.abs(theta_x))) + tf.maximum(0.0, theta_x)))
		quantization_x = tf.reduce_sum(tf.pow((ph['b_batch'] - cur_f_batch), 2))
		balance_x = tf.reduce_sum(tf.pow(tf.matmul(cur_f_batch, ph['ones_batch']) + tf.matmul(ph['F_'], ph['ones_']), 2))
		loss_x = tf.div(logloss_x + gamma * quantization_x + eta * balance_x, float(num_train * batch_size))

		logloss_y = -tf.reduce_sum(tf.multiply(ph['S_y'], theta_y) - (tf.log(1.0 + tf.exp(-tf.abs(theta_y))) + tf.maximum(0.0, theta_y)))
		quantization_y = tf.reduce_sum(tf.pow((ph['b_batch'] - cur_g_batch), 2))
		balance_y = tf.reduce_sum(tf.pow(tf.matmul(cur_g_batch, ph['ones_batch']) + tf.matmul(ph['G_'], ph['ones_']), 2))
		loss_y = tf.div(logloss_y + gamma * quantization_y + eta * balance_y, float(num_train * batch_size))

		optimizer = tf.train.GradientDescentOptimizer(ph['lr'])

		gradient_x = optimizer.compute_gradients(loss_x)
		gradient_y = optimizer.compute_gradients(loss_y)
		train_step_x = optimizer.apply_gradients(gradient_x)
		train_step_y = optimizer.apply_gradients(gradient_y)
		sess.run(tf.global_variables_initializer())
		loss_ = calc_loss(var['B'], var['F'], var['G'], Sim, gamma, eta)
		print('...epoch: %3d, loss: %3.3f' % (0, loss_))

		for epoch in range(MAX_ITER):
			lr = var['lr'][epoch]
			# update F
			var['F'] = train_img_net(image_input, cur_f_batch, var, ph,  train_x, train_L, lr, train_step_x, mean_pixel_, Sim)

			# update G
			var['G'] = train_txt_net(text_input, cur_g_batch, var, ph, train_y, train_L, lr, train_step_y, Sim)

			# update B
			var['B'] = np.sign(gamma * (var['F'] + var['G']))

			# calculate loss
			loss_ = calc_loss(var['B'], var['F'], var['G'], Sim, gamma, eta)
			print('...epoch: %3d, loss: %3.3f, comment: update B' % (epoch + 1, loss_))
