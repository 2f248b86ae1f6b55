import keras
import tensorflow as tf

from . import losses


def model_with_weights(model, weights, skip_mismatch):
    if weights is not None:
        model.load_weights(weights, by_name=True, skip_mismatch=skip_mismatch)
    return model


def create_models(backbone_retinanet, backbone, num_classes, weights):
    # create "base" model (no NMS)
    model            = model_with_weights(backbone_retinanet(num_classes, backbone=backbone, nms=True), weights=weights, skip_mismatch=True)
    training_model   = model
    prediction_model = model

    # compile model (the reporter's settings: alpha=0.5, gamma=0.5)
    training_model.compile(
        loss={
            'regression'    : losses.smooth_l1(),
            'classification': losses.focal(alpha=0.5, gamma=0.5)
        },
        optimizer=keras.optimizers.adam(lr=1e-5, clipnorm=0.001)
    )

    return model, training_model, prediction_model
