"""Jupyter notebooks: the code cells are joined into one module (so names imported in one cell resolve in
the next, as they do in the kernel), IPython magics are masked, and each finding is mapped back to its cell.
Findings are reported as `notebook.ipynb:cell 3:2:5`, ruff's convention."""

from __future__ import annotations

import dataclasses
import json
import re

from nanlint.finding import Finding
from nanlint.selection import Selection

INVALID_NOTEBOOK = "NAN903"
# IPython syntax that is not Python: line magics, shell escapes, help (`%timeit x`, `!pip install`, `x?`).
_MAGIC = re.compile(r"^\s*(%|!|\?)|\?\s*$")


def _cell_source(cell: dict) -> str:
    source = cell.get("source", "")
    text = "".join(source) if isinstance(source, list) else str(source)
    if text.lstrip().startswith("%%"):  # a cell magic: the whole cell is another language
        return "\n" * text.count("\n")
    return "\n".join("" if _MAGIC.search(line) else line for line in text.split("\n"))


def lint_notebook(text: str, path: str, selection: Selection, lint_text) -> tuple[Finding, ...] | None:
    """The notebook's findings with cell-relative positions; None when it is not a valid notebook."""
    try:
        cells = json.loads(text)["cells"]
        code_cells = [cell for cell in cells if cell.get("cell_type") == "code"]
        sources = [_cell_source(cell) for cell in code_cells]
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    starts, lines = [], 1
    for source in sources:
        starts.append(lines)
        lines += source.count("\n") + 1
    module = "\n".join(sources) + "\n"
    result = lint_text(module, path, selection)
    mapped = []
    for finding in result.findings:
        index = max(i for i, start in enumerate(starts) if start <= finding.line) if starts else 0
        offset = starts[index] - 1 if starts else 0
        cell_number = cells.index(code_cells[index]) + 1 if code_cells else 1
        mapped.append(dataclasses.replace(finding, path=f"{path}:cell {cell_number}", line=finding.line - offset,
                                          end_line=max(finding.end_line - offset, 1)))
    return tuple(mapped)


def invalid(path: str, reason: str) -> Finding:
    return Finding(INVALID_NOTEBOOK, f"not a valid notebook: {reason}", path, 1, 1, 1, 1)
