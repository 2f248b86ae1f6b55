"""Project-wide flow: imports of the linted project's own files, their summaries, and cache invalidation."""

from __future__ import annotations

import os

import pytest

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
    safe = user.replace("tf.nn.sigmoid", "tf.exp")
    softplus = user.replace("tf.nn.sigmoid", "tf.nn.softplus")
    assert "user.py:5:" in _lint_project(run_cli, tmp_path, {"helper.py": helper, "user.py": user}, "--no-cache")
    assert "user.py:5:" not in _lint_project(run_cli, tmp_path, {"helper.py": helper, "user.py": safe}, "--no-cache")
    # a softplus is 0 where exp underflows, like the sigmoid (session 14)
    assert "softplus output" in _lint_project(run_cli, tmp_path, {"helper.py": helper, "user.py": softplus},
                                              "--no-cache")


def test_a_numpy_helper_divides_by_what_a_keras_file_passes_it(run_cli, tmp_path):
    # DenseDepth: a NumPy-only helper (outside TF/Keras: only its measured mechanisms run there) divides by a depth
    # that a keras Sequence clips at 0; the zero is made in framework code, so the division is judged as that code's
    helper = "import numpy as np\n\n\ndef depth_norm(x, max_depth):\n    return max_depth / x\n"
    data = ("import numpy as np\nfrom tensorflow.keras.utils import Sequence\nfrom utils import depth_norm\n\n\n"
            "class Depths(Sequence):\n    def __getitem__(self, idx):\n"
            "        y = np.clip(self.raw[idx] / 255 * 1000.0, {low}, 1000.0)\n"
            "        return depth_norm(y, max_depth=1000.0)\n")
    out = _lint_project(run_cli, tmp_path, {"utils.py": helper, "data.py": data.format(low=0)}, "--no-cache")
    assert "utils.py:5:" in out and "in data.py" in out
    assert "utils.py:5:" not in _lint_project(run_cli, tmp_path, {"utils.py": helper, "data.py": data.format(low=10)},
                                              "--no-cache")
    # a NumPy caller is no framework code: the helper stays outside
    numpy_caller = "import numpy as np\nfrom utils import depth_norm\n\ny = depth_norm(np.clip(raw, 0, 1.0), 1.0)\n"
    assert "utils.py:5:" not in _lint_project(run_cli, tmp_path, {"utils.py": helper, "data.py": numpy_caller},
                                              "--no-cache")


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


# Cache invalidation by recorded dependencies: a1.py and a2.py use b.f, whose summary reads d.g; b.py also imports
# c.py, which nothing a1.py or a2.py uses reads.
USES_B = "import tensorflow as tf\nfrom b import f\n\nloss = tf.math.log(f(x))\n"
B = ("import tensorflow as tf\nimport c\nfrom d import g\n\n\ndef f(x):\n    return g(x)\n\n\n"
     "def h(x):\n    return c.k(x)\n")
C = "import tensorflow as tf\n\n\ndef k(x):\n    return tf.nn.relu(x)\n"
D = "import tensorflow as tf\n\n\ndef g(x):\n    return tf.nn.softmax(x)\n"


def test_a_file_depends_on_what_a_summary_it_used_had_read_while_another_file_was_linted(tmp_path, monkeypatch):
    from nanlint import project as project_module
    from nanlint.linter import lint_bytes

    paths = _write(tmp_path, {"a.py": USES_B, "b.py": B, "c.py": C, "d.py": D})
    a, b, c, d = (str(tmp_path / name) for name in ("a.py", "b.py", "c.py", "d.py"))

    def recorded(project: Project) -> set[str]:
        monkeypatch.setattr(project_module, "_CURRENT", project)
        result, dependencies = project.recorded(lambda: lint_bytes(USES_B.encode(), a))
        assert "softmax output" in str(result.findings)
        assert project.unchanged(dependencies)
        return {path for path, _ in dependencies.files}

    assert recorded(Project(paths)) == {b, d}  # f of b.py, and g of d.py that b.py's summary read for it
    project = Project(paths)
    summary = project.analysis(b)
    assert summary is not None and project.symbol(summary, "c.k") is not None  # b.py's summary read c.py earlier
    # a.py's lint may reuse a fact of b.py's summary computed then (memoized): c.py is a dependency too
    assert recorded(project) == {b, c, d}


