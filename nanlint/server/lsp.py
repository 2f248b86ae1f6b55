"""The language server proper (pygls): the CLI's pipeline applied to open buffers.

- Diagnostics on open, change (after a short pause in typing) and save: `linter.lint_text` with the
  `[tool.nanlint]` settings of the file's closest config, noqa honoured; notebooks by cell when the client
  syncs them as notebooks (`linter.lint_bytes` on the code cells, findings mapped back to each cell).
- Code actions: each finding's fix, its safety in the title; "Verify this finding" for rules with a recipe.
- Hover: the rule's page (`nanlint rule CODE`) and the verdict, when there is one.
- `nanlint.verify` (workspace/executeCommand): runs `nanlint verify` on the buffer in a subprocess, in the
  background; the diagnostic carries "[verify: running]" and then the verdict. An edit to the file cancels
  it (the subprocess gets SIGINT, which makes it kill its TensorFlow worker) and drops stale verdicts.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path
from pygls.workspace.position_codec import ServerTextPosition, ServerTextRange

from nanlint import __version__
from nanlint.catalog import CatalogError, load_catalog
from nanlint.config import ConfigError, Settings, find_config, load_settings
from nanlint.finding import DECODE_ERROR, IMPROBABLE_NOT_RUN, INTERNAL_ERROR, SYNTAX_ERROR, Confidence, Finding, fingerprint
from nanlint.discovery import discover
from nanlint.linter import lint_bytes, lint_text
from nanlint.project import Project
from nanlint.project import use as use_project
from nanlint.rule_command import render
from nanlint.verify.recipes import recipe_for_finding

VERIFY_COMMAND = "nanlint.verify"
# Seconds of quiet after a keystroke before linting: a burst of typing is linted once, at its end.
LINT_DELAY = 0.2
# Seconds a cancelled verification gets to stop its worker after SIGINT before it is killed.
CANCEL_GRACE = 5.0
_ERRORS = (SYNTAX_ERROR, DECODE_ERROR, INTERNAL_ERROR)


@dataclass(frozen=True)
class VerifyOptions:
    python: str | None = None
    device: str = "auto"
    timeout: float = 60.0


@dataclass
class _Document:
    """What was linted for one text document (a file, or one cell of a notebook) and what it found."""

    version: int | None
    text: str
    findings: tuple[Finding, ...]
    settings: Settings
    display: str  # the path the findings carry (relative to the config's root, as the CLI prints it)
    in_notebook: bool = False
    # fingerprint -> verdict in `finding_to_dict` form, or {"status": "running"} while verifying.
    verdicts: dict[str, dict] = field(default_factory=dict)


class NanlintServer(LanguageServer):
    def __init__(self, options: VerifyOptions) -> None:
        super().__init__(
            "nanlint", __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental,
            notebook_document_sync=lsp.NotebookDocumentSyncOptions(notebook_selector=[
                lsp.NotebookDocumentFilterWithCells(cells=[lsp.NotebookCellLanguage(language="python")],
                                                    notebook="jupyter-notebook")]))
        self.options = options
        self.documents: dict[str, _Document] = {}
        self.pending_lint: dict[str, asyncio.Task] = {}
        self.verifications: dict[str, dict[str, asyncio.Task]] = {}

    # -- linting -------------------------------------------------------------------------------------

    def schedule_lint(self, uri: str, delay: float) -> None:
        """Lint `uri` (a text document or a notebook) after `delay`, replacing a lint already waiting."""
        waiting = self.pending_lint.pop(uri, None)
        if waiting is not None:
            waiting.cancel()
        self.pending_lint[uri] = asyncio.get_running_loop().create_task(self._lint_later(uri, delay))

    async def _lint_later(self, uri: str, delay: float) -> None:
        if delay:
            await asyncio.sleep(delay)
        notebook = self.workspace.get_notebook_document(notebook_uri=uri)
        if notebook is not None:
            await self._lint_notebook(notebook)
            return
        document = self.workspace.get_text_document(uri)
        version, text = document.version, document.source
        # Off the event loop: a large file takes a while, and the client's next keystroke must not wait.
        linted = await asyncio.get_running_loop().run_in_executor(None, _lint_file, uri, text)
        if self.workspace.get_text_document(uri).version != version:
            return  # the buffer moved on; its own lint is already scheduled
        state = replace(linted, version=version)
        previous = self.documents.get(uri)
        if previous is not None and previous.text == text:
            state.verdicts = previous.verdicts  # a save without edits keeps the verdicts
        self.documents[uri] = state
        self.publish(uri)

    async def _lint_notebook(self, notebook: lsp.NotebookDocument) -> None:
        cells = [cell for cell in notebook.cells if cell.kind == lsp.NotebookCellKind.Code]
        sources = {cell.document: self.workspace.get_text_document(cell.document) for cell in cells}
        versions = {uri: doc.version for uri, doc in sources.items()}
        texts = [sources[cell.document].source for cell in cells]
        per_cell = await asyncio.get_running_loop().run_in_executor(None, _lint_cells, notebook.uri, texts)
        if any(self.workspace.get_text_document(uri).version != version for uri, version in versions.items()):
            return
        for cell, (state, text) in zip(cells, per_cell):
            self.documents[cell.document] = replace(state, version=versions[cell.document], text=text)
            self.publish(cell.document)

    def forget(self, uri: str) -> None:
        self.cancel_verifications(uri)
        waiting = self.pending_lint.pop(uri, None)
        if waiting is not None:
            waiting.cancel()
        if self.documents.pop(uri, None) is not None:
            self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    # -- diagnostics ---------------------------------------------------------------------------------

    def publish(self, uri: str) -> None:
        state = self.documents[uri]
        self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(
            uri=uri, version=state.version, diagnostics=[self.diagnostic(state, f) for f in state.findings]))

    def diagnostic(self, state: _Document, finding: Finding) -> lsp.Diagnostic:
        key = fingerprint(finding)
        verdict = state.verdicts.get(key)
        message = finding.message
        if verdict is not None:
            message += (" [verify: running]" if verdict["status"] == "running"
                        else f" [verify: {verdict['status']}: {verdict['detail']}]")
        # A hazard the verifier reproduced is an error, like a file that does not parse; the rest are warnings.
        confirmed = verdict is not None and verdict["status"] == "confirmed"
        severity = (lsp.DiagnosticSeverity.Error if finding.code in _ERRORS or confirmed
                    else lsp.DiagnosticSeverity.Warning)
        rule = _catalog().get(finding.code)
        return lsp.Diagnostic(
            range=self.client_range(state, finding), message=message, severity=severity, code=finding.code,
            code_description=lsp.CodeDescription(href=rule.help_uri) if rule is not None else None,
            source="nanlint", data={"fingerprint": key})

    def client_range(self, state: _Document, finding: Finding) -> lsp.Range:
        """nanlint counts columns in code points, 1-based; LSP counts UTF-16 units (by default), 0-based."""
        lines = state.text.splitlines(keepends=True)
        span = ServerTextRange(ServerTextPosition(finding.line - 1, finding.col - 1),
                               ServerTextPosition(finding.end_line - 1, finding.end_col - 1))
        return self.workspace.position_codec.range_to_client_units(lines, span)

    def findings_in(self, uri: str, client_range: lsp.Range) -> tuple[_Document, list[Finding]] | None:
        """The document and its current findings that touch `client_range`; None while the buffer is ahead of
        them (or unknown)."""
        state = self.documents.get(uri)
        if state is None or self.workspace.get_text_document(uri).version != state.version:
            return None
        lines = state.text.splitlines(keepends=True)
        wanted = self.workspace.position_codec.range_from_client_units(lines, client_range)
        first, last = (wanted.start.line + 1, wanted.start.character + 1), (wanted.end.line + 1, wanted.end.character + 1)
        return state, [f for f in state.findings if (f.line, f.col) <= last and first <= (f.end_line, f.end_col)]

    def code_actions(self, uri: str, client_range: lsp.Range) -> list[lsp.CodeAction | lsp.Command]:
        """A quick fix per finding with a fix, and a "verify" command per finding the verifier can run."""
        found = self.findings_in(uri, client_range)
        if found is None:
            return []
        state, findings = found
        actions: list[lsp.CodeAction | lsp.Command] = []
        for finding in findings:
            diagnostic = self.diagnostic(state, finding)
            if finding.fix is not None:
                safety = "safe" if finding.fix.safe else "unsafe"
                edit = lsp.TextDocumentEdit(
                    text_document=lsp.OptionalVersionedTextDocumentIdentifier(uri=uri, version=state.version),
                    edits=[lsp.TextEdit(range=diagnostic.range, new_text=finding.fix.replacement)])
                actions.append(lsp.CodeAction(
                    title=f"Fix {finding.code}: {finding.fix.description} ({safety})", kind=lsp.CodeActionKind.QuickFix,
                    diagnostics=[diagnostic], is_preferred=finding.fix.safe,
                    edit=lsp.WorkspaceEdit(document_changes=[edit])))
            if recipe_for_finding(finding) is not None and not state.in_notebook:
                # A bare Command, not a CodeAction carrying one: lsprotocol's own client (and so any pygls-based
                # client) parses every action that has a `command` key as a Command.
                actions.append(lsp.Command(title=f"Verify this finding ({finding.code}) with TensorFlow",
                                           command=VERIFY_COMMAND, arguments=[uri, fingerprint(finding)]))
        return actions

    def hover(self, uri: str, position: lsp.Position) -> lsp.Hover | None:
        """Each finding under the cursor: its message, its verdict once verified, and its rule's page."""
        found = self.findings_in(uri, lsp.Range(start=position, end=position))
        if found is None or not found[1]:
            return None
        state, findings = found
        pages = []
        for finding in findings:
            verdict = state.verdicts.get(fingerprint(finding))
            page = [f"**{finding.code}** {finding.message}"]
            if verdict is not None and verdict["status"] != "running":
                page.append(f"**Verified: {verdict['status']}**: {verdict['detail']}")
            rule = _catalog().get(finding.code)
            if rule is not None:
                page.append(render(rule))
            pages.append("\n\n".join(page))
        return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value="\n\n---\n\n".join(pages)),
                         range=self.client_range(state, findings[0]))

    # -- verification --------------------------------------------------------------------------------

    async def verify(self, uri: str, key: str) -> dict:
        state = self.documents.get(uri)
        finding = next((f for f in state.findings if fingerprint(f) == key), None) if state else None
        if state is None or finding is None:
            return {"status": "could not run", "detail": "no such finding in the current version of the file"}
        if state.in_notebook or recipe_for_finding(finding) is None:
            return {"status": "could not run", "detail": IMPROBABLE_NOT_RUN if finding.confidence is Confidence.IMPROBABLE
                    else f"{finding.code} has no runtime check here"}
        running = self.verifications.setdefault(uri, {})
        if key not in running:
            running[key] = asyncio.get_running_loop().create_task(self._run_verifier(state, finding))
            state.verdicts[key] = {"status": "running"}
            self.publish(uri)
        task = running[key]
        try:
            verdict = await asyncio.shield(task)
        except asyncio.CancelledError:
            if not task.cancelled():
                raise  # this request itself was cancelled; the verification goes on for the diagnostic
            return {"status": "cancelled", "detail": "the file changed while verifying"}
        finally:
            if task.done() and running.get(key) is task:
                del running[key]
        if self.documents.get(uri) is state:
            state.verdicts[key] = verdict
            self.publish(uri)
        return verdict

    async def _run_verifier(self, state: _Document, finding: Finding) -> dict:
        """`nanlint verify` on the buffer's text (not the file on disk), with the buffer's config."""
        settings = state.settings
        config = ["--config", str(settings.config_path)] if settings.config_path else ["--isolated"]
        command = [sys.executable, "-m", "nanlint", "verify", "--output-format", "json", "--select", finding.code,
                   "--stdin-filename", state.display, *config, "--device", self.options.device,
                   "--verify-timeout", str(self.options.timeout), "--exit-zero", "-"]
        if self.options.python:
            command[-1:-1] = ["--python", self.options.python]
        process = await asyncio.create_subprocess_exec(
            *command, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            cwd=settings.root)
        try:
            out, err = await process.communicate(state.text.encode("utf-8"))
        except asyncio.CancelledError:
            await _stop(process)
            raise
        return _verdict_of(out, err, process.returncode, fingerprint(finding))

    def cancel_verifications(self, uri: str) -> None:
        for task in self.verifications.pop(uri, {}).values():
            task.cancel()
        state = self.documents.get(uri)
        if state is not None:
            state.verdicts.clear()


