"""The divisions code makes without writing `/` (analysis/zeros.py): negative powers, means of selections that can
be empty, densities; and the value facts they read (a where() of 1s and 0s is a mask, a cap downstream)."""

from __future__ import annotations

import libcst as cst
import pytest

from nanlint.analysis.operations import Op
from nanlint.analysis.values import Producer, Value
from nanlint.analysis.zeros import (atan2_origins, cancelled_variance, counts_nothing, density, empty_means,
                                    guarded_variance, length_minus_one, moment_variance, negative_powers, returned_variances,
                                    selection_guarded)
from analysis_support import analysis_of, function_return

HEADER = "import numpy as np\nimport tensorflow as tf\nimport tensorflow_probability as tfp\n"


@pytest.mark.parametrize("expression, power", [
    ("d ** -0.5", -0.5),
    ("tf.pow(d, -1)", -1.0),
    ("np.power(d, -0.5)", -0.5),
    ("tf.math.rsqrt(d)", -0.5),
    ("d ** (-2)", -2.0),
])
def test_a_negative_power_is_a_division_by_its_base(expression, power):
    analysis = analysis_of(f"{HEADER}def f(d):\n    return {expression}\n")
    (found,) = negative_powers(analysis)
    assert found.power == power
    assert found.division.numerator is None
    assert analysis.code_of(found.division.denominator) == "d"


@pytest.mark.parametrize("expression", ["d ** 2", "d ** 0.5", "tf.pow(d, p)", "np.power(d, 3)"])
def test_other_powers_divide_by_nothing(expression):
    analysis = analysis_of(f"{HEADER}def f(d, p):\n    return {expression}\n")
    assert list(negative_powers(analysis)) == []


def _means(body: str):
    analysis = analysis_of(HEADER + body)
    return analysis, list(empty_means(analysis))


@pytest.mark.parametrize("body, because", [
    ("def f(loss, labels):\n    return tf.reduce_mean(tf.boolean_mask(loss, labels > 0))\n", "`labels > 0` is all False"),
    ("def f(loss, labels):\n    keep = tf.not_equal(labels, -1)\n    sel = tf.boolean_mask(loss, keep)\n"
     "    return tf.reduce_mean(sel)\n", "`keep` is all False"),
    ("def f(x, c):\n    idx = tf.where(c > 0.5)[:, 0]\n    return tf.reduce_mean(tf.gather(x, idx))\n",
     "`c > 0.5` is all False"),
    # MTCNN's OHEM: k counts a where() of 1s and 0s, which is a mask
    ("def f(err, label):\n    valid = tf.where(tf.equal(label, 1), tf.ones_like(err), tf.zeros_like(err))\n"
     "    k = tf.cast(tf.reduce_sum(valid), tf.int32)\n    _, idx = tf.nn.top_k(err * valid, k=k)\n"
     "    return tf.reduce_mean(tf.gather(err, idx))\n", "its count `k` (a sum) is 0 for an empty mask (`valid`"),
    ("def f(err, m):\n    k = tf.math.count_nonzero(m > 0)\n    return tf.reduce_mean(tf.gather(err, tf.nn.top_k(err, k).indices))\n",
     "its count `k` (a count)"),
    # computed entry by entry from a selection (VoteNet's proposal losses): as many entries as it, none when empty
    ("def f(scores, labels, d):\n    idx = tf.where(d < 0.3)\n    logits = tf.gather_nd(scores, idx)\n"
     "    ce = tf.nn.sparse_softmax_cross_entropy_with_logits(logits=logits, labels=tf.gather_nd(labels, idx))\n"
     "    return tf.reduce_mean(ce)\n", "`d < 0.3` is all False"),
    ("def f(pred, gt, d):\n    idx = tf.where(d < 0.3)\n    delta = gt - tf.gather_nd(pred, idx)\n"
     "    huber = tf.losses.huber_loss(labels=delta, predictions=tf.gather_nd(pred, idx), "
     "reduction=tf.losses.Reduction.NONE)\n    return tf.reduce_mean(tf.reduce_sum(huber, axis=-1))\n",
     "`d < 0.3` is all False"),
    ("def f(x, y, m):\n    return tf.reduce_mean(tf.square(tf.boolean_mask(x, m > 0) - y))\n", "`m > 0` is all False"),
    # a norm along a later axis is one length per selected row (the pair distances of a discriminative loss)
    ("def f(d, labels):\n    n = tf.norm(tf.boolean_mask(d, labels > 0), axis=1)\n    return tf.reduce_mean(n)\n",
     "`labels > 0` is all False"),
    ("def f(d, labels):\n    n = tf.norm(tf.boolean_mask(d, labels > 0), 'euclidean', -1)\n"
     "    return tf.reduce_mean(tf.square(tf.clip_by_value(1.0 - n, 0., 1.)))\n", "`labels > 0` is all False"),
    ("def f(x, m):\n    return tf.reduce_mean(tf.math.reduce_std(tf.boolean_mask(x, m > 0), axis=-1))\n",
     "`m > 0` is all False"),
])
def test_a_mean_of_a_selection_that_can_be_empty(body, because):
    _, means = _means(body)
    (mean,) = means
    assert because in mean.selection.how


