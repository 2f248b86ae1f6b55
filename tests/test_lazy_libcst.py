"""The command line imports libcst's node classes only (nanlint.lazy_libcst); everything else of libcst loads on first
use, in the same process, and is the same libcst as a plain `import libcst`. Each probe runs in a fresh interpreter:
the test process has imported libcst already, and `install()` then rightly does nothing."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

# What the lint path must not import: libcst's parser, metadata, visitor batches, matchers and codemods.
NOT_ON_THE_LINT_PATH = ("libcst._parser", "libcst.metadata", "libcst._batched_visitor", "libcst.matchers",
                        "libcst.codemod", "libcst.helpers")

# an f-string: libcst's native parser reads it (nanlint.frontend), without libcst's Python parser modules
BUGGY = "import tensorflow as tf\n\n\ndef loss(x):\n    print(f\"{x!r:>8}\")\n    return tf.math.log(tf.sigmoid(x))\n"
# `match`: the lint path parses the file with libcst's entry point (the converter declines it)
NEEDS_THE_PARSER = textwrap.dedent("""\
    import tensorflow as tf


    def loss(x, kind):
        print(f"{kind}: {x}")
        match kind:
            case "log":
                return tf.math.log(tf.sigmoid(x))
        return x
    """)


def probe(code: str) -> dict:
    """Run `code` in a fresh interpreter; it prints one JSON object last."""
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def loaded(prefixes: tuple[str, ...]) -> str:
    return f"sorted(m for m in sys.modules if m.startswith({prefixes!r}))"


def linted_by_the_cli(target, output: str = "linted") -> str:
    """Probe code that lints `target` with the command line (cold, no config) into `code` and `output`."""
    return f"""
        import contextlib, io, json, sys
        from nanlint.cli import main
        with contextlib.redirect_stdout(io.StringIO()) as out:
            code = main([{str(target)!r}, "--isolated", "--no-cache"])
        {output} = out.getvalue()
        """


def test_the_lint_path_imports_the_node_classes_only(tmp_path):
    target = tmp_path / "model.py"
    target.write_text(BUGGY)
    result = probe(linted_by_the_cli(target, "linted") + f"""
        print(json.dumps({{"code": code, "out": linted, "heavy": {loaded(NOT_ON_THE_LINT_PATH)},
                          "nodes": "libcst._nodes.expression" in sys.modules}}))
        """)
    assert result["code"] == 1 and "NAN001" in result["out"], result
    assert result["nodes"]
    assert result["heavy"] == []


def test_parser_fixes_and_submodules_work_after_the_lint_path(tmp_path):
    target = tmp_path / "model.py"
    target.write_text(NEEDS_THE_PARSER)
    result = probe(linted_by_the_cli(target) + f"""
        with contextlib.redirect_stdout(io.StringIO()) as out:
            main([{str(target)!r}, "--isolated", "--no-cache", "--diff", "--unsafe-fixes"])
        diff = out.getvalue()
        import libcst
        import libcst.matchers as m
        from libcst.metadata import MetadataWrapper, PositionProvider
        from libcst._nodes.expression import Name
        module = libcst.parse_module("x = f(y)\\n")
        positions = MetadataWrapper(module).resolve(PositionProvider)
        names = [node for node in positions if isinstance(node, libcst.Name)]
        print(json.dumps({{"code": code, "linted": linted, "diff": diff,
                          "same_class": libcst.Name is Name and m.Name is not None,
                          "names": sorted(node.value for node in names),
                          "matches": m.matches(module.body[0].body[0].value.func, m.Name("f"))}}))
        """)
    assert result["code"] == 1 and ":8:20: NAN001" in result["linted"], result
    assert "+            return tf.math.log_sigmoid(x)" in result["diff"], result["diff"]
    assert result["same_class"] and result["matches"]
    assert result["names"] == ["f", "x", "y"]


def test_the_package_exports_what_a_plain_import_exports():
    spelled = """
        import json, sys
        {setup}
        import libcst
        print(json.dumps({{name: f"{{getattr(libcst, name).__module__}}.{{getattr(libcst, name).__qualname__}}"
                          if hasattr(getattr(libcst, name), "__qualname__") else repr(getattr(libcst, name))
                          for name in libcst.__all__}}))
        """
    lazy = probe(spelled.format(setup="from nanlint import lazy_libcst; lazy_libcst.install()"))
    plain = probe(spelled.format(setup=""))
    assert lazy == plain
    assert len(plain) > 200


def test_a_layout_it_does_not_expect_falls_back_to_the_plain_import():
    result = probe(f"""
        import json, sys
        from nanlint import lazy_libcst

        def unexpected(tree):
            raise lazy_libcst._Unexpected("a libcst this module does not know")

        lazy_libcst._split = unexpected
        lazy_libcst.install()
        import libcst
        print(json.dumps({{"whole": {loaded(("libcst.metadata", "libcst._parser"))} != [],
                          "parses": libcst.parse_module("x = 1\\n").code == "x = 1\\n"}}))
        """)
    assert result == {"whole": True, "parses": True}
