import numpy as np
import tensorflow as tf
from tensorflow.keras.losses import CategoricalCrossentropy
from tensorflow.keras.metrics import categorical_accuracy
from tensorflow.keras.optimizers import Adam

loss_fn = CategoricalCrossentropy()
acc_fn = categorical_accuracy
opt = Adam(lr=1e-3)


def train_step(model, inputs, target):
    with tf.GradientTape() as tape:
        predictions = model(inputs, training=True)
        loss = loss_fn(target, predictions)
        loss += sum(model.losses)
    gradients = tape.gradient(loss, model.trainable_variables)
    opt.apply_gradients(zip(gradients, model.trainable_variables))
    return loss, acc_fn(target, predictions)


def evaluate(model, loader, ops_list):
    output = []
    step = 0
    while step < loader.steps_per_epoch:
        step += 1
        (X, A, I), y = next(loader)
        pred = model([X, A, I], training=False)
        outs = [o(y, pred) for o in ops_list]
        output.append(outs)
    return np.mean(output, 0)
