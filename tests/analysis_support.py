"""Building a module's analysis from a source snippet, for the analysis layer's own tests (binder, values, ranges,
domain). Imported by those test modules; pytest puts this folder on sys.path."""

from __future__ import annotations

import textwrap

import libcst as cst

from nanlint.analysis.binder import END, At
from nanlint.analysis.module import ModuleAnalysis


def analysis_of(source: str) -> ModuleAnalysis:
    return ModuleAnalysis.build(cst.parse_module(textwrap.dedent(source)))


def function_return(source: str, function: str = "f") -> tuple[ModuleAnalysis, cst.BaseExpression, At]:
    """The analysis, the expression `function` returns, and the point at its end."""
    analysis = analysis_of(source)
    scope = analysis.functions[function]
    return analysis, scope.returns[-1], At(scope, END)
