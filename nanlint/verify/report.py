"""`nanlint verify --report FILE.html`: one self-contained page of verdicts, with pictures.

Built from the same data `--output-format json` prints (`formatters.structured.finding_to_dict`), so the
page and the JSON can never disagree. For each finding: its verdict, the witness input, the op and phase,
the reproducer script inline, and for training verdicts the loss and gradient-norm curves per step of every
set-up tried, the code as written beside its fixed variant, the first non-finite step marked.

Self-contained on purpose: the page is often opened from a CI artifact or an air-gapped machine, so it
holds inline CSS and SVG only (no script, no font, no image file, no CDN) and cannot make a request.
"""

from __future__ import annotations

import argparse
import dataclasses
import html
import math
import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from nanlint import __version__
from nanlint.extensions import FatalError

if TYPE_CHECKING:
    from nanlint.config import Settings
    from nanlint.finding import FileResult, Finding

STATUS_CLASS = {"confirmed": "confirmed", "not reproduced": "not-reproduced", "could not run": "could-not-run"}
# The chart's drawing box inside its SVG (pixels): room on the left for the y labels, below for the steps.
WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 400, 150, 56, 12, 22, 26
LOSS_COLOUR, NORM_COLOUR, BAD_COLOUR = "#1f5fbf", "#b8860b", "#c0262d"

