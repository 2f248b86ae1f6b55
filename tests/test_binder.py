"""The binder: what a name or an attribute refers to at a point, under Python's scoping rules."""

from __future__ import annotations

import textwrap

import libcst as cst

from nanlint.analysis.binder import END, At, BindingKind
from nanlint.analysis.module import ModuleAnalysis
from analysis_support import analysis_of


def _code(analysis: ModuleAnalysis, binding) -> str:
    return analysis.code_of(binding.expression)


def _site_of_call(analysis: ModuleAnalysis, text: str):
    return next(call.site for call in analysis.calls if analysis.code_of(call.node) == text)


def test_last_binding_before_the_point_in_the_same_function():
    a = analysis_of("""
        x = 1
        x = 2
        print(x)
        x = 3
    """)
    binding = a.binder.resolve("x", _site_of_call(a, "print(x)"))
    assert binding.kind is BindingKind.ASSIGNED and _code(a, binding) == "2"


def test_enclosing_scope_is_seen_with_its_last_binding_and_parameters_shadow_it():
    a = analysis_of("""
        scale = 1
        def f(x):
            return g(x, scale)
        scale = 2
        def h(scale):
            return g(scale)
    """)
    in_f = a.binder.resolve("scale", _site_of_call(a, "g(x, scale)"))
    assert _code(a, in_f) == "2"  # the function runs after the module body has finished
    in_h = a.binder.resolve("scale", _site_of_call(a, "g(scale)"))
    assert in_h.kind is BindingKind.PARAMETER and in_h.scope.name == "h"


def test_unbound_names_and_loop_targets():
    a = analysis_of("""
        for i, (a, b) in enumerate(pairs):
            print(i, b, undefined)
        for first, *others in rows:
            print(others)
    """)
    site = _site_of_call(a, "print(i, b, undefined)")
    assert a.binder.resolve("undefined", site) is None
    counter = a.binder.resolve("i", site)
    assert counter.kind is BindingKind.ELEMENT and counter.element.path == (0,)
    inner = a.binder.resolve("b", site)
    assert a.code_of(inner.element.iterable) == "enumerate(pairs)" and inner.element.path == (1, 1)
    # a starred target is bound, to nothing the analysis follows
    assert a.binder.resolve("others", _site_of_call(a, "print(others)")).kind is BindingKind.OPAQUE


def test_comprehension_targets_are_bound_inside_the_comprehension_only():
    a = analysis_of("""
        d = 1
        logs = [log(d) for d in dists for e in d]
        after(d)
        nested = [[inner(d) for d in row] for row in table]
    """)
    inside = a.binder.resolve("d", _site_of_call(a, "log(d)"))
    assert inside.kind is BindingKind.ELEMENT and a.code_of(inside.element.iterable) == "dists"
    # the first iterable is evaluated before the comprehension runs, a nested one inside it (it reads `d`)
    assert a.binder.resolve("dists", inside.at) is None
    assert a.binder.resolve("d", a.binder.resolve("e", _site_of_call(a, "log(d)")).at) == inside
    # the target does not leak: after the comprehension, `d` is the assignment before it
    assert _code(a, a.binder.resolve("d", _site_of_call(a, "after(d)"))) == "1"
    # the innermost comprehension binding the name wins
    assert a.code_of(a.binder.resolve("d", _site_of_call(a, "inner(d)")).element.iterable) == "row"


def test_lambda_parameters_shadow_enclosing_names():
    a = analysis_of("""
        p = 1
        f = lambda p: use(p)
    """)
    binding = a.binder.resolve("p", _site_of_call(a, "use(p)"))
    assert binding.kind is BindingKind.PARAMETER and binding.scope.node is next(iter(a.lambdas))


def test_follow_chains_of_names_and_stops_at_anything_else():
    a = analysis_of("""
        a = tf.nn.sigmoid(z)
        b = a
        c = b
        use(c)
    """)
    expr, at = a.binder.follow(cst.Name("c"), _site_of_call(a, "use(c)"))
    assert a.code_of(expr) == "tf.nn.sigmoid(z)" and at.scope is a.module_scope


