"""Every module in this package that defines a `Check` subclass contributes it; no registry to edit."""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

from nanlint.checks.base import Check, Report

__all__ = ["Check", "Report", "all_checks"]


@lru_cache(maxsize=1)
def all_checks() -> tuple[Check, ...]:
    """One instance of each check, sorted by code (cached: built once per process)."""
    found: dict[str, Check] = {}
    for module_info in pkgutil.iter_modules(__path__):
        if module_info.name == "base":
            continue
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        for obj in vars(module).values():
            if isinstance(obj, type) and issubclass(obj, Check) and obj is not Check and obj.code:
                if obj.__module__ == module.__name__:
                    found[obj.code] = obj()
    return tuple(found[code] for code in sorted(found))
