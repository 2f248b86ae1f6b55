from tensorflow.keras import Model
from tensorflow.keras.layers import Input, Conv2D, MaxPooling2D, Flatten, Dense, Dropout, Softmax
from tensorflow.keras.losses import CategoricalCrossentropy


def build_network():
    input_layer = Input(shape=(32, 32, 3))
    x = Conv2D(filters=32, kernel_size=(3, 3), padding='same', strides=(1, 1))(input_layer)
    x = MaxPooling2D()(x)
    x = Dropout(rate=0.5)(x)
    x = Conv2D(filters=32, kernel_size=(3, 3), padding='same', strides=(1, 1))(x)
    x = MaxPooling2D()(x)
    x = Flatten()(x)
    x = Dense(units=3)(x)
    output = Softmax()(x)
    return Model(inputs=input_layer, outputs=output)


model = build_network()
model.compile(loss=CategoricalCrossentropy(from_logits=True), optimizer='adam', metrics=['accuracy'])
model.fit(train_dataset, validation_data=validation_dataset, epochs=250)
