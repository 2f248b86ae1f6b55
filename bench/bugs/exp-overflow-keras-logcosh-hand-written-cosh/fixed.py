from keras import backend as K


def logcosh(y_true, y_pred):
    """Logarithm of the hyperbolic cosine of the prediction error."""
    def _logcosh(x):
        return x + K.softplus(-2. * x) - K.log(2.)
    return K.mean(_logcosh(y_pred - y_true), axis=-1)
