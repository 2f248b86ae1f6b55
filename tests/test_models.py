"""The static model picture (nanlint/analysis/models.py) for each way a Keras model is built."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest

from nanlint.analysis.keras import LayerReader
from nanlint.analysis.module import ModuleAnalysis
from nanlint.linter import lint_text
from nanlint.verify.recipes import recipe_for
from nanlint.verify.snippet import extract_model


def models_of(source: str):
    return ModuleAnalysis.build(cst.parse_module(source)).models


def kinds(model):
    return [layer.kind for layer in model.layers]


def test_sequential_list_with_compile_through_tf_keras_aliases():
    (model,) = models_of(
        "import tensorflow as tf\n"
        "model = tf.keras.Sequential([tf.keras.layers.Dense(64, activation='relu', input_shape=(20,)),\n"
        "    tf.keras.layers.BatchNormalization(), tf.keras.layers.Dense(1, activation='sigmoid')])\n"
        "model.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=0.5, clipnorm=1.0),\n"
        "              loss='binary_crossentropy')\n"
    )
    assert model.name == "model"
    assert kinds(model) == ["Dense", "BatchNormalization", "Dense"]
    assert model.layers[0].units == 64 and model.input_shape == (20,)
    assert [(block.activation, block.normalized) for block in model.blocks()] == [("relu", True), ("sigmoid", False)]
    assert model.output_activation() == "sigmoid"
    (optimizer,) = model.setup.optimizers
    assert (optimizer.kind, optimizer.learning_rate, optimizer.clipped) == ("SGD", 0.5, True)
    assert (model.setup.loss.name, model.setup.loss.from_logits) == ("binary_crossentropy", False)
    assert isinstance(model.setup.compile_node, cst.Call) and model.setup.trained_by == ("compile",)


def test_add_in_loop_is_unrolled_and_relu_layer_sets_activation():
    (model,) = models_of(
        "import keras\n"
        "from keras import Sequential, layers\n"
        "model = Sequential()\n"
        "model.add(layers.Input(shape=(8,)))\n"
        "for _ in range(4):\n"
        "    model.add(layers.Dense(32))\n"
        "    model.add(layers.ReLU())\n"
        "model.add(layers.Dense(10, activation='softmax'))\n"
        "model.compile('sgd', loss=keras.losses.CategoricalCrossentropy(from_logits=True))\n"
    )
    assert model.input_shape == (8,)
    assert kinds(model) == ["Dense", "ReLU"] * 4 + ["Dense"]
    assert [block.activation for block in model.blocks()] == ["relu"] * 4 + ["softmax"]
    # a string optimizer gets its class and Keras' default learning rate
    (optimizer,) = model.setup.optimizers
    assert (optimizer.kind, optimizer.learning_rate, optimizer.clipped) == ("SGD", 0.01, False)
    assert model.setup.loss.from_logits is True


def test_add_to_a_rebound_name_goes_to_the_model_bound_at_that_point():
    first, second = models_of(
        "from tensorflow import keras\n"
        "model = keras.Sequential()\n"
        "model.add(keras.layers.Dense(4))\n"
        "model = keras.Sequential()\n"
        "model.add(keras.layers.LSTM(2))\n"
    )
    assert kinds(first) == ["Dense"] and kinds(second) == ["LSTM"]


def test_functional_chain_from_input_with_wrapper():
    (model,) = models_of(
        "import tensorflow as tf\n"
        "from tensorflow.keras import layers\n"
        "inp = tf.keras.Input(shape=(10, 16))\n"
        "x = layers.TimeDistributed(layers.Dense(8, activation='relu'))(inp)\n"
        "x = layers.LSTM(4)(x)\n"
        "out = layers.Dense(1)(x)\n"
        "model = tf.keras.Model(inp, out)\n"
    )
    assert model.input_shape == (10, 16)
    assert kinds(model) == ["TimeDistributed", "LSTM", "Dense"]
    assert model.layers[0].inner.kind == "Dense" and model.layers[0].inner.units == 8
    assert [layer.kind for layer in model.recurrent_layers] == ["LSTM"]
    assert model.output_activation() == "linear"
    assert not model.setup.trained and model.setup.optimizers == () and model.setup.compile_node is None


def test_subclassed_model_with_optimizer_built_in_a_helper():
    (model,) = models_of(
        "import keras\n"
        "class Net(keras.Model):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.d1 = keras.layers.Dense(16, activation='relu')\n"
        "        self.d2 = keras.layers.Dense(3, activation='softmax')\n"
        "    def call(self, x):\n"
        "        return self.d2(self.d1(x))\n"
        "def make_opt():\n"
        "    return keras.optimizers.Adam(learning_rate=3e-4, epsilon=1e-8)\n"
        "model = Net()\n"
        "model.compile(optimizer=make_opt(), loss='sparse_categorical_crossentropy')\n"
    )
    assert model.name == "Net"
    assert kinds(model) == ["Dense", "Dense"]
    assert model.output_activation() == "softmax"
    (optimizer,) = model.setup.optimizers
    assert (optimizer.kind, optimizer.learning_rate, optimizer.epsilon) == ("Adam", 3e-4, 1e-8)
    assert model.setup.loss.name == "sparse_categorical_crossentropy"


def test_a_dense_after_a_sequence_output_is_per_step_like_time_distributed():
    header = "from keras import layers, Sequential\n"
    def source(*body: str):
        (model,) = models_of(header + "model = Sequential([" + ", ".join(body) + "])\n")
        found = model.per_step_source()
        return found.kind if found is not None else None

    sequences = "layers.LSTM(8, return_sequences=True)"
    # the implicit per-step head and the explicit one read the same
    assert source(sequences, "layers.Dense(1)") == "LSTM"
    assert source(sequences, "layers.TimeDistributed(layers.Dense(1))") == "TimeDistributed"
    assert source("layers.Bidirectional(" + sequences + ")", "layers.Dropout(0.2)", "layers.Dense(1)") == "Bidirectional"
    # the steps are gone: a last recurrent layer without return_sequences, a pooling, a flatten
    assert source(sequences, "layers.LSTM(8)", "layers.Dense(1)") is None
    assert source(sequences, "layers.GlobalAveragePooling1D()", "layers.Dense(1)") is None
    assert source(sequences, "layers.Flatten()", "layers.Dense(1)") is None
    assert source("layers.Dense(8, input_shape=(4,))", "layers.Dense(1)") is None


def test_unknown_layers_interrupt_blocks_and_non_keras_calls_are_not_models():
    (model,) = models_of(
        "import keras\n"
        "from mylib import Custom, Sequential as NotKeras\n"
        "other = NotKeras([keras.layers.Dense(4)])\n"
        "model = keras.Sequential([keras.layers.Dense(4, activation='relu'), Custom(),\n"
        "                          keras.layers.Dense(4, activation='relu')])\n"
    )
    assert model.name == "model"
    blocks = model.blocks()
    assert blocks[1] is None and [block.activation for block in (blocks[0], blocks[2])] == ["relu", "relu"]


def test_layer_classes_keras_exports_under_a_second_name_are_read_as_that_class():
    # keras.layers.MaxPool2D is the MaxPooling2D class and Convolution2D is Conv2D (exported_names.LAYER_CLASSES,
    # generated from Keras' own exports): a pooling layer that keeps the scale, a weighted layer
    (model,) = models_of(
        "from tensorflow import keras\n"
        "from tensorflow.keras.layers import Convolution2D, MaxPool2D\n"
        "model = keras.Sequential([Convolution2D(8, 3, activation='sigmoid', input_shape=(28, 28, 1)),\n"
        "                          MaxPool2D(2)])\n"
    )
    assert kinds(model) == ["Conv2D", "MaxPooling2D"]
    assert model.output_layer is model.layers[0] and model.output_activation() == "sigmoid"


def test_custom_output_layer_leaves_the_output_activation_unknown():
    (model,) = models_of(
        "import keras\n"
        "from mylib import Custom\n"
        "model = keras.Sequential()\n"
        "model.add(keras.layers.Dense(1, activation='sigmoid'))\n"
        "model.add(Custom())\n"
    )
    assert kinds(model)[0] == "Dense" and model.output_activation() is None


# -- the training set-up (nanlint/analysis/training.py) ------------------------------------------------------


def by_name(source: str):
    return {model.name: model for model in models_of(source)}


GAN = (
    "import tensorflow as tf\n"
    "from tensorflow import keras\n"
    "generator = keras.Sequential([keras.layers.Dense(8, activation='relu')])\n"
    "discriminator = keras.Sequential([keras.layers.Dense(1)])\n"
    "class GAN(keras.Model):\n"
    "    def __init__(self, discriminator, generator):\n"
    "        super().__init__()\n"
    "        self.discriminator = discriminator\n"
    "        self.generator = generator\n"
    "    def compile(self, d_optimizer, g_optimizer):\n"
    "        super().compile()\n"
    "        self.d_optimizer = d_optimizer\n"
    "        self.g_optimizer = g_optimizer\n"
    "    def train_step(self, data):\n"
    "        with tf.GradientTape() as tape:\n"
    "            loss = tf.reduce_mean(self.discriminator(data))\n"
    "        grads = tape.gradient(loss, self.discriminator.trainable_weights)\n"
    "        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))\n"
    "        grads = tape.gradient(loss, self.generator.trainable_weights)\n"
    "        self.g_optimizer.apply(grads, self.generator.trainable_weights)\n"
    "        return {}\n"
    "gan = GAN(discriminator=discriminator, generator=generator)\n"
    "gan.compile(d_optimizer=keras.optimizers.SGD(0.5), g_optimizer=keras.optimizers.Adam(1e-4))\n"
    "gan.fit(data)\n"
)


def test_custom_compile_optimizers_are_linked_to_the_sub_models_their_train_step_updates():
    models = by_name(GAN)
    assert [o.describe() for o in models["discriminator"].setup.optimizers] == ["SGD(lr=0.5)"]
    assert [o.describe() for o in models["generator"].setup.optimizers] == ["Adam(lr=0.0001)"]
    assert "the model 'GAN' containing it" in models["generator"].setup.trained_by


def test_custom_loop_schedule_and_config_dict_optimizers():
    models = by_name(
        "from tensorflow import keras\n"
        "schedule = keras.optimizers.schedules.ExponentialDecay(initial_learning_rate=0.3, decay_steps=10, decay_rate=0.9)\n"
        "model = keras.Sequential([keras.layers.Dense(1)])\n"
        "optimizer = keras.optimizers.SGD(learning_rate=schedule, clipnorm=1.0)\n"
        "def step(x):\n"
        "    grads = tape.gradient(loss, model.trainable_variables)\n"
        "    optimizer.apply_gradients(zip(grads, model.trainable_variables))\n"
        "other = keras.Sequential([keras.layers.Dense(1)])\n"
        "other.compile(optimizer=keras.optimizers.get({'class_name': 'SGD', 'config': {'learning_rate': 0.2}}))\n"
    )
    (looped,) = models["model"].setup.optimizers
    assert (looped.kind, looped.learning_rate, looped.schedule, looped.clipped) == ("SGD", 0.3, "ExponentialDecay", True)
    assert models["model"].setup.trained_by == ("a custom training loop",)
    assert [o.describe() for o in models["other"].setup.optimizers] == ["SGD(lr=0.2)"]


def test_a_local_model_updated_by_an_optimizer_held_in_self_is_trained():
    # `self.opt.apply_gradients(zip(grads, model.trainable_variables))`: the model is the method's own (was an
    # AttributeError that turned every model rule into NAN999)
    models = by_name(
        "import tensorflow as tf\n"
        "from tensorflow import keras\n"
        "class Trainer:\n"
        "    def __init__(self, opt):\n"
        "        self.opt = opt\n"
        "    def step(self, x):\n"
        "        model = keras.Sequential([keras.layers.Dense(1)])\n"
        "        with tf.GradientTape() as tape:\n"
        "            loss = tf.reduce_mean(model(x))\n"
        "        grads = tape.gradient(loss, model.trainable_variables)\n"
        "        self.opt.apply_gradients(zip(grads, model.trainable_variables))\n"
        "trainer = Trainer(keras.optimizers.SGD(learning_rate=0.1))\n"
    )
    assert models["model"].setup.trained_by == ("a custom training loop",)
    assert models["model"].setup.unresolved_optimizer


def test_a_model_built_for_summary_is_not_trained_and_a_contained_encoder_is():
    models = by_name(
        "from tensorflow import keras\n"
        "inputs = keras.Input(shape=(8,))\n"
        "encoder = keras.Model(inputs, keras.layers.Dense(4, activation='relu')(inputs))\n"
        "autoencoder = keras.Model(inputs, keras.layers.Dense(8)(encoder(inputs)))\n"
        "autoencoder.compile(optimizer='adam', loss='mse')\n"
        "probe = keras.Sequential([keras.layers.Dense(3)])\n"
        "probe.summary()\n"
    )
    assert not models["probe"].setup.trained
    assert models["encoder"].setup.trained_by == ("the model 'autoencoder' containing it",)
    assert [o.kind for o in models["encoder"].setup.optimizers] == ["Adam"]


def test_a_model_wrapped_by_an_unknown_model_is_trained_by_the_wrapper_and_only_when_it_is():
    # tensorflow-model-remediation (unseen17): `MinDiffModel(original_model, loss)` is another file's class; fitting
    # the wrapper trains the model inside it, serializing it does not. Through a wrapper of a wrapper too.
    models = by_name(
        "import tensorflow as tf\n"
        "from tensorflow_model_remediation import min_diff\n"
        "def test_fit(dataset):\n"
        "    fitted = tf.keras.Sequential([tf.keras.layers.Dense(1, activation='softmax')])\n"
        "    model = min_diff.keras.MinDiffModel(fitted, min_diff.losses.MMDLoss())\n"
        "    model.compile(loss='binary_crossentropy', optimizer='adam')\n"
        "    model.fit(dataset)\n"
        "def test_nested(dataset):\n"
        "    inner = tf.keras.Sequential([tf.keras.layers.Dense(1)])\n"
        "    outer = Quantized(Wrapper(inner), bits=4)\n"
        "    outer.fit(dataset)\n"
        "def test_serialization():\n"
        "    serialized = tf.keras.Sequential([tf.keras.layers.Dense(1, activation='softmax')])\n"
        "    model = min_diff.keras.MinDiffModel(serialized, min_diff.losses.MMDLoss())\n"
        "    config = model.get_config()\n"
        "    history = model.history\n"
        "    history.fit(config)\n"
    )
    assert models["fitted"].setup.trained_by == ("compile of 'model', which wraps it", "fit of 'model', which wraps it")
    assert models["fitted"].setup.unresolved_optimizer and models["fitted"].setup.loss is None
    assert models["inner"].setup.trained_by == ("fit of 'outer', which wraps it",)
    assert not models["serialized"].setup.trained


def test_a_model_compiled_through_a_local_name_is_trained_only_when_its_function_may_train_it():
    # tensorflow-model-remediation (unseen17): compiled, then only evaluated, given weights, or fit where the test
    # asserts the fit raises; the names bound from the model that share its weights are followed
    models = by_name(
        "import pytest\n"
        "import tensorflow as tf\n"
        "from tensorflow_model_remediation import min_diff\n"
        "def test_eval(batch):\n"
        "    evaluated = tf.keras.Sequential([tf.keras.layers.Dense(1, activation='softmax')])\n"
        "    model = min_diff.keras.MinDiffModel(evaluated, min_diff.losses.MMDLoss())\n"
        "    model.compile(loss='binary_crossentropy', optimizer='adam')\n"
        "    metrics = model.test_step(batch)\n"
        "    assert set(metrics.keys()) == {'loss'}\n"
        "def test_load(self, path, dataset):\n"
        "    fitted = tf.keras.Sequential([tf.keras.layers.Dense(1)])\n"
        "    fitted.compile(loss='mse', optimizer='sgd')\n"
        "    fitted.fit(dataset)\n"
        "    loaded = tf.keras.Sequential([tf.keras.layers.Dense(1)])\n"
        "    loaded.compile(loss='mse', optimizer='sgd')\n"
        "    loaded.load_weights(path)\n"
        "    with self.assertRaisesRegex(ValueError, 'bad'):\n"
        "        loaded.fit(dataset)\n"
        "    with pytest.raises(ValueError):\n"
        "        loaded.train_on_batch(dataset)\n"
        "    self.assertRaises(ValueError, loaded.fit, dataset)\n"
        "def build():\n"
        "    returned = tf.keras.Sequential([tf.keras.layers.Dense(1)])\n"
        "    returned.compile(loss='mse', optimizer='sgd')\n"
        "    return returned\n"
        "def features(x, y):\n"
        "    base = tf.keras.Sequential([tf.keras.layers.Dense(4), tf.keras.layers.Dense(1)])\n"
        "    base.compile(loss='mse', optimizer='sgd')\n"
        "    head = tf.keras.Model(base.input, base.layers[-2].output)\n"
        "    head.fit(x, y)\n"
        "def handed(trainer):\n"
        "    passed = tf.keras.Sequential([tf.keras.layers.Dense(1)])\n"
        "    passed.compile(loss='mse', optimizer='sgd')\n"
        "    trainer.run(passed)\n"
        "def export(path):\n"
        "    saved = tf.keras.Sequential([tf.keras.layers.Dense(1)])\n"
        "    saved.compile(loss='mse', optimizer='sgd')\n"
        "    saved.save(path)\n"
        "    written = tf.keras.Sequential([tf.keras.layers.Dense(1)])\n"
        "    written.compile(loss='mse', optimizer='sgd')\n"
        "    tf.keras.models.save_model(written, filepath=path)\n"
        "class Holder:\n"
        "    def setUp(self):\n"
        "        stored = tf.keras.Sequential([tf.keras.layers.Dense(1)])\n"
        "        stored.compile(loss='mse', optimizer='sgd')\n"
        "        self.model = stored\n"
        "def callable_fit(run, x):\n"
        "    deferred = tf.keras.Sequential([tf.keras.layers.Dense(1)])\n"
        "    deferred.compile(loss='mse', optimizer='sgd')\n"
        "    run(deferred.fit, x)\n"
    )
    for untrained in ("evaluated", "loaded"):
        assert not models[untrained].setup.trained, untrained
        assert models[untrained].setup.optimizers == ()
    assert models["fitted"].setup.trained_by == ("compile", "fit")
    for trained in ("returned", "base", "passed", "saved", "written", "stored", "deferred"):
        assert models[trained].setup.trained_by == ("compile",), trained


def test_a_model_class_the_module_never_instantiates_is_built_elsewhere():
    analysis = ModuleAnalysis.build(cst.parse_module(
        "from tensorflow import keras\n"
        "class Used(keras.Model):\n"
        "    def call(self, x):\n"
        "        return x\n"
        "class Utility(keras.Model):\n"
        "    def call(self, x):\n"
        "        return x\n"
        "probe = keras.Sequential([keras.layers.Dense(1)])\n"
        "model = Used()\n"
    ))
    elsewhere = {model.name: analysis.picture.built_elsewhere(model) for model in analysis.models}
    assert elsewhere == {"Used": False, "Utility": True, "probe": False}


def test_input_scale_from_a_dataset_loader_divided_and_rescaled():
    models = by_name(
        "from tensorflow import keras\n"
        "(x_train, y_train), _ = keras.datasets.mnist.load_data()\n"
        "raw = keras.Sequential([keras.layers.Dense(10)])\n"
        "raw.fit(x_train, y_train)\n"
        "divided = keras.Sequential([keras.layers.Dense(10)])\n"
        "divided.fit(x_train / 255.0, y_train)\n"
        "rescaled = keras.Sequential([keras.layers.Rescaling(1.0 / 255), keras.layers.Dense(10)])\n"
        "rescaled.fit(x_train, y_train)\n"
    )
    assert models["raw"].setup.input_scale.magnitude == 255.0
    assert models["divided"].setup.input_scale.magnitude == 1.0
    assert models["rescaled"].setup.input_scale.magnitude == 1.0


def test_layer_reader_resolves_defaults_factories_and_config_dicts():
    (model,) = models_of(
        "from tensorflow import keras\n"
        "def block(units, act='relu'):\n"
        "    return keras.layers.Dense(units, activation=act)\n"
        "class Head(keras.Model):\n"
        "    def __init__(self, classes, head_activation='softmax'):\n"
        "        super().__init__()\n"
        "        self.hidden = block(16)\n"
        "        self.out = keras.layers.Dense(**{'units': classes, 'activation': head_activation})\n"
        "model = Head(10)\n"
    )
    assert [(layer.activation, layer.units) for layer in model.layers] == [("relu", 16), ("softmax", 10)]
    assert model.layers[1].activation_source == "the default of parameter head_activation"


def test_float16_policy_reads_floatx_and_the_keras_epsilon():
    from nanlint.analysis.training import float16_policy

    def policy(source):
        return float16_policy(ModuleAnalysis.build(cst.parse_module(source)))

    floatx = policy("from keras import backend as K\nK.set_floatx('float16')\nK.set_epsilon(1e-4)\n")
    assert (floatx.name, floatx.pure_float16, floatx.epsilon) == ("float16", True, 1e-4)
    mixed = policy("import keras\nkeras.mixed_precision.set_global_policy('mixed_float16')\n")
    assert (mixed.pure_float16, mixed.epsilon) == (False, 1e-7)
    assert policy("import keras\nkeras.mixed_precision.set_global_policy('float32')\n") is None


def test_input_scale_follows_a_name_rebound_from_itself():
    models = by_name(
        "from tensorflow import keras\n"
        "(x_train, y_train), _ = keras.datasets.mnist.load_data()\n"
        "x_train = x_train.reshape(-1, 784).astype('float32')\n"
        "raw = keras.Sequential([keras.layers.Dense(10)])\n"
        "raw.fit(x_train, y_train)\n"
        "x_train = x_train / 255.0\n"
        "divided = keras.Sequential([keras.layers.Dense(10)])\n"
        "divided.fit(x_train, y_train)\n"
    )
    assert models["raw"].setup.input_scale.magnitude == 255.0
    assert models["divided"].setup.input_scale.magnitude == 1.0


RAW_PIXEL_MLP = (Path(__file__).parent / "fixtures_verify" / "relu_mlp_raw_pixels.py").read_text()


def test_a_model_level_finding_carries_the_training_set_up_it_read_for_the_verifier():
    (finding,) = lint_text(RAW_PIXEL_MLP, "m.py").findings
    assert finding.code == "NAN101"
    assert finding.extra == {"input_scale": 255.0, "input_scale_source": "keras.datasets.mnist pixel values 0-255",
                             "optimizer": "SGD", "learning_rate": 0.1,
                             "loss": "sparse_categorical_crossentropy", "from_logits": False}
    request = recipe_for("NAN101").request(extract_model(RAW_PIXEL_MLP, finding.line), finding.extra)
    assert (request["input_scale"], request["optimizer"], request["learning_rate"]) == (255.0, "SGD", 0.1)
    assert "input_scale" not in recipe_for("NAN001").request(extract_model(RAW_PIXEL_MLP, finding.line))


def test_the_set_up_carries_the_data_fed_to_the_model_not_what_its_rescaling_layer_passes_on():
    (model,) = models_of(
        "from tensorflow import keras\n"
        "(x_train, y_train), _ = keras.datasets.mnist.load_data()\n"
        "model = keras.Sequential([keras.layers.Rescaling(1.0 / 255), keras.layers.Dense(10)])\n"
        "model.compile(optimizer=keras.optimizers.SGD(0.01), loss='mse')\n"
        "model.fit(x_train, y_train)\n"
    )
    assert model.setup.input_scale.magnitude == 1.0  # what the Dense layer sees
    assert model.setup.as_data(model.setup.optimizers[0])["input_scale"] == 255.0  # what the verifier feeds


def test_input_and_target_scale_through_lambdas_powers_and_standardization():
    models = by_name(
        "import numpy as np\n"
        "from tensorflow import keras\n"
        "from sklearn.preprocessing import MinMaxScaler, StandardScaler\n"
        "x = np.arange(100)[:, np.newaxis]\n"
        "square = lambda v: v ** 2 + 3\n"
        "raw = keras.Sequential([keras.layers.Dense(1)])\n"
        "raw.fit((x - x.mean()) / x.std(), square(x))\n"
        "minmax = keras.Sequential([keras.layers.Dense(1)])\n"
        "minmax.fit(MinMaxScaler().fit_transform(x), StandardScaler().fit_transform(square(x)))\n"
    )
    raw, minmax = models["raw"].setup, models["minmax"].setup
    assert (raw.input_scale.magnitude, raw.input_scale.centered) == (1.0, True)
    assert raw.target_scale.magnitude == 100.0 ** 2 + 3 and not raw.target_scale.centered
    assert (minmax.input_scale.magnitude, minmax.input_scale.centered) == (1.0, False)
    assert minmax.target_scale.centered


def test_graph_training_reads_the_fed_inputs_without_the_targets():
    from nanlint.analysis.models import ModelPicture
    from nanlint.analysis.training import TrainingReader

    analysis = ModuleAnalysis.build(cst.parse_module(
        "import tensorflow as tf\n"
        "x = tf.placeholder(tf.float32)\n"
        "y = tf.placeholder(tf.float32)\n"
        "w = tf.Variable(0.0)\n"
        "loss = tf.reduce_mean((w * x - y) ** 2)\n"
        "step = tf.train.GradientDescentOptimizer(0.05).minimize(loss)\n"
        "feed = {x: [1.0, 2.0, 40.0], y: [900.0, 1.0, 2.0]}\n"
        "tf.Session().run([step, loss], feed_dict=feed)\n"
    ))
    (graph,) = TrainingReader(ModelPicture(analysis)).graph_trainings()
    assert (graph.optimizer.kind, graph.optimizer.learning_rate, graph.squared) == ("SGD", 0.05, True)
    assert graph.input_scale.magnitude == 40.0  # y (900) is the target


@pytest.mark.parametrize("rate", ["tf.Variable(0.1)", "tf.Variable(0.1, trainable=False)",
                                  "tf.compat.v1.get_variable('lr', initializer=tf.constant_initializer(0.1))",
                                  "tf.constant(0.1)", "0.1"])
def test_a_learning_rate_held_in_a_variable_starts_at_the_value_it_is_made_from(rate):
    from nanlint.analysis.models import ModelPicture
    from nanlint.analysis.training import TrainingReader

    analysis = ModuleAnalysis.build(cst.parse_module(
        "import tensorflow as tf\n"
        "x = tf.placeholder(tf.float32)\n"
        "y = tf.placeholder(tf.float32)\n"
        "w = tf.Variable(0.0)\n"
        "loss = tf.reduce_mean((w * x - y) ** 2)\n"
        f"alpha = {rate}\n"
        "step = tf.train.GradientDescentOptimizer(alpha).minimize(loss)\n"
        "tf.Session().run(step, feed_dict={x: [10.0, 20.0, 40.0], y: [1.0, 2.0, 4.0]})\n"
    ))
    (graph,) = TrainingReader(ModelPicture(analysis)).graph_trainings()
    assert (graph.optimizer.kind, graph.optimizer.learning_rate) == ("SGD", 0.1)


def _graph_scale(source: str):
    from nanlint.analysis.models import ModelPicture
    from nanlint.analysis.training import TrainingReader

    (graph,) = TrainingReader(ModelPicture(ModuleAnalysis.build(cst.parse_module(source)))).graph_trainings()
    return graph.input_scale.magnitude if graph.input_scale is not None else None


def test_graph_training_reads_rows_fed_from_zip_and_data_built_into_the_graph():
    fed_rows = ("import tensorflow as tf\nimport numpy as np\n"
                "trX = np.linspace(-1, 20, 101)\n"
                "trY = 900 * trX\n"
                "X = tf.placeholder('float')\nY = tf.placeholder('float')\n"
                "w = tf.Variable(0.0)\n"
                "train_op = tf.train.GradientDescentOptimizer(0.01).minimize(tf.square(Y - tf.multiply(X, w)))\n"
                "for i, (x, y) in enumerate(zip(trX, trY)):\n"
                "    sess.run(train_op, feed_dict={X: {fed}, Y: y})\n")
    assert _graph_scale(fed_rows.replace("{fed}", "x")) == 20.0  # one row of trX at a time; trY (900) is the target
    assert _graph_scale(fed_rows.replace("{fed}", "i")) is None  # enumerate's count is not the data
    built_in = ("import tensorflow as tf\nimport numpy as np\n"
                "x_data = np.arange(100).astype(np.float32)\n"
                "y_data = x_data * 0.1 + 0.3\n"
                "weight = tf.constant([1.0, 50.0])\n"
                "W = tf.Variable(tf.random_uniform([1], -1.0, 1.0))\n"
                "y = W * x_data + 0.3\n"
                "loss = tf.reduce_mean(weight * tf.square(y - y_data))\n"
                "train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)\n"
                "{run}\n")
    # x_data multiplies a trainable weight: an input; the constant `weight` and the target y_data are not
    assert _graph_scale(built_in.replace("{run}", "sess.run(train)")) == 100.0
    assert _graph_scale(built_in.replace("{run}", "print(train)")) is None  # never run


def test_a_float16_graph_judges_the_epsilon_in_force_given_by_position_or_keyword_or_defaulted():
    graph = ("import tensorflow as tf\n"
             "x = tf.placeholder(tf.float16, (4, 8))\n"
             "loss = tf.reduce_mean(tf.layers.dense(x, 4))\n"
             "step = {optimizer}.minimize(loss)\n")
    def lines(optimizer):
        return [f.line for f in lint_text(graph.format(optimizer=optimizer), "g.py").findings if f.code == "NAN107"]
    assert lines("tf.train.AdamOptimizer(1e-3)") == [4]  # TF1 default 1e-8: 0 in float16
    assert lines("tf.train.RMSPropOptimizer(1e-3)") == [4]  # 1e-10
    assert lines("tf.train.AdamOptimizer(1e-3, 0.9, 0.999, 1e-4)") == []
    assert lines("tf.train.AdamOptimizer(1e-3, epsilon=1e-4)") == []
    assert lines("tf.keras.optimizers.Adam(1e-3)") == []  # Keras' 1e-7 is subnormal, not 0: measured finite
    assert lines("tf.train.GradientDescentOptimizer(1e-3)") == []  # no epsilon


def test_an_unshown_input_scale_is_graded_with_the_condition_it_rests_on():
    source = ("from keras.models import Sequential\n"
              "from keras.layers import Dense\n"
              "from keras.optimizers import SGD\n"
              "X, y = load()\n"
              "net = Sequential([Dense(100, input_dim=9216), Dense(30)])\n"
              "net.compile(loss='mse', optimizer=SGD(learning_rate=0.01))\n"
              "net.fit({x}, y)\n")
    (finding,) = lint_text(source.format(x="X"), "m.py").findings
    assert finding.code == "NAN107" and "likely unless the inputs are standardized" in finding.message
    assert "0.01 x 9216 features x 1^2 / 30 outputs = 3.07" in finding.message
    (finding,) = lint_text(source.format(x="X / 255.0"), "m.py").findings  # shown, in [0, 1]: plainly likely
    assert "is likely;" in finding.message
    assert not lint_text(source.format(x="(X - X.mean()) / X.std()"), "m.py").findings  # standardized


CBOW = ("import tensorflow as tf\n"
        "window = 3\n"
        "E = tf.Variable(tf.random_uniform([2000, 200], -1.0, 1.0))\n"
        "W = tf.Variable(tf.zeros([2000, 200]))\n"
        "b = tf.Variable(tf.zeros([2000]))\n"
        "ids = tf.placeholder(tf.int32, shape=[500, 2 * window])\n"
        "labels = tf.placeholder(tf.int32, shape=[500, 1])\n"
        "{embed}\n"
        "loss = tf.reduce_mean(tf.nn.nce_loss(W, b, labels, embed, 250, 2000))\n"
        "step = tf.train.GradientDescentOptimizer(0.5).minimize(loss)\n")


def summed_lookups(embed: str) -> int:
    from nanlint.analysis.models import ModelPicture
    from nanlint.analysis.training import TrainingReader

    analysis = ModuleAnalysis.build(cst.parse_module(CBOW.format(embed=embed)))
    (graph,) = TrainingReader(ModelPicture(analysis)).graph_trainings()
    return graph.summed_lookups


def test_a_sampled_loss_over_summed_embedding_lookups_counts_them_whichever_way_the_sum_is_written():
    loop = ("embed = tf.zeros([500, 200])\n"
            "for i in range(2 * window):\n"
            "    embed += tf.nn.embedding_lookup(E, ids[:, i])")
    assert summed_lookups(loop) == 6
    assert summed_lookups("embed = tf.reduce_sum(tf.nn.embedding_lookup(E, ids), 1)") == 6
    assert summed_lookups("embed = tf.reduce_mean(tf.nn.embedding_lookup(E, ids), 1)") == 1  # a mean: one's scale
    assert summed_lookups("embed = tf.nn.embedding_lookup(E, ids[:, 0])") == 1


def test_a_sum_over_a_whole_float16_input_is_found_through_the_function_it_is_passed_to():
    from nanlint.analysis.precision import float16_sums

    source = ("import tensorflow as tf\n\n"
              "def tv(image):\n"
              "    return tf.image.total_variation(image)\n\n"
              "half = tf.keras.Input(shape=(64, 32, 3), dtype=tf.float16)\n"
              "single = tf.keras.Input(shape=(64, 32, 3))\n"
              "a, b, c = tv(half), tv(single), tf.reduce_sum(half)\n")
    found = float16_sums(ModuleAnalysis.build(cst.parse_module(source)))
    assert sorted((f.what, f.input_name, f.terms) for f in found) == [
        ("tf.image.total_variation", "half", (63 * 32 + 64 * 31) * 3), ("tf.reduce_sum", "half", 64 * 32 * 3)]


def test_keras_1_output_dim_and_nb_filter_are_the_units():
    (model,) = models_of("from keras.models import Sequential\n"
                         "from keras.layers import Dense, Convolution1D\n"
                         "model = Sequential()\n"
                         "model.add(Convolution1D(input_dim=5, nb_filter=7, filter_length=3))\n"
                         "model.add(Dense(output_dim=16))\n")
    assert [layer.units for layer in model.layers] == [7, 16]


def test_literal_data_shapes_are_read_through_module_constants_and_integer_arithmetic():
    models = by_name("import numpy as np\n"
                     "from tensorflow import keras\n"
                     "n, steps, features = 128, 200, 5\n"
                     "half = steps // 2\n"
                     "x = np.random.random((n, steps, features))\n"
                     "y = np.zeros((n, half + 1, 2 * features - 1))\n"
                     "model = keras.Sequential([keras.layers.TimeDistributed(keras.layers.Dense(1))])\n"
                     "model.compile(optimizer='adam', loss='mse')\n"
                     "model.fit(x, y)\n"
                     "other = keras.Sequential([keras.layers.Dense(1)])\n"
                     "other.compile(optimizer='adam', loss='mse')\n"
                     "other.fit(np.zeros((n, steps // 0)), np.zeros((n, steps / 3)))\n")
    assert models["model"].training.input_shape == (128, 200, 5)
    assert models["model"].training.target_shape == (128, 101, 9)
    # a division by zero or a non-integer quotient is not a dimension the code shows
    assert models["other"].training.input_shape == (128, None)
    assert models["other"].training.target_shape == (128, None)


def graph_recurrences_of(source: str):
    from nanlint.analysis.models import ModelPicture

    return ModelPicture(ModuleAnalysis.build(cst.parse_module(source))).graph_recurrences


def test_tf1_cells_read_through_stacks_wrappers_factories_and_positions():
    recurrences = graph_recurrences_of(
        "import tensorflow as tf\n"
        "from tensorflow.contrib import rnn\n"
        "x = tf.placeholder(tf.float32, [None, 28, 28])\n"
        "def make_cell(n):\n"
        "    return rnn.BasicLSTMCell(n, 1.0, True, tf.nn.relu)\n"
        "stack = rnn.MultiRNNCell([rnn.DropoutWrapper(make_cell(64), output_keep_prob=0.5) for _ in range(2)])\n"
        "out, _ = tf.nn.dynamic_rnn(stack, x, dtype=tf.float32)\n"
        "fw = tf.compat.v1.nn.rnn_cell.GRUCell(32)\n"
        "bw = tf.nn.rnn_cell.LSTMCell(num_units=16, activation=tf.nn.elu)\n"
        "steps_first = tf.placeholder(tf.float32, (500, None, 3))\n"
        "outs, _ = tf.nn.bidirectional_dynamic_rnn(fw, bw, steps_first, time_major=True, dtype=tf.float32)\n"
        "tf.nn.dynamic_rnn(tf.nn.rnn_cell.MultiRNNCell([fw] * 3), some_input)\n"
    )
    stacked, bidirectional, repeated = recurrences
    assert [(cell.kind, cell.activation, cell.units) for cell in stacked.cells] == [("BasicLSTMCell", "relu", 64)]
    assert stacked.steps == 28
    assert [(cell.kind, cell.activation, cell.units) for cell in bidirectional.cells] == [("GRUCell", None, 32),
                                                                                          ("LSTMCell", "elu", 16)]
    assert bidirectional.steps == 500  # time_major: the time axis is the first
    assert [cell.kind for cell in repeated.cells] == ["GRUCell"] and repeated.steps is None


def test_keras_layers_are_not_tf1_cells_and_unknown_cells_make_no_recurrence():
    assert graph_recurrences_of(
        "import tensorflow as tf\n"
        "cell = MyCell(10)\n"
        "tf.nn.dynamic_rnn(cell, x)\n"
        "tf.nn.dynamic_rnn(tf.keras.layers.Dense(3), x)\n"
    ) == ()


def test_nan103_relu_tf1_cells_reported_once_per_recurrence_unless_short_or_forward_only():
    stacked = (
        "import tensorflow as tf\n"
        "from tensorflow.nn.rnn_cell import LSTMCell, MultiRNNCell\n"
        "def encode(embedded, lengths):\n"
        "    act = tf.nn.relu\n"
        "    cells = [LSTMCell(num_units=100, activation=act), LSTMCell(num_units=10, activation=act)]\n"
        "    _, states = tf.nn.dynamic_rnn(cell=MultiRNNCell(cells), inputs=embedded, sequence_length=lengths,\n"
        "                                  dtype=tf.float32)\n"
        "    return states\n"
    )
    findings = [f for f in lint_text(stacked, "m.py").findings if f.code == "NAN103"]
    assert [(f.line, f.col) for f in findings] == [(5, 14)]
    assert "LSTMCell(activation='relu')" in findings[0].message
    assert "sequence length is not a constant" in findings[0].message
    # 28 steps of a placeholder (measured finite for relu LSTMs over 64 steps on unit inputs); tanh cells
    short = ("import tensorflow as tf\n"
             "x = tf.placeholder(tf.float32, [None, 28, 28])\n"
             "cell = tf.nn.rnn_cell.BasicLSTMCell(64, activation=tf.nn.relu)\n"
             "out, _ = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)\n")
    tanh = stacked.replace("tf.nn.relu", "tf.nn.tanh")
    assert not [f for f in lint_text(short, "m.py").findings + lint_text(tanh, "m.py").findings if f.code == "NAN103"]
    long = short.replace("[None, 28, 28]", "[None, 400, 28]")
    assert [f.line for f in lint_text(long, "m.py").findings if f.code == "NAN103"] == [3]
    # a function given to dataset.map runs forward only
    mapped = stacked + "dataset = dataset.map(encode)\n"
    assert not [f for f in lint_text(mapped, "m.py").findings if f.code == "NAN103"]


def test_nan107_graph_data_shown_value_by_value_is_judged_by_its_mean_curvature():
    """x = 5, 10, ..., 40: lr x mean(x^2) measured NaN at 1.02 (lr 1.6e-3) and finite at 0.96 (lr 1.5e-3); the
    largest value (40^2) would call both, and lr 1e-3, divergent."""
    graph = ("import numpy as np\n"
             "import tensorflow as tf\n"
             "x_data = {data}\n"
             "w = tf.Variable(tf.random_normal([1]))\n"
             "b = tf.Variable(tf.random_normal([1]))\n"
             "cost = tf.reduce_mean(tf.square(x_data * w + b - [2, 4, 6, 8, 10, 12, 14, 16]))\n"
             "train = tf.train.GradientDescentOptimizer({lr}).minimize(cost)\n"
             "with tf.Session() as sess:\n"
             "    sess.run(train)\n")

    def nan107(data: str, lr: float) -> list[str]:
        return [f.message for f in lint_text(graph.format(data=data, lr=lr), "g.py").findings if f.code == "NAN107"]

    literal = "[5, 10, 15, 20, 25, 30, 35, 40]"
    (message,) = nan107(literal, 0.0016)
    assert "mean(x^2) 637.5 = 1.02" in message
    assert nan107(literal, 0.0015) == [] and nan107(literal, 0.001) == []
    # the same values as a range, and scaled by a constant: the mean square follows
    assert nan107("range(5, 45, 5)", 0.0016) and not nan107("range(5, 45, 5)", 0.0015)
    assert nan107("np.linspace(5, 40, 8)", 0.0016) and not nan107("np.linspace(5, 40, 8)", 0.0015)
    assert nan107(f"np.array({literal}) / 10.0", 0.16) and not nan107(f"np.array({literal}) / 10.0", 0.15)


def test_nan107_a_graph_is_judged_as_least_squares_only_when_its_loss_squares():
    """A logistic regression's cross-entropy has gradient (p - y) x, bounded by the inputs: gradient descent moves
    the weights at most lr x |x| a step and does not overshoot to NaN as on a squared error (blind15: the CSDN
    sigmoid classifier, inputs uniform(-100, 100) at lr 0.5, trains finite once its logs are guarded)."""
    graph = ("import numpy as np\n"
             "import tensorflow as tf\n"
             "x = tf.placeholder(tf.float32, [None, 30])\n"
             "y = tf.placeholder(tf.float32, [None, 1])\n"
             "W = tf.Variable(tf.truncated_normal([30, 1], stddev=0.1))\n"
             "b = tf.Variable(tf.zeros([1]))\n"
             "a = {head}\n"
             "def cost(y, a):\n"
             "    return {loss}\n"
             "loss = tf.reduce_mean({outer})\n"
             "train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)\n"
             "data = np.random.uniform(-100.0, 100.0, (1000, 30))\n"
             "with tf.Session() as sess:\n"
             "    sess.run(train, feed_dict={{x: data, y: data[:, :1]}})\n")

    def nan107(head: str, loss: str, outer: str = "cost(y, a)") -> list[int]:
        text = graph.format(head=head, loss=loss, outer=outer)
        return [f.line for f in lint_text(text, "g.py").findings if f.code == "NAN107"]

    cross_entropy = "-(y * tf.log(a + 1e-10) + (1 - y) * tf.log(1 - a + 1e-10))"
    assert nan107("tf.sigmoid(tf.matmul(x, W) + b)", cross_entropy) == []
    assert nan107("tf.matmul(x, W) + b", "0", "tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=a)") == []
    # a squared error on the same data and rate: lr x mean(x^2) 3333 overshoots
    assert nan107("tf.matmul(x, W) + b", "0", "tf.square(a - y)") == [11]
    # ... also where a helper squares it
    assert nan107("tf.matmul(x, W) + b", "tf.square(a - y)") == [11]
    # a square of a residual in any spelling is least squares; a weight decay's square of the weights is not
    assert nan107("tf.matmul(x, W) + b", "0", "tf.pow(a - y, 2)") == [11]
    assert nan107("tf.matmul(x, W) + b", "0", "tf.nn.l2_loss(a - y)") == [11]
    assert nan107("tf.sigmoid(tf.matmul(x, W) + b)", cross_entropy + " + 1e-3 * tf.nn.l2_loss(W)") == []


def test_make_regression_targets_and_sgd_momentum_in_the_training_setup():
    (model,) = models_of(
        "from keras import Sequential, layers, optimizers\n"
        "from sklearn.datasets import make_regression\n"
        "X, y = make_regression(n_samples=1000, n_features=20, noise=0.1, random_state=1)\n"
        "model = Sequential([layers.Dense(25, input_dim=20, activation='relu'), layers.Dense(1)])\n"
        "model.compile(loss='mse', optimizer=optimizers.SGD(0.01, 0.9))\n"
        "model.fit(X[:500], y[:500])\n"
    )
    setup = model.setup
    (optimizer,) = setup.optimizers
    assert (optimizer.learning_rate, optimizer.momentum) == (0.01, 0.9)
    assert setup.data_scale.centered and setup.data_scale.rms == 1.0  # X is N(0, 1)
    # 10 informative features with coefficients 100 x U[0, 1): sqrt(10 x 100^2 / 3 + 0.1^2)
    assert abs(setup.target_scale.rms - 182.57) < 0.01 and not setup.target_scale.centered


def test_nan107_targets_by_root_mean_square_need_a_measured_nan_in_features_momentum_and_rate():
    source = ("from keras import Sequential, layers, optimizers\n"
              "from sklearn.datasets import make_regression\n"
              "X, y = make_regression(n_samples=1000, n_features={features}, noise=0.1)\n"
              "model = Sequential([layers.Dense(25, input_dim={features}, activation='relu'), layers.Dense(1)])\n"
              "model.compile(loss='mse', optimizer=optimizers.SGD(learning_rate={lr}, momentum={momentum}))\n"
              "model.fit(X, y)\n")

    def lines(features: int, lr: float, momentum: float) -> list[int]:
        text = source.format(features=features, lr=lr, momentum=momentum)
        return [f.line for f in lint_text(text, "m.py").findings if f.code == "NAN107"]

    assert lines(20, 0.01, 0.9) == [5]  # 1.83 with momentum: measured NaN from 0.46
    assert lines(20, 0.001, 0.9) == []  # 0.18: measured finite at 0.15, NaN only from 0.46
    assert lines(20, 0.01, 0.0) == [5]  # 1.83 without momentum: NaN from 1.53
    assert lines(20, 0.005, 0.0) == []  # 0.91: measured finite at 0.77
    assert lines(1, 0.01, 0.0) == []  # 1 informative feature: T ~58, lr x T 0.58


def test_keras_rnn_layer_takes_its_cells_activation_and_nan103_reads_it():
    source = ("import keras\n"
              "from keras import layers\n"
              "model = keras.Sequential([keras.Input((None, 8)), layers.RNN({cells}), layers.Dense(1)])\n"
              "model.compile('adam', 'mse')\n"
              "model.fit(x, y)\n")
    relu = source.format(cells="layers.LSTMCell(64, activation='relu')")
    (model,) = models_of(relu)
    assert model.layers[0].kind == "RNN" and model.layers[0].activation == "relu"
    (finding,) = [f for f in lint_text(relu, "m.py").findings if f.code == "NAN103"]
    assert finding.line == 3 and "RNN over cells with activation='relu'" in finding.message
    stacked_tanh = source.format(cells="[layers.GRUCell(8), layers.GRUCell(8)]")
    (model,) = models_of(stacked_tanh)
    assert model.layers[0].activation is None and model.layers[0].applied_activation == "tanh"
    assert not [f for f in lint_text(stacked_tanh, "m.py").findings if f.code == "NAN103"]


def test_random_draws_with_their_bounds_are_magnitude_sources():
    source = ("import numpy as np\n"
              "import tensorflow as tf\n"
              "from tensorflow import keras\n"
              "x = {draw}\n"
              "model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])\n"
              "model.compile(optimizer=keras.optimizers.SGD({lr}), loss='mse')\n"
              "model.fit(x, 3 * x)\n")

    def scale(draw: str):
        (model,) = models_of(source.format(draw=draw, lr=0.01))
        return model.setup.data_scale

    uniform = scale("np.random.uniform(0, 500, (1000, 1))")
    assert uniform.magnitude == 500 and abs(uniform.rms - 500 / 3 ** 0.5) < 1e-6
    assert scale("np.random.randint(256, size=(100, 1))").magnitude == 256
    normal = scale("np.random.normal(50, 10, (100, 1))")
    assert normal.magnitude == 80 and abs(normal.rms - (50 ** 2 + 10 ** 2) ** 0.5) < 1e-6
    assert scale("tf.random.uniform((100, 1), maxval=100)").magnitude == 100
    # the unit-scale defaults stay unit-scale random data
    assert scale("np.random.uniform(size=(100, 1))").magnitude == 1.0 and scale("np.random.rand(100, 1)").rms is None

    def nan107(draw: str, lr: float) -> list[int]:
        return [f.line for f in lint_text(source.format(draw=draw, lr=lr), "m.py").findings if f.code == "NAN107"]

    assert nan107("np.random.uniform(0, 500, (1000, 1))", 0.01) == [6]  # lr x mean(x^2) = 833
    assert nan107("np.random.normal(0, 10, (1000, 1))", 0.001) == []  # 0.001 x 100


def test_ids_fed_to_an_embedding_are_not_a_scale():
    """tf_keras' memory benchmark: token ids up to 1999 into an Embedding, `compile("sgd", "mse")`."""
    source = ("import numpy as np\n"
              "from tensorflow import keras\n"
              "x_train = np.random.randint(0, 1999, size=(2500, 100))\n"
              "model = keras.Sequential()\n"
              "model.add(keras.layers.Embedding(20000, 128))\n"
              "model.add(keras.layers.LSTM(128, activation='relu'))\n"
              "model.add(keras.layers.Dense(1, activation='sigmoid'))\n"
              "model.compile('sgd', 'mse')\n"
              "model.fit(x_train, np.random.random((2500, 1)))\n")
    (model,) = models_of(source)
    assert model.setup.data_scale is None and model.setup.input_scale is None
    findings = lint_text(source, "m.py").findings
    assert not [f for f in findings if f.code == "NAN107"]
    # the relu LSTM is still judged, by its unknown length, not by the ids' size
    assert [f.message for f in findings if f.code == "NAN103" and "randint" in f.message] == []


