"""The value engine: what is known about an expression, followed through the binder's bindings."""

from __future__ import annotations

import math

import textwrap

import libcst as cst
import pytest

from nanlint.analysis.binder import END, At
from nanlint.analysis.module import ModuleAnalysis
from nanlint.analysis.operations import Op
from nanlint.analysis.values import Producer, ValueFacts
from analysis_support import analysis_of, function_return

HEADER = "import tensorflow as tf\nimport numpy as np\n"


def _value_of_log_operand(source: str):
    """The value facts of the operand of the (only) log call in `source`."""
    analysis = ModuleAnalysis.build(cst.parse_module(HEADER + textwrap.dedent(source)))
    (call,) = analysis.calls_of(Op.LOG)
    return analysis.values.of(analysis.operand(call.node), call.site)


def _assert_zero_source(source: str, zero: bool, producer: Producer, reason: str) -> None:
    """The log's operand is a zero source (of this producer, for this reason) exactly when `zero`."""
    value = _value_of_log_operand(source)
    assert (value.zero_when is not None) is zero
    if zero:
        assert value.producer is producer and reason in value.zero_when


@pytest.mark.parametrize("source, producer", [
    # an attribute set in one method, read in another (TF1 model classes, Keras layers)
    ("""
     class Model:
         def build(self, h):
             self.probs = tf.nn.softmax(h)
         def loss(self):
             return tf.log(self.probs)
     """, Producer.SOFTMAX),
    # ...and through an instance of the class
    ("""
     class Net:
         def __init__(self, h):
             self.out = tf.sigmoid(h)
     net = Net(h)
     tf.math.log(net.out)
     """, Producer.SIGMOID),
    # a parameter bound at the call site being evaluated
    ("""
     def head(h):
         return h
     tf.math.log(head(tf.sigmoid(z)))
     """, Producer.SIGMOID),
    # a function passed as a value, and a default activation
    ("""
     def dense(x, n, act=None):
         h = tf.matmul(x, w)
         return act(h)
     tf.math.log(dense(x, 10, act=tf.nn.relu))
     """, Producer.RELU),
    ("""
     def dense(x, n, act=tf.nn.relu):
         return act(tf.matmul(x, w))
     tf.math.log(dense(x, 10))
     """, Producer.RELU),
    # an activation bound to a name and given to a layer
    ("""
     act = tf.nn.sigmoid
     y = tf.keras.layers.Dense(1, activation=act)(h)
     tf.math.log(y)
     """, Producer.SIGMOID),
    # containers: tuples, lists, dicts, and tuples returned by functions
    ("""
     outs = (tf.sigmoid(a), b)
     tf.math.log(outs[0])
     """, Producer.SIGMOID),
    ("""
     d = {"p": tf.nn.softmax(z), "q": z}
     tf.math.log(d["p"])
     """, Producer.SOFTMAX),
    ("""
     def heads(z):
         return z, tf.sigmoid(z)
     logits, probs = heads(x)
     tf.math.log(probs)
     """, Producer.SIGMOID),
    # a lambda
    ("""
     squash = lambda t: tf.sigmoid(t)
     tf.math.log(squash(x))
     """, Producer.SIGMOID),
    # inheritance: a model whose call() is defined by its base class
    ("""
     class Base(tf.keras.Model):
         def call(self, x):
             return tf.nn.softmax(x)
     class Child(Base):
         pass
     model = Child()
     tf.math.log(model(x))
     """, Producer.SOFTMAX),
    # a method spelling of a reduction over a value that reaches 0
    ("""
     h = tf.nn.relu(x)
     tf.math.log(h.std(axis=0))
     """, Producer.STD),
])
def test_value_is_followed(source, producer):
    assert _value_of_log_operand(source).producer is producer


@pytest.mark.parametrize("source", [
    # the lambda's parameter shadows the enclosing sigmoid
    """
    t = tf.sigmoid(x)
    f = lambda t: t + 1
    tf.math.log(f(3.0))
    """,
    # each call site binds its own argument: the safe call is not the sigmoid one
    """
    def head(h):
        return h
    a = head(tf.sigmoid(z))
    tf.math.log(head(tf.exp(z)))
    """,
    # a data column's std (NumPy preparation): 0 only for a constant column, which nothing shows
    """
    x = np.random.rand(10, 3)
    np.log(x.std(axis=0))
    """,
    # an element of a container that is not the probability
    """
    outs = (tf.sigmoid(a), b)
    tf.math.log(outs[1])
    """,
])
def test_value_is_not_confused(source):
    value = _value_of_log_operand(source)
    assert value.producer in (None, Producer.EXP), value


@pytest.mark.parametrize("source, producer", [
    # a comprehension over a comprehension (pointer-generator: one distribution per decoder step)
    ("""
     dists = [tf.nn.softmax(s) for s in scores]
     logs = [tf.log(d) for d in dists]
     """, Producer.SOFTMAX),
    # a list grown in a loop, iterated in another
    ("""
     outs = []
     for s in scores:
         outs.append(tf.sigmoid(s))
     for o in outs:
         tf.log(o)
     """, Producer.SIGMOID),
    # `extend` with the elements of another list
    ("""
     outs = []
     outs.extend([tf.sigmoid(s) for s in scores])
     tf.log(outs[0])
     """, Producer.SIGMOID),
    # rows of zip(), unpacked by position
    ("""
     for (x, p) in zip(xs, [tf.nn.softmax(s) for s in scores]):
         tf.log(p)
     """, Producer.SOFTMAX),
    # enumerate() over the slices of tf.unstack()
    ("""
     for step, p in enumerate(tf.unstack(tf.nn.softmax(logits), axis=1)):
         tf.log(p)
     """, Producer.SOFTMAX),
    # a literal list of tuples, a part of each
    ("""
     for name, p in [("a", tf.sigmoid(a)), ("b", b)]:
         tf.log(p)
     """, Producer.SIGMOID),
    # nested loops: an element of an element
    ("""
     table = [[tf.sigmoid(a), tf.sigmoid(b)]]
     for row in table:
         for p in row:
             tf.log(p)
     """, Producer.SIGMOID),
    # a computed index into a comprehension, and a list returned by a function
    ("""
     def heads(scores):
         return [tf.nn.softmax(s) for s in scores]
     probs = heads(scores)
     for step in range(n):
         tf.log(probs[step])
     """, Producer.SOFTMAX),
    # map() applies a function to each element: an operation, or a lambda of the module
    ("""
     for p in map(tf.nn.softmax, [s for s in scores]):
         tf.log(p)
     """, Producer.SOFTMAX),
    ("""
     probs = list(map(lambda s: tf.sigmoid(2 * s), tf.unstack(logits)))
     tf.log(probs[0])
     """, Producer.SIGMOID),
    # the rows of a tensor have its values
    ("""
     probs = tf.nn.softmax(logits)
     for row in probs:
         tf.log(row)
     """, Producer.SOFTMAX),
])
def test_elements_flow_through_loops_and_comprehensions(source, producer):
    assert _value_of_log_operand(source).producer is producer


@pytest.mark.parametrize("source", [
    # the part of the zip() row that is not the probability
    """
    for (p, y) in zip([tf.nn.softmax(s) for s in scores], labels):
        tf.log(y)
    """,
    # enumerate's counter
    """
    for i, p in enumerate([tf.sigmoid(s) for s in scores]):
        tf.log(i)
    """,
    # a comprehension target does not leak: `p` after it is the assignment before it
    """
    p = counts + 1
    probs = [tf.sigmoid(p) for p in scores]
    tf.log(p)
    """,
    # appended to another list than the one iterated
    """
    outs, others = [], []
    others.append(tf.sigmoid(s))
    for o in outs:
        tf.log(o)
    """,
])
def test_elements_are_not_confused(source):
    assert _value_of_log_operand(source).producer is None


def test_method_spellings_are_operations_only_with_array_receivers():
    analysis = ModuleAnalysis.build(cst.parse_module(textwrap.dedent("""
        a.std(axis=0)
        t.log()
        logger.log(10, "message")
        self.log("loss", value)
        x.sum()
    """)))
    assert [call.op for call in analysis.calls] == [Op.REDUCE_STD, Op.LOG, None, None, Op.REDUCE_SUM]


def test_division_hazards_spelled_over_several_statements():
    from nanlint.linter import lint_text
    from nanlint.selection import Selection

    source = textwrap.dedent("""
        import tensorflow as tf

        def masked_mean(loss, mask):
            total = tf.reduce_sum(loss * mask)
            count = tf.reduce_sum(mask)
            return total / count

        def scale(x):
            h = tf.nn.relu(x)
            return h / tf.reduce_max(h)

        def not_a_hazard(x):
            return x / tf.reduce_max(tf.nn.softmax(x))

        def std_norm(x):
            x /= tf.math.reduce_std(x, axis=-1)
            return x
    """)
    findings = [f for f in lint_text(source, "x.py", Selection(select=("NAN002",))).findings]
    assert [f.line for f in findings] == [7, 11, 17]
    assert "empty mask" in findings[0].message and "[1, -1]" not in findings[0].message


def test_an_attribute_reassigned_earlier_in_the_same_method_is_that_value():
    guarded = _value_of_log_operand("""
        class Net:
            def __init__(self, h):
                self.pred = tf.nn.softmax(h)
            def loss(self):
                self.pred = tf.clip_by_value(self.pred, 1e-7, 1.0)
                return tf.log(self.pred)
        """)
    assert guarded.producer is Producer.SOFTMAX and guarded.guard is not None


@pytest.mark.parametrize("source, expected", [
    # a masked mean whose numerator was masked in an earlier statement (augmented assignment)
    ("""
     def pool(inputs, mask):
         mask = tf.cast(mask, tf.float32)
         inputs *= mask
         return tf.reduce_sum(inputs, axis=1) / tf.reduce_sum(mask, axis=1)
     """, [5]),
    # the mean of a mask, and a mask built from a comparison
    ("""
     def objective(score, w):
         keep = tf.cast(tf.not_equal(w, 0), tf.float32)
         score = score * keep
         score /= tf.reduce_mean(keep)
         return score
     """, [5]),
    # a sum of exps times a mask (masked softmax)
    ("""
     def soft_alignment(att, ques_mask):
         e = tf.exp(att - tf.reduce_max(att, axis=-1, keepdims=True))
         g = e * ques_mask
         return g / tf.reduce_sum(g, axis=-1, keepdims=True)
     """, [5]),
    # one image's std (a blank image), but not a data set's column std over samples
    ("""
     def normalize(image, data):
         img = image[0, ..., 1]
         a = (img - img.mean()) / img.std()
         b = (data - data.mean(axis=0)) / data.std(axis=0)
         c = data[:100] / np.std(data[:100])
         return a, b, c
     """, [4]),
])
def test_structural_zeros_of_masks_and_items(source, expected):
    from nanlint.linter import lint_text
    from nanlint.selection import Selection

    findings = lint_text(HEADER + textwrap.dedent(source), "x.py", Selection(select=("NAN002",))).findings
    assert [f.line - 2 for f in findings] == expected