@pytest.fixture
def linted(monkeypatch):
    """The display paths each run lints (rather than answers from the cache), in the run's own process."""
    from nanlint import linter

    paths: list[str] = []
    lint_bytes = linter.lint_bytes

    def counting(data: bytes, path: str, *args, **kwargs):
        paths.append(path)
        return lint_bytes(data, path, *args, **kwargs)

    monkeypatch.setattr(linter, "lint_bytes", counting)
    return paths


def _relint(run_cli, tmp_path, linted: list[str], *args: str) -> tuple[str, list[str]]:
    """A cached run over every .py file under tmp_path: (its report, the files it linted)."""
    os.chdir(tmp_path)
    linted.clear()
    files = sorted(str(path.relative_to(tmp_path)) for path in tmp_path.rglob("*.py"))
    _, out, _ = run_cli(*files, "--isolated", "--cache-dir", str(tmp_path / "cache"), *args)
    return out, sorted(linted)


def test_editing_a_helper_re_lints_the_files_that_used_its_summary_not_every_importer(run_cli, tmp_path, linted):
    _write(tmp_path, {"a1.py": USES_B, "a2.py": USES_B, "b.py": B, "c.py": C, "d.py": D})
    out, _ = _relint(run_cli, tmp_path, linted)
    assert "a1.py:4:" in out and "a2.py:4:" in out
    # c.py is imported by b.py, which both use, but neither one's analysis read c.py's summary
    (tmp_path / "c.py").write_text(C.replace("relu", "sigmoid"))
    out, relinted = _relint(run_cli, tmp_path, linted)
    assert "a1.py" not in relinted and "a2.py" not in relinted and "c.py" in relinted
    assert "a1.py:4:" in out and "a2.py:4:" in out
    # d.py is read through b.py's summary, which a1.py computed and a2.py reused: both are re-linted, and the
    # finding goes with the helper's fix
    (tmp_path / "d.py").write_text(D.replace("tf.nn.softmax(x)", "tf.clip_by_value(tf.nn.softmax(x), 1e-7, 1.0)"))
    out, relinted = _relint(run_cli, tmp_path, linted)
    assert {"a1.py", "a2.py"} <= set(relinted)
    assert "a1.py:4:" not in out and "a2.py:4:" not in out
    assert out == run_cli(*sorted(str(path.relative_to(tmp_path)) for path in tmp_path.rglob("*.py")),
                          "--isolated", "--no-cache")[1]


def test_a_new_file_calling_a_function_re_lints_it(run_cli, tmp_path, linted):
    _write(tmp_path, {"network.py": NETWORK, "losses.py": LOSSES})
    out, _ = _relint(run_cli, tmp_path, linted)
    assert "losses.py:5:" not in out
    # losses.py and network.py are unchanged; run.py passes kl_loss a linear output
    _write(tmp_path, {"run.py": RUN})
    out, relinted = _relint(run_cli, tmp_path, linted)
    assert "losses.py" in relinted and "losses.py:5:" in out


def test_a_new_module_that_shadows_an_import_re_lints_the_importer(run_cli, tmp_path, linted):
    user = "import tensorflow as tf\nfrom helpers import head\n\np = head(h, w)\nloss = -tf.reduce_mean(tf.log(p))\n"
    _write(tmp_path, {"helpers.py": MODEL, "pkg/user.py": user})
    out, _ = _relint(run_cli, tmp_path, linted)
    assert "user.py:5:" in out
    # `from helpers import head` in pkg/ now finds pkg/helpers.py first; user.py and helpers.py are unchanged
    _write(tmp_path, {"pkg/helpers.py": CLIPPED})
    out, relinted = _relint(run_cli, tmp_path, linted)
    assert os.path.join("pkg", "user.py") in relinted and "user.py:5:" not in out


def test_a_comment_in_another_file_can_be_part_of_a_finding_so_editing_it_re_lints(run_cli, tmp_path, linted):
    # the dependency digest is of the bytes, comments included: a message quotes the caller's code as written
    run = RUN.replace("kl_loss(self.feats, self.labels)", "kl_loss(self.feats,  # raw\n                       self.labels)")
    _write(tmp_path, {"network.py": NETWORK, "losses.py": LOSSES, "run.py": run})
    out, _ = _relint(run_cli, tmp_path, linted)
    assert "kl_loss(self.feats, # raw self.labels" in out
    _write(tmp_path, {"run.py": run.replace("# raw", "# linear")})
    out, relinted = _relint(run_cli, tmp_path, linted)
    assert "losses.py" in relinted and "kl_loss(self.feats, # linear self.lab" in out


