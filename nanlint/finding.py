"""What the pipeline produces: one `Finding` per reported hazard, as plain frozen data."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Fix:
    """A replacement for the source range of a finding (1-based lines, 1-based columns, end exclusive)."""

    description: str
    replacement: str
    safe: bool = False


@dataclass(frozen=True)
class Witness:
    """The input a verdict was observed at: a short human repr and the values themselves (plain data)."""

    repr: str
    data: dict  # {"dtype": "float32", "values": {param: [floats]}} or {"shape": [...], "scale": x}


@dataclass(frozen=True)
class Trial:
    """One training run of a training-recipe verdict: the set-up, which variant, and its curves."""

    setup: str  # "SGD lr=0.1, inputs x100"
    variant: str  # "as written" | "fixed"
    loss: tuple[float | None, ...]  # per step; None = non-finite
    grad_norm: tuple[float | None, ...]  # per step (global norm before clipping); None = non-finite
    nonfinite_step: int | None  # first step (1-based) whose loss, gradient or weights were not finite


@dataclass(frozen=True)
class Verdict:
    """The runtime verifier's answer for one finding."""

    status: str  # "confirmed" | "not reproduced" | "could not run"
    detail: str
    seconds: float = 0.0
    reproducer: str | None = None
    recipe: str | None = None  # "expression" | "training" | None (no runtime check for this rule)
    phase: str | None = None  # expression verdicts: "forward" | "gradient" where observed
    op: str | None = None  # the TensorFlow op that first went non-finite, when localized
    witness: Witness | None = None
    trials: tuple[Trial, ...] = ()
    reason: str | None = None  # "could not run": one of nanlint.verify.reasons.REASONS


class Confidence(str, enum.Enum):
    """How sure a finding is that the unsafe value is reachable (ruff's preview, applied per finding).

    CONSTRUCTION: the code itself makes the unsafe value reachable (a saturating sigmoid, a relu's structural
    0, a mask that can be empty, two operands that can be equal). Reported by default.
    PLAUSIBLE: reachable for inputs or uses the code does not show (weights that may leave out every entry, a
    gradient-only hazard in a helper nothing in the module differentiates). Reported under `--preview` /
    `preview = true`, or when the runtime verifier confirms it (`promote`): running the code at such an input
    shows what happens there.
    IMPROBABLE: reachable only with probability 0 (the norm of a learned projection or of a Gaussian sample is 0
    only on a measure-zero set of inputs). Reported under preview only: the verifier does not run it, since
    feeding it the 0 would show what 0 does, not that the code produces one."""

    CONSTRUCTION = "construction"
    PLAUSIBLE = "plausible"
    IMPROBABLE = "improbable"

    @staticmethod
    def weakest(*confidences: Confidence) -> Confidence:
        """A finding is only as sure as the least sure fact it rests on."""
        for level in (Confidence.IMPROBABLE, Confidence.PLAUSIBLE):
            if level in confidences:
                return level
        return Confidence.CONSTRUCTION


# Why an IMPROBABLE finding gets no runtime check (its verdict's detail).
IMPROBABLE_NOT_RUN = ("no runtime check for a zero reachable only with probability 0 (a learned projection, a random "
                      "draw): a witness that feeds that 0 would show what 0 does, not that this code produces it")


# Codes the pipeline itself emits (not a check).
SYNTAX_ERROR = "NAN900"
DECODE_ERROR = "NAN901"
UNUSED_NOQA = "NAN902"
WRITE_ERROR = "NAN904"  # a file nanlint was asked to write (fixes, a baseline) could not be written
INTERNAL_ERROR = "NAN999"


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    path: str
    line: int  # 1-based
    col: int  # 1-based
    end_line: int
    end_col: int
    # Normalized source of the flagged statement plus its enclosing function: survives moved lines.
    context: str = ""
    source_line: str = ""
    fix: Fix | None = None
    verdict: Verdict | None = None
    confidence: Confidence = Confidence.CONSTRUCTION
    extra: dict = field(default_factory=dict, compare=False, hash=False)
    # Notebooks: `path` is the .ipynb file, line/col count within code cell number `cell` (1-based among all
    # cells, as ruff prints it), and `file_region` is where that range lies in the file's JSON text (for
    # formats that must point into the real file: GitHub annotations, SARIF).
    cell: int | None = None
    file_region: tuple[int, int, int, int] | None = field(default=None, compare=False)
    # The lines a noqa comment may sit on to silence this finding: its whole statement (what --add-noqa needs).
    noqa_lines: tuple[int, int] | None = field(default=None, compare=False)

    @property
    def location(self) -> str:
        """The file as printed before `:line:col`: the path, or `notebook.ipynb:cell 3` (ruff's convention)."""
        return self.path if self.cell is None else f"{self.path}:cell {self.cell}"

    @property
    def preview(self) -> bool:
        """Shown only under preview (unless the verifier promotes it)."""
        return self.confidence is not Confidence.CONSTRUCTION

    @property
    def sort_key(self) -> tuple:
        return (self.path, self.cell or 0, self.line, self.col, self.code)


@dataclass(frozen=True)
class FileResult:
    """Everything linting one file produced. Lives here, not in linter.py, so that code handling results
    (the cache, the CLI on a warm cache) does not import libcst."""

    path: str
    findings: tuple[Finding, ...]
    # Findings silenced by a noqa comment, with that comment (`suppression.Noqa`), for unused-noqa reporting.
    suppressed: tuple = ()
    parsed: bool = True
    source: str | None = field(default=None, compare=False)
    # The file's path as the OS gave it (bytes-safe: undecodable bytes are surrogate escapes), for reading and
    # writing it again; `path` is only its display name. None when the text did not come from a file (stdin).
    real_path: str | None = field(default=None, compare=False)
    # Findings that --fix removed (with --diff: would remove), for "Found N errors (M fixed, K remaining)".
    fixed: tuple[Finding, ...] = ()


# Appended to a promoted finding's message: the analysis alone would not have reported it by default.
PROMOTED_NOTE = "(a preview finding, reported because verify confirmed it at run time)"


def promote(finding: Finding, verdict: Verdict) -> Finding:
    """A preview finding the runtime verifier reproduced: it is reported like a by-construction one, and its
    message says why. The verifier lints with `preview` on, verifies the plausible findings, promotes the
    confirmed ones and drops the rest unless the user asked for preview (nanlint/verify/feature.py)."""
    return replace(finding, message=f"{finding.message} {PROMOTED_NOTE}", confidence=Confidence.CONSTRUCTION,
                   verdict=verdict, extra={**finding.extra, "promoted_from": finding.confidence.value})


def fingerprint(finding: Finding) -> str:
    """A hash that stays the same when unrelated lines above the finding move: code + the normalized
    source of the flagged statement + its enclosing function, never the line number."""
    import hashlib

    basis = f"{finding.code}|{finding.path}|{finding.context or finding.source_line.strip()}"
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]
