"""Where gradients flow: which code of a module is differentiated, which only runs forward.

A hazard of the gradient alone (sqrt's Inf derivative at 0, where's untaken branch, acos at ±1) only matters
where something differentiates the code. This module answers `GradientFlow.at(site, node)`:

- DIFFERENTIATED: losses given to `compile` (functions, Loss subclasses), functions with Keras' loss
  signature named as a loss (`def dice_loss(y_true, y_pred)`, a method `loss(self, y_true, y_pred)`), `call` of
  Layer/Model/Loss subclasses, `train_step`/`compute_loss`, `GradientTape` blocks, functions given to
  `jax.grad`, to `Lambda`/`Activation` layers or as a layer's `activation=`, scopes that call
  `minimize`/`tf.gradients`/`.backward()`, functions that build a functional model (`keras.Input`), functions
  that run a model with `training=True` and apply no update themselves (a gradient penalty), and every function
  of the module reached from those through calls (`self.method()` included, with the overrides of the
  subclasses defined in the module: a base class's `call` runs its subclass's hook), and module-level functions
  that another file of the project calls from its differentiated code.
- FORWARD_ONLY: metrics, optimizers (LAMB/LARS trust ratios), initializers, constraints, callbacks,
  preprocessing/augmentation layers, `build`/`__init__`/`test_step`/`predict_step`, functions given to
  `dataset.map`/`py_function` or only to `metrics=`, test methods, `@tf.function` entry points with no tape
  that nothing differentiated calls, code outside the tape of a function that has one, `with
  tape.stop_recording()` blocks, and the arguments of `stop_gradient`, `tf.summary.*`, `assign*`, `print`, and of
  the calls whose result carries no gradient back: `argmax`/`argmin`, samplers (`tf.random.categorical`), and what
  is passed to a function (of the module, or of another project file: trieste's `logging.scalar`) that reads that
  parameter only inside such arguments (a project's own summary or logging wrapper).
  Code outside the tape of a function that applies the tape's gradients (a training step: what follows is
  metrics and clipping) is forward only; outside the tape of one that returns a value computed from them (a
  gradient penalty, double backprop) follows the function's own flow, except the code before the tape when the
  function's only evidence is a model it runs with training=True inside that tape (the tape does not record what
  ran before it: DP-SGD's per-example gradient norms, computed first and used in the tape as constant weights).
  What a function computes after its last `minimize()` (outside any loop around it) is forward only: minimize
  has taken its gradient and applied it when it returns (a projection of the updated weights, metrics). What a
  graph-building function computes from the gradients it takes (`compute_gradients`, `tf.gradients`) and applies
  (`apply_gradients`), their global norm and clipping, is forward only unless one of its differentiating calls
  reaches it (a gradient penalty), also when kept in an attribute other code fetches.
  Functions called only from forward-only code are forward-only.
- CUSTOM_GRADIENT: `@tf.custom_gradient` (and jax.custom_vjp/jvp) functions: their gradient is hand-written.
- UNKNOWN: the rest (a public helper nobody in the module calls, module-level script code).

Evidence of differentiation wins over a role's default (a `minimize` in a Layer's `__init__`, a tape in a
test method); the node-level regions (stop_gradient, summaries, assign, stop_recording) always win.
"""

from __future__ import annotations

import enum
import os
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import libcst as cst

from nanlint.analysis.arguments import argument
from nanlint.analysis.binder import END, At, Binding, BindingKind, Point
from nanlint.analysis.module import CallSite, ClassInfo, ModuleAnalysis, Scope, Site, Unpacked
from nanlint.analysis.names import called_name, dotted
from nanlint.analysis.operations import COMPARISONS, FIXED_CASTS, MEANS, Op, normalize, operation_named
from nanlint.analysis.reach import applied_gradient_processing, unreached_assignments
from nanlint.analysis.values import parameter_index
from nanlint.analysis.walk import descendants, name_reads
from nanlint.finding import Confidence


class Flow(enum.Enum):
    DIFFERENTIATED = "differentiated"
    FORWARD_ONLY = "forward only"
    CUSTOM_GRADIENT = "custom gradient"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Differentiation:
    """The flow at a point, why, and the node whose line the explanation cites."""

    flow: Flow
    why: str = ""  # "loss passed to compile", "optimizer update code (Lamb)"
    anchor: cst.CSTNode | None = None
    via: str = ""  # the function the point sits in, when it was reached through calls from the anchor


UNKNOWN = Differentiation(Flow.UNKNOWN)


class _Role(enum.Enum):
    """What a class is to Keras/TF, from its base classes (by name: bases are often relative imports)."""

    LAYER = "Layer/Model subclass"
    OPERATION = "Keras Operation subclass"
    LOSS = "Loss subclass"
    REGULARIZER = "regularizer"
    METRIC = "metric"
    OPTIMIZER = "optimizer update code"
    INITIALIZER = "initializer"
    CONSTRAINT = "constraint (applied after the update)"
    CALLBACK = "callback"
    PREPROCESSING = "preprocessing/augmentation layer"
    TEST = "test code"
    SAMPLER = "sampling/decoding code (generation)"


_FORWARD_ROLES = {_Role.METRIC, _Role.OPTIMIZER, _Role.INITIALIZER, _Role.CONSTRAINT, _Role.CALLBACK,
                  _Role.PREPROCESSING, _Role.TEST, _Role.SAMPLER}
# (role, qualified-name prefixes, last-component suffixes); the first match wins, so the forward-only
# layers (preprocessing) precede LAYER and LossScaleOptimizer is an optimizer, not a loss.
_ROLE_PATTERNS: tuple[tuple[_Role, tuple[str, ...], tuple[str, ...]], ...] = (
    (_Role.TEST, ("absl.testing.", "unittest."), ("TestCase",)),
    (_Role.METRIC, ("keras.metrics.",), ("Metric",)),
    (_Role.OPTIMIZER, ("keras.optimizers.", "tensorflow.train.", "tensorflow.optimizers."),
     ("Optimizer", "OptimizerV2")),
    (_Role.INITIALIZER, ("keras.initializers.",), ("Initializer",)),
    (_Role.CONSTRAINT, ("keras.constraints.",), ("Constraint",)),
    (_Role.CALLBACK, ("keras.callbacks.",), ("Callback",)),
    (_Role.SAMPLER, (), ("Sampler",)),
    (_Role.PREPROCESSING, ("keras.layers.preprocessing.",),
     ("AugmentationLayer", "PreprocessingLayer", "TFDataLayer", "Preprocessor", "Tokenizer", "ImageConverter")),
    (_Role.REGULARIZER, ("keras.regularizers.",), ("Regularizer",)),
    (_Role.LOSS, ("keras.losses.",), ("Loss",)),
    # Keras 3's Operation, the base of Layer: a functional model applies it to KerasTensors and trains through its
    # call() (keras.ops' Normalize, Std, Cdist; kgcnn's scatter ops).
    (_Role.OPERATION, ("keras.ops.operation.Operation", "keras.Operation"), ()),
    (_Role.LAYER, ("keras.layers.", "keras.Model", "keras.models.", "keras.Sequential", "tensorflow.Module",
                   "torch.nn.Module"), ("Layer", "Model", "Module", "Backbone")),
)
_TRAINED_ROLES = {_Role.LAYER, _Role.OPERATION}
# The decorators that export a function as TensorFlow's or Keras' public API, and the namespaces of that API whose
# functions are differentiable operations (TensorFlow's names are written without "tf.").
_API_EXPORTS = {"tf_export", "keras_export", "keras_core_export"}
_DIFFERENTIABLE_NAMESPACES = ("math.", "nn.", "image.", "linalg.", "signal.", "experimental.numpy.", "keras.ops.",
                              "keras.activations.", "keras.losses.", "keras.backend.")
# Keras' own preprocessing layers, which `keras.layers.X` does not tell apart from trainable ones.
_PREPROCESSING_LAYERS = ("Random", "Rescaling", "Resizing", "CenterCrop", "Normalization", "Discretization",
                         "StringLookup", "IntegerLookup", "TextVectorization", "Hashing", "CategoryEncoding")
# The files whose inherited methods are being read (`_seed_inherited_methods`), against a cycle of base classes.
_INHERITING: set[str] = set()
# Methods of a layer/model that differentiation runs through, and those that run once or outside training.
_LAYER_DIFFERENTIATED = {"call": "call()", "__call__": "__call__()", "train_step": "train_step()",
                         "compute_loss": "compute_loss()", "forward": "forward()"}
_LAYER_FORWARD = {"__init__", "build", "get_config", "from_config", "compute_output_shape", "compute_output_spec",
                  "test_step", "predict_step", "get_build_config", "build_from_config", "compute_mask"}
_CUSTOM_GRADIENT = ("tensorflow.custom_gradient", "jax.custom_vjp", "jax.custom_jvp", "tensorflow.RegisterGradient")
_GRAD_TRANSFORMS = ("jax.grad", "jax.value_and_grad", "jax.vjp", "jax.jvp", "torch.func.grad", "torch.autograd.grad")
# Calls that differentiate whatever their enclosing scope computed (TF1 graphs, torch).
_DIFFERENTIATING_METHODS = {"minimize": "minimize()", "compute_gradients": "compute_gradients()",
                            "backward": ".backward()"}
_TRAIN_OP = "create_train_op()"
# Those of them that return the gradients they take (minimize applies its own; create_train_op returns the loss).
_GRADIENT_PRODUCERS = frozenset({"compute_gradients()", "tf.gradients()"})
_DIFFERENTIATING_FUNCTIONS = {"tensorflow.gradients": "tf.gradients()",
                              # TF-Slim's training op: compute_gradients + apply_gradients of the loss it is given
                              **dict.fromkeys(("tensorflow.contrib.slim.learning.create_train_op",
                                               "tensorflow.contrib.training.create_train_op",
                                               "tf_slim.learning.create_train_op", "tf_slim.training.create_train_op",
                                               "tf_slim.create_train_op"), _TRAIN_OP)}
# Calls that apply an update: a function making them is a training step (or an optimizer), so what it computes
# outside its tape (gradient norms, clipping, metrics) is not differentiated.
_UPDATING_METHODS = {"apply_gradients", "minimize", "assign", "assign_add", "assign_sub"}
# TF1 functional layers: each call creates the trainable weights of a layer and applies them.
_TRAINABLE_LAYER_FUNCTIONS = ("tensorflow.layers.", "tensorflow.contrib.layers.", "tensorflow.contrib.slim.",
                              "tf_slim.")
# Calls that move the weights by an optimizer step.
_OPTIMIZER_STEPS = {"minimize", "apply_gradients", "fit", "train_on_batch"}
# Layers whose function argument runs inside the model (so it is differentiated when the model trains).
_FUNCTION_LAYERS = ("Lambda", "Activation")
# Keras' loss signature: `fn(y_true, y_pred)`; named as a loss (`dice_loss`, a method `loss`), it is one.
_LOSS_PARAMETERS = ("y_true", "y_pred")
# Words that name a metric (`dice_coef`, `f1_score`, `mean_iou`, `precision_m`), whole or between underscores.
_METRIC_NAME = re.compile(r"(?:^|_)(?:acc|accuracy|metric|metrics|precision|recall|f1|fbeta|iou|miou|coef|"
                          r"coefficient|psnr|ssim|auc|score)(?:_|$|\d)")
# Calls whose function arguments run in the input pipeline, never under a tape.
_PIPELINE_METHODS = {"map", "filter", "flat_map", "interleave", "from_generator"}
_PIPELINE_FUNCTIONS = ("tensorflow.py_function", "tensorflow.numpy_function", "tensorflow.py_func")
# Calls whose arguments are evaluated but never differentiated.
# (`opt.apply_gradients(grads_and_vars)` returns the update op, or the step count: nothing the gradients it applies
# flow into, so what only the update reads, a clipping of the gradients and their norm, is never differentiated)
_SINK_METHODS = {"assign": "assign()", "assign_add": "assign_add()", "assign_sub": "assign_sub()",
                 "update_state": "a metric update", "add_metric": "add_metric()", "numpy": ".numpy()",
                 "apply_gradients": "apply_gradients()"}
# (the first prefix that matches; TF's assertions, `tf.compat.v1.assert_less_equal(global_norm(x), bound)`, return an
# op, never an argument, so none passes a gradient; assert_all_finite and the other tf.debugging checks,
# check_numerics, return their input)
_SINK_PREFIXES = (("tensorflow.debugging.assert_all_finite", "a tf.debugging check"),
                  ("tensorflow.assert_all_finite", "a tf.debugging check"),
                  ("tensorflow.assert_", "a tf assertion"), ("tensorflow.debugging.assert_", "a tf assertion"),
                  ("tensorflow.summary.", "tf.summary"), ("tensorflow.debugging.", "a tf.debugging check"),
                  ("tensorflow.print", "tf.print"), ("tensorflow.Print", "tf.Print"), ("logging.", "logging"),
                  ("absl.logging.", "logging"))
