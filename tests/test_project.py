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


def test_an_absolute_import_does_not_resolve_into_a_sub_package_s_directory(tmp_path):
    # keras/src/backend/jax/math.py's `import jax.numpy as jnp` is the installed jax, not the sibling numpy.py
    paths = _write(tmp_path, {name: "" for name in ("keras/__init__.py", "keras/src/__init__.py",
                                                    "keras/src/backend/__init__.py", "keras/src/backend/jax/__init__.py",
                                                    "keras/src/backend/jax/numpy.py", "keras/src/backend/jax/math.py",
                                                    "keras/src/ops/core.py")})
    project = Project(paths)
    math = str(tmp_path / "keras/src/backend/jax/math.py")
    assert project.resolve(math, "jax.numpy") is None
    assert project.resolve(math, "numpy") == str(tmp_path / "keras/src/backend/jax/numpy.py")  # Python 2's relative
    assert project.resolve(math, "keras.src.ops.core") == str(tmp_path / "keras/src/ops/core.py")


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


# A backbone class in one file, a loss in another, the training code that connects them in a third (the shape of
# C3AE, bench/bugs/log-domain-c3ae-linear-feats-kl-loss-cross-file).
NETWORK = """import tensorflow as tf


def head(x, n):
    return tf.layers.dense(x, n, activation=None)


class Network(object):
    def inference(self, inputs):
        feats = head(inputs, 12)
        return feats, head(feats, 1)
"""
LOSSES = "import tensorflow as tf\n\n\ndef kl_loss(preds, labels):\n    return tf.reduce_sum(labels * tf.log(preds + 1e-10))\n"
RUN = """from network import Network
from losses import kl_loss


class Net:
    def __init__(self, img, labels):
        self.labels = labels
        backbone = Network()
        self.feats, self.pred = backbone.inference(img)

    def loss(self):
        return kl_loss(self.feats, self.labels)
"""


def _lint_project(run_cli, tmp_path, files: dict[str, str], *args: str) -> str:
    _write(tmp_path, files)
    os.chdir(tmp_path)
    _, out, _ = run_cli(*sorted(files), "--isolated", *args)
    return out


def test_a_parameter_takes_what_another_file_passes_through_a_class_of_a_third(run_cli, tmp_path):
    out = _lint_project(run_cli, tmp_path, {"network.py": NETWORK, "losses.py": LOSSES, "run.py": RUN}, "--no-cache")
    assert "losses.py:5:" in out and "linear output" in out
    assert "Network.inference() in network.py" in out and "in run.py" in out  # the path the value took


def test_arguments_cross_into_another_files_function(run_cli, tmp_path):
    helper = "import tensorflow as tf\n\n\ndef squash(x, act=tf.nn.relu):\n    return act(x)\n"
    user = "import tensorflow as tf\nfrom helper import squash\n\np = squash(h, act=tf.nn.sigmoid)\nloss = tf.log(p)\n"
    safe = user.replace("tf.nn.sigmoid", "tf.nn.softplus")
    assert "user.py:5:" in _lint_project(run_cli, tmp_path, {"helper.py": helper, "user.py": user}, "--no-cache")
    assert "user.py:5:" not in _lint_project(run_cli, tmp_path, {"helper.py": helper, "user.py": safe}, "--no-cache")


def test_a_causal_mask_made_by_a_class_of_another_file_keeps_a_key_in_every_row(run_cli, tmp_path):
    masks = ("import tensorflow as tf\n\n\nclass ProbMask:\n    def __init__(self, n):\n"
             "        self._mask = tf.cast(MADE, tf.bool)\n\n    @property\n    def mask(self):\n"
             "        return self._mask\n")
    user = ("import numpy as np\nimport tensorflow as tf\nfrom masks import ProbMask\n\n\ndef attend(scores, n):\n"
            "    attn_mask = ProbMask(n).mask\n    return tf.nn.softmax(tf.where(attn_mask, -np.inf, scores))\n")
    causal = masks.replace("MADE", "1 - tf.linalg.band_part(tf.ones([n, n]), -1, 0)")
    padding = masks.replace("MADE", "tf.math.equal(tf.ones([n, n]), 0)")
    assert "NAN007" not in _lint_project(run_cli, tmp_path, {"masks.py": causal, "user.py": user}, "--no-cache")
    assert "user.py:8:" in _lint_project(run_cli, tmp_path, {"masks.py": padding, "user.py": user}, "--no-cache")