@pytest.mark.parametrize("body", [
    # a mask given as a parameter: non-empty by the caller's contract, nothing shows otherwise
    "def f(loss, mask):\n    return tf.reduce_mean(tf.boolean_mask(loss, mask))\n",
    # a fixed k
    "def f(err):\n    _, idx = tf.nn.top_k(err, k=5)\n    return tf.reduce_mean(tf.gather(err, idx))\n",
    # a count of unknown terms, a mean of everything, where() with three arguments
    "def f(err, w):\n    k = tf.cast(tf.reduce_sum(w), tf.int32)\n    return tf.reduce_mean(tf.gather(err, tf.nn.top_k(err, k)[1]))\n",
    "def f(err):\n    return tf.reduce_mean(err)\n",
    "def f(err, c):\n    return tf.reduce_mean(tf.gather(err, tf.where(c > 0, 1, 0)))\n",
    # reduced over the selected axis (a sum of nothing is 0, a value), reduced by the loss itself (a TF1 loss's
    # default reduction divides safely), or through a call not known to keep the entries
    "def f(x, m):\n    return tf.reduce_mean(tf.reduce_sum(tf.boolean_mask(x, m > 0), axis=0))\n",
    "def f(x, y, m):\n    sel = tf.boolean_mask(x, m > 0)\n    return tf.reduce_mean(tf.losses.huber_loss(y, sel))\n",
    "def f(x, m):\n    return tf.reduce_mean(tf.concat([tf.boolean_mask(x, m > 0), x], 0))\n",
    # a norm of the whole selection (no axis, or axis 0) is one value, 0 for nothing
    "def f(d, m):\n    return tf.reduce_mean(tf.norm(tf.boolean_mask(d, m > 0)))\n",
    "def f(d, m):\n    return tf.reduce_mean(tf.norm(tf.boolean_mask(d, m > 0), axis=0))\n",
])
def test_a_mean_of_a_selection_that_nothing_shows_empty(body):
    assert _means(body)[1] == []


_PAIRS = ("def f(mu, n, other):\n    rep = tf.tile(mu, [n, 1])\n    diff = tf.reshape(tf.tile(mu, [1, n]), (n * n, -1)) - rep\n"
          "    keep = tf.not_equal(tf.reduce_sum(tf.abs(diff), axis=1), 0.)\n"
          "    dist = tf.norm(tf.boolean_mask(diff, keep), axis=1)\n    {mean}\n")


@pytest.mark.parametrize("mean, guarded", [
    ("return tf.reduce_mean(dist)", False),
    # the thread's fix: a cond on the cluster count the pairs are tiled from (one cluster leaves no pair)
    ("return tf.cond(n <= 1, lambda: tf.constant(0.), lambda: tf.reduce_mean(dist))", True),
    ("return tf.cond(mu[0, 0] > 1, lambda: tf.constant(0.), lambda: tf.reduce_mean(dist))", True),
    # a cond on something the mask is not computed from keeps nothing non-empty
    ("return tf.cond(other > 1, lambda: tf.constant(0.), lambda: tf.reduce_mean(dist))", False),
])
def test_a_guard_on_a_name_the_mask_is_computed_from_keeps_the_selection(mean, guarded):
    analysis, means = _means(_PAIRS.format(mean=mean))
    (found,) = means
    assert "n" in found.selection.names
    assert selection_guarded(analysis, found) is guarded


_PER_CLASS = "    total = 0.0\n    for label in {loop}:\n        idx = tf.where({test})\n" \
    "        total += tf.reduce_mean(tf.gather(scores, idx))\n    return total\n"


@pytest.mark.parametrize("setup, loop, test, empty", [
    # tensorflow-similarity's macro average: each label is drawn from the labels, so it selects itself at least
    ("    classes = tf.unique(tf.reshape(labels, (-1)))[0]\n", "classes", "labels == label", False),
    ("    classes, _ = tf.unique(labels)\n", "classes", "tf.equal(label, labels)", False),
    ("", "np.unique(labels)", "labels == label", False),
    ("", "sorted(set(labels.numpy()))", "labels == label", False),
    ("", "labels", "labels == label", False),
    # drawn from other values, from a rebound name, or compared otherwise: nothing says it occurs
    ("", "np.unique(other)", "labels == label", True),
    ("    classes = tf.unique(labels)[0]\n    labels = labels[1:]\n", "classes", "labels == label", True),
    ("", "np.unique(labels)", "labels > label", True),
    ("", "range(10)", "labels == label", True),
])
def test_a_value_drawn_from_the_tensor_it_is_compared_with_selects_itself(setup, loop, test, empty):
    body = "def f(scores, labels, other):\n" + setup + _PER_CLASS.format(loop=loop, test=test)
    assert (len(_means(body)[1]) == 1) is empty


def test_a_guard_on_the_selection_s_size_or_its_names_keeps_the_mean_safe():
    guarded = ("def f(loss, labels):\n    sel = tf.boolean_mask(loss, labels > 0)\n"
               "    return tf.cond(tf.size(sel) > 0, lambda: tf.reduce_mean(sel), lambda: 0.0)\n")
    analysis, (mean,) = _means(guarded)
    assert selection_guarded(analysis, mean)
    tested = ("def f(loss, labels):\n    pos = labels > 0\n    if tf.reduce_any(pos):\n"
              "        return tf.reduce_mean(tf.boolean_mask(loss, pos))\n    return 0.0\n")
    analysis, (mean,) = _means(tested)
    assert selection_guarded(analysis, mean)
    bare = "def f(loss, labels):\n    return tf.reduce_mean(tf.boolean_mask(loss, labels > 0))\n"
    analysis, (mean,) = _means(bare)
    assert not selection_guarded(analysis, mean)


@pytest.mark.parametrize("helper, repaired", [
    ("    return tf.where(tf.is_nan(loss), tf.zeros_like(loss), loss)\n", True),
    ("    return tf.where(tf.is_nan(other), tf.zeros_like(loss), loss)\n", False),
    ("    return tf.identity(loss)\n", False),
])
def test_a_helper_that_replaces_the_nan_of_its_parameter_keeps_the_mean_safe(helper, repaired):
    """VoteNet's fix: `_zero_if_nan(reduce_mean(...))`, a module function returning where(is_nan(p), 0, p)."""
    body = ("def _zero_if_nan(loss, other=None):\n" + helper +
            "def f(x, m):\n    return 2.0 * _zero_if_nan(tf.reduce_mean(tf.boolean_mask(x, m > 0)))\n")
    analysis, (mean,) = _means(body)
    assert selection_guarded(analysis, mean) is repaired


