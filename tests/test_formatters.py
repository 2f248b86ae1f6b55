"""Every output format, checked for the shape its consumers (editors, GitHub, tools) require."""

from __future__ import annotations

import json

from conftest import BAD


def _two_findings(project):
    (project / "src").mkdir()
    (project / "src" / "model.py").write_text(BAD + "\n\ny = tf.math.log(tf.nn.softmax(q))  # a, b: 100%\n")


def test_concise(project, run_cli):
    _two_findings(project)
    _, out, _ = run_cli("src", "--output-format", "concise")
    assert [line.split(" NAN")[0] for line in out.splitlines()] == ["src/model.py:5:12:", "src/model.py:8:5:"]


def test_full_shows_the_source_line_and_a_caret_under_the_column(project, run_cli):
    _two_findings(project)
    _, out, _ = run_cli("src", "--output-format", "full")
    block = out.split("\n\n")[0].splitlines()
    assert block[0].startswith("src/model.py:5:12: NAN001")
    assert block[1].endswith("return tf.math.log(tf.sigmoid(z))")
    caret_line = block[2]
    source_line = block[1]
    assert caret_line.index("^") == source_line.index("tf.math.log")
    assert caret_line.count("^") == len("tf.math.log(tf.sigmoid(z))")


def test_json_fields(project, run_json):
    _two_findings(project)
    code, data, _ = run_json("src")
    assert code == 1
    first = data[0]
    assert set(first) >= {"code", "message", "filename", "location", "end_location", "fingerprint", "fix", "verdict"}
    assert first["location"] == {"row": 5, "column": 12} and first["end_location"] == {"row": 5, "column": 38}


def test_json_lines_is_one_object_per_line(project, run_cli):
    _two_findings(project)
    _, out, _ = run_cli("src", "--output-format", "json-lines")
    rows = [json.loads(line) for line in out.splitlines()]
    assert [row["location"]["row"] for row in rows] == [5, 8]


def test_github_escapes_properties_and_data(project, run_cli):
    (project / "a,b:c.py").write_text(BAD)
    _, out, _ = run_cli("a,b:c.py", "--output-format", "github")
    assert out.startswith("::error title=nanlint (NAN001),file=a%2Cb%3Ac.py,line=5,col=12,endLine=5,endColumn=38::NAN001 ")
    assert out.count("\n") == 1


def _validate_sarif(report: dict) -> None:
    """The parts of SARIF 2.1.0 that GitHub code scanning requires."""
    assert report["version"] == "2.1.0" and report["$schema"].endswith("sarif-2.1.0.json")
    [run] = report["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "nanlint" and driver["version"]
    ids = [rule["id"] for rule in driver["rules"]]
    assert len(ids) == len(set(ids))
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["help"]["text"] and rule["helpUri"].startswith("https://")
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
    for result in run["results"]:
        assert result["ruleId"] in ids and ids[result["ruleIndex"]] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note") and result["message"]["text"]
        [location] = result["locations"]
        physical = location["physicalLocation"]
        uri = physical["artifactLocation"]["uri"]
        assert not uri.startswith("/") and "\\" not in uri
        region = physical["region"]
        assert 1 <= region["startLine"] <= region["endLine"] and region["startColumn"] >= 1
        assert result["partialFingerprints"]["primaryLocationLineHash"]


def test_sarif_has_what_code_scanning_requires(project, run_cli):
    _two_findings(project)
    _, out, _ = run_cli(str(project / "src"), "--output-format", "sarif")
    report = json.loads(out)
    _validate_sarif(report)
    assert [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in report["runs"][0]["results"]] == [
        "src/model.py",
        "src/model.py",
    ]


def test_sarif_fingerprint_survives_lines_moving_above_but_not_a_change_of_the_statement(project, run_cli):
    path = project / "model.py"
    path.write_text(BAD)
    before = json.loads(run_cli("model.py", "--output-format", "sarif")[1])["runs"][0]["results"][0]
    path.write_text("# a new comment\nimport os\n\n" + BAD)
    moved = json.loads(run_cli("model.py", "--output-format", "sarif")[1])["runs"][0]["results"][0]
    path.write_text(BAD.replace("tf.sigmoid(z)", "tf.sigmoid(2 * z)"))
    changed = json.loads(run_cli("model.py", "--output-format", "sarif")[1])["runs"][0]["results"][0]
    key = "primaryLocationLineHash"
    assert moved["locations"][0]["physicalLocation"]["region"]["startLine"] == 8
    assert before["partialFingerprints"][key] == moved["partialFingerprints"][key]
    assert before["partialFingerprints"][key] != changed["partialFingerprints"][key]


def test_sarif_with_no_findings_is_still_valid(project, run_cli):
    code, out, _ = run_cli(".", "--output-format", "sarif")
    assert code == 0
    report = json.loads(out)
    _validate_sarif(report)
    assert report["runs"][0]["results"] == []