def test_cached_and_uncached_findings_are_the_same_through_edits_of_a_project(run_cli, tmp_path, linted):
    # more files than the runner lints in its own process: workers lint and record, the parent checks
    fillers = {f"filler{index}.py": f"x{index} = {index}\n" for index in range(16)}
    _write(tmp_path, {**fillers, "a1.py": USES_B, "a2.py": USES_B, "b.py": B, "c.py": C, "d.py": D,
                      "network.py": NETWORK, "losses.py": LOSSES, "utils.py": MASKED_LOG,
                      "train.py": "from utils import masked_log\n\nprint(masked_log(counts))\n"})
    edits: list[dict[str, str | None]] = [
        {},
        {"d.py": D.replace("tf.nn.softmax(x)", "tf.clip_by_value(tf.nn.softmax(x), 1e-7, 1.0)")},
        {"run.py": RUN},  # a new caller of losses.py's kl_loss
        {"train.py": "import tensorflow as tf\nfrom utils import masked_log\n\n\ndef entropy_loss(y_true, y_pred):\n"
                     "    return -tf.reduce_sum(y_pred * masked_log(y_pred))\n\n\nmodel.compile(loss=entropy_loss)\n"},
        {"d.py": D, "c.py": C.replace("relu", "sigmoid")},
        {"sub/b.py": B.replace("from d import g", "from c import k as g"), "sub/a3.py": USES_B},
        {"sub/b.py": None},  # removed: sub/a3.py's `from b import f` finds b.py again
    ]
    for edit in edits:
        _write(tmp_path, {name: text for name, text in edit.items() if text is not None})
        for name in (name for name, text in edit.items() if text is None):
            (tmp_path / name).unlink()
        cached, _ = _relint(run_cli, tmp_path, linted, "--jobs", "2", "--force-jobs")
        uncached, _ = _relint(run_cli, tmp_path, linted, "--no-cache")
        assert cached == uncached, edit
    assert "losses.py:5:" in cached and "utils.py:5:" in cached


FOCAL_FACTORY = """import tensorflow as tf


def focal(alpha=0.25, gamma=2.0):
    def _focal(y_true, logits):
        p = tf.sigmoid(logits)
        weight = tf.where(tf.equal(y_true, 1), 1 - p, p)
        return tf.reduce_sum(alpha * weight ** gamma)
    return _focal
"""


def test_a_package_module_imported_with_from_dot_import_is_that_file(tmp_path):
    # keras-retinanet's bin/train.py: `from . import losses` then `losses.focal(...)`; `from .. import` one level up
    train = "from . import losses\nfrom .. import utils\n\nlosses.focal(gamma=0.5)\nutils.helper(1)\n"
    paths = _write(tmp_path, {"pkg/__init__.py": "", "pkg/sub/__init__.py": "", "pkg/sub/losses.py": FOCAL_FACTORY,
                              "pkg/sub/train.py": train, "pkg/utils.py": "def helper(x):\n    return x\n"})
    project = Project(paths)
    sub = tmp_path / "pkg/sub"
    callers = project.callers(str(sub / "losses.py"), "focal")
    assert [(os.path.basename(analysis.path), analysis.imports.project_name(call.node.func))
            for analysis, call in callers] == [("train.py", ".losses.focal")]
    callers = project.callers(str(tmp_path / "pkg/utils.py"), "helper")
    assert [analysis.imports.project_name(call.node.func) for analysis, call in callers] == ["..utils.helper"]
    # the call keeps no qualified name: an operation spelled on such a module is read by its name, as before
    # (deepxde's `from . import backend as bkd` then `bkd.norm(...)`)
    assert [call.qualified_name for _, call in callers] == [None]


