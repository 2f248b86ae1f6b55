"""The verifier end to end with real TensorFlow: verdicts about the flagged op, reproducers that run alone."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from nanlint.cli import main
from nanlint.verify.recipes import recipe_for
from nanlint.verify.sandbox import Limits, Worker
from nanlint.verify.snippet import extract, extract_model

pytestmark = pytest.mark.tensorflow
pytest.importorskip("tensorflow")  # only the presence is checked: this process never imports it

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "realistic"


@pytest.fixture(scope="session")
def tf_worker():
    with Worker(device="cpu") as warm:
        yield warm


def verify(worker, source, code, flagged, mechanism=None):
    """Verdict for `flagged` (its first occurrence) in `source` under rule `code` (or one of its mechanisms)."""
    line_number, line = next((n, text) for n, text in enumerate(source.splitlines(), 1) if flagged in text)
    col = line.index(flagged) + 1
    snippet = extract(source, line_number, col, (line_number, col + len(flagged)))
    return worker.run(recipe_for(code, mechanism).request(snippet), Limits(seconds=60))


LOG_SIGMOID = "import tensorflow as tf\n\ndef loss(x):\n    return -tf.reduce_mean(tf.math.log(tf.sigmoid(x)))\n"


def test_log_of_sigmoid_is_confirmed_forward_at_a_saturating_input(tf_worker):
    answer = verify(tf_worker, LOG_SIGMOID, "NAN001", "tf.math.log(tf.sigmoid(x))")
    assert answer["status"] == "confirmed"
    assert answer["phase"] == "forward" and answer["op"] == "Log"
    assert answer["input"]["values"]["x"][0] <= -87.5  # the measured float32 threshold
    assert "-Inf" in answer["detail"]


def test_guarded_log_is_not_reproduced_and_says_what_was_tried(tf_worker):
    source = LOG_SIGMOID.replace("tf.sigmoid(x)", "tf.sigmoid(x) + 1e-3")
    answer = verify(tf_worker, source, "NAN001", "tf.math.log(tf.sigmoid(x) + 1e-3)")
    assert answer["status"] == "not reproduced"
    assert "±1000" in answer["detail"] and "float32" in answer["detail"]


def test_acos_is_confirmed_in_the_gradient_only(tf_worker):
    source = (FIXTURES / "losses_bad.py").read_text()
    answer = verify(tf_worker, source, "NAN006", "tf.acos(cosine)")
    assert answer["status"] == "confirmed" and answer["phase"] == "gradient"


def test_a_nan_from_elsewhere_in_the_function_is_not_blamed_on_the_flagged_op(tf_worker):
    # The division makes NaN at x = 0 before the log; the log alone is fine on finite operands here.
    source = "import tensorflow as tf\n\ndef f(x):\n    y = x / x\n    return tf.math.log(tf.exp(y) + 1.0)\n"
    answer = verify(tf_worker, source, "NAN001", "tf.math.log(tf.exp(y) + 1.0)")
    assert answer["status"] == "not reproduced"


def test_verify_cli_confirms_fixtures_and_writes_reproducers_that_run_alone(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(FIXTURES.parent.parent)
    repro = tmp_path / "repro"
    code = main(["verify", "fixtures/realistic/losses_bad.py", "--device", "cpu", "--no-cache",
                 "--repro-dir", str(repro), "--output-format", "json", "--select", "NAN001"])
    findings = json.loads(capsys.readouterr().out)
    assert code == 1 and findings
    assert all(f["verdict"]["status"] == "confirmed" for f in findings)
    scripts = sorted(repro.glob("*.py"))
    assert {f["verdict"]["reproducer"] for f in findings} == {str(s) for s in scripts}
    env = {"PATH": "/usr/bin:/bin", "CUDA_VISIBLE_DEVICES": "-1", "TF_CPP_MIN_LOG_LEVEL": "3"}
    # -I: isolated from the checkout and user site, so nanlint cannot be imported by the reproducer.
    for script in scripts[:2]:
        ran = subprocess.run([sys.executable, "-I", str(script)], capture_output=True, text=True, env=env,
                             cwd=tmp_path, timeout=120)
        assert "NON-FINITE forward" in ran.stdout, ran.stderr[-2000:]
        assert "import nanlint" not in script.read_text()


SEEDS = FIXTURES.parent / "seeds"


def test_seed_relu_stack_is_not_reproduced_under_its_own_adam_but_the_divergence_condition_is_named(tf_worker):
    snippet = extract_model((SEEDS / "keras_nan_outputs" / "ex1_relu_stack_bad.py").read_text(), 11)
    answer = tf_worker.run(recipe_for("NAN101").request(snippet), Limits(seconds=120))
    assert answer["status"] == "not reproduced"
    assert "under its own Adam lr=0.001 on inputs in [0, 1) (the code shows no input scale)" in answer["detail"]
    assert "at step" in answer["detail"] and "finite with BatchNormalization" in answer["detail"]


def test_relu_rnn_under_sgd_is_confirmed_and_clipnorm_fixes_it(tf_worker):
    snippet = extract_model((Path(__file__).parent / "fixtures_verify" / "rnn_sgd.py").read_text(), 6)
    assert "np.load" not in snippet.source and "fit(" not in snippet.source
    answer = tf_worker.run(recipe_for("NAN103").request(snippet), Limits(seconds=120))
    assert answer["status"] == "confirmed"
    assert "under its own SGD lr=1 on inputs in [0, 1)" in answer["detail"]
    assert "finite with clipnorm=1.0" in answer["detail"]


RAW_PIXELS = (Path(__file__).parent / "fixtures_verify" / "relu_mlp_raw_pixels.py").read_text()


def own_set_up_verdict(worker, source):
    """The training verdict for the ReLU stack of `source` with the set-up the lint reads from it."""
    import libcst as cst

    from nanlint.analysis.module import ModuleAnalysis

    (model,) = ModuleAnalysis.build(cst.parse_module(source)).models
    setup = model.setup.as_data(model.setup.optimizers[0])
    line = source.splitlines().index("model = keras.Sequential([keras.Input(shape=(784,)),") + 1
    return worker.run(recipe_for("NAN101").request(extract_model(source, line), setup), Limits(seconds=120))


def test_a_relu_mlp_on_raw_pixels_is_confirmed_under_its_own_sgd_at_its_own_input_scale(tf_worker):
    answer = own_set_up_verdict(tf_worker, RAW_PIXELS)
    assert answer["status"] == "confirmed"
    assert ("under its own SGD lr=0.1 at its own input scale (keras.datasets.mnist pixel values 0-255)"
            in answer["detail"])
    first, fixed = answer["trials"][:2]  # its own set-up first, beside the fixed variant
    assert first["setup"].startswith("its own SGD") and first["variant"] == "as written"
    assert first["nonfinite_step"] is not None and first["loss"][0] is not None
    assert fixed["variant"] == "fixed" and fixed["setup"] == first["setup"]


def test_the_same_mlp_on_pixels_divided_by_255_is_not_confirmed_under_its_own_set_up(tf_worker):
    source = RAW_PIXELS.replace('.astype("float32")', '.astype("float32") / 255.')
    answer = own_set_up_verdict(tf_worker, source)
    assert answer["status"] == "not reproduced"
    assert "finite for 30 steps under its own SGD lr=0.1 at its own input scale" in answer["detail"]
    assert answer["trials"][0]["nonfinite_step"] is None and None not in answer["trials"][0]["loss"]
    assert all("its own" not in trial["setup"] for trial in answer["trials"][1:])  # the harsher ones


def test_a_builder_compiled_by_its_caller_trains_under_the_optimizer_and_loss_the_lint_read(tf_worker):
    from nanlint.linter import lint_text

    source = (Path(__file__).parent / "fixtures_verify" / "relu_builder_compiled_by_caller.py").read_text()
    (finding,) = lint_text(source, "m.py").findings
    snippet = extract_model(source, finding.line)
    assert snippet.kind == "model_factory" and "compile(" not in snippet.source
    answer = tf_worker.run(recipe_for("NAN101").request(snippet, finding.extra), Limits(seconds=120))
    assert answer["status"] == "confirmed"
    assert "under its own SGD lr=0.1 at its own input scale" in answer["detail"]
    assert "mse for its loss" not in answer["detail"]  # its sparse_categorical_crossentropy, read by the lint
    assert (answer["condition"]["optimizer"], answer["condition"]["loss"]) == ("SGD", "sparse_categorical_crossentropy")


def test_sgd_on_raw_scores_is_confirmed_from_the_optimizer_line_nan107_reports(tf_worker):
    from nanlint.linter import lint_text

    source = (Path(__file__).parent / "fixtures_verify" / "linear_sgd_raw_scores.py").read_text()
    (finding,) = [f for f in lint_text(source, "m.py").findings if f.code == "NAN107"]
    assert finding.line == 12  # the optimizer, not the model
    snippet = extract_model(source, finding.line)
    answer = tf_worker.run(recipe_for("NAN107").request(snippet, finding.extra), Limits(seconds=120))
    assert answer["status"] == "confirmed"
    assert "under its own SGD lr=0.1 at its own input scale (literal data)" in answer["detail"]
    assert "finite with clipnorm=1.0" in answer["detail"]


def test_unresolved_name_is_a_could_not_run_verdict_naming_it(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.py").write_text("import tensorflow as tf\nfrom data import scale\n\n"
                                   "def f(x):\n    return tf.math.log(tf.sigmoid(x * scale * other))\n")
    main(["verify", "m.py", "--no-cache", "--device", "cpu"])
    out = capsys.readouterr().out
    assert "[verify: could not run: unresolved name(s): other]" in out


PREVIEW_ONLY = ("import tensorflow as tf\n\n\n"
                "def distance(a, b):\n"  # nothing in the module differentiates it: a preview (plausible) finding
                "    return tf.sqrt(tf.reduce_sum(tf.square(a - b), axis=-1))\n\n\n"
                "def normalized(v):\n"  # the norm of a Gaussian sample is 0 with probability 0: preview as well
                "    return v / tf.norm(tf.random.normal((4,)))\n")


def test_a_preview_finding_verify_confirms_is_reported_by_default_and_says_why(tmp_path, capsys, monkeypatch):
    from nanlint.finding import PROMOTED_NOTE

    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.py").write_text(PREVIEW_ONLY)
    assert main(["m.py", "--no-cache", "--isolated"]) == 0  # the lint alone reports neither by default
    capsys.readouterr()
    assert main(["verify", "m.py", "--no-cache", "--isolated", "--device", "cpu", "--output-format", "json"]) == 1
    captured = capsys.readouterr()
    (promoted,) = json.loads(captured.out)
    assert (promoted["code"], promoted["location"]["row"], promoted["preview"]) == ("NAN005", 5, False)
    assert promoted["verdict"]["status"] == "confirmed" and promoted["verdict"]["phase"] == "gradient"
    assert promoted["message"].endswith(PROMOTED_NOTE)
    # The division by a random draw's norm is not reproduced, so it stays a preview finding: out of the report,
    # and the stream of verdicts says so.
    streamed = [line.split(": ")[1] for line in captured.err.splitlines() if line.startswith("nanlint: verified")]
    assert streamed == ["verified 1/2 m.py:5 NAN005 (preview, promoted to a default finding)",
                        "verified 2/2 m.py:9 NAN002 (preview; not reported, --preview shows it)"]


def test_a_log_in_an_untaken_where_branch_is_a_gradient_verdict_judged_at_the_output(tf_worker):
    source = ("import tensorflow as tf\n\ndef f(x):\n"
              "    return tf.where(x > -50.0, tf.math.log(tf.sigmoid(x)), tf.zeros_like(x))\n")
    answer = verify(tf_worker, source, "NAN001", "tf.math.log(tf.sigmoid(x))")
    assert answer["status"] == "confirmed" and answer["phase"] == "gradient", answer
    assert "masked out of the output, which stays finite" in answer["detail"]


TF1_SCRIPT = '''import tensorflow as tf

x = tf.placeholder(tf.float32, [None, 784])
W = tf.Variable(tf.zeros([784, 10]))
b = tf.Variable(tf.zeros([10]))
y = tf.nn.softmax(tf.matmul(x, W) + b)
y_ = tf.placeholder(tf.float32, [None, 10])
cross_entropy = -tf.reduce_sum(y_ * tf.log(y))
train_step = tf.train.GradientDescentOptimizer(0.5).minimize(cross_entropy)
sess = tf.Session()
'''


def test_tf1_graph_code_is_sliced_back_to_its_cut_points_and_confirmed(tf_worker):
    from nanlint.verify.snippet import extract_expression

    line = 8
    col = TF1_SCRIPT.splitlines()[line - 1].index("tf.log(y)") + 1
    snippet = extract_expression(TF1_SCRIPT, line, col, (line, col + len("tf.log(y)")))
    assert "Session" not in snippet.source and "placeholder" not in snippet.source
    assert "tf = tf.compat.v1" in snippet.source and snippet.params == ("matmul", "b")
    answer = tf_worker.run(recipe_for("NAN001").request(snippet), Limits(seconds=60))
    assert answer["status"] == "confirmed" and answer["phase"] == "forward" and answer["op"] == "Log"


def test_the_fixed_tf1_script_is_not_confirmed(tf_worker):
    from nanlint.verify.snippet import extract_expression

    fixed = TF1_SCRIPT.replace("tf.log(y)", "tf.log(tf.clip_by_value(y, 1e-10, 1.0))")
    flagged = "tf.log(tf.clip_by_value(y, 1e-10, 1.0))"
    col = fixed.splitlines()[7].index(flagged) + 1
    snippet = extract_expression(fixed, 8, col, (8, col + len(flagged)))
    answer = tf_worker.run(recipe_for("NAN001").request(snippet), Limits(seconds=60))
    assert answer["status"] == "not reproduced", answer


def test_tf0_names_run_through_their_tf1_renames(tf_worker):
    # tf.select (TF 0.x, renamed tf.where in TF 1.0) is in neither TF2 nor compat.v1: the snippet binds it
    source = ("import numpy as np\nimport tensorflow as tf\n\n\ndef atan2(y, x):\n"
              "    return tf.select(tf.greater(x, 0.0), tf.atan(y / x), tf.zeros_like(x))\n")
    answer = verify(tf_worker, source, "NAN007", "tf.select(tf.greater(x, 0.0), tf.atan(y / x), tf.zeros_like(x))")
    assert answer["status"] == "confirmed" and answer["phase"] == "gradient", answer


def test_a_where_condition_is_computed_from_the_cut_values_not_fed_as_floats(tf_worker):
    # the slice keeps tf.equal: the mask follows y_true, so y_pred = 0 under y_true = 1 is a witness
    source = ("import tensorflow as tf\n\n\ndef loss(y_true, y_pred):\n"
              "    pt_1 = tf.where(tf.equal(y_true, 1), y_pred, tf.ones_like(y_pred))\n"
              "    return -tf.reduce_sum(tf.math.log(pt_1))\n")
    from nanlint.verify.snippet import extract_expression

    col = source.splitlines()[5].index("tf.math.log(pt_1)") + 1
    snippet = extract_expression(source, 6, col, (6, col + len("tf.math.log(pt_1)")))
    assert "tf.equal(y_true, 1)" in snippet.source and snippet.params == ("y_true", "y_pred")
    answer = tf_worker.run(recipe_for("NAN001").request(snippet), Limits(seconds=60))
    assert answer["status"] == "confirmed" and answer["phase"] == "forward" and answer["op"] == "Log", answer


def test_an_operand_drawn_at_random_gets_no_witness():
    from nanlint.verify.snippet import SnippetError, extract_expression

    source = "import tensorflow as tf\n\nout = tf.random_normal([3, 3])\nn = tf.sqrt(tf.reduce_sum(out))\n"
    col = source.splitlines()[3].index("tf.sqrt") + 1
    with pytest.raises(SnippetError) as error:
        extract_expression(source, 4, col, (4, col + len("tf.sqrt(tf.reduce_sum(out))")))
    assert error.value.reason == "no-witness" and "random_normal" in str(error.value)


MIXED = '''import tensorflow as tf
from tensorflow import keras

keras.mixed_precision.set_global_policy("mixed_float16")


class Scale(keras.layers.Layer):
    def call(self, x):
        return x / (tf.math.reduce_std(x, axis=-1, keepdims=True) + 1e-7)


class Scale32(keras.layers.Layer):
    def __init__(self):
        super().__init__(dtype="float32")

    def call(self, x):
        return x / (tf.math.reduce_std(x, axis=-1, keepdims=True) + 1e-7)
'''


def test_the_modules_own_policy_is_applied_and_a_layers_dtype_is_respected(tf_worker):
    line16, line32 = 9, 17
    text = "x / (tf.math.reduce_std(x, axis=-1, keepdims=True) + 1e-7)"
    answers = []
    for line in (line16, line32):
        col = MIXED.splitlines()[line - 1].index(text) + 1
        snippet = extract(MIXED, line, col, (line, col + len(text)))
        assert snippet.policy == "mixed_float16"
        answers.append(tf_worker.run(recipe_for("NAN003").request(snippet), Limits(seconds=60)))
    under_policy, built_float32 = answers
    assert under_policy["status"] == "confirmed" and under_policy["input"]["dtype"] == "float16"
    assert built_float32["input"]["dtype"] == "float32"  # never fed a dtype the layer cannot receive


def test_float16_witnesses_only_for_code_that_mentions_float16():
    plain = "import tensorflow as tf\n\ndef f(x):\n    return x / (tf.math.reduce_std(x) + 1e-7)\n"
    snippet = extract(plain, 4, 12, (4, 47))
    assert recipe_for("NAN003").request(snippet)["dtypes"] == ["float32"]
    half = plain.replace("def f(x):", "def f(x):\n    x = tf.cast(x, tf.float16)")
    snippet = extract(half, 5, 12, (5, 47))
    assert recipe_for("NAN003").request(snippet)["dtypes"] == ["float32", "float16"]


KERAS2_DECAYED_SGD = """import numpy as np
from keras.models import Sequential
from keras.layers import Dense
from keras.optimizers import SGD