# Calls that differentiate their arguments (tape.gradient, tf.gradients, jax.grad, jacobians).
_GRADIENT_CALLS = frozenset({"gradient", "gradients", "grad", "value_and_grad", "jacobian", "batch_jacobian", "vjp",
                             "jvp", "hessians"})
# Calls whose result carries no gradient back to their input: an index (`argmax`), a drawn sample (`multinomial`,
# `random.categorical`: the logits only weigh the draw, and a -Inf one is a valid zero-probability class).
_GRADIENT_ENDING_CALLS = {"argmax": "argmax()", "argmin": "argmin()"}
_SAMPLER = "a sampler"
_INTEGER_CAST = "a cast to an integer type"
_SAMPLERS = frozenset({"tensorflow.multinomial", "tensorflow.random.categorical", "tensorflow.random.multinomial",
                       "tensorflow.random.stateless_categorical"})
# Sinks whose call returns its first argument, gradient included (`x = tf.debugging.check_numerics(x, msg)`,
# TF1's `x = tf.Print(x, [stats], msg)`): only the other arguments end there.
_PASSING_SINKS = frozenset({"a tf.debugging check", "tf.Print"})
# Operations whose operands are booleans: a parameter given to one holds no gradient.
_BOOLEAN_OPS = {Op.LOGICAL_AND, Op.LOGICAL_OR, Op.LOGICAL_NOT, Op.LOGICAL_XOR, Op.REDUCE_ANY, Op.REDUCE_ALL}
# Values no gradient flows through, and operations that keep "no gradient" when their input has none.
_STATIC_ATTRIBUTES = {"shape", "dtype", "ndim", "size"}
# Reads of a tensor's static facts (`x.get_shape()`, `x.dtype`): no use of its value.
_STATIC_READS = _STATIC_ATTRIBUTES | {"get_shape"}
# How far sinks are followed through the parameters of module functions (a helper calling a helper, ...).
_MAX_PARAMETER_PASSES = 3
_ARRAY_LIBRARIES = ("tensorflow.", "keras.", "numpy.", "jax.")
# (operations of the table, by `operation_named`; then names the table does not hold, by their last part)
# (round: TensorFlow registers no gradient for Round, so none flows through it)
_GRADIENT_FREE_OPS = COMPARISONS | _BOOLEAN_OPS | {Op.SHAPE, Op.COUNT_NONZERO, Op.IS_NAN, Op.ROUND}
_GRADIENT_FREE_CALLS = {"size", "rank", "range", "arange", "ones_like", "zeros_like", "ones", "zeros", "is_finite", "isfinite",
                        "argmax", "argmin", "sequence_mask", "one_hot", "len", "int", "float"}
_GRADIENT_TRANSPARENT_OPS = {Op.CAST, Op.REDUCE_SUM, Op.REDUCE_ANY, Op.REDUCE_ALL, Op.MAXIMUM, Op.MINIMUM, Op.SQRT,
                             Op.RESHAPE, Op.SQUEEZE, Op.EXPAND_DIMS, Op.TILE, Op.IDENTITY, Op.STOP_GRADIENT} | MEANS
_ELEMENTWISE_CALLS = {"broadcast_to", "convert_to_tensor"}
# How many steps back `carries_gradient` follows a value to its sources (a label box recomputed from centres on a
# grid: slice, difference, concat, sum, cast, reshape, meshgrid... is about 15).
_MAX_SOURCE_DEPTH = 24
# Operations that join several tensors into one: a gradient flows through them from each part.
_JOINING_OPS = {Op.CONCAT, Op.STACK}
_JOINING_CALLS = {"meshgrid"}
# Integer and boolean dtypes (`tf.int32`, "uint8", `np.bool_`): a cast to one ends every gradient through it.
_INTEGER_DTYPE = re.compile(r"u?int(?:8|16|32|64)|bool_?")
# (expression, where it is evaluated, depth, whether it is the callee of a call)
_Pending = tuple[cst.BaseExpression, Point, int, bool]