@pytest.mark.parametrize("source, producer", [
    # attributes bound by a tuple assignment from a method's returned tuple, and TF1's functional dense layer
    ("""
     class ACNet:
         def __init__(self, s):
             self.a_prob, self.v = self._build_net(s)
         def _build_net(self, s):
             a_prob = tf.layers.dense(s, 2, tf.nn.softmax)
             v = tf.layers.dense(s, 1)
             return a_prob, v
         def loss(self):
             return tf.log(self.a_prob)
     """, Producer.SOFTMAX),
    # a quotient by a linear head takes both signs
    ("""
     def nll(y_pred):
         sigma = tf.matmul(h, w)
         return tf.math.log(tf.exp(-y_pred) / (2.5 * (sigma + 1e-8)))
     """, Producer.SIGNED),
    # a property of the class: `self.probs` is what `def probs(self)` returns, followed in turn
    ("""
     class Bernoulli:
         def __init__(self, logits):
             self._probs = tf.sigmoid(logits)
         @property
         def probs(self):
             return self._probs
         def _log_prob(self, x):
             return x * tf.math.log(self.probs)
     """, Producer.SIGMOID),
    # TF1's distributions: probs = sigmoid(logits) from get_logits_and_probs, softmax when multidimensional
    ("""
     from tensorflow.python.ops.distributions import util
     logits, probs = util.get_logits_and_probs(logits=z)
     tf.math.log(probs)
     """, Producer.SIGMOID),
    ("""
     from tensorflow.contrib.distributions.python.ops import distribution_util
     logits, probs = distribution_util.get_logits_and_probs(z, None, multidimensional=True)
     tf.math.log(probs)
     """, Producer.SOFTMAX),
    # a pointer-generator's final distribution: p_gen times a softmax, padded with zeros, plus a scatter_nd of the
    # copy distribution, which adds nothing where no index writes: 0 where the softmax underflows there
    ("""
     def final(scores, p_gen, attn, indices, shape, n):
         dist = p_gen * tf.nn.softmax(scores)
         extended = tf.concat(axis=1, values=[dist, tf.zeros(n)])
         copied = tf.scatter_nd(indices, (1 - p_gen) * attn, shape)
         return tf.math.log(extended + copied)
     """, Producer.SOFTMAX),
])
def test_more_values_are_followed(source, producer):
    assert _value_of_log_operand(source).producer is producer


@pytest.mark.parametrize("source", [
    # a method that is not a property is not the attribute's value
    """
    class Model:
        def probs(self):
            return tf.sigmoid(self.z)
        def loss(self):
            return tf.math.log(self.probs)
    """,
    # the logits that get_logits_and_probs returns first are not a probability
    """
    from tensorflow.python.ops.distributions import util
    logits, probs = util.get_logits_and_probs(logits=z)
    tf.math.log(logits)
    """,
])
def test_attributes_and_library_outputs_are_not_confused(source):
    assert _value_of_log_operand(source).producer is None


def test_a_product_with_a_probability_keeps_its_zeros_but_is_no_longer_a_probability():
    value = _value_of_log_operand("tf.math.log(0.5 * tf.nn.softmax(s))")
    assert value.producer is Producer.SOFTMAX and value.scaled and value.squashed and not value.is_probability
    assert "logit gap" in value.zero_when and value.describe() == "product with a softmax output"
    # its complement is not a probability's complement (0.5 * p never rounds to 1)
    assert _value_of_log_operand("tf.math.log(1 - 0.5 * tf.nn.softmax(s))").zero_when is None
    # the taken action's probability (A3C's responsible outputs): a sum whose every term can be 0, not a sum of
    # probabilities (which is 1)
    summed = _value_of_log_operand("p = tf.nn.softmax(s)\ntf.math.log(tf.reduce_sum(p * onehot, [1]))")
    assert summed.producer is Producer.SUM and "every summed term 0 (`p * onehot` can be 0)" in summed.zero_when


@pytest.mark.parametrize("source", [
    # a scatter_nd alone is not known to leave any entry 0 (its indices may cover every entry)
    "tf.math.log(tf.scatter_nd(indices, updates, shape))",
    # a sum with a scatter_nd keeps only the zeros the other term has
    "tf.math.log(tf.exp(x) + tf.scatter_nd(indices, updates, shape))",
])
def test_a_scatter_nd_is_no_zero_of_its_own(source):
    assert _value_of_log_operand(source).zero_when is None


def test_a_hand_written_binary_cross_entropy_says_its_operand_is_a_probability():
    from nanlint.linter import lint_text
    from nanlint.selection import Selection

    source = HEADER + textwrap.dedent("""
        def focal(y_true, y_pred):
            pt_1 = tf.where(tf.equal(y_true, 1), y_pred, tf.ones_like(y_pred))
            pt_0 = tf.where(tf.equal(y_true, 0), y_pred, tf.zeros_like(y_pred))
            return -tf.reduce_sum(tf.math.log(pt_1)) - tf.reduce_sum(tf.math.log(1. - pt_0))

        def not_a_cross_entropy(a, b):
            return tf.math.log(a) + tf.math.log(1 - b)

        def clipped(y_true, y_pred):
            p = tf.clip_by_value(y_pred, 1e-7, 1 - 1e-7)
            return y_true * tf.math.log(p) + (1 - y_true) * tf.math.log(1 - p)
    """)
    findings = lint_text(source, "x.py", Selection(select=("NAN001",))).findings
    assert [f.line - 2 for f in findings] == [5, 5]
    assert "`y_pred` is a probability" in findings[0].message


def test_a_numpy_division_claims_no_gradient():
    from nanlint.linter import lint_text
    from nanlint.selection import Selection

    source = HEADER + textwrap.dedent("""
        def normalize(x):
            return (x - np.min(x)) / (np.max(x) - np.min(x))

        def attention(a):
            return (a - a.min()) / (a.max() - a.min())
    """)
    findings = lint_text(source, "x.py", Selection(select=("NAN002",))).findings
    assert len(findings) == 2 and all("gradient" not in f.message for f in findings)


def test_the_poisson_loss_on_an_output_that_can_be_negative_is_a_log_of_a_negative():
    from nanlint.linter import lint_text
    from nanlint.selection import Selection

    source = textwrap.dedent("""
        from tensorflow import keras

        linear = keras.Sequential([keras.layers.Dense(8, activation="relu"), keras.layers.Dense(1)])
        linear.compile(optimizer="adam", loss="poisson")
        positive = keras.Sequential([keras.layers.Dense(8, activation="relu"), keras.layers.Dense(1, activation="softplus")])
        positive.compile(optimizer="adam", loss="poisson")
        squared = keras.Sequential([keras.layers.Dense(8, activation="relu"), keras.layers.Dense(1)])
        squared.compile(optimizer="adam", loss="mse")
    """)
    findings = lint_text(source, "x.py", Selection(select=("NAN001",))).findings
    assert [f.line for f in findings] == [4]
    assert "Poisson" in findings[0].message and "softplus" in findings[0].message


def test_the_receiver_of_a_method_is_never_taken_from_a_callers_positional_arguments():
    # `self.f()` passes nothing positionally for `self`; reading position -1 of that list crashed (sklearn/base.py)
    value = _value_of_log_operand("""
        class A:
            def f(self):
                return tf.math.log(self)
            def g(self, p):
                return self.f(), self.f(tf.nn.softmax(p))
        """)
    assert value.producer is None


def test_a_metrics_labels_reach_a_sum_through_concat_map_fn_indexing_and_gather():
    # keras#5078: the labels of one row, packed with indices, unpacked inside tf.map_fn's function
    source = HEADER + textwrap.dedent("""
        def metric(y_true, y_pred):
            packed = tf.reshape(tf.concat([tf.to_float(y_true), y_pred], 1), [-1, 2, 3])
            def row(pair):
                label = tf.gather(pair[0], tf.argsort(pair[1]))
                return tf.reduce_sum(label)
            return tf.map_fn(row, packed)
        """)
    analysis = ModuleAnalysis.build(cst.parse_module(source))
    (call,) = analysis.calls_of(Op.REDUCE_SUM)
    value = analysis.values.of(call.node, call.site)
    assert (value.producer, value.mask, value.mask_is_labels) == (Producer.SUM, "y_true", True)
    assert value.zero_when == "a row or batch with no positive label (`y_true` all 0)"


def test_only_the_first_parameter_of_the_keras_loss_signature_is_labels():
    source = HEADER + textwrap.dedent("""
        def metric(y_true, y_pred):
            return tf.reduce_sum(y_true), tf.reduce_sum(y_pred)
        def other(y_pred, y_true):
            return tf.reduce_sum(y_pred)
        """)
    analysis = ModuleAnalysis.build(cst.parse_module(source))
    masks = [analysis.values.of(call.node, call.site).mask for call in analysis.calls_of(Op.REDUCE_SUM)]
    assert masks == ["y_true", None, None]


def test_a_recursive_function_returns_what_its_other_returns_give():
    # the recursive call is not followed again (with dozens of returns it multiplied the work at every level)
    value = _value_of_log_operand("""
        def walk(x, n):
            if n == 0:
                return tf.nn.softmax(x)
            if n == 1:
                return walk(x, n - 1)
            return walk(x, n - 2)
        tf.math.log(walk(h, 5))
        """)
    assert value.producer is Producer.SOFTMAX


@pytest.mark.parametrize("expression, producer", [
    ("tf.maximum(y, 0.0)", Producer.FLOORED),
    ("tf.clip_by_value(y, 0.0, 1.0)", Producer.FLOORED),
    ("tf.minimum(tf.maximum(y, 0.0), 1.0)", Producer.FLOORED),
    ("tf.minimum(tf.nn.relu(y), 6.0)", Producer.RELU),  # a cap keeps the zeros of what it caps
    ("tf.maximum(y, 1e-7)", None),  # a positive floor guards
    ("w * y", Producer.LINEAR),
    ("tf.add(tf.multiply(w, y), b)", Producer.LINEAR),
    ("w * 2.0", None),  # a constant multiple of a weight is no function of the input
])
def test_value_transfers_of_clamps_and_weights(expression, producer):
    analysis, returned, at = function_return(f"""
        import tensorflow as tf

        w = tf.Variable(0.5)
        b = tf.Variable(0.0)

        def f(y):
            return {expression}
    """)
    value = analysis.values.of(returned, at)
    assert value.producer is producer
    if producer is not None:
        assert value.zero_when is not None or producer is Producer.LINEAR


