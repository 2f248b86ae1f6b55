"""The rule catalog: one YAML file per rule in `nanlint/rules/`.

Each entry holds the rule's documentation (ruff's page layout: What it does / Why is this bad? /
Example / Use instead / Fix safety / References), its bad and good examples (which the tests run),
and how the runtime verifier confirms it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

REQUIRED_KEYS = ("code", "name", "summary", "what", "why", "examples", "use_instead", "fix", "fix_safety", "verification")
# How often a rule's findings carry a fix (ruff's FixAvailability), and how safe the fix is (ruff's applicability).
FIX_AVAILABILITIES = ("never", "sometimes", "always")
FIX_APPLICABILITIES = ("safe", "unsafe")
NO_RUNTIME_CHECK = "none"


@dataclass(frozen=True)
class Example:
    code: str
    lines: tuple[int, ...] = ()  # lines a bad example must be reported on (1-based)
    note: str = ""
    fixed: str | None = None  # the code after applying every fix (safe and unsafe), where the rule has one


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    summary: str
    what: str
    why: str
    bad: tuple[Example, ...]
    good: tuple[Example, ...]
    use_instead: str
    fix: str
    fix_safety: str
    verification: str
    fails: str = ""  # "forward and gradient", "gradient only", "training dynamics", ...
    trigger: str = ""  # the input or condition that makes it NaN/Inf
    severity: str = "error"
    references: tuple[str, ...] = ()
    # Codes the pipeline itself emits (syntax errors, unreadable files...), not produced by a check.
    meta: bool = False
    fix_availability: str = "never"
    fix_applicability: str | None = None  # required unless fix_availability is "never"
    # The verifier recipe that checks this rule at run time (nanlint/verify/recipes), or "none" with the reason.
    runtime_check: str = NO_RUNTIME_CHECK
    runtime_check_why_not: str = ""
    # Mechanisms of the rule with a recipe of their own (a finding names its mechanism in extra["mechanism"]):
    # (mechanism, recipe) pairs, used instead of runtime_check for those findings; a mechanism mapped to "none"
    # says why in runtime_check_why_not_mechanisms (a premise no run can show, like a weight trained to 0).
    runtime_check_mechanisms: tuple[tuple[str, str], ...] = ()
    runtime_check_why_not_mechanisms: tuple[tuple[str, str], ...] = ()

    def why_no_runtime_check(self, mechanism: object = None) -> str:
        """Why a finding of this rule (of this mechanism) gets no runtime check."""
        return dict(self.runtime_check_why_not_mechanisms).get(str(mechanism), self.runtime_check_why_not)

    @property
    def help_uri(self) -> str:
        return f"https://github.com/nanlint/nanlint/blob/main/nanlint/rules/{self.code}.yaml"


class CatalogError(Exception):
    pass


def _examples(raw: object, code: str, kind: str) -> tuple[Example, ...]:
    if not isinstance(raw, list):
        raise CatalogError(f"{code}: examples.{kind} must be a list")
    out = []
    for item in raw:
        if isinstance(item, str):
            out.append(Example(item))
        elif isinstance(item, dict) and isinstance(item.get("code"), str):
            out.append(Example(item["code"], tuple(item.get("lines", ())), item.get("note", ""), item.get("fixed")))
        else:
            raise CatalogError(f"{code}: each example in examples.{kind} needs a 'code' string")
    return tuple(out)


def parse_rule(data: dict, source: str) -> Rule:
    missing = [key for key in REQUIRED_KEYS if key not in data]
    if missing:
        raise CatalogError(f"{source}: missing keys {', '.join(missing)}")
    examples = data["examples"] or {}
    availability = data.get("fix_availability", "never")
    applicability = data.get("fix_applicability")
    if availability not in FIX_AVAILABILITIES:
        raise CatalogError(f"{source}: fix_availability must be one of {', '.join(FIX_AVAILABILITIES)}")
    if (availability == "never") != (applicability is None) or applicability not in (None, *FIX_APPLICABILITIES):
        raise CatalogError(f"{source}: fix_applicability ({', '.join(FIX_APPLICABILITIES)}) is required exactly when "
                           "the rule has fixes")
    runtime_check = data.get("runtime_check", NO_RUNTIME_CHECK)
    why_not = str(data.get("runtime_check_why_not", "")).strip()
    if (runtime_check == NO_RUNTIME_CHECK) != bool(why_not):
        raise CatalogError(f"{source}: runtime_check_why_not is required exactly when runtime_check is none")
    mechanisms = data.get("runtime_check_mechanisms") or {}
    if not isinstance(mechanisms, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in mechanisms.items()):
        raise CatalogError(f"{source}: runtime_check_mechanisms maps a mechanism name to a recipe name")
    mechanisms_why_not = {k: " ".join(str(v).split()) for k, v in (data.get("runtime_check_why_not_mechanisms") or {}).items()}
    if set(mechanisms_why_not) != {k for k, v in mechanisms.items() if v == NO_RUNTIME_CHECK} or not all(
            mechanisms_why_not.values()):
        raise CatalogError(f"{source}: runtime_check_why_not_mechanisms says why, exactly for the mechanisms whose "
                           "runtime check is none")
    return Rule(
        code=data["code"],
        name=data["name"],
        summary=data["summary"].strip(),
        what=data["what"].strip(),
        why=data["why"].strip(),
        bad=_examples(examples.get("bad", []), data["code"], "bad"),
        good=_examples(examples.get("good", []), data["code"], "good"),
        use_instead=data["use_instead"].strip(),
        fix=data["fix"].strip(),
        fix_safety=data["fix_safety"].strip(),
        verification=data["verification"].strip(),
        fails=str(data.get("fails", "")).strip(),
        trigger=str(data.get("trigger", "")).strip(),
        severity=data.get("severity", "error"),
        references=tuple(data.get("references", ())),
        meta=bool(data.get("meta", False)),
        fix_availability=availability,
        fix_applicability=applicability,
        runtime_check=runtime_check,
        runtime_check_why_not=why_not,
        runtime_check_mechanisms=tuple(sorted(mechanisms.items())),
        runtime_check_why_not_mechanisms=tuple(sorted(mechanisms_why_not.items())),
    )


@lru_cache(maxsize=1)
def load_catalog() -> dict[str, Rule]:
    import yaml  # here, not at the top: known_codes() runs on every run (config, cache) and needs no YAML

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    rules: dict[str, Rule] = {}
    for entry in sorted(resources.files("nanlint.rules").iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yaml"):
            continue
        try:
            data = yaml.load(entry.read_text(encoding="utf-8"), Loader=loader)
        except yaml.YAMLError as error:
            raise CatalogError(f"{entry.name}: not valid YAML: {error}") from None
        if not isinstance(data, dict):
            raise CatalogError(f"{entry.name}: a rule entry must be a mapping")
        rule = parse_rule(data, entry.name)
        rules[rule.code] = rule
    return rules


@lru_cache(maxsize=1)
def known_codes() -> frozenset[str]:
    """Codes that exist: the catalog's file names, without reading the YAML or importing a check (cheap: used to
    validate config on every run, also on a fully cached one that never imports libcst)."""
    return frozenset(entry.name.removesuffix(".yaml") for entry in resources.files("nanlint.rules").iterdir()
                     if entry.name.endswith(".yaml"))


def meta_codes() -> frozenset[str]:
    """The codes the pipeline emits itself (`meta: true` in their catalog entry)."""
    return frozenset(code for code, rule in load_catalog().items() if rule.meta)
