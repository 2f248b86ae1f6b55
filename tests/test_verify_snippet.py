"""Snippet extraction: the enclosing definition, what it needs, nothing that runs at module level."""

import pytest

from nanlint.verify.snippet import PROBE_IN, PROBE_OUT, SnippetError, extract, extract_expression, extract_model

MODULE = '''import numpy as np
import tensorflow as tf
from keras import ops

EPS = 1e-7
data = np.load("train.npy")
print("loading")


def helper(x):
    return tf.sigmoid(x) + EPS


def loss(y_true, logits, gamma=2.0):
    p = helper(logits)
    return -tf.reduce_mean(y_true * tf.math.log(p))


def uses_data(x):
    return tf.math.log(x / data)


class Head(tf.keras.layers.Layer):
    def call(self, a, training=False):
        return ops.log(ops.softmax(a))


model.fit(data)
y = tf.math.log(tf.sigmoid(tf.constant([1.0])))
'''


def test_function_with_transitive_definitions_and_no_side_effects():
    snippet = extract(MODULE, 16)
    assert (snippet.entry, snippet.kind, snippet.params) == ("loss", "function", ("y_true", "logits"))
    assert "def helper" in snippet.source and "EPS = 1e-7" in snippet.source
    assert "import tensorflow as tf" in snippet.source
    for side_effect in ("np.load", "print(", "fit(", "import numpy", "ops"):
        assert side_effect not in snippet.source
    assert snippet.unresolved == ()
    compile(snippet.source, "<snippet>", "exec")


def test_module_level_data_is_reported_unresolved_not_loaded():
    snippet = extract(MODULE, 20)
    assert snippet.unresolved == ("data",)
    assert "np.load" not in snippet.source


def test_method_yields_its_layer_class_without_self_or_defaults():
    snippet = extract(MODULE, 25)
    assert (snippet.entry, snippet.kind, snippet.params) == ("Head", "layer", ("a",))
    assert "from keras import ops" in snippet.source


def test_module_level_finding_says_why_it_cannot_run():
    with pytest.raises(SnippetError, match="module-level"):
        extract(MODULE, 29)


def test_flagged_expression_is_probed_with_its_operands():
    line = 16
    col = MODULE.splitlines()[line - 1].index("tf.math.log") + 1
    snippet = extract(MODULE, line, col, (line, col + len("tf.math.log(p)")))
    assert snippet.probed
    assert f"{PROBE_OUT}(tf.math.log({PROBE_IN}(p)))" in snippet.source


def test_a_range_matching_no_expression_leaves_the_code_unprobed():
    snippet = extract(MODULE, 16, 1, (16, 3))
    assert not snippet.probed and PROBE_OUT not in snippet.source


def test_no_module_level_code_runs_unless_allowed():
    source = ("import os\nimport tensorflow as tf\n\n\ndef tag(f):\n    os.system('touch /tmp/x')\n    return f\n\n\n"
              "@tag\ndef f(x, scale=os.getpid()):\n    return tf.math.log(tf.sigmoid(x))\n")
    line, text = 12, "tf.math.log(tf.sigmoid(x))"
    col = source.splitlines()[line - 1].index(text) + 1
    with pytest.raises(SnippetError) as refused:
        extract(source, line, col, (line, col + len(text)))
    assert refused.value.reason == "module-level" and "default argument" in str(refused.value)
    allowed = extract(source, line, col, (line, col + len(text)), module_code=True)
    assert "@tag" in allowed.source
    plain = source.replace("scale=os.getpid()", "scale=2.0")
    snippet = extract(plain, line, col, (line, col + len(text)))
    assert "@tag" not in snippet.source and "def f(x, scale=2.0)" in snippet.source


def test_a_model_needing_a_module_level_call_outside_the_libraries_is_refused():
    source = ("import os\nfrom tensorflow import keras\n\nunits = int(os.system('id'))\n"
              "model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(units)])\n"
              "model.compile(optimizer='sgd', loss='mse')\n")
    with pytest.raises(SnippetError) as refused:
        extract_model(source, 5)
    assert refused.value.reason == "module-level"
    assert "units = int(os.system" in extract_model(source, 5, module_code=True).source