def test_numbers_through_constants_attributes_and_callers():
    analysis = analysis_of("""
        import math
        import tensorflow as tf

        gamma = tf.constant(1.0 / 2.4, tf.float32)
        log_eps = math.log(1e-6)

        class Focal:
            def __init__(self, gamma=2.0):
                self._gamma = gamma

            def loss(self, p):
                return tf.pow(1.0 - p, self._gamma), tf.pow(p, gamma), -log_eps

        focal = Focal(gamma=0.5)
    """)
    scope = analysis.functions["Focal.loss"]
    first, second, third = (element.value for element in scope.returns[-1].elements)
    at = At(scope, END)
    assert analysis.values.number(first.args[1].value, at) == 0.5
    assert analysis.values.constant(second.args[1].value, at) == pytest.approx(1 / 2.4)
    assert analysis.values.constant(third, at) == pytest.approx(13.8155, abs=1e-3)


def test_named_mathematical_constants():
    analysis = analysis_of("""
        import math
        import numpy as np
        import tensorflow as tf

        def f(x):
            return np.pi, tf.constant(np.pi, dtype=x.dtype), 2 * math.pi, math.e, np.unknown, tf.float16.min
    """)
    scope = analysis.functions["f"]
    values = [analysis.values.constant(element.value, At(scope, END)) for element in scope.returns[-1].elements]
    assert values == [pytest.approx(math.pi), pytest.approx(math.pi), pytest.approx(2 * math.pi),
                      pytest.approx(math.e), None, -65504.0]


def test_trainable_weights_through_attributes_and_wrappers():
    analysis = analysis_of("""
        import tensorflow as tf

        exponents = tf.Variable(tf.ones([8, 1]))

        class Gem(tf.keras.layers.Layer):
            def build(self, shape):
                self.p = self.add_weight(shape=(1,))

            def call(self, x):
                return tf.pow(x, self.p), tf.pow(x, tf.transpose(exponents)), tf.pow(x, 3.0)
    """)
    scope = analysis.functions["Gem.call"]
    calls = [element.value for element in scope.returns[-1].elements]
    at = At(scope, END)
    assert [analysis.values.is_weight(call.args[1].value, at) for call in calls] == [True, True, False]


@pytest.mark.parametrize("callers, producer", [
    ("train(Net())", Producer.SOFTMAX),
    ("train(Net())\n        train(Net())", Producer.SOFTMAX),  # every call passes the same
    ("train(Other())", None),  # a model whose output is not a softmax
    ("train(Net())\n        train(Other())", None),  # callers that differ say nothing
    ("pass", None),  # no caller
])
def test_a_callable_parameter_is_what_every_caller_passes(callers, producer):
    analysis = analysis_of(f"""
        import tensorflow as tf

        class Net(tf.keras.Model):
            def call(self, x):
                return tf.nn.softmax(self.dense(x))

        class Other(tf.keras.Model):
            def call(self, x):
                return self.dense(x)

        def train(model):
            def step(features):
                output = model(features)
                return output
            return step

        def main():
            {callers}
    """)
    step = analysis.functions["train.<locals>.step"]
    assert analysis.values.of(step.returns[-1], At(step, END)).producer is producer


def test_the_value_a_variable_is_made_from():
    analysis = analysis_of("""
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import backend as K

        a = tf.Variable(0.1)
        b = tf.Variable(initial_value=0.2, trainable=False)
        c = K.variable(0.3)
        d = tf.compat.v1.get_variable("d", [], tf.float32, tf.constant_initializer(0.4))
        e = tf.compat.v1.get_variable("e", [], initializer=0.5)
        f = keras.Variable(initializer=keras.initializers.Constant(0.6))
        g = tf.Variable(tf.random.uniform([1]))
        h = tf.compat.v1.get_variable("h", [3])
        i = 0.7
    """)
    at = At(analysis.module_scope, END)
    made = {name: analysis.values.initial_value(cst.Name(name), at) for name in "abcdefghi"}
    numbers = {name: analysis.values.number(found[0], found[1]) if found is not None else None
               for name, found in made.items()}
    # a variable's starting value, whatever constructor makes it; a random draw is no number, a plain number and
    # a variable with no given value are no variable made from one
    assert numbers == {"a": 0.1, "b": 0.2, "c": 0.3, "d": 0.4, "e": 0.5, "f": 0.6, "g": None, "h": None, "i": None}
    assert made["g"] is not None and made["h"] is None and made["i"] is None
    # the variable is not a constant: the value analysis does not read it as one
    assert analysis.values.constant(cst.Name("a"), at) is None


def test_a_numpy_log_claims_no_gradient_and_suggests_numpy_forms():
    from nanlint.linter import lint_text
    from nanlint.selection import Selection

    source = HEADER + textwrap.dedent("""
        def bce(logits, y):
            p = 1. / (1 + np.exp(-logits))
            return -(y * np.log(p) + (1 - y) * np.log(1 - p))

        def tf_bce(logits):
            p = 1. / (1 + tf.exp(-logits))
            return -tf.math.log(p)
    """)
    findings = lint_text(source, "x.py", Selection(select=("NAN001",))).findings
    messages = {f.line - 2: f.message for f in findings}
    assert sorted(f.line - 2 for f in findings) == [4, 4, 8]
    numpy_messages = [f.message for f in findings if f.line - 2 == 4]
    assert all("gradient" not in m and "np.logaddexp" in m for m in numpy_messages)
    assert all(f.fix is None for f in findings if f.line - 2 == 4)
    assert "NaN gradient" in messages[8]


def test_an_element_of_a_recursive_function_is_followed_once(monkeypatch):
    # statsmodels' rotate_factors has a dozen `return rotate_factors(...)` branches; following each again at every level
    # multiplied the work by their number per level (12**12 element look-ups there, 3**12 here): it never finished
    from nanlint.analysis.values import ValueFacts

    looked_up = []
    element = ValueFacts._element
    monkeypatch.setattr(ValueFacts, "_element", lambda self, *args: looked_up.append(args) or element(self, *args))
    recursive = "\n".join(f"    if method == {k}:\n        return rotate(x, {k + 1})" for k in range(3))
    value = _value_of_log_operand(f"""
def rotate(x, method):
{recursive}
    return x, tf.nn.softmax(x)
probs, _ = rotate(h, 0)
tf.math.log(probs)
""")
    assert value.producer is None and len(looked_up) < 100


def test_a_division_states_its_gradient_only_as_far_as_the_module_shows_it():
    from nanlint.linter import lint_text
    from nanlint.selection import Selection

    source = HEADER + textwrap.dedent("""
        def masked_mean(x, mask):
            return tf.reduce_sum(x * mask) / tf.reduce_sum(mask)

        def masked_loss(y_true, y_pred):
            mask = tf.cast(y_true > 0, tf.float32)
            return tf.reduce_sum(tf.square(y_true - y_pred) * mask) / tf.reduce_sum(mask)

        def report(x, mask):
            tf.summary.scalar("mean", tf.reduce_sum(x * mask) / tf.reduce_sum(mask))

        model.compile(optimizer="adam", loss=masked_loss)
    """)
    findings = lint_text(source, "x.py", Selection(select=("NAN002",))).findings
    by_line = {f.line - 2: f.message for f in findings}
    assert sorted(by_line) == [3, 7, 10]
    assert "(and a NaN gradient if this code is differentiated)" in by_line[3]  # nothing says who calls it
    assert "forward value and a NaN gradient" in by_line[7]  # a loss given to compile
    assert "gradient" not in by_line[10]  # a summary is never differentiated


def test_super_call_of_a_keras_layer_class_is_that_layer_s_operation():
    analysis = analysis_of("""
        import tensorflow as tf
        from tensorflow.keras.layers import AveragePooling2D

        class L2Pooling(AveragePooling2D):
            def call(self, x):
                return super(AveragePooling2D, self).call(tf.square(x))

        class Probabilities(tf.keras.layers.Softmax):
            def call(self, x):
                return super().call(x)

        class Plain(tf.keras.layers.Layer):
            def call(self, x):
                return super().call(x)
    """)
    produced = {}
    for name in ("L2Pooling", "Probabilities", "Plain"):
        method = analysis.classes[name].methods["call"]
        produced[name] = analysis.values.of(method.returns[0], At(method, END)).producer
    assert produced == {"L2Pooling": Producer.SUM_OF_SQUARES, "Probabilities": Producer.SOFTMAX, "Plain": None}


@pytest.mark.parametrize("operand, producer", [
    ("tf.exp(w)", None),  # every exp would have to underflow: a sum of exps (EXP3's mixture weights)
    ("tf.nn.softmax(logits)", None),  # a softmax row sums to 1
    ("x", Producer.NORM),
    ("tf.nn.relu(x)", Producer.NORM),  # a relu row is all 0 wherever its inputs are <= 0
    ("tf.exp(w) - 1.0", Producer.NORM),
])
def test_a_norm_of_exps_or_of_a_softmax_row_is_not_the_norm_of_an_all_zero_vector(operand, producer):
    analysis, returned, at = function_return(HEADER + f"def f(w, logits, x):\n    return tf.norm({operand}, 1)\n")
    assert analysis.values.of(returned, at).producer is producer


@pytest.mark.parametrize("floatx, expected", [
    ("float64", "a logit gap >= 708.4 in float64 (the floatx this module sets), >= 86.75 in float32"),
    ("float32", "a logit gap >= 86.75 in float32, >= 17.5 in float16"),
])
def test_a_float64_floatx_moves_the_saturation_thresholds_a_value_states(floatx, expected):
    analysis, returned, at = function_return(
        HEADER + f"tf.keras.backend.set_floatx({floatx!r})\n\ndef f(x):\n    return tf.nn.softmax(x)\n")
    assert analysis.values.of(returned, at).zero_when == expected


def test_a_float64_floatx_moves_the_sigmoid_complement_and_the_norm_underflow():
    source = HEADER + "from tensorflow import keras\nkeras.backend.set_floatx('float64')\n\n" \
                      "def f(x):\n    return 1 - tf.sigmoid(x)\n\ndef g(x):\n    return tf.norm(x)\n"
    analysis, returned, at = function_return(source)
    assert analysis.values.of(returned, at).zero_when.startswith("x >= 37.5 in float64")
    analysis, returned, at = function_return(source, "g")
    assert "~1.5e-154 in float64" in analysis.values.of(returned, at).zero_when


