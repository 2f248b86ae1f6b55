"""Is the converted tree (nanlint/frontend.py) libcst's tree on real code, and how much cheaper is it?

    python bench/frontend_equivalence.py                  # keras-io, bench/bugs, the PyPI corpus (bench/corpus.py)
    python bench/frontend_equivalence.py DIR [DIR ...]     # other corpora
    python bench/frontend_equivalence.py --time            # parse CPU only: libcst vs CPython AST + conversion

For every .py file that both CPython and libcst parse: the converted tree must equal libcst's on every field the
analysis can read (`frontend.differences`: node types, names, the text of numbers and strings, operators,
parenthesis counts; whitespace, comments and punctuation left out), every expression, statement and argument must
have libcst's PositionProvider range, and every expression's code must be `module.code_for_node`'s (nodes inside a
string that libcst parsed alone and elements that print their comma are left out: no check reports on them).
Files the converter declines (it raises `Unsupported` and the linter parses them with libcst) are counted.
Exit status 1 on any difference.
"""

from __future__ import annotations

import argparse
import ast
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import libcst as cst  # noqa: E402

from nanlint.frontend import SourceMap, Unsupported, convert, differences, pairs  # noqa: E402
from nanlint.parse import Positions, code_for_node, parse_module  # noqa: E402
from nanlint.source import SourceError, decode, read_bytes  # noqa: E402

import corpora  # noqa: E402  (bench/ is not a package)

DEFAULT = [corpora.BY_NAME["keras-io"].directory, HERE / "bugs", corpora.BY_NAME["pypi"].directory]
_LOCATED = (cst.BaseExpression, cst.BaseStatement, cst.BaseSmallStatement, cst.Arg)


def _texts(root: Path):
    for path in sorted(root.rglob("*.py")) if root.is_dir() else [root]:
        try:
            yield path, decode(read_bytes(str(path))).text
        except (SourceError, SyntaxError, UnicodeDecodeError, LookupError, ValueError):
            continue


def _mismatches(expected: cst.Module, converted: cst.Module, where: SourceMap) -> list[str]:
    found = differences(expected, converted)
    if found:
        return found[:1]
    positions = Positions(expected)
    for one, other in pairs(expected, converted):
        if not isinstance(one, _LOCATED):
            continue
        if where.position(other) != positions[one]:
            return [f"position of {type(one).__name__} `{code_for_node(expected, one)[:60]}`: "
                    f"{positions[one]} != {where.position(other)}"]
        if isinstance(one, cst.BaseExpression) and where.source_of(other) is not None \
                and not isinstance(one, cst.StarredElement) and where.code(other, converted) != code_for_node(expected, one):
            return [f"code of {type(one).__name__}: {code_for_node(expected, one)[:60]!r} != "
                    f"{where.code(other, converted)[:60]!r}"]
    return []


def compare(roots: list[Path]) -> int:
    failures = 0
    for root in roots:
        files, declined, wrong = 0, Counter[str](), 0
        for path, text in _texts(root):
            try:
                tree = compile(text, str(path), "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
                expected = parse_module(text)
            except (SyntaxError, ValueError, RecursionError, MemoryError, cst.ParserSyntaxError):
                continue
            files += 1
            try:
                converted, where = convert(tree, text)
            except Unsupported as reason:
                declined[str(reason)] += 1
                continue
            except RecursionError:
                declined["nested too deeply for the converter"] += 1
                continue
            found = _mismatches(expected, converted, where)
            if found:
                wrong += 1
                print(f"  DIFFERENT {path}: {found[0]}")
        print(f"{root}: {files} files, {wrong} different, {sum(declined.values())} declined "
              f"(parsed by libcst) {dict(declined)}")
        failures += wrong
    return 1 if failures else 0


def time_parses(roots: list[Path], rounds: int) -> None:
    texts = [text for root in roots for _, text in _texts(root)]
    trees = []
    for text in texts:
        try:
            trees.append((compile(text, "<x>", "exec", ast.PyCF_ONLY_AST, dont_inherit=True), text))
            parse_module(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError, cst.ParserSyntaxError):
            trees.pop() if trees and trees[-1][1] is text else None
    best: dict[str, float] = {}
    for _ in range(rounds):
        for name, run in (("CPython AST (the pre-check, paid either way)", _ast_only),
                          ("libcst parse (nanlint.parse, unvalidated)", _libcst),
                          ("conversion of the AST (nanlint.frontend)", _converted)):
            started = time.process_time()
            run(trees)
            best[name] = min(best.get(name, float("inf")), time.process_time() - started)
    print(f"{len(trees)} files, best of {rounds} rounds, CPU seconds:")
    for name, seconds in best.items():
        print(f"  {seconds:7.3f}  {name}")


def _ast_only(trees: list[tuple[ast.Module, str]]) -> None:
    for _, text in trees:
        compile(text, "<x>", "exec", ast.PyCF_ONLY_AST, dont_inherit=True)


def _libcst(trees: list[tuple[ast.Module, str]]) -> None:
    for _, text in trees:
        parse_module(text)


def _converted(trees: list[tuple[ast.Module, str]]) -> None:
    for tree, text in trees:
        try:
            convert(tree, text)
        except (Unsupported, RecursionError):
            parse_module(text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("roots", nargs="*", type=Path)
    parser.add_argument("--time", action="store_true", help="time the parses instead of comparing trees")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    roots = args.roots or [root for root in DEFAULT if root.exists()]
    if args.time:
        time_parses(roots, args.rounds)
        return 0
    return compare(roots)


if __name__ == "__main__":
    sys.exit(main())
