"""Project-wide flow: imports of the linted project's own files, their summaries, and cache invalidation."""

from __future__ import annotations

import os

from nanlint.project import Project

MODEL = "import tensorflow as tf\n\n\ndef head(h, w):\n    return tf.nn.softmax(tf.matmul(h, w))\n"
CLIPPED = "import tensorflow as tf\n\n\ndef head(h, w):\n    return tf.clip_by_value(tf.nn.softmax(tf.matmul(h, w)), 1e-7, 1.0)\n"
TRAIN = "import tensorflow as tf\nfrom model import head\n\np = head(h, w)\nloss = -tf.reduce_mean(tf.log(p))\n"


def _write(root, files: dict[str, str]) -> list[str]:
    paths = []
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        paths.append(str(path))
    return paths


def test_imports_resolve_to_project_files_from_the_importer_upwards(tmp_path):
    paths = _write(tmp_path, {"model.py": MODEL, "pkg/__init__.py": "", "pkg/layers.py": "", "pkg/sub/net.py": "",
                              "pkg/sub/util.py": ""})
    project = Project(paths)
    net = str(tmp_path / "pkg/sub/net.py")
    assert project.resolve(net, "model") == str(tmp_path / "model.py")  # a directory above the importer
    assert project.resolve(net, "pkg.layers") == str(tmp_path / "pkg/layers.py")
    assert project.resolve(net, "pkg") == str(tmp_path / "pkg/__init__.py")
    assert project.resolve(net, "util", level=1) == str(tmp_path / "pkg/sub/util.py")  # from .util import
    assert project.resolve(net, "layers", level=2) == str(tmp_path / "pkg/layers.py")  # from ..layers import
    assert project.resolve(net, "tensorflow") is None
    assert project.function_source(net, "..layers.f") == (str(tmp_path / "pkg/layers.py"), "f")
    assert project.function_source(net, "tensorflow.math.log") is None


def test_dependency_digest_follows_imports_transitively_and_changes_with_them(tmp_path):
    paths = _write(tmp_path, {"a.py": "from b import f\n", "b.py": "import c\n", "c.py": "x = 1\n", "d.py": "y = 2\n"})
    a = str(tmp_path / "a.py")
    before = Project(paths).dependency_digest(a, b"from b import f\n")
    assert before
    (tmp_path / "d.py").write_text("y = 3\n")  # not imported: no change
    assert Project(paths).dependency_digest(a, b"from b import f\n") == before
    (tmp_path / "c.py").write_text("x = 2\n")  # imported through b: a's key changes
    assert Project(paths).dependency_digest(a, b"from b import f\n") != before
    assert Project(paths).dependency_digest(str(tmp_path / "d.py"), b"y = 3\n") == b""


def test_a_function_of_another_file_and_editing_it_re_lints_its_user(tmp_path, run_cli):
    _write(tmp_path, {"model.py": MODEL, "train.py": TRAIN})
    cache = str(tmp_path / "cache")
    os.chdir(tmp_path)
    code, out, _ = run_cli("train.py", "model.py", "--isolated", "--cache-dir", cache)
    assert "train.py:5:" in out and "softmax output" in out and "model.py" in out
    (tmp_path / "model.py").write_text(CLIPPED)  # the helper is fixed: train.py's cached finding must go
    code, out, _ = run_cli("train.py", "model.py", "--isolated", "--cache-dir", cache)
    assert "train.py:5:" not in out