@pytest.mark.parametrize("value, counts", [
    (Value(Producer.COUNT), True),
    (Value(Producer.SUM, subject="m", subject_can_be_zero=True, mask="m"), True),
    (Value(Producer.SUM, subject="w"), False),  # a sum of unknown terms: 0 only for inputs like [1, -1]
    (Value(Producer.RELU), False),
    (Value(), False),
])
def test_counts_that_can_count_nothing(value, counts):
    assert counts_nothing(value) is counts


PPO = """
class PPO:
    def __init__(self):
        pi, _ = self._build("pi")
        old, _ = self._build("old")
        self.ratio = pi.prob(self.a) / old.prob(self.a)
        self.kind = self._choice().prob(self.a)

    def _build(self, name):
        dist = tf.distributions.Normal(loc=self.mu, scale=self.sigma)
        return dist, name

    def _choice(self):
        return tfp.distributions.Categorical(logits=self.logits)
"""


def test_a_density_is_found_through_the_tuples_methods_return():
    analysis = analysis_of(HEADER + PPO)
    (division,) = list(analysis.divisions())
    assert density(analysis, division.denominator, division.site) == "Normal"
    (call,) = [c for c in analysis.calls if analysis.code_of(c.node) == "self._choice().prob(self.a)"]
    assert density(analysis, call.node, call.site) is None  # a discrete distribution's prob is a probability


def test_a_prob_method_of_something_else_is_not_a_density():
    analysis = analysis_of(HEADER + "def f(model, a, b):\n    return model.prob(a) / model.prob(b)\n")
    (division,) = list(analysis.divisions())
    assert density(analysis, division.denominator, division.site) is None


def test_a_where_of_ones_and_zeros_is_a_mask_whose_sum_counts_it():
    analysis, expr, at = function_return(
        HEADER + "def f(label):\n    valid = tf.where(tf.equal(label, 1), tf.ones_like(label), tf.zeros_like(label))\n"
                 "    return tf.reduce_sum(valid)\n")
    value = analysis.values.of(expr, at)
    assert value.producer is Producer.SUM and value.mask == "valid"
    analysis, expr, at = function_return(
        HEADER + "def f(label, x):\n    w = tf.where(tf.equal(label, 1), x, tf.zeros_like(x))\n    return tf.reduce_sum(w)\n")
    assert analysis.values.of(expr, at).mask is None


def test_a_cap_after_a_negative_power_is_seen_downstream():
    analysis = analysis_of(HEADER + "def f(x):\n    inv = tf.math.rsqrt(tf.reduce_sum(x * x))\n"
                                    "    inv = tf.minimum(inv * 0.9, 1.0)\n    return x * inv\n")
    (call,) = analysis.calls_of(Op.RSQRT)
    assert analysis.guards.capped_downstream(call.site)
    analysis = analysis_of(HEADER + "def f(x):\n    inv = tf.math.rsqrt(tf.reduce_sum(x * x))\n    return x * inv\n")
    (call,) = analysis.calls_of(Op.RSQRT)
    assert not analysis.guards.capped_downstream(call.site)


def test_a_negative_power_of_a_sum_of_squares_claims_a_nan_gradient_and_of_a_clamp_at_0_an_inf_one():
    # measured (TF 2.21, keras.ops alike): rsqrt(reduce_sum(square(x))) at x = 0 is Inf with a NaN gradient (the
    # square's 0 derivative times rsqrt's -Inf); rsqrt(maximum(x, 0)) at x = 0 is Inf with a -Inf gradient
    from nanlint.linter import lint_text

    layer = ("import tensorflow as tf\n\nclass L(tf.keras.layers.Layer):\n    def call(self, x):\n"
             "        return x * tf.math.rsqrt({})\n")
    (squares,) = lint_text(layer.format("tf.reduce_sum(tf.square(x), -1, keepdims=True)"), "m.py").findings
    assert "0 ** -0.5 is Inf in the forward value and a NaN gradient" in squares.message
    (plain,) = lint_text(layer.format("tf.maximum(x, 0.0)"), "m.py").findings
    assert "an Inf gradient" in plain.message and "NaN gradient" not in plain.message


@pytest.mark.parametrize("body, zero", [
    ("def f(discounted_ep_rs):\n    return np.std(discounted_ep_rs)\n", True),
    ("def f(rewards):\n    return rewards.std()\n", True),
    ("def f(returns):\n    return np.std(returns)\n", True),
    # PPO's advantages (ml-agents#230: a buffer of equal advantages, std 0, NaN advantages)
    ("def f(advantages):\n    return advantages.std()\n", True),
    ("def f(rewards):\n    advantages = np.array(rewards)\n    return np.std(advantages)\n", True),
    # a whole data set's spread is 0 only for a column constant over every sample: data preparation
    ("def f(x_train):\n    return np.std(x_train)\n", False),
    ("def f(features):\n    return features.std()\n", False),
])
def test_a_spread_of_an_episode_s_returns_is_0_for_equal_rewards(body, zero):
    analysis, expr, at = function_return(HEADER + body)
    value = analysis.values.of(expr, at)
    assert (value.zero_when is not None) is zero
    if zero:
        assert "all equal" in value.zero_when


@pytest.mark.parametrize("count, empty", [
    ("tf.cast(tf.size(sel), tf.float32)", True),
    ("tf.cast(tf.shape(sel)[0], tf.float32)", True),
    ("len(sel)", True),
    ("tf.cast(tf.shape(loss)[0], tf.float32)", False),  # a batch size: what the batch holds, not a selection
])
def test_the_size_of_a_selection_that_can_be_empty(count, empty):
    from nanlint.analysis.zeros import selection_size

    analysis = analysis_of(HEADER + f"def f(loss, labels):\n    sel = tf.boolean_mask(loss, labels > 0)\n"
                                    f"    return tf.reduce_sum(sel) / {count}\n")
    (division,) = list(analysis.divisions())
    assert (selection_size(analysis, division.denominator, division.site) is not None) is empty


