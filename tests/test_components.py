"""Vectors never all zero by construction (analysis/components.py): a component that is never 0, components that
sum to a non-zero constant, kept through quotients, names, squeezes and the returns of functions; and what breaks
it (another axis, a factor that can be 0, a rebinding, a new last axis)."""

from __future__ import annotations

import textwrap

import pytest

from nanlint.analysis.components import never_all_zero
from nanlint.analysis.ranges import excludes_zero
from analysis_support import analysis_of


def _normalized(source: str) -> tuple[object, object]:
    """(never_all_zero of the last normalized operand, the range of the last divisor)."""
    analysis = analysis_of("import tensorflow as tf\n" + source)
    normalize = [call for call in analysis.calls if analysis.qualified_name(call.node.func) == "tensorflow.norm"
                 or analysis.qualified_name(call.node.func) == "tensorflow.linalg.normalize"][-1]
    axis = None
    for arg in normalize.node.args:
        if arg.keyword is not None and arg.keyword.value == "axis":
            axis = arg.value
    operand = normalize.node.args[0].value
    found = never_all_zero(analysis, operand, normalize.site, axis)
    divisions = list(analysis.divisions())
    span = analysis.ranges.of(divisions[-1].denominator, divisions[-1].site) if divisions else None
    return found, span


@pytest.mark.parametrize("source, why", [
    # homogeneous coordinates: the constant 1 appended to a ray's x, y
    ("rays = tf.concat([xy, tf.ones_like(xy[..., :1])], axis=-1)\nd = rays / tf.norm(rays, axis=-1, keepdims=True)\n",
     "holds `tf.ones_like(xy[..., :1])`, never 0"),
    ("v = tf.stack([x, y, 1.0], axis=-1)\nd = v / tf.norm(v, axis=-1)\n", "holds `1.0`, never 0"),
    # barycentric coordinates: the third is 1 minus the others, in either spelling
    ("b3 = 1.0 - (b1 + b2)\nbary = tf.stack((b1, b2, b3), axis=-1)\nd = bary / tf.norm(bary, axis=-1)\n",
     "its components sum to 1"),
    ("b3 = 1 - b1 - b2\nbary = tf.stack((b1, b2, b3), axis=-1)\nd = bary / tf.norm(bary, axis=-1)\n",
     "its components sum to 1"),
    # kept through a quotient by anything finite (perspective correction), a squeeze along another axis, a norm of
    # all entries
    ("b3 = 1.0 - (b1 + b2)\nbary = tf.squeeze(tf.stack((b1, b2, b3), axis=-1), axis=-2)\nc = bary / w\n"
     "d = c / tf.norm(c, axis=-1)\n", "its components sum to 1"),
    ("v = tf.stack([x, y, 1.0], axis=-1)\nd = v / tf.norm(v)\n", "holds `1.0`, never 0"),
    ("v = -2.0 * tf.stack([x, y, 1.0], axis=-1)\nd = v / tf.norm(v, axis=-1)\n", "holds `1.0`, never 0"),
])
def test_a_vector_with_a_component_that_is_never_zero_has_a_non_zero_norm(source, why):
    found, span = _normalized(source)
    assert found is not None and found.why == why
    assert excludes_zero(span)


@pytest.mark.parametrize("source", [
    # along another axis than the one assembled
    "v = tf.stack([x, y, 1.0], axis=0)\nd = v / tf.norm(v, axis=-1)\n",
    # no component is known to be non-zero
    "v = tf.stack([x, y, z], axis=-1)\nd = v / tf.norm(v, axis=-1)\n",
    "v = tf.concat([xy, tf.zeros_like(xy[..., :1])], axis=-1)\nd = v / tf.norm(v, axis=-1)\n",
    # a constant minus only some of the others, or a zero constant
    "b3 = 1.0 - b1\nbary = tf.stack((b1, b2, b3), axis=-1)\nd = bary / tf.norm(bary, axis=-1)\n",
    "b3 = 0.0 - (b1 + b2)\nbary = tf.stack((b1, b2, b3), axis=-1)\nd = bary / tf.norm(bary, axis=-1)\n",
    # b1 rebound after b3 was computed from it: the components no longer sum to 1
    "b3 = 1.0 - (b1 + b2)\nb1 = b1 * 2\nbary = tf.stack((b1, b2, b3), axis=-1)\nd = bary / tf.norm(bary, axis=-1)\n",
    # a factor that can be 0 (a mask), a new last axis (each slice is one entry)
    "v = tf.stack([x, y, 1.0], axis=-1) * mask\nd = v / tf.norm(v, axis=-1)\n",
    "v = tf.expand_dims(tf.stack([x, y, 1.0], axis=-1), -1)\nd = v / tf.norm(v, axis=-1)\n",
])
def test_no_non_zero_component_is_assumed_where_the_construction_does_not_give_one(source):
    found, span = _normalized(source)
    assert found is None
    assert not excludes_zero(span)


def test_the_element_a_function_returns_in_a_tuple_is_followed():
    source = """
    def barycentric(p, q):
        c1 = p / q
        c2 = q / p
        c3 = 1.0 - (c1 + c2)
        return tf.stack((c1, c2, c3), axis=-1), c3 >= 0.0

    def normalized(p, q, w):
        bary, _ = barycentric(p, q)
        return tf.linalg.normalize(bary / w, ord=1, axis=-1)[0]

    def validity(p, q):
        _, valid = barycentric(p, q)
        return tf.linalg.normalize(tf.cast(valid, tf.float32), axis=-1)[0]
    """
    analysis = analysis_of("import tensorflow as tf\n" + textwrap.dedent(source))
    calls = [call for call in analysis.calls if analysis.qualified_name(call.node.func) == "tensorflow.linalg.normalize"]
    first, second = (never_all_zero(analysis, call.node.args[0].value, call.site, call.node.args[-1].value)
                     for call in calls)
    assert first is not None and first.why == "its components sum to 1"
    assert second is None  # the other element of the tuple, a mask that can be all False
