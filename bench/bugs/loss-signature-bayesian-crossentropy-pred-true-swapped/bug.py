import numpy as np

from keras import backend as K
from tensorflow.contrib import distributions


def gaussian_categorical_crossentropy(true, pred, dist, undistorted_loss, num_classes):
    def map_fn(i):
        std_samples = K.transpose(dist.sample(num_classes))
        distorted_loss = K.categorical_crossentropy(pred + std_samples, true, from_logits=True)
        diff = undistorted_loss - distorted_loss
        return -K.elu(diff)
    return map_fn


def bayesian_categorical_crossentropy(T, num_classes):
    def bayesian_categorical_crossentropy_internal(true, pred_var):
        std = K.sqrt(pred_var[:, num_classes:])
        variance = pred_var[:, num_classes]
        variance_depressor = K.exp(variance) - K.ones_like(variance)
        pred = pred_var[:, 0:num_classes]
        undistorted_loss = K.categorical_crossentropy(pred, true, from_logits=True)
        iterable = K.variable(np.ones(T))
        dist = distributions.Normal(loc=K.zeros_like(std), scale=std)
        monte_carlo_results = K.map_fn(gaussian_categorical_crossentropy(true, pred, dist, undistorted_loss, num_classes), iterable, name='monte_carlo_results')
        variance_loss = K.mean(monte_carlo_results, axis=0) * undistorted_loss
        return variance_loss + undistorted_loss + variance_depressor
    return bayesian_categorical_crossentropy_internal


def compile_model(model, T, num_classes):
    model.compile(optimizer='adam',
                  loss={'logits_variance': bayesian_categorical_crossentropy(T, num_classes),
                        'softmax_output': 'categorical_crossentropy'},
                  loss_weights={'logits_variance': .2, 'softmax_output': 1.})
