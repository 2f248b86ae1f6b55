"""Pytest fixtures: what a fixture provides is used by the tests and fixtures that request it by parameter name
(`def test_x(model_fixture): ...`), and by nobody else -- pytest is its only caller.

A model a fixture builds, compiles and returns is therefore trained only if one of its requesters trains it.
The requesters are found across the project (`Project.requesters`: the files below a conftest.py, the test
module's own directory, plus the fixture's own file), and a requester may train what it is given when:

- it calls a training method on anything (`fit`, `fit_generator`, `train_on_batch`, `train_step`, an optimizer's
  `apply_gradients`/`minimize`): a model derived from the one given (`Model(m.input, m.layers[-2].output)`)
  shares its weights;
- it returns or yields a value (a fixture passing on something built from it: its own requesters decide, and they
  are not followed);
- it passes the model (or an attribute of it, `m.layers`) to a function of the project that may train its
  parameter (followed, a few calls deep) or to something that cannot be followed (a third-party library, an
  object of unknown class); the libraries that never train a model they are given (TensorFlow's, Keras', NumPy's,
  `isinstance`, `len`) do not count;
- it calls a method of the model that is not one of Keras' non-training methods (`predict`, `evaluate`,
  `summary`, `save_weights`, ...): a subclass's own method may run a training loop;
- it uses the name any other way (stores it, puts it in a container, compares it): where it goes is not followed.

Anything unknown keeps the model trained (the previous reading: `compile` counts as training)."""

from __future__ import annotations

import libcst as cst

from nanlint.analysis.arguments import keyword
from nanlint.analysis.binder import At
from nanlint.analysis.keras import FIT_METHODS
from nanlint.analysis.module import ModuleAnalysis, Scope
from nanlint.analysis.walk import descendants, name_reads

_TRAINING_METHODS = FIT_METHODS | {"train_step", "apply_gradients", "minimize"}
# The methods of a Keras model that never update its weights by gradient (`set_weights` assigns, not trains): any
# other method called on the model (a subclass's own `train_epoch()`) may train it.
_KERAS_NON_TRAINING = frozenset({
    "predict", "predict_on_batch", "predict_step", "evaluate", "test_on_batch", "test_step", "compile", "summary",
    "save", "save_weights", "load_weights", "get_layer", "get_config", "to_json", "get_weights", "set_weights",
    "count_params", "call", "build", "reset_states", "reset_metrics", "compute_output_shape", "export",
    "__call__"})
# Libraries that never train a model handed to them (their `fit` methods are training methods above).
_NOT_TRAINING_ROOTS = frozenset({"tensorflow", "keras", "tf_keras", "numpy", "np"})
_NOT_TRAINING_BUILTINS = frozenset({"isinstance", "len", "print", "type", "id", "repr", "str", "hasattr"})
_FIXTURE_DECORATORS = frozenset({"pytest.fixture", "pytest_asyncio.fixture"})
_MAX_DEPTH = 3


def fixture_name(analysis: ModuleAnalysis, function: Scope) -> str | None:
    """The name tests request a pytest fixture by (`@pytest.fixture`, `@pytest.fixture(scope=...)`, `name=` when
    given as a literal); None for a function that is no fixture, or whose name is computed."""
    if not isinstance(function.node, cst.FunctionDef):
        return None
    for decorator in function.node.decorators:
        call = decorator.decorator if isinstance(decorator.decorator, cst.Call) else None
        target = call.func if call is not None else decorator.decorator
        if analysis.qualified_name(target) not in _FIXTURE_DECORATORS:
            continue
        named = keyword(call, "name") if call is not None else None
        if named is None:
            return function.node.name.value
        value = named.evaluated_value if isinstance(named, cst.SimpleString) else None
        return value if isinstance(value, str) else None
    return None


def provided(function: Scope) -> list[cst.BaseExpression]:
    """What a fixture provides: the values it returns or yields (a yield inside a nested function is that
    function's)."""
    values = list(function.returns)
    for node in descendants(function.node):
        if isinstance(node, cst.Yield) and isinstance(node.value, cst.BaseExpression):
            values.append(node.value)
    return values


