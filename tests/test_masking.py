"""Keras Masking sentinels on their own (nanlint/analysis/masking.py): which sentinels let a NaN through, and the
Keras run that says so."""

from __future__ import annotations

import math
import textwrap

import pytest
from analysis_support import analysis_of

from nanlint.analysis.masking import masking_sentinels

# Each model: mask_value, loss, and how its targets are padded. Only nan_mask, nan_by_name and overflow_padded let
# a NaN through; overflow_unpadded does under a guess (targets padded with the sentinel, not shown).
MODELS = """
import numpy as np
import keras
from keras import layers
from keras.preprocessing.sequence import pad_sequences

PAD = float("nan")
BIG = 1e20


def model(mask_value, loss):
    inp = keras.Input(shape=(10, 4))
    out = layers.Dense(4)(layers.LSTM(8, return_sequences=True)(layers.Masking(mask_value=mask_value)(inp)))
    built = keras.Model(inp, out)
    built.compile(optimizer="sgd", loss=loss)
    return built


nan_mask = keras.Sequential([layers.Masking(mask_value=np.nan, input_shape=(10, 4)), layers.LSTM(8)])
nan_by_name = keras.Sequential([layers.Masking(mask_value=PAD, input_shape=(10, 4)), layers.LSTM(8)])
infinite = keras.Sequential([layers.Masking(mask_value=float("inf"), input_shape=(10, 4)), layers.LSTM(8)])

overflow_padded = keras.Sequential([layers.Masking(mask_value=BIG, input_shape=(10, 4)),
                                    layers.LSTM(8, return_sequences=True), layers.Dense(4)])
overflow_padded.compile(optimizer="sgd", loss="mse")
x = np.random.rand(6, 10, 4)
y = x + 1
x[1, 3:, :] = BIG
y[1, 3:, :] = BIG
overflow_padded.test_on_batch(x, y)

overflow_unpadded = keras.Sequential([layers.Masking(mask_value=1e20, input_shape=(10, 4)),
                                      layers.LSTM(8, return_sequences=True), layers.Dense(4)])
overflow_unpadded.compile(optimizer="sgd", loss="mse")
overflow_unpadded.fit(x, x + 1)

absolute = keras.Sequential([layers.Masking(mask_value=1e20, input_shape=(10, 4)),
                             layers.LSTM(8, return_sequences=True), layers.Dense(4)])
absolute.compile(optimizer="sgd", loss="mae")
absolute.fit(x, y)

fits = keras.Sequential([layers.Masking(mask_value=1e18, input_shape=(10, 4)),
                         layers.LSTM(8, return_sequences=True), layers.Dense(4)])
fits.compile(optimizer="sgd", loss="mse")
fits.fit(x, pad_sequences(y, value=1e18))

summed = keras.Sequential([layers.Masking(mask_value=1e19, input_shape=(10, 4)),
                           layers.LSTM(8, return_sequences=True), layers.Dense(4)])
summed.compile(optimizer="sgd", loss="mean_squared_error")
targets = pad_sequences(y, value=1e19, dtype="float32")
summed.fit(x, targets)
"""


def test_which_sentinels_let_a_nan_through() -> None:
    analysis = analysis_of(MODELS)
    found = {analysis.position(sentinel.layer).start.line: sentinel for sentinel in masking_sentinels(analysis)}
    lines = MODELS.splitlines()
    by_model = {lines[line - 1].split("=")[0].strip(): sentinel for line, sentinel in found.items()}
    assert sorted(by_model) == ["nan_by_name", "nan_mask", "overflow_padded", "overflow_unpadded", "summed"]
    assert math.isnan(by_model["nan_mask"].value) and by_model["nan_mask"].padded_targets is None
    assert analysis.code_of(by_model["nan_by_name"].written) == 'float("nan")'  # reported where it is written
    padded = by_model["overflow_padded"]
    assert (padded.value, padded.loss, padded.features) == (1e20, "mse", 4)
    assert analysis.code_of(padded.padded_targets).strip() == "y[1, 3:, :] = BIG"
    assert by_model["overflow_unpadded"].padded_targets is None
    # 1e19 squared fits float32 (1e38), summed over 4 features it does not; pad_sequences pads the targets
    assert by_model["summed"].features == 4
    assert analysis.code_of(by_model["summed"].padded_targets).startswith("pad_sequences(")


@pytest.mark.tensorflow
def test_keras_gives_nan_losses_exactly_for_those_sentinels() -> None:
    pytest.importorskip("keras")
    import subprocess
    import sys

    script = textwrap.dedent("""
        import numpy as np
        import keras
        from keras import layers

        def loss_of(mask_value, pad, target_pad, loss="mse"):
            inp = keras.Input(shape=(10, 4))
            out = layers.Dense(4)(layers.LSTM(8, return_sequences=True)(layers.Masking(mask_value=mask_value)(inp)))
            model = keras.Model(inp, out)
            model.compile(optimizer="sgd", loss=loss)
            x = np.random.rand(6, 10, 4).astype("float32")
            y = x + 1
            x[1, 3:], x[3, 5:] = pad, pad
            y[1, 3:], y[3, 5:] = target_pad, target_pad
            return bool(np.isnan(model.test_on_batch(x, y)))

        print(loss_of(np.nan, np.nan, 0.0), loss_of(float("inf"), np.inf, 0.0), loss_of(1e20, 1e20, 1e20),
              loss_of(1e20, 1e20, 0.0), loss_of(1e20, 1e20, 1e20, "mae"), loss_of(1e19, 1e19, 1e19),
              loss_of(-999.0, -999.0, -999.0))
    """)
    ran = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert ran.returncode == 0, ran.stderr[-2000:]
    assert ran.stdout.split() == ["True", "False", "True", "False", "False", "True", "False"]
