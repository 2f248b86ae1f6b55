"""The precision corpora, rebuilt from pinned PyPI distributions: every code base bench/FINDINGS.md reads.

    python bench/corpora.py                 # download (pip download --no-deps) and unpack every corpus, once
    python bench/corpora.py unseen7 tfp     # only these
    python bench/corpora.py --force pypi    # unpack again (the downloads are kept)
    python bench/corpora.py --list          # the table: names, pinned distributions, directories

Each corpus is a list of pinned distributions (`name==version`), downloaded into bench/.work/dists/ and unpacked
into bench/.work/corpora/NAME/ (both gitignored): a wheel into a folder named after it (`keras-3.15.1-py3-none-any`),
an sdist as its archive lays it out (`tf2rl-1.1.5/`), the layout the FINDINGS sections' paths were written in. Only
the files nanlint lints are unpacked (`.py`, `.pyi`, `.ipynb`) and the `.gitignore`s that decide which of them it
skips. Where FINDINGS read a subset, the distribution says which files (`include`, an fnmatch pattern on the path
inside the archive: transformers' `modeling_tf_*.py`). keras-io is not downloaded: it is the shared copy
(/work/shared/corpora/keras-io, next to the repository), referenced in place.

Not rebuilt here, because they are not PyPI distributions: scripts6 (40 files from 27 GitHub repositories, session 6;
the addresses and commits are in its SOURCES.md, not in this repository), unseen7's qqwweee/keras-yolo3
`yolo3/model.py` (a GitHub file), and unseen8's stellargraph (never available: no release installs on Python 3.11; not read).

bench/lint_corpora.py lints these corpora and diffs the findings against bench/baselines/.
"""

from __future__ import annotations

import argparse
import fnmatch
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
DISTS = HERE / ".work" / "dists"
CORPORA = HERE / ".work" / "corpora"
# /work/shared next to the repository, also from a worktree one level further down (/work/wt/NAME)
SHARED = next((parent / "shared" for parent in HERE.parents if (parent / "shared" / "corpora").is_dir()),
              HERE.parent.parent / "shared")
# What nanlint's discovery lints (nanlint/discovery.py SOURCE_SUFFIXES) and what decides what it skips.
KEPT_SUFFIXES = (".py", ".pyi", ".ipynb")
KEPT_NAMES = (".gitignore",)


@dataclass(frozen=True)
class Distribution:
    requirement: str  # name==version, as pip takes it
    include: str = "*"  # fnmatch pattern on the path inside the archive ("*" matches "/" too)


@dataclass(frozen=True)
class Corpus:
    name: str
    distributions: tuple[Distribution, ...] = ()
    shared: str = ""  # a folder under SHARED, referenced in place instead of downloaded

    @property
    def directory(self) -> Path:
        return SHARED / self.shared if self.shared else CORPORA / self.name


def _pinned(*requirements: str) -> tuple[Distribution, ...]:
    return tuple(Distribution(requirement) for requirement in requirements)


