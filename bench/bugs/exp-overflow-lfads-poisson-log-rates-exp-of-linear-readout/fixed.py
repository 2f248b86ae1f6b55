import numpy as np
import tensorflow as tf


def linear(x, out_size, name):
    in_size = int(x.get_shape()[1])
    W = tf.get_variable(name + "/W", [in_size, out_size],
                        initializer=tf.random_normal_initializer(stddev=1.0 / np.sqrt(in_size)))
    b = tf.get_variable(name + "/b", [1, out_size], initializer=tf.zeros_initializer())
    return W, b


class LFADS(object):
    def __init__(self, hps, factors, data_t_bxd):
        num_steps = hps.num_steps
        this_out_fac_W, this_out_fac_b = linear(factors[0], hps.dataset_dims, "out_fac_linear")
        rates = [None] * num_steps
        dist_params = [None] * num_steps
        log_p_xgz_t = []
        for t in range(num_steps):
            if hps.output_dist == 'poisson':
                log_rates_t = tf.matmul(factors[t], this_out_fac_W) + this_out_fac_b
                log_rates_t.set_shape([None, None])
                rates[t] = dist_params[t] = tf.exp(tf.clip_by_value(log_rates_t, -hps._clip_value, hps._clip_value))  # rates feed back
                log_p_xgz_t.append(data_t_bxd[t] * log_rates_t - rates[t] - tf.lgamma(data_t_bxd[t] + 1))
        self.rates = rates
        self.log_p_xgz = tf.reduce_sum(tf.add_n(log_p_xgz_t))
        self.cost = -self.log_p_xgz
        self.train_op = tf.train.AdamOptimizer(hps.learning_rate).minimize(self.cost)
