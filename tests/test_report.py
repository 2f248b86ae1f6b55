"""`nanlint verify --report FILE.html`: the page's content, its self-containment, and (when Chromium is
installed) what a real browser makes of it."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from nanlint.verify.report import render

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import report_check  # noqa: E402

# The verifier's JSON contract (`finding_to_dict`): an expression verdict and a training verdict.
EXPRESSION = {
    "code": "NAN002", "message": "division by a variance, which is 0 for a constant row <b>", "filename": "norm.py",
    "location": {"row": 16, "column": 29}, "end_location": {"row": 16, "column": 60}, "fingerprint": "aa11",
    "fix": None,
    "verdict": {"status": "confirmed", "detail": "forward NaN in RealDiv at constant 0 (float32)", "seconds": 0.6,
                "reproducer": None, "recipe": "expression", "reason": None, "phase": "forward", "op": "RealDiv",
                "witness": {"repr": "inputs=[0]*4 (float32)", "data": {}}, "trials": []},
}
EXPLODING = [0.69, 0.7, 2.5, 40.0, 9.1e3, 4.2e8, 7.7e20, None, None, None]
TRAINING = {
    "code": "NAN101", "message": "3 relu layers in a row without BatchNormalization", "filename": "model.py",
    "location": {"row": 11, "column": 5}, "end_location": {"row": 11, "column": 40}, "fingerprint": "bb22",
    "fix": None,
    "verdict": {"status": "not reproduced", "detail": "diverges only harsher: NaN at step 8 under SGD lr=1",
                "seconds": 21.0, "reproducer": None, "recipe": "training", "reason": None, "phase": "training",
                "op": None, "witness": None,
                "trials": [
                    {"setup": "Adam lr=0.001", "variant": "as written", "loss": [0.7, 0.69, 0.68] + [0.67] * 7,
                     "grad_norm": [0.3] * 10, "nonfinite_step": None},
                    {"setup": "SGD lr=1", "variant": "as written", "loss": EXPLODING,
                     "grad_norm": [1.0, 3.0, 30.0, 900.0, 8e4, 3e9, 1e21, None, None, None], "nonfinite_step": 8},
                    {"setup": "SGD lr=1", "variant": "fixed", "loss": [0.7, 0.6, 0.5, 0.45, 0.4, 0.38, 0.37, 0.36,
                                                                        0.35, 0.35],
                     "grad_norm": [1.0, 0.8, 0.6, 0.5, 0.4, 0.35, 0.3, 0.3, 0.28, 0.27], "nonfinite_step": None},
                ]},
}


def _sections(page: str) -> list[str]:
    return re.findall(r'<section class="finding".*?</section>', page, re.S)


def test_expression_verdict_shows_verdict_witness_op_and_phase_escaped():
    [section] = _sections(render([EXPRESSION]))
    assert "confirmed" in section and "forward NaN in RealDiv at constant 0 (float32)" in section
    assert "<th>Witness input</th><td>inputs=[0]*4 (float32)</td>" in section
    assert "<th>Op</th><td>RealDiv</td>" in section and "<th>Phase</th><td>forward</td>" in section
    assert "constant row &lt;b&gt;" in section and "<b>" not in section.split("constant row")[1][:10]
    assert "<svg" not in section  # no curves for an expression verdict


def test_training_verdict_draws_each_setup_beside_its_fixed_variant_with_the_nonfinite_step_marked():
    [section] = _sections(render([TRAINING]))
    setups = re.findall(r'<div class="setup"><h3>(.*?)</h3>(.*?)</div></div>', section, re.S)
    assert [name for name, _ in setups] == ["Adam lr=0.001", "SGD lr=1"]
    harsh = setups[1][1]
    captions = re.findall(r"<figcaption>(.*?)</figcaption>", harsh)
    assert len(captions) == 2
    assert "as written" in captions[0] and "non-finite at step 8" in captions[0]
    assert "fixed variant" in captions[1] and "finite for 10 steps" in captions[1]
    # Loss and gradient norm, one chart each, per variant; the bad step marked on both charts of the bug only.
    assert harsh.count("<svg") == 4
    assert harsh.count(">non-finite at step 8</text>") == 2
    assert setups[0][1].count("non-finite") == 0


def test_nonfinite_steps_break_the_curve_and_the_marker_sits_on_its_step():
    from nanlint.verify import report

    scale = report._Scale.fit(report._finite(EXPLODING))
    chart = report._chart(EXPLODING, 8, len(EXPLODING), scale, "loss", report.LOSS_COLOUR, dashed=False)
    [points] = re.findall(r'<polyline points="([^"]+)"', chart)
    assert len(points.split()) == 7  # steps 1-7 drawn, 8-10 (None) left out, not faked
    marker = re.search(r'<line x1="([\d.]+)" x2="[\d.]+" y1="\d+" y2="\d+" stroke="#c0262d"', chart)
    inner = report.WIDTH - report.LEFT - report.RIGHT
    assert float(marker.group(1)) == pytest.approx(report.LEFT + 7 / 9 * inner, abs=0.1)
    # Spanning 0.69 .. 7.7e20, the loss is drawn on a log scale, labelled by decades.
    labels = re.findall(r'text-anchor="end" fill="#4b5563">([^<]+)<', chart)
    assert labels == ["1", "1e5", "1e10", "1e15", "1e20", "step"]


def test_the_bug_and_its_fix_share_the_step_axis_and_the_value_scale():
    short = {"setup": "SGD lr=1", "variant": "as written", "loss": [0.85, 1160.4, None],
             "grad_norm": [5.0, 24410.7, None], "nonfinite_step": 3}
    long = {"setup": "SGD lr=1", "variant": "fixed", "loss": [0.85, 14.2] + [0.3] * 28,
            "grad_norm": [5.0, 77.7] + [0.5] * 28, "nonfinite_step": None}
    [section] = _sections(render([{**TRAINING, "verdict": {**TRAINING["verdict"], "trials": [short, long]}}]))
    charts = re.findall(r"<svg.*?</svg>", section)
    assert len(charts) == 4
    last_step = [re.findall(r'text-anchor="middle" fill="#4b5563">(\d+)</text>', chart)[-1] for chart in charts]
    assert last_step == ["30"] * 4  # the bug's 3 steps are drawn on the fix's 30-step axis
    labels = [re.findall(r'text-anchor="end" fill="#4b5563">([^<]+)<', chart)[:-1] for chart in charts]
    assert labels[0] == labels[2] and labels[1] == labels[3]  # loss beside loss, norm beside norm: same scale


def test_linear_axes_get_round_ticks():
    from nanlint.verify.report import _Scale, _number

    scale = _Scale.fit([0.25, 0.4, 14.2])
    assert [_number(t) for t in scale.ticks()] == ["0", "5", "10", "15"]
    assert [_number(v) for v in (1000.0, 1e5, 0.001, 0.25)] == ["1000", "1e5", "1e-3", "0.25"]


def test_page_is_self_contained():
    page = render([EXPRESSION, TRAINING])
    assert "<script" not in page and "@import" not in page and "url(" not in page
    assert not re.search(r'\ssrc=', page)
    assert re.findall(r'\shref="([^"]*)"', page) == ["#f1", "#f2"]  # the index's in-page anchors, nothing else
    assert re.findall(r'<section class="finding" id="([^"]+)"', page) == ["f1", "f2"]
    assert re.findall(r"https?://[^\s\"'<>]+", page) == ["http://www.w3.org/2000/svg"] * page.count("<svg")
    assert "default-src 'none'" in page


def test_report_without_findings_says_so(tmp_path, monkeypatch, capsys):
    from nanlint.cli import main

    monkeypatch.chdir(tmp_path)
    (tmp_path / "clean.py").write_text("import tensorflow as tf\ny = tf.math.log_sigmoid(x)\n")
    code = main(["verify", "clean.py", "--report", "out.html", "--isolated"])
    assert code == 0
    assert "<p>No findings.</p>" in (tmp_path / "out.html").read_text()


def test_unwritable_report_is_refused_before_verifying(tmp_path, monkeypatch, capsys):
    from nanlint.cli import main

    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.py").write_text("import tensorflow as tf\ny = tf.math.log(tf.sigmoid(x))\n")
    code = main(["verify", "bad.py", "--report", "missing/dir/out.html", "--isolated"])
    assert code == 2
    assert "cannot write the report to missing/dir/out.html" in capsys.readouterr().err


@pytest.mark.skipif(report_check.find_browser() is None, reason="needs Chromium (apt-get install chromium)")
def test_chromium_renders_the_page_without_a_single_request(tmp_path):
    page = tmp_path / "report.html"
    page.write_text(render([EXPRESSION, TRAINING]), encoding="utf-8")
    shot = tmp_path / "report.png"
    assert report_check.check(page, shot) == []
    assert shot.stat().st_size > 20_000  # a page with charts, not a blank one
    # The check can fail: the same page with one remote image is caught.
    leaky = tmp_path / "leaky.html"
    leaky.write_text(render([EXPRESSION]).replace("</main>", '<img src="http://example.invalid/x.png"></main>'))
    assert report_check.check(leaky, tmp_path / "leaky.png") == ["http://example.invalid/x.png"]


def test_verify_prints_a_line_per_finished_finding_when_stderr_is_not_a_terminal(capsys):
    from nanlint.cli import main

    # NAN102 (a shape error, not NaN/Inf) has no runtime check: its verdict needs no TensorFlow worker.
    target = "fixtures/seeds/timedistributed_init/ex3_lstm_bad.py"
    code = main(["verify", str(ROOT / target), "--isolated", "--output-format", "json"])
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.startswith("nanlint: verified")]
    assert code == 1
    assert [line.split(": could not run")[0].rsplit(" ", 1)[-1] for line in lines] == ["NAN102", "NAN102"]
    assert lines[0].startswith("nanlint: verified 1/2 ") and lines[1].startswith("nanlint: verified 2/2 ")
    assert "\r" not in err and "\033[" not in err
