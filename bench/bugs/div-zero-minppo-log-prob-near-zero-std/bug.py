import jax.numpy as jnp


def actor_loss_fn(actor, states_b, actions_b, old_log_prob_b, advants_b, config):
    mean_b, std_b = actor(states_b)
    log_prob_b = -0.5 * ((actions_b - mean_b) / std_b) ** 2 - jnp.log(std_b) - 0.5 * jnp.log(2 * jnp.pi)
    log_prob_b = jnp.sum(log_prob_b, axis=1)
    ratio_b = jnp.exp(log_prob_b - old_log_prob_b)

    surrogate_loss_b = ratio_b * advants_b
    clipped_loss_b = jnp.clip(ratio_b, 1.0 - config.epsilon, 1.0 + config.epsilon) * advants_b
    actor_loss = -jnp.mean(
        jnp.where(jnp.abs(surrogate_loss_b) < jnp.abs(clipped_loss_b), surrogate_loss_b, clipped_loss_b)
    )

    entropy_loss = jnp.mean(0.5 * (jnp.log(2 * jnp.pi * (std_b + 1e-8) ** 2) + 1))
    return actor_loss - config.entropy_coeff * entropy_loss