TABLE: tuple[Corpus, ...] = (
    # The example scripts and guides of keras-io at commit 2cc2beb (/work/shared/corpora/README.md).
    Corpus("keras-io", shared="corpora/keras-io"),
    # "PyPI corpus" (FINDINGS: keras, tf-keras, keras-hub, tf-models-official); bench/corpus.py builds the same.
    Corpus("pypi", _pinned("keras==3.15.1", "tf-keras==2.21.0", "keras-hub==0.32.0", "tf-models-official==2.20.0")),
    Corpus("tfp", _pinned("tensorflow-probability==0.25.0")),
    # transformers 5 has no TF models; FINDINGS reads only the TF modeling files of 4.46.3.
    Corpus("transformers-tf", (Distribution("transformers==4.46.3", "*/modeling_tf_*.py"),)),
    Corpus("keras-cv", _pinned("keras-cv==0.9.0")),
    # Fifth session, helper `unseen`: eleven code bases.
    Corpus("unseen", _pinned(
        "tf-agents==0.19.0", "tensorflow-addons==0.23.0", "deepctr==0.9.4", "spektral==1.3.1",
        "segmentation-models==1.0.1", "gpflow==2.11.2", "tensorflow-recommenders==0.7.7", "deepchem==2.8.0",
        "dm-sonnet==2.0.2", "tensorflow-gnn==1.0.3", "larq==0.14.0")),
    # Session 6, helper `unseen6`: nine; tflearn is an sdist, of which its package directory was read.
    Corpus("unseen6", (*_pinned(
        "tensorflow-similarity==0.17.1", "tensorflow-ranking==0.5.5", "neural-structured-learning==1.4.0",
        "kapre==0.4.1", "trfl==1.2.0", "keras-rl2==1.0.5", "stable-baselines==2.10.2", "deepxde==1.15.0"),
        Distribution("tflearn==0.5.0", "tflearn-0.5.0/tflearn/*"))),
    # Session 7, helper `precision7`: twelve, of which qqwweee/keras-yolo3 (a GitHub file) is left out.
    Corpus("unseen7", _pinned(
        "tensorflow-gan==2.1.0", "TensorFlowTTS==1.8", "keras-retinanet==1.0.0", "keras-unet-collection==0.1.13",
        "dopamine-rl==4.1.2", "alibi-detect==0.13.0", "evidential-deep-learning==0.4.0", "nbeats-keras==1.8.0",
        "keras-tcn==3.5.7", "deepmatch==0.3.2", "ddsp==3.7.0")),
    # Session 8, helper `precision8`: twelve (stellargraph, the thirteenth choice, was not available).
    Corpus("unseen8", _pinned(
        "tf2rl==1.1.5", "huskarl==0.4", "zfit==0.28.0", "sciann==0.7.0.1", "tensorflow-compression==2.14.1",
        "disentanglement-lib==1.5", "simplegan==0.2.9", "keras-segmentation==0.3.0", "keras-ocr==0.9.3",
        "spleeter==2.4.2", "tfts==0.0.23", "librecommender==1.5.2")),
    # Session 9, helper `unseen9`: twelve; voxelmorph and neurite both in their newest releases (0.3.4, PyTorch
    # rewrites, the first download) and in their TF/Keras releases (0.2), all linted blind.
    Corpus("unseen9", _pinned(
        "voxelmorph==0.3.4", "voxelmorph==0.2", "neurite==0.3.4", "neurite==0.2", "deepreg==0.1.2", "csbdeep==0.8.2",
        "stardist==0.9.2", "n2v==0.3.3", "tensorflow-privacy==0.9.0", "vit-keras==0.2.0", "keras-self-attention==0.51.0",
        "pyod==1.1.3", "ncps==1.0.1", "tensorlayer==2.2.5")),
    # Session 11, helper `unseen10`: twelve (tensorflow-mri, the first pick, dropped before any run: a placeholder wheel).
    Corpus("unseen10", _pinned(
        "gpflux==0.4.5", "trieste==4.6.1", "edward2==0.0.2", "tensorflow-lattice==2.1.1",
        "tensorflow-model-optimization==0.8.1", "ivis==2.0.11", "tf-keras-vis==0.8.7", "focal-loss==0.0.7",
        "tensorflow-constrained-optimization==0.2", "tf-slim==1.1.0", "graph-nets==1.1.0", "keras-unet==0.1.2")),
    # Session 12, helper `unseen11`: six (a model zoo with its training code, NLP and attribution packages, a
    # GPT-2 fine-tuning script, an optimizer, a CRF layer).
    Corpus("unseen11", _pinned(
        "keras-cv-attention-models==1.4.3", "kashgari==2.0.2", "gpt-2-simple==0.8.1", "innvestigate==2.1.2",
        "keras-radam==0.15.0", "tf2crf==0.1.33")),
    # Session 13, helper `unseen12`: six (count-likelihood autoencoder, text RNN, a training wrapper, knowledge-graph
    # embeddings, explanation by optimisation, recommender models).
    Corpus("unseen12", _pinned(
        "dca==0.3.4", "textgenrnn==2.0.0", "ktrain==0.41.4", "ampligraph==2.2.0", "alibi==0.9.6",
        "recommenders==1.2.1")),
    # Session 14, helper `unseen13`: six (amortized Bayesian inference with normalizing flows, OCR detection and
    # recognition, music VAEs/GANs, geometry and rendering losses, reinforcement-learning agents, recommender losses).
    Corpus("unseen13", _pinned(
        "bayesflow==1.1.6", "python-doctr==0.9.0", "magenta==2.1.4", "tensorflow-graphics==2021.12.3",
        "keras-gym==0.2.17", "keras-rs==0.4.0")),
    # Session 14, lead: six (adversarial attacks, TF1 probabilistic programming, reinforcement-learning agents,
    # neural machine translation, graph networks on Keras 3, tensor-train decompositions).
    Corpus("unseen14", _pinned(
        "cleverhans==4.0.0", "edward==1.3.5", "tensorforce==0.6.5", "opennmt-tf==2.32.0", "kgcnn==4.0.1",
        "t3f==1.2.0")),
    # Session 15, helper `unseen15`: seven (BERT-family NLP models and training tricks, speech recognition, materials
    # graph networks, text sequence labelling, explanation callbacks, reinforcement-learning agents on TF and JAX,
    # face recognition and attribute models); rl-coach 1.0.1 and garage 2021.3.0, the first picks, do not download.
    Corpus("unseen15", _pinned(
        "bert4keras==0.11.5", "tensorflowasr==2.1.0", "megnet==1.3.2", "delft==1.2.0",
        "tf-explain==0.3.1", "dm-acme==0.4.0", "deepface==0.0.93")),
    # Session 16, helper `unseen16`: seven (tabular and time-series GANs, time-series classification, medical image
    # segmentation, time-series anomaly detection with GANs, reinforcement-learning agents, animal pose estimation,
    # speech recognition); desc 2.1.1 (single-cell clustering), the eighth pick, does not download.
    Corpus("unseen16", _pinned(
        "ydata-synthetic==1.4.0", "mcfly==4.1.0", "miscnn==1.4.0", "orion-ml==0.7.1", "reaver==2.1.9",
        "deepposekit==0.3.9", "automatic-speech-recognition==1.0.4")),
    # Session 17, helper `unseen17`: seven (TF1 medical image segmentation with its losses, graph neural networks in
    # TF2, polyphonic pitch transcription, TabNet, quantization-aware Keras layers, fairness-remediation losses,
    # physics-informed networks).
    Corpus("unseen17", _pinned(
        "niftynet==0.6.0", "tf-geometric==0.1.7", "basic-pitch==0.4.0", "tabnet==0.1.6", "qkeras==0.9.0",
        "tensorflow-model-remediation==0.1.7.1", "tensordiffeq==0.2.0")),
    # Session 18, helper `unseen18`: six (mixture density network layers, Bayesian models with their variational
    # losses, molecular graph networks, super-resolution GANs, BERT in Keras, tabular networks). stellargraph and
    # garage, the first graph and RL picks, ship no distribution for Python 3.11.
    Corpus("unseen18", _pinned(
        "keras-mdn-layer==1.0.0", "probflow==2.7.2", "molgraph==0.10.1", "isr==2.2.0", "keras-bert==0.89.0",
        "deeptables==0.2.6")),
    # Session 19, helper `unseen19`: eight (OCR with CTC training, chromatin-accessibility and genomics networks with
    # multinomial losses, Cox survival networks, a TF1 recommender's loss graphs, a conditional single-cell VAE,
    # neural processes, RL agents). pykg2vec (knowledge-graph embeddings) does not build (its sdist fails to give
    # its requirements) and desc has no release pip accepts for Python 3.11: both dropped before any run.
    Corpus("unseen19", _pinned(
        "calamari-ocr==2.3.1", "chrombpnet==1.0.1", "deepsurvk==0.2.2", "janggu==0.10.2", "tensorrec==0.26.2",
        "trvae==1.1.2", "keras-neural-processes==0.1.0", "tensorflow-rl==0.2.2")),
)
BY_NAME = {corpus.name: corpus for corpus in TABLE}


