import tensorflow as tf
import tensorflow_probability as tfp


class Actor(tf.keras.Model):
    def __init__(self, n_actions):
        super().__init__()
        self.d1 = tf.keras.layers.Dense(128, activation='relu')
        self.d2 = tf.keras.layers.Dense(128, activation='relu')
        self.a = tf.keras.layers.Dense(n_actions)

    def call(self, x):
        return self.a(self.d2(self.d1(x)))


class Agent:
    def __init__(self, n_actions):
        self.actor = Actor(n_actions)
        self.a_opt = tf.keras.optimizers.Adam(learning_rate=1e-4)

    def act(self, obs):
        logits = self.actor(obs)
        dist = tfp.distributions.Categorical(logits=logits)
        action = dist.sample()
        log_prob = dist.log_prob(action)
        return action, log_prob

    def learn(self, obs, actions, advantages):
        with tf.GradientTape() as tape:
            logits = self.actor(obs)
            dist = tfp.distributions.Categorical(logits=logits)
            log_prob = dist.log_prob(actions)
            loss = -tf.reduce_mean(log_prob * advantages)
        grads = tape.gradient(loss, self.actor.trainable_variables)
        self.a_opt.apply_gradients(zip(grads, self.actor.trainable_variables))
        return loss