x = 1.0*np.array(range(200))
y = 2.0*x

model = Sequential()
model.add(Dense(1, input_dim=1))

sgd = SGD(lr=0.001, decay=1e-6, momentum=0, nesterov=False)
model.compile(loss='mean_squared_error', optimizer=sgd)
model.fit(x, y, nb_epoch=1, batch_size=1)
"""


def test_a_keras_2_sgd_with_decay_and_integer_momentum_runs_and_is_confirmed(tf_worker):
    from nanlint.linter import lint_text

    (finding,) = [f for f in lint_text(KERAS2_DECAYED_SGD, "m.py").findings if f.code == "NAN107"]
    snippet = extract_model(KERAS2_DECAYED_SGD, finding.line)
    answer = tf_worker.run(recipe_for("NAN107").request(snippet, finding.extra), Limits(seconds=120))
    assert answer["status"] == "confirmed", answer["detail"]
    assert "under its own SGD lr=0.001 at its own input scale (range(200) values)" in answer["detail"]


ANY_SIZE_FLOAT16 = """from keras import backend as K
from keras.layers import Input, Conv2D
from keras.models import Model
from keras.optimizers import Adam

K.set_floatx('float16')

x_in = Input(shape=(None, None, 3))
model = Model(x_in, Conv2D(3, 3, padding='same')(Conv2D(8, 3, padding='same', activation='relu')(x_in)))
model.compile(optimizer=Adam(lr=1e-4), loss='mean_absolute_error')
model.fit(images, targets)
"""


def test_a_float16_floatx_finding_trains_the_modules_model_at_a_size_it_takes_beside_the_epsilon_fix(tf_worker):
    from nanlint.linter import lint_text

    (finding,) = [f for f in lint_text(ANY_SIZE_FLOAT16, "m.py").findings if f.code == "NAN107"]
    assert finding.line == 6 and finding.extra["fix"] == "epsilon"  # reported on set_floatx; not clipping
    request = recipe_for("NAN107").request(extract_model(ANY_SIZE_FLOAT16, finding.line), finding.extra)
    assert (request["fix"], request["floatx"]) == ("epsilon", "float16")
    answer = tf_worker.run(request, Limits(seconds=120))
    assert answer["status"] != "could not run", answer["detail"]
    assert "of shape (16, 16, 3) (the model takes any size)" in answer["detail"]


WEIBULL = ("import tensorflow as tf\nfrom keras import backend as K\n\n"
           "def weibull_loss(y_true, y_pred):\n"
           "    a, b = y_pred[..., 0], y_pred[..., 1]\n"
           "    assert len(K.int_shape(y_pred)) == 2\n"
           "    hazard0 = K.pow((y_true[..., 0] + 1e-35) / a, b)\n"
           "    hazard1 = K.pow((y_true[..., 0] + 1.0) / a, b)\n"
           "    return -K.mean(K.log(K.exp(hazard1 - hazard0) - 1.0) - hazard1)\n")


def test_log_of_an_exp_difference_is_confirmed_in_the_log_not_in_an_upstream_division(tf_worker):
    # At y_pred = 0 the divisions are Inf before the log's operand is 0: that witness is a detour. The search
    # goes on to one where exp(d) - 1 rounds to 0 with every intermediate finite (d ~ 1e-20 < 6e-8), and the
    # verdict names the Log. K.int_shape comes from Keras 3's port of the Keras 2 backend.
    answer = verify(tf_worker, WEIBULL, "NAN001", "K.log(K.exp(hazard1 - hazard0) - 1.0)")
    assert answer["status"] == "confirmed" and answer["phase"] == "forward"
    assert answer["op"] == "Log" and answer["input"]["values"]["y_pred"][0] != 0.0


FLOAT16_MASK_ADDER = ("import tensorflow as tf\nfrom tensorflow import keras\n\n"
                      "keras.mixed_precision.set_global_policy('mixed_float16')\n\n\n"
                      "def masked_softmax(scores, mask):\n"
                      "    adder = (1.0 - tf.cast(mask, scores.dtype)) * tf.float16.min\n"
                      "    return tf.nn.softmax(scores + adder)\n\n\n"
                      "model = keras.Sequential([keras.layers.Dense(1, activation='sigmoid')])\n"
                      "model.compile(optimizer='adam', loss='binary_crossentropy')\n")


def test_the_float16_minimum_mask_adder_is_confirmed_with_every_entry_masked_and_the_rest_of_nan105_says_why_not(
        tmp_path, capsys, monkeypatch):
    # NAN105's mask-adder mechanism has a runtime check of its own (catalog runtime_check_mechanisms): the function
    # in float16, mask all 0 (a mask holds only 0/1), a score <= -16. The output-layer mechanism of the same rule
    # has none and says why.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.py").write_text(FLOAT16_MASK_ADDER)
    main(["verify", "m.py", "--no-cache", "--isolated", "--device", "cpu", "--output-format", "json",
          "--select", "NAN105"])
    adder, output_layer = sorted(json.loads(capsys.readouterr().out), key=lambda f: f["location"]["row"])
    assert adder["location"]["row"] == 9 and adder["verdict"]["status"] == "confirmed"
    witness = adder["verdict"]["witness"]["data"]
    assert witness["dtype"] == "float16" and set(witness["values"]["mask"]) == {0.0}
    assert max(witness["values"]["scores"]) <= -16
    assert output_layer["verdict"]["reason"] == "no-runtime-check"
    assert "output-layer" in output_layer["verdict"]["detail"]


def test_half_the_float16_minimum_as_the_adder_is_not_reproduced(tf_worker):
    source = FLOAT16_MASK_ADDER.replace("* tf.float16.min", "* (tf.float16.min / 2)")
    answer = verify(tf_worker, source, "NAN105", "scores + adder", mechanism="float16-min-adder")
    assert answer["status"] == "not reproduced" and "float16" in answer["detail"]


SWAPPED_LOSS = ("from keras import backend as K\n\n\n"
                "def policy_loss(y_pred, y_true):\n"
                "    return -K.sum(y_true * K.log(y_pred))\n\n\n"
                "def compile_model(model):\n"
                "    model.compile(optimizer='adam', loss=policy_loss)\n")


def test_a_loss_declared_prediction_first_is_confirmed_when_called_as_keras_calls_it(tmp_path, capsys, monkeypatch):
    # NAN104's declared-order mechanism: Keras passes the one-hot target into `y_pred`, so the log of its zeros is
    # -Inf. The reproducer carries the K.* shim the worker used and runs alone.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.py").write_text(SWAPPED_LOSS)
    main(["verify", "m.py", "--no-cache", "--isolated", "--device", "cpu", "--output-format", "json",
          "--select", "NAN104", "--repro-dir", "repro"])
    (finding,) = json.loads(capsys.readouterr().out)
    verdict = finding["verdict"]
    assert verdict["status"] == "confirmed" and verdict["op"] == "Log"
    assert verdict["witness"]["data"]["values"]["y_pred"] == [0.0, 1.0, 0.0, 0.0]  # the target, where Keras puts it
    ran = subprocess.run([sys.executable, verdict["reproducer"]], capture_output=True, text=True, timeout=120,
                         env={"PATH": "/usr/bin:/bin", "CUDA_VISIBLE_DEVICES": "-1", "TF_CPP_MIN_LOG_LEVEL": "3"})
    assert "NON-FINITE" in ran.stdout, ran.stderr[-2000:]


def test_a_swapped_loss_that_stays_finite_either_way_is_not_reproduced(tf_worker):
    source = SWAPPED_LOSS.replace("-K.sum(y_true * K.log(y_pred))", "K.mean(K.square(y_pred - y_true))")
    answer = verify(tf_worker, source, "NAN104", "def policy_loss", mechanism="loss-declared-prediction-first")
    assert answer["status"] == "not reproduced" and "Keras' call loss(y_true, y_pred)" in answer["detail"]


def test_a_loss_already_nan_in_its_declared_order_is_not_blamed_on_the_order(tf_worker):
    source = SWAPPED_LOSS.replace("-K.sum(y_true * K.log(y_pred))", "K.sum(K.log(y_pred - y_pred))")
    answer = verify(tf_worker, source, "NAN104", "def policy_loss", mechanism="loss-declared-prediction-first")
    assert answer["status"] == "not reproduced" and "declared order" in answer["detail"]


WEIGHTED_MEAN = """import tensorflow as tf


