"""-Inf written into the entries a mask drops, then normalized over: a row the mask keeps nothing of is all -Inf.

softmax and log_softmax subtract the row's maximum before exp; for a row of -Inf that is -Inf - (-Inf) = NaN, so
the whole row is NaN (measured, TensorFlow 2.21 on CPU; reduce_logsumexp gives -Inf, the log of an empty sum). A
row with at least one kept entry is finite: -Inf is a correct fill for entries that have a kept neighbour. The NaN
therefore needs a mask that can keep nothing in a row: `tf.sequence_mask(lengths)` with a length of 0, a padding
mask of an all-padding row. A causal or banded mask (`band_part`, `triu`, `tril`) always keeps the diagonal, so it
cannot. A large finite fill (-1e9 in float32, the dtype's minimum) gives such a row a uniform softmax instead; so
does re-masking the normalized result (`where(mask, probs, 0)`, DeBERTa's XSoftmax), which also keeps the gradient
finite, as where() routes the NaN row's gradient to the constant fill.

The -Inf is written by where() (`where(mask, x, -inf)`, `where(padding, -inf, x)`) or by the log of a 0/1 mask
added to the scores (`scores + log(mask)`). `InfiniteRows(analysis).found` lists each such -Inf, where it is
written, the mask, and the normalization. The value is followed from the normalization's operand back through
names, shape-only operations, arithmetic, module functions' returns and parameters bound at their call sites
(`mask_3d(scores, lengths, -np.inf)`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import libcst as cst

from nanlint.analysis.binder import END, At, BindingKind, Point
from nanlint.analysis.module import CallSite, ModuleAnalysis, Scope
from nanlint.analysis.operations import KEEP_ELEMENTS, Op, normalize
from nanlint.analysis.arguments import argument
from nanlint.analysis.values import numeric_literal, parameter_index
from nanlint.analysis.walk import descendants

# What normalizes over a row into NaN for a row of -Inf. reduce_logsumexp gives -Inf there, the log of an empty
# sum, which code uses on purpose (keras' circle loss takes softplus(-Inf) = 0; where() routes the gradient of the
# empty row to the constant fill): not a NaN of its own.
NORMALIZERS = {Op.SOFTMAX: "softmax", Op.LOG_SOFTMAX: "log_softmax"}
# Masks that always keep the diagonal (causal, banded): never empty in a row.
_BANDED = ("band_part", "triu", "tril", "matrix_band_part")
# Calls whose result is all ones (a -Inf times them is a -Inf fill).
_ONES = ("ones", "ones_like")
_MAX_STEPS = 40


@dataclass(frozen=True)
class InfiniteRow:
    """A -Inf written into the entries a mask drops, and a softmax-like normalization over them."""

    origin: cst.CSTNode  # the -Inf as written (a literal, `float('-inf')`, a fill call): where the fix goes
    select: cst.Call  # the where() that writes it into the dropped entries, or the log() of a 0/1 mask
    mask: str  # the where()'s condition, as spelled
    dropping: bool  # the condition selects the -Inf entries (`where(pad, -inf, x)`), not the kept ones
    empty_when: str  # when that mask keeps nothing in a row, for messages
    normalizer: cst.Call  # the softmax / log_softmax
    operation: str  # "softmax"


@dataclass(frozen=True)
class _Frame:
    """A module function being followed into from one of its calls: its parameters are that call's arguments."""

    function: Scope
    call: cst.Call
    caller: Point


_State = tuple[cst.BaseExpression, Point, tuple[_Frame, ...]]
# (the where() or log(), the -Inf written, the mask, whether the mask selects the -Inf entries, its point)
_Select = tuple[cst.Call, cst.CSTNode, cst.BaseExpression, bool, Point]


