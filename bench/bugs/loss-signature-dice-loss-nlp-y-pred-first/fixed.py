from tensorflow import keras
from tensorflow.keras import backend as K


def dice_loss(alpha=0.1, smooth=1e-8):
    def dice_loss_fixed(y_true, y_pred):
        intersection = K.sum((1-y_pred)**alpha * y_pred * y_true, -1) + smooth
        denominator = K.sum((1-y_pred)**alpha * y_pred, -1) + K.sum(y_true) + smooth
        return 1 - 2 * intersection / denominator
    return dice_loss_fixed


def train(model, x_train, y_train, x_test, y_test):
    model.compile(optimizer=keras.optimizers.RMSprop(),
                  loss=[dice_loss(alpha=0.1, smooth=1e-8)],
                  metrics=['accuracy'])
    return model.fit(x_train, y_train, batch_size=64, epochs=5, validation_data=(x_test, y_test))
