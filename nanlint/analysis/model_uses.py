"""Whether the uses of a model may train it: the requesters of a pytest fixture that provides it, and the function
around a name that compiles or fits it. A model compiled but never trained gets no training-set-up findings.

Pytest fixtures: what a fixture provides is used by the tests and fixtures that request it by parameter name
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

Anything unknown keeps the model trained (the previous reading: `compile` counts as training).

The same reading answers for a model compiled (or fitted) through a name local to a function: `local_use_trains`
says whether anything in that function may train what the name holds, following the names bound from it that share
its weights (`m2 = Model(w.input, ...)`, `layers = w.layers`, `w2 = Wrapper(w)`, `y = w(x)`), but not the data its
Keras methods return (`metrics = w.test_step(batch)`, `p = w.predict(x)`). A training call whose completion the
function asserts will not happen (`with self.assertRaises(...): w.fit(x)`, `pytest.raises`) trains nothing the
function relies on; a model saved or described to the outside (`save`, `save_model(model, path)`, `export`,
`to_json`, `get_config`) may be trained wherever it is loaded."""

from __future__ import annotations

import libcst as cst

from nanlint.analysis.arguments import keyword
from nanlint.analysis.binder import At, BindingKind
from nanlint.analysis.keras import FIT_METHODS
from nanlint.analysis.module import CallSite, ModuleAnalysis, Scope
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


# Keras methods whose result is data (metrics, predictions, a config), not the model or a part sharing its weights.
_DATA_RESULTS = _KERAS_NON_TRAINING - {"get_layer", "call", "__call__"}
# Keras methods that hand the model's architecture (and, for `save`, its compile set-up) to whatever loads it.
_DESCRIBED_OUTSIDE = frozenset({"save", "export", "to_json", "get_config"})
# The functions that do the same as the `save` method (`tf.keras.models.save_model(model, path)`).
_SAVE_FUNCTIONS = frozenset({"keras.models.save_model", "keras.saving.save_model", "tensorflow.keras.models.save_model",
                             "tf_keras.models.save_model", "tensorflow.saved_model.save"})
_PYTEST_RAISES = "pytest.raises"


def local_use_trains(analysis: ModuleAnalysis, call: CallSite) -> bool:
    """Whether the model a `w.compile(...)` or `w.fit(...)` call is made on may be trained, judged from the
    function the call is in: True unless `w` is a name assigned in that function (not a parameter, not global)
    and nothing there may train what it holds (see the module's docstring)."""
    func = call.node.func
    function = call.site.scope
    if not (isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name)
            and isinstance(function.node, cst.FunctionDef)):
        return True
    binding = analysis.binder.resolve(func.value.value, call.site)
    if binding is None or binding.scope is not function or binding.kind is not BindingKind.ASSIGNED:
        return True
    body = function.node.body
    derived = _sharing_names(body, func.value.value)
    asserted = _asserted_to_raise(analysis, body)
    called = {id(node.func) for node in descendants(body) if isinstance(node, cst.Call)}
    # the names a binding binds are not reads of them; the reads in what it binds from are followed as derived names
    accounted = {id(name) for node in descendants(body) for target in _assigned_targets(node)
                 for name in _target_names(target)}
    accounted.update(id(read) for node in descendants(body) for value in _binding_values(node)
                     for read in name_reads(value))
    for node in descendants(body):
        if isinstance(node, (cst.Global, cst.Nonlocal)) and any(alias.name.value in derived for alias in node.names):
            return True
        if isinstance(node, (cst.Return, cst.Yield)) and isinstance(node.value, cst.BaseExpression) \
                and _shares(node.value, derived):
            return True
        if isinstance(node, (cst.Assign, cst.AnnAssign, cst.AugAssign)) and node.value is not None \
                and _shares(node.value, derived) and not all(isinstance(target, cst.Name) for target in
                                                             _assigned_targets(node)):
            return True  # stored in an attribute or an item (`self.m = w`): where it goes is not followed
        if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name):
            accounted.add(id(node.value))
            if (node.value.value in derived and node.attr.value in _TRAINING_METHODS and id(node) not in asserted
                    and id(node) not in called):
                return True  # `w.fit` handed on as a callable
        if isinstance(node, cst.Call) and _local_call_may_train(analysis, node, derived, asserted, accounted):
            return True
    # any other use (compared, deleted, in a container literal that is not bound): where it goes is not followed
    return any(read.value in derived and id(read) not in accounted for read in name_reads(body))


