"""`nanlint verify` wiring that needs no TensorFlow run: flags, limits, clean files, the lint path."""

import importlib.util
import io
import sys
from pathlib import Path

import pytest

from nanlint.cli import main

ROOT = Path(__file__).resolve().parent.parent


def test_fixed_seed_files_run_nothing_and_the_worker_started_while_linting_is_gone(monkeypatch, capsys):
    from nanlint.verify import sandbox

    monkeypatch.chdir(ROOT)
    workers, requests = [], []
    start = sandbox.Worker.__init__

    def started(self, *args, **kwargs):
        start(self, *args, **kwargs)
        workers.append(self)

    monkeypatch.setattr(sandbox.Worker, "__init__", started)
    monkeypatch.setattr(sandbox.Worker, "run", lambda self, request, limits: requests.append(request))
    fixed = [str(p.relative_to(ROOT)) for p in sorted((ROOT / "fixtures" / "seeds").rglob("*_fixed.py"))]
    assert fixed
    assert main(["verify", *fixed, "--no-cache"]) == 0
    assert capsys.readouterr().out == "" and requests == []
    # One worker, started before linting (TensorFlow's import overlaps it), and ended once nothing needed it.
    assert len(workers) == 1 and not workers[0].alive and not Path(workers[0].workdir).exists()


@pytest.mark.skipif(importlib.util.find_spec("tensorflow") is None, reason="the worker reports TF as missing")
def test_total_time_limit_gives_every_finding_a_could_not_run_verdict(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.py").write_text("import tensorflow as tf\n\ndef f(x):\n    return tf.math.log(tf.sigmoid(x))\n\n"
                                   "def g(x):\n    return tf.math.log(tf.nn.softmax(x))\n")
    assert main(["verify", "m.py", "--no-cache", "--verify-total-timeout", "0"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert all(line.endswith("[verify: could not run: the run's total time limit was reached]") for line in lines)


def test_without_verify_the_feature_leaves_results_alone_and_imports_nothing_heavy():
    import subprocess

    check = ("import sys, nanlint.verify.feature as f; "
             "assert 'nanlint.verify.sandbox' not in sys.modules and 'tensorflow' not in sys.modules; "
             "r = object(); assert f.process_results([r], type('A', (), {'verify': False})(), None) == [r]")
    assert subprocess.run([sys.executable, "-c", check]).returncode == 0


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_each_verdict_is_printed_as_it_arrives_above_a_status_line_on_a_terminal(monkeypatch, capsys):
    from nanlint.verify import feature

    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    before_each = []
    step = feature._Progress.step

    def recording(self, finding):
        before_each.append(terminal.getvalue())
        step(self, finding)

    monkeypatch.setattr(feature._Progress, "step", recording)
    # NAN102 has no runtime check: its verdicts need no TensorFlow run.
    target = ROOT / "fixtures" / "seeds" / "timedistributed_init" / "ex3_lstm_bad.py"
    assert main(["verify", str(target), "--isolated", "--no-cache"]) == 1
    where = f"{target}"
    # the first verdict is on the terminal before the second finding starts, not at the end of the run
    assert before_each[0] == "" and f"nanlint: verified 1/2 {where}:10 NAN102: could not run" in before_each[1]
    shown = terminal.getvalue()
    assert shown.startswith(f"\r\033[Kverifying 1/2 {where}:10 NAN102\r\033[Knanlint: verified 1/2 {where}:10 ")
    assert f"\r\033[Kverifying 2/2 {where}:16 NAN102\r\033[Knanlint: verified 2/2 {where}:16 " in shown
    # the status line is gone at the end; the report (stdout) keeps its order
    assert shown.split("Found")[0].endswith(")\n")
    out = capsys.readouterr().out.splitlines()
    assert [line.split(":")[1] for line in out] == ["10", "16"]


def test_quiet_prints_no_verdict_stream(capsys):
    target = ROOT / "fixtures" / "seeds" / "timedistributed_init" / "ex3_lstm_bad.py"
    assert main(["verify", str(target), "--isolated", "--no-cache", "-q"]) == 1
    captured = capsys.readouterr()
    assert captured.err == "" and len(captured.out.splitlines()) == 2


@pytest.mark.parametrize(("flags", "widened"), [([], True), (["--fix"], False),
                                                (["--diff"], False), (["--add-noqa"], False),
                                                (["--write-baseline", "b.json"], False), (["--report", "r.html"], True)])
def test_verify_lints_preview_findings_unless_the_run_edits_files(monkeypatch, flags, widened):
    from nanlint import extensions, runner
    from nanlint.cli import build_parser
    from nanlint.config import Settings
    from nanlint.verify import feature, sandbox

    monkeypatch.setattr(feature, "_start_worker", lambda args: sandbox.WorkerUnavailable("not started here"))
    parser = build_parser()
    runner.add_arguments(parser)
    for each in extensions.features():
        each.add_arguments(parser)
    args = parser.parse_args(["--verify", *flags, "x.py"])
    user = Settings()
    with feature.session(args, user) as linted:
        assert linted.selection.preview is widened
    assert user.selection.preview is False


def test_a_trainable_divisor_is_never_confirmed_by_feeding_the_variable_a_zero(tmp_path, monkeypatch, capsys):
    # keras-io's vit_small_ds: a temperature initialised to sqrt(key_dim) would reach 0 only through training; the
    # mechanism has no runtime check (NAN002's catalog entry), so no worker runs and the verdict says why
    from nanlint.verify import sandbox

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sandbox.Worker, "run", lambda self, request, limits: pytest.fail("nothing should run"))
    (tmp_path / "m.py").write_text(
        "import math\nimport tensorflow as tf\n\n\nclass Scaled(tf.keras.layers.Layer):\n"
        "    def __init__(self, **kwargs):\n        super().__init__(**kwargs)\n"
        "        self.tau = tf.Variable(math.sqrt(8.0), trainable=True)\n\n"
        "    def call(self, x):\n        return tf.multiply(x, 1.0 / self.tau)\n")
    assert main(["verify", "m.py", "--no-cache", "--preview", "--isolated"]) == 1
    out = capsys.readouterr().out
    assert "NAN002 division by a trainable variable" in out
    assert "[verify: could not run: no runtime check for this finding's mechanism (the variable reaches 0 only" in out
