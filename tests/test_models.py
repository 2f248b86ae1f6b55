"""The static model picture (nanlint/analysis/models.py) for each way a Keras model is built."""

from __future__ import annotations

import libcst as cst

from nanlint.analysis.module import ModuleAnalysis


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


def test_custom_output_layer_leaves_the_output_activation_unknown():
    (model,) = models_of(
        "import keras\n"
        "from mylib import Custom\n"
        "model = keras.Sequential()\n"
        "model.add(keras.layers.Dense(1, activation='sigmoid'))\n"
        "model.add(Custom())\n"
    )
    assert kinds(model)[0] == "Dense" and model.output_activation() is None
