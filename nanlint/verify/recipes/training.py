"""The training recipe, for model-level rules: a few optimizer steps of the user's model under its own
set-up, then a sweep of optimizer, learning rate and input scale, beside the fixed variant (the sweep
itself runs in worker.py)."""

from __future__ import annotations

from nanlint.verify.recipes.expression import Recipe


def training(fix: str) -> Recipe:
    return Recipe("training", ("float32",), op_level=False, fix=fix)