@pytest.mark.parametrize("writes, partly", [
    ("    d[rows] = counts\n", True),
    ("    d[0] = 1.0\n", True),
    ("    d[:] = counts\n", False),  # a whole slice writes every entry
    ("    for i in range(len(d)):\n        d[i] = counts[i]\n", False),  # so does a loop over the entries
    ("    d[rows] = counts\n    d[d == 0] = 1\n", False),  # the code repairs its zeros
    ("", False),  # never written: a literal zero array, not a hazard this rule reads
])
def test_an_array_of_zeros_written_in_part(writes, partly):
    from nanlint.analysis.zeros import partly_filled

    analysis = analysis_of(HEADER + f"def f(n, rows, counts):\n    d = np.zeros(n)\n{writes}    return d ** -0.5\n")
    (power,) = negative_powers(analysis)
    found = partly_filled(analysis, power.division.denominator, power.division.site)
    assert (found is not None) is partly


@pytest.mark.parametrize("body, variable", [
    ("g = tf.Variable(tf.random.uniform([4], minval=0, maxval=16))\ndef f(s):\n    return s / g\n", True),
    # through a dict literal and the parameter every caller passes it to
    ("layer = {'gain': tf.get_variable('g', initializer=tf.ones([4]))}\n"
     "def scale(s, gain=None):\n    return tf.div(s, gain)\n"
     "out = scale(1.0, layer['gain'])\n", True),
    ("class L(tf.keras.layers.Layer):\n    def build(self, shape):\n        self.t = self.add_weight('t', [1])\n"
     "    def call(self, x):\n        return x / self.t\n", True),
    # kept positive: a constraint, an exp around it, an epsilon
    ("class L(tf.keras.layers.Layer):\n    def build(self, shape):\n"
     "        self.t = self.add_weight('t', [1], constraint=tf.keras.constraints.NonNeg())\n"
     "    def call(self, x):\n        return x / self.t\n", False),
    ("g = tf.Variable(tf.zeros([4]))\ndef f(s):\n    return s / tf.exp(g)\n", False),
    ("g = tf.Variable(tf.zeros([4]))\ndef f(s):\n    return s / (g + 1e-7)\n", False),
    ("def f(s, g):\n    return s / g\n", False),  # a parameter nothing passes a weight
    # made in the division itself (tensorflow-privacy's class weights): nothing holds it, nothing trains it
    ("def f(n, counts):\n    return tf.Variable(n) / tf.Variable(counts, dtype=tf.float32)\n", False),
])
def test_a_trainable_variable_as_a_divisor(body, variable):
    from nanlint.analysis.zeros import trainable_divisor

    analysis = analysis_of(HEADER + body)
    (division,) = list(analysis.divisions())
    assert (trainable_divisor(analysis, division.denominator, division.site) is not None) is variable


@pytest.mark.parametrize("made", [
    "self.add_weight('count', shape=(), initializer='zeros', trainable=False)",  # a metric's counter
    "self.add_weight('scale', **scale_kwargs)",  # what it is made with is not in view
])
def test_a_variable_the_optimizer_does_not_move_is_not_a_trainable_divisor(made):
    from nanlint.analysis.zeros import trainable_divisor

    analysis = analysis_of(HEADER + f"class M:\n    def build(self, scale_kwargs):\n        self.v = {made}\n"
                                    f"    def result(self, total):\n        return total / self.v\n")
    (division,) = list(analysis.divisions())
    assert trainable_divisor(analysis, division.denominator, division.site) is None


def test_a_metric_s_state_is_not_a_trainable_divisor():
    from nanlint.analysis.zeros import trainable_divisor

    analysis = analysis_of(HEADER + "class M(tf.keras.metrics.Metric):\n    def __init__(self):\n"
                                    "        self.count = self.add_weight('count', initializer='zeros')\n"
                                    "    def result(self, total):\n        return total / self.count\n")
    (division,) = list(analysis.divisions())
    assert trainable_divisor(analysis, division.denominator, division.site) is None


COUNTER = ("class Accumulator:\n    def __init__(self):\n        self.count = tf.Variable(tf.zeros(shape=[], dtype=tf.float32))\n"
           "    def reset(self):\n        return self.count.assign({reset})\n"
           "    def add(self, loss):\n        return self.count.assign_add({step})\n"
           "    def mean(self, total):\n        return total / self.count\n")


@pytest.mark.parametrize("reset, step, trainable", [
    # a counter (gpt-2-simple's gradient accumulation, tf2rl's normalizer): reset to a constant, incremented by one
    ("tf.zeros(shape=[], dtype=tf.float32)", "1.0", False),
    ("0.0", "1", False),
    # a hand-written update moves it as an optimizer would: still trained
    ("tf.zeros(shape=[])", "-0.01 * loss", True),
    ("tf.zeros(shape=[])", "loss", True),
    ("self.count * 0.5", "1.0", True),  # a write that is no reset
])
def test_a_counter_the_class_increments_is_not_a_trainable_divisor(reset, step, trainable):
    from nanlint.analysis.zeros import trainable_divisor

    analysis = analysis_of(HEADER + COUNTER.format(reset=reset, step=step))
    (division,) = list(analysis.divisions())
    assert (trainable_divisor(analysis, division.denominator, division.site) is not None) is trainable


def test_a_trainable_variable_updated_by_assign_sub_stays_trainable():
    from nanlint.analysis.zeros import trainable_divisor

    analysis = analysis_of(HEADER + COUNTER.format(reset="0.0", step="1.0").replace(
        "    def mean", "    def step(self, grad):\n        return self.count.assign_sub(0.1 * grad)\n    def mean"))
    (division,) = list(analysis.divisions())
    assert trainable_divisor(analysis, division.denominator, division.site) is not None


