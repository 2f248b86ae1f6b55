"""The training measurements behind NAN107's mean-curvature and target thresholds and NAN103's clipping verdicts
(bench/FINDINGS.md, "Model-level recall, sixth session"). Needs TensorFlow; CPU is enough (a few minutes each).

    python bench/measure_training_setups.py least-squares   # y = w x + b on x = 5, 10, ..., 40 (SO 48335501)
    python bench/measure_training_setups.py targets         # the MLM exploding-gradients MLP on make_regression targets
    python bench/measure_training_setups.py lstm-mae        # keras#4563: tanh LSTM over 1000 steps, SGD, MAE
    python bench/measure_training_setups.py relu-mae        # SO 37232782: ReLU MLP on one-hot rows, SGD(0.01), MAE
    python bench/measure_training_setups.py vgg-feature     # tf#38796: VGG16 features regressed by a 1x1 conv, SGD(1e-3)
    python bench/measure_training_setups.py patches         # keras#2134: conv + ReLU MLP on raw 32x32 patches, clipnorm=100

Each prints one line per set-up: the first step (or epoch) whose loss is not finite, or None.
"""

from __future__ import annotations

import argparse
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402


def least_squares() -> None:
    """Plain gradient descent on reduce_mean(square(x w + b - y)): the limit is lr x mean(x^2) = 1."""
    import tensorflow as tf

    x = tf.constant([5, 10, 15, 20, 25, 30, 35, 40], tf.float32)
    y = tf.constant([2, 4, 6, 8, 10, 12, 14, 16], tf.float32)
    mean_square = float(tf.reduce_mean(x * x))
    for rate in (0.01, 0.002, 0.0016, 0.0015, 0.001):
        tf.random.set_seed(777)
        w, b = tf.Variable(tf.random.normal([1])), tf.Variable(tf.random.normal([1]))
        optimizer = tf.keras.optimizers.SGD(rate)
        first = None
        for step in range(3000):
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(tf.square(x * w + b - y))
            optimizer.apply_gradients(zip(tape.gradient(loss, [w, b]), [w, b]))
            if first is None and not np.isfinite(loss.numpy()):
                first = step
        print(f"lr={rate:g} lr x mean(x^2)={rate * mean_square:.3g}: first non-finite step {first}")