class GradientFlow:
    def __init__(self, analysis: ModuleAnalysis) -> None:
        self.analysis = analysis
        self.binder = analysis.binder
        self._scope_flow: dict[int, Differentiation] = {}
        self._custom: set[int] = set()
        # Public operations differentiated because they are operations: the function's scope -> the operation's name
        # (`std` exported as keras.ops.std, `Std.call` of a Keras Operation).
        self._public_ops: dict[int, str] = {}
        # statement id -> the innermost tape / stop_recording region around it
        self._regions: dict[int, Differentiation] = {}
        self._has_tape: set[int] = set()  # scopes (functions) that open a GradientTape
        self._updating: set[int] = set()  # scopes that apply an update (apply_gradients, minimize, assign)
        self._watched: dict[int, set[str]] = defaultdict(set)  # scope -> the names its tapes watch
        self._sinks: dict[int, Differentiation] = {}  # node id -> the forward-only call it is an argument of
        # the argument nodes whose value goes nowhere but into sinks (`_mark_sinks`): `ending_parameters` reads them
        self._ends: dict[int, Differentiation] = {}
        # a training call inside its function's own tape (node id) -> that tape's `with` statement
        self._taped_training: dict[int, cst.With] = {}
        self._lambda_parents: dict[int, Scope] = {}
        self._callee_cache: dict[int, tuple[Scope, ...]] = {}  # call node id -> _callees
        self._called_cache: dict[int, tuple[Scope, ...]] = {}  # call node id -> _called
        self._roles: dict[str, _Role | None] = {}
        self._booleans: dict[int, frozenset[str]] = {}  # function scope id -> _boolean_parameters
        self._only_called: dict[int, frozenset[str]] = {}  # id(function or module node) -> _names_only_called
        self._layer_setup: set[int] = set()  # build/__init__ of layers: forward only unless they build a graph
        # In a test file, what nothing differentiates is a reference computation or a check.
        self._test_file = analysis.test_code
        self._xla: dict[int, str] = {}  # scope -> why XLA compiles it ("jit_compile=True at line 9")
        # Whether the module trains weights (minimize, apply_gradients, fit): a weight's value then moves.
        self.takes_optimizer_steps = False
        # the calls a compile's `loss=` receives (id -> the compile's line): another file's factories they call
        # return the loss (`_seed_other_files`)
        self._compiled_losses: dict[int, int] = {}
        self._mark_regions()
        self._mark_after_minimize()
        # what a gradient is taken of, also when the gradient itself is only printed (`print(tape.gradient(l, x))`)
        differentiated = {id(node) for call in analysis.calls if self._takes_gradient(call)
                          for node in descendants(call.node)}
        self._mark_sinks(differentiated)
        self._mark_unreached(differentiated)
        self._propagate()
        self._mark_xla()

    # -- public -----------------------------------------------------------------------------
    def at(self, site: Site, node: cst.CSTNode | None = None) -> Differentiation:
        """The flow at a node (a call or operation) sitting at `site`."""
        if node is not None and id(node) in self._sinks:
            return self._sinks[id(node)]
        scope = self._owner(site.scope)
        if id(scope) in self._custom:
            return self._scope_flow[id(scope)]
        region = self._regions.get(id(site.statement))
        if region is not None:
            return region
        own = self._scope_flow.get(id(scope), UNKNOWN)
        tape = self._taped_training.get(id(own.anchor)) if own.anchor is not None else None
        if tape is not None and self._line(site.statement) < self._line(tape):
            return Differentiation(Flow.FORWARD_ONLY, f"before the GradientTape block of {_short(scope)}, which does "
                                                      f"not record it", tape)
        # Outside the tape of a training step is bookkeeping; outside that of a function that returns what it
        # computed from the tape's gradient (a gradient penalty) is differentiated by whoever uses the value.
        if id(scope) in self._has_tape and (own.flow is not Flow.DIFFERENTIATED or id(scope) in self._updating):
            return Differentiation(Flow.FORWARD_ONLY, "outside the GradientTape block of " + _short(scope))
        if node is not None and self._defines_itself(scope, node):
            return UNKNOWN
        return own

    def _defines_itself(self, scope: Scope, node: cst.CSTNode) -> bool:
        """Whether `node` is the very operation the public operation `scope` is named after (`std` returning
        `tf.math.reduce_std(x)`, `Std.call` returning `backend.numpy.std(x)`): an alias, whose hazard is the
        operation's own definition (std's gradient at a constant row), met where its users apply it, not here."""
        name = self._public_ops.get(id(scope))
        if name is None or not isinstance(node, cst.Call):
            return False
        op = operation_named(name)
        return op is not None and operation_named(self._name_of(node.func)) is op

    def only_sampled(self, node: cst.CSTNode) -> bool:
        """Whether the value computed at `node` only weighs a draw (`tf.random.categorical(log_p, 1)`, also through
        a name bound once and read there): no gradient flows, and -Inf is a valid zero-probability logit."""
        sink = self._sinks.get(id(node))
        return sink is not None and sink.why == f"an argument of {_SAMPLER}"

    def of_scope(self, scope: Scope) -> Differentiation:
        """The flow of a function's body as a whole (regions inside it aside)."""
        return self._scope_flow.get(id(self._owner(scope)), UNKNOWN)

    def explain(self, differentiation: Differentiation) -> str:
        """`loss passed to compile at line 12, via helper()` for messages."""
        text = differentiation.why
        if differentiation.anchor is not None:
            text += f" at line {self.analysis.position(differentiation.anchor).start.line}"
        if differentiation.via:
            text += f", via {differentiation.via}"
        return text

    def gradient_hazard(self, site: Site, node: cst.CSTNode | None = None) -> tuple[Confidence, str] | None:
        """For a rule about a gradient-only hazard at `node`: None when no gradient flows there (forward-only
        code, a custom gradient), else its confidence and the text that says where the gradient comes from.

        Unknown code counts as plausible, not by construction: measured on keras, keras-hub, keras-cv,
        tf-models, TensorFlow Probability and transformers (bench/FINDINGS.md), gradient-only findings in code
        nothing in the module differentiates were mostly geometry, statistics and update helpers that never run
        under a tape; the ones that do (public ops like `norm`) are differentiated by their users, elsewhere."""
        differentiation = self.at(site, node)
        if differentiation.flow is Flow.DIFFERENTIATED:
            return Confidence.CONSTRUCTION, f" (in differentiated code: {self.explain(differentiation)})"
        if differentiation.flow is Flow.UNKNOWN:
            return Confidence.PLAUSIBLE, " (if this code is differentiated: nothing in this module shows that it is)"
        return None

    def claim(self, site: Site, node: cst.CSTNode, gradient: str, lead: str = " and ") -> str:
        """A message's clause about the gradient at `node`: `{lead}{gradient}` where the module differentiates it,
        ` (and {gradient} if this code is differentiated)` where nothing in it says either way, "" where no gradient
        flows (forward-only code, a custom gradient)."""
        flow = self.at(site, node).flow
        if flow is Flow.DIFFERENTIATED:
            return f"{lead}{gradient}"
        if flow is Flow.UNKNOWN:
            return f" (and {gradient} if this code is differentiated)"
        return ""

    def compiled_by_xla(self, site: Site) -> str:
        """Why XLA compiles the code at `site` (a `@tf.function(jit_compile=True)` it is reached from), or "".
        XLA differentiates some operations differently from TensorFlow's own kernels (sqrt at 0 in where's
        untaken branch)."""
        scope: Scope | None = site.scope
        while scope is not None:
            if id(scope) in self._xla:
                return self._xla[id(scope)]
            scope = scope.parent
        return ""

    def carries_gradient(self, expr: cst.BaseExpression, site: Site) -> bool:
        """False when the value is built only from things no gradient flows through: booleans and comparisons
        (`cast(mask, float)`, `~mask`), shapes and sizes, counts, constants. `sqrt(sum(cast(mask)))` has no
        gradient to be Inf. Unknown values carry one."""
        pending: list[tuple[cst.BaseExpression, Point, int]] = [(expr, site, 0)]
        seen: set[int] = set()  # each expression once: a value read by several paths (a diamond) is one source
        while pending:
            current, at, depth = pending.pop()
            if id(current) in seen:
                continue
            seen.add(id(current))
            if depth > _MAX_SOURCE_DEPTH:
                return True
            sources = self._gradient_sources(current, at)
            if sources is None:
                if self._counted(current, at):
                    continue
                return True
            pending.extend((source, where, depth + 1) for source, where in sources)
        return False

    def _counted(self, expr: cst.BaseExpression, at: Point) -> bool:
        """A count of 0/1 indicators, or a rate of one (values.py: rounded predictions, comparisons, labels,
        through a metric layer's call): round and comparisons have no gradient, so none flows through it."""
        return bool(self.analysis.values.of(expr, at).counts)

    def _gradient_sources(self, expr: cst.BaseExpression, at: Point) -> list[tuple[cst.BaseExpression, Point]] | None:
        """What a gradient through `expr` would flow from: [] where none does (a literal, a comparison, a bitwise
        operation, a shape, a data parameter, a gradient-free call), the operands of arithmetic and element-wise
        calls, what a name is bound to; None when a gradient may flow (unknown values carry one)."""
        if isinstance(expr, (cst.Integer, cst.Float, cst.Comparison)):
            return []
        if isinstance(expr, cst.UnaryOperation):
            return [] if isinstance(expr.operator, (cst.BitInvert, cst.Not)) else [(expr.expression, at)]
        if isinstance(expr, cst.BinaryOperation):
            return [] if isinstance(expr.operator, (cst.BitAnd, cst.BitOr, cst.BitXor)) else [(expr.left, at),
                                                                                              (expr.right, at)]
        parts = _part_sources(expr, at)
        if parts is not None:
            return parts
        if isinstance(expr, cst.Attribute) and expr.attr.value in _STATIC_ATTRIBUTES:
            return []
        if isinstance(expr, cst.Name):
            return self._name_gradient_sources(expr, at)
        if isinstance(expr, cst.Call):
            form = self.analysis.operator_form(expr)
            # (`tf.multiply(y_true, mask)`, `ops.subtract(a, b)`, `tf.square(x)`: the operator they spell)
            return self._gradient_sources(form, at) if form is not None else self._call_gradient_sources(expr, at)
        return None

    def _name_gradient_sources(self, name: cst.Name, at: Point) -> list[tuple[cst.BaseExpression, Point]] | None:
        """What the name is bound to; [] for a data or boolean parameter; None for a watched or unknown name."""
        if name.value in self._watched.get(id(self._owner(at.scope)), ()):
            return None  # `tape.watch(x)` differentiates x, whatever made it (a random draw, a constant)
        binding = self.binder.resolve(name.value, at)
        if binding is not None and binding.kind is BindingKind.PARAMETER and (
                self._is_data(binding) or binding.name in self._boolean_parameters(binding.scope)
                or self._annotated_numpy(binding)):
            return []
        if binding is not None and binding.kind is BindingKind.PARAMETER:
            return self._passed_sources(binding)
        if binding is not None and isinstance(binding.value, Unpacked):
            # `xx, yy = tf.meshgrid(...)`, `a, b = t`: an element has no gradient where the whole has none
            return [(binding.value.source, binding.at)]
        if binding is None or binding.expression is None:
            return None
        return [(binding.expression, binding.at)]

    def _passed_sources(self, parameter: Binding) -> list[tuple[cst.BaseExpression, Point]] | None:
        """What the calls of a function pass for its parameter (its default where a call leaves it out), when those
        calls are all the calls there are: a function nested in another, or a private one (`_helper`) of the module,
        whose name is read nowhere but as the callee of a call in this module (not passed as a value, not imported
        by another file). None otherwise: a public function's parameter is whatever its users pass."""
        function = parameter.scope
        node = function.node
        if not isinstance(node, cst.FunctionDef) or function.parent is None or not self._called_only(function):
            return None
        calls = self.analysis.values.project_callers(function)
        index = parameter_index(function, parameter.name)
        if not calls or index is None:
            return None  # (the receiver, `self`: it holds the weights)
        sources: list[tuple[cst.BaseExpression, Point]] = []
        for call, caller, analysis in calls:
            passed = argument(call, index, parameter.name)
            if analysis is not self.analysis or passed is None and any(arg.star for arg in call.args):
                return None
            if passed is not None:
                sources.append((passed, caller))
                continue
            default = function.defaults.get(parameter.name)
            if default is None:
                return None
            sources.append((default, At(function.parent, END)))
        return sources

    def _called_only(self, function: Scope) -> bool:
        """The function is nested in another function, or private to the module (`_name`, at module level or a
        method), and every read of its name in the module is the callee of a call."""
        node = function.node
        assert isinstance(node, cst.FunctionDef)
        name = node.name.value
        nested = function.parent is not None and function.parent is not self.analysis.module_scope \
            and function.class_name is None
        if not nested and not (name.startswith("_") and not name.startswith("__")):
            return False
        where = function.parent.node if nested and function.parent is not None else self.analysis.module
        only_called = self._only_called.get(id(where))
        if only_called is None:
            only_called = self._only_called[id(where)] = _names_only_called(where)
        return name in only_called

    def _call_gradient_sources(self, call: cst.Call, at: Point) -> list[tuple[cst.BaseExpression, Point]] | None:
        """[] for calls no gradient flows through (shapes, casts of booleans, random draws...), the first argument
        of element-wise and gradient-transparent operations, None for anything else."""
        name = self._name_of(call.func)
        last, op = name.rsplit(".", 1)[-1], operation_named(name)
        if _numpy_name(self.analysis.qualified_name(call.func)) or (
                last == "numpy" and not call.args and isinstance(call.func, cst.Attribute)):
            return []  # NumPy computes on arrays no autodiff tracks (`np.array(t)`, `t.numpy()`: a copy out of it)
        # (Python's math module computes on Python numbers, which no gradient reaches: ALiBi's slope ratio)
        if op in _GRADIENT_FREE_OPS or last in _GRADIENT_FREE_CALLS or name.startswith(("tensorflow.random.",
                                                                                         "keras.random.", "math.")):
            return []
        if op in _GRADIENT_TRANSPARENT_OPS or last in _ELEMENTWISE_CALLS \
                or self.analysis.op_of_call(call) in _GRADIENT_TRANSPARENT_OPS:
            return [(call.args[0].value, at)] if call.args else None
        if op in _JOINING_OPS or last in _JOINING_CALLS:
            return _joined_sources(call, last, at)
        return None


    def _annotated_numpy(self, parameter: Binding) -> bool:
        """A parameter annotated as a NumPy array (`x: np.ndarray`, `npt.NDArray[np.float32]`, also as a string):
        what the function is given is an array no autodiff tracks (alibi-detect's `scale_by_instance(x: np.ndarray)`)."""
        node = parameter.scope.node
        if not isinstance(node, cst.FunctionDef):
            return False
        params = node.params
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            if param.name.value != parameter.name or param.annotation is None:
                continue
            annotation = param.annotation.annotation
            if isinstance(annotation, cst.Subscript):
                annotation = annotation.value
            if isinstance(annotation, cst.SimpleString) and isinstance(annotation.evaluated_value, str):
                try:
                    annotation = cst.parse_expression(annotation.evaluated_value)
                except cst.ParserSyntaxError:
                    return False
            return _numpy_name(self.analysis.qualified_name(annotation))
        return False

    def _is_data(self, parameter: Binding) -> bool:
        """A parameter no gradient flows into: the data a training step receives (its tape differentiates with
        respect to the weights and what it watches), a loss's y_true."""
        scope = parameter.scope
        if parameter.name == _LOSS_PARAMETERS[0]:
            return True
        return id(scope) in self._has_tape and parameter.name not in self._watched.get(id(scope), ())

    def _boolean_parameters(self, function: Scope) -> frozenset[str]:
        """The parameters a function uses as booleans (or integers), which no gradient flows through: operands of
        logical_and/or/not/xor, of `&`, `|`, `^`, `~`, `not`, and where()'s condition (`logical_and(mask, correct)`
        in an accuracy: its `mask` is the boolean padding mask, whatever the caller passes)."""
        key = id(function)
        if key not in self._booleans:
            used: set[str] = set()
            for node in descendants(function.node):
                for operand in self._boolean_operands(node):
                    site = self.analysis.sites.get(node)
                    binding = self.binder.resolve(operand.value, site) if site is not None else None
                    if binding is not None and binding.kind is BindingKind.PARAMETER and binding.scope is function:
                        used.add(operand.value)
            self._booleans[key] = frozenset(used)
        return self._booleans[key]

    def _boolean_operands(self, node: cst.CSTNode) -> list[cst.Name]:
        """The names an operation takes as booleans (or integers)."""
        operands: list[cst.BaseExpression] = []
        if isinstance(node, cst.Call):
            if operation_named(self._name_of(node.func)) in _BOOLEAN_OPS:
                operands = [arg.value for arg in node.args if arg.keyword is None]
            elif self.analysis.op_of_call(node) is Op.WHERE and node.args:
                operands = [node.args[0].value]
        elif isinstance(node, cst.BinaryOperation) and isinstance(node.operator, (cst.BitAnd, cst.BitOr, cst.BitXor)):
            operands = [node.left, node.right]
        return [operand for operand in operands if isinstance(operand, cst.Name)]

    # -- scopes -----------------------------------------------------------------------------
    def _owner(self, scope: Scope) -> Scope:
        """Lambdas take the flow of the function they are written in, unless they were given a flow."""
        while isinstance(scope.node, cst.Lambda) and id(scope) not in self._scope_flow and scope.parent is not None:
            scope = scope.parent
        return scope

    def _role(self, info: ClassInfo) -> _Role | None:
        """From the external base classes; failing that, from the class's own name (`class FocalLoss:`,
        `class BaseOptimizer(KerasSaveable)`)."""
        if info.name not in self._roles:
            role = None
            for cls in self.binder.lineage(info):
                for base in cls.bases:
                    role = role or _role_of_base(base)
            self._roles[info.name] = role or _role_of_base(info.name)
        return self._roles[info.name]

    def _class_of(self, scope: Scope) -> ClassInfo | None:
        return self.analysis.classes.get(scope.class_name) if scope.class_name else None

    # -- regions: tapes and stop_recording (statements), sinks (nodes) --------------------------
    def _mark_regions(self) -> None:
        pending: list[tuple[cst.CSTNode, Scope, Differentiation | None]] = [
            (self.analysis.module, self.analysis.module_scope, None)]
        scopes_by_node = {id(scope.node): scope for scope in self.analysis.functions.values()}
        while pending:
            node, scope, region = pending.pop()
            for statement in _body(node):
                inner = region
                if isinstance(statement, cst.With):
                    inner = self._with_region(statement, scope) or region
                if inner is not None:
                    self._regions[id(statement)] = inner
                if isinstance(statement, cst.FunctionDef):
                    function = scopes_by_node.get(id(statement))
                    if function is not None:
                        pending.append((statement, function, None))
                    continue
                if isinstance(statement, cst.ClassDef):
                    pending.append((statement, scope, None))
                    continue
                if _is_compound(statement):
                    pending.append((statement, scope, inner))

    def _with_region(self, statement: cst.With, scope: Scope) -> Differentiation | None:
        for item in statement.items:
            call = item.item
            if not isinstance(call, cst.Call):
                continue
            name = self._name_of(call.func)
            if name.endswith("GradientTape") or name.endswith("ForwardAccumulator") or name.endswith("enable_grad"):
                self._has_tape.add(id(scope))
                return Differentiation(Flow.DIFFERENTIATED, "GradientTape block", statement)
            if name.endswith("stop_recording") or name.endswith("no_grad") or name.endswith("inference_mode"):
                return Differentiation(Flow.FORWARD_ONLY, f"inside `with {name}()`", statement)
        return None

    def _mark_after_minimize(self) -> None:
        """`out = self._inner.minimize(loss); self.project_weights_to_r()`: when minimize() returns it has taken
        the gradient of a loss built before it and applied the update, so the statements after a function's last
        minimize() are not part of what it differentiates. Only the blocks no loop around the call encloses (in a
        loop, what follows runs before the next step's minimize); the else of an `if` is not after its body. A
        tape or stop_recording region already marked keeps its flow."""
        last: dict[int, CallSite] = {}
        for call in self.analysis.calls:
            func = call.node.func
            if isinstance(func, cst.Attribute) and func.attr.value == "minimize" and call.qualified_name is None \
                    or self._differentiating(call) == _TRAIN_OP:  # TF-Slim's create_train_op, the same graph step
                last[id(self._owner(call.site.scope))] = call  # calls are in source order
        for call in last.values():
            scope = self._owner(call.site.scope)
            if not isinstance(scope.node, (cst.FunctionDef, cst.Module)):
                continue
            line = self.analysis.position(call.node).start.line
            what = self._differentiating(call) or "minimize()"
            after = Differentiation(Flow.FORWARD_ONLY, f"after {what} at line {line}, which has already taken "
                                                       f"its gradient and applied it", call.node)
            block = _top_level_statements(scope.node)
            while block:
                index = next((i for i, statement in enumerate(block)
                              if any(node is call.node for node in descendants(statement))), None)
                if index is None:
                    break
                for statement in block[index + 1:]:
                    for inner in [statement, *_nested_statements(statement)]:
                        self._regions.setdefault(id(inner), after)
                holder = block[index]
                if isinstance(holder, (cst.For, cst.While)) or not _is_compound(holder):
                    break
                block = next((suite for suite in _suites(holder)
                              if any(node is call.node for statement in suite for node in descendants(statement))),
                             [])

    def _line(self, node: cst.CSTNode) -> int:
        return self.analysis.position(node).start.line

    def _takes_gradient(self, call: CallSite) -> bool:
        """A call that differentiates its arguments: tape.gradient, tf.gradients, jax.grad, minimize, ..."""
        return called_name(call.node) in _GRADIENT_CALLS or self._differentiating(call) is not None

    def _differentiating(self, call: CallSite) -> str | None:
        """What a TF1/torch call that differentiates the graph its scope built is called in messages."""
        qualified = call.qualified_name or self._through_module_alias(call.node.func)
        name = normalize(qualified) if qualified else ""
        func = call.node.func
        method = func.attr.value if isinstance(func, cst.Attribute) and qualified is None else None
        return _DIFFERENTIATING_FUNCTIONS.get(name) or _DIFFERENTIATING_METHODS.get(method or "")

    def _through_module_alias(self, func: cst.BaseExpression) -> str | None:
        """`slim.learning.create_train_op` after a module-level `slim = tf.contrib.slim`: the qualified name through
        that alias of an imported module (None for anything else)."""
        name = dotted(func)
        head, _, rest = (name or "").partition(".")
        if not rest:
            return None
        binding = self.analysis.binder.resolve(head, At(self.analysis.module_scope))
        if binding is None or binding.kind is not BindingKind.ASSIGNED or not isinstance(
                binding.expression, (cst.Attribute, cst.Name)):
            return None
        target = self.analysis.qualified_name(binding.expression)
        return f"{target}.{rest}" if target else None

    def _mark_sinks(self, differentiated: set[int]) -> None:
        sink_scopes: dict[int, Scope] = {}
        ends: dict[int, Differentiation] = {}  # the nodes of arguments whose value goes nowhere else
        sinks = [(call, reason) for call in self.analysis.calls if (reason := self._sink_reason(call)) is not None]
        # the first reason a node gets is the one kept, and the innermost sink's is what the value is used for: a sink
        # around another (`cast(multinomial(log_p, 1), int32)`, `stop_gradient(one_hot(categorical(log(p), 1), n))`)
        # leaves the arguments of the inner one to it, and a sampler's says more (-Inf is a valid logit there)
        size = {id(call.node): sum(1 for _ in descendants(call.node)) for call, _ in sinks}
        for call, reason in sorted(sinks, key=lambda sink: size[id(sink[0].node)]):
            flow = Differentiation(Flow.FORWARD_ONLY, f"an argument of {reason}")
            for arg in call.node.args[1:] if reason in _PASSING_SINKS else call.node.args:
                for node in descendants(arg.value):
                    self._sinks.setdefault(id(node), flow)
                    if reason not in _PASSING_SINKS and id(node) not in differentiated:
                        ends.setdefault(id(node), flow)
            sink_scopes[id(call.site.scope)] = call.site.scope
        self._mark_compared(ends, differentiated, sink_scopes)
        for scope in sink_scopes.values():
            self._mark_named_sinks(scope, ends, differentiated)
        self._mark_ending_parameters(ends, differentiated)
        self._ends = ends
        ended = {node.attr.value for call, reason in sinks if reason not in _PASSING_SINKS
                 for arg in call.node.args for node in descendants(arg.value) if isinstance(node, cst.Attribute)}
        if ended & {name for info in self.analysis.classes.values() for name in info.attributes}:
            self._mark_attribute_sinks(ends, differentiated)

    def _mark_ending_parameters(self, ends: dict[int, Differentiation], differentiated: set[int]) -> None:
        """What callers pass to parameters that end in sinks: another file's wrappers first (their flow is fixed),
        then the module's own functions, a few passes deep (a helper calling a helper)."""
        for scope in self._mark_project_parameter_sinks(ends, differentiated):
            self._mark_named_sinks(scope, ends, differentiated)
        for _ in range(_MAX_PARAMETER_PASSES):
            callers = self._mark_parameter_sinks(ends, differentiated)
            if not callers:
                break
            for scope in callers:
                self._mark_named_sinks(scope, ends, differentiated)

    def _mark_parameter_sinks(self, ends: dict[int, Differentiation], differentiated: set[int]) -> list[Scope]:
        """`cost = -tf.norm(a - clip(a)); weights(cost, ...)` where `def weights(q, ...)` reads `q` only as
        `tf.stop_gradient(q) / t` (acme's MPO action penalty): a parameter of a module function every read of which
        lies inside the arguments of sinks that end the value ends what its callers pass there, as the sink itself
        would. Static facts (`q.shape[0]`) are no reads; a parameter rebound in the function is not one. The
        scopes of the callers where something new was marked (their names are read next, as `_mark_named_sinks`)."""
        ending = {id(scope): found for scope in self.analysis.functions.values()
                  if (found := _ending_parameters(scope, ends))}
        callers: dict[int, Scope] = {}
        for call in self.analysis.calls if ending else ():
            for callee in self._called(call):
                for name, flow in ending.get(id(callee), {}).items():
                    passed_value = argument(call.node, parameter_index(callee, name), name)
                    if passed_value is None or id(passed_value) in ends:
                        continue
                    for node in descendants(passed_value):
                        self._sinks.setdefault(id(node), flow)
                        if id(node) not in differentiated:
                            ends.setdefault(id(node), flow)
                    callers[id(call.site.scope)] = call.site.scope
        return list(callers.values())

    def ending_parameters(self, function: Scope) -> dict[str, Differentiation]:
        """The parameters of one of the module's functions every read of which lies inside the arguments of sinks
        that end the value (`_ending_parameters`: `data` of `def scalar(name, data): tf.summary.scalar(name,
        data)`), with what ends them: what a caller passes there is not differentiated through the call."""
        return _ending_parameters(function, self._ends)

    def _mark_project_parameter_sinks(self, ends: dict[int, Differentiation], differentiated: set[int]
                                      ) -> list[Scope]:
        """`logging.scalar(f"{name}/rmse", tf.sqrt(mse))` where `scalar(name, data)` is a module-level function of
        another project file (trieste's logging.py) that reads `data` only inside `tf.summary.scalar(name,
        evaluate_data(data))`: a project's own summary or logging wrapper ends what its callers pass, as
        `_mark_parameter_sinks` does within the module. For the file being linted only, one step, like
        `_seed_other_files`: a summary does not read other files' wrappers (which keeps its dependencies to what it
        reads for its values, and no cycle of files can form). The scopes of the callers where something new was
        marked."""
        from nanlint import project
        from nanlint.analysis.values import project_symbol

        current = project.current()
        if current is None or current.is_summary(self.analysis):
            return []
        callers: dict[int, Scope] = {}
        for call in self.analysis.calls:
            # (`from .. import logging` then `logging.scalar(...)`: a sibling module's function, by its relative name)
            qualified = call.qualified_name or self.analysis.imports.project_name(call.node.func)
            if qualified is None or call.op is not None or qualified.startswith(_ARRAY_LIBRARIES):
                continue
            found = project_symbol(self.analysis, qualified)
            function = found[0].functions.get(found[1]) if found is not None else None
            if found is None or function is None or found[0] is self.analysis \
                    or function.parent is not found[0].module_scope:
                continue
            other = found[0]
            for name, inner in other.gradients.ending_parameters(function).items():
                passed = argument(call.node, parameter_index(function, name), name)
                if passed is None or id(passed) in ends:
                    continue
                flow = Differentiation(
                    Flow.FORWARD_ONLY, f"passed to {function.name}() of {os.path.basename(other.path)}, which gives "
                                       f"its `{name}` only to {inner.why.removeprefix('an argument of ')}")
                for node in descendants(passed):
                    self._sinks.setdefault(id(node), flow)
                    if id(node) not in differentiated:
                        ends.setdefault(id(node), flow)
                callers[id(call.site.scope)] = call.site.scope
        return list(callers.values())

    def _mark_attribute_sinks(self, ends: dict[int, Differentiation], differentiated: set[int]) -> None:
        """`self.log_scale_initial_value = log(1 / (sqrt(var) + eps))` in `__call__`, read only as
        `log_scale.assign(self.log_scale_initial_value)` in `build` (edward2's ActNorm: a data-dependent
        initialiser): an attribute every read of which, in the whole module (`.name` on any object), lies inside the
        arguments of sinks that end the value holds a value nothing differentiates. Not one reached by `getattr`."""
        reads = _attribute_reads(self.analysis.module)
        if reads is None:
            return
        for info in self.analysis.classes.values():
            for name, bindings in info.attributes.items():
                uses = reads.get(name, [])
                if not uses or any(read not in ends for read in uses):
                    continue
                flow = ends[uses[0]]
                for _, _, value in bindings:
                    if not isinstance(value, cst.BaseExpression):
                        continue
                    for node in descendants(value):
                        if id(node) not in differentiated:
                            self._sinks.setdefault(id(node), flow)

    def _mark_named_sinks(self, scope: Scope, ends: dict[int, Differentiation], differentiated: set[int]) -> None:
        """`v_norm = tf.linalg.norm(v); self.g.assign(v_norm)` (weight normalisation's initialisation): a name
        bound once and read only inside the arguments of sinks that end the value (not a check_numerics, which
        returns it) holds a value nothing differentiates. A name rebound in the function's straight-line body
        (`x = l2_normalize(h); x = reduce_std(x); self.add_metric(x)`) is read per binding: by the statements after
        it up to the next one, whose value reads the old binding. Bindings are taken last to first, so a chain
        (`n = norm(v); g = reshape(n); assign(g)`) is followed."""
        for _, value, uses in sorted(_binding_uses(scope), key=lambda entry: -entry[0]):
            if not uses or any(id(node) not in ends for node in uses):
                continue
            flow = ends[id(uses[0])]
            for node in descendants(value):
                if id(node) not in differentiated:
                    self._sinks.setdefault(id(node), flow)
                    ends.setdefault(id(node), flow)
        for name, (values, flow) in _ending_names(scope, ends, differentiated).items():
            for value in values:
                for node in descendants(value):
                    if id(node) not in differentiated:
                        self._sinks.setdefault(id(node), flow)
                        ends.setdefault(id(node), flow)

    def _mark_compared(self, ends: dict[int, Differentiation], differentiated: set[int],
                       sink_scopes: dict[int, Scope]) -> None:
        """The operands of a comparison: its boolean result has no gradient (TensorFlow registers none for Greater,
        Equal, ...), so what is read only there is not differentiated through it. The functions that read a name
        there join `sink_scopes`."""
        compared = Differentiation(Flow.FORWARD_ONLY, "an operand of a comparison")
        for operand in self.analysis.compared:
            for node in descendants(operand):
                self._sinks.setdefault(id(node), compared)
                if id(node) not in differentiated:
                    ends.setdefault(id(node), compared)
        for scope in self.analysis.functions.values():
            if id(scope) not in sink_scopes and any(id(node) in ends for node in name_reads(scope.node)):
                sink_scopes[id(scope)] = scope


    def _mark_unreached(self, differentiated: set[int]) -> None:
        """In a graph-building function that differentiates what it built (`tf.gradients`, `minimize`), the values
        its differentiated arguments are not computed from (gradient norms, explained variances kept for
        `sess.run`) carry no gradient (analysis/reach.py)."""
        by_node = {id(call.node): call for call in self.analysis.calls}
        owners: dict[int, tuple[Scope, list[CallSite]]] = {}
        for call in self.analysis.calls:
            if self._differentiating(call) is not None:
                owner = self._owner(call.site.scope)
                owners.setdefault(id(owner), (owner, []))[1].append(call)

        def ends_value(node: cst.Call) -> bool:
            call = by_node.get(id(node))
            reason = self._sink_reason(call) if call is not None else None
            return reason is not None and reason not in _PASSING_SINKS

        for scope, calls in owners.values():
            if id(scope) in self._has_tape or not isinstance(scope.node, (cst.FunctionDef, cst.Module)):
                continue
            first = calls[0]
            flow = Differentiation(Flow.FORWARD_ONLY, f"a value that {self._differentiating(first)} does not reach",
                                   first.node)
            roots = [arg.value for call in calls for arg in call.node.args]
            for value in unreached_assignments(scope.node, self.analysis.module, roots, ends_value):
                self._end_value(value, flow, differentiated)
            self._mark_gradient_processing(scope.node, calls, roots, ends_value, differentiated)

    def _end_value(self, value: cst.CSTNode, flow: Differentiation, differentiated: set[int]) -> None:
        """No gradient flows through `value`: every node of it that nothing differentiates gets `flow`."""
        for node in descendants(value):
            if id(node) not in differentiated:
                self._sinks.setdefault(id(node), flow)

    def _mark_gradient_processing(self, function: cst.FunctionDef | cst.Module, calls: list[CallSite],
                                  roots: list[cst.BaseExpression], ends_value: Callable[[cst.Call], bool],
                                  differentiated: set[int]) -> None:
        """What a TF1 training function computes from the gradients it takes and applies (their global norm, their
        clipping) is update code, also when kept in an attribute that other code fetches (analysis/reach.py)."""
        producers = [call for call in calls if self._differentiating(call) in _GRADIENT_PRODUCERS]
        labels = {id(call.node): self._differentiating(call) for call in producers}
        for value, producer in applied_gradient_processing(function, [call.node for call in producers], roots,
                                                           ends_value, _applies_gradients):
            self._end_value(value, Differentiation(Flow.FORWARD_ONLY, f"computed from the gradients "
                                                   f"{labels[id(producer)]} returns, which the function applies",
                                                   producer), differentiated)

    def _sink_reason(self, call: CallSite) -> str | None:
        if call.op is Op.STOP_GRADIENT:
            return "stop_gradient()"
        if call.op is Op.CAST and self._to_integer(call.node):
            return _INTEGER_CAST  # TensorFlow's Cast has no gradient into an integer
        func = call.node.func
        if isinstance(func, cst.Name) and func.value == "print" and call.qualified_name is None:
            return "print()"
        if isinstance(func, cst.Attribute) and func.attr.value in _SINK_METHODS and call.qualified_name is None:
            return _SINK_METHODS[func.attr.value]
        if call.qualified_name is not None and call.qualified_name.startswith(_ARRAY_LIBRARIES):
            return _library_sink(normalize(call.qualified_name))
        alias = self._library_alias(call)
        if alias is not None:
            return _library_sink(normalize(alias))
        return _library_sink(normalize(call.qualified_name)) if call.qualified_name is not None else None

    def _library_alias(self, call: CallSite) -> str | None:
        """The library function a project file binds the callee's name to at module level (TensorFlow Probability's
        internal/assert_util.py: `assert_near = tf.debugging.assert_near`, called as `assert_util.assert_near(1.,
        tf.linalg.norm(samples))`): the call is that function's, for what it does to gradients. Read for the file
        being linted only, one step, like `_mark_project_parameter_sinks` (a summary's dependencies stay those of
        its values)."""
        from nanlint import project
        from nanlint.analysis.values import project_symbol

        current = project.current()
        if current is None or call.op is not None or current.is_summary(self.analysis):
            return None
        qualified = self.analysis.imports.project_name(call.node.func)
        if qualified is None or qualified.startswith(_ARRAY_LIBRARIES):
            return None
        found = project_symbol(self.analysis, qualified)
        if found is None or found[0] is self.analysis:
            return None
        other, name = found
        binding = other.binder.resolve(name, At(other.module_scope, END))
        if binding is None or not isinstance(binding.expression, (cst.Attribute, cst.Name)) \
                or len(other.module_scope.assignments.get(name, ())) != 1:
            return None
        target = other.qualified_name(binding.expression)
        return target if target is not None and target.startswith(_ARRAY_LIBRARIES) else None

    def _to_integer(self, cast: cst.Call) -> bool:
        """`tf.cast(x, tf.int32)`, `K.cast(x, "int64")`, `tf.cast(x, dtype=tf.bool)`, TF1's `tf.to_int32(x)`: a dtype
        that carries no gradient."""
        fixed = FIXED_CASTS.get(normalize(self.analysis.qualified_name(cast.func) or ""))
        dtype = argument(cast, 1, "dtype")
        if fixed is not None:
            name = fixed
        elif isinstance(dtype, cst.SimpleString):
            name = dtype.evaluated_value if isinstance(dtype.evaluated_value, str) else ""
        else:
            name = (self.analysis.qualified_name(dtype) or "") if dtype is not None else ""
        return _INTEGER_DTYPE.fullmatch(name.rsplit(".", 1)[-1]) is not None

    def _mark_xla(self) -> None:
        """Which functions XLA compiles: `@tf.function(jit_compile=True)` ones and those given to
        `tf.function(f, jit_compile=True)`, then every function they call, transitively."""
        for scope in self.analysis.functions.values():
            node = scope.node
            for decorator in node.decorators if isinstance(node, cst.FunctionDef) else ():
                if isinstance(decorator.decorator, cst.Call) and self._name_of(decorator.decorator) == \
                        "tensorflow.function" and _jit_compiled(decorator.decorator):
                    self._xla[id(scope)] = f"jit_compile=True at line {self.analysis.position(decorator).start.line}"
        for call in self.analysis.calls:
            if self._name_of(call.node) == "tensorflow.function" and _jit_compiled(call.node) and call.node.args:
                for target in self._functions_in(call.node.args[0].value, call.site):
                    self._xla.setdefault(id(target), f"jit_compile=True at line "
                                                     f"{self.analysis.position(call.node).start.line}")
        while self._spread_xla():
            pass

    def _spread_xla(self) -> bool:
        """One pass marking what XLA-compiled code calls; whether it marked anything new."""
        changed = False
        for call in self.analysis.calls:
            why = self.compiled_by_xla(call.site)
            if not why:
                continue
            for target in self._callees(call):
                if id(target) not in self._xla:
                    self._xla[id(target)] = f"{why}, via {_short(target)}"
                    changed = True
        return changed

    # -- propagation ------------------------------------------------------------------------
    def _propagate(self) -> None:
        forward: dict[int, Differentiation] = {}
        for call in self.analysis.calls:
            self._read_training_method(call)
        scopes = {id(scope): scope for scope in (*self.analysis.functions.values(), *self.analysis.lambdas.values())}
        # a function `functions` does not hold under its name: the same `Class.method` in another factory function
        # of the module (bert4keras' `extend_with_*(BaseOptimizer)` each define a `NewOptimizer`)
        for site in self.analysis.sites.values():
            scopes.setdefault(id(site.scope), site.scope)
        for scope in scopes.values():
            self._seed_scope(scope, forward)
        for call in self.analysis.calls:
            self._seed_call(call, forward)
        for call in self.analysis.calls:
            self._seed_training_call(call, forward)
        for call in self.analysis.calls:
            self._seed_trainable_argument(call, forward)
        self._seed_other_files()
        self._seed_inherited_methods()
        self._spread_differentiation()
        # Roles and sinks that run forward only, then what only they call, never overriding evidence of a gradient.
        for scope in self.analysis.functions.values():
            if _is_tf_function(self.analysis, scope) and id(scope) not in self._has_tape:
                forward.setdefault(id(scope), Differentiation(
                    Flow.FORWARD_ONLY,
                    "a @tf.function entry point that opens no GradientTape and nothing differentiated calls"))
        for key, flow in forward.items():
            self._scope_flow.setdefault(key, flow)
        self._spread_forward()

    def _read_training_method(self, call: CallSite) -> None:
        """`x.assign(...)`, `opt.apply_gradients(...)`: the function updates weights (and the module takes optimizer
        steps); `tape.watch(x)`: x is differentiated in that function."""
        func = call.node.func
        if not isinstance(func, cst.Attribute):
            return
        if func.attr.value in _UPDATING_METHODS and call.qualified_name is None:
            self._updating.add(id(self._owner(call.site.scope)))
        if func.attr.value in _OPTIMIZER_STEPS and call.qualified_name is None:
            self.takes_optimizer_steps = True
        if func.attr.value == "watch":
            self._watched[id(self._owner(call.site.scope))].update(
                name.value for arg in call.node.args for name in descendants(arg.value) if isinstance(name, cst.Name))

    def _seed_scope(self, scope: Scope, forward: dict[int, Differentiation]) -> None:
        if not isinstance(scope.node, cst.FunctionDef):
            return
        short = scope.name.rsplit(".", 1)[-1]
        if any(self._name_of(decorator.decorator).startswith(_CUSTOM_GRADIENT) for decorator in scope.node.decorators):
            self._mark_custom(scope, f"@custom_gradient function {short}()")
            return
        info = self._class_of(scope)
        if info is not None and self._seed_role(scope, info, short, forward):
            return
        label = self._enclosing_forward_role(scope, short) if info is None else None
        if label is not None:
            forward[id(scope)] = Differentiation(Flow.FORWARD_ONLY, label)
        elif info is None and (api := self._differentiable_export(scope.node)):
            self._differentiate(scope, f"{short}(), exported as the public operation {api}, which its users "
                                       "differentiate", scope.node.name)
            self._public_ops[id(scope)] = short
        elif tuple(scope.params[1 if info is not None else 0:][:2]) == _LOSS_PARAMETERS:
            self._seed_keras_signature(scope, scope.node, forward)
        elif self._test_file:
            forward[id(scope)] = Differentiation(Flow.FORWARD_ONLY, f"test code ({short})")

    def _enclosing_forward_role(self, scope: Scope, short: str) -> str | None:
        """`{role} (Class.method), where f() is defined` for a function defined inside a method of a forward-only
        role (bert4keras' LAMB wrapper defines `new_update` in its optimizer's `get_updates` and installs it as
        `K.update`): it is that role's code wherever it is handed; None elsewhere. Evidence of differentiation (a
        tape) still wins."""
        current = scope.parent
        while current is not None and current.class_name is None:
            current = current.parent
        info = self._class_of(current) if current is not None else None
        role = self._role(info) if info is not None else None
        if current is None or info is None or role not in _FORWARD_ROLES:
            return None
        return f"{role.value} ({info.name}.{current.name.rsplit('.', 1)[-1]}), where {short}() is defined"

    def _seed_role(self, scope: Scope, info: ClassInfo, short: str, forward: dict[int, Differentiation]) -> bool:
        """A method's flow from its class's role (a Layer's call, a metric's update_state); False when the role
        says nothing about this method."""
        role = self._role(info)
        class_name = info.name
        node = scope.node
        if not isinstance(node, cst.FunctionDef):
            return False
        if role in _FORWARD_ROLES:
            forward[id(scope)] = Differentiation(Flow.FORWARD_ONLY, f"{role.value} ({class_name}.{short})")
        elif role in _TRAINED_ROLES and short in _LAYER_DIFFERENTIATED \
                and not (short == "train_step" and self._opens_tape(scope)):
            self._differentiate(scope, f"{_LAYER_DIFFERENTIATED[short]} of the {role.value} {class_name}",
                                node.name)
            if role is _Role.OPERATION:
                self._public_ops[id(scope)] = class_name.lower()
        elif role in _TRAINED_ROLES and short in _LAYER_FORWARD:
            forward[id(scope)] = Differentiation(Flow.FORWARD_ONLY,
                                                 f"{class_name}.{short}(), which does not run in training")
            self._layer_setup.add(id(scope))
        elif role is _Role.LOSS and short in ("call", "__call__", "_compute_loss"):  # tf-models' Loss.__call__ calls it
            self._differentiate(scope, f"{short}() of the {role.value} {class_name}", node.name)
        elif role is _Role.REGULARIZER and short == "__call__":
            self._differentiate(scope, f"the regularizer {class_name} (added to the loss)", node.name)
        else:
            return False
        return True

    def _differentiable_export(self, node: cst.FunctionDef) -> str:
        """The public name a function is exported under (`@tf_export('image.ssim_multiscale')`,
        `@keras_export(["keras.ops.std", "keras.ops.numpy.std"])`) when that name is in a namespace of
        differentiable operations (math, nn, image, linalg, signal, NumPy, Keras ops/activations/losses/backend):
        TensorFlow and Keras register and test those operations' gradients, and users put them in models and
        losses. Exports elsewhere (metrics, random, summaries, callbacks, utilities) say nothing; "" then."""
        for decorator in node.decorators:
            call = decorator.decorator
            if not isinstance(call, cst.Call) or self._name_of(call.func).rsplit(".", 1)[-1] not in _API_EXPORTS:
                continue
            for arg in call.args:
                values = arg.value.elements if isinstance(arg.value, (cst.List, cst.Tuple)) else [arg.value]
                for value in values:
                    name = value.value if isinstance(value, cst.Element) else value
                    if isinstance(name, cst.SimpleString):
                        api = name.evaluated_value
                        if isinstance(api, str) and api.startswith(_DIFFERENTIABLE_NAMESPACES):
                            return api if api.startswith("keras.") else "tf." + api
        return ""

    def _seed_keras_signature(self, scope: Scope, node: cst.FunctionDef, forward: dict[int, Differentiation]) -> None:
        """`fn(y_true, y_pred)` is Keras' signature for losses and metrics alike: named as a loss it is one; named
        as a metric (`dice_coef`, `f1_score`, `mean_iou`, `accuracy`) it only runs forward, unless something
        differentiates it (a loss that calls it, `compile(loss=...)`)."""
        short = node.name.value
        if "loss" in short.lower():
            self._differentiate(scope, f"{short}(y_true, y_pred), a loss by its name and signature", node.name)
        elif _METRIC_NAME.search(short.lower()):
            forward[id(scope)] = Differentiation(Flow.FORWARD_ONLY,
                                                 f"{short}(y_true, y_pred), a metric by its name and signature")
        elif self._test_file:
            forward[id(scope)] = Differentiation(Flow.FORWARD_ONLY, f"test code ({short})")

    def _seed_other_files(self) -> None:
        """A module-level function that another file of the project calls from differentiated code is differentiated
        (`from utils import masked_log` in a loss of train.py). One step back only, like values' arguments from
        other files: the other file's flow is read without looking at its own callers (project.py)."""
        from nanlint import project

        current = project.current()
        if current is None or current.is_summary(self.analysis):
            return
        for scope in self.analysis.functions.values():
            if scope.parent is not self.analysis.module_scope or scope.class_name is not None \
                    or id(scope) in self._scope_flow:
                continue
            for other, call in current.callers(self.analysis.path, scope.name):
                compiled = other.gradients._compiled_losses.get(id(call.node))
                if compiled is not None:
                    # a loss factory (`focal(gamma=0.5)` given to compile in train.py): what it returns is the loss
                    for returned in scope.returns:
                        for target in self._functions_in(returned, At(scope, END)):
                            self._differentiate(target, f"returned by {scope.name}(), the loss passed to compile at "
                                                        f"{os.path.basename(other.path)}:{compiled}", None)
                here = other.gradients.at(call.site, call.node)
                if here.flow is Flow.DIFFERENTIATED:
                    line = other.position(call.node).start.line
                    self._scope_flow[id(scope)] = Differentiation(
                        Flow.DIFFERENTIATED, f"called at {os.path.basename(other.path)}:{line} from "
                                             f"{other.gradients.explain(here)}")
                    break

    def _seed_inherited_methods(self) -> None:
        """A method that overrides one of a base class defined in another project file, which that class calls as
        `self.name(...)` from its differentiated code, is differentiated (flownet2: `Net.train` in net.py hands
        `self.loss(...)` to `create_train_op`; `FlowNetS.loss` in flownet_s.py overrides it). One step back, like
        `_seed_other_files`: the base's file is read without its own callers. Also in another file's summary (the
        loss method's file read for the helper it calls: flownet2's utils.py), each base file once per chain."""
        from nanlint import project
        from nanlint.analysis.values import project_symbol

        current = project.current()
        if current is None or not self.analysis.classes or self.analysis.path in _INHERITING:
            return
        _INHERITING.add(self.analysis.path)
        try:
            self._seed_overrides(project_symbol)
        finally:
            _INHERITING.discard(self.analysis.path)

    def _seed_overrides(self, project_symbol: Callable[[ModuleAnalysis, str], tuple[ModuleAnalysis, str] | None]
                        ) -> None:
        for info in self.analysis.classes.values():
            for base in info.bases:
                found = project_symbol(self.analysis, base) if "." in base else None  # imported: `..net.Net`
                base_info = found[0].classes.get(found[1]) if found is not None else None
                if found is None or base_info is None or self._role(info) is not None \
                        or found[0].gradients._role(base_info) is not None:
                    # only a plain base class (flownet2's `class Net(object)`) whose own code differentiates: a Keras
                    # layer's call() is differentiated by its role already, and its hooks' flow read where it is
                    # defined (an augmentation layer's, a tf.Module's data-dependent initialiser)
                    continue
                other = found[0]
                for name, method in info.methods.items():
                    if id(method) in self._scope_flow or name.startswith("__"):
                        continue
                    for call in other.calls:
                        func = call.node.func
                        if not (isinstance(func, cst.Attribute) and func.attr.value == name
                                and isinstance(func.value, cst.Name) and func.value.value == "self"
                                and call.site.scope.class_name == base_info.name):
                            continue
                        here = other.gradients.at(call.site, call.node)
                        if here.flow is Flow.DIFFERENTIATED:
                            line = other.position(call.node).start.line
                            self._scope_flow[id(method)] = Differentiation(
                                Flow.DIFFERENTIATED, f"the override of {base_info.name}.{name}(), which "
                                                     f"{base_info.name} calls at {os.path.basename(other.path)}:"
                                                     f"{line} in {other.gradients.explain(here)}")
                            break

    def _opens_tape(self, scope: Scope) -> bool:
        return id(scope) in self._has_tape

    def _seed_call(self, call: CallSite, forward: dict[int, Differentiation]) -> None:
        """What one call says about the functions it receives or the code it is in: custom gradients, gradient
        transforms, tape.gradient / tf.gradients, compile, layers built from functions, input pipelines."""
        func = call.node.func
        name = normalize(call.qualified_name) if call.qualified_name else ""
        method = func.attr.value if isinstance(func, cst.Attribute) else None
        first = call.node.args[0].value if call.node.args else None
        if name.startswith(_CUSTOM_GRADIENT):
            for target in self._functions_in(first, call.site):
                self._mark_custom(target, f"custom_gradient function {_short(target)}()")
        elif name.startswith(_GRAD_TRANSFORMS):
            for target in self._functions_in(first, call.site):
                self._differentiate(target, f"function given to {name.split('.')[-1]}()", call.node)
        elif (what := self._differentiating(call)) is not None:
            self._differentiate(self._owner(call.site.scope), f"code differentiated by {what}", call.node)
            for arg in call.node.args[:1]:
                for target in self._functions_in(arg.value, call.site):
                    self._differentiate(target, f"loss given to {what}", call.node)
        elif method == "compile" and call.qualified_name is None:
            self._seed_compile(call, forward)
        elif not self._seed_layer(call, name, forward):
            self._seed_pipeline(call, name, method, forward)

    def _seed_layer(self, call: CallSite, name: str, forward: dict[int, Differentiation]) -> bool:
        """A Lambda-style layer's function and a layer's activation function are differentiated, and so is a
        function that builds a functional model from keras.Input; whether the call was such a layer or Input."""
        func = call.node.func
        layer = name.rsplit(".", 1)[-1] if name.startswith("keras.layers.") else \
            func.value if isinstance(func, cst.Name) and call.qualified_name is None else ""
        if layer in _FUNCTION_LAYERS:
            for target in self._functions_in(call.node.args[0].value if call.node.args else None, call.site):
                self._differentiate(target, f"function of the {layer} layer", call.node)
            return True
        activation = next((arg.value for arg in call.node.args
                           if arg.keyword is not None and arg.keyword.value == "activation"), None)
        if activation is not None and name.startswith("keras.layers."):
            for target in self._functions_in(activation, call.site):
                self._differentiate(target, f"activation of the {layer} layer", call.node)
        if not (name.endswith(("Input", "InputLayer")) and name.startswith("keras.")):
            return False
        owner = self._owner(call.site.scope)
        # a test or a metric builds models too; a model builder is a role-less function or a Model subclass's
        # __init__ that builds its functional graph (`super().__init__(inputs=..., outputs=...)`)
        if owner is not self.analysis.module_scope and (id(owner) not in forward or id(owner) in self._layer_setup):
            self._differentiate(owner, "a function that builds a functional model from keras.Input", call.node)
        return True

    def _seed_pipeline(self, call: CallSite, name: str, method: str | None,
                       forward: dict[int, Differentiation]) -> None:
        """Functions given to an input pipeline (`dataset.map(f)`) or wrapped in a metric
        (`keras.metrics.MeanMetricWrapper(fn)`) run forward only."""
        if (method in _PIPELINE_METHODS and call.qualified_name is None) or name.startswith(_PIPELINE_FUNCTIONS):
            why = f"input-pipeline function ({method or name.split('.')[-1]}())"
        elif name.startswith("keras.metrics."):
            why = f"function wrapped in a metric ({name.split('.')[-1]})"
        else:
            return
        for arg in call.node.args:
            for target in self._functions_in(arg.value, call.site):
                forward.setdefault(id(target), Differentiation(Flow.FORWARD_ONLY, why))

    def _seed_training_call(self, call: CallSite, forward: dict[int, Differentiation]) -> None:
        """`self.critic(x, training=True)` in a function that applies no update itself: the function computes
        part of a training loss (a gradient penalty, an auxiliary term) for its caller to differentiate."""
        if call.qualified_name is not None or not any(
                arg.keyword is not None and arg.keyword.value == "training" and isinstance(arg.value, cst.Name)
                and arg.value.value == "True" for arg in call.node.args):
            return
        owner = self._owner(call.site.scope)
        if owner is self.analysis.module_scope or id(owner) in self._updating or id(owner) in forward:
            return
        region = self._regions.get(id(call.site.statement))
        if region is not None and region.flow is Flow.DIFFERENTIATED and isinstance(region.anchor, cst.With) \
                and id(owner) not in self._scope_flow:
            # the tape records the model from its `with` on: what the function computed before it is a constant
            self._taped_training[id(call.node)] = region.anchor
        self._differentiate(owner, "runs a model with training=True", call.node)

    def _seed_trainable_argument(self, call: CallSite, forward: dict[int, Differentiation]) -> None:
        """`squash(caps)` where `caps` comes out of `tf.layers.conv2d(X, ...)`: a module function given a value
        computed from weights the module itself creates (TF1 layers, a Keras layer built and applied in place, a
        `tf.Variable`) computes part of what those weights are trained through. Only from code whose own flow is
        not known (module-level graph code, a function nothing in the module calls): forward-only code and tests
        keep their verdict."""
        owner = self._owner(call.site.scope)
        if self._test_file or id(owner) in forward or id(owner) in self._scope_flow or id(call.node) in self._sinks:
            return
        region = self._regions.get(id(call.site.statement))
        if region is not None and region.flow is not Flow.DIFFERENTIATED:
            return
        targets = self._called(call)
        if not targets:
            return
        for arg in call.node.args:
            source = self._trainable_source(arg.value, call.site)
            if source is None:
                continue
            line = self.analysis.position(source).start.line
            given = f"`{arg.value.value}`" if isinstance(arg.value, cst.Name) else "a value"
            why = f"called with {given} computed by trainable weights (line {line})"
            for target in targets:
                self._differentiate(target, why, call.node)
            return

    def _trainable_source(self, expr: cst.BaseExpression, site: Point) -> cst.Call | None:
        """The call creating trainable weights that `expr` is computed from (through names, arithmetic and the
        inputs of calls), if any within a few steps."""
        pending: list[tuple[cst.BaseExpression, Point, int]] = [(expr, site, 0)]
        while pending:
            current, at, depth = pending.pop()
            if depth > 8:
                continue
            if isinstance(current, cst.Name):
                binding = self.binder.resolve(current.value, at)
                if binding is not None and binding.expression is not None:
                    pending.append((binding.expression, binding.at, depth + 1))
            elif isinstance(current, cst.BinaryOperation):
                pending.extend(((current.left, at, depth + 1), (current.right, at, depth + 1)))
            elif isinstance(current, cst.Subscript):
                pending.append((current.value, at, depth + 1))
            elif isinstance(current, cst.Call):
                if self._creates_weights(current):
                    return current
                pending.extend((arg.value, at, depth + 1) for arg in current.args if arg.keyword is None)
        return None

    def _creates_weights(self, call: cst.Call) -> bool:
        """`tf.layers.conv2d(x, ...)`, `tf.contrib.layers.*`/slim layers, `Dense(8)(x)`, `tf.Variable(...)`."""
        if self.analysis.op_of_call(call) is Op.VARIABLE:
            return True
        name = self._name_of(call.func)
        if name.startswith(_TRAINABLE_LAYER_FUNCTIONS):
            return True
        if isinstance(call.func, cst.Call):
            layer = self._name_of(call.func.func)
            return layer.startswith("keras.layers.") and not layer.rsplit(".", 1)[-1].startswith(_PREPROCESSING_LAYERS)
        return False

    def _seed_compile(self, call: CallSite, forward: dict[int, Differentiation]) -> None:
        for arg in call.node.args:
            keyword = arg.keyword.value if arg.keyword is not None else None
            positional = [a for a in call.node.args if a.keyword is None]
            if keyword == "loss" or (keyword is None and len(positional) > 1 and arg is positional[1]):
                for target in self._functions_in(arg.value, call.site):
                    self._differentiate(target, "loss passed to compile", call.node)
                self._compiled_losses.update(self._loss_calls(arg.value, call.site))
            elif keyword in ("metrics", "weighted_metrics"):
                for target in self._functions_in(arg.value, call.site):
                    forward.setdefault(id(target), Differentiation(Flow.FORWARD_ONLY, "metric passed to compile"))

    def _loss_calls(self, expr: cst.BaseExpression, at: Point) -> dict[int, int]:
        """The calls whose results a compile's `loss=` receives (`losses.focal(gamma=0.5)`, in a dict or list of
        losses, through names): id -> the compile's line, for another file whose function they call."""
        found: dict[int, int] = {}
        pending = [(expr, at)]
        for _ in range(32):
            if not pending:
                break
            current, where = pending.pop()
            current, where = self.binder.follow(current, where)
            if isinstance(current, (cst.List, cst.Tuple)):
                pending.extend((element.value, where) for element in current.elements)
            elif isinstance(current, cst.Dict):
                pending.extend((element.value, where) for element in current.elements
                               if isinstance(element, cst.DictElement))
            elif isinstance(current, cst.Call):
                found[id(current)] = self.analysis.position(current).start.line
        return found

    def _mark_custom(self, scope: Scope, why: str) -> None:
        anchor = scope.node.name if isinstance(scope.node, cst.FunctionDef) else None
        flow = Differentiation(Flow.CUSTOM_GRADIENT, why, anchor)
        for inner in [scope, *self._nested(scope)]:
            self._custom.add(id(inner))
            self._scope_flow[id(inner)] = flow

    def _nested(self, scope: Scope) -> list[Scope]:
        return [other for other in [*self.analysis.functions.values(), *self.analysis.lambdas.values()]
                if other is not scope and scope.encloses(other)]

    def _differentiate(self, scope: Scope, why: str, anchor: cst.CSTNode | None) -> None:
        if id(scope) in self._custom or id(scope) in self._scope_flow:
            return
        self._scope_flow[id(scope)] = Differentiation(Flow.DIFFERENTIATED, why, anchor)

    def _spread_differentiation(self) -> None:
        """Every function called (or passed as a value) from differentiated code is differentiated."""
        changed = True
        while changed:
            changed = False
            for call in self.analysis.calls:
                here = self.at(call.site, call.node)
                if here.flow is not Flow.DIFFERENTIATED or self._sink_reason(call) is not None:
                    continue
                for target in self._callees(call):
                    if id(target) not in self._scope_flow and id(target) not in self._custom:
                        self._scope_flow[id(target)] = Differentiation(
                            Flow.DIFFERENTIATED, here.why, here.anchor, _short(target))
                        changed = True

    def _spread_forward(self) -> None:
        """A function all of whose callers in the module run forward only runs forward only."""
        callers: dict[int, list[CallSite]] = defaultdict(list)
        targets: dict[int, Scope] = {}
        for call in self.analysis.calls:
            for target in self._callees(call):
                callers[id(target)].append(call)
                targets[id(target)] = target
        changed = True
        while changed:
            changed = False
            for key, sites in callers.items():
                if key in self._scope_flow:
                    continue
                flows = [self.at(call.site, call.node) for call in sites]
                if all(flow.flow in (Flow.FORWARD_ONLY, Flow.CUSTOM_GRADIENT) for flow in flows):
                    first = flows[0]
                    why = first.why if first.flow is Flow.FORWARD_ONLY else f"called from the {first.why}"
                    self._scope_flow[key] = Differentiation(Flow.FORWARD_ONLY, why, first.anchor, _short(targets[key]))
                    changed = True

    # -- resolution -------------------------------------------------------------------------
    def _callees(self, call: CallSite) -> tuple[Scope, ...]:
        """Module functions a call runs: the function called, and functions passed to it as values (cached: the
        spreading loops ask again on every pass)."""
        key = id(call.node)
        if key not in self._callee_cache:
            found = list(self._called(call))
            for arg in call.node.args:
                if isinstance(arg.value, (cst.Name, cst.Attribute, cst.Lambda)):
                    found.extend(self._functions_in(arg.value, call.site))
            self._callee_cache[key] = tuple(found)
        return self._callee_cache[key]

    def _called(self, call: CallSite) -> tuple[Scope, ...]:
        """The module functions the callee itself denotes (cached). An imported library operation (`tf.math.log`)
        is none: only what it is passed can be a module function (a method call like `self.mean()` is still read)."""
        key = id(call.node)
        if key not in self._called_cache:
            library = call.op is not None and call.qualified_name is not None
            self._called_cache[key] = () if library else tuple(
                self._functions_in(call.node.func, call.site, called=True))
        return self._called_cache[key]

    def _functions_in(self, expr: cst.BaseExpression | None, site: Point, called: bool = False) -> list[Scope]:
        """The module functions an expression denotes: a function or lambda, a list/dict of them, an instance
        or construction of a module class (its `call`/`__call__`), a factory's returned function.

        `called`: the expression is the callee of a call, so a class name there is a construction (`__init__`),
        not the object whose `call` runs. Values reached through bindings are objects, never constructions."""
        found: list[Scope] = []
        pending: list[_Pending] = [(expr, site, 0, called)] if expr is not None else []
        while pending:
            current, at, depth, is_callee = pending.pop()
            if depth > 6:
                continue
            if isinstance(current, cst.Lambda):
                scope = self.analysis.lambdas.get(current)
                if scope is not None:
                    found.append(scope)
            elif isinstance(current, (cst.List, cst.Tuple, cst.Set)):
                pending.extend((element.value, at, depth + 1, False) for element in current.elements)
            elif isinstance(current, cst.Dict):
                pending.extend((element.value, at, depth + 1, False) for element in current.elements
                               if isinstance(element, cst.DictElement))
            elif isinstance(current, cst.Name):
                found.extend(self._named(current.value, at, is_callee, pending, depth))
            elif isinstance(current, cst.Attribute):
                found.extend(self._attribute(current, at, pending, depth))
            elif isinstance(current, cst.Call):
                found.extend(self._constructed(current, at, is_callee, pending, depth))
        return found

    def _named(self, name: str, at: Point, called: bool, pending: list[_Pending], depth: int) -> list[Scope]:
        binding = self.binder.resolve(name, at)
        if binding is None or binding.expression is None:
            function = self.binder.local_function(binding.scope, name) if binding is not None else None
            if function is not None:
                return [function]
            info = self.analysis.classes.get(name)
            method = self._entry_method(info) if info is not None and not called else None
            return [method] if method is not None else []
        pending.append((binding.expression, binding.at, depth + 1, False))
        return []

    def _attribute(self, expr: cst.Attribute, at: Point, pending: list[_Pending], depth: int) -> list[Scope]:
        owner = expr.value
        attr = expr.attr.value
        if isinstance(owner, cst.Call) and isinstance(owner.func, cst.Name) and owner.func.value == "super":
            info = self.binder.enclosing_class(at.scope)
            if info is None:
                return []
            for base in self.binder.lineage(info)[1:]:
                if attr in base.methods:
                    return [base.methods[attr]]
            return []
        instance = self.binder.instance_class(owner, at)
        if instance is None:
            return []
        info, is_self = instance
        method = self.binder.method(info, attr)
        # `self.hook()` in a base class runs whichever subclass's override the instance has
        overrides = [cls.methods[attr] for cls in self.analysis.classes.values()
                     if is_self and cls is not info and attr in cls.methods and info in self.binder.lineage(cls)]
        if method is not None or overrides:
            return [method, *overrides] if method is not None else overrides
        for binding in self.binder.attribute(info, attr):
            if binding.expression is not None:
                pending.append((binding.expression, binding.at, depth + 1, False))
        return []

    def _constructed(self, call: cst.Call, at: Point, called: bool, pending: list[_Pending], depth: int) -> list[Scope]:
        func = call.func
        if isinstance(func, cst.Name) and func.value in self.analysis.classes:
            # `MyLoss()` given as a value is the object whose call runs; called (`MyLayer(...)`) it is __init__.
            if called:
                return []
            method = self._entry_method(self.analysis.classes[func.value])
            return [method] if method is not None else []
        if isinstance(func, cst.Call) and called:
            # `MyLayer(...)(x)`
            return self._functions_in(func, at)
        qualified = self.analysis.qualified_name(func)
        if qualified is not None and normalize(qualified) == "functools.partial" and call.args:
            pending.append((call.args[0].value, at, depth + 1, False))
            return []
        if not called:
            # a factory given as a value: `loss=make_loss(0.5)` runs the function make_loss returns, also a method
            # of the module's classes called on an instance (`loss=[self._penalty_wrapper(self.critic)]`)
            for factory in self._factories(func, at, depth):
                pending.extend((returned, At(factory), depth + 1, False) for returned in factory.returns)
        return []

    def _factories(self, func: cst.BaseExpression, at: Point, depth: int) -> list[Scope]:
        """The module functions a call's callee names as written: a function, or a method reached through an
        instance of a module class (`self.make_loss`; not a function an attribute holds)."""
        if isinstance(func, cst.Name):
            binding = self.binder.resolve(func.value, at)
            factory = self.binder.local_function(binding.scope, func.value) \
                if binding is not None and binding.expression is None else None
            return [factory] if factory is not None else []
        if isinstance(func, cst.Attribute):
            return self._attribute(func, at, [], depth)
        return []

    def _entry_method(self, info: ClassInfo) -> Scope | None:
        return self.binder.called_method(info)

    def _name_of(self, expr: cst.BaseExpression) -> str:
        if isinstance(expr, cst.Call):
            expr = expr.func
        qualified = self.analysis.qualified_name(expr)
        if qualified is not None:
            return normalize(qualified)
        return dotted(expr) or ""