# The Python files of each project root, listed once and again after a save (a file may have been added).
_PROJECT_FILES: dict[Path, tuple[str, ...]] = {}


def _use_project_of(settings: Settings, path: Path) -> None:
    """Values cross files as they do for `nanlint ROOT` (nanlint/project.py): the project is the config's
    directory, or the file's own directory when no config applies. Helpers are read from disk when a call
    reaches them, so a fresh Project per lint sees what was last saved."""
    root = settings.root if settings.config_path else path.parent
    files = _PROJECT_FILES.get(root)
    if files is None:
        found, _ = discover([str(root)], settings) if settings.config_path else (
            [(str(child), "") for child in root.glob("*.py")], [])
        files = _PROJECT_FILES[root] = tuple(os.path.abspath(real) for real, _ in found)
    use_project(Project(files, base=str(settings.root)))


def _lint_file(uri: str, text: str) -> _Document:
    path = Path(to_fs_path(uri) or uri)
    settings, display = _settings_for(path)
    if settings.is_excluded(path):
        return _Document(None, text, (), settings, display)
    _use_project_of(settings, path)
    result = lint_text(text, display, settings.selection)
    return _Document(None, text, result.findings, settings, display)


def _lint_cells(uri: str, texts: list[str]) -> list[tuple[_Document, str]]:
    """Lint a notebook's code cells as `linter.lint_bytes` lints an .ipynb (cells joined, magics masked),
    then give each cell the findings that `notebook.py` mapped to it (`Finding.cell`)."""
    path = Path(to_fs_path(uri) or uri)
    settings, display = _settings_for(path)
    notebook = {"cells": [{"cell_type": "code", "source": text} for text in texts]}
    _use_project_of(settings, path)
    findings = () if settings.is_excluded(path) else lint_bytes(
        json.dumps(notebook).encode("utf-8"), display if display.endswith(".ipynb") else display + ".ipynb",
        settings.selection).findings
    per_cell: list[list[Finding]] = [[] for _ in texts]
    for finding in findings:
        per_cell[finding.cell - 1 if finding.cell else 0].append(finding)
    return [(_Document(None, text, tuple(cell), settings, display, in_notebook=True), text)
            for text, cell in zip(texts, per_cell)]


