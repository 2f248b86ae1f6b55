"""The benchmark corpus: the .py files of real Keras/TF wheels from PyPI (bench/corpora.py's `pypi` corpus).

    python bench/corpus.py            # downloads (pip download --no-deps) and unzips, once
    python bench/corpus.py --force    # unpack again

The speed benches (bench/run.py, relint.py, screen_soundness.py, frontend_equivalence.py, findings.py) read it.
The corpus is gitignored, in bench/.work/corpora/pypi/; its distributions are pinned in bench/corpora.py
(keras 3.15.1, tf-keras 2.21.0, keras-hub 0.32.0, tf-models-official 2.20.0), so its file list is the same on
every machine.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import corpora  # noqa: E402  (bench/ is not a package)

PYPI = corpora.BY_NAME["pypi"]
CORPUS = PYPI.directory


def files() -> list[Path]:
    return sorted(CORPUS.rglob("*.py"))


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--force", action="store_true", help="delete and unpack again")
    args = parser.parse_args()
    corpora.build(PYPI, args.force)
    for distribution in PYPI.distributions:
        print(corpora.archive(distribution).name)
    corpus = files()
    size = sum(path.stat().st_size for path in corpus)
    print(f"{len(corpus)} files, {size / 1e6:.1f} MB in {CORPUS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