def test_self_attributes_across_methods_and_base_classes():
    a = analysis_of("""
        class Base:
            def build(self, h):
                self.probs = softmax(h)
        class Child(Base):
            def loss(self):
                return log(self.probs)
            def call(self, x):
                return x
        class Grandchild(Child):
            pass
    """)
    child, grandchild = a.classes["Child"], a.classes["Grandchild"]
    found = a.binder.attribute(child, "probs")
    assert [a.code_of(b.expression) for b in found] == ["softmax(h)"]
    assert found[0].scope.name == "Base.build"
    assert a.binder.method(grandchild, "call") is child.methods["call"]
    assert a.binder.method(grandchild, "build") is a.classes["Base"].methods["build"]
    assert a.binder.enclosing_class(child.methods["loss"]) is child


def test_instance_of_a_module_class_through_a_name():
    a = analysis_of("""
        class Net:
            def __init__(self):
                self.out = sigmoid(1)
        net = Net()
        use(net.out)
    """)
    owner = a.binder.instance_class(cst.Name("net"), _site_of_call(a, "use(net.out)"))
    assert owner == (a.classes["Net"], False)


def test_instance_of_a_module_class_held_in_a_self_attribute():
    # PiNN's calculator: `self.model = pinn_model()` in __init__, `self.model.construct_running(atoms)` elsewhere
    a = analysis_of("""
        class Model:
            def energy(self, x):
                return x
        class Other:
            pass
        class Calculator:
            def __init__(self, model=None, kind=0):
                if model is None:
                    self.model = Model()
                self.either = Model() if kind else Other()
                self.passed = model
                self.one = Model()
                self.one = Other()
            def calculate(self, x):
                use(self.model, self.either, self.passed, self.one)
    """)
    at = _site_of_call(a, "use(self.model, self.either, self.passed, self.one)")
    assert a.binder.instance_class(cst.parse_expression("self.model"), at) == (a.classes["Model"], False)
    # a conditional expression, a parameter, two different classes: not one known class
    for held in ("self.either", "self.passed", "self.one", "self.missing"):
        assert a.binder.instance_class(cst.parse_expression(held), at) is None


def test_end_is_after_every_statement():
    a = analysis_of("""
        def f():
            y = 1
            y = 2
    """)
    binding = a.binder.resolve("y", At(a.functions["f"], END))
    assert _code(a, binding) == "2"


def test_nested_defs_are_found_in_the_scope_that_defines_them_but_methods_are_not():
    a = analysis_of("""
        def outer():
            def inner(x):
                return x
            return inner
        class C:
            def inner(self):
                pass
    """)
    assert a.binder.local_function(a.functions["outer"], "inner") is a.functions["outer.<locals>.inner"]
    assert a.binder.local_function(a.module_scope, "inner") is None


def test_augmented_assignment_is_its_binary_operation():
    a = analysis_of("""
        x = load()
        x /= std
        x @= w
        x |= mask
    """)
    operators = [type(binding[1].operator).__name__ for binding in a.module_scope.assignments["x"][1:]]
    assert operators == ["Divide", "MatrixMultiply", "BitOr"]
    assert [type(d.node).__name__ for d in a.divisions()] == ["AugAssign"]


def test_method_calls_on_a_binding_are_those_made_after_it_while_it_holds():
    a = analysis_of("""
        def f(extra):
            kwargs = {"return_sequences": True}
            kwargs.update(activation="relu")
            kwargs.setdefault("units", 3)
            other.update(x=1)
            kwargs = {}
            kwargs.update(y=2)
    """)
    scope = a.functions["f"]
    first = a.binder.resolve("kwargs", At(scope, _site_of_call(a, 'kwargs.update(activation="relu")').seq))
    made = a.binder.method_calls(first, frozenset({"update", "setdefault"}))
    assert [a.code_of(call.node) for call in made] == ['kwargs.update(activation="relu")',
                                                       'kwargs.setdefault("units", 3)']
    assert a.binder.method_calls(first, frozenset({"append"})) == []
    last = a.binder.resolve("kwargs", At(scope, END))
    assert [a.code_of(call.node) for call in a.binder.method_calls(last, frozenset({"update"}))] == [
        "kwargs.update(y=2)"]


def test_a_binding_in_a_branch_that_cannot_run_with_the_lookup_is_skipped():
    a = analysis_of("""
        def loss(scores, flags, c):
            dist = softmax(scores)
            if flags.mix:
                final = mix(dist)
            else:
                final = dist
            if flags.mix:
                use_mixed(final)
            if c:
                other = 1
            else:
                use_other(other)
            use_any(final)
    """)
    # the same flag, tested again and unchanged: only the `if` branch's binding reaches the second `if`
    assert _code(a, a.binder.resolve("final", _site_of_call(a, "use_mixed(final)"))) == "mix(dist)"
    # the else of one if never sees its own if branch: `other` is not bound there
    assert a.binder.resolve("other", _site_of_call(a, "use_other(other)")) is None
    # after both branches: the last binding in source order, as before
    assert _code(a, a.binder.resolve("final", _site_of_call(a, "use_any(final)"))) == "dist"


