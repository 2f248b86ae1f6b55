"""analysis/samples.py: when a NumPy spread over data (data preparation) is 0 by construction."""

from __future__ import annotations

import textwrap

import pytest

from nanlint.analysis.values import Producer
from analysis_support import analysis_of


def _divisor_values(source: str) -> list[tuple[str, Producer | None, str | None]]:
    """(denominator, its producer, why it is 0) for every division of the module, in order."""
    analysis = analysis_of("import numpy as np\nfrom keras.datasets import mnist\n" + textwrap.dedent(source))
    found = []
    for division in analysis.divisions():
        value = analysis.values.of(division.denominator, division.site)
        found.append((analysis.code_of(division.denominator), value.producer, value.zero_because))
    return found


@pytest.mark.parametrize("source", [
    # deep-speaker: each frame standardized by its own std (a silent frame is constant)
    "def normalize_frames(m):\n    return [(v - np.mean(v)) / np.std(v) for v in m]\n",
    # a loop's element, also through enumerate and zip
    "def f(m):\n    for i, v in enumerate(m):\n        yield v / v.std()\n",
    "def f(m, n):\n    for a, v in zip(n, m):\n        yield v / np.var(v)\n",
])
def test_the_spread_of_one_item_of_the_data_is_zero_for_a_constant_item(source):
    [(_, producer, why)] = _divisor_values(source)
    assert producer in (Producer.STD, Producer.VARIANCE)
    assert why is not None and "one element of `m`" in why


@pytest.mark.parametrize("source", [
    # whole arrays of a literal list, named arrays of a dict, numbers of a range: not items of one data set
    "def f(a, b):\n    for x in [a, b]:\n        yield x / x.std()\n",
    "def f(a, b):\n    splits = (a, b)\n    for x in splits:\n        yield x / x.std()\n",
    "def f(d):\n    for k, x in d.items():\n        yield x / x.std()\n",
    "def f(n):\n    for x in range(n):\n        yield x / np.std(x)\n",
    # a per-feature statistic of each batch: over the samples of the batch
    "def f(batches):\n    for b in batches:\n        yield b / b.std(axis=0)\n",
])
def test_elements_that_are_not_one_item_are_data_sets(source):
    [(_, producer, _)] = _divisor_values(source)
    assert producer is None


def test_a_class_that_keeps_a_fitted_per_feature_std_without_a_zero_guard_divides_by_zero():
    # fv3fit's StandardScaler (cast to float32 on the way) and Keras 0.3's ImageDataGenerator (divided in fit too)
    [(_, producer, why), (_, fit_producer, _)] = _divisor_values("""
        class StandardScaler:
            def fit(self, data):
                self.std = data.std(axis=0).astype(np.float32)
            def normalize(self, data):
                return data / self.std
        class ImageDataGenerator:
            def fit(self, X):
                self.std = np.std(X, axis=0)
                X /= self.std
        """)
    assert producer is fit_producer is Producer.STD
    assert why is not None and "`StandardScaler` is fitted to" in why and "`self.std`" in why


@pytest.mark.parametrize("guard", [
    "self.std[self.std == 0] = 1",
    # statsmodels' StandardizeTransform: the constant columns found, then set to 1
    "idx = np.nonzero(self.std == 0)[0]\n                self.std[idx] = 1",
])
def test_a_fitted_std_whose_zero_entries_are_replaced_is_not_reported(guard):
    assert _divisor_values(f"""
        class Scaler:
            def fit(self, data):
                self.std = np.std(data, axis=0)
                {guard}
            def transform(self, data):
                return data / self.std
        """) == [("self.std", None, None)]


def test_the_guard_may_be_on_an_attribute_computed_from_the_fitted_statistic():
    # albumentations' StandardScaler: the variance is kept, its square root guarded and divided by
    assert _divisor_values("""
        class Scaler:
            def fit(self, x):
                self.var = np.var(x, axis=0)
                self.scale = np.sqrt(self.var)
                self.scale[self.scale == 0] = 1
            def transform(self, x):
                return x / self.scale
        """) == [("self.scale", None, None)]


@pytest.mark.parametrize("source", [
    # a function over a data set (timeseries, tabular features): 0 only for a constant column, not shown
    "def standardize(data):\n    return data / data.std(axis=0)\n",
    # a class that keeps a whole-array spread (deepchem's CoulombFitTransformer): not per feature
    "class T:\n    def fit(self, X):\n        self.std = (X - X.mean(axis=0)).std()\n"
    "    def transform(self, X):\n        return X / self.std\n",
    # a statistic computed in a method and not kept
    "class T:\n    def score(self, X, y):\n        return y / X.std(axis=0)\n",
])
def test_spreads_over_samples_the_code_does_not_show_constant_stay_unreported(source):
    assert [producer for _, producer, _ in _divisor_values(source)] == [None]


