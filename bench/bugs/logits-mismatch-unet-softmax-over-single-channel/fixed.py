from keras.models import Model
from keras.layers import Input, Convolution2D, MaxPooling2D, UpSampling2D, Reshape, Activation, merge
from keras.optimizers import Adam

img_rows = 64
img_cols = 80


def get_unet():
    inputs = Input((1, img_rows, img_cols))
    conv1 = Convolution2D(32, 3, 3, activation='relu', border_mode='same')(inputs)
    pool1 = MaxPooling2D(pool_size=(2, 2))(conv1)
    conv2 = Convolution2D(64, 3, 3, activation='relu', border_mode='same')(pool1)
    up3 = merge([UpSampling2D(size=(2, 2))(conv2), conv1], mode='concat', concat_axis=1)
    conv9 = Convolution2D(32, 3, 3, activation='relu', border_mode='same')(up3)
    conv10 = Convolution2D(2, 1, 1, activation='linear')(conv9)
    reshapeLayer = Reshape((2, img_rows * img_cols))(conv10)
    reshapeLayer = Reshape((img_rows * img_cols, 2))(reshapeLayer)
    softmaxLayer = Activation('softmax')(reshapeLayer)
    model = Model(input=inputs, output=softmaxLayer)
    model.compile(optimizer=Adam(lr=1e-5), loss='categorical_crossentropy')
    return model