OLD_KERAS_MODEL = """from keras.models import Sequential
from keras.layers import Dense
from keras.optimizers import SGD

X, y = load()

def build(lr=0.1):
    return lr

net = Sequential()
net.add(Dense(100, input_dim=9216, init='glorot_uniform', activation='linear'))
net.add(Dense(30, init='glorot_uniform'))

sgd = SGD(lr=build(lr=0.01), momentum=0.9)
net.compile(loss='mean_squared_error', optimizer=sgd)
net.fit(X, y, nb_epoch=400)
"""


def test_an_optimizer_line_yields_the_model_compiled_with_it_and_the_layers_it_adds():
    snippet = extract_model(OLD_KERAS_MODEL, 14)  # `sgd = SGD(...)`, where NAN107 reports
    assert (snippet.entry, snippet.kind) == ("net", "model")
    assert "net.add(Dense(30" in snippet.source and "net.compile(" in snippet.source
    assert "load()" not in snippet.source and "fit(" not in snippet.source


def test_keras_1_keyword_names_become_keras_3_names_only_on_keras_classes():
    source = extract_model(OLD_KERAS_MODEL, 14).source
    assert "SGD(learning_rate=build(lr=0.01), momentum=0.9)" in source  # the user's own `lr=` is kept
    assert "Dense(30, kernel_initializer='glorot_uniform')" in source
    assert "lr=" not in source.replace("build(lr=", "") and "init=" not in source.replace("kernel_initializer=", "")


KERAS1_CONVNET = """from keras.models import Sequential
from keras.layers import Convolution2D, Conv2D, MaxPooling1D, Dense
from keras.optimizers import SGD
from keras.regularizers import l2

model = Sequential()
model.add(Convolution2D(50, 7, 7, border_mode='valid', input_shape=(32, 32, 1)))
model.add(Conv2D(16, 3, 2))
model.add(Dense(800, W_regularizer=l2(0.5)))
sgd = SGD(lr=0.00001, decay=1e-6, momentum=0, nesterov=True)
model.compile(loss='mean_squared_error', optimizer=sgd)
"""


def test_keras_1_convolutions_get_their_kernel_and_padding_only_where_the_call_is_keras_1():
    source = extract_model(KERAS1_CONVNET, 10).source
    assert "Convolution2D(50, (7, 7), padding='valid', input_shape=(32, 32, 1))" in source
    assert "Conv2D(16, 3, 2)" in source  # newer code: the third positional argument is the strides
    assert "Dense(800, kernel_regularizer=l2(0.5))" in source


def test_an_optimizer_decay_becomes_the_schedule_keras_2_computed_and_integer_momentum_a_float():
    source = extract_model(KERAS1_CONVNET, 10).source
    assert "SGD(learning_rate=__nanlint_time_decay__(0.00001, 1e-6), momentum=0.0, nesterov=True)" in source
    namespace: dict[str, object] = {}
    exec(source.split("from keras")[0], namespace)  # the helper the snippet defines at its top
    schedule = namespace["__nanlint_time_decay__"](0.5, 0.1)  # type: ignore[operator]
    # Keras 2: lr / (1 + decay * iterations)
    assert [round(float(schedule(step)), 6) for step in (0, 10)] == [0.5, 0.25]


FLOAT16_FUNCTIONAL = """import keras
from keras.layers import Input, Conv2D, BatchNormalization, Flatten, Dense
from keras.models import Model

keras.backend.set_floatx('float16')

input_layer = Input(shape=(16, 16, 3))
x = BatchNormalization(axis=3)(input_layer)
x = Conv2D(32, (3, 3), padding='same')(x)
x = Flatten()(x)
output = Dense(10, activation='softmax')(x)

model = Model(input_layer, output)
model.compile(loss='categorical_crossentropy', optimizer='adam')
"""


def test_a_precision_set_up_line_yields_the_model_the_module_compiles():
    snippet = extract_model(FLOAT16_FUNCTIONAL, 5)  # `set_floatx('float16')`, where NAN107 reports
    assert (snippet.entry, snippet.kind, snippet.floatx) == ("model", "model", "float16")
    assert "model.compile(" in snippet.source and "set_floatx" not in snippet.source