LOSS_OBJECT_ON_MODEL = """\
import tensorflow as tf

model = tf.keras.Sequential([tf.keras.layers.Dense(64, activation='relu'), tf.keras.layers.Dense(10{head})])
loss_object = tf.keras.losses.SparseCategoricalCrossentropy({args})


def train_step(x, y):
    direct = tf.keras.losses.SparseCategoricalCrossentropy({args})(y, model(x, training=True))
    return direct + loss_object(y, model(x))


class Trainer:
    def __init__(self, net):
        self.net = net
        self.loss_fn = tf.keras.losses.SparseCategoricalCrossentropy({args})

    def step(self, x, y):
        return self.loss_fn(y, model(x)) + self.loss_fn(y, self.net(x))
"""


def test_from_logits_loss_object_called_on_a_softmax_model_output():
    def nan104(head: str, args: str) -> list[int]:
        source = LOSS_OBJECT_ON_MODEL.format(head=head, args=args)
        return [f.line for f in lint_text(source, "m.py").findings if f.code == "NAN104"]

    # the loss object called inline, through a name and through a `self.` attribute on the softmax model's output;
    # `self.net` is handed in, so its head is unknown and nothing is claimed
    assert nan104(", activation='softmax'", "from_logits=True") == [8, 9, 18]
    assert nan104("", "from_logits=True") == []  # the head outputs logits
    assert nan104(", activation='softmax'", "") == []  # the loss expects probabilities


