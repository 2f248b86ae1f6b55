"""`nanlint verify` wiring that needs no TensorFlow run: flags, limits, clean files, the lint path."""

import importlib.util
import sys
from pathlib import Path

import pytest

from nanlint.cli import main

ROOT = Path(__file__).resolve().parent.parent


def test_fixed_seed_files_have_no_findings_and_start_no_worker(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    started = []
    monkeypatch.setattr("nanlint.verify.sandbox.Worker.__init__", lambda *a, **k: started.append(a))
    fixed = [str(p.relative_to(ROOT)) for p in sorted((ROOT / "fixtures" / "seeds").rglob("*_fixed.py"))]
    assert fixed
    assert main(["verify", *fixed, "--no-cache"]) == 0
    assert capsys.readouterr().out == "" and started == []


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
