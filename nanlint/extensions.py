"""The optional subsystems (verifier, fixes, baseline, cache, ...) plug into the CLI here, so the core
CLI stays small and each feature lives in its own module.

Each module named in FEATURES may define:
- `add_arguments(parser)`: add its flags;
- `process_results(results, args, settings) -> results`: run after linting, in FEATURES order;
- `lint_files(files, settings, args) -> results`: replace the serial file loop (at most one feature).
"""

from __future__ import annotations

import importlib
from functools import lru_cache
from types import ModuleType

FEATURES: tuple[str, ...] = ("nanlint.runner", "nanlint.baseline", "nanlint.noqa_tools", "nanlint.fixes", "nanlint.verify.feature")


@lru_cache(maxsize=1)
def features() -> tuple[ModuleType, ...]:
    return tuple(importlib.import_module(name) for name in FEATURES)
