import tensorflow as tf
from models.network import Network
from config import cfg
from models.losses import l1_loss, kl_loss


class C3AENet:
    def __init__(self, img, age_labels, age_vector, is_training):
        self.img = img
        self.age_labels = age_labels
        self.age_vector = age_vector
        self.is_training = is_training
        backbone = Network()
        self.feats, self.pred, self.l1_loss = backbone.inference(self.is_training, self.img)

    def compute_loss(self):
        with tf.name_scope('loss_0'):
            loss_l1 = l1_loss(self.pred, self.age_labels)
            loss_kl = kl_loss(self.feats, self.age_vector, self.l1_loss)
            self.all_loss = loss_l1 + cfg.train.ratio * loss_kl
        return self.all_loss