@pytest.mark.parametrize("loop, selects_nothing", [
    # one entry set per element of the batch (InfoGraph's positive mask): empty only for an empty batch
    ("for node, graph in enumerate(batch):\n        mask[node][graph] = 1.", False),
    ("for i in range(len(batch)):\n        mask[i, batch[i]] = 1", False),
    # a selection can be empty, and so can a conditional write or a write of 0
    ("for i in np.where(labels == 1)[0]:\n        mask[i] = 1.", True),
    ("for i, y in enumerate(labels):\n        if y == 1:\n            mask[i] = 1.", True),
    ("for i, y in enumerate(labels):\n        mask[i] = 0.", True),
])
def test_a_mask_of_zeros_set_once_per_element_of_a_sequence_is_not_empty(loop, selects_nothing):
    source = HEADER + ("def f(batch, labels, n, m, x):\n    mask = np.zeros((n, m))\n    " + loop
                       + "\n    return np.sum(mask)\n")
    analysis, returned, at = function_return(source)
    assert (analysis.values.of(returned, at).mask is not None) is selects_nothing


@pytest.mark.parametrize("body, producer", [
    # pysc2-rl-agents: the policy masked to the available actions and renormalised, 0 for every unavailable action
    ("p = pi * available_actions\n    p /= tf.reduce_sum(p, axis=1, keepdims=True)", Producer.MASKED),
    ("p = tf.nn.relu(h)\n    p = p / tf.reduce_sum(p, axis=-1, keepdims=True)", Producer.RELU),
    # a division by the sum of something else says nothing of the dividend's zeros
    ("p = pi * available_actions\n    p = p / tf.reduce_sum(h, axis=1, keepdims=True)", None),
    ("p = pi / tf.reduce_sum(pi, axis=1, keepdims=True)", None),
])
def test_a_normalisation_by_its_own_sum_keeps_the_zeros_of_what_it_normalises(body, producer):
    source = HEADER + f"def f(pi, h, available_actions):\n    {body}\n    return p\n"
    analysis, returned, at = function_return(source)
    assert analysis.values.of(returned, at).producer is producer


@pytest.mark.parametrize("terms, empty", [
    ("pi * avail_actions", False),  # every step offers some action
    ("legal_actions", False),
    ("pi * mask", True),
    ("pi * avail_actions", True),  # summed over the batch: an action no step of it allows
    # a mask of allowed actions this code computes says nothing of the environment (acme: those above a threshold)
    ("pi * legal_actions_mask", True),
])
def test_the_actions_a_step_allows_are_a_mask_never_all_zero_along_the_actions(terms, empty):
    axis = "0" if empty and "avail" in terms else "-1"
    source = HEADER + (f"def f(pi, mask, avail_actions, legal_actions, q):\n"
                       f"    legal_actions_mask = tf.cast(q > 0.5, tf.float32)\n"
                       f"    return tf.reduce_sum({terms}, axis={axis})\n")
    analysis, returned, at = function_return(source)
    assert (analysis.values.of(returned, at).mask is not None) is empty


def test_a_jax_numpy_division_in_a_tensorflow_file_suggests_the_array_librarys_guard():
    """dopamine's SPR loss: `x / jnp.linalg.norm(x)` in a file that also imports TensorFlow."""
    from nanlint.linter import lint_text
    from nanlint.selection import Selection

    source = HEADER + textwrap.dedent("""
        import jax.numpy as jnp

        def spr_loss(predictions, targets):
            predictions = predictions / jnp.linalg.norm(predictions, 2, -1, keepdims=True)
            return jnp.sum((predictions - targets) ** 2, -1)

        def tf_loss(x):
            return x / tf.norm(x)
    """)
    findings = lint_text(source, "x.py", Selection(select=("NAN002",))).findings
    assert [("divide_no_nan" in f.message, "in the array library" in f.message) for f in findings] == [
        (False, True), (True, False)]


@pytest.mark.parametrize("source, zero", [
    # exp of an argument shifted by its max: 0 for the entries far below the max; a running sum of those exps keeps
    # the zero at its end (the tail of a reverse cumsum over a list sorted by score leaves exp(0) out)
    ("""
     shifted = logits - tf.reduce_max(logits, axis=1, keepdims=True)
     tf.math.log(tf.cumsum(tf.exp(shifted), axis=1, reverse=True))
     """, True),
    ("""
     m = tf.stop_gradient(tf.reduce_max(s, -1, keepdims=True))
     e = tf.exp(s - m)
     tf.math.log(tf.math.cumsum(e, axis=-1))
     """, True),
    # the total of the same exps holds exp(0) = 1: never 0 (a hand-written log-sum-exp)
    ("""
     m = tf.reduce_max(x, axis=-1, keepdims=True)
     tf.math.log(tf.reduce_sum(tf.exp(x - m), axis=-1))
     """, False),
    # an exp of an argument of unknown range is not a zero source, nor is its running sum
    ("""
     tf.math.log(tf.cumsum(tf.exp(x), axis=1))
     """, False),
    # a running sum of values not known to reach 0
    ("""
     tf.math.log(tf.cumsum(w, axis=1))
     """, False),
])
def test_underflow_of_max_shifted_exps(source, zero):
    value = _value_of_log_operand(source)
    assert (value.zero_when is not None) is zero
    if zero:
        assert value.producer is Producer.EXP and "-87.34 in float32" in value.zero_when and "cumsum()" in value.via


@pytest.mark.parametrize("source, zero", [
    # a convolution of squares (DISTS' L2 pooling, a local contrast norm's energy): 0 on an all-zero window
    ("""
     def l2_pool(x, f):
         return tf.math.log(tf.nn.conv2d(x ** 2, f, strides=2, padding="SAME"))
     """, True),
    ("""
     def energy(x, f):
         return tf.math.log(tf.nn.conv2d(tf.square(x), f, [1, 1, 1, 1], "SAME"))
     """, True),
    # a convolution of a value not known to reach 0, and one of squares with an epsilon inside
    ("""
     def conv(x, f):
         return tf.math.log(tf.nn.conv2d(x, f, [1, 1, 1, 1], "SAME"))
     """, False),
    ("""
     def l2_pool(x, f):
         return tf.math.log(tf.nn.conv2d(x ** 2 + 1e-6, f, [1, 1, 1, 1], "SAME"))
     """, False),
])
def test_a_convolution_of_squares_is_zero_on_an_all_zero_window(source, zero):
    _assert_zero_source(source, zero, Producer.SUM_OF_SQUARES, "`x` is all 0")


@pytest.mark.parametrize("call, producer", [
    ("decode(z)", Producer.LINEAR),  # the flag's False default: the logits
    ("decode(z, apply_sigmoid=True)", Producer.SIGMOID),
    ("decode(z, True)", Producer.SIGMOID),
    ("decode(z, apply_sigmoid=flag)", Producer.SIGMOID),  # not known: any return
    ("plain(z)", None),  # after `if not logits_only: return ...` with logits_only True
    ("plain(z, logits_only=0)", Producer.SIGMOID),
    ("dropped(z)", Producer.SIGMOID),  # Keras passes `training` from the calling context: not its default
])
def test_a_return_under_a_flag_the_call_leaves_false_is_not_what_the_call_returns(call, producer):
    source = HEADER + textwrap.dedent("""
        def decode(z, apply_sigmoid=False):
            logits = tf.matmul(z, w)
            if apply_sigmoid:
                probs = tf.sigmoid(logits)
                return probs
            return logits

        def plain(z, logits_only=True):
            if not logits_only:
                return tf.sigmoid(z)
            return z

        def dropped(z, training=None):
            if training:
                return tf.sigmoid(z)
            return z

        def f(z, flag):
            return CALL
        """).replace("CALL", call)
    analysis, returned, at = function_return(source)
    assert analysis.values.of(returned, at).producer is producer


@pytest.mark.parametrize("call, producer", [
    ("pairwise(z, None)", Producer.SIGMOID),  # `x2 is None`: the first return, that branch's own `d`
    ("pairwise(z)", Producer.SIGMOID),  # the None default
    ("pairwise(z, 2.0 * z)", Producer.LINEAR),  # a value: the other return
    ("pairwise(z, other)", Producer.SIGMOID),  # not known (SIGMOID: the first return with a producer)
    ("given(z, None)", Producer.LINEAR),  # `is not None` the other way round
])
def test_a_return_under_a_none_test_the_call_fails_is_not_what_the_call_returns(call, producer):
    """GPflow's `square_distance(X, None)` returns its `if X2 is None:` branch; each return reads the bindings its
    own statement sees, not the last binding of the function (the other branch's `d`)."""
    source = HEADER + textwrap.dedent("""
        def pairwise(x, x2=None):
            if x2 is None:
                d = tf.sigmoid(x)
                return d
            d = tf.matmul(x, x2)
            return d

        def given(x, x2=None):
            if x2 is not None:
                return tf.sigmoid(x2)
            return tf.matmul(x, w)

        def f(z, other):
            return CALL
        """).replace("CALL", call)
    analysis, returned, at = function_return(source)
    assert analysis.values.of(returned, at).producer is producer


@pytest.mark.parametrize("operand, complement", [
    ("1.0 - tf.clip_by_value(tf.sigmoid(x), 1e-8, 1.0 - 1e-8)", True),
    ("1.0 - tf.clip_by_value(x, 1e-8, 1.0 - 1e-8)", True),  # clipped like a probability, whatever x is
    ("tf.clip_by_value(tf.sigmoid(x), 1e-8, 1.0 - 1e-8)", False),
])
def test_the_complement_of_a_clipped_value_remembers_the_clip(operand, complement):
    analysis, returned, at = function_return(HEADER + f"def f(x):\n    return {operand}\n")
    value = analysis.values.of(returned, at)
    assert value.complement is complement
    assert isinstance(value.clip, cst.Call) and analysis.op_of_call(value.clip) is Op.CLIP


@pytest.mark.parametrize("source, zero", [
    # a clip zero-padded to a fixed length (the TF simple-audio tutorial): the frames inside the padding are 0
    ("""
     def spectrogram(waveform):
         zero_padding = tf.zeros([16000] - tf.shape(waveform), dtype=tf.float32)
         equal_length = tf.concat([waveform, zero_padding], 0)
         return tf.math.log(tf.abs(tf.signal.stft(equal_length, frame_length=255, frame_step=128)))
     """, True),
    ("""
     def spectrogram(waveform):
         padded = tf.pad(waveform, [[0, 16000 - tf.shape(waveform)[0]]])
         return tf.math.log(tf.abs(tf.signal.stft(padded, 255, 128)))
     """, True),
    # no padding in view, a padding shorter than one frame, a reflecting pad, an epsilon
    ("""
     def spectrogram(waveform):
         return tf.math.log(tf.abs(tf.signal.stft(waveform, 255, 128)))
     """, False),
    ("""
     def spectrogram(waveform):
         return tf.math.log(tf.abs(tf.signal.stft(tf.concat([waveform, tf.zeros([100])], 0), 255, 128)))
     """, False),
    ("""
     def spectrogram(waveform):
         return tf.math.log(tf.abs(tf.signal.stft(tf.pad(waveform, [[0, 300]], mode="REFLECT"), 255, 128)))
     """, False),
    ("""
     def spectrogram(waveform):
         padded = tf.pad(waveform, [[0, 16000 - tf.shape(waveform)[0]]])
         return tf.math.log(tf.abs(tf.signal.stft(padded, 255, 128)) + 1e-6)
     """, False),
])
def test_an_stft_is_zero_on_the_frames_of_a_zero_padding(source, zero):
    _assert_zero_source(source, zero, Producer.SPECTRUM, "zero padding")


