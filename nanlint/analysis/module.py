"""One analysis of a module, built in a single libcst visitor pass and shared by every check.

It records what checks query: the import table, the functions and classes with their local
assignments, parameters and returns, and every call and arithmetic operation with the statement and
function it sits in. Positions are computed lazily, only when a check reports a node, because
libcst's PositionProvider costs a full code-generation pass that clean files never need.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Union

import libcst as cst
from libcst._position import CodeRange

from nanlint.analysis.arguments import argument
from nanlint.analysis.names import ImportTable
from nanlint.analysis.walk import descendants, name_reads, walk
from nanlint.analysis.operations import COMPARISONS, FIXED_POWERS, OPERATOR_FORMS, Op, method_operation, operation_of
from nanlint.parse import Positions, code_for_node

if TYPE_CHECKING:  # the engines import this module; at run time they are imported lazily, on first use
    from nanlint.frontend import SourceMap
    from nanlint.analysis.binder import Binder, Point
    from nanlint.analysis.conditions import StatementConditions
    from nanlint.analysis.domain import Domain
    from nanlint.analysis.gradients import GradientFlow
    from nanlint.analysis.guards import Guards
    from nanlint.analysis.infinities import InfiniteRows
    from nanlint.analysis.models import Model, ModelPicture
    from nanlint.analysis.ranges import Ranges
    from nanlint.analysis.precision import Precision
    from nanlint.analysis.values import ValueFacts


@dataclass(frozen=True)
class Unpacked:
    """Element `index` of a tuple-unpacked value (`mean, var = tf.nn.moments(x)`)."""

    source: cst.BaseExpression
    index: int


@dataclass(frozen=True)
class Element:
    """What a loop or comprehension target is bound to: one element of what it iterates (`d` in `for d in dists`),
    or part of one for a tuple target (`dist` in `for (p, dist) in zip(ps, dists)`: path (1,))."""

    iterable: cst.BaseExpression
    path: tuple[int, ...] = ()


AssignedValue = Union[cst.BaseExpression, Unpacked, Element, None]


@dataclass(frozen=True)
class ComprehensionTarget:
    """A comprehension's target, bound only inside the comprehension (Python 3 comprehensions have their own
    scope): visible from `start` to `end` in source order, its iterable evaluated at `seq` (before the
    comprehension for the first `for`, inside it for a nested one, which can read the outer targets)."""

    name: str
    start: int
    end: int
    seq: int
    value: Element | None  # None: a name the analysis does not follow (`for a, *rest in rows`)


@dataclass
class Scope:
    """A function body (or the module body): where names are assigned and looked up."""

    name: str  # "" for the module, "f", "Model.call"
    node: cst.CSTNode
    parent: Scope | None
    class_name: str | None = None
    # a `@staticmethod`: a method of the class whose first parameter is passed by the caller, like any other
    static: bool = False
    params: list[str] = field(default_factory=list)
    # parameter -> its default value (`act=tf.nn.relu`), for parameters that have one
    defaults: dict[str, cst.BaseExpression] = field(default_factory=dict)
    # name -> [(seq, assigned value)]; None when unknowable (a loop target, a `def`). Look names up with
    # `analysis.binder.resolve`, never here directly.
    assignments: dict[str, list[tuple[int, AssignedValue]]] = field(default_factory=dict)
    returns: list[cst.BaseExpression] = field(default_factory=list)
    # name -> the comprehension targets of that name in this scope (look up with the binder too)
    comprehension_targets: dict[str, list[ComprehensionTarget]] = field(default_factory=dict)

    @property
    def is_property(self) -> bool:
        """A method read as an attribute (`@property`, `@cached_property`): `obj.name` is what it returns."""
        decorators = self.node.decorators if isinstance(self.node, cst.FunctionDef) else ()
        names = [d.decorator.value if isinstance(d.decorator, cst.Name) else d.decorator.attr.value
                 for d in decorators if isinstance(d.decorator, (cst.Name, cst.Attribute))]
        return any(name in ("property", "cached_property") for name in names)

    @property
    def receiver(self) -> bool:
        """The first parameter is bound by the call (`self`, `cls`), not passed: a method, not a staticmethod."""
        return self.class_name is not None and not self.static

    def encloses(self, inner: Scope) -> bool:
        """Whether `inner` is this scope or nested in it (a def, lambda or class body inside it)."""
        current: Scope | None = inner
        while current is not None:
            if current is self:
                return True
            current = current.parent
        return False


@dataclass
class ClassInfo:
    name: str
    node: cst.ClassDef
    bases: list[str]  # qualified names where resolvable, else the dotted source text
    methods: dict[str, Scope] = field(default_factory=dict)
    # `self.attr = value` in any method: attr -> [(the method, seq, value)]
    attributes: dict[str, list[tuple[Scope, int, AssignedValue]]] = field(default_factory=dict)

    def __hash__(self) -> int:
        return id(self)

    def __eq__(self, other: object) -> bool:
        return self is other


@dataclass(frozen=True)
class Site:
    """Where a node sits: its enclosing statement and scope, and its order in the source."""

    statement: cst.CSTNode
    scope: Scope
    seq: int
    loop: cst.For | None = None  # the innermost `for` loop around it, in the same function


@dataclass(frozen=True)
class CallSite:
    node: cst.Call
    qualified_name: str | None
    op: Op | None
    site: Site

    @property
    def is_numpy(self) -> bool:
        """NumPy has no gradients: gradient-only hazards do not apply to its calls."""
        return self.qualified_name is not None and self.qualified_name.split(".", 1)[0] == "numpy"


@dataclass(frozen=True)
class Division:
    node: cst.CSTNode
    numerator: cst.BaseExpression | None  # None for reciprocal
    denominator: cst.BaseExpression
    site: Site


@dataclass(frozen=True)
class AugmentedSite:
    """`x /= y`, `x -= y`, ...: the operation of an augmented assignment, which has no BinaryOperation node."""

    node: cst.AugAssign
    site: Site

    @property
    def operator(self) -> cst.BaseBinaryOp:
        return binary_operator(self.node.operator)


@dataclass(frozen=True)
class BinarySite:
    node: cst.BinaryOperation
    site: Site


class ModuleAnalysis:
    """Everything the checks know about one module. Build with `ModuleAnalysis.build`."""

    def __init__(self, module: cst.Module, path: str = "<unknown>", source: SourceMap | None = None) -> None:
        self.module = module
        self.path = path
        # Where nodes are and their code: from the source (nanlint.frontend's converted trees) or, for a tree
        # libcst parsed, from libcst's code generation.
        self._source = source
        self.imports = ImportTable()
        self.module_scope = Scope(name="", node=module, parent=None)
        self.functions: dict[str, Scope] = {}
        self.classes: dict[str, ClassInfo] = {}
        self.calls: list[CallSite] = []
        self.binary_operations: list[BinarySite] = []
        self.augmented: list[AugmentedSite] = []
        self.sites: dict[cst.CSTNode, Site] = {}
        # statement -> its place in source order, before anything in it (where an `if` test or `assert` is read)
        self.statement_seqs: dict[cst.CSTNode, int] = {}
        # returned expression -> the statement that returns it (where the conditions it is returned under are read)
        self.return_statements: dict[cst.BaseExpression, cst.CSTNode] = {}
        # the file never mentions TensorFlow or Keras: only `Check.outside_frameworks` checks run, on array code
        self.outside_frameworks = False
        # a test module: its data are the test's own (reference computations on fixtures, random draws); its NumPy
        # computations are expected values, which NAN001/NAN002 leave alone (bench/FINDINGS.md: the spread outside
        # frameworks, 25 of 30 FALSE findings; the second unseen set's nsl and trfl reference values)
        self.test_code = is_test_path(path)
        self.lambdas: dict[cst.Lambda, Scope] = {}
        # comprehension -> a point in source order inside it, where its element expression is evaluated
        self.comprehensions: dict[cst.BaseExpression, int] = {}
        self._calls_of: dict[tuple[Op, ...], tuple[CallSite, ...]] = {}  # `calls_of`, once the walk is done
        self._wrapped_where: set[cst.Call] = set()  # calls of a function that passes its arguments on to where()
        self._where_wrappers: dict[int, bool] = {}  # id(function scope) -> passes_to_where
        self._never_called: dict[int, bool] = {}  # id(function scope) -> never_called
        # local name -> (the project file, its name there) of a library module that file imports and this one
        # imports from it (`read_reexported_module`)
        self._reexported: dict[str, tuple[ModuleAnalysis, str]] = {}
        # call -> its operator form (`operator_form`), and back: one synthesized node per call, so that what the
        # engines memoize by node stays put, and messages quote the call as written
        self._operator_forms: dict[cst.Call, cst.BinaryOperation | cst.UnaryOperation | None] = {}
        self._written_as: dict[cst.CSTNode, cst.Call] = {}
        self._positions: Positions | None = None
        self._values: ValueFacts | None = None
        self._binder: Binder | None = None
        self._gradients: GradientFlow | None = None
        self._guards: Guards | None = None
        self._conditions: StatementConditions | None = None
        self._infinite_rows: InfiniteRows | None = None
        self._precision: Precision | None = None
        self._ranges: Ranges | None = None
        self._domain: Domain | None = None
        self._picture: ModelPicture | None = None

    @classmethod
    def build(cls, module: cst.Module, path: str = "<unknown>", source: SourceMap | None = None) -> ModuleAnalysis:
        analysis = cls(module, path, source)
        walk(analysis.module, _Collector(analysis))
        analysis._read_where_wrappers()
        return analysis

    def read_reexported_module(self, local: str) -> None:
        """`from tensorflow_asr import keras, tf`, where tensorflow_asr/__init__.py does `import tensorflow as tf`:
        `tf` is TensorFlow here too (TensorFlowASR writes every op as `tf.X` of that import), when the project file
        the name comes from binds it by a plain import of a module that is no file of the project."""
        from nanlint import project

        current = project.current()
        qualified = self.imports.qualified_name(cst.Name(local)) if current is not None else None
        found = current.symbol(self, qualified) if current is not None and qualified is not None else None
        if current is None or found is None:
            return
        other, name = found
        module = other.imports.bound_module(name)
        if module is not None and current.resolve(other.path, module) is None:
            self.imports.rebind(local, module)
            self._reexported[local] = (other, name)

    def _read_where_wrappers(self) -> None:
        """Calls of a function that hands its first three parameters on to where() are where() calls (bert4keras'
        backend: `def where(cond, x, y)` broadcasts its arguments and returns `tf.where(cond, x, y)`, installed as
        `K.where = where` on keras.backend, and its optimizers guard `K.where(g_norm > 0.0, x_norm / g_norm, 1.0)`):
        a function of this module, one imported from a project file, or one a project module installed on a module
        object it imported. Only calls spelled `where`/`switch` are looked up in other files."""
        for index, call in enumerate(self.calls):
            if call.op is None and self._calls_where_wrapper(call.node):
                self.calls[index] = replace(call, op=Op.WHERE)
                self._wrapped_where.add(call.node)

    def _calls_where_wrapper(self, node: cst.Call) -> bool:
        func = node.func
        if isinstance(func, cst.Name) and func.value in self.functions:
            return self.passes_to_where(self.functions[func.value])
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name):
            # installed here, or by the file that re-exports the module (`from bert4keras.backend import K`)
            owner, name = self._reexported.get(func.value.value, (self, func.value.value))
            installed = owner.installed_functions.get((name, func.attr.value))
            if installed is not None:
                return owner.passes_to_where(installed)
        name = func.value if isinstance(func, cst.Name) else func.attr.value if isinstance(func, cst.Attribute) \
            else ""
        qualified = self.imports.qualified_name(func) if name in _WHERE_NAMES else None
        return qualified is not None and _project_where_wrapper(self, qualified)

    def passes_to_where(self, function: Scope) -> bool:
        """A module-level function every return of which is `where(p0, p1, p2)` of its first three parameters,
        each name either the parameter itself or rebound only to values computed from it (broadcast, cast)."""
        if id(function) not in self._where_wrappers:
            self._where_wrappers[id(function)] = self._passes_to_where(function)
        return self._where_wrappers[id(function)]

    def _passes_to_where(self, function: Scope) -> bool:
        params = function.params[:3]
        if function.class_name is not None or len(params) < 3 or not function.returns:
            return False
        for returned in function.returns:
            if not (isinstance(returned, cst.Call) and self.op_of_call(returned) is Op.WHERE and len(returned.args) == 3
                    and [arg.value.value if isinstance(arg.value, cst.Name) else None for arg in returned.args]
                    == params):
                return False
        return all(isinstance(value, cst.BaseExpression) and any(
            isinstance(node, cst.Name) and node.value == name for node in descendants(value))
            for name in params for _, value in function.assignments.get(name, ()))

    @cached_property
    def compared(self) -> tuple[cst.BaseExpression, ...]:
        """The operands of every comparison of the module, Python's (`a < b < c`, `x is None`) and the array
        libraries' (`tf.greater_equal(a, b)`): values whose comparison result is a boolean, with no gradient."""
        found: list[cst.BaseExpression] = [arg.value for call in self.calls if call.op in COMPARISONS
                                           for arg in call.node.args if not (arg.keyword and arg.keyword.value == "name")]
        for node in descendants(self.module):
            if isinstance(node, cst.Comparison):
                found.append(node.left)
                found.extend(target.comparator for target in node.comparisons)
        return tuple(found)

    def never_called(self, scope: Scope) -> bool:
        """Whether `scope` is a function that can never run: a function defined inside another (not a method),
        undecorated, whose name nothing in the enclosing function reads (not called, returned, passed or stored;
        vae.py's `def normalise(x)` whose only uses are commented out), or one defined inside such a function.
        Its code is dead: nothing it computes exists."""
        found = self._never_called.get(id(scope))
        if found is None:
            found = self._never_called[id(scope)] = self._dead(scope)
        return found

    def _dead(self, scope: Scope) -> bool:
        parent = scope.parent
        if parent is None:
            return False
        if self.never_called(parent):
            return True
        node = scope.node
        if not isinstance(node, cst.FunctionDef) or node.decorators or scope.class_name is not None \
                or not isinstance(parent.node, cst.FunctionDef):
            return False
        return not any(read.value == node.name.value and read is not node.name for read in name_reads(parent.node))

    @cached_property
    def installed_functions(self) -> dict[tuple[str, str], Scope]:
        """(object, attribute) -> the module function a module-level `obj.attr = function` installs there."""
        found = {}
        for statement in self.module.body:
            small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
            if not (isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.value, cst.Name)):
                continue
            target = small.targets[0].target
            if isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name) \
                    and small.value.value in self.functions:
                found[(target.value.value, target.attr.value)] = self.functions[small.value.value]
        return found

    # -- queries used by checks -------------------------------------------------------------
    def calls_of(self, *ops: Op) -> tuple[CallSite, ...]:
        # memoized: some rules ask once per operation they check (quadratic on a 3,000-line file otherwise)
        found = self._calls_of.get(ops)
        if found is None:
            found = self._calls_of[ops] = tuple(call for call in self.calls if call.op in ops)
        return found

    def divisions(self) -> Iterator[Division]:
        """Every `/`, `//`, `%`, tf.divide, truediv, floordiv, mod and reciprocal in the module; not a string's `%`,
        which formats (`"%d classes" % n_classes`)."""
        for binary in self.binary_operations:
            node = binary.node
            if isinstance(node.operator, (cst.Divide, cst.FloorDivide)) or (
                    isinstance(node.operator, cst.Modulo) and not isinstance(node.left, cst.BaseString)):
                yield Division(node, node.left, node.right, binary.site)
        for augmented in self.augmented:
            if isinstance(augmented.operator, (cst.Divide, cst.FloorDivide, cst.Modulo)):
                yield Division(augmented.node, augmented.node.target, augmented.node.value, augmented.site)
        for call in self.calls_of(Op.DIVIDE, Op.FLOORDIV, Op.MOD, Op.RECIPROCAL):
            if call.op is Op.RECIPROCAL:
                numerator, denominator = None, argument(call.node, 0, "x")
            else:
                numerator, denominator = argument(call.node, 0, "x"), argument(call.node, 1, "y")
            if denominator is not None:
                yield Division(call.node, numerator, denominator, call.site)

    def op_of_call(self, node: cst.Call) -> Op | None:
        if node in self._wrapped_where:
            return Op.WHERE
        qualified = self.imports.qualified_name(node.func)
        if qualified is not None:
            return operation_of(qualified)
        return method_operation(node) or self.absent_backend_operation(node)

    def absent_backend_operation(self, node: cst.Call) -> Op | None:
        """`backend.where(c, a, b)` of `from . import backend` where the run has no such module: read as the
        TensorFlow operation of that name. A project's `backend` module is a shim over the array library that
        keeps its names (keras-retinanet's `backend.where`, `backend.gather_nd` wrap `tf.where`, `tf.gather_nd`);
        when the module is there, its own functions are read instead (project.py), and a name that is no
        TensorFlow operation stays unknown."""
        func = node.func
        if not (isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name)):
            return None
        module = self.imports.sibling_module(func.value.value)
        if module is None or module.lstrip(".").rsplit(".", 1)[-1] != "backend":
            return None
        from nanlint import project

        current = project.current()
        if current is not None and current.has_module(self, module):
            return None
        return operation_of(f"tensorflow.{func.attr.value}")

    def operator_form(self, expr: cst.BaseExpression) -> cst.BinaryOperation | cst.UnaryOperation | None:
        """The expression as a Python operator, however it is spelled: `a * b` itself, and `tf.multiply(a, b)`,
        `np.multiply(a, b)`, `tf.mul(a, b)` as `a * b`; `tf.negative(x)` as `-x`; `tf.square(x)` as `x ** 2`
        (`operations.OPERATOR_FORMS`, `FIXED_POWERS`). None for anything else. The engines read operators
        through this, so a rule written for `a * b` also reads every function spelling of it."""
        if isinstance(expr, (cst.BinaryOperation, cst.UnaryOperation)):
            return expr
        if not isinstance(expr, cst.Call):
            return None
        if expr in self._operator_forms:
            return self._operator_forms[expr]
        form = _operator_form(expr, self.op_of_call(expr))
        self._operator_forms[expr] = form
        if form is not None:
            self._written_as[form] = expr
        return form

    def operand(self, node: cst.Call) -> cst.BaseExpression | None:
        """What an operation applies to: the receiver of a method spelling (`a.std(axis=0)`), else the first
        argument (`tf.math.reduce_std(a)`, `x=a`, `input_tensor=a`, `tf.concat(axis=1, values=parts)`)."""
        if isinstance(node.func, cst.Attribute) and self.imports.qualified_name(node.func) is None \
                and method_operation(node) is not None:
            return node.func.value
        for keyword in ("x", "input_tensor", "tensor", "t", "input", "features", "logits", "values", "value"):
            found = argument(node, 0, keyword)
            if found is not None:
                return found
        return None

    @property
    def binder(self) -> Binder:
        """The one name resolver (lazy)."""
        if self._binder is None:
            from nanlint.analysis.binder import Binder

            self._binder = Binder(self)
        return self._binder

    def qualified_name(self, expr: cst.BaseExpression) -> str | None:
        return self.imports.qualified_name(expr)

    @property
    def values(self) -> ValueFacts:
        """The value-fact engine (lazy: files without candidate operations never pay for it)."""
        if self._values is None:
            from nanlint.analysis.values import ValueFacts

            self._values = ValueFacts(self)
        return self._values

    @property
    def picture(self) -> ModelPicture:
        """The one static picture of the module's Keras models (lazy, like `values`): the model-level checks read
        it, and the value analysis reads a model's output layer from it."""
        if self._picture is None:
            from nanlint.analysis.models import ModelPicture

            self._picture = ModelPicture(self)
        return self._picture

    @property
    def models(self) -> tuple[Model, ...]:
        """The Keras models built in the module, with their training set-ups."""
        return self.picture.models

    @property
    def gradients(self) -> GradientFlow:
        """Where gradients flow in the module (lazy: built only when a gradient-only hazard is found)."""
        if self._gradients is None:
            from nanlint.analysis.gradients import GradientFlow

            self._gradients = GradientFlow(self)
        return self._gradients

    @property
    def conditions(self) -> StatementConditions:
        """What Python's control flow establishes at each statement (lazy; shared by the binder and the guards)."""
        if self._conditions is None:
            from nanlint.analysis.conditions import StatementConditions

            self._conditions = StatementConditions(self)
        return self._conditions

    @property
    def guards(self) -> Guards:
        """The where()/cond() guards around operations (lazy, like `gradients`)."""
        if self._guards is None:
            from nanlint.analysis.guards import Guards

            self._guards = Guards(self)
        return self._guards

    @property
    def infinite_rows(self) -> InfiniteRows:
        """-Inf fills normalized over (lazy, like `guards`)."""
        if self._infinite_rows is None:
            from nanlint.analysis.infinities import InfiniteRows

            self._infinite_rows = InfiniteRows(self)
        return self._infinite_rows

    @property
    def ranges(self) -> Ranges:
        """Where values lie (lazy, like `values`): asked only where a rule is about to report."""
        if self._ranges is None:
            from nanlint.analysis.ranges import Ranges

            self._ranges = Ranges(self)
        return self._ranges

    @property
    def domain(self) -> Domain:
        """Unsafe-input queries: exp's overflow, logs of sums of exps, logits, cosines (lazy, like `values`)."""
        if self._domain is None:
            from nanlint.analysis.domain import Domain

            self._domain = Domain(self)
        return self._domain

    @property
    def precision(self) -> Precision:
        """Which float type code runs in (lazy, like `values`)."""
        if self._precision is None:
            from nanlint.analysis.precision import Precision

            self._precision = Precision(self)
        return self._precision

    def position(self, node: cst.CSTNode) -> CodeRange:
        """libcst's PositionProvider range of `node` (syntactic: without its own parentheses)."""
        if self._source is not None:
            return self._source.position(node)
        if self._positions is None:  # one code-generation pass, only for files with something to report
            self._positions = Positions(self.module)
        return self._positions[node]

    def squared_base(self, expr: cst.BaseExpression) -> cst.BaseExpression | None:
        """`t` of `t ** 2`, `t * t` and their function spellings (`square(t)`, `t.square()`, `pow(t, 2)`,
        `squared_difference(a, b)` as `(a - b)`), else None. The expression itself: callers follow names first."""
        if isinstance(expr, cst.Call) and self.op_of_call(expr) is Op.SQUARE:
            return self.operand(expr)
        form = self.operator_form(expr)
        if isinstance(form, cst.BinaryOperation):
            if isinstance(form.operator, cst.Power) and isinstance(form.right, (cst.Integer, cst.Float)) \
                    and float(form.right.evaluated_value) == 2.0:
                return form.left
            if isinstance(form.operator, cst.Multiply) and self.spelled(form.left) == self.spelled(form.right):
                return form.left
        return None

    def same_value(self, first: cst.BaseExpression, first_at: Point, second: cst.BaseExpression,
                   second_at: Point) -> bool:
        """The same expression reading the same bindings (`x` after `x = tf.cast(x, dtype)` in both places)."""
        if self.spelled(first) != self.spelled(second):
            return False
        return all(self.binder.resolve(a.value, first_at) == self.binder.resolve(b.value, second_at)
                   for a, b in zip(name_reads(first), name_reads(second)))

    def spelled(self, node: cst.CSTNode) -> str:
        """The node's code on one line, its whitespace runs collapsed: how messages and comparisons quote code."""
        return " ".join(self.code_of(node).split())

    def code_of(self, node: cst.CSTNode) -> str:
        """`module.code_for_node(node)`: the node's code with its parentheses (for an operator form, the call's)."""
        node = self._written_as.get(node, node)
        if self._source is not None:
            return self._source.code(node, self.module)
        return code_for_node(self.module, node)


