"""Jupyter notebooks: the code cells are joined into one module (so names imported in one cell resolve in
the next, as they do in the kernel), IPython magics are masked, and each finding is mapped back to its cell.

Findings keep the real file as their path and carry the cell number (printed `notebook.ipynb:cell 3:2:5`,
ruff's convention) plus where the range lies in the file's JSON text, for formats that must point into the
real file. Fixes and `--add-noqa` edit cell sources and put each edited `source` value back in place, so the
rest of the file keeps its formatting byte for byte.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from nanlint.finding import FileResult, Finding
from nanlint.selection import Selection

INVALID_NOTEBOOK = "NAN903"
# IPython syntax that is not Python: line magics, shell escapes, help (`%timeit x`, `!pip install`, `x?`).
# Not `!=` or `%=` (or `% 2`) starting a continuation line of a multi-line expression: those are Python.
_MAGIC = re.compile(r"^\s*(%{1,2}[A-Za-z_]|!(?!=)|\?)|\?\s*$")
# Cell magics whose body is Python (ruff's list): the body is linted, the magic line masked. Any other
# cell magic (`%%bash`, `%%html`, `%%writefile`) makes the cell another language, and it is skipped.
PYTHON_CELL_MAGICS = frozenset({"capture", "debug", "prun", "pypy", "python", "python3", "time", "timeit"})
# Messages that point at another place in the file ("loss passed to compile at line 12") count in the
# joined module; in a notebook they are rewritten to the cell's own numbering.
_LINE_REFERENCE = re.compile(r"\bat line (\d+)\b")
_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\n\r]*")


@dataclass(frozen=True)
class Cell:
    number: int  # 1-based among all cells, markdown included (what Jupyter and ruff show)
    source: str
    # Where the cell's "source" value lies in the file's text, and each of its list elements (start, end).
    span: tuple[int, int] | None
    elements: tuple[tuple[int, int], ...]
    as_list: bool


@dataclass(frozen=True)
class Notebook:
    text: str
    cells: tuple[Cell, ...]  # the code cells

    def module(self) -> tuple[str, tuple[int, ...]]:
        """The code cells joined into one module with magics masked, and the module line each cell starts at."""
        return _join([mask(cell.source) for cell in self.cells])

    def module_line(self, cell_number: int, line: int) -> int:
        """A cell-relative line as a line of `module()` (the verifier re-reads findings this way)."""
        _, starts = self.module()
        index = next(i for i, cell in enumerate(self.cells) if cell.number == cell_number)
        return starts[index] + line - 1

    def file_position(self, cell: Cell, line: int, col: int) -> tuple[int, int]:
        """Where (line, col) of a cell lies in the file's JSON text, 1-based; the escaping of the characters
        before it on its line is counted as `json.dumps` writes it."""
        if cell.span is None:
            return 1, 1
        lines = cell.source.split("\n")
        offset = sum(len(text) + 1 for text in lines[: line - 1]) + col - 1
        elements = cell.elements if cell.as_list else (cell.span,)
        pieces = [json.loads(self.text[start:end]) for start, end in elements] if cell.as_list else [cell.source]
        at = cell.span[0]
        for index, ((start, _), piece) in enumerate(zip(elements, pieces)):
            if offset < len(piece) or index == len(pieces) - 1:
                at = start + 1 + len(json.dumps(piece[:offset], ensure_ascii=False)) - 2
                break
            offset -= len(piece)
        file_line = self.text.count("\n", 0, at) + 1
        return file_line, at - self.text.rfind("\n", 0, at)

    def with_sources(self, sources: Mapping[int, str]) -> str:
        """The file's text with the given cells' sources replaced; everything else is kept as it was."""
        text = self.text
        for cell in sorted(self.cells, key=lambda c: c.span[0] if c.span else -1, reverse=True):
            if cell.number not in sources or cell.span is None or sources[cell.number] == cell.source:
                continue
            start, end = cell.span
            text = text[:start] + self._serialize(cell, sources[cell.number], start, end) + text[end:]
        return text

    def _serialize(self, cell: Cell, source: str, start: int, end: int) -> str:
        """The new JSON value of `cell`'s source, in the layout of the old one (text[start:end])."""
        ascii_only = "\\u" in self.text and not any(ord(c) > 127 for c in self.text)
        if not cell.as_list:
            return json.dumps(source, ensure_ascii=ascii_only)
        items = [json.dumps(line, ensure_ascii=ascii_only) for line in source.splitlines(keepends=True)]
        if not items:
            return "[]"
        if "\n" not in self.text[start:end] or not cell.elements:  # written on one line: keep it on one line
            return "[" + ", ".join(items) + "]"
        first = cell.elements[0][0]
        indent = self.text[self.text.rfind("\n", 0, first) + 1:first]
        closing = self.text[self.text.rfind("\n", 0, end - 1) + 1:end - 1]
        return "[\n" + ",\n".join(indent + item for item in items) + "\n" + closing + "]"


def mask(source: str) -> str:
    """A cell's source as Python: magic lines become empty lines (positions stay), foreign cells empty."""
    lines = source.split("\n")
    first = lines[0].strip()
    if first.startswith("%%"):
        if first[2:].split(" ", 1)[0] not in PYTHON_CELL_MAGICS:  # another language: nothing to lint
            return "\n" * source.count("\n")
        lines[0] = ""
    return "\n".join("" if _MAGIC.search(line) else line for line in lines)


