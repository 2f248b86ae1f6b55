"""The speed work's shortcuts give the same answers as the long ways they replace (issue 17)."""

from __future__ import annotations

import argparse
import fnmatch
from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from nanlint import runner
from nanlint.config import Settings
from nanlint.parse import Positions, code_for_node, parse_module

ROOT = Path(__file__).resolve().parent.parent
# Real code of several shapes: the linter's own sources, the rule fixtures and the bug cases when present.
SAMPLES = sorted([*ROOT.glob("nanlint/analysis/*.py"), *ROOT.glob("fixtures/**/*.py"),
                  *ROOT.glob("bench/bugs/*/*.py")])[:80]


def test_libcst_keeps_the_node_protocol_the_parse_relies_on():
    # nanlint/parse.py swaps CSTNode.__post_init__, the one validation hook of libcst 1.x: if a release moves
    # validation elsewhere, this fails instead of the parse silently validating again (or never).
    assert "__post_init__" in cst.CSTNode.__dict__
    assert "_validate" in cst.Name.__dict__
    assert not any("__post_init__" in vars(node_type) for node_type in _node_types() if node_type is not cst.CSTNode)


def _node_types():
    return [value for value in vars(cst).values() if isinstance(value, type) and issubclass(value, cst.CSTNode)]


@pytest.mark.parametrize("path", SAMPLES, ids=lambda path: str(path.relative_to(ROOT)))
def test_unvalidated_parse_builds_the_same_tree(path):
    text = path.read_text(encoding="utf-8")
    fast = parse_module(text)
    assert fast.deep_equals(cst.parse_module(text))
    assert fast.code == text


def test_nodes_built_after_a_parse_are_validated_again():
    parse_module("x = 1\n")
    with pytest.raises(cst.CSTValidationError):
        cst.Name("not an identifier")


def test_parse_errors_are_libcst_errors():
    with pytest.raises(cst.ParserSyntaxError):
        parse_module("def (:\n")
    with pytest.raises(cst.CSTValidationError):  # and validation is back after a failed parse
        cst.Name("1x")


@pytest.mark.parametrize("path", SAMPLES[::4], ids=lambda path: str(path.relative_to(ROOT)))
def test_positions_match_libcst_metadata_wrapper(path):
    module = parse_module(path.read_text(encoding="utf-8"))
    expected = dict(MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider))
    assert Positions(module).all() == expected


@pytest.mark.parametrize("path", SAMPLES[::4], ids=lambda path: str(path.relative_to(ROOT)))
def test_code_for_node_prints_what_libcst_prints(path):
    module = parse_module(path.read_text(encoding="utf-8"))
    nodes = [module, *module.body, *(node for statement in module.body for node in statement.children)]
    ours = [_printed(lambda node: code_for_node(module, node), node) for node in nodes]
    assert ours == [_printed(module.code_for_node, node) for node in nodes]


def _printed(print_node, node):
    """The node's code, or the error's name where libcst cannot print the node alone (a return annotation)."""
    try:
        return print_node(node)
    except SyntaxError as error:  # libcst's CSTCodegenError
        return type(error).__name__


def _fnmatch_excluded(settings: Settings, relative: str) -> bool:
    """The pattern semantics before they were compiled into one regex: fnmatch, pattern by pattern."""
    parts = relative.split("/")
    for pattern in (*settings.exclude, *settings.extend_exclude):
        pattern = pattern.rstrip("/")
        if "/" in pattern:
            if fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(relative, pattern + "/*"):
                return True
        elif any(fnmatch.fnmatch(part, pattern) for part in parts):
            return True
    return False


@pytest.mark.parametrize("relative", [
    "a.py", "build/x.py", "src/build/x.py", "builder/x.py", "pkg/gen_ops.py", "pkg/sub/gen_ops.py", "docs/x.py",
    "docs", "docs/api/x.py", "tests/data/x.py", "tests/data", "x/tests/data/y.py", "a[1].py", "venv", ".venv/x.py",
    "notes/scratch_1.py", "notes/scratch_12.py", "n.ipynb", "deep/a/b/c/d.py",
])
def test_compiled_excludes_mean_what_fnmatch_meant(tmp_path, relative):
    settings = Settings(root=tmp_path, extend_exclude=("gen_*.py", "docs/", "tests/data", "a[[]1].py",
                                                       "notes/scratch_?.py", "*.ipynb", "deep/*/c"))
    assert settings.is_excluded(tmp_path / relative) == _fnmatch_excluded(settings, relative)


def test_jobs_are_capped_at_the_cpu_count_unless_forced(tmp_path, monkeypatch):
    sizes = []

    class Recording(runner.WorkerPool):
        def __init__(self, size, selection):
            sizes.append(size)
            super().__init__(size, selection)

    monkeypatch.setattr(runner, "WorkerPool", Recording)
    monkeypatch.setattr(runner, "default_jobs", lambda: 2)
    files = []
    for index in range(runner.PARALLEL_THRESHOLD):
        path = tmp_path / f"m{index}.py"
        path.write_text("import tensorflow as tf\nx = tf.math.log(tf.nn.softmax(1.0))\n")
        files.append((str(path), str(path)))
    settings = Settings(root=tmp_path)
    capped = runner.lint_files(files, settings, argparse.Namespace(jobs=8, no_cache=True))
    forced = runner.lint_files(files, settings, argparse.Namespace(jobs=8, force_jobs=True, no_cache=True))
    assert sizes == [2, 8]
    assert [result.findings for result in capped] == [result.findings for result in forced]
    assert all(result.findings for result in capped)


@pytest.mark.parametrize("text", ["x = (a +\r\n     b)\r\ny = f'{x}'\r\n", "if x:\r    y = 1\r", "a = '''\n\n'''; b = \\\n  2\n"],
                         ids=["crlf", "cr", "multiline-tokens"])
def test_positions_match_with_every_newline_style(text):
    module = parse_module(text)
    assert Positions(module).all() == dict(MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider))


@pytest.mark.parametrize("text", ["", "\n", "# only a comment\n", "x = 1", "def f():\n    return (a +\n  b)  # end"],
                         ids=["empty", "newline", "comment", "no-final-newline", "no-final-newline-block"])
def test_positions_match_at_the_edges_of_a_module(text):
    module = parse_module(text)
    assert Positions(module).all() == dict(MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider))
    assert code_for_node(module, module) == module.code == text