@pytest.mark.parametrize("source", [
    # `.numpy()` and `.T` keep the array's values (the plotted spectrogram)
    "def f(h):\n    s = tf.nn.relu(h)\n    return np.log(s.numpy().T)\n",
    "def f(h):\n    return np.log(tf.nn.relu(h).numpy().reshape(-1))\n",
    # a stack is 0 where one of its parts is: a literal list, a list grown with append, `parts + [last]`
    "def f(a, b):\n    return tf.math.log(tf.stack([tf.tanh(a), tf.nn.relu(b)], axis=-1))\n",
    "def f(xs, b):\n    parts = []\n    for x in xs:\n        parts.append(tf.nn.relu(x))\n"
    "    return tf.math.log(tf.stack(parts + [tf.tanh(b)], axis=-1))\n",
])
def test_values_kept_through_array_methods_and_stacks(source):
    value = _value_of_log_operand(source)
    assert value.producer is Producer.RELU


@pytest.mark.parametrize("source, masked", [
    # TF1's casts (`tf.to_int32`) of a mask, summed: the count of positives, 0 for a batch with none
    ("def f(x, pos_mask):\n    n = tf.to_float(tf.reduce_sum(tf.to_int32(pos_mask)))\n"
     "    return tf.math.log(n)\n", "pos_mask"),
    ("def f(x, labels):\n    m = tf.cast(labels > 0, tf.int32)\n    return tf.math.log(tf.reduce_sum(tf.to_float(m)))\n",
     "m"),
    # a cast of something not a mask is not one, nor (yet) a cast of a name bound to a comparison: keras' sparsemax
    # counts its support that way, and its largest entry is always in it
    ("def f(x, scores):\n    return tf.math.log(tf.reduce_sum(tf.to_float(scores)))\n", None),
    ("def f(z, cumsum, r):\n    support = z - (cumsum - 1) / r > 0\n"
     "    return tf.math.log(tf.reduce_sum(tf.cast(support, z.dtype)))\n", None),
])
def test_a_cast_of_a_mask_is_that_mask(source, masked):
    value = _value_of_log_operand(source)
    assert value.mask == masked


def test_a_tuple_of_constant_exponents_is_read_through_a_parameter_default():
    analysis, returned, at = function_return(
        "W = (0.0448, 0.2856, 0.3001)\ndef f(x, power_factors=W):\n    return power_factors\n")
    assert analysis.values.numbers(returned, at) == (0.0448, 0.2856, 0.3001)
    analysis, returned, at = function_return("def f(x, p=(0.5, x)):\n    return p\n")
    assert analysis.values.numbers(returned, at) is None


def test_a_fractional_power_per_entry_of_a_stack_of_relu_outputs():
    # MS-SSIM (TensorFlow's ssim_multiscale): relu'd contrast-structure scores stacked, raised to `power_factors`
    # (a tuple, through a parameter's default), the smallest power named in the message
    from nanlint.linter import lint_text
    from nanlint.selection import Selection

    source = HEADER + textwrap.dedent("""
        WEIGHTS = (0.0448, 0.2856, 0.3001)
        def ms_ssim(css, ssim, power_factors=WEIGHTS):
            mcs = []
            for cs in css:
                mcs.append(tf.nn.relu(cs))
            stacked = tf.stack(mcs + [tf.nn.relu(ssim)], axis=-1)
            return tf.reduce_prod(tf.pow(stacked, power_factors), [-1])
        def mixed(x, p=(0.5, 2.0)):
            return tf.pow(tf.nn.relu(x), p)
        def whole(x, p=(2.0, 3.0)):
            return tf.pow(tf.nn.relu(x), p)
    """)
    findings = [f for f in lint_text(source, "m.py", Selection(preview=True)).findings if f.code == "NAN008"]
    assert [f.line for f in findings] == [10, 12]
    assert "powers `power_factors` (0.0448 to 0.3001, all below 1)" in findings[0].message
    assert "0.0448 * x^-0.9552" in findings[0].message and "via stack()" in findings[0].message
    assert "powers `p` (0.5 to 2, 0.5 below 1)" in findings[1].message
    # nothing in the module differentiates it: a gradient-only hazard is plausible, shown only under preview
    assert not [f for f in lint_text(source, "m.py").findings if f.code == "NAN008"]


def test_a_staticmethod_called_through_self_receives_its_first_argument():
    # `self._chunk(m, w)` of a @staticmethod `_chunk(h, w)`: h is m (no receiver is bound), so w is not m
    source = """
        class A(tf.keras.layers.Layer):
            def call(self, x, w):
                return self._chunk(tf.nn.relu(x), w)

            @staticmethod
            def _chunk(h, w):
                return tf.math.log({logged})
    """
    assert _value_of_log_operand(source.format(logged="h")).producer is Producer.RELU
    assert _value_of_log_operand(source.format(logged="w")).producer is None


def test_deepxde_gives_its_residual_function_the_network_output():
    source = """
        import deepxde as dde
        from deepxde.backend import tf

        def pde(x, y):
            u = y[:, 0:1]
            return 3 - u, u - 2.5, u * 2.0

        def unused(x, y):
            return y

        data = dde.data.TimePDE(geomtime, pde, [ic, bc], num_domain=100)
        net = dde.nn.FNN([2] + [32] * 3 + [1], "tanh", "Glorot normal")
    """
    analysis, returned, at = function_return(source, "pde")
    for element in returned.elements:  # shifted or scaled by a constant, a linear head stays one
        value = analysis.values.of(element.value, at)
        assert value.producer is Producer.LINEAR
        assert value.via == ("the network output dde.data.TimePDE() gives pde()",)
    analysis, returned, at = function_return(source, "unused")
    assert analysis.values.of(returned, at).producer is None
    # an output transform may bound the output: nothing is claimed then
    transformed = source.rstrip(" ") + "        net.apply_output_transform(lambda x, y: tf.exp(y))\n"
    analysis, returned, at = function_return(transformed, "pde")
    assert analysis.values.of(returned.elements[0].value, at).producer is None


def test_a_bias_added_to_a_sum_of_squares_is_no_longer_zero_for_a_zero_input():
    # tf-slim's GDN: sqrt(bias_add(conv(x², γ), β)) with β a learned (here reparameterised, >= β_min) bias: not "0 for
    # an all-zero vector", as `conv(x², γ) + β` never was; a linear head through bias_add is still a linear head
    from nanlint.linter import lint_text
    findings = lint_text(textwrap.dedent("""
        import tensorflow as tf

        class GDN(tf.keras.layers.Layer):
            def build(self, input_shape):
                self.beta = self.add_weight("beta", [input_shape[-1]])
                self.gamma = self.add_weight("gamma", [1, 1, input_shape[-1], input_shape[-1]])

            def call(self, inputs):
                norm_pool = tf.nn.convolution(tf.square(inputs), self.gamma, "VALID")
                norm_pool = tf.sqrt(tf.nn.bias_add(norm_pool, self.beta))
                return inputs / norm_pool

        def head(x, W, b):
            return tf.exp(tf.nn.bias_add(tf.matmul(x, W), b))
    """), "m.py").findings
    assert [(finding.code, finding.line) for finding in findings] == [("NAN009", 15)]


@pytest.mark.parametrize("where", ["tf.where", "tf.keras.backend.switch", "tf.experimental.numpy.where"])
def test_a_where_is_zero_where_a_branch_its_condition_does_not_test_is(where):
    # keras-retinanet's focal weight: `where(labels == 1, 1 - p, p)` is 0 where the sigmoid saturates either way
    value = _value_of_log_operand(f"""
        def f(labels, logits):
            p = tf.sigmoid(logits)
            w = {where}(tf.equal(labels, 1), 1 - p, p)
            return tf.math.log(w)
    """)
    assert value.producer is Producer.SIGMOID and value.complement and value.selected
    assert not value.is_probability  # not a probability to complement or rewrite in log space
    assert "where()'s true branch `1 - p`" in value.flow
    # the false branch when the true one cannot be 0
    value = _value_of_log_operand("""
        def f(labels, h):
            return tf.math.log(tf.where(labels > 0, tf.ones_like(h), tf.nn.relu(h)))
    """)
    assert value.producer is Producer.RELU and "where()'s false branch `tf.nn.relu(h)`" in value.flow


@pytest.mark.parametrize("selection", [
    "tf.where(r > 0, r, tf.ones_like(r))",  # the double where's inner where: a guard
    "tf.where(tf.greater(r, 0.0), r, 1e-8 * tf.ones_like(r))",
    "tf.where(h > 0, r, tf.ones_like(r))",  # tests what r is computed from
    "tf.where(p > 0.5, 1 - p, p)",  # 1 - p only where it is >= 0.5; p only where <= 0.5 (the test decides)
    "tf.where(labels == 1, r + 1e-7, tf.ones_like(r))",  # guarded branch, constant branch
    "tf.where(labels == 1, r, 0.0)[0]",  # a literal 0 is not a zero source of its own (not yet)
])
def test_a_where_whose_condition_decides_the_branch_zero_is_not_a_zero_source(selection):
    value = _value_of_log_operand(f"""
        def f(labels, h):
            r = tf.nn.relu(h)
            p = tf.sigmoid(h)
            return tf.math.log({selection})
    """)
    if "[0]" in selection:
        assert value.producer is Producer.RELU  # the relu branch counts; the 0 branch adds nothing
        return
    assert value.zero_when is None


def test_a_where_with_a_signed_branch_is_signed():
    value = _value_of_log_operand("""
        def f(labels, x, w):
            return tf.math.log(tf.where(labels > 0, tf.matmul(x, w), tf.ones_like(x)))
    """)
    assert value.producer is Producer.LINEAR and value.selected


