"""The shared analysis of one module: names (imports), value facts and, later, Keras model structure."""

from nanlint.analysis.module import ModuleAnalysis
from nanlint.analysis.operations import Op

__all__ = ["ModuleAnalysis", "Op"]
