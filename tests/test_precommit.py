"""The pre-commit hook, tried for real with `pre-commit try-repo` (builds the hook's own virtualenv)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent


def test_hook_definition_follows_the_conventions():
    hooks = {hook["id"]: hook for hook in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
    hook = hooks["nanlint"]
    assert hook["language"] == "python" and hook["require_serial"] is True
    assert {"python", "pyi"} <= set(hook["types_or"]) and "--force-exclude" in hook["args"]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pre-commit") is None, reason="pre-commit is not installed")
def test_pre_commit_try_repo_runs_the_hook(tmp_path):
    # try-repo needs a git repository to clone from: snapshot the working tree (uncommitted changes too).
    source = tmp_path / "nanlint"
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(".git", "*.egg-info", "__pycache__", "bench", ".venv"))
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "cache"), GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@t")
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "snapshot"]):
        subprocess.run(["git", *args], cwd=source, check=True, env=env)
    project = tmp_path / "project"
    project.mkdir()
    (project / "train.py").write_text("import tensorflow as tf\ny = tf.math.log(tf.sigmoid(x))\n")
    (project / "clean.py").write_text("import tensorflow as tf\ny = tf.math.log_sigmoid(x)\n")
    for args in (["init", "-q"], ["add", "-A"]):
        subprocess.run(["git", *args], cwd=project, check=True, env=env)
    result = subprocess.run(["pre-commit", "try-repo", str(source), "nanlint", "--all-files"], cwd=project,
                            capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "train.py:2:5: NAN001" in result.stdout
    assert "clean.py" not in result.stdout.split("- hook id: nanlint", 1)[-1].replace("train.py", "")


@pytest.mark.skipif(shutil.which("pre-commit") is None, reason="pre-commit is not installed")
def test_readme_snippet_with_autoupdate_pins_a_commit_that_exists(tmp_path):
    """The README names no tag (there is none): `pre-commit autoupdate` turns its placeholder into a commit hash."""
    import re

    readme = (REPO / "README.md").read_text()
    snippet = readme.split("## pre-commit", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    source = tmp_path / "nanlint"
    source.mkdir()
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "cache"), GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@t")
    shutil.copy(REPO / ".pre-commit-hooks.yaml", source)
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "snapshot"]):
        subprocess.run(["git", *args], cwd=source, check=True, env=env)
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=source, capture_output=True, text=True).stdout.strip()
    project = tmp_path / "project"
    project.mkdir()
    config = project / ".pre-commit-config.yaml"
    config.write_text(snippet.replace("https://github.com/nanlint/nanlint", str(source)))  # the placeholder as copied
    subprocess.run(["git", "init", "-q"], cwd=project, check=True, env=env)
    result = subprocess.run(["pre-commit", "autoupdate"], cwd=project, capture_output=True, text=True, env=env,
                            timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"rev: (\S+)", config.read_text()).group(1) == head
