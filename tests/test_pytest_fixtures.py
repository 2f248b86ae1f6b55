"""analysis/model_uses.py: which functions are pytest fixtures, and whether a function may train the model it is
given (the project's requesters of a fixture are in test_project.py)."""

from __future__ import annotations

from analysis_support import analysis_of

from nanlint.analysis.model_uses import fixture_name, may_train, provided

SOURCE = """
import pytest
import tensorflow as tf
from pytest import fixture


@pytest.fixture
def plain(): ...

@pytest.fixture(scope="module", name="renamed")
def _renamed(): ...

@fixture()
def imported():
    model = build()
    yield model

def helper(): ...

def forward(model):
    print(model.summary(), len(model.layers))
    assert isinstance(model, tf.keras.Model)
    scores = model(x)

def derived(model):
    features = tf.keras.Model(model.input, model.layers[-2].output)
    features.fit(x, y)

def fits(model):
    model.fit(x, y)

def custom_loop(model, optimizer):
    with tf.GradientTape() as tape:
        loss = model(x)
    optimizer.apply_gradients(zip(tape.gradient(loss, model.trainable_variables), model.trainable_variables))

def stored(model):
    registry.append(model)

def unknown(model):
    third_party.train(model)

def through_forward(model):
    forward(model)

def through_fits(model):
    fits(model=model)

def saved(model):
    tf.saved_model.save(model, "out")

def returns_it(model):
    return model

def own_method(model):
    model.train_epochs(3)

def keras_methods(model):
    model.compile(optimizer="adam", loss="mse")
    model.evaluate(x, y)
    model.save_weights("w.h5")
"""


def test_fixtures_are_named_as_tests_request_them():
    analysis = analysis_of(SOURCE)
    names = {name: fixture_name(analysis, analysis.functions[name])
             for name in ("plain", "_renamed", "imported", "helper")}
    assert names == {"plain": "plain", "_renamed": "renamed", "imported": "imported", "helper": None}
    assert [analysis.code_of(value) for value in provided(analysis.functions["imported"])] == ["model"]


def test_a_function_may_train_its_model_by_training_anything_or_passing_it_where_it_is_not_followed():
    analysis = analysis_of(SOURCE)
    may = {name: may_train(analysis, analysis.functions[name], "model", 1)
           for name in ("forward", "derived", "fits", "custom_loop", "stored", "unknown", "through_forward",
                        "through_fits", "saved", "returns_it", "own_method", "keras_methods")}
    assert may == {"forward": False,
                   "derived": True, "fits": True, "custom_loop": True, "stored": True, "unknown": True,
                   "through_forward": False, "through_fits": True, "saved": False, "returns_it": True,
                   "own_method": True,  # a subclass's own method may run a training loop
                   "keras_methods": False}
    # a requester (depth 0) that returns anything passes it on; one that only runs the model forward does not
    assert may_train(analysis, analysis.functions["saved"], "model", 0) is False
    assert may_train(analysis, analysis.functions["returns_it"], "model", 0) is True