def _role_of_base(base: str) -> _Role | None:
    name = normalize(base) if "." in base else base
    last = name.rsplit(".", 1)[-1]
    if name.startswith("keras.layers.") and last.startswith(_PREPROCESSING_LAYERS):
        return _Role.PREPROCESSING
    for role, prefixes, suffixes in _ROLE_PATTERNS:
        if name.startswith(prefixes) or last.endswith(suffixes):
            return role
    return None


def _part_sources(expr: cst.BaseExpression, at: Point) -> list[tuple[cst.BaseExpression, Point]] | None:
    """What an element of a container flows from: what is subscripted, a tuple's elements, what a comprehension
    computes (an element of `[np.array(s) for s in scores]`); None for anything else."""
    if isinstance(expr, cst.Subscript):
        return [(expr.value, at)]
    if isinstance(expr, cst.Tuple):  # (not a list: one bound to a name may be appended to later)
        return [(element.value, at) for element in expr.elements]
    if isinstance(expr, (cst.ListComp, cst.SetComp, cst.GeneratorExp)):
        return [(expr.elt, at)]
    if isinstance(expr, cst.DictComp):
        return [(expr.value, at)]
    return None


def _numpy_name(qualified: str | None) -> bool:
    """A name of NumPy's own (`numpy.array`, `numpy.ndarray`, `numpy.typing.NDArray`), not jax.numpy's."""
    return qualified is not None and qualified.split(".", 1)[0] == "numpy"


