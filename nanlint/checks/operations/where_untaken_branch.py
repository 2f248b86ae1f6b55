"""NAN007: `where(cond, log(x), ...)` / `where(cond, a / x, ...)`: the untaken branch is still evaluated,
and its Inf/NaN gradient at x = 0 leaks through where's gradient (0 * Inf = NaN). The forward is finite."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from nanlint.analysis.guards import Domain, Verdict
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
            if call.is_numpy:
                continue
            for position, keyword in ((1, "x"), (2, "y")):
                branch = argument(call.node, position, keyword)
                unsafe = _unsafe_inner(analysis, branch) if branch is not None else None
                if branch is None or unsafe is None:
                    continue
                kind, operand = unsafe
                # The double-where form feeds the op a value where() already made safe.
                definition = analysis.values.definition(operand, call.site)
                if isinstance(definition, cst.Call) and analysis.op_of_call(definition) is Op.WHERE:
                    continue
                # The hazard is the idiom "where(x is safe, op(x), fallback)": the condition must keep this
                # branch's operand off the unsafe point. One that lets it through (`v >= 0` around log(v)) leaves
                # a forward hazard, not this one; one about something else says nothing about x.
                domain = Domain.POSITIVE if kind == "log" else Domain.NONZERO
                verdict, guard = analysis.guards.verdict(analysis.guards.around(branch), operand, domain, call.site)
                if verdict is not Verdict.EXCLUDED or guard is None or guard.guard is not call.node:
                    continue
                hazard = analysis.gradients.gradient_hazard(call.site, call.node)
                if hazard is None:
                    continue
                confidence, where = hazard
                condition = " ".join(analysis.code_of(guard.fact.condition).split())
                spelled = " ".join(analysis.code_of(operand).split())
                yield Report(
                    call.node,
                    f"where() evaluates both branches: `{condition}` keeps the forward value finite, but the {kind} "
                    f"in the branch it does not take still runs at {spelled} = 0, and its Inf gradient times "
                    f"where's 0 is NaN; use the double where: op(where(cond, x, safe_value)) inside "
                    f"where(cond, ..., ...){where}",
                    confidence=confidence,
                )
