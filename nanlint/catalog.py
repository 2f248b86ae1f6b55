"""The rule catalog: one YAML file per rule in `nanlint/rules/`.

Each entry holds the rule's documentation (ruff's page layout: What it does / Why is this bad? /
Example / Use instead / Fix safety / References), its bad and good examples (which the tests run),
and how the runtime verifier confirms it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

REQUIRED_KEYS = ("code", "name", "summary", "what", "why", "examples", "use_instead", "fix", "fix_safety", "verification")
# Codes the pipeline itself emits (not produced by a check).
META_CODES = ("NAN900", "NAN901", "NAN902", "NAN903", "NAN999")


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
    meta: bool = False

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
    )


@lru_cache(maxsize=1)
def load_catalog() -> dict[str, Rule]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    rules: dict[str, Rule] = {}
    for entry in sorted(resources.files("nanlint.rules").iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yaml"):
            continue
        data = yaml.load(entry.read_text(encoding="utf-8"), Loader=loader)
        rule = parse_rule(data, entry.name)
        rules[rule.code] = rule
    return rules


@lru_cache(maxsize=1)
def known_codes() -> frozenset[str]:
    """Codes that exist, without reading the YAML (cheap: used to validate config on every run)."""
    from nanlint.checks import all_checks

    return frozenset({check.code for check in all_checks()} | set(META_CODES))