def _library_sink(name: str) -> str | None:
    """Why a call of the function qualified as `name` ends the gradient of its arguments, or None."""
    for prefix, reason in _SINK_PREFIXES:
        if name.startswith(prefix):
            return reason
    if name in _SAMPLERS:
        return _SAMPLER
    if name.startswith(_ARRAY_LIBRARIES):
        return _GRADIENT_ENDING_CALLS.get(name.rsplit(".", 1)[-1])
    return None


def _is_tf_function(analysis: ModuleAnalysis, scope: Scope) -> bool:
    node = scope.node
    if not isinstance(node, cst.FunctionDef):
        return False
    for decorator in node.decorators:
        expr = decorator.decorator.func if isinstance(decorator.decorator, cst.Call) else decorator.decorator
        qualified = analysis.qualified_name(expr)
        if qualified is not None and normalize(qualified) == "tensorflow.function":
            return True
    return False


def _jit_compiled(call: cst.Call) -> bool:
    return any(arg.keyword is not None and arg.keyword.value in ("jit_compile", "experimental_compile")
               and isinstance(arg.value, cst.Name) and arg.value.value == "True" for arg in call.args)


def _short(scope: Scope) -> str:
    return scope.name.replace(".<locals>", "") + "()" if scope.name else "module"


def _attribute_reads(module: cst.Module) -> dict[str, list[int]] | None:
    """The ids of every `x.name` read in the module (not an assignment's target), by name; None when the module
    reaches attributes by name (`getattr`, `vars`, `__dict__`), whose reads cannot be listed."""
    reads: dict[str, list[int]] = defaultdict(list)
    targets: set[int] = set()
    for node in descendants(module):
        if isinstance(node, (cst.Assign, cst.AnnAssign, cst.AugAssign)):
            targets.update(id(target.target) for target in (node.targets if isinstance(node, cst.Assign) else [node]))
        elif isinstance(node, cst.Attribute) and node.attr.value == "__dict__":
            return None
        elif isinstance(node, cst.Attribute):
            reads[node.attr.value].append(id(node))
        elif isinstance(node, cst.Name) and node.value in ("getattr", "vars"):
            return None
    return {name: [read for read in found if read not in targets] for name, found in reads.items()}


