import keras
from keras import ops

from keras_hub.src.models.image_object_detector import ImageObjectDetector


class RetinaNetObjectDetector(ImageObjectDetector):
    def __init__(self, backbone, anchor_generator, label_encoder, num_classes, **kwargs):
        super().__init__(**kwargs)
        self.backbone = backbone
        self.anchor_generator = anchor_generator
        self.label_encoder = label_encoder
        self.num_classes = num_classes
        self.classification_loss = keras.losses.BinaryFocalCrossentropy(from_logits=True, reduction="sum")
        self.box_loss = keras.losses.Huber(reduction="sum")

    def compute_loss(self, x, y, y_pred, sample_weight, **kwargs):
        gt_boxes = y["boxes"]
        gt_classes = y["labels"]
        box_pred, cls_pred = y_pred["bbox_regression"], y_pred["cls_logits"]

        box_labels, cls_labels = self.label_encoder(x, gt_boxes, gt_classes)

        positive_mask = ops.cast(ops.greater(cls_labels, -1.0), dtype="float32")
        normalizer = ops.sum(positive_mask)
        normalizer = ops.maximum(normalizer, ops.ones_like(normalizer))
        cls_weights = ops.cast(ops.not_equal(cls_labels, -2.0), dtype="float32")
        cls_weights /= normalizer
        box_weights = positive_mask / normalizer

        cls_labels = ops.one_hot(ops.cast(cls_labels, "int32"), self.num_classes, dtype="float32")
        cls_loss = self.classification_loss(cls_labels, cls_pred, sample_weight=cls_weights)
        box_loss = self.box_loss(box_labels, box_pred, sample_weight=box_weights)
        return cls_loss + box_loss
