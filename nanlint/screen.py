"""The screen before libcst: from CPython's AST of a file, decide that no check can report anything in it, so that
libcst never parses it (libcst's parse is about three quarters of a clean file's cost; CPython's AST is already
built by the linter's syntax pre-check, and walking it costs a fraction of the parse).

Sound by construction of what a check can report on. Every report is positioned on a node of the file being
linted, and every check starts from one of these *anchors* in that file (another file's summaries only feed the
values an anchor's check reads, so a file's own anchors decide; a skipped file is still read as a summary by the
files that import it, because nanlint.project builds summaries from disk on its own):

- a call of an operation of the operation table (`operations.SPELLINGS`, resolved through the imports as the
  analysis resolves them) or spelled as an array method (`operations.METHOD_NAMES`): every NAN0xx rule, the
  gradient-clipping and policy reads of NAN1xx;
- a division, floor division, modulo or power, also augmented (`/=`): divisions (NAN002, NAN004, NAN010), powers
  and roots (NAN003, NAN005); a product only where the text names an infinity (`mask * -inf`, NAN007);
- a call or a class base that names a class of Keras or TensorFlow (a capitalised name the imports resolve into
  `keras.`/`tensorflow.`, or a base written `keras.Model` without an import): models, layers, optimizers, loss
  objects, policies -- everything the model picture and the training reader start from (NAN1xx);
- a framework loss function by name (`_LOSS_FUNCTIONS`: cross-entropies, squared differences), and a call or a
  def whose first two arguments are named prediction-then-truth by NAN104's own predicates: NAN104's swapped
  arguments and roles, its with-logits and least-squares reads;
- a `# noqa` comment naming a nanlint code (an unused one is reported: NAN902).

`tests/test_screen.py` runs every catalog example and every bench/bugs case through the screen (none may be
skipped), and `bench/screen_soundness.py` lints every file the screen skips on real corpora without it (each must
yield nothing). A new kind of anchor (a check starting from something not listed here) must be added here.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable

from nanlint.analysis.operations import METHOD_NAMES, normalize, operation_of
# NAN104's own predicates for an argument named as the prediction / the truth (one definition, read by both)
from nanlint.checks.models.loss_activation_mismatch import _is_prediction as is_prediction
from nanlint.checks.models.loss_activation_mismatch import _is_truth as is_truth

# Operators whose node a check reports on or starts from (divisions, powers and roots).
_OPERATORS = (ast.Div, ast.FloorDiv, ast.Mod, ast.Pow)
# Framework functions NAN104 reads by name, outside the operation table: cross-entropies given logits or swapped
# arguments, squared differences in a least-squares loss.
_LOSS_FUNCTIONS = re.compile(r"cross_?entropy|squared_difference$|l2_loss$")
_FRAMEWORKS = ("keras.", "tensorflow.")
# An infinity in the text (np.inf, float("-inf"), math.inf): a product with it may be a masked infinity.
_INFINITY = re.compile(r"inf", re.IGNORECASE)
# A noqa comment that names a nanlint code: an unused one is itself a finding.
_NOQA = re.compile(r"#\s*noqa\s*:[^\n]*NAN", re.IGNORECASE)


def may_report(tree: ast.AST, text: str) -> bool:
    """Whether any check can report something in the file `tree` was parsed from (False: it cannot)."""
    if _NOQA.search(text):
        return True
    scan = _Scan()
    return any(scan.anchors(node) for node in ast.walk(tree)) or scan.anchors_left(text)


class _Scan:
    """One breadth-first walk that stops at the first anchor. A module's imports mostly come before its calls (its
    top-level statements are visited first), so a call or class is judged at once with the imports seen so far,
    and again at the end only if an import came after it."""

    def __init__(self) -> None:
        self.imports = _Imports()
        self.undecided: list[ast.Call | ast.ClassDef] = []
        self.before_last_import = 0  # how many of `undecided` were judged before the last import
        self.multiplies = False

    def anchors(self, node: ast.AST) -> bool:
        kind = type(node)
        if kind is ast.Call or kind is ast.ClassDef:
            if self._named(node):  # type: ignore[arg-type]
                return True
            self.undecided.append(node)  # type: ignore[arg-type]
        elif kind is ast.BinOp or kind is ast.AugAssign:
            operator = node.op  # type: ignore[attr-defined]
            if isinstance(operator, _OPERATORS):
                return True
            self.multiplies = self.multiplies or isinstance(operator, ast.Mult)
        elif kind is ast.Import or kind is ast.ImportFrom:
            self.imports.add(node)  # type: ignore[arg-type]
            self.before_last_import = len(self.undecided)
        elif kind is ast.FunctionDef or kind is ast.AsyncFunctionDef:
            params = [name for name in _parameters(node.args) if name != "self"]  # type: ignore[attr-defined]
            return len(params) >= 2 and is_prediction(params[0]) and is_truth(params[1])
        return False

    def anchors_left(self, text: str) -> bool:
        """After the walk: the calls and classes judged before an import, and products with an infinity."""
        if any(self._named(node) for node in self.undecided[:self.before_last_import]):
            return True
        return self.multiplies and _INFINITY.search(text) is not None

    def _named(self, node: ast.Call | ast.ClassDef) -> bool:
        if isinstance(node, ast.ClassDef):
            return any(_framework_class(name) for base in node.bases for name in self.imports.names(base))
        return _anchoring_call(node, self.imports)


def _anchoring_call(call: ast.Call, imports: _Imports) -> bool:
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr in METHOD_NAMES:
        return True
    for name in imports.names(func):
        if operation_of(name) is not None:
            return True
        normalized = normalize(name)
        if _framework_class(normalized) or (normalized.startswith(_FRAMEWORKS)
                                            and _LOSS_FUNCTIONS.search(normalized) is not None):
            return True
    positional = [arg for arg in call.args if not isinstance(arg, ast.Starred)]
    if len(positional) >= 2 and is_prediction(_leading_name(positional[0])) and is_truth(
            _leading_name(positional[1])):
        return True
    keywords = {keyword.arg: keyword.value for keyword in call.keywords if keyword.arg is not None}
    return "labels" in keywords and "logits" in keywords and is_prediction(_leading_name(keywords["labels"])) \
        and is_truth(_leading_name(keywords["logits"]))


def _framework_class(name: str) -> bool:
    normalized = normalize(name)
    return normalized.startswith(_FRAMEWORKS) and normalized.rsplit(".", 1)[-1][:1].isupper()


def _parameters(arguments: ast.arguments) -> list[str]:
    """A def's parameter names in the analysis' order (analysis/module.py `_declare_params`)."""
    names = [arg.arg for arg in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)]
    return names + [star.arg for star in (arguments.vararg, arguments.kwarg) if star is not None]


def _leading_name(expr: ast.expr) -> str | None:
    """NAN104's leading name of an argument: `pred` for `pred`, `pred + noise`, `pred[:, 0]`, `self.pred`."""
    while isinstance(expr, (ast.BinOp, ast.Subscript, ast.Attribute)):
        if isinstance(expr, ast.BinOp):
            expr = expr.left
        elif isinstance(expr, ast.Subscript):
            expr = expr.value
        else:
            return expr.attr
    return expr.id if isinstance(expr, ast.Name) else None


