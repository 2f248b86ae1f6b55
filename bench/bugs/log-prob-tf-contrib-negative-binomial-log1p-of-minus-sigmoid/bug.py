"""The Negative Binomial distribution class."""

from __future__ import absolute_import
from __future__ import division
from __future__ import print_function

from tensorflow.contrib.distributions.python.ops import distribution_util
from tensorflow.python.framework import ops
from tensorflow.python.ops import array_ops
from tensorflow.python.ops import check_ops
from tensorflow.python.ops import math_ops
from tensorflow.python.ops import nn_ops
from tensorflow.python.ops.distributions import distribution


class NegativeBinomial(distribution.Distribution):
    """NegativeBinomial distribution: the number of successes before total_count failures."""

    def __init__(self, total_count, logits=None, probs=None, validate_args=False,
                 allow_nan_stats=True, name="NegativeBinomial"):
        parameters = locals()
        with ops.name_scope(name, values=[total_count, logits, probs]):
            self._logits, self._probs = distribution_util.get_logits_and_probs(
                logits, probs, validate_args=validate_args, name=name)
            with ops.control_dependencies(
                    [check_ops.assert_positive(total_count)] if validate_args else []):
                self._total_count = array_ops.identity(total_count)

        super(NegativeBinomial, self).__init__(
            dtype=self._probs.dtype,
            reparameterization_type=distribution.NOT_REPARAMETERIZED,
            validate_args=validate_args,
            allow_nan_stats=allow_nan_stats,
            parameters=parameters,
            graph_parents=[self._total_count, self._probs, self._logits],
            name=name)

    @property
    def total_count(self):
        return self._total_count

    @property
    def logits(self):
        return self._logits

    @property
    def probs(self):
        return self._probs

    def _log_prob(self, x):
        return (self._log_unnormalized_prob(x)
                - self._log_normalization(x))

    def _prob(self, x):
        return math_ops.exp(self._log_prob(x))

    def _log_unnormalized_prob(self, x):
        if self.validate_args:
            x = distribution_util.embed_check_nonnegative_integer_form(x)
        return (self.total_count * math_ops.log1p(-self.probs)
                + x * math_ops.log(self.probs))

    def _log_normalization(self, x):
        if self.validate_args:
            x = distribution_util.embed_check_nonnegative_integer_form(x)
        return (-math_ops.lgamma(self.total_count + x)
                + math_ops.lgamma(1. + x)
                + math_ops.lgamma(self.total_count))

    def _mean(self):
        return self.total_count * math_ops.exp(self.logits)

    def _mode(self):
        adjusted_count = array_ops.where(
            1. < self.total_count,
            self.total_count - 1.,
            array_ops.zeros_like(self.total_count))
        return math_ops.floor(adjusted_count * math_ops.exp(self.logits))

    def _variance(self):
        return self._mean() / math_ops.sigmoid(-self.logits)
