"""`nanlint server` driven by a real LSP client (pygls' LanguageClient) over stdio, against a
`python -m nanlint server` subprocess: what an editor sees."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("pygls")

from lsprotocol import types as lsp  # noqa: E402
from pygls.lsp.client import LanguageClient  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BUGGY = textwrap.dedent("""\
    import tensorflow as tf


    def loss(x):
        return tf.math.log(tf.sigmoid(x))
    """)
TIMEOUT = 60


class Editor:
    """A minimal editor: opens buffers, edits them, and collects what the server publishes."""

    def __init__(self) -> None:
        self.client = LanguageClient("nanlint-tests", "1")
        self.diagnostics: dict[str, list[lsp.Diagnostic]] = {}
        self.versions: dict[str, int] = {}
        self.changed = asyncio.Condition()

        @self.client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        async def published(params: lsp.PublishDiagnosticsParams) -> None:
            async with self.changed:
                self.diagnostics[params.uri] = list(params.diagnostics)
                self.changed.notify_all()

    async def start(self, root: Path, *server_args: str) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        await self.client.start_io(sys.executable, "-m", "nanlint", "server", *server_args, env=env, cwd=str(root))
        await self.client.initialize_async(lsp.InitializeParams(
            capabilities=lsp.ClientCapabilities(), root_uri=root.as_uri(), process_id=os.getpid()))
        self.client.initialized(lsp.InitializedParams())

    async def stop(self) -> None:
        await asyncio.wait_for(self.client.shutdown_async(None), TIMEOUT)
        self.client.exit(None)
        await self.client.stop()

    def open(self, path: Path, text: str) -> str:
        uri = path.as_uri()
        self.versions[uri] = 1
        self.client.text_document_did_open(lsp.DidOpenTextDocumentParams(
            text_document=lsp.TextDocumentItem(uri=uri, language_id="python", version=1, text=text)))
        return uri

    def replace_all(self, uri: str, text: str) -> None:
        self.versions[uri] += 1
        self.client.text_document_did_change(lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
            content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=text)]))

    async def wait_for(self, uri: str, predicate) -> list[lsp.Diagnostic]:
        async def ready():
            async with self.changed:
                await self.changed.wait_for(lambda: uri in self.diagnostics and predicate(self.diagnostics[uri]))
                return self.diagnostics[uri]

        return await asyncio.wait_for(ready(), TIMEOUT)


def run_editor(root: Path, scenario, *server_args: str):
    async def main():
        editor = Editor()
        await editor.start(root, *server_args)
        try:
            return await scenario(editor)
        finally:
            await editor.stop()

    return asyncio.run(main())


def apply(text: str, edit: lsp.TextEdit) -> str:
    """Apply one LSP edit (ASCII text: UTF-16 units are characters)."""
    lines = text.splitlines(keepends=True)

    def offset(position: lsp.Position) -> int:
        return sum(len(line) for line in lines[: position.line]) + position.character

    return text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end):]


def test_diagnostics_appear_for_a_buggy_file_with_the_rule_code_and_range(tmp_path):
    async def scenario(editor: Editor):
        uri = editor.open(tmp_path / "model.py", BUGGY)
        return await editor.wait_for(uri, lambda found: bool(found))

    diagnostics = run_editor(tmp_path, scenario)
    assert [d.code for d in diagnostics] == ["NAN001"]
    first = diagnostics[0]
    assert (first.range.start.line, first.range.start.character) == (4, 11)  # line 5, column 12, 0-based
    assert (first.range.end.line, first.range.end.character) == (4, 37)
    assert first.source == "nanlint" and "log of a sigmoid" in first.message
    assert first.severity == lsp.DiagnosticSeverity.Warning
    assert first.code_description.href.endswith("NAN001.yaml")


def test_code_action_applies_the_fix_and_the_diagnostic_disappears(tmp_path):
    async def scenario(editor: Editor):
        uri = editor.open(tmp_path / "model.py", BUGGY)
        [diagnostic] = await editor.wait_for(uri, lambda found: bool(found))
        actions = await editor.client.text_document_code_action_async(lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri), range=diagnostic.range,
            context=lsp.CodeActionContext(diagnostics=[diagnostic])))
        fixes = [a for a in actions if isinstance(a, lsp.CodeAction) and a.edit is not None]
        [change] = fixes[0].edit.document_changes
        assert change.text_document.version == 1  # a stale edit is refused by the client
        fixed = apply(BUGGY, change.edits[0])
        editor.replace_all(uri, fixed)
        after = await editor.wait_for(uri, lambda found: not found)
        return actions, fixed, after

    actions, fixed, after = run_editor(tmp_path, scenario)
    titles = [a.title for a in actions]
    assert "Fix NAN001: rewrite as log_sigmoid (unsafe)" in titles
    assert "Verify this finding (NAN001) with TensorFlow" in titles
    assert "return tf.math.log_sigmoid(x)" in fixed
    assert after == []


def test_hover_on_a_finding_returns_the_rule_page_and_elsewhere_nothing(tmp_path):
    async def scenario(editor: Editor):
        uri = editor.open(tmp_path / "model.py", BUGGY)
        await editor.wait_for(uri, lambda found: bool(found))
        on = await editor.client.text_document_hover_async(lsp.HoverParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri), position=lsp.Position(line=4, character=20)))
        off = await editor.client.text_document_hover_async(lsp.HoverParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri), position=lsp.Position(line=0, character=3)))
        return on, off

    on, off = run_editor(tmp_path, scenario)
    assert off is None
    page = on.contents.value
    assert on.contents.kind == lsp.MarkupKind.Markdown
    assert "(NAN001)" in page and "## What it does" in page and "## Fix safety" in page


def test_config_and_noqa_are_honoured(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.nanlint]\nper-file-ignores = { "legacy/*" = ["NAN001"] }\n')
    (tmp_path / "legacy").mkdir()
    silenced = BUGGY.replace("(x))\n", "(x))  # noqa: NAN001\n")

    async def scenario(editor: Editor):
        ignored = editor.open(tmp_path / "legacy" / "old.py", BUGGY)
        noqa = editor.open(tmp_path / "noqa.py", silenced)
        control = editor.open(tmp_path / "model.py", BUGGY)
        await editor.wait_for(control, lambda found: bool(found))
        return await editor.wait_for(ignored, lambda found: True), await editor.wait_for(noqa, lambda found: True)

    ignored, noqa = run_editor(tmp_path, scenario)
    assert ignored == [] and noqa == []


def test_notebook_cells_get_their_own_cell_relative_diagnostics(tmp_path):
    notebook_uri = (tmp_path / "train.ipynb").as_uri()
    cells = ["import tensorflow as tf\n%matplotlib inline", "x = tf.constant([0.0])\ny = tf.math.log(tf.sigmoid(x))"]
    cell_uris = [f"{notebook_uri}#cell{i}" for i in range(len(cells))]

    async def scenario(editor: Editor):
        editor.client.notebook_document_did_open(lsp.DidOpenNotebookDocumentParams(
            notebook_document=lsp.NotebookDocument(uri=notebook_uri, notebook_type="jupyter-notebook", version=1,
                                                   cells=[lsp.NotebookCell(kind=lsp.NotebookCellKind.Code, document=u)
                                                          for u in cell_uris]),
            cell_text_documents=[lsp.TextDocumentItem(uri=u, language_id="python", version=1, text=t)
                                 for u, t in zip(cell_uris, cells)]))
        second = await editor.wait_for(cell_uris[1], lambda found: True)
        return await editor.wait_for(cell_uris[0], lambda found: True), second

    first, second = run_editor(tmp_path, scenario)
    assert first == []
    assert [(d.code, d.range.start.line, d.range.start.character) for d in second] == [("NAN001", 1, 4)]


@pytest.mark.tensorflow
def test_verify_command_returns_a_verdict_and_updates_the_diagnostic(tmp_path):
    source = textwrap.dedent("""\
        import tensorflow as tf


        def normalize(x):
            return x / tf.math.reduce_std(x, axis=-1, keepdims=True)
        """)

    async def scenario(editor: Editor):
        uri = editor.open(tmp_path / "norm.py", source)
        [diagnostic] = await editor.wait_for(uri, lambda found: bool(found))
        verdict = await asyncio.wait_for(editor.client.workspace_execute_command_async(lsp.ExecuteCommandParams(
            command="nanlint.verify", arguments=[uri, diagnostic.data["fingerprint"]])), 240)
        updated = await editor.wait_for(uri, lambda found: found and "[verify: confirmed" in found[0].message)
        return verdict, updated

    verdict, updated = run_editor(tmp_path, scenario, "--device", "cpu")
    assert verdict["status"] == "confirmed", verdict
    assert "NaN" in verdict["detail"] or "Inf" in verdict["detail"]
    assert verdict["detail"] in updated[0].message
    assert updated[0].severity == lsp.DiagnosticSeverity.Error  # was a warning until confirmed


@pytest.mark.tensorflow
def test_an_edit_cancels_a_running_verification(tmp_path):
    source = textwrap.dedent("""\
        import tensorflow as tf


        def normalize(x):
            return x / tf.math.reduce_std(x, axis=-1, keepdims=True)
        """)

    async def scenario(editor: Editor):
        uri = editor.open(tmp_path / "norm.py", source)
        [diagnostic] = await editor.wait_for(uri, lambda found: bool(found))
        pending = asyncio.ensure_future(editor.client.workspace_execute_command_async(lsp.ExecuteCommandParams(
            command="nanlint.verify", arguments=[uri, diagnostic.data["fingerprint"]])))
        await editor.wait_for(uri, lambda found: found and "[verify: running]" in found[0].message)
        started = await _verifier_processes(tmp_path)
        editor.replace_all(uri, source + "\n")
        answer = await asyncio.wait_for(pending, TIMEOUT)
        for _ in range(100):  # the worker's namespace goes down with it, a moment after (seconds under load)
            left = [pid for pid in started if _alive(pid)]
            if not left:
                break
            await asyncio.sleep(0.1)
        return answer, started, left

    answer, started, left = run_editor(tmp_path, scenario, "--device", "cpu")
    assert answer["status"] == "cancelled"
    assert len(started) >= 2 and left == []  # `nanlint verify` and its TensorFlow worker both stopped


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


async def _verifier_processes(cwd: Path) -> list[int]:
    """The server's `nanlint verify` (the one started in `cwd`) and its descendants, once its worker is up."""
    def children() -> dict[int, list[int]]:
        tree: dict[int, list[int]] = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            tree.setdefault(int(fields[1]), []).append(int(stat.parent.name))
        return tree

    for _ in range(200):
        roots = []
        for entry in Path("/proc").glob("[0-9]*"):
            try:
                if os.readlink(entry / "cwd") == str(cwd) and b"verify" in (entry / "cmdline").read_bytes():
                    roots.append(int(entry.name))
            except OSError:
                continue
        tree, found = children(), list(roots)
        for pid in found:
            found.extend(tree.get(pid, []))
        if len(found) > len(roots):
            return found
        await asyncio.sleep(0.1)
    return []