def test_a_loss_factory_compiled_in_another_file_is_differentiated_with_the_exponent_it_is_given(run_cli, tmp_path):
    # the focal loss of keras-retinanet#706: gamma's default is 2, train.py builds it with gamma=0.5; the closure
    # the factory returns is the loss compile receives, so its gradient matters
    compiled = "from . import losses\n\n\ndef create(model):\n    model.compile(loss={'cls': losses.focal(gamma=0.5)})\n"
    files = {"pkg/__init__.py": "", "pkg/losses.py": FOCAL_FACTORY, "pkg/train.py": compiled}
    out = _lint_project(run_cli, tmp_path, files, "--no-cache")
    assert "pkg/losses.py:8:" in out and "NAN008 power 0.5" in out
    assert "gamma=0.5 passed at losses.focal(gamma=0.5) in train.py" in out
    assert "returned by focal(), the loss passed to compile at train.py:5" in out
    # the default exponent (2) is whole: nothing to report
    files["pkg/train.py"] = compiled.replace("gamma=0.5", "gamma=2.0")
    assert "NAN008" not in _lint_project(run_cli, tmp_path, files, "--no-cache")
    # built but never compiled: whether it is differentiated is unknown, so the finding is opt-in
    files["pkg/train.py"] = "from . import losses\n\nprint(losses.focal(gamma=0.5))\n"
    assert "NAN008" not in _lint_project(run_cli, tmp_path, files, "--no-cache")
    assert "NAN008" in _lint_project(run_cli, tmp_path, files, "--no-cache", "--preview")


TARGETS = """import tensorflow as tf


def transform_targets(y_train, anchors, size):
    anchors = tf.cast(anchors, tf.float32)
    anchor_area = anchors[..., 0] * anchors[..., 1]
    box_wh = y_train[..., 2:4] - y_train[..., 0:2]
    box_wh = tf.tile(tf.expand_dims(box_wh, -2), (1, 1, tf.shape(anchors)[0], 1))
    box_area = box_wh[..., 0] * box_wh[..., 1]
    intersection = tf.minimum(box_wh[..., 0], anchors[..., 0]) * tf.minimum(box_wh[..., 1], anchors[..., 1])
    iou = intersection / (box_area + anchor_area - intersection)
    return tf.argmax(iou, axis=-1)
"""


def test_an_iou_against_the_anchors_every_caller_passes_from_a_literal_table_is_never_zero_over_zero(run_cli, tmp_path):
    # yolov3-tf2's transform_targets: the label boxes' IoU against the anchors train.py passes, `yolo_anchors`, a
    # literal table of positive sizes in models.py; the union is at least an anchor's area, never 0
    models = "import numpy as np\n\nyolo_anchors = np.array([(10, 13), (16, 30), (33, 23)], np.float32) / 416\n"
    train = ("from yolov3.models import yolo_anchors\nfrom yolov3 import dataset\n\n\ndef main(ds, size=416):\n"
             "    anchors = yolo_anchors\n"
             "    return ds.map(lambda x, y: (x, dataset.transform_targets(y, anchors, size)))\n")
    files = {"yolov3/__init__.py": "", "yolov3/dataset.py": TARGETS, "yolov3/models.py": models, "train.py": train}
    assert "NAN002" not in _lint_project(run_cli, tmp_path, files, "--no-cache")
    # anchors read from a file may be anything: the IoU is reported, as it is with no caller to show them
    files["train.py"] = train.replace("yolo_anchors\n    return", "np.loadtxt('anchors.txt')\n    return").replace(
        "from yolov3.models import yolo_anchors", "import numpy as np")
    assert "yolov3/dataset.py:11:" in _lint_project(run_cli, tmp_path, files, "--no-cache")
    del files["train.py"]
    (tmp_path / "train.py").unlink()
    assert "yolov3/dataset.py:11:" in _lint_project(run_cli, tmp_path, files, "--no-cache")


BACKEND_FOCAL = """import keras
from . import backend


def focal(alpha=0.25, gamma=2.0):
    def _focal(y_true, y_pred):
        classification = backend.gather_nd(y_pred, backend.where(keras.backend.not_equal(y_true, -1)))
        weight = backend.where(keras.backend.equal(y_true, 1), 1 - classification, classification)
        return keras.backend.sum(alpha * weight ** gamma)
    return _focal


def create(model):
    model.compile(loss=focal(gamma=0.5))
"""


