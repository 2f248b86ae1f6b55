"""The check contract: a check reads the shared `ModuleAnalysis` and yields `Report`s.

A check never parses, never does I/O and never formats output; the pipeline turns its reports into
positioned `Finding`s, applies noqa and config, and hands them to a formatter.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import libcst as cst

from nanlint.analysis.module import ModuleAnalysis
from nanlint.finding import Confidence, Fix


@dataclass(frozen=True)
class Report:
    node: cst.CSTNode
    message: str
    fix: Fix | None = None
    # PLAUSIBLE reports are kept only under preview (see finding.Confidence).
    confidence: Confidence = Confidence.CONSTRUCTION
    # Plain data (str/int/float/bool/None values) for the runtime verifier, e.g. the training set-up read.
    extra: dict[str, str | float | None] = field(default_factory=dict, compare=False, hash=False)


class Check:
    """Subclass, set `code`, implement `run`. Instances are built once per process and reused."""

    code: str = ""
    # The mechanisms the check also reports on files that never mention TensorFlow or Keras (NumPy, PyTorch, JAX,
    # plain Python): only those measured to hold in any array code, named as README's "Which files are linted"
    # names them (bench/FINDINGS.md). Empty: the check does not run on those files.
    outside_frameworks: frozenset[str] = frozenset()

    def run(self, analysis: ModuleAnalysis) -> Iterator[Report]:
        raise NotImplementedError
