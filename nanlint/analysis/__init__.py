"""The shared analysis of one module, computed once and read by every check: names (imports), bindings and value
facts, where gradients flow and which guards hold, the float precision in force, and each Keras model with its
training set-up. `ModuleAnalysis` is the entry point; each part is built lazily on first use."""

from nanlint.analysis.module import ModuleAnalysis
from nanlint.analysis.operations import Op

__all__ = ["ModuleAnalysis", "Op"]
