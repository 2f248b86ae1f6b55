"""What a NumPy spread (`x.std(axis=0)`, `np.var(x)`) summarizes, and when its 0 is structural.

TensorFlow tensors have no `.std()` method and NumPy has no gradient, so such a statistic is data preparation.
Over the samples of a data set (axis 0, or no axis over a whole array) it is 0 only for a feature constant over all
of them, which a data set the code does not show usually has not (a timeseries' columns, PCA features): not
reported. Three things the code can show make that 0 structural:

- the statistic is of one element of a collection (`np.std(v)` for `v` a loop or comprehension element: one
  frame, one row, one image, one column), which is constant for a silent frame, a blank image, a constant column;
  there are as many of them as elements, and one constant among them is enough;
- a class fits the per-feature statistic to the data it is given and keeps it (`self.std = np.std(X, axis=0)`)
  without replacing its zero entries, the guard scikit-learn's StandardScaler has (scale_ = 1 where var == 0): a
  reusable scaler meets one-hot or categorical columns and images whose border pixels are blank in every image;
- the per-pixel statistic (axis 0) is over MNIST, whose border pixels are 0 in every image.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from nanlint.analysis.arguments import argument
from nanlint.analysis.binder import At, BindingKind, Point
from nanlint.analysis.module import ClassInfo, ModuleAnalysis, Scope, Unpacked
from nanlint.analysis.walk import descendants

_MAX_DEPTH = 12
# What scikit-learn's StandardScaler does for a zero-variance feature (`_handle_zeros_in_scale`).
PER_FEATURE_GUARD = ("replace its zero entries by 1 as scikit-learn's StandardScaler does (`std[std == 0] = 1`: a "
                     "constant feature is then only centered), or add an epsilon")
# Image data sets known to hold a pixel that is the same in every image (MNIST's digits lie on a 0 background whose
# border pixels are 0 in all of them), by the loader that returns them.
_CONSTANT_PIXEL_LOADERS = ("datasets.mnist.load_data", "tutorials.mnist.input_data.read_data_sets")
# Calls and methods that keep an array's entries (as a copy, another dtype, another shape).
SAME_ENTRIES = frozenset({"copy", "asarray", "array", "astype", "reshape", "ravel", "flatten", "squeeze",
                           "float32", "float64", "expand_dims", "transpose"})
# pandas calls that return a DataFrame: a table whose rows are the samples, whatever it is subscripted by.
_DATAFRAME_MAKERS = frozenset({"pandas.DataFrame", "pandas.read_csv", "pandas.read_table", "pandas.read_excel",
                               "pandas.read_json", "pandas.read_parquet", "pandas.read_feather", "pandas.read_pickle",
                               "pandas.read_sql", "pandas.read_hdf", "pandas.concat", "pandas.merge"})
# DataFrame methods that return a DataFrame of (some of) the same rows.
_DATAFRAME_METHODS = frozenset({"copy", "dropna", "fillna", "drop", "reset_index", "set_index", "sort_values",
                                "sort_index", "rename", "astype", "assign", "merge", "join", "query", "head", "tail",
                                "sample", "drop_duplicates"})


@dataclass(frozen=True)
class ConstantFeature:
    """Why a spread is 0 by construction: the condition (for a message) and the guard that fits it."""

    condition: str
    remedy: str | None = None


def axis_argument(call: cst.Call, operand: cst.BaseExpression) -> cst.BaseExpression | None:
    """The `axis` of a statistic: `x.std(axis)` (method, first argument) or `np.std(x, axis)`."""
    return argument(call, 0 if operand is getattr(call.func, "value", None) else 1, "axis")


def _axis_zero(axis: cst.BaseExpression | None) -> bool:
    """axis 0, or a tuple of axes from 0 (`axis=(0, 1)`: the samples and, within each, its observations)."""
    if isinstance(axis, (cst.Tuple, cst.List)) and axis.elements:
        return _axis_zero(axis.elements[0].value)
    return isinstance(axis, cst.Integer) and axis.evaluated_value == 0


def construction_time(analysis: ModuleAnalysis, scope: Scope) -> bool:
    """`scope` runs when its object is built, on what the constructor is given: a class's `__init__`, or a method
    of it that only its `__init__` calls (`self._initialize_data_dependent(init_data)`). A statistic there is of
    the data set the object is built from (BayesFlow's ActNorm scales its flow by `1 / reduce_std(init_data,
    axis=0)` of the simulations it is given), not of a batch, which a training step would compute it over."""
    if scope.class_name is None:
        return False
    method = scope.name.rsplit(".", 1)[-1]
    if method == "__init__":
        return True
    init = f"{scope.class_name}.__init__"
    callers = [call.site.scope.name for call in analysis.calls
               if isinstance(call.node.func, cst.Attribute) and call.node.func.attr.value == method
               and isinstance(call.node.func.value, cst.Name) and call.node.func.value.value == "self"]
    return bool(callers) and all(caller == init for caller in callers)


def over_samples(analysis: ModuleAnalysis, call: cst.Call, operand: cst.BaseExpression, at: Point) -> bool:
    """A statistic over the samples of a data array (axis 0, or no axis over a whole array or a range of rows),
    not over one item (`image[b, ..., c]`, a loop's element `v` of the data) or along a row (axis=-1)."""
    axis = axis_argument(call, operand)
    if axis is not None:
        return _axis_zero(axis)
    if _loop_item(analysis, operand, at) is not None:
        return False
    followed, followed_at = analysis.binder.follow(operand, at, _MAX_DEPTH)
    if isinstance(followed, cst.Subscript) and dataframe(analysis, followed.value, followed_at):
        # a column (or a selection of rows) of a pandas table: its statistic runs down the rows, over the samples
        return True
    return not (isinstance(followed, cst.Subscript) and any(
        isinstance(element.slice, cst.Index) and not isinstance(element.slice.value, cst.Ellipsis)
        for element in followed.slice))


def dataframe(analysis: ModuleAnalysis, expr: cst.BaseExpression, at: Point, depth: int = _MAX_DEPTH) -> bool:
    """`expr` holds a pandas DataFrame: what `pd.read_csv(...)`, `pd.DataFrame(...)` or `pd.concat(...)` returned
    (also through names, a DataFrame method that keeps rows, `df.copy()`, `df.dropna()`, and a `self.` attribute
    every assignment of which stores one), or a parameter annotated `pd.DataFrame`. A DataFrame's rows are the
    samples: `df[column]` is a column over all of them, not one item, as a NumPy `m[i]` is."""
    if depth <= 0:
        return False
    if isinstance(expr, cst.Name):
        binding = analysis.binder.resolve(expr.value, at)
        if binding is None:
            return False
        if binding.kind is BindingKind.PARAMETER:
            return _annotated_dataframe(analysis, binding.scope, expr.value)
        return binding.expression is not None and dataframe(analysis, binding.expression, binding.at, depth - 1)
    if isinstance(expr, cst.Attribute) and isinstance(expr.value, cst.Name) and expr.value.value == "self":
        owner = analysis.binder.enclosing_class(at.scope)
        bindings = analysis.binder.attribute(owner, expr.attr.value) if owner is not None else []
        return bool(bindings) and all(binding.expression is not None
                                      and dataframe(analysis, binding.expression, binding.at, depth - 1)
                                      for binding in bindings)
    if not isinstance(expr, cst.Call):
        return False
    if analysis.qualified_name(expr.func) in _DATAFRAME_MAKERS:
        return True
    return (isinstance(expr.func, cst.Attribute) and expr.func.attr.value in _DATAFRAME_METHODS
            and dataframe(analysis, expr.func.value, at, depth - 1))


def _annotated_dataframe(analysis: ModuleAnalysis, scope: Scope, name: str) -> bool:
    """The parameter `name` of `scope` is annotated `pd.DataFrame` (or the string "pd.DataFrame")."""
    if not isinstance(scope.node, cst.FunctionDef):
        return False
    parameters = scope.node.params
    for parameter in (*parameters.posonly_params, *parameters.params, *parameters.kwonly_params):
        if parameter.name.value != name or parameter.annotation is None:
            continue
        annotation = parameter.annotation.annotation
        if isinstance(annotation, cst.SimpleString):
            return str(annotation.evaluated_value).rsplit(".", 1)[-1] == "DataFrame"
        return analysis.qualified_name(annotation) == "pandas.DataFrame"
    return False


def structural_constant(analysis: ModuleAnalysis, call: cst.Call, operand: cst.BaseExpression, at: Point,
                        label: str) -> ConstantFeature | None:
    """Why the spread `call` (of `operand`, a `label` such as "standard deviation") is 0 by construction, or None
    when nothing in the code shows that it is."""
    axis = axis_argument(call, operand)
    if axis is None:
        iterated = _loop_item(analysis, operand, at)
        if iterated is not None:
            item = analysis.spelled(operand)
            return ConstantFeature(f"`{item}` with all its entries equal, one element of `{iterated}` (a silent "
                                   f"audio frame, a blank row or image, a constant column), of which this is the "
                                   f"{label}")
        return None
    if not _axis_zero(axis):
        return None
    fitted = _fitted_attribute(analysis, call, at)
    if fitted is not None:
        owner, attribute = fitted
        return ConstantFeature(
            f"a feature constant over every sample `{owner.name}` is fitted to (a one-hot or categorical column, "
            f"a pixel blank in every image), since `self.{attribute}` keeps the per-feature {label} over axis 0 with "
            f"no zero entry replaced", PER_FEATURE_GUARD)
    images = _constant_pixel_images(analysis, operand, at)
    if images is not None:
        return ConstantFeature(
            f"a pixel constant over every image, as MNIST's border pixels are 0 in all of them (the per-pixel "
            f"{label} over axis 0 of `{images}`, MNIST images)", PER_FEATURE_GUARD)
    return None


def _loop_item(analysis: ModuleAnalysis, operand: cst.BaseExpression, at: Point) -> str | None:
    """The data a loop or comprehension target `operand` is one element of (`m` in `for v in m`): one item of it
    (a frame, a row). None for anything else, and for elements of a literal list of arrays (`for x in [a, b]`, also
    through a name: whole arrays), of a dict's items or values (named arrays) and of a range (numbers)."""
    if not isinstance(operand, cst.Name):
        return None
    binding = analysis.binder.resolve(operand.value, at)
    element = binding.element if binding is not None and binding.kind is BindingKind.ELEMENT else None
    if element is None:
        return None
    iterable = element.iterable
    if isinstance(iterable, cst.Call) and isinstance(iterable.func, cst.Name) and iterable.func.value in (
            "zip", "enumerate") and iterable.args:
        # `for i, v in enumerate(m)`, `for a, b in zip(m, n)`: the element of the iterable its path selects
        index = element.path[0] - (1 if iterable.func.value == "enumerate" else 0) if len(element.path) == 1 else -1
        if not 0 <= index < len(iterable.args):
            return None
        iterable = iterable.args[index].value
    elif element.path:
        return None
    # a literal collection of arrays, also through a name (`splits = [x_train, x_test]`): whole arrays
    if isinstance(analysis.binder.follow(iterable, at, _MAX_DEPTH)[0], (cst.List, cst.Tuple, cst.Set, cst.Dict)):
        return None
    if isinstance(iterable, cst.Call):
        callee = iterable.func.attr.value if isinstance(iterable.func, cst.Attribute) else getattr(
            iterable.func, "value", "")
        if callee in ("range", "items", "values", "keys"):
            return None
    return analysis.spelled(iterable)


def _fitted_attribute(analysis: ModuleAnalysis, call: cst.Call, at: Point) -> tuple[ClassInfo, str] | None:
    """(class, attribute) when the statistic is kept as `self.attribute` by a method of a class (computed in the
    assignment, or in a name assigned to it), and no method of the class replaces the zero entries of it or of an
    attribute computed from it (`self.std[self.std == 0] = 1`, `self.scale = np.sqrt(self.var)` then
    `self.scale[self.scale == 0] = 1`, `self.scale[const_idx] = 1`)."""
    binder = analysis.binder
    owner = binder.enclosing_class(at.scope)
    if owner is None:
        return None
    stored = {attribute: [binder.follow(value, At(method, seq), _MAX_DEPTH)[0] for method, seq, value in bindings
                          if isinstance(value, cst.BaseExpression)]
              for attribute, bindings in owner.attributes.items()}
    kept = [attribute for attribute, values in stored.items()
            if any(node is call for value in values for node in descendants(value))]
    if not kept:
        return None
    derived = set(kept)
    grown = True
    while grown:
        grown = False
        for attribute, values in stored.items():
            if attribute not in derived and any(_reads_attribute(value, derived) for value in values):
                derived.add(attribute)
                grown = True
    return None if _entries_replaced(analysis, owner, derived) else (owner, kept[0])


def _reads_attribute(expr: cst.BaseExpression, attributes: set[str]) -> bool:
    return any(isinstance(node, cst.Attribute) and node.attr.value in attributes and isinstance(node.value, cst.Name)
               and node.value.value == "self" for node in descendants(expr))


def _entries_replaced(analysis: ModuleAnalysis, owner: ClassInfo, attributes: set[str]) -> bool:
    """Some method of the class (or of a local base) writes entries of one of `attributes`: `self.std[mask] = 1`."""
    for cls in analysis.binder.lineage(owner):
        for method in cls.methods.values():
            for node in descendants(method.node):
                if isinstance(node, cst.Assign) and any(_indexes_attribute(target.target, attributes)
                                                        for target in node.targets):
                    return True
    return False


def _indexes_attribute(target: cst.BaseExpression, attributes: set[str]) -> bool:
    value = target.value if isinstance(target, cst.Subscript) else None
    return (isinstance(value, cst.Attribute) and value.attr.value in attributes and isinstance(value.value, cst.Name)
            and value.value.value == "self")


def _constant_pixel_images(analysis: ModuleAnalysis, operand: cst.BaseExpression, at: Point) -> str | None:
    """The name of the array when `operand` holds images of a data set with a constant pixel (MNIST), followed
    through names, copies, casts, reshapes, scalings (`x / 255.0`), subscripts and attributes (`mnist.train.images`)
    to the loader that returned it."""
    expr: cst.BaseExpression | None = operand
    for _ in range(_MAX_DEPTH):
        if isinstance(expr, cst.Call) and (analysis.qualified_name(expr.func) or "").endswith(_CONSTANT_PIXEL_LOADERS):
            return analysis.spelled(operand)
        if expr is None:
            return None
        expr, at = _entries_from(analysis, expr, at)
    return None


def _entries_from(analysis: ModuleAnalysis, expr: cst.BaseExpression, at: Point) -> tuple[cst.BaseExpression | None,
                                                                                          Point]:
    """One step back to the array whose entries `expr` holds (scaled, cast, reshaped, selected): a name's bound
    value, the left operand of `x / 255.0` or `x - mean`, what a subscript or attribute reads, what a copy, cast or
    reshape takes. None where the entries are made there."""
    if isinstance(expr, cst.Name):
        binding = analysis.binder.resolve(expr.value, at)
        if binding is not None and isinstance(binding.value, Unpacked):
            return binding.value.source, binding.at
        return (binding.expression, binding.at) if binding is not None else (None, at)
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, (cst.Divide, cst.Multiply, cst.Subtract)):
        return expr.left, at
    if isinstance(expr, (cst.Subscript, cst.Attribute)):
        return expr.value, at
    if not isinstance(expr, cst.Call):
        return None, at
    qualified = analysis.qualified_name(expr.func)
    if qualified is None and isinstance(expr.func, cst.Attribute) and expr.func.attr.value in SAME_ENTRIES:
        return expr.func.value, at  # `x.astype("float32")`, `x.reshape(60000, 784)`
    if qualified is not None and qualified.rsplit(".", 1)[-1] in SAME_ENTRIES and expr.args:
        return expr.args[0].value, at  # `np.copy(x)`, `np.asarray(x)`
    return None, at