def test_a_where_join_and_a_tuple_subscript_are_reported():
    from nanlint.linter import lint_text

    source = HEADER + textwrap.dedent("""
        def focal(alpha=0.25, gamma=0.5):
            def _focal(y_true, y_pred):
                p = tf.sigmoid(y_pred)
                w = tf.where(tf.equal(y_true, 1), 1 - p, p)
                return tf.reduce_sum(alpha * w ** gamma)
            return _focal

        model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
        model.compile(loss=focal(), optimizer="adam")

        def normalize(array, domain=None):
            low, high = np.min(array), np.max(array)
            if domain is None:
                domain = (low, high)
            return 255 / (domain[1] - domain[0])

        def normalize_guarded(array):
            domain = (np.min(array), np.max(array))
            if domain[0] != domain[1]:
                return 255 / (domain[1] - domain[0])
            return array
    """)
    findings = {(f.line, f.code): f.message for f in lint_text(source, "m.py").findings}
    assert set(findings) == {(8, "NAN008"), (18, "NAN002")}
    assert "1 - sigmoid output" in findings[8, "NAN008"] and "where()'s true branch `1 - p`" in findings[8, "NAN008"]
    assert "max - min range" in findings[18, "NAN002"]


def test_a_reduction_of_a_comprehension_reduces_its_element():
    # np.sum / tf.reduce_sum of a list comprehension or generator, and the builtin sum of one, are sums of what the
    # element expression is inside it: of squares, a sum of squares (0 for an all-zero input)
    source = """
        def f(x):
            return np.sum([i ** 2 for i in x])

        def g(x):
            return sum(i * i for i in x)

        def h(xs):
            return tf.reduce_sum([tf.square(v) for v in xs])

        def plain(x):
            return sum(i for i in x)

        def shadowed(x, sum):
            return sum(i ** 2 for i in x)

        def indexed(v):
            return sum(v[i] ** 2 for i in range(len(v)))

        def counted(n):
            return sum(k ** 2 for k in range(1, n + 1))

        def scales(distributions):
            return sum(mvn.scale.diag ** 2 for mvn in distributions)
    """
    produced = {}
    for name in ("f", "g", "h", "plain", "shadowed", "indexed", "counted", "scales"):
        analysis, returned, at = function_return(HEADER + textwrap.dedent(source), name)
        produced[name] = analysis.values.of(returned, at).producer
    # a sum of plain terms is a sum, as np.sum(x) is; squares of range counters are integers >= 1, not data (kapre's
    # delta filter: 2 * sum(n ** 2 for n in range(1, N + 1))); attributes of iterated objects are different tensors,
    # all 0 only if each is (TFP sts/internal/util.py's summed scales)
    assert produced == {"f": Producer.SUM_OF_SQUARES, "g": Producer.SUM_OF_SQUARES, "h": Producer.SUM_OF_SQUARES,
                        "plain": Producer.SUM, "shadowed": None, "indexed": Producer.SUM_OF_SQUARES, "counted": None,
                        "scales": None}


def test_the_numbers_callers_pass_for_a_parameter_a_closure_reads():
    # a loss factory's `gamma`, read by the loss it returns: each call's constant, with where it is passed; the
    # default is what `constant` gives
    analysis = analysis_of("""
        import tensorflow as tf

        def focal(alpha=0.25, gamma=2.0):
            def _focal(y_true, p):
                exponent = gamma
                return tf.pow(1.0 - p, exponent) * alpha
            return _focal

        losses = [focal(gamma=0.5), focal(0.5, 3.0), focal()]
    """)
    scope = analysis.functions["focal.<locals>._focal"]
    returned = scope.returns[-1]
    exponent = returned.left.args[1].value
    at = At(scope, END)
    assert analysis.values.constant(exponent, at) == 2.0
    assert analysis.values.passed_numbers(exponent, at) == [(0.5, "gamma=0.5 passed at focal(gamma=0.5)"),
                                                           (3.0, "gamma=3 passed at focal(0.5, 3.0)")]
    assert analysis.values.passed_numbers(returned.right, at) == [(0.5, "alpha=0.5 passed at focal(0.5, 3.0)")]


SOFTMAX_CALLER = """
        def net_softmax(h):
            return net([tf.nn.softmax(h)])
"""


@pytest.mark.parametrize("softmax_caller, producer", [("", None), (SOFTMAX_CALLER, Producer.SOFTMAX)])
def test_a_parameter_callers_pass_through_locals_is_looked_up_once_per_caller(monkeypatch, softmax_caller, producer):
    # `def RegNetY032(): out_channels = [...]; return RegNetY(**locals())`, six such callers: inside one caller's
    # call, which does not name the parameter, every caller was tried again at every level (six to the twelfth,
    # keras-cv-attention-models' regnet.py never finished). A caller that passes it by position still counts, as
    # itself (it was also reached "inside" the first **locals() caller's call).
    builders = "".join(f"""
        def net_{n}(depth=2, **kwargs):
            widths = [{n}.0, 2.0]
            return net(**locals(), **kwargs)
        """ for n in range(8))
    source = f"""
        def net(widths, depth=1, **kwargs):
            return tf.math.log(widths[0])
        {builders}
        {softmax_caller}
        """
    original = ValueFacts._element_of_parameter
    calls = []

    def counted(self, *args, **kwargs):
        calls.append(1)
        assert len(calls) < 100, "the callers are tried again inside each caller's call"
        return original(self, *args, **kwargs)

    monkeypatch.setattr(ValueFacts, "_element_of_parameter", counted)
    value = _value_of_log_operand(textwrap.dedent(source))
    assert value.producer is producer
    assert producer is None or value.via == ("net() called as net([tf.nn.softmax(h)])",)


def test_an_attribute_is_a_constant_where_every_write_of_the_class_is_the_same_number():
    analysis = analysis_of("""
        import tensorflow as tf

        class Base:
            def __init__(self, high, scale=2.0):
                self.high = 5.0
                self.scale = scale
                self.level = 1.0

        class Policy(Base):
            def reset(self):
                self.level = 3.0

            def act(self, x):
                a = tf.clip_by_value(x, -self.high, self.high)
                b = tf.clip_by_value(x, 0.0, self.scale)
                c = tf.clip_by_value(x, 0.0, self.level)
                return a, b, c
    """)
    clips = [call for call in analysis.calls if analysis.code_of(call.node).startswith("tf.clip_by_value")]
    bounds = [analysis.values.clip_bounds(call.node, analysis.sites[call.node]) for call in clips]
    # a literal stored in a base class's __init__; a parameter's default is not what the callers pass; two values
    assert bounds == [(-5.0, 5.0), None, None]


def _focal_weight(body: str):
    """The value of `weight` returned by a loss `focal_loss(y_true, y_pred)` whose body is `body`."""
    source = "import tensorflow as tf\n\n\ndef focal_loss(y_true, y_pred):\n" + textwrap.indent(
        textwrap.dedent(body), "    ") + "    return weight\n"
    analysis = ModuleAnalysis.build(cst.parse_module(source))
    scope = analysis.functions["focal_loss"]
    (returned,) = scope.returns
    return analysis.values.of(returned, At(scope, END))


@pytest.mark.parametrize("body, probability", [
    # the focal loss's p_t: where(labels == 1, 1 - p, p) reads p as a probability (keras-retinanet#706)
    ("weight = tf.where(tf.equal(y_true, 1), 1 - y_pred, y_pred)\n", True),
    # through the rows a gather keeps, and with the branches the other way round
    ("p = tf.gather_nd(y_pred, tf.where(y_true >= 0))\nweight = tf.where(y_true < 1, p, 1 - p)\n", True),
    # a where whose condition tests the prediction decides which side is taken: no reading of it as such
    ("weight = tf.where(y_pred > 0.5, 1 - y_pred, y_pred)\n", False),
    # a complement of something else, or a where with no complement at all
    ("weight = tf.where(tf.equal(y_true, 1), 1 - y_true, y_pred)\n", False),
    ("weight = tf.where(tf.equal(y_true, 1), y_pred, tf.zeros_like(y_pred))\n", False),
    # a prediction computed from y_pred (a difference) is not y_pred's entries
    ("p = y_pred - 1\nweight = tf.where(tf.equal(y_true, 1), 1 - p, p)\n", False),
])
def test_a_loss_prediction_read_as_a_probability_saturates(body, probability):
    value = _focal_weight(body)
    assert (value.zero_when is not None) is probability, value
    if probability:
        assert value.producer is Producer.SIGMOID and "read as a probability" in value.flow


def test_a_prediction_is_no_probability_outside_a_loss_signature():
    source = ("import tensorflow as tf\n\n\ndef weigh(labels, scores):\n"
              "    return tf.where(tf.equal(labels, 1), 1 - scores, scores)\n")
    analysis = ModuleAnalysis.build(cst.parse_module(source))
    scope = analysis.functions["weigh"]
    assert analysis.values.of(scope.returns[0], At(scope, END)).zero_when is None


@pytest.mark.parametrize("spelled", [
    "1. / (1. + tf.exp(-x))",
    "1. / (tf.exp(-x) + 1.)",
    "tf.truediv(1., tf.add(1., tf.exp(-x)))",
    "tf.div(1., 1. + tf.exp(-x))",
    "tf.math.truediv(1., tf.math.add(tf.exp(-x), 1.))",
    "tf.divide(tf.exp(x), tf.add(1., tf.exp(x)))",
])
def test_a_hand_written_sigmoid_is_one_sigmoid_however_its_operators_are_spelled(spelled):
    # TF1 code spells the operators as functions (tensorflow_cookbook's `tf.truediv(1., tf.add(1., tf.exp(...)))`)
    analysis, returned, end = function_return(HEADER + f"def f(x):\n    return {spelled}\n")
    (squash,) = analysis.values.hand_written_squashes
    assert squash.kind is Producer.SIGMOID
    assert analysis.values.of(returned, end).producer is Producer.SIGMOID


def test_a_hand_written_sigmoid_needs_one_plus_an_exp():
    analysis = ModuleAnalysis.build(cst.parse_module(HEADER + "def f(x):\n    return tf.truediv(1., tf.add(2., tf.exp(-x)))\n"))
    assert analysis.values.hand_written_squashes == []


@pytest.mark.parametrize("layer, producer", [
    # tf.layers: the activation by keyword or position (conv2d's 8th argument, conv2d_transpose's 7th); none is linear
    ("tf.layers.conv2d(x, 1, 3, activation=tf.nn.sigmoid)", Producer.SIGMOID),
    ("tf.layers.conv2d(x, 1, 3, (1, 1), 'same', 'channels_last', (1, 1), tf.nn.sigmoid)", Producer.SIGMOID),
    ("tf.layers.conv2d_transpose(x, 1, 3, (1, 1), 'same', 'channels_last', tf.nn.softmax)", Producer.SOFTMAX),
    ("tf.compat.v1.layers.separable_conv2d(x, 1, 3, activation=tf.nn.relu)", Producer.RELU),
    ("tf.layers.conv2d(x, 1, 3)", Producer.LINEAR),
    # contrib's and slim's layers: `activation_fn=`, relu when none is given, linear for None
    ("slim.conv2d(x, 1, 3, 1, 'VALID', activation_fn=tf.nn.sigmoid)", Producer.SIGMOID),
    ("slim.conv2d(x, 1, 3, 1, 'VALID', None, 1, tf.nn.sigmoid)", Producer.SIGMOID),
    ("slim.conv2d_transpose(x, 1, 3)", Producer.RELU),
    ("tf.contrib.layers.conv2d(x, 1, 3, activation_fn=None)", Producer.LINEAR),
    ("slim.fully_connected(x, 1)", Producer.RELU),
])
def test_tf1_functional_layers_are_their_activation(layer, producer):
    analysis, returned, end = function_return("import tensorflow as tf\nimport tensorflow.contrib.slim as slim\n"
                                              f"def f(x):\n    return {layer}\n")
    assert analysis.values.of(returned, end).producer is producer