BUILT_DISCRIMINATOR = """\
import tensorflow as tf
from tensorflow.keras.layers import Dense, Dropout, Flatten


def build_discriminator(image_shape, head={head!r}):
    model = tf.keras.Sequential()
    model.add(Flatten(input_shape=image_shape))
    for units in (64, 32):
        model.add(Dense(units, activation='relu'))
    model.add(Dense(1, activation=head))
    model.add(Dropout(0.1))
    return model


cross_entropy = tf.keras.losses.BinaryCrossentropy(from_logits=True)
discriminator = build_discriminator((28, 28, 1))


def discriminator_loss(real_output, fake_output):
    return cross_entropy(tf.ones_like(real_output), real_output) + cross_entropy(tf.zeros_like(fake_output),
                                                                                 fake_output)


def train_step(images, fakes):
    with tf.GradientTape() as tape:
        loss = discriminator_loss(discriminator(images, training=True), discriminator(fakes, training=True))
    return tape.gradient(loss, discriminator.trainable_variables)
"""


def test_a_sequential_built_with_add_in_a_builder_gives_its_last_layer_to_the_value_analysis():
    """The DCGAN-tutorial shape: a discriminator built by `.add()` in a builder function ending in a sigmoid, its
    outputs handed to a helper that applies a from_logits=True loss object (t81_558#81). The value analysis reads
    the Sequential's output layer from the model picture (layers added in loops and past a trailing Dropout), not
    only from a literal list."""
    def nan104(head: str) -> list[int]:
        source = BUILT_DISCRIMINATOR.format(head=head)
        return [f.line for f in lint_text(source, "m.py").findings if f.code == "NAN104"]

    assert nan104("sigmoid") == [20, 20]  # the real and the fake half of the loss
    assert nan104("linear") == []  # the tutorial's own discriminator outputs logits
    assert nan104("tanh") == []  # not squashed into [0, 1]: nothing this rule claims