def _settings_for(path: Path) -> tuple[Settings, str]:
    """The settings the CLI would use for this file (its closest `[tool.nanlint]`), and the path as the CLI
    would print it from that config's directory (so per-file-ignores globs match the same way)."""
    config = find_config(path.parent)
    try:
        settings = load_settings(argparse.Namespace(config=str(config) if config else None, isolated=config is None))
    except ConfigError as error:
        print(f"nanlint: error: {error}; linting with the default settings", file=sys.stderr)
        settings = Settings(root=path.parent)
    try:
        display = path.relative_to(settings.root).as_posix()
    except ValueError:
        display = str(path)
    return settings, display


def _verdict_of(out: bytes, err: bytes, returncode: int | None, key: str) -> dict:
    try:
        findings = json.loads(out.decode("utf-8") or "[]")
    except ValueError:
        findings = []
    for finding in findings:
        if finding.get("fingerprint") == key and finding.get("verdict"):
            return finding["verdict"]
    reason = err.decode("utf-8", "replace").strip().splitlines()
    detail = reason[-1] if reason else f"nanlint verify exited with status {returncode} and no verdict"
    return {"status": "could not run", "detail": detail.removeprefix("nanlint: error: ")}


async def _stop(process: asyncio.subprocess.Process) -> None:
    """SIGINT first: `nanlint verify` then kills its worker's process group on the way out."""
    if process.returncode is not None:
        return
    process.send_signal(signal.SIGINT)
    try:
        await asyncio.wait_for(process.wait(), CANCEL_GRACE)
    except asyncio.TimeoutError:
        process.kill()
        await process.wait()