def _ending_parameters(scope: Scope, ends: dict[int, Differentiation]) -> dict[str, Differentiation]:
    """The parameters of a function (not rebound in it) read there, and only inside `ends`; static facts
    (`q.shape[0]`) are no reads."""
    if not isinstance(scope.node, cst.FunctionDef):
        return {}
    static = {id(node.value) for node in descendants(scope.node.body)
              if isinstance(node, cst.Attribute) and node.attr.value in _STATIC_READS}
    reads: dict[str, list[cst.Name]] = defaultdict(list)
    for read in name_reads(scope.node.body):
        if read.value in scope.params and id(read) not in static:
            reads[read.value].append(read)
    return {name: ends[id(uses[0])] for name, uses in reads.items()
            if name not in scope.assignments and all(id(use) in ends for use in uses)}


def _binding_uses(scope: Scope) -> list[tuple[int, cst.BaseExpression, list[cst.Name]]]:
    """(seq, assigned value, the reads of that binding) for the names of a function: every read of a name bound
    once; for a name rebound only in the function's own straight-line statements, the reads after each binding up
    to the next one (whose value reads the old binding)."""
    reads: dict[str, list[tuple[int, cst.Name]]] = defaultdict(list)  # name -> (top-level statement, read)
    top_level: dict[str, list[tuple[int, cst.BaseExpression]]] = defaultdict(list)  # name -> its bindings there
    statements = _top_level_statements(scope.node)
    for index, statement in enumerate(statements):
        # a tensor's static facts (`x.get_shape()`, `x.dtype`) are no use of its value
        static = {id(node.value) for node in descendants(statement)
                  if isinstance(node, cst.Attribute) and node.attr.value in _STATIC_READS}
        for read in name_reads(statement):
            if id(read) not in static:
                reads[read.value].append((index, read))
        small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) \
            and len(statement.body) == 1 else None
        if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
            top_level[small.targets[0].target.value].append((index, small.value))
    candidates: list[tuple[int, cst.BaseExpression, list[cst.Name]]] = []
    for name, entries in scope.assignments.items():
        if len(entries) == 1 and isinstance(entries[0][1], cst.BaseExpression):
            candidates.append((entries[0][0], entries[0][1], [node for _, node in reads.get(name, ())]))
        elif len(top_level.get(name, ())) == len(entries):
            bindings = top_level[name]
            for number, ((seq, _), (index, value)) in enumerate(zip(entries, bindings)):
                last = bindings[number + 1][0] if number + 1 < len(bindings) else len(statements)
                candidates.append((seq, value, [node for at, node in reads[name] if index < at <= last]))
    return candidates