def _local_call_may_train(analysis: ModuleAnalysis, call: cst.Call, derived: set[str], asserted: set[int],
                          accounted: set[int]) -> bool:
    """One call of the function: a training method on (or given) the model, one of its own methods that is not
    Keras', an export of it, or the model passed to something that may train it."""
    func = call.func
    if isinstance(func, cst.Attribute):
        method = func.attr.value
        if method in _TRAINING_METHODS and id(call) not in asserted and _shares(call, derived):
            return True
        if isinstance(func.value, cst.Name) and func.value.value in derived and (
                method in _DESCRIBED_OUTSIDE or method not in _KERAS_NON_TRAINING | _TRAINING_METHODS):
            return True
    elif isinstance(func, cst.Name) and func.value in derived:
        accounted.add(id(func))  # `w(x)`: a forward pass (its result is a derived name where it is bound)
    for index, arg in enumerate(call.args):
        root = next((_model_root(arg.value, name) for name in derived if _model_root(arg.value, name)), None)
        if root is None:
            continue
        accounted.add(id(root))
        if analysis.qualified_name(func) in _SAVE_FUNCTIONS:
            return True
        if id(call) not in asserted and id(arg.value) not in asserted \
                and _passes_to_training(analysis, call, index, arg, 1):
            return True
    return False


def _assigned_targets(node: cst.CSTNode) -> list[cst.BaseExpression]:
    if isinstance(node, cst.Assign):
        return [target.target for target in node.targets]
    if isinstance(node, (cst.AnnAssign, cst.AugAssign, cst.NamedExpr)):
        return [node.target]
    if isinstance(node, (cst.For, cst.CompFor)):
        return [node.target]
    if isinstance(node, cst.WithItem) and node.asname is not None:
        return [node.asname.name]
    return []


def _binding_values(node: cst.CSTNode) -> list[cst.BaseExpression]:
    """The expression a binding statement evaluates and binds its targets from."""
    if isinstance(node, (cst.Assign, cst.AnnAssign, cst.AugAssign, cst.NamedExpr)):
        return [node.value] if node.value is not None else []
    if isinstance(node, (cst.For, cst.CompFor)):
        return [node.iter]
    if isinstance(node, cst.WithItem) and node.asname is not None:
        return [node.item]
    return []


def _sharing_names(body: cst.CSTNode, name: str) -> set[str]:
    """`name` and the names bound (anywhere in `body`, nested functions included) from a value sharing its
    weights, to a fixed point."""
    bindings = [(_assigned_targets(node), values) for node in descendants(body)
                if (values := _binding_values(node))]
    derived = {name}
    changed = True
    while changed:
        changed = False
        for targets, values in bindings:
            if any(_shares(value, derived) for value in values):
                for bound in (name for target in targets for name in _target_names(target)):
                    if bound.value not in derived:
                        derived.add(bound.value)
                        changed = True
    return derived


def _target_names(target: cst.BaseExpression) -> list[cst.Name]:
    """The names a binding target binds (`a`, `a, (b, *c)`); none for an attribute or an item."""
    if isinstance(target, cst.Name):
        return [target]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [name for element in target.elements for name in _target_names(element.value)]
    if isinstance(target, cst.StarredElement):
        return _target_names(target.value)
    return []


def _shares(expr: cst.CSTNode, derived: set[str]) -> bool:
    """`expr` reads a derived name other than as the receiver of a Keras method returning data
    (`w.evaluate(x)`, `w.test_step(batch)`)."""
    data = {id(node.func.value) for node in descendants(expr)
            if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute)
            and isinstance(node.func.value, cst.Name) and node.func.attr.value in _DATA_RESULTS}
    return any(read.value in derived and id(read) not in data for read in name_reads(expr))


def _asserted_to_raise(analysis: ModuleAnalysis, body: cst.CSTNode) -> set[int]:
    """The nodes of the calls the function asserts to raise: the body of `with self.assertRaises...(...)` or
    `with pytest.raises(...)`, and the callable and arguments given to `self.assertRaises(E, f, *args)`."""
    asserted: set[int] = set()
    for node in descendants(body):
        if isinstance(node, cst.With) and any(isinstance(item.item, cst.Call) and _raises_assertion(analysis,
                                                                                                    item.item)
                                              for item in node.items):
            asserted.update(id(inner) for inner in descendants(node.body))
        elif isinstance(node, cst.Call) and _raises_assertion(analysis, node) and len(node.args) > 1:
            asserted.update(id(inner) for arg in node.args[1:] for inner in descendants(arg))
    return asserted


def _raises_assertion(analysis: ModuleAnalysis, call: cst.Call) -> bool:
    return ((isinstance(call.func, cst.Attribute) and call.func.attr.value.startswith("assertRaises"))
            or analysis.qualified_name(call.func) == _PYTEST_RAISES)
