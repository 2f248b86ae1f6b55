"""bench/corpora.py and bench/lint_corpora.py: pinned corpora unpacked in FINDINGS' layout, findings diffed."""

from __future__ import annotations

import importlib.util
import io
import re
import sys
import tarfile
import types
import zipfile
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


def _load(name: str) -> types.ModuleType:
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses resolve their module by name; lint_corpora imports corpora
    spec.loader.exec_module(module)
    return module


corpora = _load("corpora")
lint_corpora = _load("lint_corpora")

LOG_OF_SIGMOID = "import tensorflow as tf\n\n\ndef loss(z):\n    return tf.math.log(tf.sigmoid(z))\n"
# NAN005 under --preview only: nothing in the module shows that the norm is differentiated
PREVIEW_ONLY = "import tensorflow as tf\n\n\ndef distance(a, b):\n    return tf.norm(a - b, axis=-1)\n"


def test_every_distribution_is_pinned_and_every_corpus_named_once():
    names = [corpus.name for corpus in corpora.TABLE]
    assert len(names) == len(set(names))
    for corpus in corpora.TABLE:
        assert bool(corpus.shared) != bool(corpus.distributions), corpus.name
        for distribution in corpus.distributions:
            assert re.fullmatch(r"[A-Za-z0-9._-]+==[0-9][0-9a-z.]*", distribution.requirement)


@pytest.fixture
def work(tmp_path, monkeypatch):
    monkeypatch.setattr(corpora, "DISTS", tmp_path / "dists")
    monkeypatch.setattr(corpora, "CORPORA", tmp_path / "corpora")
    (tmp_path / "dists").mkdir()
    return tmp_path


def _wheel(path: Path, members: dict[str, str]) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)


def _sdist(path: Path, members: dict[str, str]) -> None:
    with tarfile.open(path, "w:gz") as archive:
        for name, text in members.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))


def test_a_wheel_unpacks_into_its_own_folder_and_an_sdist_as_laid_out(work):
    _wheel(work / "dists" / "demo_lib-1.0-py3-none-any.whl",
           {"demo_lib/a.py": "x = 1\n", "demo_lib/data.json": "{}", "demo_lib/nb.ipynb": "{}",
            "demo_lib-1.0.dist-info/METADATA": ""})
    _sdist(work / "dists" / "demo-tool-2.0.tar.gz",
           {"demo-tool-2.0/setup.py": "", "demo-tool-2.0/demo_tool/b.py": "", "demo-tool-2.0/README.md": ""})
    corpus = corpora.Corpus("demo", corpora._pinned("demo-lib==1.0", "demo-tool==2.0"))
    root = corpora.build(corpus)  # both archives are there: pip is not asked
    found = sorted(path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file())
    assert found == ["demo-tool-2.0/demo_tool/b.py", "demo-tool-2.0/setup.py",
                     "demo_lib-1.0-py3-none-any/demo_lib/a.py", "demo_lib-1.0-py3-none-any/demo_lib/nb.ipynb"]
    assert not root.with_name("demo.partial").exists()


def test_include_keeps_the_subset_findings_read(work):
    _wheel(work / "dists" / "big-4.0-py3-none-any.whl",
           {"big/models/bert/modeling_tf_bert.py": "", "big/models/bert/modeling_bert.py": "",
            "big/modeling_tf_utils.py": ""})
    corpus = corpora.Corpus("subset", (corpora.Distribution("big==4.0", "*/modeling_tf_*.py"),))
    root = corpora.build(corpus)
    assert sorted(path.name for path in root.rglob("*.py")) == ["modeling_tf_bert.py", "modeling_tf_utils.py"]


def test_a_shared_corpus_is_referenced_in_place(work, monkeypatch):
    monkeypatch.setattr(corpora, "SHARED", work / "shared")
    corpus = corpora.Corpus("scripts", shared="corpora/scripts")
    with pytest.raises(FileNotFoundError):
        corpora.build(corpus)
    (work / "shared" / "corpora" / "scripts").mkdir(parents=True)
    assert corpora.build(corpus) == work / "shared" / "corpora" / "scripts"


def test_the_findings_are_linted_with_paths_relative_to_the_corpus(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "loss.py").write_text(LOG_OF_SIGMOID)
    findings = lint_corpora.lint(tmp_path, preview=False)
    assert [line.split(" ")[:2] for line in findings] == [["pkg/loss.py:5:12:", "NAN001"]]


def test_the_diff_counts_lines_as_a_multiset():
    added, removed = lint_corpora.difference(["a", "b", "b"], ["b", "c"])
    assert (added, removed) == (["a", "b"], ["c"])


def test_update_writes_the_baseline_and_a_second_run_reports_no_change(work, monkeypatch, capsys):
    (work / "shared" / "demo").mkdir(parents=True)
    (work / "shared" / "demo" / "loss.py").write_text(LOG_OF_SIGMOID)
    monkeypatch.setattr(corpora, "SHARED", work / "shared")
    monkeypatch.setattr(corpora, "BY_NAME", {"demo": corpora.Corpus("demo", shared="demo")})
    monkeypatch.setattr(lint_corpora, "BASELINES", work / "baselines")
    monkeypatch.setattr(sys, "argv", ["lint_corpora.py", "demo", "--update", "--output", str(work / "out")])
    assert lint_corpora.main() == 0
    assert "demo: 1 findings (baseline 0, no baseline): +1 -0" in capsys.readouterr().out
    assert (work / "baselines" / "demo.txt").read_text() == (work / "out" / "demo.txt").read_text()
    monkeypatch.setattr(sys, "argv", ["lint_corpora.py", "demo", "--output", str(work / "out")])
    assert lint_corpora.main() == 0
    assert capsys.readouterr().out == "demo: 1 findings (baseline 1): +0 -0\n"


def test_both_reads_the_default_report_off_one_preview_run(tmp_path):
    """--both: the default findings are the --preview findings less the preview ones, printed as `lint` prints."""
    (tmp_path / "pkg").mkdir()
    # a by-construction finding (log of a sigmoid) and a preview-only one (a helper nothing here differentiates)
    (tmp_path / "pkg" / "loss.py").write_text(LOG_OF_SIGMOID)
    (tmp_path / "pkg" / "helper.py").write_text(PREVIEW_ONLY)
    default, preview = lint_corpora.lint_both(tmp_path)
    assert default == lint_corpora.lint(tmp_path, preview=False)
    assert preview == lint_corpora.lint(tmp_path, preview=True)
    assert len(default) < len(preview)