def _names_only_called(where: cst.CSTNode) -> frozenset[str]:
    """The names every read of which below `where` is the callee of a call (`f(...)`, `obj.f(...)`) or a def's own
    name: one walk answers for every function defined there."""
    allowed: set[int] = set()
    reads: dict[str, list[int]] = defaultdict(list)
    for node in descendants(where):
        if isinstance(node, cst.Call):
            allowed.add(id(node.func))
            if isinstance(node.func, cst.Attribute):
                allowed.add(id(node.func.attr))
        elif isinstance(node, cst.FunctionDef):
            allowed.add(id(node.name))
        elif isinstance(node, cst.Name):
            reads[node.value].append(id(node))
    return frozenset(name for name, ids in reads.items() if all(read in allowed for read in ids))


def _ending_names(scope: Scope, ends: dict[int, Differentiation], differentiated: set[int]) -> dict[
        str, tuple[list[cst.BaseExpression], Differentiation]]:
    """The names of a function whose every read ends the value (lies in `ends`: a sink's argument, a comparison's
    operand) or feeds a binding of names that do so themselves (`q = sign(p - r); q += 1 - abs(q);
    return x + stop_gradient(-x + s * q)`: p and every binding of q only reach stop_gradient), whichever branch or
    loop binds them: the greatest such set, with the values bound to each and the flow of the sink they end in.
    Only names bound by plain assignments (`=`, `+=`, annotated) and read at least once; a tensor's static facts
    (`x.shape`, `tf.shape` aside) are no reads. A read that something differentiates (`grads = tape.gradient(loss,
    w)`, whose result only reaches apply_gradients) is a use of the value whatever its result feeds."""
    if not isinstance(scope.node, cst.FunctionDef):
        return {}
    bindings, feeds, unknown = _plain_bindings(scope.node.body)
    reads = _value_reads(scope.node.body)
    candidates = {name for name, values in bindings.items() if name not in unknown and name not in scope.params
                  and reads.get(name) and len(scope.assignments.get(name, ())) == len(values)}
    changed = True
    while changed:
        kept = {name for name in candidates if all(
            id(read) in ends or (id(read) in feeds and feeds[id(read)] <= candidates and id(read) not in differentiated)
            for read in reads[name])}
        changed, candidates = kept != candidates, kept
    flows: dict[str, Differentiation] = {}
    for _ in range(len(candidates)):  # a name ends in the sink of its reads, or of a name it feeds
        for name in candidates - flows.keys():
            found = [flow for read in reads[name] if (flow := ends.get(id(read)) or next(
                (flows[fed] for fed in feeds.get(id(read), ()) if fed in flows), None)) is not None]
            if found:
                flows[name] = found[0]
    return {name: (bindings[name], flows[name]) for name in candidates if name in flows}


