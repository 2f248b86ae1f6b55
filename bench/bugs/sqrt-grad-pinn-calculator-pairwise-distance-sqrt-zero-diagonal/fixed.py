import tensorflow as tf
import numpy as np
from ase.calculators.calculator import Calculator

import pinn.filters as filters
import pinn.layers as layers


class PINN(Calculator):
    def __init__(self, model=None):
        Calculator.__init__(self)
        if model is None:
            self.model = pinn_model()
        self.implemented_properties = ['energy', 'forces']

    def calculate(self, atoms=None, properties=['energy'], system_chages=None, sess=None):
        c_in, p_in, energy, c_flat = self.model.construct_running(atoms)
        # Properties to calcute
        results = {}
        if 'energy' in properties:
            results['energy'] = energy
        if 'forces' in properties:
            results['forces'] = tf.gradients(energy, c_in)
        if 'hessian' in properties:
            results['hessian'] = tf.hessians(energy, c_flat)[0]
        # Run the calculation
        c_mat = [atoms.get_positions()]
        p_mat = [self.model.p_filter.parse(atoms)]
        with tf.Session(config=tf.ConfigProto(device_count={'GPU': 0})) as sess:
            sess.run(tf.global_variables_initializer())
            self.results = sess.run(
                results, feed_dict={c_in: c_mat, p_in: p_mat})


class pinn_model():
    def __init__(self,
                 dtype=tf.float32,
                 p_filter=filters.default_p_filter,
                 i_filter=filters.default_i_filter,
                 layers=layers.default_layers(),
                 dress_atoms=True,
                 atomic_dress=None):
        self.dtype = dtype
        self.dress_atoms = dress_atoms
        self.atomic_dress = atomic_dress
        self.p_filter = p_filter
        self.i_filter = i_filter
        self.layers = layers
        self.scale = 627.5

    def construct_running(self, atoms):
        if atoms.pbc.any():
            raise('PBC is not currently supported')
        n_atoms = len(atoms)
        c_in = tf.placeholder(self.dtype, shape=(1, n_atoms, 3))
        # Reshape two times for the hessian
        c_flat = tf.reshape(c_in, [n_atoms*3])
        c_in = tf.reshape(c_flat, [1, n_atoms, 3])
        d_mat = tf.expand_dims(c_in, 1) - tf.expand_dims(c_in, 2)
        d_mat = tf.reduce_sum(tf.square(d_mat), axis=3, keep_dims=True)
        # To avoid NaN gradients due to sqrt
        d_mat = tf.where(d_mat > 0, d_mat, tf.zeros_like(d_mat)+1e-20)
        d_mat = tf.where(d_mat > 1e-19, tf.sqrt(d_mat), tf.zeros_like(d_mat))

        i_in, i_mask = self.i_filter.get_running_tensors(d_mat)
        p_in, p_mask = self.p_filter.get_tensors(self.dtype, 1, n_atoms)
        energy = self.construct_model(i_in, p_in, i_mask, p_mask)/self.scale
        if self.dress_atoms:
            energy = energy + tf.tensordot(tf.reduce_sum(p_in, axis=1),
                                           self.atomic_dress, [[1], [0]])
        energy = tf.squeeze(energy)
        return c_in, p_in, energy, c_flat

    def construct_model(self, i_kernel, p_in, i_mask, p_mask):
        i_nodes = [tf.constant(
            np.zeros(i_kernel.shape[0:3].concatenate(0)), dtype=self.dtype)]
        p_nodes = [p_in]
        e_out = 0
        for layer in self.layers:
            en = layer.process(i_nodes, p_nodes, i_mask, p_mask,
                               i_kernel, self.dtype)
            if en is not None:
                e_out = e_out + en
        return e_out
