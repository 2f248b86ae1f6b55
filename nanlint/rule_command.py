"""`nanlint rule CODE` / `nanlint rule --all` [--output-format json]: print rule pages from the catalog."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict

from nanlint.catalog import CatalogError, Rule, load_catalog


def render(rule: Rule) -> str:
    lines = [f"# {rule.name} ({rule.code})", "", rule.summary, ""]
    lines += ["## What it does", rule.what, "", "## Why is this bad?", rule.why, ""]
    if rule.fails or rule.trigger:
        lines += ["## When it fails"]
        if rule.fails:
            lines.append(f"Fails in: {rule.fails}")
        if rule.trigger:
            lines.append(f"Trigger: {rule.trigger}")
        lines.append("")
    if rule.bad:
        lines += ["## Example", "```python", rule.bad[0].code.rstrip(), "```", ""]
    lines += ["## Use instead", rule.use_instead, ""]
    if rule.good:
        lines += ["```python", rule.good[0].code.rstrip(), "```", ""]
    availability = ("never" if rule.fix_availability == "never"
                    else f"{rule.fix_availability}, {rule.fix_applicability} (`--fix`"
                    + (" --unsafe-fixes" if rule.fix_applicability == "unsafe" else "") + ")")
    lines += ["## Fix", f"Fix availability: {availability}.", "", rule.fix, "", "## Fix safety", rule.fix_safety, ""]
    runtime = (f"Runtime check: none ({rule.runtime_check_why_not})." if rule.runtime_check == "none"
               else f"Runtime check: `{rule.runtime_check}` (`nanlint verify`).")
    mechanisms = [f"- {mechanism}: " + (f"none ({rule.why_no_runtime_check(mechanism)})" if recipe == "none"
                                          else f"`{recipe}`") for mechanism, recipe in rule.runtime_check_mechanisms]
    lines += ["## Runtime verification", runtime, ""]
    if mechanisms:
        lines += ["Mechanisms checked their own way:", *mechanisms, ""]
    lines += [rule.verification, ""]
    if rule.references:
        lines += ["## References", *[f"- {ref}" for ref in rule.references], ""]
    return "\n".join(lines)


def markdown_table(rules: list[Rule]) -> str:
    """The rule table (`nanlint rule --all --output-format markdown`): one row per rule, from the catalog."""
    rows = ["| Code | Name | What it flags | Fails in | Fix | Runtime check |", "|---|---|---|---|---|---|"]
    for rule in rules:
        fix = "-" if rule.fix_availability == "never" else f"{rule.fix_availability} ({rule.fix_applicability})"
        check = "-" if rule.meta else rule.runtime_check
        rows.append(f"| {rule.code} | {rule.name} | {rule.summary} | {rule.fails} | {fix} | {check} |")
    return "\n".join(rows) + "\n"


def to_json(rule: Rule) -> dict:
    data = asdict(rule)
    data["bad"] = [asdict(e) for e in rule.bad]
    data["good"] = [asdict(e) for e in rule.good]
    return data


def find_rule(catalog: dict[str, Rule], wanted: str) -> Rule | None:
    """A rule by code (any case) or by name (`log-of-zero`, as ruff's `ruff rule` accepts)."""
    if wanted.upper() in catalog:
        return catalog[wanted.upper()]
    return next((rule for rule in catalog.values() if rule.name == wanted.lower().replace("_", "-")), None)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="nanlint rule", description="Show the documentation of a rule.")
    parser.add_argument("code", nargs="?", help="rule code or name, e.g. NAN001 or log-of-zero")
    parser.add_argument("--all", action="store_true", help="show every rule")
    parser.add_argument("--output-format", choices=("text", "json", "markdown"), default="text",
                        help="markdown: one table of the rules (code, name, what it flags, fails in, fix...)")
    args = parser.parse_args(argv)
    if not args.all and not args.code:
        parser.error("give a rule code or --all")
    try:
        catalog = load_catalog()
    except CatalogError as error:
        print(f"nanlint: error: broken rule catalog: {error}", file=sys.stderr)
        return 2
    if args.all:
        rules = list(catalog.values())
    else:
        rule = find_rule(catalog, args.code)
        if rule is None:
            from nanlint.config import did_you_mean

            hint = did_you_mean(args.code.upper(), catalog) or did_you_mean(
                args.code.lower(), [r.name for r in catalog.values()])
            print(f"nanlint: error: unknown rule {args.code!r}{hint} (see `nanlint rule --all`)", file=sys.stderr)
            return 2
        rules = [rule]
    if args.output_format == "markdown":
        sys.stdout.write(markdown_table(rules))
    elif args.output_format == "json":
        payload = [to_json(r) for r in rules]
        json.dump(payload if args.all else payload[0], sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write("\n\n".join(render(r) for r in rules) + "\n")
    return 0