def _plain_bindings(body: cst.BaseSuite) -> tuple[dict[str, list[cst.BaseExpression]], dict[int, frozenset[str]],
                                                  set[str]]:
    """A function body's plain assignments to names (`=` with only names as targets, `+=`, annotated): the values
    bound to each name; for every node of such a statement, the names it binds; and the names declared global or
    nonlocal (bound elsewhere too)."""
    bindings: dict[str, list[cst.BaseExpression]] = defaultdict(list)
    feeds: dict[int, frozenset[str]] = {}
    declared: set[str] = set()
    for statement in _own_small_statements(body):
        if isinstance(statement, (cst.Global, cst.Nonlocal)):
            declared.update(item.name.value for item in statement.names)
        targets = [target.target for target in statement.targets] if isinstance(statement, cst.Assign) else \
            [statement.target] if isinstance(statement, (cst.AugAssign, cst.AnnAssign)) else []
        value = getattr(statement, "value", None)
        if not targets or value is None or not all(isinstance(target, cst.Name) for target in targets):
            continue
        names = frozenset(target.value for target in targets if isinstance(target, cst.Name))
        for name in names:
            bindings[name].append(value)
        for node in descendants(statement):
            feeds[id(node)] = names
    return bindings, feeds, declared


def _value_reads(body: cst.CSTNode) -> dict[str, list[cst.Name]]:
    """The reads of each name below `body`, a tensor's static facts (`x.shape`, `x.dtype`) aside."""
    static = {id(node.value) for node in descendants(body)
              if isinstance(node, cst.Attribute) and node.attr.value in _STATIC_READS}
    reads: dict[str, list[cst.Name]] = defaultdict(list)
    for read in name_reads(body):
        if id(read) not in static:
            reads[read.value].append(read)
    return reads


def _own_small_statements(body: cst.BaseSuite) -> list[cst.BaseSmallStatement]:
    """The small statements of a function body at any depth of its compound statements, not inside nested
    functions, classes or lambdas."""
    found: list[cst.BaseSmallStatement] = []
    pending: list[cst.CSTNode] = [body]
    while pending:
        node = pending.pop()
        if isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            continue
        if isinstance(node, cst.BaseSmallStatement):
            found.append(node)
            continue
        pending.extend(node.children)
    return found


def _top_level_statements(node: cst.CSTNode) -> list[cst.CSTNode]:
    """A function's (or the module's) own statements in order; a lambda is its one expression."""
    if isinstance(node, cst.Module):
        return list(node.body)
    if isinstance(node, cst.FunctionDef):
        return list(node.body.body) if isinstance(node.body, cst.IndentedBlock) else [node.body]
    return [node]


def _is_compound(statement: cst.CSTNode) -> bool:
    return isinstance(statement, (cst.If, cst.For, cst.While, cst.With, cst.Try, cst.TryStar, cst.Match))


def _suites(statement: cst.CSTNode) -> list[list[cst.CSTNode]]:
    """The blocks of a compound statement apart (body, else, handlers, finally; an `elif` as the nested If it
    is), each its statements in order."""
    parts: list[cst.CSTNode | None] = [statement]
    orelse = getattr(statement, "orelse", None)
    suites: list[list[cst.CSTNode]] = [[orelse]] if isinstance(orelse, cst.If) else []
    if not isinstance(orelse, cst.If):
        parts.append(orelse)
    parts.extend(getattr(statement, "handlers", ()) or ())
    parts.append(getattr(statement, "finalbody", None))
    parts.extend(getattr(statement, "cases", ()) or ())
    for part in parts:
        body = getattr(part, "body", None) if part is not None else None
        if isinstance(body, cst.IndentedBlock):
            suites.append(list(body.body))
    return suites


def _nested_statements(statement: cst.CSTNode) -> list[cst.CSTNode]:
    """Every statement inside a compound statement, at any depth (not inside nested functions or classes)."""
    found: list[cst.CSTNode] = []
    pending = [statement]
    while pending:
        current = pending.pop()
        if not _is_compound(current):
            continue
        for inner in _body(current):
            found.append(inner)
            if not isinstance(inner, (cst.FunctionDef, cst.ClassDef)):
                pending.append(inner)
    return found


def _body(node: cst.CSTNode) -> list[cst.CSTNode]:
    """The statements directly inside a module, class, function or compound statement (all its blocks; an
    `elif` is returned as the nested If it is). One-line suites hold no statements of their own: their
    expressions' site is the compound statement itself."""
    if isinstance(node, cst.Module):
        return list(node.body)
    suites = [getattr(node, "body", None)]
    orelse = getattr(node, "orelse", None)
    statements: list[cst.CSTNode]
    if isinstance(orelse, cst.If):
        statements = [orelse]
    else:
        statements = []
        suites.append(orelse.body if orelse is not None else None)
    suites.extend(handler.body for handler in getattr(node, "handlers", ()) or ())
    finalbody = getattr(node, "finalbody", None)
    suites.append(finalbody.body if finalbody is not None else None)
    suites.extend(case.body for case in getattr(node, "cases", ()) or ())
    for suite in suites:
        if isinstance(suite, cst.IndentedBlock):
            statements.extend(suite.body)
    return statements


def _joined_sources(call: cst.Call, last: str, at: Point) -> list[tuple[cst.BaseExpression, Point]] | None:
    """The parts a concatenation or a stack (of a literal list) or a meshgrid joins: a gradient flows through it
    only from them (`concat([labels_xy - labels_wh / 2, ...])` of a loss's y_true carries none)."""
    values = argument(call, 0, "values")
    if isinstance(values, (cst.List, cst.Tuple)):
        if any(isinstance(element, cst.StarredElement) for element in values.elements):
            return None
        return [(element.value, at) for element in values.elements]
    if last == "meshgrid":
        return [(arg.value, at) for arg in call.args if arg.keyword is None and not arg.star]
    # a list made elsewhere (`stack(meshgrid(...))`): what made it (a name bound to a list literal stays unknown,
    # appends may fill it)
    return [(values, at)] if values is not None else None


def _applies_gradients(call: cst.Call) -> bool:
    """`opt.apply_gradients(zip(grads, params))`: the update that consumes the gradients."""
    return isinstance(call.func, cst.Attribute) and call.func.attr.value == "apply_gradients"