def test_without_pygls_the_server_says_how_to_install_it():
    probe = textwrap.dedent("""
        import sys
        sys.modules["pygls"] = None  # what an install without the `server` extra looks like
        from nanlint.cli import main
        sys.exit(main(["server"]))
        """)
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, stdin=subprocess.DEVNULL)
    assert out.returncode == 2
    assert 'pip install "nanlint[server]"' in out.stderr


def test_values_cross_the_files_of_the_project_as_in_the_cli(tmp_path):
    """A helper in another file of the project returns a sigmoid; the open buffer logs it. As `nanlint ROOT`
    does (nanlint/project.py), the server follows the import, and sees the helper as last saved."""
    (tmp_path / "pyproject.toml").write_text("[tool.nanlint]\n")
    (tmp_path / "helpers.py").write_text("import tensorflow as tf\n\n\ndef probs(x):\n    return tf.sigmoid(x)\n")
    main = "import tensorflow as tf\nfrom helpers import probs\n\n\ndef loss(x):\n    return tf.math.log(probs(x))\n"

    async def scenario(editor: Editor):
        uri = editor.open(tmp_path / "train.py", main)
        return await editor.wait_for(uri, lambda found: bool(found))

    diagnostics = run_editor(tmp_path, scenario)
    assert [(d.code, d.range.start.line) for d in diagnostics] == [("NAN001", 5)]
    assert "sigmoid" in diagnostics[0].message
