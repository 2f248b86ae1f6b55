"""The optional subsystems (baseline, noqa, fixes, verifier) plug into the CLI here, so the core CLI stays small
and each feature lives in its own module.

A feature is a module that satisfies `Feature`: it adds its flags, opens its session before the files are linted
(the verifier starts TensorFlow there, so that the import overlaps linting), then sees the results after linting
(in FEATURES order) and returns them, changed or not. A feature that cannot go on (a broken baseline, TensorFlow
missing) raises `FatalError`; the CLI alone prints its message and exits with its code. The file loop itself
(cache, worker processes) is not a feature: the CLI calls `nanlint.runner` directly.
"""

from __future__ import annotations

import argparse
import importlib
from contextlib import AbstractContextManager, nullcontext
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol, cast, runtime_checkable

if TYPE_CHECKING:
    from nanlint.config import Settings
    from nanlint.finding import FileResult

# Imported by name, when the CLI builds its parser: a plain lint imports no verifier code beyond its flags.
FEATURES: tuple[str, ...] = ("nanlint.baseline", "nanlint.noqa_tools", "nanlint.fixes", "nanlint.verify.feature")


class FatalError(Exception):
    """The run cannot go on: the CLI prints `nanlint: error: MESSAGE` and exits with `exit_code`."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


@runtime_checkable
class Feature(Protocol):
    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        """Add the feature's flags (in its own argument group)."""

    def session(self, args: argparse.Namespace, settings: Settings) -> AbstractContextManager[Settings]:
        """Entered before the files are linted and left when the run ends, however it ends: starts what can work
        while linting runs, and gives the settings to lint with (each feature's session gets the previous one's).
        `process_results` still gets the settings the user asked for."""
        ...

    def process_results(self, results: list[FileResult], args: argparse.Namespace,
                        settings: Settings) -> list[FileResult]:
        """The results after this feature (filtered, fixed, verified...): one per input result, in order."""
        ...


@lru_cache(maxsize=1)
def features() -> tuple[Feature, ...]:
    loaded = tuple(importlib.import_module(name) for name in FEATURES)
    for module in loaded:
        if not isinstance(module, Feature):  # a registration mistake of ours, caught by the first test run
            raise TypeError(f"{module.__name__} does not define add_arguments, session and process_results")
    return cast("tuple[Feature, ...]", loaded)


def no_session(args: argparse.Namespace, settings: Settings) -> AbstractContextManager[Settings]:
    """The session of a feature with nothing to start before linting: the settings unchanged."""
    return nullcontext(settings)


if TYPE_CHECKING:  # the type checker holds every registered module to the protocol, hook signatures included
    from nanlint import baseline, fixes, noqa_tools
    from nanlint.verify import feature as verify_feature

    _REGISTERED: tuple[Feature, ...] = (baseline, noqa_tools, fixes, verify_feature)


def reads_stdin(args: argparse.Namespace) -> bool:
    """Whether this run lints standard input (`nanlint -`): results then go to stdout, never to a file."""
    return list(getattr(args, "paths", None) or []) == ["-"]