def test_operations_on_a_backend_module_the_run_lacks_are_read_as_tensorflows(run_cli, tmp_path):
    # keras-retinanet#706's losses.py without its `backend` package: `backend.where`/`backend.gather_nd` are read as
    # tf.where/tf.gather_nd (a backend shim keeps the array library's names)
    files = {"pkg/__init__.py": "", "pkg/losses.py": BACKEND_FOCAL}
    out = _lint_project(run_cli, tmp_path, files, "--no-cache")
    assert "pkg/losses.py:9:" in out and "NAN008 power 0.5" in out and "read as a probability" in out
    # with the module in the run, its own functions are what the calls mean (here: nothing known), not TF's
    files["pkg/backend.py"] = "def where(*args):\n    return args\n\n\ndef gather_nd(x, i):\n    return x\n"
    assert "NAN008" not in _lint_project(run_cli, tmp_path, files, "--no-cache", "--preview")
    # another module name is not a backend shim
    files.pop("pkg/backend.py")
    files["pkg/losses.py"] = BACKEND_FOCAL.replace("import backend", "import helpers").replace("backend.", "helpers.")
    assert "NAN008" not in _lint_project(run_cli, tmp_path, files, "--no-cache", "--preview")


_EPE = ("import tensorflow as tf\n\n\ndef endpoint_error(labels, predictions):\n"
        "    return tf.reduce_sum(tf.sqrt(tf.reduce_sum(tf.square(predictions - labels), 3)))\n")
_SUBCLASS = ("from net import Net\nfrom utils import endpoint_error\n\n\nclass FlowNet(Net):\n"
             "    def loss(self, flow, predictions):\n        return endpoint_error(flow, predictions)\n")
_BASE = ("import tensorflow as tf\nslim = tf.contrib.slim\n\n\nclass Net(object):\n"
         "    def loss(self, flow, predictions):\n        raise NotImplementedError\n\n"
         "    def train(self, flow, predictions, optimizer):\n        total_loss = self.loss(flow, predictions)\n"
         "        return {step}\n")


def test_an_override_of_a_method_another_file_s_base_class_differentiates_is_differentiated(run_cli, tmp_path):
    # flownet2: Net.train (net.py) hands self.loss(...) to TF-Slim's create_train_op; FlowNet.loss (flownet.py)
    # overrides it and calls the root in utils.py: two files back from the root, through a module alias of slim
    files = {"utils.py": _EPE, "flownet.py": _SUBCLASS,
             "net.py": _BASE.format(step="slim.learning.create_train_op(total_loss, optimizer)")}
    out = _lint_project(run_cli, tmp_path, files, "--no-cache")
    assert "utils.py:5:" in out and "NAN005" in out and "the override of Net.loss()" in out
    assert "create_train_op()" in out
    # a base class that only evaluates the loss: no evidence of a gradient, the finding stays opt-in
    files["net.py"] = _BASE.format(step="total_loss")
    assert "utils.py:5:" not in _lint_project(run_cli, tmp_path, files, "--no-cache")


def test_an_override_of_a_keras_layer_base_s_hook_in_another_file_keeps_its_own_flow(run_cli, tmp_path):
    # keras-cv: FourierMix (an augmentation layer) overrides a hook its base layer's call() runs: forward only
    base = ("import tensorflow as tf\n\n\nclass BaseImageAugmentationLayer(tf.keras.layers.Layer):\n"
            "    def augment(self, x):\n        raise NotImplementedError\n\n"
            "    def call(self, x):\n        return self.augment(x)\n")
    sub = ("import tensorflow as tf\nfrom base import BaseImageAugmentationLayer\n\n\n"
           "class FourierMix(BaseImageAugmentationLayer):\n    def augment(self, x):\n"
           "        return tf.sqrt(tf.reduce_sum(tf.square(x), -1))\n")
    out = _lint_project(run_cli, tmp_path, {"base.py": base, "mix.py": sub}, "--no-cache")
    assert "mix.py:7:" not in out


WHERE_BACKEND = """import tensorflow as tf
import keras.backend as K


def where(cond, x, y):
    shape = tf.broadcast_dynamic_shape(tf.shape(x), tf.shape(y))
    x = tf.broadcast_to(x, shape)
    cond = tf.broadcast_to(cond, shape)
    return tf.where(cond, x, y)


def pick(cond, x, y):
    return tf.where(cond, y, x)


K.where = where
"""
WHERE_USER = """import tensorflow as tf
from backend import K, where, pick


def ratio(x, dx):
    x_norm = tf.norm(x)
    g_norm = tf.norm(dx)
    a = K.where(g_norm > 0.0, x_norm / g_norm, 1.0)
    b = where(g_norm > 0.0, x_norm / g_norm, 1.0)
    c = pick(g_norm > 0.0, x_norm / g_norm, 1.0)
    return a + b + c
"""