class _Imports:
    """The analysis' import table (analysis/names.py) on CPython's AST, except that a local name keeps every
    target any import in the file gives it: the analysis reads the table as it stands at each call, so a name
    imported twice may mean either."""

    def __init__(self) -> None:
        self.aliases: dict[str, set[str]] = {}

    def add(self, node: ast.Import | ast.ImportFrom) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                local, full = (alias.asname, alias.name) if alias.asname else ((top := alias.name.split(".")[0]), top)
                self.aliases.setdefault(local, set()).add(full)
        elif node.module is not None:
            module = "." * node.level + node.module
            for alias in node.names:
                if alias.name != "*":
                    self.aliases.setdefault(alias.asname or alias.name, set()).add(f"{module}.{alias.name}")

    def names(self, expr: ast.expr) -> Iterable[str]:
        """The qualified names a dotted expression may have through the imports, and its name as written (a class
        base the imports do not resolve is read as written)."""
        parts: list[str] = []
        while isinstance(expr, ast.Attribute):
            parts.append(expr.attr)
            expr = expr.value
        if not isinstance(expr, ast.Name):
            return ()
        rest = ".".join(reversed(parts))
        found = [f"{target}.{rest}" if rest else target for target in self.aliases.get(expr.id, ())]
        found.append(f"{expr.id}.{rest}" if rest else expr.id)
        return found