GRAPH_HEAD = """import tensorflow as tf
import tflearn
X = tf.placeholder(tf.float32, [None, 784])
Y = tf.placeholder(tf.float32, [None, 10])
net = {head}
loss = tf.reduce_mean({loss})
"""


def test_with_logits_ops_on_a_tflearn_head_and_in_tf0_argument_order():
    def nan104(head: str, loss: str, graph: bool = True) -> list[int]:
        source = GRAPH_HEAD.format(head=head, loss=loss)
        if not graph:  # TF 2 code: no placeholder, (labels, logits) when positional
            source = source.replace("tf.placeholder(tf.float32, [None, 784])", "tf.ones([8, 784])").replace(
                "tf.placeholder(tf.float32, [None, 10])", "tf.ones([8, 10])")
        return [f.line for f in lint_text(source, "m.py").findings if f.code == "NAN104"]

    softmax_head = "tflearn.fully_connected(X, 10, activation='softmax')"
    # TFLearn's fully_connected applies its `activation` (linear by default); TF 0.x's positional order is
    # (logits, labels), which graph code (placeholders, a Session) is written for: TF 1.x takes keywords only
    assert nan104(softmax_head, "tf.nn.softmax_cross_entropy_with_logits(net, Y)") == [6]
    assert nan104(softmax_head, "tf.nn.softmax_cross_entropy_with_logits(logits=net, labels=Y)") == [6]
    assert nan104("tflearn.fully_connected(X, 10)", "tf.nn.softmax_cross_entropy_with_logits(net, Y)") == []
    assert nan104("tflearn.layers.core.fully_connected(X, 10, 'softmax')",
                  "tf.nn.softmax_cross_entropy_with_logits(net, Y)") == [6]
    # in TF 2 code the positional order is (labels, logits): the softmax output is the labels there
    assert nan104(softmax_head, "tf.nn.softmax_cross_entropy_with_logits(net, Y)", graph=False) == []
    assert nan104(softmax_head, "tf.nn.softmax_cross_entropy_with_logits(Y, net)", graph=False) == [6]


