"""Reading the arguments of a call as written: the one argument reader every analysis and check uses (it reads
syntax only, so modules below the value analysis use it too)."""

from __future__ import annotations

import libcst as cst


def argument(call: cst.Call, position: int | None, name: str | None = None) -> cst.BaseExpression | None:
    """The argument passed at `position` (None: a keyword-only parameter) or as `name=`, if present."""
    if name is not None:
        given = keyword(call, name)
        if given is not None:
            return given
    positional = [arg for arg in call.args if arg.keyword is None and not arg.star]
    if position is not None and position < len(positional):
        return positional[position].value
    return None


def keyword(call: cst.Call, name: str) -> cst.BaseExpression | None:
    """The argument passed as `name=`, if present: for keyword-only parameters."""
    return next((arg.value for arg in call.args if arg.keyword is not None and arg.keyword.value == name), None)