def test_branches_inside_a_loop_or_a_reassigned_flag_are_not_exclusive():
    a = analysis_of("""
        def f(xs, flag):
            for x in xs:
                if flag:
                    last = x
                else:
                    use_loop(last)
            if flag:
                y = 1
            else:
                y = 2
            flag = not flag
            if flag:
                use_flag(y)
    """)
    # a later pass of the loop reads what an earlier pass bound in the other branch
    assert _code(a, a.binder.resolve("last", _site_of_call(a, "use_loop(last)"))) == "x"
    # the flag was reassigned after the first test: the else branch's binding may reach
    assert _code(a, a.binder.resolve("y", _site_of_call(a, "use_flag(y)"))) == "2"


def _follow_return(source: str) -> str:
    a = analysis_of(source)
    scope = a.functions["f"]
    expr, _ = a.binder.follow(scope.returns[-1], At(scope, END))
    return a.code_of(expr)


def test_a_constant_subscript_of_a_literal_tuple_is_its_element():
    # lucid's `domain = (low, high)`, then `domain[1] - domain[0]`: the element, through a constant index
    assert _follow_return("""
        def f(a, domain=None):
            low, high = np.min(a), np.max(a)
            if domain is None:
                domain = (low, high)
            return domain[1]
    """) == "np.max(a)"
    assert _follow_return("def f(a):\n    d = [a.min(), a.max()]\n    return d[-1]\n") == "a.max()"
    assert _follow_return("def f(a):\n    d = (a.min(), a.max())\n    return d[2]\n") == "d[2]"  # out of range


def test_a_subscript_of_a_list_changed_in_place_or_rebound_later_is_not_followed():
    for changed in ("d[1] = 0", "d[1] += 1", "del d[0]", "d.insert(0, x)", "d.reverse()", "a, d[0] = x"):
        source = f"def f(a, x, xs):\n    d = [a.min(), a.max()]\n    {changed}\n    return d[1]\n"
        assert _follow_return(source) == "d[1]", changed
    # rebound after the use in the same function: a loop's next pass reads the other binding
    a = analysis_of("""
        def f(a, steps):
            d = (a.min(), a.max())
            for _ in steps:
                g(d[1])
                d = (0, 1)
    """)
    call = _site_of_call(a, "g(d[1])")
    node = next(c.node for c in a.calls if a.code_of(c.node) == "g(d[1])")
    assert a.code_of(a.binder.follow(node.args[0].value, call)[0]) == "d[1]"


def test_a_nested_function_whose_name_nothing_reads_never_runs():
    # NiftyNet's VAE: `def normalise(x)` inside layer_op, its only uses commented out; the others are called,
    # returned, passed, decorated or methods, and a function inside a dead one is dead too
    a = analysis_of("""
        import tensorflow as tf

        def layer_op(images):
            def normalise(x):
                def inner(v):
                    return v
                return 255 * (x - tf.reduce_min(x)) / (tf.reduce_max(x) - tf.reduce_min(x))

            def clip(x):
                return tf.clip_by_value(x, -5.0, 5.0)

            def passed(x):
                return x

            def returned(x):
                return x

            @tf.function
            def traced(x):
                return x

            class Block(tf.keras.layers.Layer):
                def call(self, x):
                    return x

            # normalise(images)
            tf.map_fn(passed, images)
            return clip(images), returned

        def top_level(x):
            return x
    """)
    dead = {name.rsplit(".", 1)[-1] for name, scope in a.functions.items() if a.never_called(scope)}
    assert dead == {"normalise", "inner"}


def test_findings_in_a_nested_function_nothing_calls_are_not_reported():
    from nanlint.linter import lint_text
    source = textwrap.dedent("""
        import tensorflow as tf

        def encoder(images):
            def normalise(x):
                return (x - tf.reduce_min(x)) / (tf.reduce_max(x) - tf.reduce_min(x))

            def standardise(x):
                return (x - tf.reduce_min(x)) / (tf.reduce_max(x) - tf.reduce_min(x))

            return standardise(images)
    """)
    lines = [finding.line for finding in lint_text(source, "m.py").findings if finding.code == "NAN002"]
    assert lines == [9]  # standardise's division, not normalise's