CONCAT_LOGITS = """import tensorflow as tf


def decode(conv, boxes):
    raw_conf, raw_prob = tf.split(conv, (1, 3), axis=-1)
    return tf.concat([{first}, tf.sigmoid(raw_conf), tf.sigmoid(raw_prob)], axis=-1)


def loss(conv, boxes, labels):
    pred = decode(conv, boxes)
    return tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=pred)
"""


def test_a_concatenation_is_a_probability_only_where_every_part_is():
    """A YOLO-style decode concatenates box coordinates with sigmoid confidences (tensorflow-yolov4-tflite#157):
    the result holds the sigmoids' zeros, but it is no squashed output as a whole, so handing it (or its box
    channels) to a *_with_logits op claims nothing; a concatenation of sigmoids alone still is one."""
    def nan104(first: str) -> list[int]:
        source = CONCAT_LOGITS.format(first=first)
        return [f.line for f in lint_text(source, "m.py").findings if f.code == "NAN104"]

    assert nan104("boxes") == []
    assert nan104("tf.sigmoid(boxes)") == [11]
    mixed = ModuleAnalysis.build(cst.parse_module(CONCAT_LOGITS.format(first="boxes")))
    (call,) = [c for c in mixed.calls if mixed.code_of(c.node).startswith("tf.nn.sigmoid_cross_entropy")]
    value = mixed.values.of(cst.ensure_type(call.node, cst.Call).args[1].value, call.site)
    assert value.zero_when is not None and value.producer is not None and not value.is_probability