def test_a_where_wrapper_of_another_file_guards_like_where(run_cli, tmp_path):
    # bert4keras: backend.py defines a broadcasting where() and installs it as `K.where = where` on keras.backend;
    # its optimizers guard `K.where(g_norm > 0.0, x_norm / g_norm, 1.0)`. A wrapper that swaps its branches is none.
    out = _lint_project(run_cli, tmp_path, {"backend.py": WHERE_BACKEND, "user.py": WHERE_USER}, "--no-cache")
    lines = [line.split(":")[1] for line in out.splitlines() if line.startswith("user.py:") and "NAN002" in line]
    assert lines == ["10"]


def test_a_module_another_project_file_imports_and_re_exports_is_that_module(run_cli, tmp_path):
    # TensorFlowASR: tensorflow_asr/__init__.py does `import tensorflow as tf`; its files `from tensorflow_asr import
    # keras, tf` and write every op as tf.X
    package = "import tensorflow as tf\nfrom tensorflow import keras as K\n\n\ndef tf_helper(x):\n    return x\n"
    user = ("from tensorflow_asr import tf, K as backend, tf_helper\n\n\ndef f(x, mask):\n"
            "    return x / tf.math.count_nonzero(mask, dtype=tf.float32) + tf_helper(x)\n")
    out = _lint_project(run_cli, tmp_path, {"tensorflow_asr/__init__.py": package, "user.py": user}, "--no-cache")
    assert "user.py:5:" in out and "NAN002" in out
    # a package that binds the name to one of its own modules re-exports no library
    own = "from tensorflow_asr import tf\n"
    out = _lint_project(run_cli, tmp_path, {"tensorflow_asr/__init__.py": "from . import tf\n", "tensorflow_asr/tf.py": "def log(x):\n"
                                            "    return x\n", "user.py": user.replace("from tensorflow_asr import tf, K as "
                                                                                    "backend, tf_helper", own.strip())
                                            + "\n"}, "--no-cache")
    assert "NAN002" not in out


def test_barycentric_coordinates_returned_by_another_file_are_never_all_zero(run_cli, tmp_path):
    # tensorflow-graphics' rasterizer: the coordinates of weighted.py sum to 1, so their perspective-corrected
    # quotient by w is never an all-zero row for tf.linalg.normalize in math.py
    weighted = ("import tensorflow as tf\n\n\ndef get_barycentric_coordinates(v, p):\n"
                "    c1 = (v[..., 1] - p[..., 1]) * (p[..., 0] - v[..., 0])\n"
                "    c2 = (v[..., 0] - p[..., 0]) * (p[..., 1] - v[..., 1])\n"
                "    c3 = THIRD\n    return tf.stack((c1, c2, c3), axis=-1), c3 >= 0.0\n")
    user = ("import tensorflow as tf\nimport weighted\n\n\ndef perspective_correct(v, p, w):\n"
            "    bary, _ = weighted.get_barycentric_coordinates(v, p)\n"
            "    return tf.linalg.normalize(bary / w, ord=1, axis=-1)[0]\n")
    summed = {"weighted.py": weighted.replace("THIRD", "1.0 - (c1 + c2)"), "user.py": user}
    free = {"weighted.py": weighted.replace("THIRD", "c1 * c2"), "user.py": user}
    assert "user.py:7:" not in _lint_project(run_cli, tmp_path, summed, "--no-cache")
    assert "user.py:7:" in _lint_project(run_cli, tmp_path, free, "--no-cache")


def test_a_loss_of_a_project_module_is_called_in_the_order_its_definition_gives(run_cli, tmp_path):
    # NVIDIA's UNet: utils/losses.py's partial_losses(predict, target) is called as partial_losses(output, labels);
    # a project module named `losses` is not keras.losses, whose functions take (y_true, y_pred)
    losses = "import tensorflow as tf\n\n\ndef partial_losses({params}):\n    return tf.reduce_mean({first} - {second})\n"
    run = ("import tensorflow as tf\nfrom utils.losses import partial_losses\n\n\ndef step(model, x, labels):\n"
           "    output_map = model(x)\n    return partial_losses(output_map, labels)\n")
    prediction_first = losses.format(params="predict, target", first="predict", second="target")
    keras_order = losses.format(params="y_true, y_pred", first="y_pred", second="y_true")
    files = {"utils/__init__.py": "", "run.py": run}
    assert "NAN104" not in _lint_project(run_cli, tmp_path, {**files, "utils/losses.py": prediction_first},
                                         "--no-cache")
    assert "run.py:7:" in _lint_project(run_cli, tmp_path, {**files, "utils/losses.py": keras_order}, "--no-cache")
    # linted alone, the import's definition is not read: nothing says which order it takes
    os.chdir(tmp_path)
    _, out, _ = run_cli("run.py", "--isolated", "--no-cache")
    assert "NAN104" not in out


