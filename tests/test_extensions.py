"""The feature contract: registered modules satisfy `Feature`, and a `FatalError` raised by one leaves the CLI as
its exit code and one line on stderr, never as a traceback or a SystemExit."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import sys
from collections.abc import Iterator

import pytest

from conftest import BAD, run_subprocess
from nanlint import extensions
from nanlint.config import ConfigError, Settings
from nanlint.extensions import FEATURES, FatalError, Feature
from nanlint.finding import FileResult


def test_every_registered_feature_has_every_hook():
    loaded = extensions.features()
    assert [feature.__name__ for feature in loaded] == list(FEATURES)  # type: ignore[attr-defined]
    assert all(isinstance(feature, Feature) for feature in loaded)


class _Stops:
    """A feature that gives up after linting, as a broken baseline or a missing TensorFlow does."""

    def __init__(self, exit_code: int) -> None:
        self.exit_code = exit_code
        self.seen: list[FileResult] = []

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--stop-here", action="store_true")

    session = staticmethod(extensions.no_session)

    def process_results(self, results: list[FileResult], args: argparse.Namespace,
                        settings: Settings) -> list[FileResult]:
        self.seen = results
        if args.stop_here:
            raise FatalError("cannot go on: the frobnicator is missing", self.exit_code)
        return results


def test_fatal_error_from_a_feature_is_its_exit_code_and_one_message(project, run_cli, monkeypatch):
    (project / "a.py").write_text(BAD)
    stopping = _Stops(exit_code=3)
    registered = extensions.features()
    monkeypatch.setattr(extensions, "features", lambda: (*registered, stopping))
    code, out, err = run_cli("--stop-here", "a.py")
    assert code == 3 and out == ""
    assert err == "nanlint: error: cannot go on: the frobnicator is missing\n"
    assert [result.path for result in stopping.seen] == ["a.py"]  # it ran after linting, with the results
    # without the flag the same feature passes the results through and the finding is reported
    code, out, _ = run_cli("a.py")
    assert code == 1 and "NAN001" in out


class _Narrows:
    """A feature whose session lints more narrowly than the user asked (NAN001 ignored) and records its order."""

    def __init__(self) -> None:
        self.events: list[str] = []

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        pass

    @contextlib.contextmanager
    def session(self, args: argparse.Namespace, settings: Settings) -> Iterator[Settings]:
        self.events.append("enter")
        try:
            yield dataclasses.replace(settings, selection=dataclasses.replace(settings.selection, ignore=("NAN001",)))
        finally:
            self.events.append("exit")

    def process_results(self, results: list[FileResult], args: argparse.Namespace,
                        settings: Settings) -> list[FileResult]:
        self.events.append(f"results: {sum(len(r.findings) for r in results)}, user ignores {settings.selection.ignore}")
        return results


def test_a_session_is_open_around_linting_and_its_settings_are_what_is_linted(project, run_cli, monkeypatch):
    (project / "a.py").write_text(BAD)
    narrows = _Narrows()
    registered = extensions.features()
    monkeypatch.setattr(extensions, "features", lambda: (*registered, narrows))
    code, out, _ = run_cli("a.py")
    assert code == 0 and out == ""
    assert narrows.events == ["enter", "results: 0, user ignores ()", "exit"]
    # left however the run ends
    stopping = _Stops(exit_code=3)
    narrows.events.clear()
    monkeypatch.setattr(extensions, "features", lambda: (*registered, narrows, stopping))
    assert run_cli("--stop-here", "a.py")[0] == 3
    assert narrows.events == ["enter", "results: 0, user ignores ()", "exit"]


def test_configuration_errors_are_fatal_errors_with_exit_2():
    error = ConfigError("pyproject.toml: unknown key in [tool.nanlint]: selct")
    assert isinstance(error, FatalError) and error.exit_code == 2 and str(error) == error.message


def test_fatal_error_in_a_real_run_prints_no_traceback(project):
    (project / "a.py").write_text(BAD)
    (project / "baseline.json").write_text('{"version": 99, "findings": []}')
    result = run_subprocess("--baseline", "baseline.json", "a.py", cwd=project)
    assert result.returncode == 2 and result.stdout == b""
    assert result.stderr.decode().splitlines() == [
        "nanlint: error: cannot read baseline baseline.json: unsupported baseline version 99"]


@pytest.mark.parametrize("hook", ["add_arguments", "session", "process_results"])
def test_a_module_without_a_hook_is_refused_at_registration(monkeypatch, hook):
    module = type(sys)("half_feature")
    setattr(module, hook, lambda *args: None)
    monkeypatch.setitem(sys.modules, "half_feature", module)
    monkeypatch.setattr(extensions, "FEATURES", ("half_feature",))
    extensions.features.cache_clear()
    try:
        with pytest.raises(TypeError, match="half_feature"):
            extensions.features()
    finally:
        extensions.features.cache_clear()