def requesters_may_train(analysis: ModuleAnalysis, fixture: Scope) -> bool | None:
    """Whether a test or fixture that requests `fixture` may train what it provides: False when every requester
    is known and none may, True when one may, None when the requesters cannot be known (no project run, the
    analysis is another file's summary, the name is computed or too common)."""
    from nanlint import project

    name = fixture_name(analysis, fixture)
    current = project.current()
    if name is None or current is None or current.is_summary(analysis):
        return None
    others = current.requesters(analysis.path, name)
    if others is None:
        return None
    own = {id(node) for decorator in fixture.node.decorators for node in descendants(decorator)} \
        if isinstance(fixture.node, cst.FunctionDef) else set()
    for requesting in (analysis, *others):
        if any(isinstance(node, cst.SimpleString) and id(node) not in own and node.evaluated_value == name
               for node in descendants(requesting.module)):
            return True  # `request.getfixturevalue("model")`, `usefixtures`, a lazy fixture: not followed
        for function in requesting.functions.values():
            if function is not fixture and name in function.params and may_train(requesting, function, name, 0):
                return True
    return False


def may_train(analysis: ModuleAnalysis, function: Scope, name: str, depth: int) -> bool:
    """Whether `function` may train the model its parameter `name` is given (see the module's docstring). A
    requester (`depth` 0) that returns or yields anything passes on what its own requesters decide; a function
    it calls, one that returns or yields the model or part of it."""
    if depth > _MAX_DEPTH or not isinstance(function.node, cst.FunctionDef):
        return True
    body = function.node.body
    accounted: set[int] = set()  # the uses of the name that keep the model where it is
    for node in descendants(body):
        if isinstance(node, cst.Attribute):
            accounted.add(id(node.value))  # `m.layers`, `m.predict(x)`
        elif isinstance(node, (cst.Return, cst.Yield)) and isinstance(node.value, cst.BaseExpression) and (
                depth == 0 or any(read.value == name for read in name_reads(node.value))):
            return True
        elif isinstance(node, cst.Call) and _call_may_train(analysis, node, name, depth, accounted):
            return True
    # stored, put in a container, compared: where it goes is not followed
    return any(read.value == name and id(read) not in accounted for read in name_reads(body))


def _call_may_train(analysis: ModuleAnalysis, call: cst.Call, name: str, depth: int, accounted: set[int]) -> bool:
    """Whether a call trains anything, or is given the model and may train it; the model's name in call position
    (`model(x)`, a forward pass) and in the arguments followed are added to `accounted`."""
    if isinstance(call.func, cst.Attribute) and call.func.attr.value in _TRAINING_METHODS:
        return True
    if isinstance(call.func, cst.Attribute) and _is_name(call.func.value, name) \
            and call.func.attr.value not in _KERAS_NON_TRAINING:
        return True  # a method of the model that is not Keras' own
    if _is_name(call.func, name):
        accounted.add(id(call.func))
    for index, arg in enumerate(call.args):
        root = _model_root(arg.value, name)
        if root is None:
            continue
        accounted.add(id(root))
        if _passes_to_training(analysis, call, index, arg, depth):
            return True
    return False


def _passes_to_training(analysis: ModuleAnalysis, call: cst.Call, index: int, arg: cst.Arg, depth: int) -> bool:
    """Whether the call a model is passed to (as argument `index`) may train it."""
    if arg.star:
        return True
    qualified = analysis.qualified_name(call.func)
    if qualified is not None and qualified.split(".")[0] in _NOT_TRAINING_ROOTS:
        return False
    if isinstance(call.func, cst.Name) and call.func.value in _NOT_TRAINING_BUILTINS \
            and call.func.value not in analysis.functions:
        return False
    site = analysis.sites.get(call)
    called = analysis.values.function_called(call, At(site.scope, site.seq)) if site is not None else None
    if called is None:
        return True
    other, function = called
    passed = function.params[1:] if function.receiver else function.params
    parameter = arg.keyword.value if arg.keyword is not None else passed[index] if index < len(passed) else None
    if parameter is None or parameter not in function.params:
        return True
    return may_train(other, function, parameter, depth + 1)


def _model_root(expr: cst.BaseExpression, name: str) -> cst.Name | None:
    """The parameter's name when `expr` is it or an attribute chain of it with no call (`m`, `m.layers[-1]`,
    `m.input`): the model itself, or a part sharing its weights."""
    while isinstance(expr, (cst.Attribute, cst.Subscript)):
        expr = expr.value
    return expr if isinstance(expr, cst.Name) and expr.value == name else None


def _is_name(expr: cst.BaseExpression, name: str) -> bool:
    return isinstance(expr, cst.Name) and expr.value == name