def test_a_name_reassigned_layer_by_layer_keeps_every_assignment_in_order():
    source = extract_model(FLOAT16_FUNCTIONAL, 5).source
    chain = ["x = BatchNormalization(axis=3)(input_layer)", "x = Conv2D(32, (3, 3), padding='same')(x)",
             "x = Flatten()(x)", "output = Dense(10"]
    assert all(line in source for line in chain)
    assert [source.index(line) for line in chain] == sorted(source.index(line) for line in chain)


def _span(source: str, flagged: str) -> tuple[int, int, tuple[int, int]]:
    """(line, 1-based column, exclusive end) of the first occurrence of `flagged`, as a finding gives them."""
    line, text = next((n, text) for n, text in enumerate(source.splitlines(), 1) if flagged in text)
    col = text.index(flagged) + 1
    return line, col, (line, col + len(flagged))


def test_the_expression_slice_keeps_an_ellipsis_index_and_a_rebinding_of_a_parameter():
    # `boxes[..., 2]` indexes; feeding `...` a float witness made every GIoU/IoU slice fail before it ran
    source = ("import tensorflow as tf\n\n\ndef area_ratio(boxes):\n"
              "    boxes = tf.concat([boxes[..., :2], boxes[..., 2:] * 0.5], axis=-1)\n"
              "    return boxes[..., 2] / boxes[..., 3]\n")
    snippet = extract_expression(source, *_span(source, "boxes[..., 2] / boxes[..., 3]"))
    # both reads see the rebinding, and the rebinding reads the parameter (not itself again)
    assert snippet.params == ("boxes",)
    assert snippet.source.count("tf.concat([boxes[..., :2], boxes[..., 2:] * 0.5], axis=-1)[..., ") == 2


def test_a_parameter_used_as_an_axis_or_an_index_gets_that_role_not_a_witness_row():
    # tf.nn.weighted_moments(x, axes, w): a float witness row for `axes` was a type error, never a run
    source = ("import tensorflow as tf\n\n\ndef moments(x, axes, weights, axis, i, k):\n"
              "    total = tf.reduce_sum(weights, axes, keepdims=True)\n"
              "    peak = helper(x, k) + tf.reduce_max(x, axis=axis)\n"
              "    return tf.reduce_sum(weights * x, axes, keepdims=True) / total + x[i - 1, 0] + peak\n")
    snippet = extract(source, *_span(source, "tf.reduce_sum(weights * x, axes, keepdims=True) / total"))
    # a user's own helper(x, k) says nothing about k; x and weights stay values
    assert dict(snippet.roles) == {"axes": "axes", "axis": "axis", "i": "index"}


def test_the_expression_slice_gives_its_cut_points_used_as_indices_the_index_role():
    # the TF Object Detection confusion-matrix script: `id` is read from a list of dicts, cut at each read
    source = ("import numpy as np\n\n\ndef display(matrix, categories):\n"
              "    for i in range(len(categories)):\n"
              "        id = categories[i]['id'] - 1\n"
              "        print(float(matrix[id, id] / np.sum(matrix[:, id])))\n")
    snippet = extract_expression(source, *_span(source, "matrix[id, id] / np.sum(matrix[:, id])"))
    assert snippet.params[0] == "matrix" and len(snippet.params) == 4
    assert dict(snippet.roles) == {p: "index" for p in snippet.params[1:]}


def test_numpy_code_is_marked_so_its_witnesses_are_arrays_and_code_using_tensorflow_is_not():
    # deepcell's normalize: `image.astype(...)`, `img.std()` fail on a tensor before the division runs
    numpy_code = ("import logging\nimport numpy as np\nimport tensorflow as tf\n\n\ndef normalize(image):\n"
                  "    logging.info('converting')\n    image = image.astype('float32')\n"
                  "    return (image - np.mean(image)) / image.std()\n")
    col = numpy_code.splitlines()[8].index("(image - ") + 1
    end = (9, col + len("(image - np.mean(image)) / image.std()"))
    assert extract(numpy_code, 9, col, end).numpy  # tensorflow is imported, but this function never uses it
    mixed = numpy_code.replace("np.mean(image)", "tf.reduce_mean(image)")
    assert not extract(mixed, 9, col, (9, end[1] + len("tf.reduce_mean") - len("np.mean"))).numpy