@pytest.mark.parametrize("setup, total, counted", [
    ("    cm = tf.math.confusion_matrix(labels, preds)\n", "np.sum(cm[:, i])", True),
    ("    cm = tf.cast(tf.math.confusion_matrix(labels, preds), tf.float32)\n", "tf.reduce_sum(cm, axis=1)", True),
    ("    cm = confusion_matrix(labels, preds)\n", "cm[i].sum()", True),
    ("    cm = confusion_matrix(labels, preds)\n", "cm.sum(axis=0)", True),
    # counted into zeros by increments alone, in a loop
    ("    cm = np.zeros((n, n))\n    for t, p in zip(labels, preds):\n        cm[t][p] += 1\n", "np.sum(cm[i, :])", True),
    # the total of the whole table is 0 only for an evaluation with no sample at all
    ("    cm = tf.math.confusion_matrix(labels, preds)\n", "tf.reduce_sum(cm)", False),
    # an entry assigned may hold anything; a decrement can bring a total to 0 from anything
    ("    cm = np.zeros((n, n))\n    cm[0] = preds\n    cm[1][1] += 1\n", "np.sum(cm[:, i])", False),
    ("    cm = np.zeros((n, n))\n    cm[1][1] -= 1\n", "np.sum(cm[:, i])", False),
    ("    cm = np.zeros((n, n))\n", "np.sum(cm[:, i])", False),  # never counted into: not a count table
    ("    cm = preds\n", "np.sum(cm[:, i])", False),
])
def test_a_row_or_column_total_of_a_count_table(setup, total, counted):
    from nanlint.analysis.zeros import count_total

    analysis = analysis_of("import numpy as np\nimport tensorflow as tf\nfrom sklearn.metrics import confusion_matrix\n"
                           f"def f(labels, preds, n, i):\n{setup}    return cm[i, i] / {total}\n")
    (division,) = list(analysis.divisions())
    assert (count_total(analysis, division.denominator, division.site) is not None) is counted


def test_a_count_table_reaches_a_sum_through_parameters_and_returns():
    from nanlint.analysis.zeros import count_total

    analysis = analysis_of(HEADER + "def count(pairs, n):\n    cm = np.zeros((n, n))\n    for t, p in pairs:\n"
                                    "        cm[t][p] += 1\n    return cm\n"
                                    "def precision(cm, i):\n    total = np.sum(cm[:, i])\n    return cm[i, i] / total\n"
                                    "precision(count([(0, 1)], 2), 0)\n")
    (division,) = list(analysis.divisions())
    found = count_total(analysis, division.denominator, division.site)
    assert found is not None and found.made == "an array of zeros only incremented (`cm[t][p] += 1`)"


@pytest.mark.parametrize("body, parameter", [
    ("def f(p):\n    return p / tf.reduce_sum(p, axis=-1, keepdims=True)\n", "p"),
    # through a conversion, a cast, a broadcast of zeros, and the element a module function returns for it
    ("def f(x, w):\n    w = tf.cast(tf.convert_to_tensor(w), x.dtype)\n    b = w + tf.zeros_like(x)\n"
     "    return tf.reduce_sum(w * x, 0) / tf.reduce_sum(b, 0)\n", "w"),
    ("def pick(out):\n    return out, False\n"
     "def f(out):\n    out, flag = pick(out)\n    return out / tf.reduce_sum(out, 1)\n", "out"),
    ("def f(p):\n    return p / tf.reduce_sum(p)\n", None),  # the total of everything: 0 only for an all-zero input
    ("def f(x):\n    p = tf.nn.relu(x) + 1.0\n    return p / tf.reduce_sum(p, -1)\n", None),  # computed here
])
def test_the_terms_a_sum_adds_up_are_the_caller_s(body, parameter):
    from nanlint.analysis.zeros import handed_in_terms

    analysis = analysis_of(HEADER + body)
    (division,) = list(analysis.divisions())
    found = handed_in_terms(analysis, division.denominator, division.site)
    assert (found.name if found is not None else None) == parameter


def test_a_reciprocal_divides_what_it_is_multiplied_by():
    from nanlint.analysis.zeros import reciprocal_factors

    analysis = analysis_of(HEADER + "def f(x, w):\n    total = tf.reduce_sum(w * x, 0)\n"
                                    "    inv = tf.math.reciprocal(tf.reduce_sum(w, 0))\n"
                                    "    mean = tf.multiply(total, inv)\n    spread = inv * tf.reduce_sum(w * x * x, 0)\n"
                                    "    inv = 2.0\n    return mean, spread, total * inv\n")
    (division,) = list(analysis.divisions())
    # not `total * inv` after inv is rebound
    assert sorted(analysis.code_of(factor) for factor in reciprocal_factors(analysis, division)) == [
        "tf.reduce_sum(w * x * x, 0)", "total"]


@pytest.mark.parametrize("numerator, reads", [
    ("weights * x", True),
    ("total", True),  # bound earlier from the weights
    ("scaled", True),  # unpacked from a tuple computed from them
    ("x.weights", False),  # an attribute's own name is not a read of the parameter
    ("tf.reduce_sum(x, axis=weights_axis)", False),
    ("tf.ones_like(x, name='weights')", False),  # a keyword's text
])
def test_what_a_numerator_reads_is_found_through_the_binder(numerator, reads):
    from nanlint.analysis.zeros import handed_in_terms, reads_binding

    analysis = analysis_of(HEADER + "def f(x, weights, weights_axis):\n    total = tf.reduce_sum(weights * x, 0)\n"
                                    "    scaled, _ = (weights * 2.0, x)\n"
                                    f"    return {numerator} / tf.reduce_sum(weights, axis=0)\n")
    (division,) = [d for d in analysis.divisions() if d.numerator is not None]
    parameter = handed_in_terms(analysis, division.denominator, division.site)
    assert parameter is not None and parameter.name == "weights"
    assert reads_binding(analysis, division.numerator, division.site, parameter) is reads