def test_a_model_a_training_function_is_given_by_its_caller_reaches_another_files_loss(run_cli, tmp_path):
    # NVIDIA's UNet: main() builds Unet() (model/unet.py, softmax at the end of call) and passes it to train(), whose
    # nested step gives model(x) to utils/losses.py's softmax_cross_entropy_with_logits
    net = ("import tensorflow as tf\n\n\nclass Unet(tf.keras.Model):\n    def call(self, x):\n"
           "        return tf.keras.activations.softmax(self.conv(x), axis=-1)\n")
    losses = ("import tensorflow as tf\n\n\ndef partial_losses(predict, target):\n"
              "    return tf.nn.softmax_cross_entropy_with_logits(logits=predict, labels=target)\n")
    run = ("from net import Unet\nfrom losses import partial_losses\n\n\ndef train(model):\n"
           "    def step(x, y):\n        return partial_losses(model(x), y)\n    return step\n\n\n"
           "def main():\n    train(Unet())\n")
    out = _lint_project(run_cli, tmp_path, {"net.py": net, "losses.py": losses, "run.py": run}, "--no-cache")
    assert "losses.py:5:" in out and "softmax output" in out and "Unet.call() in net.py" in out


# A conftest.py fixture that compiles a linear-output model with a probability loss (tf-explain's
# `convolutional_model_without_final_activation`): pytest hands it only to the tests that request it by name.
CONFTEST = """import pytest
import tensorflow as tf


@pytest.fixture()
def linear_model():
    model = tf.keras.Sequential([tf.keras.layers.Flatten(), tf.keras.layers.Dense(2)])
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    return model
"""
EXPLAINER = """import tensorflow as tf


class Saliency:
    @staticmethod
    def gradients(images, model):
        with tf.GradientTape() as tape:
            tape.watch(images)
            scores = model(images)
        return tape.gradient(scores, images)
"""
EXPLAINED = """from explain.saliency import Saliency


def test_gradients(linear_model):
    assert Saliency.gradients(images, linear_model).shape == images.shape
    assert linear_model.layers[-1].units == 2
"""
FITTED = "def test_fit(linear_model):\n    linear_model.fit(x, y, epochs=1)\n"


def test_a_fixture_s_model_that_no_requesting_test_trains_is_never_trained(run_cli, tmp_path):
    files = {"explain/saliency.py": EXPLAINER, "tests/conftest.py": CONFTEST, "tests/test_saliency.py": EXPLAINED}
    assert "NAN104" not in _lint_project(run_cli, tmp_path, files, "--no-cache")
    # a test below the conftest that fits it: the model is trained with a linear output into a probability loss
    files["tests/unit/test_fit.py"] = FITTED
    out = _lint_project(run_cli, tmp_path, files, "--no-cache")
    assert "conftest.py:7:" in out and "NAN104" in out


def test_a_fixture_s_model_handed_to_what_cannot_be_followed_may_be_trained(run_cli, tmp_path):
    # a third-party trainer, a test that keeps the model in a list: either may train it
    for test in ("import trainer\n\n\ndef test_it(linear_model):\n    trainer.run(linear_model)\n",
                 "def test_it(linear_model):\n    models = [linear_model]\n    check(models)\n"):
        out = _lint_project(run_cli, tmp_path, {"tests/conftest.py": CONFTEST, "tests/test_it.py": test}, "--no-cache")
        assert "conftest.py:7:" in out, test


def test_a_fixture_is_requested_only_below_its_conftest(run_cli, tmp_path):
    # a test beside the conftest's directory that fits a model of the same name requests another fixture
    files = {"explain/saliency.py": EXPLAINER, "tests/conftest.py": CONFTEST, "tests/test_saliency.py": EXPLAINED,
             "other/test_fit.py": FITTED}
    assert "NAN104" not in _lint_project(run_cli, tmp_path, files, "--no-cache")


