"""The expression recipe: call the finding's function (or a fresh instance of its layer) on the canonical
inputs, forward value and gradient checked separately (the witness search itself runs in worker.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from nanlint.verify.snippet import Snippet

# The training set-up a model-level finding carries in its `extra` (nanlint.analysis.training.TrainingSetup.as_data).
SETUP_KEYS = ("input_scale", "input_scale_source", "optimizer", "learning_rate", "loss", "from_logits")


@dataclass(frozen=True)
class Recipe:
    name: str
    dtypes: tuple[str, ...]
    # True: judge the flagged op alone (its operands finite, its value or backward not). False: judge the
    # whole function, for rules whose hazard is downstream of the flagged code (an absorbed epsilon).
    op_level: bool = True
    fix: str | None = None  # training recipes: the fixed variant to run beside the user's model

    def request(self, snippet: Snippet, setup: Mapping[str, object] | None = None) -> dict:
        """The plain-data request the worker understands. Witness dtypes follow the code: float16 only where
        the module mentions it, and always where its own policy or floatx computes in it. A training recipe
        also gets the training set-up the finding read (`TrainingSetup.as_data`): the file's own input scale,
        optimizer and loss, which the worker trains under first; a finding whose remedy is not the rule's (NAN107's
        float16 epsilon, not clipping) names its own fixed variant in `extra["fix"]`."""
        dtypes = [d for d in self.dtypes if d != "float16" or snippet.float16]
        computes_half = any(p and "float16" in p for p in (snippet.policy, snippet.floatx))
        if computes_half and "float16" not in dtypes and self.name == "function":
            dtypes.append("float16")
        return {"recipe": self.name, "source": snippet.source, "entry": snippet.entry, "kind": snippet.kind,
                "params": list(snippet.params), "dtypes": dtypes, "policy": snippet.policy,
                "floatx": snippet.floatx,
                "probed": self.op_level and snippet.probed, "fix": (setup or {}).get("fix") or self.fix,
                "arity": dict(snippet.arity), "roles": dict(snippet.roles), "numpy": snippet.numpy,
                **({key: (setup or {}).get(key) for key in SETUP_KEYS} if self.name == "training" else {})}


def expression(precision: bool = False, op_level: bool = True) -> Recipe:
    return Recipe("function", ("float32", "float16") if precision else ("float32",), op_level)
