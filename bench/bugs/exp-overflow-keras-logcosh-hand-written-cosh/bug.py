from keras import backend as K


def logcosh(y_true, y_pred):
    """Logarithm of the hyperbolic cosine of the prediction error."""
    def cosh(x):
        return (K.exp(x) + K.exp(-x)) / 2
    return K.mean(K.log(cosh(y_pred - y_true)), axis=-1)