@pytest.mark.parametrize("body, zero", [
    # a quotient by a non-zero number keeps the dividend's zeros, as a product does (BTS's `depth * f / 715.0873`)
    ("p = tf.sigmoid(x) * f / 715.0873", True),
    ("p = tf.nn.relu(x) / 2.0", True),
    ("p = tf.sigmoid(x) / 1e-3", True),
    # a selection of entries keeps them
    ("p = tf.boolean_mask(tf.sigmoid(x), f > 0.1)", True),
    ("p = tf.compat.v1.boolean_mask(tf.sigmoid(x) * 10.0, f > 0.1)", True),
    # a quotient by something else is not known to keep them, nor one by 0
    ("p = tf.sigmoid(x) / f", False),
    ("p = tf.sigmoid(x) / 0.0", False),
])
def test_a_quotient_by_a_constant_and_a_boolean_mask_keep_zeros(body, zero):
    analysis, returned, end = function_return(f"{HEADER}def f(x, f):\n    {body}\n    return p\n")
    assert (analysis.values.of(returned, end).zero_when is not None) is zero


@pytest.mark.parametrize("body", [
    # a channel of a mask is a mask (FAS-SGTD's face mask, `masks[..., 0]`), also named first
    "d = depth[..., 0] * masks[..., 0]\n    return np.sum(d) / np.sum(masks[..., 0])",
    "m = masks[..., 0]\n    d = depth[..., 0] * m\n    return np.sum(d) / np.sum(m)",
    # ...and a predicted mask (an estimator's prediction dict, `feature`) can select nothing like any other
    "masks = feature['masks']\n    d = depth[..., 0] * masks[..., 0]\n    return np.sum(d) / np.sum(masks[..., 0])",
])
def test_a_mean_over_a_slice_of_a_mask_divides_by_a_sum_that_can_be_0(body):
    from nanlint.linter import lint_text
    from nanlint.selection import Selection

    source = HEADER + f"def depth_mean(depth, masks, feature):\n    {body}\n"
    findings = lint_text(source, "x.py", Selection(select=("NAN002",))).findings
    assert [f.line for f in findings] == [source.count("\n")]
    assert "empty mask" in findings[0].message


def test_a_slice_of_something_not_a_mask_is_not_a_mask():
    from nanlint.linter import lint_text
    from nanlint.selection import Selection

    source = HEADER + "def f(depth, weights):\n    d = depth[..., 0] * weights[..., 0]\n" \
                      "    return np.sum(d) / np.sum(weights[..., 0])\n"
    assert not lint_text(source, "x.py", Selection(select=("NAN002",))).findings


@pytest.mark.parametrize("compared, mask", [
    # BP-MLL: a loss's labels compared with a number, bound to a name, then cast: an indicator of the labels
    ("tf.equal(y_true, tf.ones(tf.shape(y_true)))", True),
    ("tf.not_equal(y_true, 1)", True),
    ("y_true > 0.5", True),
    # a comparison of other values bound to a name stays unknown (sparsemax's support holds its largest entry)
    ("y_pred > 0.5 * tf.reduce_max(y_pred)", False),
    ("tf.equal(y_pred, y_true)", False),
])
def test_a_named_comparison_of_the_labels_is_a_mask(compared, mask):
    from nanlint.linter import lint_text
    from nanlint.selection import Selection

    source = HEADER + (f"def loss(y_true, y_pred):\n    y_i = {compared}\n"
                       "    per = tf.cast(y_i, tf.float32) * y_pred\n"
                       "    return tf.reduce_sum(per, axis=1) / tf.reduce_sum(tf.cast(y_i, dtype=tf.float32), axis=1)\n")
    findings = lint_text(source, "x.py", Selection(select=("NAN002",))).findings
    assert bool(findings) is mask


@pytest.mark.parametrize("source, zero", [
    # every spelling of softplus: 0 where exp underflows (x <= -87.34 in float32, TF 2.21)
    ("def f(x):\n    return tf.math.log(tf.nn.softplus(x))\n", True),
    ("def f(x):\n    return tf.math.log(tf.math.softplus(x))\n", True),
    ("from tensorflow import keras\ndef f(x):\n    return tf.math.log(keras.activations.softplus(x))\n", True),
    ("import keras\ndef f(x):\n    return keras.ops.log(keras.ops.softplus(x))\n", True),
    # a Keras layer with the softplus activation, by name
    ("from tensorflow import keras\ndef f(x):\n    s = keras.layers.Dense(1, activation='softplus')(x)\n"
     "    return tf.math.log(s)\n", True),
    # Bayes-by-backprop: the sigma of a variable
    ("rho = tf.Variable(-3.0)\ndef f():\n    return tf.math.log(tf.nn.softplus(rho))\n", True),
    # an epsilon added, a floor taken: finite
    ("def f(x):\n    return tf.math.log(tf.nn.softplus(x) + 1e-6)\n", False),
    ("def f(x):\n    return tf.math.log(tf.maximum(tf.nn.softplus(x), 1e-6))\n", False),
    ("def f(x):\n    s = tf.nn.softplus(x) + 1e-6\n    return tf.math.log(s)\n", False),
])
def test_a_softplus_output_is_zero_where_exp_underflows(source, zero):
    _assert_zero_source(source, zero, Producer.SOFTPLUS, "x <= -87.34 in float32, x <= -17.34 in float16")


def test_softplus_findings_name_the_threshold_and_claim_a_gradient_only_where_one_flows():
    from nanlint.finding import Confidence
    from nanlint.linter import lint_text
    from nanlint.selection import Selection

    source = HEADER + textwrap.dedent("""
        from tensorflow import keras

        class BayesDense(keras.layers.Layer):
            def build(self, shape):
                self.rho = self.add_weight(shape=(4,), initializer="zeros")

            def call(self, x):
                sigma = tf.nn.softplus(self.rho)
                return x / sigma

        def nll(y, raw):
            s = tf.nn.softplus(raw)
            return tf.math.log(s) + y / s
    """)
    findings = lint_text(source, "x.py", Selection(select=("NAN001", "NAN002"))).findings
    assert [(f.line - 2, f.code) for f in findings] == [(10, "NAN002"), (14, "NAN001"), (14, "NAN002")]
    assert all("softplus output" in f.message and "x <= -87.34 in float32" in f.message for f in findings)
    assert "with a NaN gradient" in findings[0].message or "and a NaN gradient" in findings[0].message
    assert all("if this code is differentiated" in f.message for f in findings[1:])
    # by construction, like a sigmoid's 0 at the same underflow point: a default finding
    assert all(f.confidence is Confidence.CONSTRUCTION for f in findings)


def test_a_softplus_in_a_float64_module_names_float64s_underflow():
    from nanlint.analysis.values import _FLOAT64_ZERO_WHEN

    assert _FLOAT64_ZERO_WHEN[Producer.SOFTPLUS].startswith("x <= -708.40 in float64")


@pytest.mark.parametrize("argument", ["tf.sigmoid(z)", "tf.clip_by_value(z, -20.0, 20.0)", "tf.nn.relu(z)"])
def test_a_softplus_of_an_argument_bounded_above_its_underflow_point_is_no_zero(argument):
    _assert_zero_source(f"def f(z):\n    return tf.math.log(tf.nn.softplus({argument}))\n", False, Producer.SOFTPLUS, "")


@pytest.mark.parametrize("body, producer", [
    # GPflow's square_distance: -2 x·y plus both squared norms, in an augmented assignment
    ("d = -2 * tf.matmul(x, y, transpose_b=True)\n"
     "    d += tf.reduce_sum(tf.square(x), -1)[:, None] + tf.linalg.adjoint(tf.reduce_sum(tf.square(y), -1)[:, None])",
     None),
    # one point set: its Gram matrix's diagonal is the squared norms
    ("g = tf.matmul(x, x, transpose_b=True)\n    sq = tf.linalg.diag_part(g)\n"
     "    d = -2.0 * g + tf.expand_dims(sq, 0) + tf.expand_dims(sq, 1)", None),
    ("d = -2 * (x @ tf.transpose(y)) + tf.reduce_sum(x ** 2, 1)[:, None] + tf.reduce_sum(y * y, 1)[None, :]", None),
    # a squared norm missing, the cross term added, or a matrix product with a weight: a linear output
    ("d = -2 * tf.matmul(x, y, transpose_b=True) + tf.reduce_sum(tf.square(x), -1)[:, None]", Producer.LINEAR),
    ("d = 2 * tf.matmul(x, y, transpose_b=True) + tf.reduce_sum(tf.square(x), -1)[:, None]"
     " + tf.reduce_sum(tf.square(y), -1)[None, :]", Producer.LINEAR),
    ("d = -2 * tf.matmul(x, w) + tf.reduce_sum(tf.square(x), -1)[:, None]", Producer.LINEAR),
])
def test_a_gram_expansion_is_a_squared_distance_not_a_linear_output(body, producer):
    """|a|² + |b|² - 2 a·b is ||a - b||² (>= 0 up to rounding), though its cross term is a matrix product: `exp(-d)`
    of it does not overflow (gpflow `expectations/squared_exponentials.py:291`, an RBF kernel's
    `exp(-0.25 * square_distance(Z / lengthscales, None))`, was "exp of a linear output")."""
    analysis, returned, at = function_return(
        f"import tensorflow as tf\n\nw = tf.Variable(tf.zeros([3, 3]))\n\ndef f(x, y):\n    {body}\n    return d\n")
    assert analysis.values.of(returned, at).producer is producer


