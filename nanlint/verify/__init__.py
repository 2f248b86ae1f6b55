"""The runtime verifier: runs flagged code with real TensorFlow in a sandboxed worker process to confirm
(or fail to confirm) a NaN/Inf. Nothing in this package imports TensorFlow except `worker.py`, which runs
in its own process."""
