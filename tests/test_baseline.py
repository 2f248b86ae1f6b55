"""--write-baseline / --baseline: only new findings are reported, and unrelated edits keep old ones matched."""

from __future__ import annotations

import json

from conftest import BAD


def test_baseline_reports_only_new_findings_and_survives_moved_lines(project, run_cli):
    model = project / "model.py"
    model.write_text(BAD)
    code, out, err = run_cli("model.py", "--write-baseline", "baseline.json")
    assert code == 0 and out == "" and "wrote 1 finding" in err
    data = json.loads((project / "baseline.json").read_text())
    assert [entry["code"] for entry in data["findings"]] == ["NAN001"]

    # Lines added above: the old finding is still recognized.
    model.write_text("import os\n\n# comment\n" + BAD)
    assert run_cli("model.py", "--baseline", "baseline.json") == (0, "", "")

    # A new hazard (and a second copy of the old one) is reported.
    model.write_text(BAD + "\n\ndef again(z):\n    return tf.math.log(tf.sigmoid(z))\n")
    code, out, _ = run_cli("model.py", "--baseline", "baseline.json")
    assert code == 1 and [line.split(":")[1] for line in out.splitlines()] == ["9"]


def test_broken_or_missing_baseline_is_exit_2(project, run_cli):
    (project / "model.py").write_text(BAD)
    (project / "broken.json").write_text("{not json")
    for name in ("broken.json", "missing.json"):
        code, out, err = run_cli("model.py", "--baseline", name)
        assert code == 2 and name in err and "Traceback" not in err
