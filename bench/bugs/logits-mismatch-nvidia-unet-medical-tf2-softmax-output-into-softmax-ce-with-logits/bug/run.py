import os

import numpy as np
import horovod.tensorflow as hvd
import tensorflow as tf

from model.unet import Unet
from utils.losses import partial_losses


def train(params, model, dataset, logger):
    np.random.seed(params.seed)
    tf.random.set_seed(params.seed)
    max_steps = params.max_steps // hvd.size()

    optimizer = tf.keras.optimizers.Adam(learning_rate=params.learning_rate)
    if params.use_amp:
        optimizer = tf.keras.mixed_precision.experimental.LossScaleOptimizer(optimizer, "dynamic")

    ce_loss = tf.keras.metrics.Mean(name='ce_loss')
    f1_loss = tf.keras.metrics.Mean(name='dice_loss')
    checkpoint = tf.train.Checkpoint(optimizer=optimizer, model=model)

    @tf.function
    def train_step(features, labels, warmup_batch=False):
        with tf.GradientTape() as tape:
            output_map = model(features)
            crossentropy_loss, dice_loss = partial_losses(output_map, labels)
            added_losses = tf.add(crossentropy_loss, dice_loss, name="total_loss_ref")
            loss = added_losses + params.weight_decay * tf.add_n(
                [tf.nn.l2_loss(v) for v in model.trainable_variables
                 if 'batch_normalization' not in v.name])

            if params.use_amp:
                loss = optimizer.get_scaled_loss(loss)
        tape = hvd.DistributedGradientTape(tape)
        gradients = tape.gradient(loss, model.trainable_variables)
        if params.use_amp:
            gradients = optimizer.get_unscaled_gradients(gradients)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables))

        if warmup_batch:
            hvd.broadcast_variables(model.variables, root_rank=0)
            hvd.broadcast_variables(optimizer.variables(), root_rank=0)

        ce_loss(crossentropy_loss)
        f1_loss(dice_loss)
        return loss

    for iteration, (images, labels) in enumerate(dataset.train_fn()):
        train_step(images, labels, warmup_batch=iteration == 0)
        if (hvd.rank() == 0) and (iteration % params.log_every == 0):
            logger.log(step=(iteration, max_steps),
                       data={"train_ce_loss": float(ce_loss.result()),
                             "train_dice_loss": float(f1_loss.result()),
                             "train_total_loss": float(f1_loss.result() + ce_loss.result())})
            f1_loss.reset_states()
            ce_loss.reset_states()
        if iteration >= max_steps:
            break
    if hvd.rank() == 0:
        checkpoint.save(file_prefix=os.path.join(params.model_dir, "checkpoint"))


def main(params, dataset, logger):
    hvd.init()
    model = Unet()
    train(params, model, dataset, logger)
