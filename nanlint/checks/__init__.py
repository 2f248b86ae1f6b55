"""The checks, in two families: `operations/` (NAN0xx, one computation) and `models/` (NAN1xx, a model and its
training set-up). Every module there that defines a `Check` subclass contributes it; no registry to edit. A check's
file is named as its catalog entry names the rule (`log-of-zero` -> operations/log_of_zero.py)."""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

from nanlint.checks.base import Check, Report

__all__ = ["FAMILIES", "Check", "Report", "all_checks", "outside_framework_checks"]

# The folder of each rule family, by the first digit of its code (NAN0xx, NAN1xx).
FAMILIES = {"0": "operations", "1": "models"}


@lru_cache(maxsize=1)
def all_checks() -> tuple[Check, ...]:
    """One instance of each check, sorted by code (cached: built once per process)."""
    found: dict[str, Check] = {}
    for family in FAMILIES.values():
        package = importlib.import_module(f"{__name__}.{family}")
        for module_info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{module_info.name}")
            for obj in vars(module).values():
                if isinstance(obj, type) and issubclass(obj, Check) and obj is not Check and obj.code:
                    if obj.__module__ == module.__name__:
                        found[obj.code] = obj()
    return tuple(found[code] for code in sorted(found))


@lru_cache(maxsize=1)
def outside_framework_checks() -> tuple[Check, ...]:
    """The checks that run on files that never mention TensorFlow or Keras."""
    return tuple(check for check in all_checks() if check.outside_frameworks)