def test_a_numerator_reads_the_terms_a_helper_returns_for_the_parameter():
    """Keras' categorical_crossentropy: `output, from_logits = _get_logits(output, ...)`, then
    `output / reduce_sum(output, axis)`: the terms are the helper's parameter, the numerator reads what it returns."""
    from nanlint.analysis.zeros import handed_in_terms, reads_binding

    analysis = analysis_of(HEADER + "def _get_logits(output, from_logits):\n    return output, from_logits\n\n"
                                    "def f(target, output, from_logits=False):\n"
                                    "    output, from_logits = _get_logits(output, from_logits)\n"
                                    "    return output / tf.reduce_sum(output, -1, keepdims=True)\n")
    (division,) = list(analysis.divisions())
    parameter = handed_in_terms(analysis, division.denominator, division.site)
    assert parameter is not None and reads_binding(analysis, division.numerator, division.site, parameter)
    assert not reads_binding(analysis, cst.parse_expression("target"), division.site, parameter)


WEIGHTED = ("import tensorflow as tf\n\ndef weighted_mean(x, weights):\n"
            "    inv = tf.math.reciprocal(tf.reduce_sum(weights, axis=0))\n"
            "    return tf.reduce_sum(weights * x, axis=0) * inv\n\n"
            "def renormalized_log(target, output):\n    output = output / tf.reduce_sum(output, -1, keepdims=True)\n"
            "    return -tf.reduce_sum(target * tf.math.log(tf.clip_by_value(output, 1e-7, 1 - 1e-7)), -1)\n\n"
            "def other_total(x, weights, y):\n    return tf.reduce_sum(weights * x, axis=0) / tf.reduce_sum(y, axis=0)\n")


def test_a_row_total_of_handed_in_weights_or_probabilities_is_reported_under_preview_only():
    from nanlint.linter import lint_text
    from nanlint.selection import Selection

    default = lint_text(WEIGHTED, "m.py", Selection()).findings
    preview = lint_text(WEIGHTED, "m.py", Selection(preview=True)).findings
    assert [f.line for f in default if f.code == "NAN002"] == []
    shown = [f for f in preview if f.code == "NAN002"]
    assert [f.line for f in shown] == [4, 8]
    assert "a row total of `weights`" in shown[0].message and "a row total of `output`" in shown[1].message


@pytest.mark.parametrize("body, rooted", [
    ("    v_t = v.assign(b2 * v + (1.0 - b2) * tf.square(g))\n    return m / tf.sqrt(v_t)\n", True),
    # a bias correction, and an epsilon inside the root's divisor, keep its zeros
    ("    v_t = b2 * v + (1 - b2) * g ** 2\n    vhat = tf.sqrt(v_t / ((1.0 - p) + 1e-8))\n    return m / vhat\n", True),
    ("    v_t = tf.compat.v1.assign(v, tf.multiply(b2, v) + (1 - b2) * tf.square(g))\n    return m / v_t\n", False),
])
def test_an_optimizer_s_second_moment(body, rooted):
    from nanlint.analysis.zeros import second_moment

    analysis = analysis_of(HEADER + f"def f(m, v, g, b2, p):\n{body}")
    division = list(analysis.divisions())[-1]
    found = second_moment(analysis, division.denominator, division.site)
    assert found is not None and found.rooted is rooted


@pytest.mark.parametrize("denominator", [
    "tf.sqrt(b2 * v + (1 - b2) * tf.square(g)) + 1e-8",  # the epsilon after the root
    "tf.sqrt(b2 * v + (1 - b2) * tf.square(g) + 1e-8)",  # an epsilon inside the average: not an average of squares
    "tf.sqrt(b2 * v + (1 - b2) * g)",  # a first moment
    "tf.sqrt(v + tf.square(g))",  # an accumulator with no decayed product
])
def test_not_a_bare_second_moment(denominator):
    from nanlint.analysis.zeros import second_moment

    analysis = analysis_of(HEADER + f"def f(m, v, g, b2):\n    return m / ({denominator})\n")
    (division,) = list(analysis.divisions())
    assert second_moment(analysis, division.denominator, division.site) is None


def test_a_sum_of_two_weighted_squares_is_not_a_second_moment():
    """TFP's low-rank Cholesky update, `square(d) * b + c * square(omega)`: no decayed state in it."""
    from nanlint.analysis.zeros import second_moment

    analysis = analysis_of(HEADER + "def f(d, b, c, omega):\n"
                                    "    scale = tf.math.square(d) * b + c * tf.math.square(omega)\n    return d / scale\n")
    (division,) = list(analysis.divisions())
    assert second_moment(analysis, division.denominator, division.site) is None


_R2_STATE = """
class R2(keras.metrics.Metric):
    def update_state(self, y, w):
        wy = y * w
        self.s.assign(self.s + ops.sum(wy, axis=0))
        self.s2.assign_add(ops.sum({squares}, axis=0))
        self.n.assign(self.n + ops.sum(w, axis=0))

    def reset_state(self):
        self.s.assign(ops.zeros(3))

    def result(self):
        mean = self.s / self.n
        return self.res / {total}
"""


@pytest.mark.parametrize("body, terms", [
    # Keras' and TF-Addons' R2Score: state accumulated with assign / assign_add, weighted terms
    (_R2_STATE.format(squares="y * wy", total="(self.s2 - self.s * mean)"), "wy"),
    ("def f(x, n):\n    s = tf.reduce_sum(x)\n    s2 = tf.reduce_sum(tf.square(x))\n    return 1.0 / (s2 - s * s / n)\n",
     "x"),
    ("def f(x):\n    var = tf.reduce_mean(x ** 2) - tf.reduce_mean(x) ** 2\n    return x / tf.sqrt(var)\n", "x"),
])
def test_a_variance_written_from_moments(body, terms):
    analysis = analysis_of("import keras\nfrom keras import ops\n" + HEADER + body)
    (found,) = [variance for d in analysis.divisions()
                if (variance := moment_variance(analysis, d.denominator, d.site)) is not None]
    assert found.terms == terms