def weighted_mean(x, axes, weights):
    total = tf.reduce_sum(weights, axes, keepdims=True)
    return tf.squeeze(tf.reduce_sum(weights * x, axes, keepdims=True) / total, axis=axes)
"""


def _verified_nan002_with_reproducer(tmp_path, capsys, monkeypatch, source):
    """The verdict of the one NAN002 finding of `source`, verified on CPU with a reproducer written."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.py").write_text(source)
    main(["verify", "m.py", "--preview", "--no-cache", "--isolated", "--device", "cpu", "--output-format", "json",
          "--select", "NAN002", "--repro-dir", "repro"])
    (finding,) = json.loads(capsys.readouterr().out)
    return finding["verdict"]


def _assert_the_reproducer_shows_a_non_finite_forward(verdict):
    ran = subprocess.run([sys.executable, verdict["reproducer"]], capture_output=True, text=True, timeout=120,
                         env={"PATH": "/usr/bin:/bin", "CUDA_VISIBLE_DEVICES": "-1", "TF_CPP_MIN_LOG_LEVEL": "3"})
    assert "NON-FINITE forward" in ran.stdout, ran.stderr[-2000:]


def test_an_axes_parameter_is_fed_a_list_of_axes_and_the_reproducer_passes_it_too(tmp_path, capsys, monkeypatch):
    # tf.nn.weighted_moments' shape: `axes` fed a float row was `Value for attr 'Tidx' of float`, never a run
    verdict = _verified_nan002_with_reproducer(tmp_path, capsys, monkeypatch, WEIGHTED_MEAN)
    assert verdict["status"] == "confirmed" and verdict["op"] == "RealDiv"
    assert verdict["witness"]["data"]["structural"] == {"axes": [-1]} and "axes=[-1]" in verdict["witness"]["repr"]
    assert verdict["witness"]["data"]["values"]["weights"] == [0.0] * 4
    _assert_the_reproducer_shows_a_non_finite_forward(verdict)


