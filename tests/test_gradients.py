"""Differentiation marking on its own: which code gradients flow through, and why."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from nanlint.analysis.gradients import Flow
from nanlint.analysis.module import ModuleAnalysis
from nanlint.finding import Confidence
from nanlint.linter import lint_text
from nanlint.selection import Selection


def _flows(source: str, path: str = "m.py") -> dict[str, tuple[Flow, str]]:
    """The flow at every `tf.sqrt(...)` call, keyed by the name its result is assigned to ("expr" for one in an
    expression statement)."""
    analysis = ModuleAnalysis.build(cst.parse_module(textwrap.dedent(source)), path)
    found = {}
    for call in analysis.calls:
        if call.qualified_name == "tensorflow.sqrt":
            statement = call.site.statement
            small = statement.body[0]
            target = small.targets[0].target.value if isinstance(small, cst.Assign) else "expr"
            here = analysis.gradients.at(call.site, call.node)
            found[target] = (here.flow, analysis.gradients.explain(here))
    return found


def test_losses_given_to_compile_and_what_they_call_are_differentiated():
    flows = _flows("""
        import tensorflow as tf

        def helper(x):
            a = tf.sqrt(x)
            return a

        def my_loss(y, p):
            b = tf.sqrt(p)
            return helper(y - p) + b

        def make_loss(scale):
            def inner(y, p):
                c = tf.sqrt(p)
                return c * scale
            return inner

        def accuracy(y, p):
            d = tf.sqrt(p)
            return d

        model.compile(optimizer="adam", loss=my_loss, metrics=[accuracy])
        other.compile(loss=make_loss(2.0))
    """)
    assert flows["a"][0] is Flow.DIFFERENTIATED and "via helper()" in flows["a"][1]
    assert flows["b"] == (Flow.DIFFERENTIATED, "loss passed to compile at line 22")
    assert flows["c"][0] is Flow.DIFFERENTIATED
    assert flows["d"][0] is Flow.FORWARD_ONLY and flows["d"][1] == "metric passed to compile"


def test_a_loss_factory_method_called_inside_compile_returns_a_differentiated_loss():
    # orion-ml's TadGAN: `compile(loss=[..., self._gradient_penalty_loss_wrapper(self.critic_x)])`, a staticmethod
    # returning the penalty loss, whose norm after its own tape follows the loss's flow
    flows = _flows("""
        import tensorflow as tf

        class GAN:
            @staticmethod
            def _penalty_wrapper(critic):
                def _penalty(real, fake):
                    with tf.GradientTape() as tape:
                        tape.watch(fake)
                        v = critic(fake)
                    g = tape.gradient(v, fake)
                    a = tf.sqrt(tf.reduce_sum(tf.square(g), axis=1))
                    return tf.reduce_mean((a - 1.0) ** 2)
                return _penalty

            def _metric_wrapper(self):
                def _metric(y, p):
                    b = tf.sqrt(p)
                    return b
                return _metric

            def build(self):
                self.critic.compile(loss=[self._wasserstein, self._penalty_wrapper(self.critic)],
                                    metrics=[self._metric_wrapper()])

        class Holder:
            def __init__(self, fn):
                self.fn = fn
            def run(self):
                def _held(x):
                    c = tf.sqrt(x)
                    return c
                other.compile(loss=self.fn(1.0))
    """)
    assert flows["a"][0] is Flow.DIFFERENTIATED and flows["a"][1].startswith("loss passed to compile")
    assert flows["b"][0] is Flow.FORWARD_ONLY and flows["b"][1] == "metric passed to compile"
    # an attribute holding a callable is no method of the module: what its call returns is unknown
    assert flows["c"][0] is not Flow.DIFFERENTIATED


def test_class_roles():
    flows = _flows("""
        import tensorflow as tf
        from tensorflow import keras

        class Block(keras.layers.Layer):
            def build(self, shape):
                a = tf.sqrt(2.0 / shape[-1])
            def call(self, x):
                b = tf.sqrt(x)
                return self.scale(b)
            def scale(self, x):
                c = tf.sqrt(x)
                return c

        class Pearson(keras.metrics.Metric):
            def update_state(self, y, p):
                d = tf.sqrt(p)

        class Lamb(keras.optimizers.Optimizer):
            def update_step(self, g, v, lr):
                e = tf.sqrt(tf.reduce_sum(g * g))

        class Focal(keras.losses.Loss):
            def call(self, y, p):
                f = tf.sqrt(p)
                return f

        class Flip(keras.layers.RandomFlip):
            def call(self, x):
                g = tf.sqrt(x)
                return g
    """)
    assert flows["a"][0] is Flow.FORWARD_ONLY
    assert flows["b"][0] is Flow.DIFFERENTIATED and flows["b"][1].startswith("call() of the Layer/Model subclass Block")
    assert flows["c"][0] is Flow.DIFFERENTIATED and "via Block.scale()" in flows["c"][1]
    assert flows["d"][0] is Flow.FORWARD_ONLY and flows["d"][1].startswith("metric")
    assert flows["e"][0] is Flow.FORWARD_ONLY and flows["e"][1].startswith("optimizer update code")
    assert flows["f"][0] is Flow.DIFFERENTIATED
    assert flows["g"][0] is Flow.FORWARD_ONLY and flows["g"][1].startswith("preprocessing")


def test_tape_regions_stop_recording_and_sinks():
    flows = _flows("""
        import tensorflow as tf

        def loss_fn(y, p):
            a = tf.sqrt(p)
            return a

        def step(x, y):
            with tf.GradientTape() as tape:
                p = model(x)
                b = tf.sqrt(p)
                with tape.stop_recording():
                    c = tf.sqrt(p)
                loss = loss_fn(y, p) + b
            d = tf.sqrt(loss)
            tf.summary.scalar("norm", tf.sqrt(loss))
            return tape.gradient(loss, model.trainable_variables)
    """)
    assert flows["a"][0] is Flow.DIFFERENTIATED and flows["a"][1].startswith("GradientTape block at line 9")
    assert flows["b"][0] is Flow.DIFFERENTIATED
    assert flows["c"][0] is Flow.FORWARD_ONLY
    assert flows["d"] == (Flow.FORWARD_ONLY, "outside the GradientTape block of step()")
    assert flows["expr"] == (Flow.FORWARD_ONLY, "an argument of tf.summary")


def test_a_name_read_only_by_sinks_holds_a_forward_only_value():
    # tensorflow-addons WeightNormalization._init_norm: the kernel's norm goes only into g.assign()
    flows = _flows("""
        import tensorflow as tf

        class WeightNorm(tf.keras.layers.Layer):
            def _init_norm(self):
                assigned = tf.sqrt(tf.reduce_sum(tf.square(self.v), axis=0))
                reshaped = tf.reshape(assigned, (self.depth,))
                self.g.assign(reshaped)

            def call(self, inputs):
                self._init_norm()
                logged = tf.sqrt(inputs)
                tf.summary.scalar("mean", tf.reduce_mean(logged))
                used = tf.sqrt(inputs)
                tf.summary.scalar("used", used)
                checked = tf.sqrt(inputs)
                out = tf.debugging.check_numerics(checked, "NaN")
                return inputs * used + out
    """)
    assert flows["assigned"] == (Flow.FORWARD_ONLY, "an argument of assign()")
    assert flows["logged"] == (Flow.FORWARD_ONLY, "an argument of tf.summary")
    assert flows["used"][0] is Flow.DIFFERENTIATED  # read by the returned value too
    assert flows["checked"][0] is Flow.DIFFERENTIATED  # check_numerics returns its argument, gradient included


def test_custom_gradient_pipelines_tf_function_entry_points_and_unknown():
    flows = _flows("""
        import tensorflow as tf

        @tf.custom_gradient
        def clipped(x):
            a = tf.sqrt(x)
            def grad(dy):
                b = tf.sqrt(dy)
                return b
            return a, grad

        def augment(image):
            c = tf.sqrt(image)
            return c

        dataset = dataset.map(augment)

        @tf.function
        def serve(x):
            d = tf.sqrt(x)
            return d

        def public_helper(x):
            e = tf.sqrt(x)
            return e
    """)
    assert flows["a"][0] is Flow.CUSTOM_GRADIENT and flows["b"][0] is Flow.CUSTOM_GRADIENT
    assert flows["c"] == (Flow.FORWARD_ONLY, "input-pipeline function (map())")
    assert flows["d"][0] is Flow.FORWARD_ONLY
    assert flows["e"][0] is Flow.UNKNOWN


def test_train_step_without_tape_functional_builders_and_tf1_minimize():
    flows = _flows("""
        import tensorflow as tf
        from tensorflow import keras

        class Trainer(keras.Model):
            def train_step(self, data):
                a = tf.sqrt(data)
                return a

        def build():
            inputs = keras.Input(shape=(3,))
            b = tf.sqrt(inputs)
            return keras.Model(inputs, b)

        def graph():
            c = tf.sqrt(x)
            train_op = tf.train.AdamOptimizer(1e-3).minimize(c)

        class Siamese(keras.Model):
            def __init__(self, encoder):
                anchor, positive = keras.Input(shape=(1,)), keras.Input(shape=(1,))
                d = tf.sqrt(tf.reduce_sum(tf.square(encoder(anchor) - encoder(positive)), axis=1))
                super().__init__(inputs=[anchor, positive], outputs=d)
    """)
    assert all(flows[name][0] is Flow.DIFFERENTIATED for name in "abcd")
    assert flows["c"][1].startswith("code differentiated by minimize()")


@pytest.mark.parametrize("path", ["pkg/model_test.py", "tests/check.py", "pkg/test_model.py"])
def test_test_files_are_forward_only_unless_a_tape_says_otherwise(path):
    flows = _flows("""
        import tensorflow as tf

        def reference(x):
            a = tf.sqrt(x)
            return a

        def test_gradient():
            with tf.GradientTape() as tape:
                b = tf.sqrt(x)
            assert reference(x) is not None
    """, path)
    assert flows["a"][0] is Flow.FORWARD_ONLY
    assert flows["b"][0] is Flow.DIFFERENTIATED


def test_gradient_hazard_confidence_follows_the_flow():
    source = textwrap.dedent("""
        import tensorflow as tf

        def public(x):
            return tf.sqrt(x)

        def loss(y, p):
            return tf.sqrt(p)

        model.compile(loss=loss)
    """)
    analysis = ModuleAnalysis.build(cst.parse_module(source), "m.py")
    public, loss = [call for call in analysis.calls if call.qualified_name == "tensorflow.sqrt"]
    assert analysis.gradients.gradient_hazard(public.site, public.node)[0] is Confidence.PLAUSIBLE
    confidence, where = analysis.gradients.gradient_hazard(loss.site, loss.node)
    assert confidence is Confidence.CONSTRUCTION and "loss passed to compile at line 10" in where


def test_values_without_a_gradient_path():
    source = textwrap.dedent("""
        import tensorflow as tf

        def f(mask, x):
            count = tf.reduce_sum(tf.cast(~mask, tf.float32)) * (1.0 / tf.cast(tf.shape(x)[0], tf.float32))
            positive = tf.reduce_sum(tf.cast(x > 0, tf.float32))
            return tf.sqrt(count), tf.sqrt(positive), tf.sqrt(tf.reduce_sum(x * x))
    """)
    analysis = ModuleAnalysis.build(cst.parse_module(source), "m.py")
    roots = [call for call in analysis.calls if call.qualified_name == "tensorflow.sqrt"]
    carries = [analysis.gradients.carries_gradient(call.node.args[0].value, call.site) for call in roots]
    assert carries == [False, False, True]


def test_aranges_and_python_math_carry_no_gradient():
    """An arange is a grid of constants (TensorFlow's Range has no gradient); Python's math module computes on
    Python numbers (ALiBi's slope ratio)."""
    source = textwrap.dedent("""
        import math
        import tensorflow as tf
        from keras import backend as K

        def f(x, heads):
            grid = K.arange(0, 8)
            ratio = 2 ** (-(2 ** -(math.log2(heads) - 3)))
            return tf.sqrt(grid), tf.sqrt(ratio), tf.sqrt(x * ratio)
    """)
    analysis = ModuleAnalysis.build(cst.parse_module(source), "m.py")
    roots = [call for call in analysis.calls if call.qualified_name == "tensorflow.sqrt"]
    carries = [analysis.gradients.carries_gradient(call.node.args[0].value, call.site) for call in roots]
    assert carries == [False, False, True]


def test_losses_by_signature_activation_functions_and_hooks_of_subclasses():
    flows = _flows("""
        import tensorflow as tf
        from tensorflow import keras

        def dice_loss(y_true, y_pred):
            a = tf.sqrt(y_pred)
            return a

        def dice_coef(y_true, y_pred):
            b = tf.sqrt(y_pred)
            return b

        def swish(x):
            c = tf.sqrt(x)
            return c

        def elu(x):
            d = tf.sqrt(x)
            return d

        class Head(keras.layers.Layer):
            def call(self, *args):
                return self.output_of(*args)

        class Triplet(Head):
            def output_of(self, a, p):
                e = tf.sqrt(a - p)
                return e

        layer = keras.layers.Dense(4, activation=swish)
        act = keras.layers.Activation(elu)
    """)
    assert flows["a"][0] is Flow.DIFFERENTIATED and "a loss by its name and signature" in flows["a"][1]
    # a metric's signature is the same; named as a metric, nothing differentiates it
    assert flows["b"] == (Flow.FORWARD_ONLY, "dice_coef(y_true, y_pred), a metric by its name and signature")
    assert flows["c"] == (Flow.DIFFERENTIATED, "activation of the Dense layer at line 30")
    assert flows["d"][0] is Flow.DIFFERENTIATED and flows["d"][1].startswith("function of the Activation layer")
    assert flows["e"][0] is Flow.DIFFERENTIATED and "via Triplet.output_of()" in flows["e"][1]


def test_gradient_penalty_outside_its_tape_is_differentiated_a_training_step_is_not():
    flows = _flows("""
        import tensorflow as tf
        from tensorflow import keras

        class WGAN(keras.Model):
            def gradient_penalty(self, real):
                with tf.GradientTape() as tape:
                    tape.watch(real)
                    pred = self.critic(real, training=True)
                grads = tape.gradient(pred, real)
                a = tf.sqrt(tf.reduce_sum(tf.square(grads)))
                return a

        def step(model, x, optimizer):
            with tf.GradientTape() as tape:
                loss = model(x, training=True)
            grads = tape.gradient(loss, model.trainable_variables)
            b = tf.sqrt(tf.reduce_sum(tf.square(grads[0])))
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
    """)
    assert flows["a"] == (Flow.DIFFERENTIATED, "runs a model with training=True at line 9")
    assert flows["b"] == (Flow.FORWARD_ONLY, "outside the GradientTape block of step()")


def test_code_before_the_tape_its_training_call_sits_in_is_forward_only():
    # tensorflow-privacy's fast clipping: per-example gradient norms computed first, used in the tape as weights
    flows = _flows("""
        import tensorflow as tf

        def gradient_norms(model, x):
            tape = tf.GradientTape(persistent=True)
            with tape:
                loss = model(x)
            grads = tape.gradient(loss, model.trainable_variables)
            a = tf.sqrt(tf.reduce_sum(tf.square(grads[0])))
            return a

        def clipped_gradients(model, x, clip):
            norms = gradient_norms(model, x)
            weights = clip / tf.maximum(norms, clip)
            with tf.GradientTape() as tape:
                y = model(x, training=True)
                loss = tf.reduce_sum(weights * y)
            grads = tape.gradient(loss, model.trainable_variables)
            b = tf.sqrt(tf.reduce_sum(tf.square(grads[0])))
            return grads, b
    """)
    assert flows["a"] == (Flow.FORWARD_ONLY, "before the GradientTape block of clipped_gradients(), which does not "
                                             "record it at line 15, via gradient_norms()")
    # after the tape, the function's own flow as before (a gradient penalty computed there is differentiated)
    assert flows["b"] == (Flow.DIFFERENTIATED, "runs a model with training=True at line 16")


def test_what_follows_the_last_minimize_is_forward_only():
    # tensorflow-privacy's BoltOn: a projection of the updated weights after the wrapped optimizer's minimize()
    flows = _flows("""
        import tensorflow as tf

        class Projected:
            def minimize(self, *args, **kwargs):
                out = self._inner.minimize(*args, **kwargs)
                self.project()
                return out

            def project(self):
                a = tf.sqrt(tf.reduce_sum(tf.square(self.kernel), axis=0))
                self.kernel = self.kernel / a

        def build(x, w):
            loss = tf.reduce_sum(tf.sqrt(x * w))
            b = tf.sqrt(tf.reduce_sum(tf.square(w)))
            train = tf.train.AdamOptimizer().minimize(loss + b)
            if train is not None:
                c = tf.sqrt(tf.reduce_sum(tf.square(w)))
            return train

        def loop(x, w, opt):
            for _ in range(3):
                opt.minimize(lambda: tf.reduce_sum(x * w), [w])
                d = tf.sqrt(tf.reduce_sum(tf.square(w)))
            return d
    """)
    assert flows["a"] == (Flow.FORWARD_ONLY, "after minimize() at line 6, which has already taken its gradient and "
                                             "applied it at line 6, via Projected.project()")
    assert flows["b"][0] is Flow.DIFFERENTIATED  # part of the loss it minimizes
    assert flows["c"][0] is Flow.FORWARD_ONLY
    # in a loop, what follows a minimize() runs before the next one: its flow is the function's
    assert flows["d"][0] is Flow.DIFFERENTIATED


def test_xla_compilation_reaches_what_a_jit_compiled_function_calls():
    source = textwrap.dedent("""
        import tensorflow as tf

        def helper(x):
            return tf.sqrt(x)

        def eager(x):
            return tf.sqrt(x)

        @tf.function(jit_compile=True)
        def step(x):
            return helper(x)
    """)
    analysis = ModuleAnalysis.build(cst.parse_module(source), "m.py")
    compiled, plain = [analysis.gradients.compiled_by_xla(call.site) for call in analysis.calls
                       if call.qualified_name == "tensorflow.sqrt"]
    assert compiled == "jit_compile=True at line 10, via helper()" and plain == ""


def test_data_given_to_a_training_step_and_y_true_carry_no_gradient():
    source = textwrap.dedent("""
        import tensorflow as tf

        def step(x, y, w):
            with tf.GradientTape() as tape:
                tape.watch(w)
                pred = model(x)
                loss = tf.norm(pred - y) / tf.norm(y) + tf.norm(w)

        def loss_fn(y_true, y_pred):
            return tf.norm(y_true) * tf.norm(y_pred)
    """)
    analysis = ModuleAnalysis.build(cst.parse_module(source), "m.py")
    norms = [call for call in analysis.calls if call.qualified_name == "tensorflow.norm"]
    carries = [analysis.gradients.carries_gradient(call.node.args[0].value, call.site) for call in norms]
    assert carries == [True, False, True, False, True]


def test_a_helper_given_the_output_of_trainable_weights_is_differentiated():
    # the CapsNet squash of ageron/handson-ml#173: module-level TF1 graph code hands a relu conv's output to it
    flows = _flows("""
        import tensorflow as tf

        def squash(s):
            a = tf.sqrt(tf.reduce_sum(tf.square(s), axis=-1))
            return a

        def keras_head(h):
            b = tf.sqrt(h)
            return b

        def on_data(x):
            c = tf.sqrt(x)
            return c

        def never_called(x):
            d = tf.sqrt(x)
            return d

        X = tf.placeholder(tf.float32, [None, 28, 28, 1])
        conv = tf.layers.conv2d(X, filters=8, kernel_size=9, activation=tf.nn.relu)
        caps = squash(tf.reshape(conv, [-1, 8]))
        head = keras_head(tf.keras.layers.Dense(4)(X) * 2.0)
        scaled = on_data(X / 255.0)
    """)
    assert flows["a"] == (Flow.DIFFERENTIATED, "called with a value computed by trainable weights (line 21) at line 22")
    assert flows["b"][0] is Flow.DIFFERENTIATED
    assert flows["c"][0] is Flow.UNKNOWN and flows["d"][0] is Flow.UNKNOWN


def test_metrics_by_name_run_forward_unless_a_loss_calls_them():
    flows = _flows("""
        import tensorflow as tf
        from tensorflow import keras

        def dice_coef(y_true, y_pred):
            a = tf.sqrt(y_pred)
            return a

        def dice_coef_loss(y_true, y_pred):
            return 1 - dice_coef(y_true, y_pred)

        def f1_score(y_true, y_pred):
            b = tf.sqrt(y_pred)
            return b

        def rmse(y_true, y_pred):
            c = tf.sqrt(y_pred)
            return c

        def psnr(y_true, y_pred):
            d = tf.sqrt(y_pred)
            return d

        wrapped = keras.metrics.MeanMetricWrapper(rmse, name="rmse")
        model.compile(loss=psnr)
    """)
    assert flows["a"][0] is Flow.DIFFERENTIATED and "via dice_coef()" in flows["a"][1]
    assert flows["b"][0] is Flow.FORWARD_ONLY
    assert flows["c"] == (Flow.FORWARD_ONLY, "function wrapped in a metric (MeanMetricWrapper)")
    assert flows["d"][0] is Flow.DIFFERENTIATED  # a metric's name, given as the loss


def test_parameters_used_as_booleans_carry_no_gradient():
    source = textwrap.dedent("""
        import tensorflow as tf

        def accuracy(y_true, y_pred, mask):
            correct = tf.math.logical_and(mask, tf.equal(y_true, tf.argmax(y_pred, axis=2)))
            mask = tf.cast(mask, tf.float32)
            return tf.reduce_sum(tf.cast(correct, tf.float32)) / tf.reduce_sum(mask)

        def masked(loss, mask):
            mask = tf.cast(mask, loss.dtype)
            return tf.reduce_sum(loss * mask) / tf.reduce_sum(mask)

        def selected(x, keep):
            return tf.reduce_sum(tf.where(keep, x, 0.0)) / tf.reduce_sum(tf.cast(keep, tf.float32))
    """)
    analysis = ModuleAnalysis.build(cst.parse_module(source), "m.py")
    divisions = list(analysis.divisions())
    carries = [(analysis.gradients.carries_gradient(d.numerator, d.site),
                analysis.gradients.carries_gradient(d.denominator, d.site)) for d in divisions]
    # accuracy: both sides are booleans counted; masked: the loss carries one, a mask of unknown type may too
    assert carries == [(False, False), (True, True), (True, False)]


def test_division_of_boolean_counts_claims_no_gradient():
    # keras-io image_captioning: the accuracy's NaN is forward only; the masked loss's gradient is NaN as well
    source = textwrap.dedent("""
        import tensorflow as tf

        class Captioner(tf.keras.Model):
            def calculate_loss(self, y_true, y_pred, mask):
                loss = self.loss(y_true, y_pred)
                mask = tf.cast(mask, dtype=loss.dtype)
                loss *= mask
                return tf.reduce_sum(loss) / tf.reduce_sum(mask)

            def calculate_accuracy(self, y_true, y_pred, mask):
                accuracy = tf.equal(y_true, tf.argmax(y_pred, axis=2))
                accuracy = tf.math.logical_and(mask, accuracy)
                accuracy = tf.cast(accuracy, dtype=tf.float32)
                mask = tf.cast(mask, dtype=tf.float32)
                return tf.reduce_sum(accuracy) / tf.reduce_sum(mask)
    """)
    findings = lint_text(source, "m.py", Selection()).findings
    claims = [(f.line, "NaN gradient" in f.message) for f in findings if f.code == "NAN002"]
    assert claims == [(9, True), (16, False)]


def test_values_no_tf1_gradient_call_reaches_are_forward_only():
    # stable-baselines ACER: gradient norms and an explained variance built beside tf.gradients for sess.run
    flows = _flows("""
        import tensorflow as tf

        class Acer:
            def __init__(self):
                self.run_ops = None

            def setup(self):
                q = self.q_values()
                fitted = tf.sqrt(tf.reduce_sum(tf.square(q)))
                loss = tf.reduce_mean(tf.square(q)) + fitted
                penalty = tf.sqrt(tf.reduce_sum(tf.square(q), axis=-1))
                total = loss
                total += tf.reduce_mean(penalty)
                grads = tf.gradients(total, self.params)
                logged = tf.sqrt(tf.reduce_sum(tf.square(grads[0])))
                kept = tf.sqrt(tf.reduce_mean(q))
                self.loss_stat = kept
                stats = [loss]
                stats.append(logged)
                self.run_ops = stats
                exported = tf.sqrt(tf.reduce_sum(q))
                self.exported = exported
                self.train = tf.group(grads)

            def step(self, feed):
                return self.sess.run(self.run_ops, feed)

            def summary(self):
                return tf.reduce_mean(self.loss_stat)
    """)
    assert flows["fitted"][0] is Flow.DIFFERENTIATED  # reaches the loss
    assert flows["penalty"][0] is Flow.DIFFERENTIATED  # through `total +=` (a gradient penalty's path)
    assert flows["logged"] == (Flow.FORWARD_ONLY, "a value that tf.gradients() does not reach at line 15")
    assert flows["kept"][0] is Flow.DIFFERENTIATED  # read outside the function other than through sess.run
    assert flows["exported"][0] is Flow.DIFFERENTIATED  # read nowhere in the module: another file may use it



def test_what_only_apply_gradients_reads_is_not_differentiated():
    """MusicVAE's train(): `grads = compute_gradients(model.loss)`, their global norm for a summary and for the clip
    inside a tf.cond, the clipped gradients applied, and the update op run for its effect. apply_gradients returns
    the update op: nothing the gradients it applies flow into, so their norm is never differentiated. A gradient
    penalty added to the loss it minimizes still is."""
    flows = _flows("""
        import tensorflow as tf

        def train(model, optimizer, run):
            grads, var_list = list(zip(*optimizer.compute_gradients(model.loss)))
            global_norm = tf.sqrt(tf.add_n([tf.reduce_sum(tf.square(g)) for g in grads]))
            tf.summary.scalar("global_norm", global_norm)
            clipped = tf.cond(global_norm < 1e4, lambda: tf.clip_by_global_norm(grads, 5.0, global_norm)[0],
                              lambda: [tf.zeros_like(g) for g in grads])
            train_op = optimizer.apply_gradients(list(zip(clipped, var_list)))
            run(train_op)

        def critic(model, optimizer, x):
            grads = tf.gradients(model(x), x)[0]
            penalty = tf.sqrt(tf.reduce_sum(tf.square(grads), axis=1))
            loss = model.loss + tf.reduce_mean(tf.square(penalty - 1.0))
            optimizer.minimize(loss)
    """)
    assert flows["global_norm"][0] is Flow.FORWARD_ONLY
    assert flows["penalty"][0] is Flow.DIFFERENTIATED


def test_what_a_tf1_step_computes_from_the_gradients_it_applies_is_not_differentiated():
    """reaver's actor-critic (unseen16): `compute_gradients(self.loss_op)`, their global norm kept in an attribute that
    another method puts in the list a session wrapper fetches (`self.sess_mgr.run(...)`, not `sess.run`), the clip by
    that norm, then apply_gradients. The attribute is read outside the function, but it is computed from the gradients
    the function applies: only a second differentiating call could differentiate it, and none reaches it. A penalty
    computed from tf.gradients of the critic and added to the loss whose gradients are applied still is."""
    source = textwrap.dedent("""
        import tensorflow as tf

        class ActorCritic:
            def __init__(self, optimizer, clip):
                self.loss_op = self.loss_fn()
                grads, params = zip(*optimizer.compute_gradients(self.loss_op))
                self.grads_norm = tf.global_norm(grads)
                norm = tf.sqrt(tf.add_n([tf.reduce_sum(tf.square(g)) for g in grads]))
                self.norm = norm
                grads, _ = tf.clip_by_global_norm(grads, clip, self.grads_norm)
                self.train_op = optimizer.apply_gradients(zip(grads, params))
                self.ops = self.make_ops()

            def make_ops(self):
                return [self.loss_op, self.grads_norm, self.norm, self.train_op]

            def update(self, feed):
                return self.sess_mgr.run(self.ops, feed)

        def critic_step(critic, optimizer, x, real_loss):
            slopes = tf.gradients(critic(x), [x])[0]
            penalty = tf.sqrt(tf.reduce_sum(tf.square(slopes), axis=1))
            loss = real_loss + tf.reduce_mean((penalty - 1.0) ** 2)
            grads = tf.gradients(loss, critic.trainable_variables)
            logged = tf.sqrt(tf.add_n([tf.reduce_sum(tf.square(g)) for g in grads]))
            optimizer.apply_gradients(zip(grads, critic.trainable_variables))
            return logged
    """)
    flows = _flows(source)
    assert flows["norm"] == (Flow.FORWARD_ONLY, "computed from the gradients compute_gradients() returns, which the "
                                                "function applies at line 7")
    assert flows["penalty"][0] is Flow.DIFFERENTIATED  # reaches the loss tf.gradients differentiates
    # (from the gradients of line 25, which are applied, not from the slopes of line 22, which are not)
    assert flows["logged"] == (Flow.FORWARD_ONLY, "computed from the gradients tf.gradients() returns, which the "
                                                  "function applies at line 25")
    findings = [(f.code, f.line) for f in lint_text(source, "m.py", Selection(preview=True)).findings]
    assert ("NAN005", 8) not in findings and ("NAN005", 9) not in findings
    assert ("NAN005", 23) in findings

def test_tf_print_passes_its_first_argument_and_ends_the_others():
    analysis = ModuleAnalysis.build(cst.parse_module(textwrap.dedent("""
        import tensorflow as tf

        def loss_fn(grad, v):
            passed = tf.Print(tf.sqrt(v), [tf.sqrt(tf.reduce_sum(grad))], "norm")
            return passed

        loss = loss_fn(g, w)
        train = tf.train.AdamOptimizer().minimize(loss)
    """)))
    roots = sorted((analysis.position(call.node).start.column, analysis.gradients.at(call.site, call.node).flow)
                   for call in analysis.calls if call.qualified_name == "tensorflow.sqrt")
    assert [flow for _, flow in roots] == [Flow.DIFFERENTIATED, Flow.FORWARD_ONLY]  # passed through; printed


def test_assertions_end_every_argument_check_numerics_passes_its_first():
    # tensorflow-privacy's DP queries check a record's global norm against the bound before adding noise
    analysis = ModuleAnalysis.build(cst.parse_module(textwrap.dedent("""
        import tensorflow as tf

        class Query(tf.keras.layers.Layer):
            def call(self, x, bound):
                checks = [tf.compat.v1.assert_less_equal(tf.sqrt(tf.reduce_sum(x * x)), bound),
                          tf.debugging.assert_positive(tf.sqrt(bound))]
                with tf.control_dependencies(checks):
                    y = tf.debugging.assert_all_finite(tf.sqrt(x), "x")
                    return tf.debugging.check_numerics(tf.sqrt(y), "y")
    """)))
    roots = sorted((analysis.position(call.node).start.line, analysis.gradients.at(call.site, call.node).flow)
                   for call in analysis.calls if call.qualified_name == "tensorflow.sqrt")
    assert [flow for _, flow in roots] == [Flow.FORWARD_ONLY, Flow.FORWARD_ONLY, Flow.DIFFERENTIATED,
                                           Flow.DIFFERENTIATED]


def test_a_rebound_name_is_read_per_binding_by_sinks():
    # tensorflow-similarity ActivationStdLoggingLayer: a pass-through layer that only logs a statistic
    flows = _flows("""
        import tensorflow as tf

        class StdLogging(tf.keras.layers.Layer):
            def call(self, inputs):
                x = tf.sqrt(inputs)
                x = tf.math.reduce_std(x, axis=0) + tf.sqrt(tf.reduce_sum(x))
                self.add_metric(x, name="std")
                y = tf.sqrt(inputs)
                self.add_metric(y, name="mean")
                y = y * 2.0
                return inputs + y
    """)
    assert flows["x"] == (Flow.FORWARD_ONLY, "an argument of add_metric()")  # both bindings end in add_metric
    assert flows["y"][0] is Flow.DIFFERENTIATED  # its first binding is also read by the second, which is returned


def test_nan001_claims_a_nan_gradient_only_where_the_flow_says_so():
    # stable-baselines' parameter-noise KL: log(softmax(q)) only feeds a tf.cond, never a gradient
    findings = lint_text(textwrap.dedent("""
        import tensorflow as tf

        def kl_loss(y_true, y_pred):
            return tf.reduce_sum(tf.nn.softmax(y_pred) * tf.math.log(tf.nn.softmax(y_pred)))

        def kl_metric(y_true, y_pred):
            return tf.reduce_sum(tf.nn.softmax(y_pred) * tf.math.log(tf.nn.softmax(y_pred)))

        def kl(q):
            return tf.reduce_sum(tf.nn.softmax(q) * tf.math.log(tf.nn.softmax(q)))
    """), "m.py").findings
    messages = {finding.line: finding.message for finding in findings if finding.code == "NAN001"}
    assert "), with a NaN gradient;" in messages[5]
    assert "NaN gradient" not in messages[8]
    assert "(and a NaN gradient if this code is differentiated);" in messages[11]


def test_argmax_and_samplers_end_the_gradient():
    # CapsNet-Keras Mask.call: the capsule lengths only pick the longest capsule (argmax), and a static shape read
    # is no use of the value; a length also returned stays differentiated.
    flows = _flows("""
        import tensorflow as tf
        from keras import backend as K

        class Mask(tf.keras.layers.Layer):
            def call(self, inputs):
                lengths = tf.sqrt(K.sum(K.square(inputs), -1))
                mask = K.one_hot(indices=K.argmax(lengths, 1), num_classes=lengths.get_shape().as_list()[1])
                kept = tf.sqrt(tf.reduce_sum(tf.square(inputs), -1))
                best = tf.argmax(kept, 1)
                return inputs * K.expand_dims(mask, -1) + kept[..., None], best
    """)
    assert flows["lengths"] == (Flow.FORWARD_ONLY, "an argument of argmax()")
    assert flows["kept"][0] is Flow.DIFFERENTIATED


def test_a_cast_to_an_integer_type_ends_the_gradient():
    # tf-models multilevel_crop_and_resize: sqrt(box area) only picks each box's pyramid level (an int32); a value
    # cast to float, or also used as a float, stays differentiated
    flows = _flows("""
        import tensorflow as tf
        from keras import backend as K

        class Crop(tf.keras.layers.Layer):
            def call(self, boxes, areas):
                areas_sqrt = tf.sqrt(areas)
                levels = tf.cast(tf.math.floordiv(tf.math.log(areas_sqrt / 224.0), tf.math.log(2.0)), dtype=tf.int32)
                side = tf.sqrt(areas)
                index = K.cast(side, "int64")
                scale = tf.sqrt(areas)
                old = tf.sqrt(areas)
                ratio = tf.sqrt(areas)
                return (tf.gather(boxes, levels) + tf.gather(boxes, index) * tf.cast(scale, tf.float32)
                        + tf.gather(boxes, tf.to_int32(old)) * tf.to_float(ratio))
    """)
    assert flows["areas_sqrt"] == (Flow.FORWARD_ONLY, "an argument of a cast to an integer type")
    assert flows["side"][0] is Flow.FORWARD_ONLY
    assert flows["scale"][0] is Flow.DIFFERENTIATED
    # TF1's casts to the dtype their name gives: `tf.to_int32` ends the gradient, `tf.to_float` does not
    assert flows["old"] == (Flow.FORWARD_ONLY, "an argument of a cast to an integer type")
    assert flows["ratio"][0] is Flow.DIFFERENTIATED


def test_log_probabilities_that_only_weigh_a_draw():
    # SeqGAN's generation loop: log(softmax) only as the logits of tf.multinomial, where -Inf is a class drawn with
    # probability 0 (also inside the integer cast of the token drawn); the same log also put into a loss is reported.
    source = textwrap.dedent("""
        import tensorflow as tf

        def sample(o_t):
            log_prob = tf.log(tf.nn.softmax(o_t))
            return tf.cast(tf.reshape(tf.multinomial(log_prob, 1), [-1]), tf.int32)

        def draw(o_t):
            return tf.random.categorical(tf.math.log(tf.nn.softmax(o_t)), 1)

        def loss(o_t, y):
            log_prob = tf.log(tf.nn.softmax(o_t))
            token = tf.random.categorical(log_prob, 1)
            return -tf.reduce_sum(y * log_prob), token

        class GumbelSoftmax(tf.keras.layers.Layer):
            def call(self, logits):
                soft = tf.nn.softmax(logits / 0.2, -1)
                hard = tf.stop_gradient(tf.one_hot(tf.random.categorical(tf.math.log(soft), 1), 4))
                return hard, soft
    """)
    analysis = ModuleAnalysis.build(cst.parse_module(source))
    sampled = [analysis.gradients.only_sampled(call.node) for call in analysis.calls
               if call.qualified_name in ("tensorflow.log", "tensorflow.math.log")]
    # ydata-synthetic's Gumbel-softmax (unseen16): the draw inside stop_gradient(one_hot(...)) is still a draw; the
    # innermost sink says what the log is used for
    assert sampled == [True, True, False, True]
    lines = [finding.line for finding in lint_text(source, "m.py", Selection()).findings if finding.code == "NAN001"]
    assert lines == [12]


def test_a_watched_tensor_carries_a_gradient_whatever_made_it():
    # tensorflow/tensorflow#56830: a random draw made differentiable by tape.watch; the unwatched one carries none
    source = textwrap.dedent("""
        import tensorflow as tf

        x = tf.random.uniform([1])
        z = tf.random.uniform([1])
        with tf.GradientTape() as g:
            g.watch(x)
            y = tf.math.reduce_std(x) + tf.math.reduce_std(z)
    """)
    analysis = ModuleAnalysis.build(cst.parse_module(source), "m.py")
    stds = [call for call in analysis.calls if call.qualified_name == "tensorflow.math.reduce_std"]
    assert [analysis.gradients.carries_gradient(call.node.args[0].value, call.site) for call in stds] == [True, False]


def test_summaries_through_tensorflow_s_own_module_paths_end_the_gradient():
    # tf-slim optimize_loss: `from tensorflow.python.summary import summary` is tf.compat.v1.summary, whose arguments
    # carry no gradient (a gradient-norm summary after compute_gradients); the clipped norm used for the update
    # stays in the function's flow
    findings = lint_text(textwrap.dedent("""
        from tensorflow.python.ops import clip_ops
        from tensorflow.python.summary import summary
        from tensorflow.python.ops import summary_ops_v2


        def optimize_loss(loss, opt, variables):
            gradients = opt.compute_gradients(loss, variables)
            summary.scalar("global_norm", clip_ops.global_norm(list(zip(*gradients))[0]))
            summary_ops_v2.scalar("norm", clip_ops.global_norm(list(zip(*gradients))[0]))
            return opt.apply_gradients(gradients)
    """), "m.py").findings
    assert [finding for finding in findings if finding.code == "NAN005"] == []


def test_an_attribute_read_only_by_assign_holds_an_initial_value_nothing_differentiates():
    # edward2 ActNorm: the data-dependent initial value, set in __call__ and only written into a weight by assign() in
    # build, carries no gradient; an attribute also read by call() does
    findings = lint_text(textwrap.dedent("""
        import tensorflow as tf

        class ActNorm(tf.keras.layers.Layer):
            def build(self, input_shape):
                log_scale = self.add_weight("log_scale", [input_shape[-1]])
                self.log_scale = log_scale.assign(self.log_scale_initial_value)

            def __call__(self, inputs, *args, **kwargs):
                mean, variance = tf.nn.moments(inputs, axes=[0])
                self.log_scale_initial_value = tf.math.log(1. / (tf.sqrt(variance) + 1e-7))
                self.scale = tf.sqrt(variance)
                self.init.assign(self.scale)
                return super().__call__(inputs, *args, **kwargs)

            def call(self, inputs):
                return inputs * tf.exp(self.log_scale) / (self.scale + 1.0)
    """), "m.py").findings
    assert [(finding.code, finding.line) for finding in findings] == [("NAN005", 12)]


def test_a_concatenation_carries_a_gradient_only_from_its_parts():
    # Scaled-YOLOv4's CIoU: the label boxes rebuilt from y_true on a grid (concat, meshgrid, stack, reshape, cast,
    # 15 steps back) carry no gradient; the predicted ones do
    source = textwrap.dedent("""
        import tensorflow as tf

        def loss(y_true, y_pred):
            grid = tf.stack(tf.meshgrid(tf.range(4), tf.range(4)), axis=-1)
            grid = tf.reshape(grid, [4, 4, 1, 2])
            grid = tf.cast(grid, tf.float32)
            cxcy = grid + y_true[..., 0:2]
            boxes = tf.concat([cxcy - y_true[..., 2:4] / 2, cxcy + y_true[..., 2:4] / 2], axis=-1)
            wh = boxes[..., 2:4] - boxes[..., 0:2]
            a = tf.sqrt(wh[..., 0])
            pred = tf.concat([grid + y_pred[..., 0:2], y_pred[..., 2:4]], axis=-1)
            b = tf.sqrt(pred[..., 0])
            parts = []
            parts.append(y_pred)
            c = tf.sqrt(tf.concat(parts, axis=-1))
            return a + b + c
    """)
    analysis = ModuleAnalysis.build(cst.parse_module(source), "m.py")
    roots = [call for call in analysis.calls if call.qualified_name == "tensorflow.sqrt"]
    carries = [analysis.gradients.carries_gradient(call.node.args[0].value, call.site) for call in roots]
    assert carries == [False, True, True]


def test_tf_slim_create_train_op_differentiates_its_scope_through_a_module_alias():
    flows = _flows("""
        import tensorflow as tf
        import tf_slim
        slim = tf.contrib.slim
        learning = tf_slim.learning

        def graph(x, optimizer):
            a = tf.sqrt(x)
            return slim.learning.create_train_op(a, optimizer)

        def other(x, optimizer):
            b = tf.sqrt(x)
            return learning.create_train_op(b, optimizer)

        def not_training(x, optimizer):
            c = tf.sqrt(x)
            return slim.learning.something_else(c, optimizer)
    """)
    assert flows["a"] == (Flow.DIFFERENTIATED, "code differentiated by create_train_op() at line 9")
    assert flows["b"][0] is Flow.DIFFERENTIATED
    assert flows["c"][0] is not Flow.DIFFERENTIATED


def test_what_follows_create_train_op_is_forward_only_like_after_minimize():
    # magenta's pianoroll_rnn_nade graph: an F1 of the metrics built after the train op only goes to summaries
    flows = _flows("""
        import tensorflow as tf
        import tf_slim

        def build(x, optimizer):
            a = tf.sqrt(x)
            train_op = tf_slim.learning.create_train_op(a, optimizer)
            b = tf.sqrt(x)
            return train_op, b
    """)
    assert flows["a"][0] is Flow.DIFFERENTIATED
    assert flows["b"][0] is Flow.FORWARD_ONLY and flows["b"][1].startswith("after create_train_op() at line 7")


def test_a_parameter_the_callee_reads_only_under_stop_gradient_ends_what_is_passed():
    # acme's MPO: the action penalty's cost goes only into a helper whose first line is stop_gradient(q_values)
    flows = _flows("""
        import tensorflow as tf
        import jax

        def weights_and_loss(q_values, temperature):
            tempered = tf.stop_gradient(q_values) / temperature
            log_n = tf.math.log(tf.cast(q_values.shape[0], tf.float32))
            return tf.nn.softmax(tempered), temperature * (tf.reduce_mean(tempered) - log_n)

        def scaled(q_values, temperature):
            return q_values / temperature + tf.stop_gradient(q_values)

        def jax_weights(q_values):
            return jax.lax.stop_gradient(q_values) * 2.0

        class MPO(tf.keras.layers.Layer):
            def call(self, actions, t):
                cost = -tf.sqrt(tf.reduce_sum(tf.square(actions - tf.clip_by_value(actions, -1.0, 1.0)), -1))
                weights, loss = weights_and_loss(cost, t)
                jaxed = tf.sqrt(actions)
                other = tf.sqrt(actions)
                return loss + scaled(other, t) + jax_weights(q_values=jaxed)
    """)
    assert flows["cost"] == (Flow.FORWARD_ONLY, "an argument of stop_gradient()")
    assert flows["jaxed"] == (Flow.FORWARD_ONLY, "an argument of stop_gradient()")  # jax.lax's, by keyword
    assert flows["other"][0] is Flow.DIFFERENTIATED  # `scaled` also divides q_values outside the stop


def test_a_function_defined_in_an_optimizer_method_is_optimizer_code_also_in_a_second_factory():
    # bert4keras: each extend_with_*(BaseOptimizer) defines a NewOptimizer whose get_updates defines new_update
    # (a LAMB trust ratio) and installs it as K.update; the module's second NewOptimizer.get_updates shares the
    # first one's name
    flows = _flows("""
        import tensorflow as tf
        from keras import backend as K

        def extend_with_a(BaseOptimizer):
            class NewOptimizer(BaseOptimizer):
                def get_updates(self, loss, params):
                    def new_update(x, new_x):
                        first = tf.sqrt(tf.reduce_sum(tf.square(x)))
                        return x * first
                    K.update = new_update
            return NewOptimizer

        def extend_with_b(BaseOptimizer):
            class NewOptimizer(BaseOptimizer):
                def get_updates(self, loss, params):
                    def new_update(x, new_x):
                        second = tf.sqrt(tf.reduce_sum(tf.square(x)))
                        return x * second
                    K.update = new_update
            return NewOptimizer

        class Head(tf.keras.layers.Layer):
            def call(self, x):
                def helper(v):
                    inner = tf.sqrt(v)
                    return inner
                return helper(x)
    """)
    assert flows["first"] == (Flow.FORWARD_ONLY,
                              "optimizer update code (NewOptimizer.get_updates), where new_update() is defined")
    assert flows["second"][0] is Flow.FORWARD_ONLY
    assert flows["inner"][0] is Flow.DIFFERENTIATED  # a layer's call is no forward-only role


def test_keras_operations_and_exported_public_operations_are_differentiated():
    """A Keras 3 Operation (the base of Layer) is trained through its call() when a functional model applies it;
    a function exported as a public operation of a differentiable namespace (tf.image, tf.math, keras.ops, ...)
    is differentiated by its users. Exports elsewhere (metrics, random) and private helpers say nothing."""
    flows = _flows("""
        import tensorflow as tf
        from keras.src.ops.operation import Operation
        from tensorflow.python.util.tf_export import tf_export
        from keras.src.api_export import keras_export

        class Std(Operation):
            def compute_output_spec(self, x):
                a = tf.sqrt(x)
                return a
            def call(self, x):
                return _std(x)

        def _std(x):
            b = tf.sqrt(x)
            return b

        @tf_export("image.ssim_multiscale")
        def ssim_multiscale(x):
            c = tf.sqrt(x)
            return c

        @keras_export(["keras.ops.norm", "keras.ops.linalg.norm"])
        def norm(x):
            d = tf.sqrt(x)
            return d

        @tf_export(v1=["metrics.root_mean_squared_error"])
        def root_mean_squared_error(x):
            e = tf.sqrt(x)
            return e

        @keras_export("keras.random.gamma")
        def gamma(x):
            f = tf.sqrt(x)
            return f

        def helper(x):
            g = tf.sqrt(x)
            return g
    """)
    assert flows["a"][0] is Flow.FORWARD_ONLY
    assert flows["b"][0] is Flow.DIFFERENTIATED
    assert flows["b"][1].startswith("call() of the Keras Operation subclass Std") and "via _std()" in flows["b"][1]
    assert flows["c"][0] is Flow.DIFFERENTIATED and "the public operation tf.image.ssim_multiscale" in flows["c"][1]
    assert flows["d"][0] is Flow.DIFFERENTIATED and "keras.ops.norm" in flows["d"][1]
    assert flows["e"][0] is Flow.UNKNOWN
    assert flows["f"][0] is Flow.UNKNOWN
    assert flows["g"][0] is Flow.UNKNOWN


def test_a_public_operation_that_only_aliases_its_own_operation_keeps_an_unknown_flow_there():
    """`std` returning reduce_std is std's definition: its gradient at a constant row is met where users apply it.
    A public operation named otherwise (`spread`) that takes the same std is reported by construction."""
    source = textwrap.dedent("""
        import tensorflow as tf
        from keras.src import backend
        from keras.src.ops.operation import Operation
        from keras.src.api_export import keras_export

        class Std(Operation):
            def call(self, x):
                return backend.numpy.std(x, axis=-1)

        @keras_export("keras.backend.std")
        def std(x, axis=None):
            return tf.math.reduce_std(x, axis=axis)

        @keras_export("keras.ops.spread")
        def spread(x, axis=None):
            return tf.math.reduce_std(x, axis=axis)
    """)
    default = lint_text(source, "m.py", Selection())
    preview = lint_text(source, "m.py", Selection(preview=True))
    assert [(f.code, f.line) for f in default.findings] == [("NAN005", 17)]
    assert sorted((f.code, f.line) for f in preview.findings) == [("NAN005", 9), ("NAN005", 13), ("NAN005", 17)]


def test_a_method_called_through_an_attribute_holding_a_module_object_is_reached():
    # PiNN's TF1 calculator: calculate() takes tf.gradients of what self.model.construct_running() builds
    flows = _flows("""
        import tensorflow as tf

        class Model:
            def construct(self, c):
                held = tf.sqrt(tf.reduce_sum(tf.square(c), axis=-1))
                return tf.reduce_sum(held)

            def report(self, c):
                unused = tf.sqrt(tf.reduce_sum(tf.square(c), axis=-1))
                return unused

        class Calculator:
            def __init__(self):
                self.model = Model()

            def calculate(self, c):
                energy = self.model.construct(c)
                return tf.gradients(energy, c)
    """)
    assert flows["held"][0] is Flow.DIFFERENTIATED
    assert "construct" in flows["held"][1]
    assert flows["unused"][0] is Flow.UNKNOWN


def test_names_bound_in_branches_and_rebound_that_only_reach_stop_gradient_carry_no_gradient():
    # a straight-through stochastic quantizer (QKeras' bernoulli): the std scales the logits of a draw whose only
    # way out is x + stop_gradient(-x + q); std and p are bound in both branches of an if, q is rebound with +=
    flows = _flows("""
        import tensorflow as tf

        class StochasticSign(tf.keras.layers.Layer):
            def call(self, x):
                if self.auto:
                    spread = tf.sqrt(tf.math.reduce_variance(x, axis=0)) + 1e-7
                else:
                    spread = 1.0
                if self.real:
                    p = tf.sigmoid(x / spread)
                else:
                    p = tf.clip_by_value(0.5 * x / spread + 0.5, 0.0, 1.0)
                q = tf.sign(p - tf.random.uniform(tf.shape(p)))
                q += 1.0 - tf.abs(q)
                q = (q + 1.0) / 2.0
                return x + tf.stop_gradient(-x + q)

        class Leaky(tf.keras.layers.Layer):
            def call(self, x):
                width = tf.sqrt(tf.math.reduce_variance(x, axis=0))
                q = x / width
                q += tf.stop_gradient(q)
                return q
    """)
    assert flows["spread"] == (Flow.FORWARD_ONLY, "an argument of stop_gradient()")
    # the second layer returns q, so its bindings (and the root under them) are differentiated
    assert flows["width"][0] is Flow.DIFFERENTIATED


def test_a_value_read_only_by_comparisons_carries_no_gradient():
    # a threshold computed from the data (QKeras' stochastic ternary: T = scale / (2 * std), used in `abs(x) >= T`)
    # and the where(d > 0, ...) condition: comparisons have no gradient, also through a name and a loop rebinding
    flows = _flows("""
        import tensorflow as tf

        class Ternary(tf.keras.layers.Layer):
            def call(self, x):
                std = tf.sqrt(tf.math.reduce_variance(x, axis=0))
                t = 0.5 * std
                for _ in range(2):
                    keep = tf.cast(tf.abs(x) >= t, x.dtype)
                    t = tf.reduce_mean(keep * x)
                root = tf.sqrt(tf.reduce_sum(x))
                return tf.where(tf.math.greater(root, 1.0), x, keep * x)

        class Thresholded(tf.keras.layers.Layer):
            def call(self, x):
                level = tf.sqrt(tf.math.reduce_variance(x, axis=0))
                return tf.where(x > level, x, 0.0) + level
    """)
    assert flows["std"] == (Flow.FORWARD_ONLY, "an operand of a comparison")
    assert flows["root"] == (Flow.FORWARD_ONLY, "an operand of a comparison")
    assert flows["level"][0] is Flow.DIFFERENTIATED  # also added to the output
def test_a_parameter_carries_a_gradient_only_if_a_call_of_its_function_passes_one():
    """DRAGAN's perturbation (ydata-synthetic): `reduce_std(a)` in a nested helper whose every call passes the real
    data batch, a parameter of the function that opens the tape (data). A helper's parameter is what its calls
    pass when those are all its calls: a nested function, or a private one read only as a callee. A public
    function's parameter, or one of a helper also passed as a value, is whatever its users pass."""
    source = textwrap.dedent("""
        import tensorflow as tf

        def penalty(f, real, fake):
            def _interpolate(a, b=None):
                if b is None:
                    b = a + 0.5 * tf.math.reduce_std(a) * tf.random.uniform(tf.shape(a))
                return a + tf.random.uniform(tf.shape(a)) * (b - a)

            x = _interpolate(real)
            with tf.GradientTape() as t:
                t.watch(x)
                pred = f(x)
            return tf.norm(t.gradient(pred, x), axis=1)

        def _spread(v):
            return tf.math.reduce_std(v)

        def spread(v):
            return tf.math.reduce_std(v)

        def _escapes(v):
            return tf.math.reduce_std(v)

        def _with_default(v, scale=tf.Variable(1.0)):
            return tf.math.reduce_std(v * scale)

        class Critic(tf.keras.Model):
            def train_step(self, data):
                with tf.GradientTape() as tape:
                    h = self.dense(data)
                    loss = _spread(data) + spread(data) + _escapes(data) + _with_default(data)
                tape.gradient(loss, self.trainable_variables)
                self.hook = _escapes
    """)
    analysis = ModuleAnalysis.build(cst.parse_module(source), "m.py")
    stds = [call for call in analysis.calls if call.qualified_name == "tensorflow.math.reduce_std"]
    carries = [analysis.gradients.carries_gradient(call.node.args[0].value, call.site) for call in stds]
    # the real batch; data passed to a private helper; a public one; a helper also kept as a value (called
    # elsewhere with anything); a default that is a variable
    assert carries == [False, False, True, True, True]


def test_an_unpacked_element_carries_a_gradient_only_if_what_it_unpacks_does():
    """`xx, yy = tf.meshgrid(tf.range(w), tf.range(h))` is a grid of constants: the distance from its centre has no
    gradient to be NaN at the centre; an element of a tuple of data and a weight, or of an unknown call, may."""
    source = textwrap.dedent("""
        import tensorflow as tf

        def f(h, w, x, kernel):
            xx, yy = tf.meshgrid(tf.range(w), tf.range(h))
            a, b = x, kernel
            c, d = split_heads(x)
            return tf.sqrt(xx ** 2 + yy ** 2), tf.sqrt(a), tf.sqrt(b), tf.sqrt(c)
    """)
    analysis = ModuleAnalysis.build(cst.parse_module(source), "m.py")
    roots = [call for call in analysis.calls if call.qualified_name == "tensorflow.sqrt"]
    carries = [analysis.gradients.carries_gradient(call.node.args[0].value, call.site) for call in roots]
    assert carries == [False, True, True, True]


def test_a_summary_wrapper_of_another_project_file_ends_what_its_callers_pass(tmp_path):
    """trieste's `logging.scalar(name, data)` (logging.py) reads `data` only inside `tf.summary.scalar`: what a
    layer's call() passes it is a logged statistic, never differentiated through the call; a wrapper that also
    returns a value computed from it (`tf.reduce_mean(data)`) does not end it."""
    from nanlint import project

    wrapper = ("import tensorflow as tf\n\n\ndef evaluate(data):\n    return data() if callable(data) else data\n\n\n"
               "def scalar(name, data, **kwargs):\n    if name:\n"
               "        return tf.summary.scalar(name, evaluate(data), **kwargs)\n    return False\n\n\n"
               "def mean(name, data):\n    tf.summary.scalar(name, data)\n    return tf.reduce_mean(data)\n")
    user = textwrap.dedent("""
        import tensorflow as tf
        from .. import logs

        class Block(tf.keras.layers.Layer):
            def call(self, x):
                logs.scalar("norm", tf.sqrt(tf.reduce_sum(x * x)))
                a = tf.sqrt(tf.reduce_sum(x))
                logs.scalar("sum", data=a)
                logs.mean("m", tf.sqrt(tf.reduce_sum(x ** 2)))
                return x
    """)
    (tmp_path / "pkg" / "sub").mkdir(parents=True)
    for name, text in {"pkg/__init__.py": "", "pkg/sub/__init__.py": "", "pkg/logs.py": wrapper,
                       "pkg/sub/block.py": user}.items():
        (tmp_path / name).write_text(text)
    path = str(tmp_path / "pkg/sub/block.py")
    project.use(project.Project([str(path) for path in tmp_path.rglob("*.py")]))
    try:
        analysis = ModuleAnalysis.build(cst.parse_module(user), path)
        roots = [call for call in analysis.calls if call.qualified_name == "tensorflow.sqrt"]
        flows = [analysis.gradients.at(call.site, call.node) for call in roots]
    finally:
        project.use(None)
    assert [flow.flow for flow in flows] == [Flow.FORWARD_ONLY, Flow.FORWARD_ONLY, Flow.DIFFERENTIATED]
    assert flows[0].why == "passed to scalar() of logs.py, which gives its `data` only to tf.summary"


def test_a_project_files_alias_of_a_library_assertion_is_that_assertion(tmp_path):
    """TensorFlow Probability's internal/assert_util.py binds `assert_near = tf.debugging.assert_near`; a distribution
    calls `assert_util.assert_near(1., tf.linalg.norm(samples))`: the norm is an argument of a tf assertion, never
    differentiated. A name the file defines as its own function, or binds twice, is not read as an alias."""
    from nanlint import project

    util = ("import tensorflow as tf\n\nassert_near = tf.debugging.assert_near\nchecked = tf.debugging.assert_less\n"
            "checked = tf.identity\n\n\ndef assert_small(x):\n    return tf.identity(x)\n")
    user = textwrap.dedent("""
        import tensorflow as tf
        from pkg import util

        class Block(tf.keras.layers.Layer):
            def call(self, x):
                util.assert_near(1., tf.sqrt(tf.reduce_sum(x * x)))
                util.checked(tf.sqrt(tf.reduce_sum(x)), 1.)
                util.assert_small(tf.sqrt(tf.reduce_sum(x ** 2)))
                return x
    """)
    (tmp_path / "pkg").mkdir()
    for name, text in {"pkg/__init__.py": "", "pkg/util.py": util, "user.py": user}.items():
        (tmp_path / name).write_text(text)
    path = str(tmp_path / "user.py")
    project.use(project.Project([str(path) for path in tmp_path.rglob("*.py")]))
    try:
        analysis = ModuleAnalysis.build(cst.parse_module(user), path)
        roots = [call for call in analysis.calls if call.qualified_name == "tensorflow.sqrt"]
        flows = [analysis.gradients.at(call.site, call.node) for call in roots]
    finally:
        project.use(None)
    assert [flow.flow for flow in flows] == [Flow.FORWARD_ONLY, Flow.DIFFERENTIATED, Flow.DIFFERENTIATED]
    assert flows[0].why == "an argument of a tf assertion"


def test_an_operator_spelled_as_a_function_carries_a_gradient_only_through_its_operands():
    """keras-hub's depth loss: `y_true = ops.multiply(y_true, valid_mask)` is `y_true * valid_mask`, labels times a
    comparison: no gradient; `tf.subtract(y_pred, y_true)` carries y_pred's."""
    source = textwrap.dedent("""
        import tensorflow as tf

        def depth_loss(y_true, y_pred):
            valid = tf.greater_equal(y_true, 1e-3)
            depth = tf.multiply(y_true, tf.cast(valid, y_true.dtype))
            diff = tf.subtract(y_pred, y_true)
            return tf.sqrt(depth), tf.sqrt(tf.square(depth)), tf.sqrt(diff)
    """)
    analysis = ModuleAnalysis.build(cst.parse_module(source), "m.py")
    roots = [call for call in analysis.calls if call.qualified_name == "tensorflow.sqrt"]
    carries = [analysis.gradients.carries_gradient(call.node.args[0].value, call.site) for call in roots]
    assert carries == [False, False, True]


def test_numpy_arrays_carry_no_gradient():
    """A parameter annotated `np.ndarray` (also `npt.NDArray[...]`, or as a string), what a NumPy call returns (also
    an element of a comprehension of them), `t.numpy()`: arrays no autodiff tracks. jax.numpy's are traced."""
    source = textwrap.dedent("""
        import jax.numpy as jnp
        import numpy as np
        import numpy.typing as npt
        import tensorflow as tf

        def f(a: np.ndarray, b: "np.ndarray", c: npt.NDArray[np.float32], d: tf.Tensor, scores, t):
            values = {k: np.array([s[k] for s in scores]) for k in ("f1",)}
            return (tf.sqrt(a), tf.sqrt(b), tf.sqrt(c), tf.sqrt(d), tf.sqrt(values["f1"]), tf.sqrt(t.numpy()),
                    tf.sqrt(jnp.array(t)))
    """)
    analysis = ModuleAnalysis.build(cst.parse_module(source), "m.py")
    roots = [call for call in analysis.calls if call.qualified_name == "tensorflow.sqrt"]
    carries = [analysis.gradients.carries_gradient(call.node.args[0].value, call.site) for call in roots]
    assert carries == [False, False, False, True, False, False, True]
