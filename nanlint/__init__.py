"""nanlint: static and runtime detection of NaN/Inf hazards in Keras and TensorFlow code."""

__version__ = "0.1.0"