@pytest.mark.parametrize("body", [
    # the minuend sums other terms, the subtrahend is not a squared first moment, a centered variance
    _R2_STATE.format(squares="w * w", total="(self.s2 - self.s * mean)"),
    "def f(x, y, n):\n    return 1.0 / (tf.reduce_sum(x * x) - tf.reduce_sum(x) * tf.reduce_sum(y))\n",
    "def f(x):\n    return 1.0 / tf.reduce_mean(tf.square(x - tf.reduce_mean(x)))\n",
    "def f(a, b, c):\n    return 1.0 / (a - b * c)\n",
])
def test_not_a_variance_written_from_moments(body):
    analysis = analysis_of("import keras\nfrom keras import ops\n" + HEADER + body)
    assert all(moment_variance(analysis, d.denominator, d.site) is None for d in analysis.divisions())


@pytest.mark.parametrize("subtrahend, variance", [
    # the scale-invariant log loss (BTS's silog, Eigen's): E[d²] - λ E[d]² with λ < 1 is Var + (1 - λ) E[d]² >= 0
    ("0.85 * (tf.reduce_mean(d) ** 2)", False),
    ("0.5 * tf.square(tf.reduce_mean(d))", False),
    ("tf.reduce_mean(d) * 0.85 * tf.reduce_mean(d)", False),
    # a weight of 1 is the variance itself, and 0.999 leaves too little margin to call it safe
    ("1.0 * tf.reduce_mean(d) ** 2", True),
    ("0.999 * tf.reduce_mean(d) ** 2", True),
    ("tf.reduce_mean(d) ** 2", True),
])
def test_a_squared_mean_weighted_below_one_is_not_a_variance(subtrahend, variance):
    analysis = analysis_of(f"{HEADER}def f(d):\n    return tf.sqrt(tf.reduce_mean(d ** 2) - {subtrahend})\n")
    (call,) = analysis.calls_of(Op.SQRT)
    found = cancelled_variance(analysis, analysis.operand(call.node), call.site)
    assert (found is not None) is variance


def test_sums_over_a_count_are_not_read_as_weighted_means():
    # `s2 - 0.5 * s * s / n` is not a mean of squares minus a weighted squared mean: left as it was
    analysis = analysis_of(f"{HEADER}def f(d, n):\n"
                           f"    return tf.sqrt(tf.reduce_sum(d ** 2) - 0.5 * tf.reduce_sum(d) * tf.reduce_sum(d) / n)\n")
    (call,) = analysis.calls_of(Op.SQRT)
    assert cancelled_variance(analysis, analysis.operand(call.node), call.site) is not None


@pytest.mark.parametrize("radicand, epsilon", [
    ("var", None),
    ("var + 1e-3", 1e-3),
    ("tf.squeeze(var, 0) + eps", 1e-5),
    # clipped into float16's range, which keeps its negative values; a moment of a stop_gradient'ed mean
    ("tf.cast(tf.clip_by_value(var, tf.float16.min, tf.float16.max), tf.float16)", None),
])
def test_a_moment_variance_reaches_a_root_through_wrappers_and_an_epsilon(radicand, epsilon):
    analysis = analysis_of(f"{HEADER}def f(x, eps=1e-5):\n    m = tf.reduce_mean(x, 0)\n"
                           f"    var = tf.reduce_mean(tf.square(x), 0) - tf.square(tf.stop_gradient(m))\n"
                           f"    return tf.math.rsqrt({radicand})\n")
    (call,) = analysis.calls_of(Op.RSQRT)
    found = cancelled_variance(analysis, analysis.operand(call.node), call.site)
    assert found is not None and found.variance.terms == "x" and found.epsilon == epsilon
    assert analysis.code_of(found.difference).startswith("tf.reduce_mean(tf.square(x), 0) -")


@pytest.mark.parametrize("variance", [
    "tf.maximum(tf.reduce_mean(tf.square(x), 0) - tf.square(m), 0.0)",  # clamped at 0
    "tf.clip_by_value(tf.reduce_mean(tf.square(x), 0) - tf.square(m), 0.0, 1e3)",
    "tf.reduce_mean(tf.square(x - m), 0)",  # the mean of squared deviations is never negative
    "tf.sqrt(tf.reduce_mean(tf.square(x), 0) - tf.square(m))",  # a root's value is no variance
])
def test_a_clamped_or_centered_variance_is_not_cancelled(variance):
    analysis = analysis_of(f"{HEADER}def f(x):\n    m = tf.reduce_mean(x, 0)\n    var = {variance}\n"
                           f"    return tf.math.rsqrt(var + 1e-3), var\n")
    (call,) = analysis.calls_of(Op.RSQRT)
    assert cancelled_variance(analysis, analysis.operand(call.node), call.site) is None
    assert list(returned_variances(analysis)) == []


def test_a_function_returning_a_moment_variance_leaves_its_root_to_others():
    analysis = analysis_of(f"{HEADER}def moments(x, axes, keepdims=False):\n"
                           f"    mean = tf.reduce_mean(x, axes, keepdims=True)\n"
                           f"    variance = tf.reduce_mean(x * x, axes, keepdims=True) - mean ** 2\n"
                           f"    if not keepdims:\n        variance = tf.squeeze(variance, axes)\n"
                           f"    return tf.squeeze(mean, axes), variance\n"
                           f"def scale(x):\n    return tf.reduce_mean(x * x) - tf.reduce_mean(x) ** 2 + 1.0\n")
    (found,) = returned_variances(analysis)  # the second adds a constant: not returned as a variance
    assert analysis.code_of(found.difference) == "tf.reduce_mean(x * x, axes, keepdims=True) - mean ** 2"