class _Collector:
    """Collects facts in one pass; driven by `walk`, with libcst's visit_/leave_ method names."""

    def __init__(self, analysis: ModuleAnalysis) -> None:
        self.a = analysis
        self.scope = analysis.module_scope
        self.class_stack: list[ClassInfo] = []
        self.statement_stack: list[cst.CSTNode] = [analysis.module]
        self.counter = itertools.count()
        self.loops: list[tuple[cst.For, Scope]] = []
        # the comprehensions being walked, innermost last: (node, start, [(name, seq, element)])
        self.comprehensions: list[tuple[cst.BaseExpression, int, list[tuple[str, int, Element | None]]]] = []

    # statements ---------------------------------------------------------------------------
    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self.a.statement_seqs[node] = next(self.counter)
        self.statement_stack.append(node)

    def leave_SimpleStatementLine(self, original_node: cst.SimpleStatementLine) -> None:
        self.statement_stack.pop()

    def _site(self) -> Site:
        loop = self.loops[-1] if self.loops and self.loops[-1][1] is self.scope else None
        return Site(self.statement_stack[-1], self.scope, next(self.counter), loop[0] if loop else None)

    def _push_compound(self, node: cst.CSTNode) -> None:
        self.a.statement_seqs[node] = next(self.counter)
        self.statement_stack.append(node)

    def _pop_compound(self) -> None:
        self.statement_stack.pop()

    visit_If = visit_While = visit_With = visit_Try = _push_compound

    def leave_If(self, original_node: cst.If) -> None:
        self._pop_compound()

    def leave_While(self, original_node: cst.While) -> None:
        self._pop_compound()

    def leave_With(self, original_node: cst.With) -> None:
        self._pop_compound()

    def leave_Try(self, original_node: cst.Try) -> None:
        self._pop_compound()

    def visit_For(self, node: cst.For) -> None:
        self.statement_stack.append(node)
        self.loops.append((node, self.scope))
        for name, element in _targets(node.target, node.iter):
            self._assign(name, element)

    def leave_For(self, original_node: cst.For) -> None:
        self.statement_stack.pop()
        self.loops.pop()

    # comprehensions: targets bound inside, elements evaluated at a point inside ---------------
    def _enter_comprehension(self, node: cst.BaseExpression) -> None:
        self.comprehensions.append((node, next(self.counter), []))

    visit_ListComp = visit_SetComp = visit_GeneratorExp = visit_DictComp = _enter_comprehension

    def visit_CompFor(self, node: cst.CompFor) -> None:
        comprehension, start, targets = self.comprehensions[-1]
        inside = next(self.counter)
        self.a.comprehensions.setdefault(comprehension, inside)
        seq = start if not targets else inside  # the first iterable is evaluated before the comprehension runs
        targets.extend((name, seq, element) for name, element in _targets(node.target, node.iter))

    def _leave_comprehension(self, original_node: cst.BaseExpression) -> None:
        _, start, targets = self.comprehensions.pop()
        end = next(self.counter)
        for name, seq, element in targets:
            self.scope.comprehension_targets.setdefault(name, []).append(
                ComprehensionTarget(name, start, end, seq, element))

    leave_ListComp = leave_SetComp = leave_GeneratorExp = leave_DictComp = _leave_comprehension

    # imports ------------------------------------------------------------------------------
    def visit_Import(self, node: cst.Import) -> None:
        self.a.imports.add_import(node)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        self.a.imports.add_import_from(node)
        if node.module is not None and not isinstance(node.names, cst.ImportStar):
            for alias in node.names:
                bound = alias.asname.name if alias.asname is not None else alias.name
                if isinstance(bound, cst.Name):
                    self.a.read_reexported_module(bound.value)

    # scopes -------------------------------------------------------------------------------
    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.statement_stack.append(node)
        bases = []
        for arg in node.bases:
            qualified = self.a.imports.qualified_name(arg.value)
            bases.append(qualified or self.a.code_of(arg.value))
        info = ClassInfo(node.name.value, node, bases)
        self.a.classes[info.name] = info
        self.class_stack.append(info)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.class_stack.pop()
        self.statement_stack.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.statement_stack.append(node)
        cls = self.class_stack[-1] if self.class_stack and self.scope.class_name is None else None
        name = f"{cls.name}.{node.name.value}" if cls else node.name.value
        if self.scope.name and cls is None:
            name = f"{self.scope.name}.<locals>.{node.name.value}"
        static = any(isinstance(d.decorator, cst.Name) and d.decorator.value == "staticmethod" for d in node.decorators)
        scope = Scope(name=name, node=node, parent=self.scope, class_name=cls.name if cls else None,
                      static=cls is not None and static)
        _declare_params(scope, node.params)
        if cls is not None:
            cls.methods[node.name.value] = scope
        self.a.functions[name] = scope
        # A def binds its name in the enclosing scope; record it so lookups know it is not unknown.
        self.scope.assignments.setdefault(node.name.value, []).append((next(self.counter), None))
        self.scope = scope

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        assert self.scope.parent is not None
        self.scope = self.scope.parent
        self.statement_stack.pop()

    def visit_Lambda(self, node: cst.Lambda) -> None:
        # A lambda's parameters shadow the enclosing names its body reads; its body is its return value.
        scope = Scope(name=f"{self.scope.name}.<lambda>" if self.scope.name else "<lambda>", node=node,
                      parent=self.scope, returns=[node.body])
        _declare_params(scope, node.params)
        self.a.lambdas[node] = scope
        self.scope = scope

    def leave_Lambda(self, original_node: cst.Lambda) -> None:
        assert self.scope.parent is not None
        self.scope = self.scope.parent

    # values (recorded on leave, so the right-hand side's own calls precede the binding) -----
    def _assign(self, name: str, value: AssignedValue) -> None:
        self.scope.assignments.setdefault(name, []).append((next(self.counter), value))

    def leave_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._bind(target.target, node.value)

    def leave_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._bind(node.target, node.value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self.a.augmented.append(AugmentedSite(node, self._site()))

    def leave_AugAssign(self, node: cst.AugAssign) -> None:
        # `x /= y` is `x = x / y`; the value engine evaluates the synthesized expression.
        synthesized = cst.BinaryOperation(left=node.target, operator=binary_operator(node.operator), right=node.value)
        self._bind(node.target, synthesized)

    def leave_NamedExpr(self, node: cst.NamedExpr) -> None:
        if isinstance(node.target, cst.Name):
            self._assign(node.target.value, node.value)

    def _bind(self, target: cst.BaseExpression, value: AssignedValue) -> None:
        if isinstance(target, cst.Name):
            self._assign(target.value, value)
        elif isinstance(target, (cst.Tuple, cst.List)) and isinstance(value, cst.BaseExpression):
            # (an unpacking always assigns an expression; only `self.x` targets are ever bound to an `Unpacked`)
            values = value.elements if isinstance(value, (cst.Tuple, cst.List)) else None
            for index, element in enumerate(target.elements):
                if isinstance(element, cst.StarredElement):
                    continue
                if values is not None and index < len(values) and not isinstance(values[index], cst.StarredElement):
                    self._bind(element.value, values[index].value)
                elif isinstance(element.value, cst.Attribute):
                    # `self.a_prob, self.v = self._build_net()`
                    self._bind(element.value, Unpacked(value, index))
                else:
                    for name in _target_names(element.value):
                        self._assign(name, Unpacked(value, index))
        elif isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name) and target.value.value == "self":
            # `self.probs = softmax(h)` in one method, read in another: an attribute of the class.
            if self.class_stack:
                self.class_stack[-1].attributes.setdefault(target.attr.value, []).append(
                    (self.scope, next(self.counter), value))

    def visit_Return(self, node: cst.Return) -> None:
        if node.value is not None:
            self.scope.returns.append(node.value)
            self.a.return_statements[node.value] = self.statement_stack[-1]

    # operations ---------------------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        site = self._site()
        qualified = self.a.imports.qualified_name(node.func)
        op = operation_of(qualified) if qualified is not None else (
            method_operation(node) or self.a.absent_backend_operation(node))
        self.a.calls.append(CallSite(node, qualified, op, site))
        self.a.sites[node] = site

    def visit_BinaryOperation(self, node: cst.BinaryOperation) -> None:
        site = self._site()
        self.a.binary_operations.append(BinarySite(node, site))
        self.a.sites[node] = site


