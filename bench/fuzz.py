"""The large fuzz run: tests/test_fuzz.py's properties with many random examples, plus 10 MB of real code.

    python bench/fuzz.py                 # 2000 examples per property
    python bench/fuzz.py --examples 20000

Exit status 0 when nothing crashed. CI runs the same properties with a small fixed sample.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def big_file_check(megabytes: int) -> bool:
    """Lint a file of real, dense TF code through the CLI: must finish with findings, no internal error.
    The size limit (max-file-size, 1 MB by default) is lifted: this measures the parser on big input."""
    line = b"y = tf.nn.relu(x) + tf.math.log(tf.sigmoid(x)) * tf.reduce_mean(w, axis=-1)\n"
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "big.py"
        path.write_bytes(b"import tensorflow as tf\n" + line * (megabytes * 1_000_000 // len(line)))
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "nanlint", "--isolated", "--no-cache", "--max-file-size", "0",
                               "--statistics", str(path)],
                              capture_output=True, text=True)
        seconds = time.perf_counter() - start
    summary = done.stdout.strip().splitlines()[-3:]
    ok = done.returncode == 1 and "NAN999" not in done.stdout and "Traceback" not in done.stderr
    print(f"{megabytes} MB file: exit {done.returncode} in {seconds:.1f} s; {summary}; {'ok' if ok else 'FAILED'}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=2000, help="hypothesis examples per property")
    parser.add_argument("--megabytes", type=int, default=10)
    args = parser.parse_args()
    env = {**os.environ, "NANLINT_FUZZ_EXAMPLES": str(args.examples)}
    fuzz = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           str(ROOT / "tests" / "test_fuzz.py")], cwd=ROOT, env=env)
    big = big_file_check(args.megabytes)
    return 0 if fuzz.returncode == 0 and big else 1


if __name__ == "__main__":
    sys.exit(main())
