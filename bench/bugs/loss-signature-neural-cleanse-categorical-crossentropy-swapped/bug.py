import numpy as np
from keras import backend as K
from keras.losses import categorical_crossentropy
from keras.metrics import categorical_accuracy
from keras.optimizers import Adam


class Visualizer:
    def __init__(self, model, mask_init, pattern_init, lr=0.1, init_cost=1e-3, epsilon=1e-7):
        self.epsilon = epsilon
        self.lr = lr
        self.init_cost = init_cost
        mask_tanh = np.zeros_like(mask_init)
        pattern_tanh = np.zeros_like(pattern_init)

        self.mask_tanh_tensor = K.variable(mask_tanh)
        mask_tensor_unrepeat = (K.tanh(self.mask_tanh_tensor) / (2 - self.epsilon) + 0.5)
        self.mask_upsample_tensor = K.repeat_elements(mask_tensor_unrepeat, rep=3, axis=2)
        reverse_mask_tensor = (K.ones_like(self.mask_upsample_tensor) - self.mask_upsample_tensor)

        self.pattern_tanh_tensor = K.variable(pattern_tanh)
        self.pattern_raw_tensor = ((K.tanh(self.pattern_tanh_tensor) / (2 - self.epsilon) + 0.5) * 255.0)

        input_tensor = K.placeholder(model.input_shape)
        X_adv_raw_tensor = (reverse_mask_tensor * input_tensor + self.mask_upsample_tensor * self.pattern_raw_tensor)
        X_adv_tensor = X_adv_raw_tensor / 255.0

        output_tensor = model(X_adv_tensor)
        y_true_tensor = K.placeholder(model.output_shape)

        self.loss_acc = categorical_accuracy(output_tensor, y_true_tensor)
        self.loss_ce = categorical_crossentropy(output_tensor, y_true_tensor)
        self.loss_reg = K.sum(K.abs(self.mask_upsample_tensor)) / 3
        self.cost_tensor = K.variable(self.init_cost)
        self.loss = self.loss_ce + self.loss_reg * self.cost_tensor

        self.opt = Adam(lr=self.lr, beta_1=0.5, beta_2=0.9)
        self.updates = self.opt.get_updates(params=[self.pattern_tanh_tensor, self.mask_tanh_tensor], loss=self.loss)
        self.train = K.function([input_tensor, y_true_tensor],
                                [self.loss_ce, self.loss_reg, self.loss, self.loss_acc],
                                updates=self.updates)