FOCAL_LOGITS = """import tensorflow as tf


def compute_loss(pred, conv, label):
    raw_conf = {logits}
    pred_conf = pred[:, :, :, :, 4:5]
    respond = label[:, :, :, :, 4:5]
    focal = {weight}
    return focal * tf.nn.sigmoid_cross_entropy_with_logits(labels=respond, logits=raw_conf)
"""


def test_logits_the_same_function_squares_against_the_labels_are_read_as_a_probability():
    """tensorflow-yolov4-tflite#157: one slice of the prediction is a focal weight's probability (its squared
    difference from the labels) and the logits of a sigmoid cross-entropy; the fix takes the logits from the raw
    output. Only the same value (behind its names, reading the same bindings) against the same labels counts."""
    def nan104(logits: str, weight: str = "tf.pow(respond - pred_conf, 2)") -> list[int]:
        source = FOCAL_LOGITS.format(logits=logits, weight=weight)
        return [f.line for f in lint_text(source, "m.py").findings if f.code == "NAN104"]

    assert nan104("pred[:, :, :, :, 4:5]") == [9]
    assert nan104("pred[:, :, :, :, 4:5]", "(respond - pred_conf) ** 2") == [9]
    assert nan104("pred[:, :, :, :, 4:5]", "tf.square(pred_conf - respond)") == [9]
    assert nan104("conv[:, :, :, :, 4:5]") == []  # the fix: logits from the raw output
    assert nan104("pred[:, :, :, :, 5:6]") == []  # another channel of the prediction
    assert nan104("pred[:, :, :, :, 4:5]", "tf.pow(respond - tf.sigmoid(pred_conf), 2)") == []  # squashed first
    assert nan104("pred[:, :, :, :, 4:5]", "tf.pow(label[:, :, :, :, 0:1] - pred_conf, 2)") == []  # other labels
    assert nan104("pred[:, :, :, :, 4:5]", "tf.pow(respond - pred_conf, 3)") == []  # not a squared difference


