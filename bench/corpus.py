"""Build the benchmark corpus: the .py files of real Keras/TF wheels from PyPI, in bench/corpus/.

    python bench/corpus.py            # downloads (pip download --no-deps) and unzips, once
    python bench/corpus.py --force    # rebuild

The corpus is gitignored; its file list is deterministic for a given set of wheel versions, which the
script prints (and bench/RESULTS.md records).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
WHEELS = HERE / ".work" / "wheels"
PACKAGES = ("keras", "tf-keras", "keras-hub", "tf-models-official")


def download(packages: tuple[str, ...] = PACKAGES) -> list[Path]:
    WHEELS.mkdir(parents=True, exist_ok=True)
    for package in packages:
        if not any(WHEELS.glob(f"{package.replace('-', '_')}-*.whl")):
            subprocess.run(
                [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary", ":all:",
                 "--dest", str(WHEELS), package],
                check=True,
            )
    return sorted(WHEELS.glob("*.whl"))


def unpack(wheels: list[Path]) -> int:
    count = 0
    for wheel in wheels:
        target = CORPUS / wheel.name.removesuffix(".whl")
        with zipfile.ZipFile(wheel) as archive:
            for member in archive.namelist():
                if member.endswith(".py"):
                    archive.extract(member, target)
                    count += 1
    return count


def files() -> list[Path]:
    return sorted(CORPUS.rglob("*.py"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="delete and rebuild the corpus")
    args = parser.parse_args()
    if args.force and CORPUS.exists():
        shutil.rmtree(CORPUS)
    wheels = download()
    if not CORPUS.exists() or not files():
        unpack(wheels)
    for wheel in wheels:
        print(wheel.name)
    corpus = files()
    size = sum(path.stat().st_size for path in corpus)
    print(f"{len(corpus)} files, {size / 1e6:.1f} MB in {CORPUS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