_LNCC = """def ncc(t, p, eps=1e-5):
    ones = tf.ones([9, 9, 9, 1, 1])
    t2 = t * t
    t_sum = tf.nn.conv3d(t, ones, [1] * 5, "SAME")
    t2_sum = tf.nn.conv3d(t2, ones, [1] * 5, "SAME")
    t_avg = t_sum / 729
    t_var = {t_var}
    p_var = tf.nn.avg_pool3d(p * p, 9, 1, "SAME") - tf.nn.avg_pool3d(p, 9, 1, "SAME") ** 2
    return 1.0 / ({denominator})
"""


@pytest.mark.parametrize("t_var, denominator, terms, product, epsilon", [
    # DeepReg's LNCC (DeepReg#690): windowed sums by conv3d with a box kernel, a product of two variances + EPS
    ("t2_sum - t_avg * t_sum", "t_var * p_var + eps", "t", True, 1e-5),
    ("t2_sum - t_avg * t_sum", "p_var * t_var", "p", True, None),
    # windowed means (avg_pool) under an epsilon alone
    ("t2_sum - t_avg * t_sum", "p_var + 1e-3", "p", False, 1e-3),
])
def test_a_moment_variance_in_a_product_or_under_an_epsilon_in_a_denominator(t_var, denominator, terms, product,
                                                                              epsilon):
    analysis = analysis_of(HEADER + _LNCC.format(t_var=t_var, denominator=denominator))
    (division,) = [d for d in analysis.divisions() if analysis.code_of(d.denominator) == f"({denominator})"]
    found = guarded_variance(analysis, division.denominator, division.site)
    assert found is not None and found.cancelled.variance.terms == terms
    assert found.product is product and found.cancelled.epsilon == epsilon


@pytest.mark.parametrize("t_var, denominator", [
    ("tf.maximum(t2_sum - t_avg * t_sum, 0.0)", "t_var * t_var + eps"),  # a square is never below the epsilon
    ("tf.maximum(t2_sum - t_avg * t_sum, 0.0)", "t_var * tf.maximum(p_var, 0.0) + eps"),  # both clipped at 0 first
    ("t2_sum - t_avg * t_sum", "t_var"),  # a bare variance: moment_variance's own case
    ("t2_sum - t_avg * t_sum", "t_var + tf.square(p_var)"),  # no constant added, no product
])
def test_a_clipped_squared_or_bare_variance_in_a_denominator_is_left_alone(t_var, denominator):
    analysis = analysis_of(HEADER + _LNCC.format(t_var=t_var, denominator=denominator))
    (division,) = [d for d in analysis.divisions() if analysis.code_of(d.denominator) == f"({denominator})"]
    assert guarded_variance(analysis, division.denominator, division.site) is None


@pytest.mark.parametrize("body, found", [
    # Scaled-YOLOv4's CIoU: sides recomputed as far corner minus near corner of one tensor (TF 2.21: NaN gradient
    # for corners that coincide)
    ("wh = p[..., 2:4] - p[..., 0:2]\n    return tf.math.atan2(wh[..., 1], wh[..., 0])", True),
    ("wh = p[:, 2:] - p[:, :2]\n    h = wh[:, 1]\n    return keras.ops.arctan2(h, wh[:, 0])", True),
    # two sides of a box tensor, two relu outputs, two entries of a relu output
    ("return tf.atan2(boxes[..., 3] - boxes[..., 1], boxes[..., 2] - boxes[..., 0])", True),
    ("return tf.atan2(tf.nn.relu(p), tf.nn.relu(q))", True),
    ("r = tf.nn.relu(p)\n    return tf.atan2(r[..., 1], r[..., 0])", True),
    # (0, 0) only by chance: two arbitrary tensors, entries of a parameter, a difference of two tensors
    ("return tf.atan2(p, q)", False),
    ("return tf.atan2(p[..., 1], p[..., 0])", False),
    ("d = p - q\n    return tf.atan2(d[..., 1], d[..., 0])", False),
    # an epsilon keeps x off 0; one entry twice is no pair; NumPy has no gradient
    ("wh = p[..., 2:4] - p[..., 0:2]\n    return tf.atan2(wh[..., 1], wh[..., 0] + 1e-7)", False),
    ("wh = p[..., 2:4] - p[..., 0:2]\n    return tf.atan2(wh[..., 0], wh[..., 0])", False),
    ("wh = p[..., 2:4] - p[..., 0:2]\n    return np.arctan2(wh[..., 1], wh[..., 0])", False),
])
def test_atan2_of_two_values_zero_together(body, found):
    analysis = analysis_of(f"{HEADER}import keras\ndef f(p, q, boxes):\n    {body}\n")
    assert bool(list(atan2_origins(analysis))) is found


@pytest.mark.parametrize("body, found", [
    # keras.ops.blackman's TensorFlow backend (keras#22538): [nan] for a window of length 1
    ("x = tf.cast(x, 'float32')\n    n = tf.range(x)\n    n_minus_1 = tf.cast(x - 1, 'float32')\n"
     "    return tf.cos(2 * np.pi * n / n_minus_1)", "n"),
    ("i = tf.cast(tf.range(tf.shape(y)[0]), tf.float32)\n    return i / tf.cast(tf.shape(y)[0] - 1, tf.float32)", "i"),
    ("for i in range(x):\n        y[i] = i / (x - 1)\n    return y", "i"),
    ("return np.arange(x) / float(x - 1)", "np.arange(x)"),
    # a constant length, another length, a step with no index, an index from 1
    ("x = 16\n    return tf.range(x) / (x - 1)", None),
    ("return tf.range(y) / (x - 1)", None),
    ("return (y - 1.0) / (x - 1)", None),
    ("return tf.range(1, x) / (x - 1)", None),
])
def test_an_index_over_a_length_divided_by_the_length_minus_one(body, found):
    analysis = analysis_of(f"{HEADER}def f(x, y):\n    {body}\n")
    results = [length_minus_one(analysis, division) for division in analysis.divisions()]
    indices = [result.index for result in results if result is not None]
    assert indices == ([found] if found else [])