def test_a_test_that_starts_training_a_fixture_s_model_re_lints_its_conftest(run_cli, tmp_path, linted):
    _write(tmp_path, {"explain/saliency.py": EXPLAINER, "tests/conftest.py": CONFTEST,
                      "tests/test_saliency.py": EXPLAINED})
    out, _ = _relint(run_cli, tmp_path, linted)
    assert "NAN104" not in out
    # a new requesting file: the conftest is unchanged, its cached result is not reused
    _write(tmp_path, {"tests/unit/test_fit.py": FITTED})
    out, relinted = _relint(run_cli, tmp_path, linted)
    assert os.path.join("tests", "conftest.py") in relinted and "conftest.py:7:" in out
    # the requester stops training it (edited in place)
    _write(tmp_path, {"tests/unit/test_fit.py": FITTED.replace(".fit(x, y, epochs=1)", ".predict(x)")})
    out, relinted = _relint(run_cli, tmp_path, linted)
    assert os.path.join("tests", "conftest.py") in relinted and "NAN104" not in out
    # the static method the explaining test calls starts training what it is given (another file, two steps away)
    _write(tmp_path, {"explain/saliency.py": EXPLAINER.replace("        return tape.gradient",
                                                               "        model.fit(images)\n        return tape.gradient")})
    out, relinted = _relint(run_cli, tmp_path, linted)
    assert os.path.join("tests", "conftest.py") in relinted and "conftest.py:7:" in out


def test_a_wrapper_s_root_is_judged_by_how_another_file_s_call_reads_it(run_cli, tmp_path):
    # probflow: `O.std(val)` in utils/ops.py returns tf.math.reduce_std(val); BatchNormalization in another file
    # divides the deviations of what it passes by it, which gives the root a 0 upstream gradient at a constant
    # column (TensorFlow's sqrt gradient keeps that 0); a call that penalises the std itself does not
    ops = ("import tensorflow as tf\n\n\ndef std(val, axis=-1):\n"
           "    return tf.math.reduce_std(val, axis=axis, keepdims=True)\n")
    layer = ("import tensorflow as tf\nimport ops as O\n\n\nclass BatchNormalization(tf.keras.layers.Layer):\n"
             "    def call(self, x):\n        mean = tf.reduce_mean(x, axis=-2, keepdims=True)\n"
             "        return (x - mean) / (O.std(x, axis=-2) + 1e-5)\n")
    penalised = layer.replace("        return", "        self.add_loss(tf.reduce_mean(O.std(x, axis=-2)))\n"
                                              "        return")
    assert "ops.py:5:" not in _lint_project(run_cli, tmp_path, {"ops.py": ops, "bn.py": layer}, "--no-cache")
    out = _lint_project(run_cli, tmp_path, {"ops.py": ops, "bn.py": penalised}, "--no-cache")
    assert "ops.py:5:" in out and "NAN005" in out and "called at bn.py" in out


def test_a_statistic_given_to_another_files_summary_wrapper_is_not_differentiated(run_cli, tmp_path):
    # trieste's models/utils.py: `logging.scalar(f"{name}/rmse", tf.math.sqrt(...))`, `from .. import logging`, whose
    # `scalar(name, data)` hands `data` only to tf.summary.scalar: the root's gradient at 0 is never taken there
    wrapper = ("import tensorflow as tf\n\n\ndef scalar(name, data, **kwargs):\n"
               "    return tf.summary.scalar(name, data, **kwargs)\n")
    block = ("import tensorflow as tf\nfrom .. import logs\n\n\nclass Block(tf.keras.layers.Layer):\n"
             "    def call(self, x):\n        logs.scalar(\"rmse\", tf.sqrt(tf.reduce_mean(tf.square(x))))\n"
             "        return x\n")
    files = {"pkg/__init__.py": "", "pkg/sub/__init__.py": "", "pkg/logs.py": wrapper, "pkg/sub/block.py": block}
    assert "block.py:7:" not in _lint_project(run_cli, tmp_path, files, "--no-cache")
    # a wrapper that returns what it is given passes the gradient on: still reported
    passing = wrapper.replace("    return tf.summary", "    tf.summary").replace("**kwargs)\n", "**kwargs)\n    return data\n")
    out = _lint_project(run_cli, tmp_path, {**files, "pkg/logs.py": passing}, "--no-cache")
    assert "block.py:7:" in out and "NAN005" in out
