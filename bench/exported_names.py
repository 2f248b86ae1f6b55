"""Generate nanlint/analysis/exported_names.py: every name under which TensorFlow, Keras and NumPy export an
operation of the operation table, read from the libraries themselves.

Run with TensorFlow, Keras 3 and NumPy installed (never on the linting path):

    python bench/exported_names.py --write    # regenerate the committed module
    python bench/exported_names.py --check    # exit 1 (with a diff) if the committed module differs
    python bench/exported_names.py --stats    # what the table adds, and the conflicts it left out

How. The hand-written table (`operations.SPELLINGS`) names each operation in a few namespaces; the libraries
export the same function object under many more names (`tf.compat.v1.math.truediv`, `tf.compat.v1.div` ...,
`tf.keras.backend.log`, `keras.ops.numpy.absolute`, `numpy.amax`) and define it in an internal module
(`tensorflow.python.ops.gen_math_ops.real_div`). So:
1. walk the public API: `tensorflow` (every public submodule, `tf.compat.v1` included, `tf.keras`, which is Keras 3's
   `keras._tf_keras.keras` with its legacy backend), `keras` (every public submodule) and `numpy` (and
   `numpy.linalg`): every public name, the object it is bound to (unwrapped through `__wrapped__`, so a dispatch or
   deprecation wrapper is its function), and the internal path that defines a function (`__module__.__name__`),
   plus every public name of the TensorFlow and Keras internal modules that define them;
2. seed: an object is the operation Op when one of its names, normalized as the linter normalizes
   (`operations.normalize`), is a hand-written spelling of Op; an object seeded by two operations is left out;
3. every other name of a seeded object, normalized, is that operation, unless the hand-written table already
   reads the name (same operation: nothing to add; another: a conflict, left out and listed by --stats);
4. Keras layer classes that `keras.layers` exports under a second name (`MaxPool2D`, `Convolution2D`): that name ->
   the class's own name, by which `analysis/keras.py` reads layers.
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import inspect
import os
import sys
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "nanlint" / "analysis" / "exported_names.py"

# Public API roots walked (and every public submodule under them).
_ROOTS = ("tensorflow", "keras", "numpy")
# A module is walked when its own name is one of these (the API modules TensorFlow and Keras generate, NumPy's
# public modules), so internal packages reached as attributes (`tf.python`) are not.
_API_MODULES = ("tensorflow._api.", "keras.api.", "keras._tf_keras.", "keras.src.legacy.backend")
_NUMPY_MODULES = ("numpy", "numpy.linalg")
_TOP = {"tensorflow", "keras"}
# Internal modules whose public names are read too: where TensorFlow's and Keras' own code (and code copied from it)
# calls the operations (`from tensorflow.python.ops import math_ops`).
_INTERNAL = ("tensorflow.python.ops.", "tensorflow.python.framework.", "keras.src.ops.", "keras.src.backend.",
             "keras.src.activations.", "keras.src.legacy.")


def _is_api_module(module: types.ModuleType) -> bool:
    name = getattr(module, "__name__", "") or ""
    return name in _TOP or name.startswith(_API_MODULES) or name in _NUMPY_MODULES


def _unwrap(obj: object) -> object:
    try:
        return inspect.unwrap(obj)  # type: ignore[arg-type]
    except Exception:  # noqa: BLE001 - a lazy module proxy (keras' scipy loader) that cannot load is no wrapper
        return obj


def _callable(obj: object) -> bool:
    try:
        return callable(obj) and not isinstance(obj, types.ModuleType)
    except Exception:  # noqa: BLE001
        return False


def _public(module: types.ModuleType) -> list[tuple[str, object]]:
    out = []
    for name in sorted(dir(module)):
        if name.startswith("_"):
            continue
        try:
            out.append((name, getattr(module, name)))
        except Exception:  # noqa: BLE001 - a lazy attribute that fails to load is simply not exported here
            continue
    return out


def _own_names(obj: object, target: object, names: set[str]) -> set[str]:
    own = {getattr(obj, "__name__", None), getattr(target, "__name__", None)}
    return {name for name in own if isinstance(name, str)} | {name.rsplit(".", 1)[-1] for name in names}


def walk() -> dict[int, tuple[object, set[str]]]:
    """id(unwrapped object) -> (object, every dotted name it is reached under)."""
    objects: dict[int, tuple[object, set[str]]] = {}
    members_of: dict[int, list[tuple[str, object]]] = {}
    seen: set[tuple[int, str]] = set()
    queue: list[tuple[str, types.ModuleType]] = [(root, importlib.import_module(root)) for root in _ROOTS]
    if importlib.util.find_spec("tf_keras") is not None:
        queue.append(("tf_keras", importlib.import_module("tf_keras")))
    queue.append(("numpy.linalg", importlib.import_module("numpy.linalg")))
    while queue:
        path, module = queue.pop(0)
        if (id(module), path) in seen or path.count(".") > 6 or path.count("compat.") > 1:
            continue
        seen.add((id(module), path))
        if id(module) not in members_of:
            members_of[id(module)] = _public(module)
        for name, obj in members_of[id(module)]:
            if isinstance(obj, types.ModuleType):
                if _is_api_module(obj):
                    queue.append((f"{path}.{name}", obj))
            elif _callable(obj):
                target = _unwrap(obj)
                objects.setdefault(id(target), (target, set()))[1].add(f"{path}.{name}")
                definer = getattr(target, "__module__", None)
                defined = getattr(target, "__name__", None)
                if isinstance(definer, str) and isinstance(defined, str) and definer.startswith(_INTERNAL):
                    objects[id(target)][1].add(f"{definer}.{defined}")
    # the internal modules that define them, and those TensorFlow's and Keras' own code calls them from
    for module_name, module in sorted(sys.modules.items()):
        if module is None or not module_name.startswith(_INTERNAL) or ".tests" in module_name or "_test" in module_name:
            continue
        for name, obj in _public(module):
            if isinstance(obj, types.ModuleType):
                continue
            target = _unwrap(obj)
            # a name the module binds the function under its own name or one of its public names (not a loop
            # variable left at module level, `weak_tensor_ops.tensor_oper`, bound to whichever op came last)
            if id(target) in objects and name in _own_names(obj, target, objects[id(target)][1]):
                objects[id(target)][1].add(f"{module_name}.{name}")
    return objects


def generate() -> tuple[dict[str, str], list[str]]:
    """(normalized name -> Op value for every name the hand-written table does not read, conflicts)."""
    sys.path.insert(0, str(ROOT))
    from nanlint.analysis import operations

    hand = {name: op for op, names in operations.SPELLINGS.items() for name in names}
    objects = walk()
    seeded: dict[int, set[operations.Op]] = {}
    for key, (_, names) in objects.items():
        ops = {hand[operations.normalize(name)] for name in names if operations.normalize(name) in hand}
        if ops:
            seeded[key] = ops
    table: dict[str, str] = {}
    conflicts: list[str] = []
    for key, ops in seeded.items():
        names = objects[key][1]
        if len(ops) > 1:
            conflicts.append(f"object {sorted(names)[0]} is {sorted(op.name for op in ops)}: left out")
            continue
        (op,) = ops
        for name in names:
            normalized = operations.normalize(name)
            if normalized in hand:
                if hand[normalized] is not op:
                    conflicts.append(f"{name} ({normalized}) is {hand[normalized].name} by hand, {op.name} by object")
                continue
            if table.get(normalized, op.value) != op.value:
                conflicts.append(f"{normalized}: {table[normalized]} and {op.value}")
            table[normalized] = op.value
    # a name that two objects of different operations normalize to is left out
    for line in conflicts:
        if line.count(":") == 1 and not line.startswith("object"):
            table.pop(line.split(":")[0], None)
    return dict(sorted(table.items())), sorted(set(conflicts))


def layer_classes() -> dict[str, str]:
    """Another name -> the class name, for every Keras layer class `keras.layers` exports under a second name
    (`MaxPool2D` is `MaxPooling2D`, `Convolution2D` is `Conv2D`)."""
    import keras

    exported = {name: getattr(keras.layers, name) for name in dir(keras.layers) if not name.startswith("_")}
    aliases = {}
    for name, obj in exported.items():
        own = getattr(obj, "__name__", None)
        if inspect.isclass(obj) and own != name and exported.get(own) is obj:
            aliases[name] = own
    return dict(sorted(aliases.items()))


def versions() -> str:
    import keras
    import numpy
    import tensorflow

    return f"TensorFlow {tensorflow.__version__}, Keras {keras.__version__}, NumPy {numpy.__version__}"


def render(table: dict[str, str], layers: dict[str, str]) -> str:
    lines = [
        '"""Generated by bench/exported_names.py from ' + versions() + ': do not edit.',
        "",
        "Every name under which these libraries export a function object (or define it, in their internal modules)",
        "that the hand-written table (`operations.SPELLINGS`) reads as an operation under another name, normalized as",
        "`operations.normalize` normalizes, mapped to that operation's value; names the hand-written table already",
        "reads are not repeated. Regenerate after a TensorFlow/Keras/NumPy upgrade or a change of SPELLINGS:",
        "`python bench/exported_names.py --write` (tests/test_exported_names.py fails while it differs).",
        '"""',
        "",
        "EXPORTED_NAMES: dict[str, str] = {",
        *(f"    {name!r}: {value!r}," for name, value in table.items()),
        "}",
        "",
        "# Keras layer classes exported under a second name in `keras.layers`: that name -> the class's own name.",
        "LAYER_CLASSES: dict[str, str] = {",
        *(f"    {name!r}: {value!r}," for name, value in layers.items()),
        "}",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", action="store_true")
    mode.add_argument("--check", action="store_true")
    mode.add_argument("--stats", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    table, conflicts = generate()
    layers = layer_classes()
    text = render(table, layers)
    if args.write:
        TARGET.write_text(text)
        print(f"{TARGET.relative_to(ROOT)}: {len(table)} names, {len(layers)} layer class aliases")
        return 0
    if args.check:
        committed = TARGET.read_text() if TARGET.exists() else ""
        if committed == text:
            return 0
        sys.stdout.writelines(difflib.unified_diff(committed.splitlines(True), text.splitlines(True),
                                                   "committed", "generated", n=0))
        print("\nregenerate: python bench/exported_names.py --write", file=sys.stderr)
        return 1
    by_op: dict[str, int] = {}
    for value in table.values():
        by_op[value] = by_op.get(value, 0) + 1
    print(f"{len(table)} names added; by operation:")
    for value, count in sorted(by_op.items(), key=lambda item: -item[1]):
        print(f"  {value}: {count}")
    print(f"{len(conflicts)} conflicts left out:")
    for line in conflicts:
        print(f"  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
