"""nanlint.frontend: the tree converted from CPython's AST is libcst's tree on everything the analysis reads, with
libcst's positions and code text; and linting through it reports exactly what linting through libcst reports.
bench/frontend_equivalence.py runs the same comparison over the real corpora."""

from __future__ import annotations

import ast
import dataclasses

import libcst as cst
import pytest

from nanlint.catalog import load_catalog
from nanlint.frontend import Unsupported, convert, convert_or_none, differences, pairs
from nanlint.linter import lint_text
from nanlint.parse import Positions, code_for_node, parse_module
from nanlint.selection import Selection

SNIPPETS = {
    "decorators": "@tf.function(jit_compile=True)\n@property\nasync def f(a, /, b: int = 1, *args, c, d=2, **kw) -> 'x':\n"
                  "    return a\n",
    "f-strings": "s = f\"{a!r:>{b}} {tf.math.log(x) / 2}\" 'tail' f'{y}'\nt = f'''{\n  z}'''\n",
    "implicit concatenation": "t = ('abc'\n     'def')\nu = 'a' 'b'\n",
    "walrus": "if (n := len(a)) > 1:\n    pass\n",
    "star arguments": "f(*args, **kw, key=1)(2)(3)[4].attr\nx = [*a, *b], {**c, 'k': v}\n",
    "chained comparisons": "x = a < b <= c != d is not e in f not in g\n",
    "boolean chains": "x = a and b and c or not d\ny = (a and b) and c\n",
    "global": "def f():\n    global g, h\n    def i():\n        nonlocal g\n",
    "async": "async def f():\n    async with a as b, (c) as (d, e):\n        await b\n    async for i in y:\n"
             "        yield i\n    yield from k\n    x = [i async for i in y]\n",
    "nested parentheses": "x = ((a + (b)) * ((c)))\ny = f((a), ((b)), (x for x in y))\nz = (a), b\nw = ((a, b))\n",
    "generators": "a = f(x for x in y)\nb = f((x for x in y), 1)\nc = dict((k, v) for k, v in d)\n",
    "subscripts": "y = x[1:2, ::3], x[..., None], x[(1, 2)], x[a, b:c], x[:], x[a:b:]\n",
    "numbers": "u = 1e-7 + 0x10 + 1_000 + 3j + 1.5 + True + None + ...\n",
    "operators": "z = -x ** -2 + ~y @ w // v % u << 1 >> 2 & 3 | 4 ^ 5\nz /= 2; z **= 3\n",
    "compound statements": "if a: pass\nelif b: x = 1\nelse:\n    del a, b\n    del (c)\nfor i in y: continue\n"
                           "else: break\nwhile x:\n    x -= 1\ntry:\n    raise E('x') from e\nexcept (A, B) as err:\n"
                           "    assert err, 'm'\nexcept C:\n    ...\nelse:\n    pass\nfinally:\n    pass\n",
    "imports": "from . import (a, b as c)\nfrom ..x.y import *\nimport os.path as osp, sys\n",
    "classes": "class A(B, metaclass=M):\n    '''doc\n    string'''\n    x: int = 1\n    y: int\n"
               "    def call(self, inputs):  # ok\n        return (\n            inputs,  # comment\n        )\n",
    "unicode": "class Modèle(tf.keras.Model):\n    def call(self, entrée):\n        s = 'é' + tf.math.log(entrée)\n"
               "        return s.réponse\n",
    "multi-line call": "def f():\n    y = tf.keras.optimizers.Adam(\n        learning_rate=(1e-3),  # lr\n"
                       "        beta_1=0.9,\n    )\n",
    "semicolons and suites": "def g(): return 1; x = 2\nclass C: pass\n",
    "lambda": "f = lambda x, *y, z=3, **w: (x)\ng = lambda: 0\n",
    "comment before a parenthesis": "x = f(  # why\n    (a),\n)\n",
    "comments after generators": "def f():\n    return tuple(\n        g(o)\n        for o in zip(a, b)  # c\n    )\n"
                                 "    x = (a for a in (b) if (c)  # c\n         )\n",
    "strings over lines": "def g():\n    raise E(\n        'a '\n        \"\"\"b\n        c\"\"\"\n        + str(e)\n"
                          "        + '\\n\"\"\"'\n    )\n    raise E(\n        f\"x,\\\n          y {z}\"\n    )\n",
}