class InfiniteRows:
    def __init__(self, analysis: ModuleAnalysis) -> None:
        self.analysis = analysis
        self.binder = analysis.binder

    @cached_property
    def found(self) -> list[InfiniteRow]:
        rows: list[InfiniteRow] = []
        seen: set[int] = set()
        for call in self.analysis.calls_of(*NORMALIZERS):
            if call.is_numpy or self._renormalized(call):
                continue
            operand = self.analysis.operand(call.node)
            if operand is None:
                continue
            operation = NORMALIZERS[call.op]  # type: ignore[index]  # calls_of(NORMALIZERS): op is a key
            for select, origin, condition, dropping, at in self._filled_selects(operand, call):
                if id(origin) in seen:
                    continue
                empty_when = self._empty_when(condition, dropping, at)
                if empty_when is None:
                    continue
                seen.add(id(origin))
                rows.append(InfiniteRow(origin, select, self.analysis.spelled(condition), dropping, empty_when, call.node,
                                        operation))
        return rows

    # -- the value normalized, followed back to where()s that fill with -Inf -----------------
    def _filled_selects(self, operand: cst.BaseExpression, call: CallSite) -> list[_Select]:
        """Every where() whose -Inf fill reaches `operand`."""
        found = []
        pending: list[_State] = [(operand, call.site, ())]
        steps = 0
        while pending and steps < _MAX_STEPS:
            steps += 1
            expr, at, frames = pending.pop()
            selected = self._filled(expr, at, frames) if isinstance(expr, cst.Call) else None
            if selected is not None:
                found.append(selected)
                continue
            pending.extend(self._sources(expr, at, frames))
        return found

    def _filled(self, where: cst.Call, at: Point, frames: tuple[_Frame, ...]) -> _Select | None:
        """A where() with an all -Inf branch, or the log of a 0/1 mask (`scores + log(mask)`: log(0) = -Inf)."""
        op = self.analysis.op_of_call(where)
        if op is Op.LOG:
            mask = self.analysis.operand(where)
            return (where, where, mask, False, at) if mask is not None and self._zero_one(mask, at) else None
        if op is not Op.WHERE:
            return None
        condition = argument(where, 0, "condition")
        kept_branch, fill_branch = argument(where, 1, "x"), argument(where, 2, "y")
        if condition is None or kept_branch is None or fill_branch is None:
            return None
        origin = self._negative_infinity(fill_branch, at, frames)
        if origin is not None:
            return where, origin, condition, False, at
        origin = self._negative_infinity(kept_branch, at, frames)
        if origin is not None:
            return where, origin, condition, True, at  # `where(padding, -inf, x)`
        return None

    def _zero_one(self, expr: cst.BaseExpression, at: Point) -> bool:
        """A 0/1 mask, through names and casts: named one, a comparison cast to numbers, a `sequence_mask`."""
        for _ in range(8):
            if self.analysis.values.is_mask(expr, at):
                return True
            if isinstance(expr, cst.Call) and self._called(expr) == "sequence_mask":
                return True
            if isinstance(expr, cst.Call) and self.analysis.op_of_call(expr) is Op.CAST:
                expr = self.analysis.operand(expr) or expr
                continue
            followed, at = self.binder.follow(expr, at, limit=1)
            if followed is expr:
                return False
            expr = followed
        return False

    def _sources(self, expr: cst.BaseExpression, at: Point, frames: tuple[_Frame, ...]) -> list[_State]:
        """What the entries of `expr` come from: a name's binding, a carrier's operand, arithmetic's operands
        (a -Inf stays -Inf through a shift or a positive scale), a module function's returns."""
        if isinstance(expr, cst.Name):
            return self._bound(expr.value, at, frames)
        if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, (cst.Add, cst.Subtract)):
            return [(expr.left, at, frames), (expr.right, at, frames)]
        if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, (cst.Multiply, cst.Divide)):
            return [(expr.left, at, frames)]
        if not isinstance(expr, cst.Call):
            return []
        op = self.analysis.op_of_call(expr)
        if op in KEEP_ELEMENTS or op in (Op.ADD, Op.SUBTRACT, Op.MULTIPLY, Op.DIVIDE, Op.BIAS_ADD):
            operand = self.analysis.operand(expr)
            return [(operand, at, frames)] if operand is not None else []
        callee = self.analysis.values.called_function(expr, at) if op is None else None
        if callee is None or any(frame.function is callee for frame in frames):
            return []
        inner = (*frames, _Frame(callee, expr, at))
        return [(returned, At(callee, END), inner) for returned in callee.returns]

    def _bound(self, name: str, at: Point, frames: tuple[_Frame, ...]) -> list[_State]:
        """A name's value: its assignment, or for a parameter the argument of the call being followed (else of
        each call of the function in the module), or its default."""
        binding = self.binder.resolve(name, at)
        if binding is None:
            return []
        if binding.kind is BindingKind.ASSIGNED and binding.expression is not None:
            return [(binding.expression, binding.at, frames)]
        if binding.kind is not BindingKind.PARAMETER:
            return []
        function = binding.scope
        index = parameter_index(function, name)
        if frames and frames[-1].function is function:
            frame = frames[-1]
            passed = argument(frame.call, index, name)
            if passed is not None:
                return [(passed, frame.caller, frames[:-1])]
            default = function.defaults.get(name)
            return [(default, At(function.parent or function, END), frames[:-1])] if default is not None else []
        states: list[_State] = []
        for call, caller in self.analysis.values.callers(function):
            passed = argument(call, index, name)
            if passed is not None:
                states.append((passed, caller, ()))
        default = function.defaults.get(name)
        if default is not None:
            states.append((default, At(function.parent or function, END), ()))
        return states

    def _negative_infinity(self, expr: cst.BaseExpression, at: Point, frames: tuple[_Frame, ...],
                           depth: int = 0) -> cst.CSTNode | None:
        """Where the -Inf is written, when every entry of `expr` is -Inf: a -Inf constant, an array filled with
        one (`tf.fill(shape, float('-inf'))`), `-inf * ones_like(x)`, followed through names and parameters."""
        if depth > 8:
            return None
        if isinstance(expr, cst.Name):
            bound = self._bound(expr.value, at, frames)
            if len(bound) == 1:  # a parameter's callers must agree: one of them is followed, never a mix
                return self._negative_infinity(*bound[0], depth + 1)
            return None
        if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Multiply):
            return self._scaled_infinity(expr.left, expr.right, at, frames, depth) or \
                self._scaled_infinity(expr.right, expr.left, at, frames, depth)
        if isinstance(expr, cst.Call) and self.analysis.op_of_call(expr) in (Op.CAST, Op.CONSTANT):
            operand = self.analysis.operand(expr) or argument(expr, 0, "value")
            return self._negative_infinity(operand, at, frames, depth + 1) if operand is not None else None
        written = self.analysis.guards.written_infinity(expr, at)
        return written[1] if written is not None and written[0] == "-Inf" else None

    def _scaled_infinity(self, infinity: cst.BaseExpression, factor: cst.BaseExpression, at: Point,
                         frames: tuple[_Frame, ...], depth: int) -> cst.CSTNode | None:
        """`-inf * ones_like(x)`, `mask_value * tf.cast(ones, tf.float32)`: a -Inf times all ones (a positive
        constant too). A -Inf times a mask is no fill: 0 * -Inf is NaN (masked_infinities' form)."""
        origin = self._negative_infinity(infinity, at, frames, depth + 1)
        if origin is None or not self._all_ones(factor, at):
            return None
        return origin

    def _all_ones(self, expr: cst.BaseExpression, at: Point) -> bool:
        for _ in range(6):
            literal = numeric_literal(expr)
            if literal is not None:
                return literal > 0
            expr, at = self.binder.follow(expr, at)
            if not isinstance(expr, cst.Call):
                return False
            if self.analysis.op_of_call(expr) is Op.CAST:
                expr = self.analysis.operand(expr) or expr
                continue
            return self._called(expr) in _ONES
        return False

    # -- the mask ---------------------------------------------------------------------------
    def _empty_when(self, kept: cst.BaseExpression, negated: bool, at: Point) -> str | None:
        """When the condition `kept` (its negation when `negated`) keeps no entry of a row, or None when it cannot:
        a causal or banded mask keeps the diagonal."""
        for _ in range(12):
            kept, at = self.binder.follow(kept, at)
            if isinstance(kept, cst.UnaryOperation) and isinstance(kept.operator, (cst.Not, cst.BitInvert)):
                negated, kept = not negated, kept.expression
                continue
            if not isinstance(kept, cst.Call):
                break
            name = self._called(kept)
            if name in _BANDED:
                return None
            if name == "logical_not":
                negated, kept = not negated, argument(kept, 0, "x") or kept
                continue
            if name == "sequence_mask" and not negated:
                lengths = argument(kept, 0, "lengths")
                spelled = self.analysis.spelled(lengths) if lengths is not None else "lengths"
                return f"a row whose length in `{spelled}` is 0"
            if self.analysis.op_of_call(kept) in KEEP_ELEMENTS:
                kept = self.analysis.operand(kept) or kept
                continue
            break
        return self._unbanded(kept, negated, at)

    def _unbanded(self, kept: cst.BaseExpression, negated: bool, at: Point) -> str | None:
        """`_empty_when` for a mask that is not a call it reads: not banded, and not a mask object's attribute made
        banded in the class (Informer's `ProbMask(...).mask`, read in the class's file)."""
        if self._banded(kept, at):
            return None
        held = self.analysis.values.instance_attribute(kept, at) if isinstance(kept, cst.Attribute) else None
        if held is not None:
            analysis, made, where = held
            return analysis.infinite_rows._empty_when(made, negated, where)
        if isinstance(kept, (cst.Name, cst.Attribute, cst.Call, cst.Comparison, cst.Subscript)):
            return "a row the mask keeps nothing of (an all-padding row, an empty sequence)"
        return None

    def _banded(self, condition: cst.BaseExpression, at: Point) -> bool:
        """The condition is computed from a band of a matrix (`band_part(ones, -1, 0) > 0`, `triu(...)`), through
        names."""
        pending: list[tuple[cst.BaseExpression, Point]] = [(condition, at)]
        for _ in range(_MAX_STEPS):
            if not pending:
                break
            expr, at = pending.pop()
            for node in descendants(expr):
                if isinstance(node, cst.Call) and self._called(node) in _BANDED:
                    return True
                if isinstance(node, cst.Name):
                    followed, where = self.binder.follow(node, at, limit=1)
                    if followed is not node:
                        pending.append((followed, where))
        return False

    # -- the result re-masked after the normalization ---------------------------------------------
    def _renormalized(self, call: CallSite) -> bool:
        """The normalized row is replaced where it was masked: the normalization is a branch of a where() whose
        other branch is a constant, or is assigned to a name that a later where() in the function takes as one
        branch against a constant (`output = where(rmask, 0.0, output)`)."""
        for where in self.analysis.calls_of(Op.WHERE):
            if where.site.scope is not call.site.scope or where.site.seq < call.site.seq:
                continue
            branches = [argument(where.node, 1, "x"), argument(where.node, 2, "y")]
            if None in branches or not any(self._constant(b, where.site) for b in branches if b is not None):
                continue
            for branch in branches:
                if branch is not None and self._from_normalizer(branch, where.site, call.node):
                    return True
        return False

    def _from_normalizer(self, expr: cst.BaseExpression, at: Point, normalizer: cst.Call) -> bool:
        for _ in range(6):
            if expr is normalizer:
                return True
            if any(node is normalizer for node in descendants(expr)):
                return True
            followed, at = self.binder.follow(expr, at, limit=1)
            if followed is expr:
                return False
            expr = followed
        return False

    def _constant(self, expr: cst.BaseExpression, at: Point) -> bool:
        if self.analysis.values.constant(expr, at) is not None:
            return True
        expr, _ = self.binder.follow(expr, at)
        return isinstance(expr, cst.Call) and self._called(expr) in ("zeros_like", "zeros")

    # -- helpers --------------------------------------------------------------------------
    def _called(self, call: cst.Call) -> str:
        """The last part of the called function's name (`band_part` for `tf.linalg.band_part`), resolved through
        the imports or as spelled."""
        qualified = self.analysis.qualified_name(call.func)
        if qualified is not None:
            return normalize(qualified).rsplit(".", 1)[-1]
        func = call.func
        return func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else ""
