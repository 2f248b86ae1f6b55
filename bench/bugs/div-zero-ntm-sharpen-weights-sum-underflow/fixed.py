import tensorflow as tf
import numpy as np
import math

class Memory:

    def __init__(self, memory_locations=128, word_size=20, read_heads=1, batch_size=1):
        """
        constructs a memory matrix with read heads and a write head as described
        in the "Neural Turing Machines" paper
        https://arxiv.org/abs/1410.5401
        """

        self.memory_locations = memory_locations
        self.word_size = word_size
        self.read_heads = read_heads
        self.batch_size = batch_size

    def init_memory(self):
        """
        returns the initial values for the memory Parameters
        """

        return (
            tf.fill([self.batch_size, self.memory_locations, self.word_size], 1e-6),  # initial memory matrix
            tf.fill([self.batch_size, self.memory_locations, 1], 1e-6),  # initial write weighting
            tf.fill([self.batch_size, self.memory_locations, self.read_heads], 1e-6),  # initial read weightings
            tf.fill([self.batch_size, self.word_size, self.read_heads], 1e-6),  # initial read vectors
        )

    def get_content_adressing(self, memory_matrix, keys, strengths):
        """
        retrives a content-based addressing weighting given the keys
        """

        normalized_memory = tf.nn.l2_normalize(memory_matrix, 2)
        normalized_keys = tf.nn.l2_normalize(keys, 1)

        similiarity = tf.batch_matmul(normalized_memory, normalized_keys)
        strengths = tf.expand_dims(strengths, 1)

        return tf.nn.softmax(similiarity * strengths, 1)

    def apply_interpolation(self,content_weights,prev_weights,interpolation_gate):
        """
        retrives a location-based addressing given the interpolation_gate
        """
        interpolation_gate = tf.expand_dims(interpolation_gate,1)
        gated_weighting = interpolation_gate * content_weights + (1 - interpolation_gate) * prev_weights

        return gated_weighting

    def apply_conv_shift(self,gated_weighting,shift_weighting):
        """
        applying rotation over the gated weights
        """

        size = int(gated_weighting.get_shape()[1])
        kernel_size = int(shift_weighting.get_shape()[1])
        kernel_shift = int(math.floor(kernel_size/2.0))

        def loop(idx):
            if idx < 0: return size + idx
            if idx >= size : return idx - size
            else: return idx

        kernels = []
        for i in xrange(size):
            indices = [loop(i+j) for j in xrange(kernel_shift, -kernel_shift-1, -1)]
            v_ = tf.transpose(tf.gather(tf.transpose(gated_weighting,perm=(1,2,0)), indices),perm=(2,0,1))
            kernels.append(tf.reduce_sum(v_ * shift_weighting, 1))

        return tf.stack(kernels, axis=1)

    def sharp_weights(self,after_conv_shift, sharp_gamma):
        """
        Sharpens the final weights

        Parameters:
        ----------
        after_conv_shift: Tensor (batch_size, memory_locations, number_of_keys)
            weights after circular Convolution
        sharp_gamma: Tensor (batch_size, number_of_keys)
            scalar to sharpen the final weights

        Returns: Tensor (batch_size, memory_locations, number_of_keys)
            final weights
        """
        sharp_gamma = tf.expand_dims(sharp_gamma,1)
        powed_conv_w = tf.pow(after_conv_shift, sharp_gamma)
        return powed_conv_w / (tf.expand_dims(tf.reduce_sum(powed_conv_w,1),1) + 1e-8)

    def update_memory(self, memory_matrix, write_weighting, add_vector, erase_vector):
        """
        updates and returns the memory matrix given the weighting, add and erase vectors
        and the memory matrix from previous step
        """

        # expand data with a dimension of 1 at multiplication-adjacent location
        # to force matmul to behave as an outer product
        add_vector = tf.expand_dims(add_vector, 1)
        erase_vector = tf.expand_dims(erase_vector, 1)

        erasing = memory_matrix * (1 - tf.batch_matmul(write_weighting, erase_vector))
        writing = tf.batch_matmul(write_weighting, add_vector)
        updated_memory = erasing + writing

        return updated_memory

    def update_read_vectors(self, memory_matrix, read_weightings):
        """
        reads, updates, and returns the read vectors of the recently updated memory
        """

        updated_read_vectors = tf.batch_matmul(memory_matrix, read_weightings, adj_x=True)

        return updated_read_vectors

    def write(self, memory_matrix, write_weighting, key, strength, interpolation_gate, shift_weighting,
              sharp_gamma, add_vector, erase_vector):
        """
        defines the complete pipeline of writing to memory given the write variables,
        the memory_matrix and the corresponding vectors from the previous step
        """

        content_addressed_w = self.get_content_adressing(memory_matrix, key, strength)
        gated_weighting = self.apply_interpolation(content_addressed_w,write_weighting,interpolation_gate)
        after_conv_shift = self.apply_conv_shift(gated_weighting,shift_weighting)
        new_write_weighting = self.sharp_weights(after_conv_shift, sharp_gamma)

        # Write in memory
        new_memory_matrix = self.update_memory(memory_matrix, new_write_weighting, add_vector, erase_vector)

        return new_write_weighting, new_memory_matrix


    def read(self, memory_matrix, read_weightings, keys, strengths, interpolation_gates, shift_weightings,
             sharp_gammas):
        """
        defines the complete pipeline for reading from memory
        """

        content_addressed_w = self.get_content_adressing(memory_matrix, keys, strengths)
        gated_weightings = self.apply_interpolation(content_addressed_w,read_weightings,interpolation_gates)
        after_conv_shift = self.apply_conv_shift(gated_weightings,shift_weightings)
        new_read_weightings = self.sharp_weights(after_conv_shift, sharp_gammas)

        new_read_vectors = self.update_read_vectors(memory_matrix, new_read_weightings)

        return new_read_weightings, new_read_vectors
