# -*- coding:utf-8 -*-
__author__ = 'Randolph'

import tensorflow as tf
import numpy as np


class TextABCNN(object):
    """A ABCNN for text classification."""

    def __init__(
            self, sequence_length, num_classes, model_type, vocab_size, fc_hidden_size, embedding_size,
            embedding_type, filter_sizes, num_filters, l2_reg_lambda=0.0, pretrained_embedding=None):

        # Placeholders for input, output, dropout_prob and training_tag
        self.input_x_front = tf.placeholder(tf.int32, [None, sequence_length], name="input_x_front")
        self.input_x_behind = tf.placeholder(tf.int32, [None, sequence_length], name="input_x_behind")
        self.input_y = tf.placeholder(tf.float32, [None, num_classes], name="input_y")
        self.dropout_keep_prob = tf.placeholder(tf.float32, name="dropout_keep_prob")
        self.is_training = tf.placeholder(tf.bool, name="is_training")

        self.global_step = tf.Variable(0, trainable=False, name="Global_Step")

        def make_attention_mat(input_x1, input_x2):
            # shape of `input_x1` and `input_x2`: [batch_size, embedding_size, sequence_length, 1]
            # input_x2 need to transpose to the [batch_size, embedding_size, 1, sequence_length]
            # shape of output: [batch_size, sequence_length, sequence_length]
            euclidean = tf.sqrt(tf.reduce_sum(tf.square(input_x1 - tf.matrix_transpose(input_x2)), axis=1))
            return 1 / (1 + euclidean)

        def all_pool(input_x, filter_size, scope):
            # input_x: [batch_size, num_filters, sequence_length + filter_size -1, 1]
            all_ap = tf.nn.avg_pool(
                input_x,
                ksize=[1, 1, sequence_length + filter_size - 1, 1],
                strides=[1, 1, 1, 1],
                padding="VALID",
                name="all_pool_" + scope
            )
            all_ap_reshaped = tf.reshape(all_ap, shape=[-1, num_filters])
            return all_ap_reshaped

        def cnn_layer(variable_scope, input_x1, input_x2, dims_size):
            pooled_outputs_ap_front = []
            pooled_outputs_ap_behind = []

            with tf.name_scope(variable_scope):
                if model_type in ['ABCNN1', 'ABCNN3']:
                    # Attention
                    with tf.name_scope("attention_matrix"):
                        W_a = tf.Variable(tf.truncated_normal(shape=[sequence_length, dims_size],
                                                              stddev=0.1, dtype=tf.float32), name="W_a")
                        # shape of `attention_matrix`: [batch_size, sequence_length, sequence_length]
                        attention_matrix = make_attention_mat(input_x1, input_x2)

                        front_attention = tf.expand_dims(tf.matrix_transpose(
                            tf.einsum("ijk,kl->ijl", attention_matrix, W_a)), axis=-1)
                        behind_attention = tf.expand_dims(tf.matrix_transpose(
                            tf.einsum("ijk,kl->ijl", tf.matrix_transpose(attention_matrix), W_a)), axis=-1)

                        # shape of new `input_x1`: [batch_size, dims_size, sequence_length, 2]
                        input_x1 = tf.concat([input_x1, front_attention], axis=3)
                        input_x2 = tf.concat([input_x2, behind_attention], axis=3)

                for filter_size in filter_sizes:
                    with tf.name_scope("conv-filter{0}".format(filter_size)):
                        in_channels = 2 if model_type in ['ABCNN1', 'ABCNN3'] else 1
                        input_x1 = tf.pad(input_x1, np.array(
                            [[0, 0], [0, 0], [filter_size - 1, filter_size - 1], [0, 0]]), mode="CONSTANT")
                        input_x2 = tf.pad(input_x2, np.array(
                            [[0, 0], [0, 0], [filter_size - 1, filter_size - 1], [0, 0]]), mode="CONSTANT")

                        filter_shape = [dims_size, filter_size, in_channels, num_filters]
                        W = tf.Variable(tf.truncated_normal(shape=filter_shape, stddev=0.1, dtype=tf.float32), name="W")
                        b = tf.Variable(tf.constant(value=0.1, shape=[num_filters], dtype=tf.float32), name="b")
                        conv_front = tf.nn.conv2d(input_x1, W, strides=[1, 1, 1, 1], padding="VALID", name="conv_front")
                        conv_behind = tf.nn.conv2d(input_x2, W, strides=[1, 1, 1, 1], padding="VALID", name="conv_behind")

                        conv_out_front = tf.nn.relu(tf.nn.bias_add(conv_front, b), name="relu_front")
                        conv_out_behind = tf.nn.relu(tf.nn.bias_add(conv_behind, b), name="relu_behind")

                        conv_out_front_trans = tf.transpose(conv_out_front, perm=[0, 3, 2, 1])
                        conv_out_behind_trans = tf.transpose(conv_out_behind, perm=[0, 3, 2, 1])

                    if model_type in ['ABCNN2', 'ABCNN3']:
                        attention_matrix_v2 = make_attention_mat(conv_out_front_trans, conv_out_behind_trans)
                        front_attention_v2 = tf.reduce_sum(attention_matrix_v2, axis=2)
                        behind_attention_v2 = tf.reduce_sum(attention_matrix_v2, axis=1)

                    with tf.name_scope("pool-filter{0}".format(filter_size)):
                        front_ap = all_pool(input_x=conv_out_front_trans, filter_size=filter_size, scope="front")
                        behind_ap = all_pool(input_x=conv_out_behind_trans, filter_size=filter_size, scope="behind")
                        pooled_outputs_ap_front.append(front_ap)
                        pooled_outputs_ap_behind.append(behind_ap)

                F0_1 = tf.concat(pooled_outputs_ap_front, axis=1)
                B0_1 = tf.concat(pooled_outputs_ap_behind, axis=1)
                return F0_1, B0_1

        # Embedding Layer
        with tf.device('/cpu:0'), tf.name_scope("embedding"):
            if pretrained_embedding is None:
                self.embedding = tf.Variable(tf.random_uniform([vocab_size, embedding_size], minval=-1.0, maxval=1.0,
                                                               dtype=tf.float32), trainable=True, name="embedding")
            else:
                self.embedding = tf.Variable(pretrained_embedding, trainable=True, dtype=tf.float32, name="embedding")
            self.embedded_sentence_front = tf.nn.embedding_lookup(self.embedding, self.input_x_front)
            self.embedded_sentence_behind = tf.nn.embedding_lookup(self.embedding, self.input_x_behind)

        self.embedded_sentence_front_trans = tf.transpose(self.embedded_sentence_front, perm=[0, 2, 1])
        self.embedded_sentence_behind_trans = tf.transpose(self.embedded_sentence_behind, perm=[0, 2, 1])

        # [batch_size, embedding_size, sequence_length, 1]
        self.embedded_sentence_expanded_front_trans = tf.expand_dims(self.embedded_sentence_front_trans, axis=-1)
        self.embedded_sentence_expanded_behind_trans = tf.expand_dims(self.embedded_sentence_behind_trans, axis=-1)

        self.F0_1, self.B0_1 = cnn_layer(
            variable_scope="CNN-1", input_x1=self.embedded_sentence_expanded_front_trans,
            input_x2=self.embedded_sentence_expanded_behind_trans, dims_size=embedding_size)

        self.conv_combine = tf.concat([self.F0_1, self.B0_1], axis=1)
        num_filters_total = num_filters * len(filter_sizes)

        # Fully Connected Layer
        with tf.name_scope("fc"):
            W = tf.Variable(tf.truncated_normal(shape=[2 * num_filters_total, fc_hidden_size],
                                                stddev=0.1, dtype=tf.float32), name="W")
            b = tf.Variable(tf.constant(value=0.1, shape=[fc_hidden_size], dtype=tf.float32), name="b")
            self.fc_out = tf.nn.relu(tf.nn.xw_plus_b(self.conv_combine, W, b), name="relu")

        with tf.name_scope("dropout"):
            self.h_drop = tf.nn.dropout(self.fc_out, self.dropout_keep_prob)

        with tf.name_scope("output"):
            W = tf.Variable(tf.truncated_normal(shape=[fc_hidden_size, num_classes],
                                                stddev=0.1, dtype=tf.float32), name="W")
            b = tf.Variable(tf.constant(value=0.1, shape=[num_classes], dtype=tf.float32), name="b")
            self.logits = tf.nn.xw_plus_b(self.h_drop, W, b, name="logits")

        with tf.name_scope("loss"):
            losses = tf.nn.softmax_cross_entropy_with_logits_v2(labels=self.input_y, logits=self.logits)
            losses = tf.reduce_mean(losses, name="softmax_losses")
            l2_losses = tf.add_n([tf.nn.l2_loss(tf.cast(v, tf.float32)) for v in tf.trainable_variables()],
                                 name="l2_losses") * l2_reg_lambda
            self.loss = tf.add(losses, l2_losses, name="loss")


def build_train_op(abcnn, learning_rate, norm_ratio):
    optimizer = tf.train.AdamOptimizer(learning_rate)
    grads, vars = zip(*optimizer.compute_gradients(abcnn.loss))
    grads, _ = tf.clip_by_global_norm(grads, clip_norm=norm_ratio)
    train_op = optimizer.apply_gradients(zip(grads, vars), global_step=abcnn.global_step, name="train_op")
    return train_op