# The names under which a where wrapper of another project file is looked up (`K.where`, `B.switch`).
_WHERE_NAMES = ("where", "switch")


def _project_where_wrapper(analysis: ModuleAnalysis, qualified: str) -> bool:
    """`qualified` (as imported into `analysis`) names a where wrapper of a project file: a function defined there
    (`from pkg.backend import where`), or one that file installed on a module object it imported (`from
    pkg.backend import K`, then `K.where`, after `K.where = where` in pkg/backend.py)."""
    from nanlint import project

    current = project.current()
    if current is None:
        return False
    found = current.symbol(analysis, qualified)
    if found is not None:
        other, name = found
        function = other.functions.get(name)
        return function is not None and other.passes_to_where(function)
    owner, _, attribute = qualified.rpartition(".")
    found = current.symbol(analysis, owner) if owner else None
    if found is None:
        return False
    other, name = found
    installed = other.installed_functions.get((name, attribute))
    return installed is not None and other.passes_to_where(installed)


def _operator_form(call: cst.Call, op: Op | None) -> cst.BinaryOperation | cst.UnaryOperation | None:
    if op is Op.ADD_N:
        return _sum_of_listed(argument(call, 0, "inputs"))
    if op is Op.SQUARED_DIFFERENCE:
        left, right = argument(call, 0, "x"), argument(call, 1, "y")
        if left is None or right is None:
            return None
        difference = cst.BinaryOperation(left=left, operator=cst.Subtract(), right=right, lpar=[cst.LeftParen()],
                                         rpar=[cst.RightParen()])
        return cst.BinaryOperation(left=difference, operator=cst.Power(), right=cst.Integer("2"))
    if op in FIXED_POWERS:
        base = argument(call, 0, "x")
        if base is None:
            return None
        return cst.BinaryOperation(left=base, operator=cst.Power(), right=cst.Integer(str(FIXED_POWERS[op])))
    operator = OPERATOR_FORMS.get(op) if op is not None else None
    if operator is None:
        return None
    if operator == "Minus":
        operand = argument(call, 0, "x")
        return cst.UnaryOperation(operator=cst.Minus(), expression=operand) if operand is not None else None
    # the first two arguments by position, or by the keywords of TF (x, y), NumPy (x1, x2) and matmul (a, b)
    left = argument(call, 0, "x") or argument(call, 0, "x1") or argument(call, 0, "a") or argument(call, 0, "value")
    right = argument(call, 1, "y") or argument(call, 1, "x2") or argument(call, 1, "b") or argument(call, 1, "bias")
    if left is None or right is None:
        return None
    return cst.BinaryOperation(left=left, operator=getattr(cst, operator)(), right=right)


