from keras import backend as K
from keras.layers import Lambda


def soft_alignment(inputs):
    att, ques_mask = inputs
    e = K.exp(att - K.max(att, axis=-1, keepdims=True))
    g = e * ques_mask
    s = K.sum(g, axis=-1, keepdims=True)
    sm_att = g / s
    return sm_att


def build_attention(att, ques_mask):
    return Lambda(soft_alignment)([att, ques_mask])