def test_a_focal_weight_on_a_sigmoid_is_no_least_squares_objective():
    """CornerNet's focal loss (tensorflow_graphics points_to_3Dobjects): `log(p) * pow(1 - p, 2)` weights a
    log-likelihood by the squared distance from 1; only a squared error that is itself the objective (weighted or
    not, in any spelling) is a least-squares fit on the sigmoid."""
    source = (
        "import tensorflow as tf\n"
        "def focal(prediction, gt):\n"
        "    p = tf.math.sigmoid(prediction)\n"
        "    positive = tf.math.log(p) * tf.math.pow(1 - p, 2) * gt\n"
        "    ce = tf.keras.losses.binary_crossentropy(gt, p)\n"
        "    modulated = ce * (1 - p) ** 2\n"
        "    lsgan = tf.reduce_mean(tf.pow(p - 1.0, 2))\n"
        "    weighted = tf.reduce_mean(gt * tf.square(p - 1.0))\n"
        "    return positive, modulated, lsgan, weighted\n"
    )
    assert [f.line for f in lint_text(source, "m.py").findings if f.code == "NAN104"] == [7, 8]


def _layer_reading(source: str, call_text: str):
    analysis = ModuleAnalysis.build(cst.parse_module(source))
    call = next(c for c in analysis.calls if analysis.code_of(c.node) == call_text)
    return LayerReader(analysis).read(call.node, call.site.scope)