def test_a_layer_class_of_another_file_called_on_a_value(run_cli, tmp_path):
    layers = ("import tensorflow as tf\n\n\nclass Head(tf.keras.layers.Layer):\n"
              "    def call(self, inputs):\n        return tf.nn.softmax(inputs)\n")
    user = "import tensorflow as tf\nfrom layers import Head\n\nprobs = Head()(h)\nloss = -tf.reduce_mean(tf.math.log(probs))\n"
    out = _lint_project(run_cli, tmp_path, {"layers.py": layers, "user.py": user}, "--no-cache")
    assert "user.py:5:" in out and "Head.call() in layers.py" in out


def test_a_file_is_re_linted_when_a_file_calling_it_changes(run_cli, tmp_path):
    files = {"network.py": NETWORK, "losses.py": LOSSES, "run.py": RUN}
    cache = str(tmp_path / "cache")
    assert "losses.py:5:" in _lint_project(run_cli, tmp_path, files, "--cache-dir", cache)
    # the caller now passes a softmax: losses.py's cached finding must go although losses.py did not change
    (tmp_path / "run.py").write_text(RUN.replace("kl_loss(self.feats,", "kl_loss(tf.nn.softmax(self.feats),")
                                     .replace("from network", "import tensorflow as tf\nfrom network"))
    _, out, _ = run_cli(*sorted(files), "--isolated", "--cache-dir", cache)
    assert "losses.py:5:" not in out
    # and when the class the caller uses changes (a file losses.py does not import at all)
    (tmp_path / "run.py").write_text(RUN)
    (tmp_path / "network.py").write_text(NETWORK.replace("feats = head(inputs, 12)", "feats = tf.nn.softmax(head(inputs, 12))"))
    _, out, _ = run_cli(*sorted(files), "--isolated", "--cache-dir", cache)
    assert "losses.py:5:" not in out


def test_dependency_digest_covers_importers_and_their_imports(tmp_path):
    source = b"def kl_loss(a, b):\n    return a\n"
    paths = _write(tmp_path, {"losses.py": source.decode(), "run.py": "import losses\nimport network\n\nlosses.kl_loss(1, 2)\n",
                              "network.py": "y = 1\n", "other.py": "z = 1\n",
                              "api.py": "from losses import kl_loss\nimport other\n"})  # re-exports, calls nothing
    losses = str(tmp_path / "losses.py")
    project = Project(paths)
    assert project.importers(losses) == [str(tmp_path / "api.py"), str(tmp_path / "run.py")]
    before = project.dependency_digest(losses, source)
    (tmp_path / "network.py").write_text("y = 2\n")  # imported by losses.py's caller
    assert Project(paths).dependency_digest(losses, source) != before
    after = Project(paths).dependency_digest(losses, source)
    (tmp_path / "other.py").write_text("z = 2\n")  # imported only by a file that calls nothing of losses.py
    assert Project(paths).dependency_digest(losses, source) == after


def test_callers_in_other_files_are_found_by_name_and_import(tmp_path):
    paths = _write(tmp_path, {"losses.py": LOSSES, "run.py": RUN, "unrelated.py": "def kl_loss(a, b):\n    pass\n\nkl_loss(1, 2)\n"})
    callers = Project(paths).callers(str(tmp_path / "losses.py"), "kl_loss")
    assert [(os.path.basename(analysis.path), call.site.statement is not None) for analysis, call in callers] == [
        ("run.py", True)]


def test_an_attribute_of_an_instance_of_another_files_class(run_cli, tmp_path):
    model = ("import tensorflow as tf\n\n\nclass Net:\n    def __init__(self, h):\n"
             "        self.probs = tf.nn.softmax(h)\n")
    user = "import tensorflow as tf\nfrom model import Net\n\nnet = Net(h)\nloss = -tf.reduce_sum(tf.log(net.probs))\n"
    out = _lint_project(run_cli, tmp_path, {"model.py": model, "user.py": user}, "--no-cache")
    assert "user.py:5:" in out and "Net.probs in model.py" in out


MASKED_LOG = """import tensorflow as tf


def masked_log(x):
    return tf.where(tf.not_equal(x, 0.0), tf.math.log(x), tf.zeros_like(x))
"""


def test_a_helper_called_from_differentiated_code_of_another_file_is_differentiated(run_cli, tmp_path):
    # where's untaken log(0) is a gradient-only hazard: reported by default once a loss in train.py uses it
    train = ("import tensorflow as tf\nfrom utils import masked_log\n\n\ndef entropy_loss(y_true, y_pred):\n"
             "    return -tf.reduce_sum(y_pred * masked_log(y_pred))\n\n\nmodel.compile(loss=entropy_loss)\n")
    out = _lint_project(run_cli, tmp_path, {"utils.py": MASKED_LOG, "train.py": train}, "--no-cache")
    assert "utils.py:5:" in out and "called at train.py:6 from" in out and "loss" in out
    # a caller that only reports a statistic is no evidence: the finding stays opt-in
    report = "from utils import masked_log\n\nprint(masked_log(counts))\n"
    assert "utils.py:5:" not in _lint_project(run_cli, tmp_path, {"utils.py": MASKED_LOG, "report.py": report},
                                              "--no-cache")