def _make_regression(features: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's make_regression(1000, features, noise=0.1) without scikit-learn: X ~ N(0, 1), coefficients
    100 x U[0, 1) on min(10, features) informative features."""
    rng = np.random.RandomState(seed)
    inputs = rng.standard_normal((1000, features))
    coefficients = np.zeros(features)
    coefficients[:min(10, features)] = 100 * rng.uniform(size=min(10, features))
    targets = inputs @ coefficients + 0.1 * rng.standard_normal(1000)
    return inputs.astype("float32"), targets.astype("float32")


def targets() -> None:
    """Dense(25, relu, he_uniform) + Dense(1), MSE, batch 32, 500 samples, 100 epochs: NaN by lr x target rms."""
    import keras

    points = [(20, 0.01, 0.9, 1.0), (20, 0.003, 0.9, 1.0), (20, 0.01, 0.9, 0.3), (20, 0.01, 0.9, 0.1),
              (20, 0.001, 0.9, 1.0), (20, 0.01, 0.0, 1.0), (20, 0.005, 0.0, 1.0), (20, 0.003, 0.0, 1.0),
              (20, 0.01, 0.0, 0.3), (5, 0.03, 0.0, 1.0), (5, 0.01, 0.0, 1.0), (1, 0.1, 0.0, 1.0),
              (1, 0.03, 0.0, 1.0), (1, 0.01, 0.0, 1.0)]
    for features, rate, momentum, scale in points:
        inputs, outputs = _make_regression(features)
        outputs = outputs * scale
        keras.utils.set_random_seed(1)
        model = keras.Sequential([keras.Input((features,)),
                                  keras.layers.Dense(25, activation="relu", kernel_initializer="he_uniform"),
                                  keras.layers.Dense(1)])
        model.compile(loss="mse", optimizer=keras.optimizers.SGD(learning_rate=rate, momentum=momentum))
        losses = model.fit(inputs[:500], outputs[:500], epochs=100, batch_size=32, verbose=0).history["loss"]
        first = next((epoch for epoch, loss in enumerate(losses) if not np.isfinite(loss)), None)
        rms = float(np.sqrt(np.mean(outputs ** 2)))
        print(f"{features} features, lr={rate:g}, momentum={momentum:g}, target rms {rms:.0f}: lr x rms "
              f"{rate * rms:.3g}, first non-finite epoch {first}, last loss {losses[-1]:.3g}")


def lstm_mae() -> None:
    """The keras#4563 case file's set-up (decay dropped: Keras 3 has none) on targets up to 1e6."""
    import keras

    for input_scale in (1.0, 100.0):
        rng = np.random.default_rng(0)
        inputs = (rng.standard_normal((32 * 40, 1000, 20)) * input_scale).astype("float32")
        outputs = (rng.uniform(0.5, 1.0, 32 * 40) * 1e6).astype("float32")
        keras.utils.set_random_seed(0)
        model = keras.Sequential([keras.Input((1000, 20)), keras.layers.LSTM(64), keras.layers.Dropout(0.3),
                                  keras.layers.Dense(1)])
        model.compile(loss="mean_absolute_error",
                      optimizer=keras.optimizers.SGD(8e-4, momentum=0.9, nesterov=True))
        losses = [float(model.train_on_batch(inputs[i * 32:(i + 1) * 32], outputs[i * 32:(i + 1) * 32]))
                  for _ in range(2) for i in range(40)]
        finite = all(np.isfinite(v.numpy()).all() for v in model.trainable_variables)
        print(f"inputs x{input_scale:g}, targets up to 1e6, 80 steps: non-finite losses "
              f"{sum(not np.isfinite(loss) for loss in losses)}, loss {losses[0]:.4g} -> {losses[-1]:.4g}, "
              f"weights finite {finite}")


def relu_mae() -> None:
    """The Stack Overflow 37232782 set-up (lr-scale-keras-regression-relu-stack-sgd-nesterov-mae): Dense(1024, 512,
    256) ReLU + Dropout(0.1) + Dense(1), SGD(0.01, nesterov=True) (no momentum: Nesterov changes nothing), MAE,
    batch 32, 3 epochs on 260000 rows of 35 0/1 columns; targets of the thread's size (MAE ~16 after one epoch) and
    heavier ones, and the same inputs x100."""
    import keras

    rng = np.random.default_rng(0)
    rows = 260_000
    inputs = (rng.uniform(size=(rows, 35)) < 0.2).astype("float32")
    weights = rng.uniform(0, 10, 35)
    draws = {"linear in the columns + N(0, 10), rms ~30": inputs @ weights + rng.normal(0, 10, rows),
             "lognormal(3, 1.5), up to ~1e5": np.exp(rng.normal(3, 1.5, rows)),
             "lognormal(3, 1.5) x 100, up to ~1e7": 100 * np.exp(rng.normal(3, 1.5, rows))}
    cases = [(1.0, name, outputs) for name, outputs in draws.items()]
    cases.append((100.0, "linear in the columns + N(0, 10), rms ~30", next(iter(draws.values()))))
    for input_scale, name, outputs in cases:
        keras.utils.set_random_seed(0)
        model = keras.Sequential([keras.Input((35,)), keras.layers.Dense(1024, activation="relu"),
                                  keras.layers.Dropout(0.1), keras.layers.Dense(512, activation="relu"),
                                  keras.layers.Dropout(0.1), keras.layers.Dense(256, activation="relu"),
                                  keras.layers.Dropout(0.1), keras.layers.Dense(1)])
        model.compile(loss="mean_absolute_error", optimizer=keras.optimizers.SGD(0.01, nesterov=True))
        losses = model.fit(inputs * input_scale, outputs.astype("float32"), epochs=3, batch_size=32,
                           verbose=0).history["loss"]
        finite = all(np.isfinite(v.numpy()).all() for v in model.trainable_variables)
        print(f"inputs x{input_scale:g}, targets {name}: epoch losses {[f'{loss:.4g}' for loss in losses]}, "
              f"weights finite {finite}", flush=True)


def vgg_feature() -> None:
    """The tf#38796 set-up (lr-scale-vgg-feature-mse-sgd-diverges) with VGG16(weights=None): the report's NaN comes
    with the ImageNet weights, which are not available offline. The add_loss of a (2, 9, 12) per-position MSE is
    summed here (what a gradient of a non-scalar loss does; a mean is smaller still), SGD(1e-3), ones as inputs."""
    import keras
    import tensorflow as tf

    inputs = np.ones([2, 300, 400, 3], "float32")
    for seed in (0, 1):
        keras.utils.set_random_seed(seed)
        vgg = keras.applications.VGG16(include_top=False, weights=None, input_shape=(300, 400, 3))
        model = keras.Model(vgg.input, [vgg.output, keras.layers.Conv2D(512, 1)(vgg.output)])
        optimizer = keras.optimizers.SGD(learning_rate=1e-3)
        losses = []
        for _ in range(10):
            with tf.GradientTape() as tape:
                features, regressed = model(inputs, training=True)
                loss = tf.reduce_sum(tf.reduce_mean(tf.square(features - regressed), axis=-1))
            optimizer.apply_gradients(zip(tape.gradient(loss, model.trainable_variables), model.trainable_variables))
            losses.append(float(loss))
        rms = float(tf.sqrt(tf.reduce_mean(tf.square(features))))
        print(f"seed {seed}: losses {[f'{value:.3g}' for value in losses]}, feature rms {rms:.3g}", flush=True)


def patches() -> None:
    """The keras#2134 set-up (lr-scale-regression-patches-sgd-momentum-diverges): Conv(50, 7x7) + ReLU + pooling,
    two Dense(800, l2(0.5)) + ReLU + Dropout(0.7), Dense(1), MSE, SGD(1e-5, momentum 0.9, Nesterov, clipnorm=100),
    batch 256, on patches of raw pixel intensities (uniform in [0, 255]) and targets of growing size. Keras 1's
    clipnorm clips the global norm of all gradients (Keras 3's global_clipnorm), which bounds every step:
    |velocity| <= lr x clipnorm / (1 - momentum) = 1e-2, so the weights move at most ~8 (L2 norm) over the 781 steps
    of the thread's first epoch, whatever the gradients. `decay` (1e-6) is left out: at most 0.08% by step 781."""
    import keras

    rng = np.random.default_rng(0)
    inputs = rng.uniform(0, 255, (256 * 20, 32, 32, 1)).astype("float32")
    for target_scale in (1.0, 1e2, 1e4):
        outputs = (rng.uniform(0, 1, 256 * 20) * target_scale).astype("float32")
        keras.utils.set_random_seed(0)
        model = keras.Sequential([
            keras.Input((32, 32, 1)), keras.layers.Conv2D(50, 7, activation="relu"), keras.layers.MaxPooling2D(2),
            keras.layers.Flatten(),
            keras.layers.Dense(800, activation="relu", kernel_regularizer=keras.regularizers.l2(0.5)),
            keras.layers.Dropout(0.7),
            keras.layers.Dense(800, activation="relu", kernel_regularizer=keras.regularizers.l2(0.5)),
            keras.layers.Dropout(0.7), keras.layers.Dense(1)])
        start = [v.numpy().copy() for v in model.trainable_variables]
        model.compile(loss="mean_squared_error",
                      optimizer=keras.optimizers.SGD(1e-5, momentum=0.9, nesterov=True, global_clipnorm=100))
        losses = [float(model.train_on_batch(inputs[i * 256:(i + 1) * 256], outputs[i * 256:(i + 1) * 256]))
                  for _ in range(5) for i in range(20)]
        moved = float(np.sqrt(sum(((v.numpy() - s) ** 2).sum() for v, s in zip(model.trainable_variables, start))))
        print(f"inputs in [0, 255], targets up to {target_scale:g}, {len(losses)} steps: non-finite losses "
              f"{sum(not np.isfinite(loss) for loss in losses)}, loss {losses[0]:.4g} -> {losses[-1]:.4g}, "
              f"weights moved {moved:.3g} (L2)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("measurement", choices=("least-squares", "targets", "lstm-mae", "relu-mae", "vgg-feature",
                                                        "patches"))
    chosen = parser.parse_args().measurement
    {"least-squares": least_squares, "targets": targets, "lstm-mae": lstm_mae, "relu-mae": relu_mae,
     "vgg-feature": vgg_feature, "patches": patches}[chosen]()


if __name__ == "__main__":
    main()
