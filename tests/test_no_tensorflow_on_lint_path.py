"""The linting path never imports TensorFlow (it costs seconds; static linting must start fast), nor the language
server's pygls (~0.5 s), which only `nanlint server` needs."""

import subprocess
import sys
import textwrap


def test_linting_a_file_never_imports_tensorflow(tmp_path):
    target = tmp_path / "model.py"
    target.write_text("import tensorflow as tf\nimport keras\ny = tf.math.log(tf.sigmoid(x))\n")
    probe = textwrap.dedent(
        f"""
        import sys
        from nanlint.cli import main
        code = main([{str(target)!r}, "--output-format", "json"])
        heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("tensorflow", "keras", "tf_keras", "numpy", "jax", "torch", "pygls", "lsprotocol", "cattrs"))
        print("EXIT", code)
        print("HEAVY", heavy)
        """
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert "EXIT 1" in out.stdout, out.stdout + out.stderr
    assert "HEAVY []" in out.stdout, out.stdout