def _normalized(name: str) -> str:
    """A project name as distribution file names spell it, in any case (PEP 503's runs of `-_.` as one `_`)."""
    return re.sub(r"[-_.]+", "_", name).lower()


def _name_and_version(path: Path) -> tuple[str, str] | None:
    """(project, version) from a wheel's or an sdist's file name; None for any other file."""
    if path.name.endswith(".whl"):
        name, version = path.name.split("-")[:2]
    elif path.name.endswith((".tar.gz", ".zip")):
        name, _, version = path.name.removesuffix(".zip").removesuffix(".tar.gz").rpartition("-")
    else:
        return None
    return _normalized(name), version


def archive(distribution: Distribution) -> Path:
    """The downloaded wheel or sdist of a distribution, downloaded first if it is not there yet."""
    name, version = distribution.requirement.split("==")
    wanted = (_normalized(name), version)

    def found() -> Path | None:
        matches = [path for path in DISTS.iterdir() if _name_and_version(path) == wanted]
        # a wheel where both are there: pip prefers one, and it is the layout the FINDINGS paths were written in
        return min(matches, key=lambda path: not path.name.endswith(".whl"), default=None)

    DISTS.mkdir(parents=True, exist_ok=True)
    existing = found()
    if existing is not None:
        return existing
    # The same file on every machine: tensorflow-addons, tensorflow-compression and librecommender ship compiled
    # wheels only, whose names (and so the corpus's folder names, in the baselines' paths) carry the Python tag.
    subprocess.run([sys.executable, "-m", "pip", "download", "-qq", "--no-deps", "--dest", str(DISTS),
                    "--python-version", "3.11", "--platform", "manylinux2014_x86_64", distribution.requirement],
                   check=True)
    downloaded = found()
    if downloaded is None:
        raise FileNotFoundError(f"pip downloaded no file of {distribution.requirement} into {DISTS}")
    return downloaded