_CSS = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1d232b; background: #f4f6f8; }
header { background: #1d232b; color: #fff; padding: 18px 32px; }
header h1 { margin: 0; font-size: 21px; font-weight: 600; }
header p { margin: 4px 0 0; color: #c5ccd6; }
main { padding: 20px 32px 40px; max-width: 1180px; }
.counts span { display: inline-block; margin-right: 10px; }
section.finding { background: #fff; border: 1px solid #d9dee5; border-radius: 8px; padding: 16px 20px; margin: 18px 0; }
section.finding h2 { font-size: 17px; margin: 0 0 4px; font-weight: 600; }
.where { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, monospace; font-size: 13px; color: #4b5563; }
.message { margin: 6px 0 10px; }
.badge { display: inline-block; border-radius: 4px; padding: 1px 8px; font-size: 13px; font-weight: 600; color: #fff; }
.badge.confirmed { background: #c0262d; }
.badge.not-reproduced { background: #5b6b7d; }
.badge.could-not-run { background: #b7791f; }
.badge.unverified { background: #9aa5b1; }
table.facts { border-collapse: collapse; margin: 8px 0; }
table.facts th { text-align: left; font-weight: 600; padding: 2px 14px 2px 0; vertical-align: top; color: #4b5563; white-space: nowrap; }
table.facts td { padding: 2px 0; }
code, pre { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, monospace; font-size: 13px; }
pre { background: #f6f8fa; border: 1px solid #e1e5ea; border-radius: 6px; padding: 10px; overflow: auto; max-height: 420px; }
details summary { cursor: pointer; color: #1f5fbf; margin: 6px 0; }
.setup { margin: 14px 0 4px; }
.setup h3 { font-size: 14px; margin: 0 0 6px; font-weight: 600; }
.pair { display: flex; flex-wrap: wrap; gap: 14px; }
figure svg { display: block; }
figure { margin: 0; border: 1px solid #e1e5ea; border-radius: 6px; padding: 6px 8px; background: #fcfdfe; }
figcaption { font-size: 13px; font-weight: 600; margin-bottom: 2px; }
figcaption .outcome { font-weight: 400; color: #4b5563; }
figcaption .outcome.bad { color: #c0262d; font-weight: 600; }
table.index { border-collapse: collapse; background: #fff; border: 1px solid #d9dee5; font-size: 14px; }
table.index th, table.index td { text-align: left; padding: 4px 10px; border-bottom: 1px solid #eef1f4; vertical-align: top; }
table.index a { color: #1f5fbf; font-weight: 600; text-decoration: none; }
.legend { font-size: 12px; color: #4b5563; margin: 4px 0 0; }
.legend i { display: inline-block; width: 18px; height: 0; border-top: 2px solid; vertical-align: middle; margin: 0 4px 0 10px; }
"""


def verify_with_report(results: list[FileResult], args: argparse.Namespace, settings: Settings,
                       verify: Callable[[list[FileResult], argparse.Namespace, Settings], list[FileResult]]
                       ) -> list[FileResult]:
    """Run `verify` (the report implies it), then write the page. Without `--repro-dir` the reproducers go
    to a scratch directory, only for the page to inline them; their paths are then dropped from the results."""
    from nanlint.formatters.structured import finding_to_dict
    from nanlint.source import SourceError, write_text

    target = Path(args.report)
    if not target.parent.is_dir() or (target.exists() and not os.access(target, os.W_OK)):
        # Say so before a verification run that can take minutes, not after it.
        raise FatalError(f"cannot write the report to {target}")
    with tempfile.TemporaryDirectory(prefix="nanlint-report-") as scratch:
        run_args = argparse.Namespace(**{**vars(args), "verify": True, "repro_dir": args.repro_dir or scratch})
        verified = verify(results, run_args, settings)
        findings = sorted((f for result in verified for f in result.findings), key=lambda f: f.sort_key)
        title = "nanlint verify: " + " ".join(args.paths or ["."])
        try:
            write_text(str(target), render([finding_to_dict(f) for f in findings], title))
        except (SourceError, OSError) as error:
            raise FatalError(f"cannot write the report to {target}: {error}") from None
    if args.repro_dir:
        return verified
    return [dataclasses.replace(result, findings=tuple(_without_reproducer(f) for f in result.findings))
            for result in verified]


def _without_reproducer(finding: Finding) -> Finding:
    if finding.verdict is None or finding.verdict.reproducer is None:
        return finding
    return dataclasses.replace(finding, verdict=dataclasses.replace(finding.verdict, reproducer=None))


def render(findings: Sequence[dict], title: str = "nanlint verify") -> str:
    verified = [f for f in findings if f.get("verdict")]
    counts = {status: sum(1 for f in verified if f["verdict"]["status"] == status) for status in STATUS_CLASS}
    summary = " ".join(
        f'<span><b class="badge {STATUS_CLASS[status]}">{count}</b> {html.escape(status)}</span>'
        for status, count in counts.items())
    unverified = len(findings) - len(verified)
    if unverified:
        summary += f' <span><b class="badge unverified">{unverified}</b> without a runtime check</span>'
    body = (_index(findings) + "\n".join(_finding(f, f"f{n}") for n, f in enumerate(findings, start=1))
            if findings else "<p>No findings.</p>")
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        # No request may leave the page, whatever it contains: a CSP that allows nothing but inline styles.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{html.escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f"<header><h1>{html.escape(title)}</h1><p>{len(findings)} finding(s), nanlint {html.escape(__version__)}"
        "</p></header>\n"
        f"<main>\n<p class=\"counts\">{summary}</p>\n{body}\n</main>\n</body>\n</html>\n"
    )


def _index(findings: Sequence[dict]) -> str:
    """One row per finding, linking to its section (in-page anchors only): a long report is read from here."""
    rows = "".join(
        f'<tr><td><a href="#f{n}">{_e(f["code"])}</a></td><td class="where">{_e(_where(f))}</td>'
        f'<td>{_badge(f)}</td><td>{_e((f.get("verdict") or {}).get("detail", ""))}</td></tr>'
        for n, f in enumerate(findings, start=1))
    return f'<table class="index"><tr><th>Rule</th><th>Where</th><th>Verdict</th><th></th></tr>{rows}</table>'


def _where(finding: dict) -> str:
    return f"{finding['filename']}:{finding['location']['row']}:{finding['location']['column']}"


def _badge(finding: dict) -> str:
    verdict = finding.get("verdict")
    if not verdict:
        return '<span class="badge unverified">no runtime check</span>'
    return f'<span class="badge {STATUS_CLASS.get(verdict["status"], "unverified")}">{_e(verdict["status"])}</span>'


def _finding(finding: dict, anchor: str) -> str:
    verdict = finding.get("verdict")
    where, badge = _where(finding), _badge(finding)
    parts = [
        f'<section class="finding" id="{anchor}">',
        f"<h2>{_e(finding['code'])} {badge}</h2>",
        f'<div class="where">{_e(where)}</div>',
        f'<p class="message">{_e(finding["message"])}</p>',
    ]
    if verdict:
        parts.append(_facts(verdict))
        if verdict.get("trials"):
            parts.append(_trials(verdict["trials"]))
        parts.append(_reproducer(verdict))
    if finding.get("fix"):
        fix = finding["fix"]
        parts.append(f"<p>Fix ({_e(fix['applicability'])}): {_e(fix['message'])}</p>")
    parts.append("</section>")
    return "\n".join(parts)


def _facts(verdict: dict) -> str:
    rows = [("Verdict", verdict.get("detail"))]
    witness = verdict.get("witness")
    if witness:
        rows.append(("Witness input", witness.get("repr")))
    rows += [("Phase", verdict.get("phase")), ("Op", verdict.get("op")), ("Reason", verdict.get("reason"))]
    if verdict.get("seconds") is not None:
        rows.append(("Time", f"{verdict['seconds']:.1f} s"))
    cells = "".join(f"<tr><th>{name}</th><td>{_e(value)}</td></tr>" for name, value in rows if value)
    return f'<table class="facts">{cells}</table>'


def _reproducer(verdict: dict) -> str:
    path = verdict.get("reproducer")
    if not path:
        return ""
    try:
        script = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return f"<p>Reproducer: <code>{_e(path)}</code></p>"
    return (f"<details><summary>Reproducer <code>{_e(Path(path).name)}</code> "
            f"(runs with plain TensorFlow)</summary><pre>{_e(script)}</pre></details>")


@dataclass(frozen=True)
class _Trial:
    setup: str
    variant: str
    loss: tuple[float | None, ...]
    grad_norm: tuple[float | None, ...]
    nonfinite_step: int | None


def _trials(raw: Sequence[dict]) -> str:
    """One row per set-up: the model as written, and beside it the fixed variant where one was trained, on
    the same step axis and the same value scale, so that the eye compares the curves, not the axes."""
    trials = [_Trial(str(t.get("setup", "")), str(t.get("variant", "as written")), tuple(t.get("loss") or ()),
                     tuple(t.get("grad_norm") or ()), t.get("nonfinite_step")) for t in raw]
    rows = []
    for setup in dict.fromkeys(t.setup for t in trials):
        pair = [t for t in trials if t.setup == setup]
        steps = max(max(len(t.loss), len(t.grad_norm), t.nonfinite_step or 0) for t in pair)
        loss_scale = _Scale.fit(_finite(v for t in pair for v in t.loss))
        norm_scale = _Scale.fit(_finite(v for t in pair for v in t.grad_norm))
        figures = "".join(_figure(t, steps, loss_scale, norm_scale) for t in pair)
        rows.append(f'<div class="setup"><h3>{_e(setup)}</h3><div class="pair">{figures}</div></div>')
    legend = (f'<p class="legend">per training step:<i style="border-color:{LOSS_COLOUR}"></i>loss'
              f'<i style="border-color:{NORM_COLOUR}; border-top-style:dashed"></i>gradient norm'
              f'<i style="border-color:{BAD_COLOUR}"></i>first non-finite step</p>')
    return "\n".join(rows) + legend


def _figure(trial: _Trial, steps: int, loss_scale: _Scale | None, norm_scale: _Scale | None) -> str:
    if trial.nonfinite_step is None:
        outcome = f'<span class="outcome">finite for {len(trial.loss)} steps</span>'
    else:
        outcome = f'<span class="outcome bad">non-finite at step {trial.nonfinite_step}</span>'
    charts = (_chart(trial.loss, trial.nonfinite_step, steps, loss_scale, "loss", LOSS_COLOUR, dashed=False)
              + _chart(trial.grad_norm, trial.nonfinite_step, steps, norm_scale, "gradient norm", NORM_COLOUR,
                       dashed=True))
    label = "as written" if trial.variant == "as written" else "fixed variant"
    return f"<figure><figcaption>{_e(label)} · {outcome}</figcaption>{charts}</figure>"


def _chart(values: Sequence[float | None], bad_step: int | None, steps: int, scale: _Scale | None, name: str,
           colour: str, dashed: bool) -> str:
    """An inline SVG line chart of one curve over steps 1..`steps` on `scale` (None: no finite value)."""
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" role="img" '
             f'aria-label="{_e(name)} per step">',
             f'<text x="{LEFT}" y="14" font-size="12" fill="#4b5563">{_e(name)}</text>',
             f'<rect x="{LEFT}" y="{TOP}" width="{inner_w}" height="{inner_h}" fill="#fff" stroke="#d9dee5"/>']

    def x_of(step: int) -> float:
        return LEFT + (step - 1) / max(steps - 1, 1) * inner_w

    def y_of(value: float, on: _Scale) -> float:
        return TOP + inner_h - on.position(value) * inner_h

    if scale is not None:
        for tick in scale.ticks():
            y = y_of(tick, scale)
            parts.append(f'<line x1="{LEFT}" x2="{LEFT + inner_w}" y1="{y:.1f}" y2="{y:.1f}" '
                         'stroke="#eef1f4"/>')
            parts.append(f'<text x="{LEFT - 5}" y="{y + 4:.1f}" font-size="11" text-anchor="end" '
                         f'fill="#4b5563">{_e(_number(tick))}</text>')
        for run in _finite_runs(values):
            if len(run) == 1:
                step, value = run[0]
                parts.append(f'<circle cx="{x_of(step):.1f}" cy="{y_of(value, scale):.1f}" r="2.5" fill="{colour}"/>')
            else:
                points = " ".join(f"{x_of(step):.1f},{y_of(value, scale):.1f}" for step, value in run)
                style = ' stroke-dasharray="5 3"' if dashed else ""
                parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"{style}/>')
    if not _finite(values):
        parts.append(f'<text x="{LEFT + inner_w / 2}" y="{TOP + inner_h / 2}" font-size="12" text-anchor="middle" '
                     'fill="#4b5563">no finite value</text>')
    for step in _step_ticks(steps):
        parts.append(f'<text x="{x_of(step):.1f}" y="{HEIGHT - 8}" font-size="11" text-anchor="middle" '
                     f'fill="#4b5563">{step}</text>')
    if bad_step is not None:
        x = x_of(bad_step)
        anchor = "end" if x > LEFT + inner_w * 0.7 else "start"
        offset = -4 if anchor == "end" else 4
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{TOP}" y2="{TOP + inner_h}" stroke="{BAD_COLOUR}" '
                     'stroke-width="2"/>')
        parts.append(f'<text x="{x + offset:.1f}" y="{TOP + 13}" font-size="11" text-anchor="{anchor}" '
                     f'fill="{BAD_COLOUR}">non-finite at step {bad_step}</text>')
    parts.append(f'<text x="{LEFT + inner_w}" y="14" font-size="11" text-anchor="end" fill="#4b5563">step</text>')
    parts.append("</svg>")
    return "".join(parts)


def _finite(values: Iterable[float | None]) -> list[float]:
    return [v for v in values if v is not None and math.isfinite(v)]


@dataclass(frozen=True)
class _Scale:
    """A value axis: logarithmic when every value is positive and they span more than two decades (a loss
    that explodes before it overflows), else linear from 0 (or the lowest value) to a round top."""

    low: float
    high: float
    log: bool

    @classmethod
    def fit(cls, values: Sequence[float]) -> _Scale | None:
        if not values:
            return None
        low, high = min(values), max(values)
        if low > 0 and high / low > 100:
            return cls(math.floor(math.log10(low)), math.ceil(math.log10(high)), True)  # whole decades
        if high == low:  # a flat curve: give it a band so that it sits mid-chart
            pad = abs(high) * 0.1 or 1.0
            return cls(low - pad, high + pad, False)
        low = min(low, 0.0)
        step = _round_step((high - low) / 4)
        return cls(math.floor(low / step) * step, math.ceil(high / step) * step, False)

    def position(self, value: float) -> float:
        """0 at the bottom of the chart, 1 at the top."""
        value = math.log10(value) if self.log else value
        return (value - self.low) / (self.high - self.low) if self.high > self.low else 0.5

    def ticks(self) -> list[float]:
        if self.log:
            first, last = int(self.low), int(self.high)
            stride = max(1, round(_round_step((last - first) / 5)))
            return [10.0 ** e for e in range(first, last + 1) if e % stride == 0]
        step = _round_step((self.high - self.low) / 4)
        first = math.ceil(self.low / step - 1e-9)
        return [i * step for i in range(first, math.floor(self.high / step + 1e-9) + 1)]


def _round_step(rough: float) -> float:
    """The smallest 1, 2 or 5 times a power of ten that is at least `rough`."""
    power = 10.0 ** math.floor(math.log10(rough))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= rough * (1 - 1e-9))


def _finite_runs(values: Sequence[float | None]) -> list[list[tuple[int, float]]]:
    """Consecutive finite points (1-based steps): a non-finite step breaks the line instead of faking it."""
    runs: list[list[tuple[int, float]]] = [[]]
    for step, value in enumerate(values, start=1):
        if value is None or not math.isfinite(value):
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append((step, value))
    return [run for run in runs if run]


def _step_ticks(steps: int) -> list[int]:
    stride = max(1, math.ceil(steps / 6))
    ticks = list(range(1, steps + 1, stride))
    if ticks[-1] != steps:
        ticks.append(steps)
    return ticks


def _number(value: float) -> str:
    """Axis labels: 0.25, 10, 1000, 1e5, 1e-3."""
    if value != 0 and (abs(value) >= 1e4 or abs(value) < 1e-2):
        mantissa, exponent = f"{value:.0e}".split("e")
        return f"{mantissa}e{int(exponent)}"
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:.0f}"


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))