@pytest.mark.parametrize("source", SNIPPETS.values(), ids=SNIPPETS.keys())
def test_converted_tree_is_libcsts_with_its_positions_and_code(source):
    expected = parse_module(source)
    converted, where = convert(ast.parse(source), source)
    assert differences(expected, converted) == []
    positions = Positions(expected)
    for one, other in pairs(expected, converted):
        if isinstance(one, (cst.BaseExpression, cst.BaseStatement, cst.BaseSmallStatement, cst.Arg)):
            assert where.position(other) == positions[one], code_for_node(expected, one)
            if isinstance(one, cst.BaseExpression) and not isinstance(one, cst.StarredElement):
                assert where.code(other, converted) == code_for_node(expected, one)


def test_differences_sees_what_the_analysis_reads():
    source = "x = f(a, (b))\n"
    expected = parse_module(source)
    converted, _ = convert(ast.parse(source), source)
    changed = converted.deep_replace(converted.body[0].body[0].value.args[1].value, cst.Name("c"))
    assert differences(expected, changed)  # a different name
    call = expected.body[0].body[0].value
    assert differences(expected, expected.deep_replace(call, call.with_changes(args=call.args[:1])))


def test_what_it_does_not_build_falls_back():
    source = "match x:\n    case [a]:\n        pass\n"
    with pytest.raises(Unsupported):
        convert(ast.parse(source), source)
    assert convert_or_none(ast.parse(source), source) is None
    deep = "x = " + "+".join(["a"] * 700) + "\n"  # the converter recurses per level: libcst takes it
    assert convert_or_none(ast.parse(deep), deep) is None


def test_nodes_built_after_the_parse_print_with_the_source_of_their_parts():
    source = "opt = Adam(learning_rate=(a + b) * c,  beta=0.9)\n"
    converted, where = convert(ast.parse(source), source)
    call = converted.body[0].body[0].value
    clip = cst.Arg(cst.Float("1.0"), keyword=cst.Name("clipnorm"), equal=cst.AssignEqual(
        cst.SimpleWhitespace(""), cst.SimpleWhitespace("")))
    changed = call.with_changes(args=[*call.args[:-1], call.args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT),
                                      clip])
    # the parts keep their source text (parentheses included); commas get libcst's default spacing
    assert where.code(changed, converted) == "Adam(learning_rate=(a + b) * c, beta=0.9, clipnorm=1.0)"


ALL = Selection(select=("ALL",))


def _findings(source, parser, monkeypatch):
    monkeypatch.setenv("NANLINT_PARSER", parser)
    return [dataclasses.astuple(finding) for finding in lint_text(source, "example.py", ALL, screen=False).findings]


def test_linting_through_either_parse_reports_the_same(monkeypatch):
    examples = [example.code for rule in load_catalog().values() for example in (*rule.bad, *rule.good)]
    for source in examples:
        assert _findings(source, "frontend", monkeypatch) == _findings(source, "libcst", monkeypatch), source


def test_a_findings_fingerprint_is_the_same_through_either_parse_and_ignores_comments(monkeypatch):
    # libcst prints a statement with its trailing comment and the comment lines above it; the converted tree does
    # not keep comments: the fingerprint (baselines, SARIF) is made from the statement's source range instead.
    from nanlint.finding import fingerprint

    source = ("import tensorflow as tf\n\n\ndef loss(y, z):\n    # the loss\n"
              "    return -tf.math.log(tf.sigmoid(z)) * y  # expect: NAN001\n")
    edited = source.replace("# the loss", "# the model's loss").replace("# expect: NAN001", "# see issue 3")
    prints = {}
    for parser in ("frontend", "libcst"):
        monkeypatch.setenv("NANLINT_PARSER", parser)
        for text in (source, edited):
            prints[parser, text] = [fingerprint(f) for f in lint_text(text, "example.py", ALL, screen=False).findings]
    assert prints["frontend", source]
    assert len(set(map(tuple, prints.values()))) == 1, prints


def test_fixes_are_printed_from_libcsts_parse(monkeypatch):
    import argparse

    from nanlint import fixes
    from nanlint.config import Settings
    from nanlint.parser_choice import converting

    monkeypatch.delenv("NANLINT_PARSER", raising=False)
    assert converting()
    for flags in ({"fix": True}, {"diff": True}, {"show_fixes": True}):
        args = argparse.Namespace(**{"fix": False, "diff": False, "show_fixes": False, **flags})
        with fixes.session(args, Settings()):
            assert not converting()
        assert converting()
    with fixes.session(argparse.Namespace(fix=False, diff=False, show_fixes=False), Settings()):
        assert converting()
