"""How deeply Python source nests, without a parser: the screen for source that libcst's native parser must not
see, because it recurses once per nesting level and overflows its stack (killing the process) at about 1,200
nested brackets, and needs seconds and gigabytes well before that.

CPython's own parser refuses such input first for every file it can parse. This screen serves the files it
rejects as syntax errors although they may be valid in a newer Python (PEP 695 generics, PEP 701 f-strings,
parsed by libcst): there CPython's parser stopped at the first construct it did not know, before any nesting
further on. The limits are CPython's own, so nothing that any CPython accepts is refused: 200 nested brackets
(its tokenizer's MAXLEVEL; replacement fields of f-strings count, and quotes inside them open new strings, as
in PEP 701), and 1,000 operators, calls, subscripts and attribute dots in one statement (CPython 3.11 fails with
RecursionError on longer unary, power, lambda and conditional chains, and libcst needs over a minute for
3,000 chained subscripts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_BRACKETS = 200
MAX_OPERATORS = 1000

_PREFIX = r"(?P<prefix>[rRbBuUfF]{0,2})(?P<quote>'''|\"\"\"|'|\")"
# In code: a comment, the start of a string, a bracket, an operator or keyword that can chain, a statement end.
_CODE = re.compile(r"#[^\r\n]*|" + _PREFIX + r"|(?P<bracket>[\[\](){}])"
                   r"|(?P<operator>\*\*|[-+~*/%@&|^<>]|\.(?=\s*[A-Za-z_])|\b(?:not|and|or|await|lambda|if|else)\b)"
                   r"|(?P<end>(?<!\\)[\r\n]|;)")  # a backslash-continued line goes on
_END_OF_STRING = {quote: re.compile(r"\\.|" + re.escape(quote), re.S) for quote in ("'''", '"""', "'", '"')}
_IN_FSTRING = {quote: re.compile(r"\\.|\{\{|\}\}|\{|" + re.escape(quote), re.S) for quote in ("'''", '"""', "'", '"')}
_OPENERS, _CLOSERS = "([{", ")]}"


@dataclass(frozen=True)
class TooDeep:
    message: str
    line: int


def too_deep(text: str) -> TooDeep | None:
    """The first place where `text` nests deeper than any CPython accepts, or None."""
    scan = _Scan(text)
    try:
        while True:
            found = scan.in_fstring() if scan.contexts and scan.contexts[-1][0] == "fstring" else scan.in_code()
            if found is not None:
                return found
    except _Finished:  # the end of the text, or an unterminated string (the parser will say so)
        return None


class _Finished(Exception):
    pass


class _Scan:
    """The state of one scan: bracket depth, operators in the current statement, and the open f-strings (their
    quote) and replacement fields (the depth at their `{`), innermost last."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.position = 0
        self.depth = self.operators = 0
        self.contexts: list[tuple[str, str | int]] = []

    def _next(self, pattern: re.Pattern[str]) -> re.Match[str]:
        match = pattern.search(self.text, self.position)
        if match is None:
            raise _Finished
        self.position = match.end()
        return match

    def in_fstring(self) -> TooDeep | None:
        """One step inside an f-string's text: a replacement field opens, or the f-string ends."""
        quote = str(self.contexts[-1][1])
        match = self._next(_IN_FSTRING[quote])
        if match.group() == "{":
            self.depth += 1
            if self.depth > MAX_BRACKETS:
                return _deep(self.text, match.start())
            self.contexts.append(("field", self.depth))
        elif match.group() == quote:
            self.contexts.pop()
        return None

    def in_code(self) -> TooDeep | None:
        """One step in code: a string, a bracket, an operator or a statement's end."""
        match = self._next(_CODE)
        if match.group("quote"):
            self._string(match)
            return None
        if match.group("bracket"):
            return self._bracket(match)
        if match.group("operator"):
            self.operators += 1
        elif match.group("end") and self.depth == 0:
            self.operators = 0
        return self._too_many_operators(match)

    def _string(self, match: re.Match[str]) -> None:
        quote = match.group("quote")
        if "f" in match.group("prefix").lower():
            self.contexts.append(("fstring", quote))
            return
        while self._next(_END_OF_STRING[quote]).group() != quote:  # skip a plain string, escapes and all
            pass

    def _bracket(self, match: re.Match[str]) -> TooDeep | None:
        bracket = match.group("bracket")
        if bracket in _OPENERS:
            self.depth += 1
            self.operators += 1  # a call or subscript chains like an operator: f(x)(y)[z]
            if self.depth > MAX_BRACKETS:
                return _deep(self.text, match.start())
            return self._too_many_operators(match)
        if self.contexts and self.contexts[-1] == ("field", self.depth) and bracket == "}":
            self.contexts.pop()  # back in the f-string's text
            self.depth -= 1
        else:
            self.depth = max(self.depth - 1, 0)
        return None

    def _too_many_operators(self, match: re.Match[str]) -> TooDeep | None:
        if self.operators > MAX_OPERATORS:
            return TooDeep(f"too many operators, calls or subscripts in one statement (more than {MAX_OPERATORS})",
                           self.text.count("\n", 0, match.start()) + 1)
        return None


def _deep(text: str, offset: int) -> TooDeep:
    return TooDeep(f"too many nested parentheses (more than {MAX_BRACKETS})", text.count("\n", 0, offset) + 1)