def _join(sources: list[str]) -> tuple[str, tuple[int, ...]]:
    starts, line = [], 1
    for source in sources:
        starts.append(line)
        line += source.count("\n") + 1
    return "\n".join(sources) + "\n", tuple(starts)


def parse_notebook(text: str) -> Notebook | None:
    """The notebook's code cells with their places in the file; None when it is not a valid notebook."""
    try:
        data = json.loads(text)
        cells = data["cells"]
        if not isinstance(cells, list) or not all(isinstance(cell, dict) for cell in cells):
            return None
        spans = _source_spans(text)
    except (ValueError, KeyError, TypeError, IndexError):
        return None
    code = []
    for index, cell in enumerate(cells):
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        if not isinstance(source, (str, list)) or (isinstance(source, list) and
                                                   not all(isinstance(piece, str) for piece in source)):
            return None
        span, elements = spans[index] if index < len(spans) else (None, ())
        code.append(Cell(index + 1, "".join(source) if isinstance(source, list) else source,
                         span, elements, isinstance(source, list)))
    return Notebook(text, tuple(code))


def _source_spans(text: str) -> list[tuple[tuple[int, int] | None, tuple[tuple[int, int], ...]]]:
    """For each cell in order: the span of its "source" value and of that value's list elements."""
    start = _skip(text, 0)
    cells_start = next((s for key, s, _ in _members(text, start) if key == "cells"), None)
    if cells_start is None:
        raise KeyError("cells")  # not reached: parse_notebook's json.loads found the key
    spans: list[tuple[tuple[int, int] | None, tuple[tuple[int, int], ...]]] = []
    for cell_start, _ in _elements(text, cells_start):
        source = next(((s, e) for key, s, e in _members(text, cell_start) if key == "source"), None)
        elements = tuple(_elements(text, source[0])) if source and text[source[0]] == "[" else ()
        spans.append((source, elements))
    return spans


def _skip(text: str, index: int) -> int:
    match = _SPACE.match(text, index)
    return match.end() if match else index  # the pattern matches the empty string: never None


def _members(text: str, start: int) -> Iterator[tuple[str, int, int]]:
    """(key, value start, value end) of each member of the JSON object starting at `start`."""
    index = _skip(text, start + 1)
    while text[index] != "}":
        key, index = _DECODER.raw_decode(text, index)
        index = _skip(text, _skip(text, index) + 1)  # the ':'
        _, end = _DECODER.raw_decode(text, index)
        yield key, index, end
        index = _skip(text, end)
        if text[index] == ",":
            index = _skip(text, index + 1)


def _elements(text: str, start: int) -> Iterator[tuple[int, int]]:
    """(start, end) of each element of the JSON array starting at `start`."""
    index = _skip(text, start + 1)
    while text[index] != "]":
        _, end = _DECODER.raw_decode(text, index)
        yield index, end
        index = _skip(text, end)
        if text[index] == ",":
            index = _skip(text, index + 1)


def lint_notebook(text: str, path: str, selection: Selection,
                  lint_text: Callable[..., FileResult]) -> tuple[Finding, ...] | None:
    """The notebook's findings with cell-relative positions; None when it is not a valid notebook."""
    notebook = parse_notebook(text)
    if notebook is None:
        return None
    module, starts = notebook.module()
    result = lint_text(module, path, selection)
    if not notebook.cells:
        return result.findings
    mapped = []
    for finding in result.findings:
        index = max(i for i, start in enumerate(starts) if start <= finding.line)
        cell, offset = notebook.cells[index], starts[index] - 1
        line, end_line = finding.line - offset, max(finding.end_line - offset, 1)
        noqa_lines = None
        if finding.noqa_lines is not None:
            noqa_lines = (max(finding.noqa_lines[0] - offset, 1), max(finding.noqa_lines[1] - offset, 1))
        mapped.append(dataclasses.replace(
            finding, line=line, end_line=end_line, cell=cell.number, noqa_lines=noqa_lines,
            message=_LINE_REFERENCE.sub(lambda match: _in_cell(int(match.group(1)), notebook, starts), finding.message),
            file_region=(*notebook.file_position(cell, line, finding.col),
                         *notebook.file_position(cell, end_line, finding.end_col))))
    return tuple(mapped)


def as_module_finding(text: str, finding: Finding) -> tuple[str, Finding] | None:
    """For the verifier: the notebook's code cells as one module (magics masked) and the finding with module
    lines, so a snippet can be cut from it like from a .py file; None when the notebook no longer reads."""
    notebook = parse_notebook(text)
    if notebook is None or finding.cell is None or all(c.number != finding.cell for c in notebook.cells):
        return None
    module, _ = notebook.module()
    shift = notebook.module_line(finding.cell, 1) - 1
    return module, dataclasses.replace(finding, line=finding.line + shift, end_line=finding.end_line + shift, cell=None)


def _in_cell(module_line: int, notebook: Notebook, starts: tuple[int, ...]) -> str:
    index = max((i for i, start in enumerate(starts) if start <= module_line), default=0)
    return f"at line {module_line - starts[index] + 1} of cell {notebook.cells[index].number}"


def invalid(path: str, reason: str) -> Finding:
    return Finding(INVALID_NOTEBOOK, f"not a valid notebook: {reason}", path, 1, 1, 1, 1)
