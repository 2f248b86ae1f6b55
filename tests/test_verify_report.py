"""What a verify run reports: the verdict's JSON shape (the contract the HTML report and the LSP server read),
a verdict for every finding of a catalog rule, reproducers for every confirmation, and no lost report."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from nanlint.catalog import load_catalog
from nanlint.verify.recipes import recipe_for

FIXTURES = Path(__file__).resolve().parent / "fixtures_verify"
REALISTIC = Path(__file__).resolve().parent.parent / "fixtures" / "realistic"
REPRO_ENV = {"PATH": "/usr/bin:/bin", "CUDA_VISIBLE_DEVICES": "-1", "TF_CPP_MIN_LOG_LEVEL": "3"}


def test_a_rule_without_a_runtime_check_gets_a_plain_verdict_and_runs_nothing(project, run_json, monkeypatch):
    requests = []
    monkeypatch.setattr("nanlint.verify.sandbox.Worker.run", lambda self, request, limits: requests.append(request))
    rule = next(r for r in load_catalog().values() if not r.meta and recipe_for(r.code) is None and r.bad)
    (project / "m.py").write_text(rule.bad[0].code)
    code, findings, _ = run_json("verify", "m.py", "--no-cache")
    assert findings and requests == []
    for finding in findings:
        assert finding["verdict"]["status"] == "could not run"
        assert finding["verdict"]["reason"] == "no-runtime-check"
        assert finding["verdict"]["detail"].startswith("no runtime check for this rule")


IMPROBABLE_ZERO = ("import tensorflow as tf\n\n\nclass Head(tf.keras.layers.Layer):\n"
                   "    def build(self, shape):\n        self.projection = tf.keras.layers.Dense(8)\n\n"
                   "    def call(self, x):\n        e = self.projection(x)\n        return e / tf.norm(e)\n")


def test_a_zero_reached_only_with_probability_0_is_not_run_and_stays_a_preview_finding(project, run_json,
                                                                                       monkeypatch):
    # feeding e = 0 would show 0/0 = NaN, which says nothing about whether a learned projection is ever 0
    requests = []
    monkeypatch.setattr("nanlint.verify.sandbox.Worker.run", lambda self, request, limits: requests.append(request))
    (project / "m.py").write_text(IMPROBABLE_ZERO)
    _, shown, _ = run_json("verify", "m.py", "--no-cache", "--preview")
    assert [(f["code"], f["location"]["row"], f["preview"]) for f in shown] == [("NAN002", 10, True)]
    assert shown[0]["verdict"]["reason"] == "no-runtime-check" and "probability 0" in shown[0]["verdict"]["detail"]
    _, reported, _ = run_json("verify", "m.py", "--no-cache")
    assert reported == [] and requests == []


@pytest.mark.tensorflow
def test_repro_dir_with_a_confirmed_training_finding_gives_the_full_report_and_a_runnable_reproducer(
        tmp_path, project, run_json):
    pytest.importorskip("tensorflow")
    shutil.copy(FIXTURES / "rnn_sgd.py", project / "rnn_sgd.py")
    (project / "loss.py").write_text("import tensorflow as tf\n\n\ndef loss(z):\n"
                                     "    return float(tf.reduce_sum(tf.math.log(tf.sigmoid(z))))\n")
    repro = tmp_path / "repro"
    code, findings, _ = run_json("verify", "rnn_sgd.py", "loss.py", "--device", "cpu", "--no-cache",
                                 "--repro-dir", str(repro))
    assert code == 1
    by_code = {f["code"]: f["verdict"] for f in findings}
    training, expression = by_code["NAN103"], by_code["NAN001"]
    assert training["status"] == "confirmed" and training["recipe"] == "training"
    as_written = [t for t in training["trials"] if t["variant"] == "as written"]
    fixed = [t for t in training["trials"] if t["variant"] == "fixed"]
    assert as_written[0]["setup"].startswith("its own SGD lr=1 ") and as_written[0]["nonfinite_step"] is not None
    assert len(as_written[0]["loss"]) == as_written[0]["nonfinite_step"] == len(as_written[0]["grad_norm"])
    assert all(v is None or isinstance(v, float) for v in as_written[0]["loss"] + as_written[0]["grad_norm"])
    assert fixed and fixed[0]["nonfinite_step"] is None and fixed[0]["setup"] == as_written[0]["setup"]
    # An expression verdict names its phase, the op and the witness (short repr + data).
    assert expression["status"] == "confirmed" and expression["recipe"] == "expression"
    assert expression["phase"] == "forward" and expression["op"] == "Log"
    assert expression["witness"]["repr"].startswith("z=[") and expression["witness"]["data"]["dtype"] == "float32"
    assert expression["trials"] == []
    scripts = {f["code"]: Path(f["verdict"]["reproducer"]) for f in findings}
    ran = subprocess.run([sys.executable, "-I", str(scripts["NAN103"])], capture_output=True, text=True,
                         env=REPRO_ENV, cwd=tmp_path, timeout=120)
    assert "NON-FINITE training at step" in ran.stdout, ran.stderr[-2000:]
    ran = subprocess.run([sys.executable, "-I", str(scripts["NAN001"])], capture_output=True, text=True,
                         env=REPRO_ENV, cwd=tmp_path, timeout=120)
    assert "NON-FINITE forward" in ran.stdout, ran.stderr[-2000:]


@pytest.mark.tensorflow
def test_same_basename_files_get_separate_reproducers_and_a_failing_repro_dir_loses_nothing(
        tmp_path, project, run_json):
    pytest.importorskip("tensorflow")
    for folder in ("a", "b"):
        (project / folder).mkdir()
        (project / folder / "loss.py").write_text(
            "import tensorflow as tf\n\n\ndef loss(z):\n    return tf.math.log(tf.sigmoid(z))\n")
    repro = tmp_path / "repro"
    _, findings, _ = run_json("verify", "a/loss.py", "b/loss.py", "--device", "cpu", "--no-cache",
                              "--repro-dir", str(repro))
    paths = [f["verdict"]["reproducer"] for f in findings]
    assert len(findings) == 2 and len(set(paths)) == 2 and all(Path(p).is_file() for p in paths)
    blocked = tmp_path / "not-a-dir"
    blocked.write_text("")
    code, findings, _ = run_json("verify", "a/loss.py", "--device", "cpu", "--no-cache", "--repro-dir", str(blocked))
    assert code == 1 and findings[0]["verdict"]["status"] == "confirmed"
    assert "reproducer not written" in findings[0]["verdict"]["detail"] and findings[0]["verdict"]["reproducer"] is None


@pytest.mark.tensorflow
def test_verdicts_are_cached_by_snippet_recipe_and_tensorflow_version(project, run_json):
    pytest.importorskip("tensorflow")
    (project / "loss.py").write_text("import tensorflow as tf\n\n\ndef loss(z):\n    return tf.math.log(tf.sigmoid(z))\n")
    _, cold, _ = run_json("verify", "loss.py", "--device", "cpu")
    _, warm, _ = run_json("verify", "loss.py", "--device", "cpu")
    assert cold[0]["verdict"]["status"] == warm[0]["verdict"]["status"] == "confirmed"
    assert warm[0]["verdict"]["detail"] == cold[0]["verdict"]["detail"] and warm[0]["verdict"]["seconds"] < 0.5
    entries = list((project / ".nanlint_cache" / "verify").glob("*.json"))
    assert len(entries) == 1
    # a changed snippet is a new entry; a tampered entry is read through the same validation as the worker's
    (project / "loss.py").write_text("import tensorflow as tf\n\n\ndef loss(z):\n    return tf.math.log(tf.nn.softmax(z))\n")
    _, changed, _ = run_json("verify", "loss.py", "--device", "cpu")
    assert changed[0]["verdict"]["status"] == "confirmed"
    assert len(list((project / ".nanlint_cache" / "verify").glob("*.json"))) == 2
    for entry in (project / ".nanlint_cache" / "verify").glob("*.json"):  # a forged entry is ignored
        mac = entry.read_bytes().partition(b"\n")[0]
        entry.write_bytes(mac + b'\n{"status": "not reproduced", "detail": "all clean"}')
    _, forged, _ = run_json("verify", "loss.py", "--device", "cpu")
    assert forged[0]["verdict"]["status"] == "confirmed" and forged[0]["verdict"]["detail"] == changed[0]["verdict"]["detail"]
