"""NAN007: `where(cond, log(x), ...)` / `where(cond, a / x, ...)`: the untaken branch is still evaluated,
and its Inf/NaN gradient at x = 0 leaks through where's gradient (0 * Inf = NaN). The forward is finite."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from nanlint.analysis.module import ModuleAnalysis
from nanlint.analysis.operations import Op
from nanlint.analysis.values import argument
from nanlint.checks.base import Check, Report


def _unsafe_inner(analysis: ModuleAnalysis, branch: cst.BaseExpression) -> tuple[str, cst.BaseExpression] | None:
    """('log', x) / ('division', x) when the branch computes log(x) or ./x directly."""
    if isinstance(branch, cst.Call):
        op = analysis.op_of_call(branch)
        if op in (Op.LOG, Op.RECIPROCAL):
            inner = argument(branch, 0, "x")
            return ("log" if op is Op.LOG else "division", inner) if inner is not None else None
        if op is Op.DIVIDE:
            inner = argument(branch, 1, "y")
            return ("division", inner) if inner is not None else None
    if isinstance(branch, cst.BinaryOperation) and isinstance(branch.operator, cst.Divide):
        return "division", branch.right
    return None


class WhereUntakenBranch(Check):
    code = "NAN007"

    def run(self, analysis: ModuleAnalysis) -> Iterator[Report]:
        for call in analysis.calls_of(Op.WHERE):
            condition = argument(call.node, 0, "condition")
            if call.is_numpy or condition is None:
                continue
            guarded = " ".join(analysis.code_of(condition).split())
            for position, keyword in ((1, "x"), (2, "y")):
                branch = argument(call.node, position, keyword)
                unsafe = _unsafe_inner(analysis, branch) if branch is not None else None
                if unsafe is None:
                    continue
                kind, operand = unsafe
                # The double-where form feeds the op a value where() already made safe.
                definition = analysis.values.definition(operand, call.site)
                if isinstance(definition, cst.Call) and analysis.op_of_call(definition) is Op.WHERE:
                    continue
                # The hazard is the idiom "where(x is safe, op(x), fallback)": the condition tests the operand.
                if " ".join(analysis.code_of(operand).split()) not in guarded:
                    continue
                yield Report(
                    call.node,
                    f"where() evaluates both branches: the {kind} in the branch it does not take still runs at "
                    f"x = 0, and its Inf gradient times where's 0 is NaN, so the gradient is NaN at exactly x = 0 "
                    f"although the forward value is finite; use the double where: "
                    f"op(where(cond, x, safe_value)) inside where(cond, ..., ...)",
                )
