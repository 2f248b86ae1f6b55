"""Verification recipes, keyed by rule code: how the worker should drive the snippet of a finding.

An expression-level rule (NAN0xx) is verified by calling the enclosing function or layer on canonical
inputs; the recipe says in which dtypes. A model-level rule (NAN1xx) is verified by training. Rules without a
recipe (NAN102's shape errors are not NaN/Inf) get no verdict."""

from __future__ import annotations

from nanlint.verify.recipes.expression import Recipe, expression
from nanlint.verify.recipes.training import training

RECIPES: dict[str, Recipe] = {
    "NAN001": expression(),  # log of a value that can be 0
    "NAN002": expression(),  # division by a value that can be 0
    "NAN003": expression(precision=True, op_level=False),  # epsilon too small for its dtype: float16 is where it bites
    "NAN004": expression(precision=True, op_level=False),  # hand-written exp squashes overflow first in float16
    "NAN005": expression(),  # sqrt gradient at 0
    "NAN006": expression(),  # acos/asin gradient at ±1
    "NAN007": expression(op_level=False),  # where: the untaken branch's gradient
    "NAN008": expression(),  # fractional power of a difference
    "NAN101": training(fix="batchnorm"),  # ReLU stack without normalization
    "NAN103": training(fix="clipnorm"),  # recurrent model under SGD without clipping
}


def recipe_for(code: str) -> Recipe | None:
    return RECIPES.get(code)