def test_a_per_pixel_std_over_mnist_is_zero_at_the_border_pixels():
    found = _divisor_values("""
        (X_train, y_train), (X_test, y_test) = mnist.load_data()
        X_train = X_train.reshape(60000, 784).astype('float32') / 255.0
        std = X_train.std(axis=0)
        X_train = (X_train - X_train.mean(axis=0)) / std
        whole = np.var(X_train)
        scaled = X_train / whole
        """)
    assert ("255.0", None, None) in found
    [(_, producer, why)] = [entry for entry in found if entry[0] == "std"]
    assert producer is Producer.STD and why is not None and "MNIST" in why and "`X_train`" in why
    # the variance of the whole data set is not 0
    assert ("whole", None, None) in found


def test_tf1_tutorial_mnist_images_are_mnist_and_cifar_is_not():
    analysis = analysis_of(textwrap.dedent("""
        import numpy as np
        from tensorflow.examples.tutorials.mnist import input_data
        from keras.datasets import cifar10
        mnist = input_data.read_data_sets("MNIST_data/")
        images = mnist.train.images
        a = images / images.std(axis=0)
        (x, _), _ = cifar10.load_data()
        b = x / x.std(axis=0)
        """))
    producers = [analysis.values.of(d.denominator, d.site).producer for d in analysis.divisions()]
    assert producers == [Producer.STD, None]


def test_the_message_names_the_fitted_attribute_and_scikit_learns_guard():
    from nanlint.linter import lint_text
    from nanlint.selection import Selection

    source = textwrap.dedent("""
        import numpy as np
        class Scaler:
            def fit(self, data):
                self.std = np.std(data, axis=0)
            def transform(self, data):
                return data / self.std
        """)
    [finding] = lint_text(source, "x.py", Selection(select=("NAN002",))).findings
    assert "`self.std` keeps the per-feature standard deviation over axis 0" in finding.message
    assert "`std[std == 0] = 1`" in finding.message


def test_a_tensorflow_spread_over_the_data_an_object_is_built_from_is_data_preparation():
    """BayesFlow's ActNorm: `__init__` calls `self._initialize(act_norm_init)`, which scales the flow by
    `1 / tf.math.reduce_std(init_data, axis=0)` (or `axis=(0, 1)`) of the simulations it is given: a statistic of a
    data set, 0 only for a parameter constant over all of them. The same spread in `call` (a batch: a batch of one
    is constant), or in a method something else calls too, stays a hazard."""
    source = """
        import tensorflow as tf

        class ActNorm(tf.keras.layers.Layer):
            def __init__(self, init_data):
                super().__init__()
                self._initialize(init_data)
                offset = 1.0 / tf.math.reduce_std(init_data, axis=(0, 1))
                self.offset = tf.Variable(offset)

            def _initialize(self, init_data):
                std = tf.math.reduce_std(init_data, axis=0)
                scale = 1.0 / std
                self.scale = tf.Variable(scale, trainable=True)

            def refit(self, data):
                return 1.0 / tf.math.reduce_std(data, axis=0) + self._shared(data)

            def _shared(self, data):
                return 1.0 / tf.math.reduce_std(data, axis=0)

            def __call__(self, x):
                return x / tf.math.reduce_std(x, axis=0) + self._shared(x)
    """
    assert [producer for _, producer, _ in _divisor_values(source)] == [
        None, None, Producer.STD, Producer.STD, Producer.STD]


def test_a_column_of_a_pandas_table_is_over_the_samples():
    """kgcnn's periodic table standardises each column of the CSV it reads (`self.data = pd.read_csv(path)`,
    `(self.data[c] - self.data[c].mean()) / self.data[c].std()`), tfts a `df: pd.DataFrame` target column: a
    DataFrame's rows are the samples, so `df[column]` is a column of the data set, like `x.std(axis=0)`, not one
    item, as a NumPy row `m[i]` (still reported) is."""
    source = """
        import pandas as pd

        class PeriodicTable:
            def __init__(self, csv_path):
                self.data = pd.read_csv(csv_path)
                self._normalize_column("AtomicMass")

            def _normalize_column(self, column):
                self.data[column] = (self.data[column] - self.data[column].mean()) / self.data[column].std()

        def standardize(df: pd.DataFrame, target):
            return df[target] / df[target].std()

        def cleaned(path, target):
            df = pd.read_csv(path).dropna()
            return df[target] / df[target].std()

        def per_row(m, i):
            return m[i] / m[i].std()

        def per_key(d: dict, key):
            return d[key] / d[key].std()
    """
    assert [producer for _, producer, _ in _divisor_values(source)] == [None, None, None, Producer.STD, Producer.STD]
