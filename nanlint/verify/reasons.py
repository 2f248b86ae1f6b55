"""Every "could not run" verdict names one of these reasons (the key is in the JSON verdict's "reason"; the
detail says the specifics). A short, closed list, so that a run's failures can be counted and attacked."""

from __future__ import annotations

REASONS: dict[str, str] = {
    "module-level": "the flagged code runs at module level and --verify-module-code was not given",
    "no-entry-point": "nothing callable encloses the finding (a class without call(), a nested function)",
    "unresolved-name": "a name the code needs is defined by code the verifier does not run (data, I/O)",
    "python2": "Python 2 code (print statements, xrange, ...): it cannot run under Python 3",
    "import-failed": "an import the slice needs fails in the worker",
    "no-witness": "no input the code accepts could be built (shape, rank or signature)",
    "snippet-error": "the user's code raised on every witness",
    "needs-data": "the code reads a data file",
    "not-a-model": "the model-level finding does not build a Keras model",
    "unsupported": "a construct the recipe does not handle (several losses, ...)",
    "timeout": "the finding's time limit was reached",
    "total-timeout": "the run's total time limit was reached",
    "memory": "the finding's memory limit was reached",
    "crashed": "the snippet's process died before answering",
    "unreadable-source": "the file could not be re-read",
    "no-runtime-check": "the rule has no runtime check",
    "no-device": "--device gpu, but TensorFlow sees no GPU",
    "internal-error": "nanlint's verifier failed on this finding (a bug: please report it)",
}


def checked(reason: str | None) -> str:
    """A reason from the list; anything else (a worker of another version, a forged answer) is internal."""
    return reason if reason in REASONS else "internal-error"
