"""Verification recipes: how the worker should drive the snippet of a finding.

An expression-level rule (NAN0xx) is verified by calling the enclosing function or layer on canonical
inputs; the recipe says in which dtypes. A model-level rule (NAN1xx) is verified by training. Which recipe a
rule uses is its catalog entry's `runtime_check` (nanlint/rules/NANxxx.yaml): the one source of truth; rules
whose entry says `none` give the reason in `runtime_check_why_not`. A finding whose unsafe value is improbable
(reached only with probability 0) gets no recipe: running the code at that value cannot show the code produces it."""

from __future__ import annotations

from nanlint.finding import Confidence, Finding
from nanlint.verify.recipes.expression import Recipe, expression
from nanlint.verify.recipes.training import training

# The recipes by the name a catalog entry's `runtime_check` gives.
NAMED: dict[str, Recipe] = {
    "expression": expression(),  # call the enclosing function at the inputs that reach the unsafe domain
    # float16 is where a too-small epsilon or a hand-written exp squash bites first; judged on the whole function
    "expression-float16": expression(precision=True, op_level=False),
    "expression-branch": expression(op_level=False),  # where: the untaken branch's gradient, judged at the output
    # a loss given to Keras, called as Keras calls it, loss(one-hot target, probabilities), beside its declared order
    "keras-loss": Recipe("keras-loss", ("float32",), op_level=False),
    # the same call alone, for a hazard of the labels themselves (a KL divergence's 0 * log(0 / p))
    "keras-call": Recipe("keras-call", ("float32",), op_level=False),
    "training-batchnorm": training(fix="batchnorm"),  # train beside the same model with normalization
    "training-clipnorm": training(fix="clipnorm"),  # train beside the same optimizer with clipnorm=1.0
}


def recipe_for(code: str, mechanism: object = None) -> Recipe | None:
    """The recipe of a rule, or of one of its mechanisms (a finding's extra["mechanism"]) where the catalog entry
    gives that mechanism its own (`runtime_check_mechanisms`)."""
    from nanlint.catalog import load_catalog

    rule = load_catalog().get(code)
    if rule is None:
        return None
    return NAMED.get(dict(rule.runtime_check_mechanisms).get(str(mechanism), rule.runtime_check))


def recipe_for_finding(finding: Finding) -> Recipe | None:
    """The recipe that checks `finding` at run time (its rule's or its mechanism's); None for an improbable one."""
    if finding.confidence is Confidence.IMPROBABLE:
        return None
    return recipe_for(finding.code, finding.extra.get("mechanism"))