def test_the_same_weighted_mean_with_divide_no_nan_is_not_reproduced(tf_worker):
    source = WEIGHTED_MEAN.replace("tf.reduce_sum(weights * x, axes, keepdims=True) / total",
                                   "tf.math.divide_no_nan(tf.reduce_sum(weights * x, axes, keepdims=True), total)")
    answer = verify(tf_worker, source, "NAN002",
                    "tf.math.divide_no_nan(tf.reduce_sum(weights * x, axes, keepdims=True), total)")
    assert answer["status"] == "not reproduced", answer


def test_a_cut_index_is_fed_an_integer_and_the_division_by_an_empty_column_is_confirmed(tf_worker):
    # the confusion-matrix script: `matrix[id, id] / np.sum(matrix[:, id])`, `id` read from a list of dicts
    from nanlint.verify.snippet import extract_expression

    source = ("import numpy as np\n\n\ndef display(matrix, categories):\n"
              "    for i in range(len(categories)):\n"
              "        id = categories[i]['id'] - 1\n"
              "        print(float(matrix[id, id] / np.sum(matrix[:, id])))\n")
    col = source.splitlines()[6].index("matrix[id, id] /") + 1
    snippet = extract_expression(source, 7, col, (7, col + len("matrix[id, id] / np.sum(matrix[:, id])")))
    answer = tf_worker.run(recipe_for("NAN002").request(snippet), Limits(seconds=60))
    assert answer["status"] == "confirmed" and answer["input"]["values"]["matrix"] == [0.0] * 4
    assert set(answer["input"]["structural"].values()) == {0}