def _sum_of_listed(listed: cst.BaseExpression | None) -> cst.BinaryOperation | None:
    """`add_n([a, b, c])` as `a + b + c`: a literal list of two tensors or more, none of them starred."""
    if not isinstance(listed, (cst.List, cst.Tuple)) or len(listed.elements) < 2 or any(
            isinstance(element, cst.StarredElement) for element in listed.elements):
        return None
    total: cst.BaseExpression = listed.elements[0].value
    for element in listed.elements[1:]:
        total = cst.BinaryOperation(left=total, operator=cst.Add(), right=element.value)
    assert isinstance(total, cst.BinaryOperation)
    return total


def _target_names(target: cst.BaseExpression) -> list[str]:
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [name for element in target.elements for name in _target_names(element.value)]
    return []


def _targets(target: cst.BaseExpression, iterable: cst.BaseExpression,
             path: tuple[int, ...] = ()) -> list[tuple[str, Element | None]]:
    """The names a loop target binds, each with the element part it receives (`(i, (a, b))`: b is part (1, 1));
    None for a name the analysis does not follow (under a starred target, an attribute or subscript target)."""
    if isinstance(target, cst.Name):
        return [(target.value, Element(iterable, path))]
    if isinstance(target, (cst.Tuple, cst.List)) and not any(isinstance(e, cst.StarredElement) for e in target.elements):
        return [found for index, element in enumerate(target.elements)
                for found in _targets(element.value, iterable, (*path, index))]
    return [(name, None) for name in _target_names(target)]