@pytest.mark.parametrize(("mask", "reduced", "zero"), [
    # tensorflow_ranking's unique softmax: a column of ones joined along the axis the sum runs over
    ("tf.concat([pairwise, tf.expand_dims(tf.ones_like(logits), axis=2)], axis=2)", "axis=-1", False),
    ("tf.concat([pairwise, tf.ones_like(pairwise[:, :, :1])], axis=2)", "axis=2", False),
    ("tf.cast(tf.concat([pairwise, tf.ones([4, 1])], axis=-1), tf.float32)", "axis=-1", False),
    ("tf.concat([pairwise, tf.ones([4, 1])], axis=1)", "", False),  # summed whole
    # joined along another axis than the one summed: a row of the first part can be all 0
    ("tf.concat([pairwise, tf.expand_dims(tf.ones_like(logits), axis=2)], axis=2)", "axis=1", True),
    ("tf.concat([pairwise, tf.ones([1, 4])], axis=0)", "axis=-1", True),
    # joined with zeros, or not joined at all
    ("tf.concat([pairwise, tf.zeros([4, 1])], axis=-1)", "axis=-1", True),
    ("pairwise", "axis=-1", True),
])
def test_a_mask_joined_with_ones_along_the_summed_axis_never_selects_nothing(mask, reduced, zero):
    """A mask concatenated with a piece of ones along the axis the sum runs over keeps an entry of every slice
    summed: the masked sum is what the other factor's sum is (here exps: no zero), not "an empty mask"
    (tensorflow_ranking losses_impl.py:1278, `log(reduce_sum(exp(d - max) * denominator_mask, axis=-1))`)."""
    comma = ", " if reduced else ""
    analysis, returned, at = function_return(
        f"import tensorflow as tf\n\ndef f(logits, pairwise, d):\n    denominator_mask = {mask}\n"
        f"    return tf.reduce_sum(tf.exp(d) * denominator_mask{comma}{reduced})\n")
    value = analysis.values.of(returned, at)
    assert (value.zero_when is not None) is zero
    if zero:
        assert value.mask == "denominator_mask"


def test_a_sum_of_relu_outputs_under_a_mask_with_ones_is_still_zero_where_the_relu_is():
    analysis, returned, at = function_return(
        "import tensorflow as tf\n\ndef f(h, pairwise):\n    m = tf.concat([pairwise, tf.ones([4, 1])], axis=-1)\n"
        "    return tf.reduce_sum(tf.nn.relu(h) * m, axis=-1)\n")
    assert analysis.values.of(returned, at).zero_when is not None


def test_a_loss_object_given_to_compile_receives_the_model_output_as_y_pred():
    # Keras calls the object: `keras.losses.Loss.__call__` calls `call(y_true, y_pred)`, a class's own `__call__`
    # is called directly; the instance given by name or built in the compile call; a class never compiled, or given
    # to a model whose output is not known, receives nothing
    analysis = analysis_of("""
        import tensorflow as tf

        class Focal(tf.keras.losses.Loss):
            def call(self, y_true, y_pred):
                return y_pred

        class Plain:
            def __call__(self, y_true, y_pred):
                return y_pred

        class Unused(tf.keras.losses.Loss):
            def call(self, y_true, y_pred):
                return y_pred

        model = tf.keras.Sequential([tf.keras.layers.Dense(1, activation="sigmoid")])
        model.compile("adam", loss=Focal())
        other = tf.keras.Sequential([tf.keras.layers.Dense(3, activation="softmax")])
        loss = Plain()
        other.compile("adam", loss=loss)
    """)

    def produced(method: str) -> Producer | None:
        scope = analysis.functions[method]
        return analysis.values.of(scope.returns[-1], At(scope, END)).producer

    assert produced("Focal.call") is Producer.SIGMOID
    assert produced("Plain.__call__") is Producer.SOFTMAX
    assert produced("Unused.call") is None


def test_the_number_a_caller_passes_through_an_attribute_and_a_cast():
    # `focal(..., gamma=self.gamma)` in the `call` of a loss built as `Focal(gamma=0.5)` passes 0.5, and the
    # callee's `gamma = tf.cast(gamma, y.dtype)` still holds it
    analysis = analysis_of("""
        import tensorflow as tf

        class Focal(tf.keras.losses.Loss):
            def __init__(self, gamma=2.0):
                super().__init__()
                self.gamma = gamma

            def call(self, y_true, y_pred):
                return focal(y_true, y_pred, gamma=self.gamma)

        def focal(y_true, y_pred, gamma=2.0):
            gamma = tf.cast(gamma, dtype=y_pred.dtype)
            return tf.pow(1.0 - y_pred, gamma)

        loss = Focal(gamma=0.5)
    """)
    scope = analysis.functions["focal"]
    exponent = scope.returns[-1].args[1].value
    assert analysis.values.passed_numbers(exponent, At(scope, END)) == [
        (0.5, "gamma=0.5 passed at focal(y_true, y_pred, gamma=self.gamma) as self.gamma")]


@pytest.mark.parametrize("body, zero", [
    # tensorflow#4914: a few sqrt(c * x) terms, c a constant drawn from a list that holds a 0
    ("for i, c in enumerate(coefficients):\n        c = tf.constant(c, dtype=tf.float64)\n        p = c * x[i]", True),
    ("for c, w in zip(coefficients, ws):\n        p = w * c", True),
    ("p = [c * x for c in coefficients][0]", True),
    ("p = tf.constant([0.0, 2.0]) * x", True),
    ("p = np.array([[1.0, 0.0], [0.5, 2.0]]) * x", True),
    ("p = coefficients[i] * x", True),  # an index that is not a constant: whichever entry
    # no 0 among the values, one value that is not 0, a list that is not all numbers, a parameter
    ("p = tf.constant([0.5, 2.0]) * x", False),
    ("p = coefficients[2] * x", False),
    ("for c in [0.0, s]:\n        p = c * x", False),
    ("for c in ws:\n        p = c * x", False),
    # a guard where the loop target is read keeps it off 0
    ("for c in coefficients:\n        if c == 0:\n            continue\n        p = tf.constant(c) * x", False),
    ("p = [c * x for c in coefficients if c > 0][0]", False),
])
def test_a_coefficient_that_takes_the_value_0_makes_its_product_0(body, zero):
    source = HEADER + (f"coefficients = [0.5, 0.0, 2.0]\n"
                       f"def f(x, ws, i, s):\n    {body}\n    return p\n")
    analysis, returned, at = function_return(source)
    value = analysis.values.of(returned, at)
    assert (value.producer is Producer.ZERO_COEFFICIENT) is zero
    if zero:
        assert value.zero_when is not None and "holds a 0" in value.zero_when


F1_LAYERS = """
from keras import backend as K
from keras.layers import Layer
from operator import truediv


def _int32(y_true, y_pred):
    return K.cast(y_true, "int32"), K.cast(K.round(y_pred), "int32")


class true_positive(Layer):
    def __init__(self):
        self.tp = K.variable(0, dtype="int32")

    def reset_states(self):
        K.set_value(self.tp, 0)

    def __call__(self, y_true, y_pred):
        y_true, y_pred = _int32(y_true, y_pred)
        tp = K.sum(y_true * y_pred)
        current_tp = self.tp * 1
        self.add_update(K.update_add(self.tp, tp))
        return tp + current_tp


class precision(Layer):
    def __init__(self):
        self.tp = true_positive()
        self.capping = K.constant(1, dtype="int32")

    def __call__(self, y_true, y_pred):
        tp = self.tp(y_true, y_pred)
        return tp / K.maximum(tp, self.capping)


def f(y_true, y_pred):
    pr = precision()(y_true, y_pred)
    return {returned}
"""


@pytest.mark.parametrize("returned, zero", [
    # keras-metrics#15: counts through a helper's tuple, a running count kept in a variable, a layer's own
    # `__call__`, a count over a total that is never 0 (a rate), and a sum of rates of the same count
    ("pr", True),
    ("pr + pr", True),
    ("2 * pr", True),
    # a rate plus something that is not a count, a count over a total that can be 0 (that division's own hazard)
    ("pr + y_pred", False),
])
def test_a_count_over_a_total_that_is_never_0_is_0_exactly_when_the_count_is(returned, zero):
    analysis, expr, at = function_return(F1_LAYERS.format(returned=returned))
    value = analysis.values.of(expr, at)
    assert (value.zero_when is not None and bool(value.counts)) is zero
    if zero:
        assert "no sample labelled positive and predicted positive" in value.zero_when
        # rounded predictions and labels: no gradient flows through a count or a rate of one
        assert not analysis.gradients.carries_gradient(expr, at)


@pytest.mark.parametrize("source, running", [
    ("self.n = K.variable(0)\n        K.update_add(self.n, K.sum(K.round(K.clip(y_pred, 0, 1))))", True),
    ("self.n = tf.Variable(0.0)\n        self.n.assign_add(K.sum(K.round(K.clip(y_pred, 0, 1))))", True),
    # started at 1, increased by something that is not a count, reset to a value that is not 0
    ("self.n = K.variable(1)\n        K.update_add(self.n, K.sum(K.round(K.clip(y_pred, 0, 1))))", False),
    ("self.n = K.variable(0)\n        K.update_add(self.n, K.sum(y_pred))", False),
    ("self.n = K.variable(0)\n        K.update_add(self.n, K.sum(K.round(K.clip(y_pred, 0, 1))))\n"
     "        K.set_value(self.n, 5)", False),
])
def test_a_variable_started_at_0_and_only_increased_by_counts_is_a_running_count(source, running):
    code = HEADER + ("from keras import backend as K\n"
                     "class Counter:\n"
                     "    def update(self, y_pred):\n"
                     f"        {source}\n"
                     "        return self.n\n")
    analysis = ModuleAnalysis.build(cst.parse_module(code))
    scope = analysis.functions["Counter.update"]
    value = analysis.values.of(scope.returns[-1], At(scope, END))
    assert bool(value.counts) is running


def test_an_instance_is_called_through_its_own_call_method_when_its_class_defines_no_call():
    analysis, expr, at = function_return(HEADER + (
        "class Inner:\n"
        "    def __call__(self, x):\n"
        "        return tf.nn.relu(x)\n"
        "class Both:\n"
        "    def __call__(self, x):\n"
        "        return super().__call__(x)\n"
        "    def call(self, x):\n"
        "        return tf.nn.sigmoid(x)\n"
        "def f(x):\n"
        "    return Inner()(x) + Both()(x)\n"))
    assert analysis.binder.called_method(analysis.classes["Inner"]).name == "Inner.__call__"
    assert analysis.binder.called_method(analysis.classes["Both"]).name == "Both.call"
    (first, second) = (expr.left, expr.right)
    assert analysis.values.of(first, at).producer is Producer.RELU
    assert analysis.values.of(second, at).producer is Producer.SIGMOID


def test_pythons_operator_functions_are_the_operations_they_spell():
    analysis = ModuleAnalysis.build(cst.parse_module(
        "import operator\nfrom operator import truediv\nimport tensorflow as tf\n"
        "def f(x):\n    r = tf.nn.relu(x)\n    return truediv(x, r), operator.truediv(1, r), operator.mul(r, 2)\n"))
    assert len([division for division in analysis.divisions() if division.numerator is not None]) == 2
    assert [call.op for call in analysis.calls if call.op is Op.MULTIPLY]