NORMALIZE = """import numpy as np


def normalize(image):
    image = image.astype(np.float32)
    for channel in range(image.shape[-1]):
        img = image[..., channel]
        image[..., channel] = (img - img.mean()) / img.std()
    return image
"""


def test_numpy_code_is_fed_numpy_arrays_and_its_reproducer_runs_alone(tmp_path, capsys, monkeypatch):
    # deepcell's per-channel standardisation: fed tensors it failed (`Cannot interpret 'tf.float32' as a data type`)
    verdict = _verified_nan002_with_reproducer(tmp_path, capsys, monkeypatch, NORMALIZE)
    assert verdict["status"] == "confirmed" and verdict["phase"] == "forward" and "NaN" in verdict["detail"]
    _assert_the_reproducer_shows_a_non_finite_forward(verdict)


def test_numpy_standardisation_with_an_epsilon_is_not_reproduced(tf_worker):
    source = NORMALIZE.replace("/ img.std()", "/ (img.std() + 1e-7)")
    answer = verify(tf_worker, source, "NAN002", "(img - img.mean()) / (img.std() + 1e-7)")
    assert answer["status"] == "not reproduced", answer


KL_ON_LABELS = ("import tensorflow as tf\n\n\n"
                "def kl(y_true, y_pred):\n"
                "    return tf.reduce_sum(y_true * tf.math.log(y_true / y_pred), axis=-1)\n\n\n"
                "inputs = tf.keras.Input((10,))\n"
                "outputs = tf.keras.layers.Dense(5, activation='softmax')(inputs)\n"
                "model = tf.keras.Model(inputs, outputs)\n"
                "model.compile(optimizer='adam', loss=kl)\n")


