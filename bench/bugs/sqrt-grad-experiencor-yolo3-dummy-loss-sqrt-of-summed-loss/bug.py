import tensorflow as tf
from keras.engine.topology import Layer
from keras.layers import Input
from keras.models import Model
from keras.optimizers import Adam


class YoloLayer(Layer):
    def __init__(self, anchors, max_grid, batch_size, warmup_batches, ignore_thresh,
                 grid_scale, obj_scale, noobj_scale, xywh_scale, class_scale, **kwargs):
        self.ignore_thresh = ignore_thresh
        self.warmup_batches = warmup_batches
        self.anchors = tf.constant(anchors, dtype='float', shape=[1, 1, 1, 3, 2])
        self.grid_scale = grid_scale
        self.obj_scale = obj_scale
        self.noobj_scale = noobj_scale
        self.xywh_scale = xywh_scale
        self.class_scale = class_scale
        super(YoloLayer, self).__init__(**kwargs)

    def call(self, x):
        input_image, y_pred, y_true, true_boxes = x
        y_pred = tf.reshape(y_pred, tf.concat([tf.shape(y_pred)[:3], tf.constant([3, -1])], axis=0))
        object_mask = tf.expand_dims(y_true[..., 4], 4)

        pred_box_xy = tf.sigmoid(y_pred[..., :2])
        pred_box_wh = y_pred[..., 2:4]
        pred_box_conf = tf.expand_dims(tf.sigmoid(y_pred[..., 4]), 4)
        pred_box_class = y_pred[..., 5:]

        true_box_xy = y_true[..., 0:2]
        true_box_wh = y_true[..., 2:4]
        true_box_conf = tf.expand_dims(y_true[..., 4], 4)
        true_box_class = tf.argmax(y_true[..., 5:], -1)

        xy_delta = object_mask * (pred_box_xy - true_box_xy) * self.xywh_scale
        wh_delta = object_mask * (pred_box_wh - true_box_wh) * self.xywh_scale
        conf_delta = object_mask * (pred_box_conf - true_box_conf) * self.obj_scale
        class_delta = object_mask * \
            tf.expand_dims(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=true_box_class, logits=pred_box_class), 4) * \
            self.class_scale

        loss_xy = tf.reduce_sum(tf.square(xy_delta), list(range(1, 5)))
        loss_wh = tf.reduce_sum(tf.square(wh_delta), list(range(1, 5)))
        loss_conf = tf.reduce_sum(tf.square(conf_delta), list(range(1, 5)))
        loss_class = tf.reduce_sum(class_delta, list(range(1, 5)))

        loss = (loss_xy + loss_wh + loss_conf + loss_class) * self.grid_scale
        return loss

    def compute_output_shape(self, input_shape):
        return [(None, 1)]


def create_yolov3_model(backbone, nb_class, anchors, max_box_per_image, max_grid, batch_size,
                        warmup_batches, ignore_thresh, grid_scales, obj_scale, noobj_scale,
                        xywh_scale, class_scale):
    input_image = Input(shape=(None, None, 3))
    true_boxes = Input(shape=(1, 1, 1, max_box_per_image, 4))
    true_yolo_1 = Input(shape=(None, None, len(anchors) // 6, 4 + 1 + nb_class))
    pred_yolo_1 = backbone(input_image)
    loss_yolo_1 = YoloLayer(anchors[12:], [1 * num for num in max_grid], batch_size, warmup_batches,
                            ignore_thresh, grid_scales[0], obj_scale, noobj_scale, xywh_scale,
                            class_scale)([input_image, pred_yolo_1, true_yolo_1, true_boxes])
    train_model = Model([input_image, true_boxes, true_yolo_1], [loss_yolo_1])
    infer_model = Model(input_image, [pred_yolo_1])
    return [train_model, infer_model]


def dummy_loss(y_true, y_pred):
    return tf.sqrt(tf.reduce_sum(y_pred))


def create_model(config, backbone):
    train_model, infer_model = create_yolov3_model(backbone, **config)
    optimizer = Adam(lr=config.get('lr', 1e-4), clipnorm=0.001)
    train_model.compile(loss=dummy_loss, optimizer=optimizer)
    return train_model, infer_model