def _kept(member: str, include: str) -> bool:
    name = member.rsplit("/", 1)[-1]
    return (name.endswith(KEPT_SUFFIXES) or name in KEPT_NAMES) and fnmatch.fnmatchcase(member, include)


def unpack(distribution: Distribution, target: Path) -> int:
    """Extract the kept files of one distribution under target; the number extracted."""
    path = archive(distribution)
    count = 0
    if path.name.endswith(".whl"):
        destination = target / path.name.removesuffix(".whl")
        with zipfile.ZipFile(path) as wheel:
            for member in wheel.namelist():
                if _kept(member, distribution.include):
                    wheel.extract(member, destination)
                    count += 1
    elif path.name.endswith(".zip"):
        with zipfile.ZipFile(path) as sdist:
            for member in sdist.namelist():
                if _kept(member, distribution.include):
                    sdist.extract(member, target)
                    count += 1
    else:
        with tarfile.open(path) as sdist:
            members = [member for member in sdist.getmembers()
                       if member.isfile() and _kept(member.name, distribution.include)]
            sdist.extractall(target, members=members, filter="data")
            count = len(members)
    return count


def build(corpus: Corpus, force: bool = False) -> Path:
    """The corpus's directory, unpacked from its distributions unless it is there already (or force)."""
    directory = corpus.directory
    if corpus.shared:
        if not directory.is_dir():
            raise FileNotFoundError(f"{corpus.name}: the shared corpus {directory} is missing")
        return directory
    if force and directory.exists():
        shutil.rmtree(directory)
    if not directory.exists():
        scratch = directory.with_name(directory.name + ".partial")  # a failed download leaves no half corpus
        shutil.rmtree(scratch, ignore_errors=True)
        scratch.mkdir(parents=True)
        for distribution in corpus.distributions:
            count = unpack(distribution, scratch)
            print(f"{corpus.name}: {distribution.requirement}: {count} files", file=sys.stderr)
        scratch.rename(directory)
    return directory


def selected(names: list[str]) -> list[Corpus]:
    unknown = [name for name in names if name not in BY_NAME]
    if unknown:
        raise SystemExit(f"unknown corpus {', '.join(unknown)}; known: {', '.join(BY_NAME)}")
    return [BY_NAME[name] for name in names] if names else list(TABLE)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("names", nargs="*", help="corpora to build (default: all)")
    parser.add_argument("--force", action="store_true", help="delete and unpack again")
    parser.add_argument("--list", action="store_true", help="print the table and build nothing")
    args = parser.parse_args()
    for corpus in selected(args.names):
        if args.list:
            pinned = " ".join(distribution.requirement + ("" if distribution.include == "*"
                                                          else f" [{distribution.include}]")
                              for distribution in corpus.distributions)
            print(f"{corpus.name}\t{corpus.directory}\t{pinned or '(shared, in place)'}")
            continue
        directory = build(corpus, args.force)
        files = sum(1 for path in directory.rglob("*") if path.name.endswith(KEPT_SUFFIXES))
        print(f"{corpus.name}: {files} files in {directory}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
