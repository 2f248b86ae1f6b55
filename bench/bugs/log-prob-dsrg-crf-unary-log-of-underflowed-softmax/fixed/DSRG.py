import numpy as np
import tensorflow as tf

from pythonlib.crf import crf_inference


class DSRG():
    def __init__(self,config):
        self.config = config
        self.h,self.w = self.config.get("input_size",(25,25))
        self.category_num = self.config.get("category_num",21)
        self.data = self.config.get("data",None)
        self.net = {}
        self.weights = {}
        self.loss = {}
        self.min_prob = 0.0001

    def build(self,net_input,net_label,net_tag,net_cues):
        if "output" not in self.net:
            with tf.name_scope("placeholder"):
                self.net["input"] = net_input
                self.net["label"] = net_label # [None, self.h,self.w,1], int32
                self.net["tag"] = net_tag # [None, self.category_num], int32
                self.net["cues"] = net_cues # [None,41,41,self.category_num])
            self.net["output"] = self.create_network()
        return self.net["output"]

    def create_network(self):
        with tf.name_scope("vgg") as scope:
            weights = tf.get_variable(name="fc8_weights",initializer=tf.random_normal_initializer(stddev=0.01), shape=[3,3,3,self.category_num])
            bias = tf.get_variable(name="fc8_bias",initializer=tf.constant_initializer(0), shape=[self.category_num])
            self.net["fc8"] = tf.nn.bias_add(tf.nn.conv2d(self.net["input"], weights, strides=[1,1,1,1], padding="SAME"), bias)

            # SEC
            softmax = self.build_sp_softmax("fc8","fc8-softmax")
            crf = self.build_crf("fc8","crf")

            return self.net[crf] # NOTE: crf is log-probability

    def build_sp_softmax(self,last_layer,layer):
        preds_max = tf.reduce_max(self.net[last_layer],axis=3,keepdims=True)
        preds_exp = tf.exp(self.net[last_layer] - preds_max)
        self.net[layer] = preds_exp / tf.reduce_sum(preds_exp,axis=3,keepdims=True) + self.min_prob
        self.net[layer] = self.net[layer] / tf.reduce_sum(self.net[layer],axis=3,keepdims=True)
        return layer

    def build_crf(self,featmap_layer,layer):
        origin_image = self.net["input"] + self.data.img_mean
        origin_image_zoomed = tf.image.resize_bilinear(origin_image,(41,41))
        featemap = self.net[featmap_layer]
        featemap_zoomed = tf.image.resize_bilinear(featemap,(41,41))

        def crf(featemap,image):
            crf_config = {"g_sxy":3/12,"g_compat":3,"bi_sxy":80/12,"bi_srgb":13,"bi_compat":10,"iterations":5} # for train, in previous iter, probability is not accurate, so we should weaken the weight of position

            batch_size = featemap.shape[0]
            image = image.astype(np.uint8)
            ret = np.zeros(featemap.shape,dtype=np.float32)
            for i in range(batch_size):
                ret[i,:,:,:] = crf_inference(image[i],crf_config,self.category_num,featemap[i],use_log=True)

            ret[ret < self.min_prob] = self.min_prob
            ret /= np.sum(ret,axis=3,keepdims=True)
            ret = np.log(ret)
            return ret.astype(np.float32)

        crf = tf.py_func(crf,[featemap_zoomed,origin_image_zoomed],tf.float32) # shape [N, h, w, C], RGB or BGR doesn't matter
        self.net[layer] = crf

        return layer

    def getloss(self):
        constrain_loss = self.get_constrain_loss(self.net["fc8-softmax"],self.net["crf"])
        self.loss["constrain"] = constrain_loss
        return constrain_loss

    def get_constrain_loss(self,softmax,crf):
        probs_smooth = tf.exp(crf)
        loss = tf.reduce_mean(tf.reduce_sum(probs_smooth * tf.log(probs_smooth/(softmax+1e-8)+1e-8), axis=3))
        return loss