def _declare_params(scope: Scope, params: cst.Parameters) -> None:
    for param in (*params.posonly_params, *params.params, *params.kwonly_params):
        scope.params.append(param.name.value)
        if param.default is not None:
            scope.defaults[param.name.value] = param.default
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            scope.params.append(star.name.value)


_AUG_MAP: dict[type[cst.BaseAugOp], type[cst.BaseBinaryOp]] = {
    cst.AddAssign: cst.Add,
    cst.SubtractAssign: cst.Subtract,
    cst.MultiplyAssign: cst.Multiply,
    cst.DivideAssign: cst.Divide,
    cst.FloorDivideAssign: cst.FloorDivide,
    cst.ModuloAssign: cst.Modulo,
    cst.PowerAssign: cst.Power,
    cst.MatrixMultiplyAssign: cst.MatrixMultiply,
    cst.BitOrAssign: cst.BitOr,
    cst.BitAndAssign: cst.BitAnd,
    cst.BitXorAssign: cst.BitXor,
    cst.LeftShiftAssign: cst.LeftShift,
    cst.RightShiftAssign: cst.RightShift,
}


def binary_operator(operator: cst.BaseAugOp) -> cst.BaseBinaryOp:
    """The binary operator of an augmented one (`/=` -> `/`, `@=` -> `@`, `|=` -> `|`)."""
    return _AUG_MAP[type(operator)]()


def is_test_path(path: str) -> bool:
    """`x_test.py`, `test_x.py`, `test_util.py`, anything under `tests/` or `testing/`."""
    normalized = "/" + path.replace("\\", "/")
    name = normalized.rsplit("/", 1)[-1]
    return name.endswith("_test.py") or name.startswith("test_") or "/tests/" in normalized \
        or "/testing/" in normalized