_catalog_rules: dict | None = None


def _catalog() -> dict:
    """The rule pages; a broken catalog costs the hovers, never the diagnostics."""
    global _catalog_rules
    if _catalog_rules is None:
        try:
            _catalog_rules = load_catalog()
        except (CatalogError, OSError) as error:
            print(f"nanlint: error: broken rule catalog: {error}", file=sys.stderr)
            _catalog_rules = {}
    return _catalog_rules


def build_server(options: VerifyOptions) -> NanlintServer:  # noqa: C901 - a table of one-line handlers
    """Register the handlers: each passes its request to a NanlintServer method. (mccabe counts every nested
    handler towards this function, hence the noqa: none of them branches more than once.)"""
    server = NanlintServer(options)

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: NanlintServer, params: lsp.DidOpenTextDocumentParams) -> None:
        if params.text_document.language_id in ("python", "") or params.text_document.uri.endswith((".py", ".pyi")):
            ls.schedule_lint(params.text_document.uri, 0)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: NanlintServer, params: lsp.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.cancel_verifications(uri)
        if uri in ls.documents or uri in ls.pending_lint:
            ls.schedule_lint(uri, LINT_DELAY)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: NanlintServer, params: lsp.DidSaveTextDocumentParams) -> None:
        # Saving can change which config applies (a pyproject.toml edited next door) and which project files
        # exist: lint again.
        _PROJECT_FILES.clear()
        if params.text_document.uri in ls.documents:
            ls.schedule_lint(params.text_document.uri, 0)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: NanlintServer, params: lsp.DidCloseTextDocumentParams) -> None:
        ls.forget(params.text_document.uri)

    @server.feature(lsp.NOTEBOOK_DOCUMENT_DID_OPEN)
    def notebook_open(ls: NanlintServer, params: lsp.DidOpenNotebookDocumentParams) -> None:
        ls.schedule_lint(params.notebook_document.uri, 0)

    @server.feature(lsp.NOTEBOOK_DOCUMENT_DID_CHANGE)
    def notebook_change(ls: NanlintServer, params: lsp.DidChangeNotebookDocumentParams) -> None:
        ls.schedule_lint(params.notebook_document.uri, LINT_DELAY)

    @server.feature(lsp.NOTEBOOK_DOCUMENT_DID_SAVE)
    def notebook_save(ls: NanlintServer, params: lsp.DidSaveNotebookDocumentParams) -> None:
        ls.schedule_lint(params.notebook_document.uri, 0)

    @server.feature(lsp.NOTEBOOK_DOCUMENT_DID_CLOSE)
    def notebook_close(ls: NanlintServer, params: lsp.DidCloseNotebookDocumentParams) -> None:
        for cell in params.cell_text_documents:
            ls.forget(cell.uri)

    @server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION,
                    lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix]))
    def code_actions(ls: NanlintServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction | lsp.Command]:
        return ls.code_actions(params.text_document.uri, params.range)

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    def hover(ls: NanlintServer, params: lsp.HoverParams) -> lsp.Hover | None:
        return ls.hover(params.text_document.uri, params.position)

    @server.command(VERIFY_COMMAND)
    async def verify(ls: NanlintServer, uri: str, key: str) -> dict:
        return await ls.verify(uri, key)

    @server.feature(lsp.SHUTDOWN)
    def shutdown(ls: NanlintServer, *args: object) -> None:
        for uri in list(ls.verifications):
            ls.cancel_verifications(uri)

    return server