def test_a_loop_target_over_zip_or_enumerate_of_known_tuples_takes_their_elements_activation():
    source = (
        "from keras.layers import LSTM\n"
        "def build(model, funcs=('relu', 'relu'), dims=(64, 32), mixed=('relu', 'tanh'), func='elu'):\n"
        "    for i, (n, act) in enumerate(zip(dims, funcs)):\n"
        "        model.add(LSTM(n, activation=act))\n"
        "    for a in reversed(funcs[::-1]):\n"
        "        model.add(LSTM(1, activation=a))\n"
        "    for b in [func] * 3:\n"
        "        model.add(LSTM(2, activation=b))\n"
        "    for c in mixed:\n"
        "        model.add(LSTM(3, activation=c))\n"
        "    for d in range(3):\n"
        "        model.add(LSTM(4, activation=d))\n"
    )
    assert _layer_reading(source, "LSTM(n, activation=act)").activation == "relu"
    assert _layer_reading(source, "LSTM(1, activation=a)").activation == "relu"
    assert _layer_reading(source, "LSTM(2, activation=b)").activation == "elu"
    assert _layer_reading(source, "LSTM(3, activation=c)").activation is None  # the elements disagree
    assert _layer_reading(source, "LSTM(4, activation=d)").activation is None  # not values the reader sees


def test_a_config_dict_carries_what_update_and_setdefault_add_to_a_splatted_call():
    source = (
        "from keras.layers import LSTM\n"
        "def build(model, act='relu', user=None):\n"
        "    kwargs = {'return_sequences': True}\n"
        "    kwargs.update(dict(activation=act, input_shape=(10, 3)))\n"
        "    kwargs.setdefault('activation', 'tanh')\n"
        "    model.add(LSTM(8, **kwargs))\n"
        "    unknown = dict(activation='relu')\n"
        "    unknown.update(user)\n"
        "    model.add(LSTM(9, **unknown))\n"
    )
    layer = _layer_reading(source, "LSTM(8, **kwargs)")
    assert (layer.activation, layer.returns_sequences, layer.input_shape) == ("relu", True, (10, 3))
    assert _layer_reading(source, "LSTM(9, **unknown)").activation is None  # an update of keys not known


def test_a_loop_over_names_bound_to_each_other_is_unknown_and_ends():
    source = (
        "from keras.layers import LSTM\n"
        "a = b\n"
        "b = a\n"
        "for f in a:\n"
        "    LSTM(3, activation=f)\n"
    )
    assert _layer_reading(source, "LSTM(3, activation=f)").activation is None


@pytest.mark.parametrize("path, rate, reported", [
    ("train.py", "0", True),
    ("train.py", "-0.01", True),
    # megnet's tests/test_callbacks.py: "Learning rate to 0 so model doesn't actually optimize"
    ("tests/test_callbacks.py", "0", False),
    ("tests/test_callbacks.py", "-0.01", True),  # a negative rate ascends the loss, in a test too
])
def test_a_learning_rate_of_zero_in_a_test_is_a_frozen_optimizer(path, rate, reported):
    source = ("import numpy as np\nfrom tensorflow import keras\n"
              "model = keras.Sequential([keras.layers.Dense(1)])\n"
              f"model.compile(loss='mse', optimizer=keras.optimizers.Adam(learning_rate={rate}))\n"
              "model.fit(np.zeros((4, 2)), np.zeros((4, 1)))\n")
    findings = [f for f in lint_text(source, path).findings if f.code == "NAN107"]
    assert bool(findings) is reported