def test_a_kl_of_one_hot_labels_is_confirmed_by_the_keras_call_not_by_a_negative_prediction(
        tmp_path, capsys, monkeypatch):
    # NAN001's labels-weighted-log mechanism: the witness is what training feeds the loss (a one-hot target and a
    # probability row), never a constant -1 "prediction" that a softmax model cannot produce
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.py").write_text(KL_ON_LABELS)
    main(["verify", "m.py", "--no-cache", "--isolated", "--device", "cpu", "--output-format", "json",
          "--select", "NAN001"])
    (finding,) = json.loads(capsys.readouterr().out)
    verdict = finding["verdict"]
    assert verdict["status"] == "confirmed", verdict
    values = verdict["witness"]["data"]["values"]
    assert values["y_true"] == [0.0, 1.0, 0.0, 0.0] and min(values["y_pred"]) > 0


def test_a_kl_with_clipped_labels_is_not_reproduced_by_the_keras_call(tf_worker):
    source = KL_ON_LABELS.replace("    return tf.reduce_sum(", "    y_true = tf.clip_by_value(y_true, 1e-7, 1.0)\n"
                                                             "    return tf.reduce_sum(")
    answer = verify(tf_worker, source, "NAN001", "y_true * tf.math.log(y_true / y_pred)",
                    mechanism="labels-weighted-log")
    assert answer["status"] == "not reproduced" and "Keras' call loss(y_true, y_pred)" in answer["detail"]
