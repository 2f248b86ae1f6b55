import numpy as np
import tensorflow as tf


def add_vtarg_and_adv(seg, gamma, lam):
    rew, vpred, new = seg["rew"], seg["vpred"], seg["dones"]
    horizon = len(rew)
    seg["adv"] = gaelam = np.empty(horizon, "float32")
    lastgaelam = 0
    for step in reversed(range(horizon)):
        nonterminal = 1 - new[step + 1]
        delta = rew[step] + gamma * vpred[step + 1] * nonterminal - vpred[step]
        gaelam[step] = lastgaelam = delta + gamma * lam * nonterminal * lastgaelam
    seg["tdlamret"] = seg["adv"] + seg["vpred"][:-1]


class TRPO:
    def setup_model(self, policy, ob_space, ac_space):
        self.atarg = tf.placeholder(dtype=tf.float32, shape=[None])
        self.ret = tf.placeholder(dtype=tf.float32, shape=[None])
        self.policy_pi = policy
        ratio = tf.exp(self.policy_pi.proba_distribution.logp(self.policy_pi.action_ph) - self.old_logp)
        self.surrgain = tf.reduce_mean(ratio * self.atarg)
        self.vferr = tf.reduce_mean(tf.square(self.policy_pi.value_flat - self.ret))

    def learn(self, seg_gen, sess, gamma=0.99, lam=1.0):
        for seg in seg_gen:
            add_vtarg_and_adv(seg, gamma, lam)
            observation, action = seg["observations"], seg["actions"]
            atarg, tdlamret = seg["adv"], seg["tdlamret"]

            vpredbefore = seg["vpred"]  # predicted value function before update
            atarg = (atarg - atarg.mean()) / (atarg.std() + 1e-8)  # standardized advantage function estimate

            sess.run(self.surrgain, feed_dict={self.policy_pi.obs_ph: observation,
                                               self.policy_pi.action_ph: action,
                                               self.atarg: atarg, self.ret: tdlamret})
            yield vpredbefore