def test_a_module_imported_from_its_package_is_an_import_of_that_file(tmp_path):
    # `from object_detection.core import box_list_ops` (no __init__.py) then `box_list_ops.matched_iou(...)`
    ops = "def matched_iou(a, b):\n    return a\n"
    losses = ("from object_detection.core import box_list, box_list_ops as ops\nfrom . import (helpers)\n\n"
              "def f(a, b):\n    return ops.matched_iou(a, b)\n")
    paths = _write(tmp_path, {"object_detection/core/box_list_ops.py": ops, "object_detection/core/box_list.py": "",
                              "object_detection/core/losses.py": losses, "object_detection/core/helpers.py": ""})
    project = Project(paths)
    core = tmp_path / "object_detection/core"
    assert project.importers(str(core / "box_list_ops.py")) == [str(core / "losses.py")]
    assert project.importers(str(core / "helpers.py")) == [str(core / "losses.py")]
    callers = project.callers(str(core / "box_list_ops.py"), "matched_iou")
    assert [(os.path.basename(analysis.path), call.qualified_name) for analysis, call in callers] == [
        ("losses.py", "object_detection.core.box_list_ops.matched_iou")]


def test_an_importer_counts_as_a_caller_only_where_it_writes_the_name_before_a_parenthesis(tmp_path):
    source = b"def kl_loss(a, b):\n    return a\n"
    calls = {"kl_loss(1, 2)": True, "kl_loss (1, 2)": True, "losses.kl_loss(\n1, 2)": True,
             "xkl_loss(1, 2)": False, "kl_loss2(1, 2)": False, "f = kl_loss": False, "# kl_loss": False}
    for index, (call, counted) in enumerate(calls.items()):
        root = tmp_path / str(index)
        paths = _write(root, {"losses.py": source.decode(), "run.py": f"import losses\nimport network\n{call}\n",
                              "network.py": "y = 1\n"})
        losses = str(root / "losses.py")
        before = Project(paths).dependency_digest(losses, source)
        (root / "network.py").write_text("y = 2\n")  # imported by run.py: in losses.py's key only if run.py calls
        assert (Project(paths).dependency_digest(losses, source) != before) is counted, call


def test_a_helper_is_re_linted_when_a_caller_starts_differentiating_it(run_cli, tmp_path):
    cache = str(tmp_path / "cache")
    report = "from utils import masked_log\n\nprint(masked_log(counts))\n"
    files = {"utils.py": MASKED_LOG, "train.py": report}
    assert "utils.py:5:" not in _lint_project(run_cli, tmp_path, files, "--cache-dir", cache)
    # utils.py is unchanged; its cached (empty) result must not survive the caller's new loss
    (tmp_path / "train.py").write_text("import tensorflow as tf\nfrom utils import masked_log\n\n\n"
                                       "def entropy_loss(y_true, y_pred):\n"
                                       "    return -tf.reduce_sum(y_pred * masked_log(y_pred))\n\n\n"
                                       "model.compile(loss=entropy_loss)\n")
    _, out, _ = run_cli(*sorted(files), "--isolated", "--cache-dir", cache)
    assert "utils.py:5:" in out and "called at train.py:6" in out


def test_a_file_linted_after_its_summary_is_converted_once_with_the_same_findings(tmp_path, monkeypatch):
    from nanlint import frontend, project
    from nanlint.runner import read_and_lint

    paths = _write(tmp_path, {"train.py": TRAIN, "model.py": MODEL})
    conversions: list[str] = []
    convert = frontend.convert
    monkeypatch.setattr(frontend, "convert", lambda tree, text: conversions.append(text) or convert(tree, text))

    def lint_all() -> list[str]:
        return [str(finding) for path in paths for finding in read_and_lint(path).findings]

    alone = lint_all()  # no project: model.py is not a summary for train.py
    assert sorted(conversions) == sorted([TRAIN, MODEL])
    conversions.clear()
    monkeypatch.setattr(project, "_CURRENT", Project(paths))
    shared = lint_all()
    # train.py's lint builds model.py's summary; model.py's own lint reuses that tree instead of converting again
    assert sorted(conversions) == sorted([TRAIN, MODEL])
    assert any("softmax output" in finding for finding in shared) and len(shared) == len(alone) + 1
