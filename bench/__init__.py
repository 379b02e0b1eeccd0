"""Benchmarks of tempdata: ``python -m bench`` (the plain report), ``pytest bench -m bench``
(pytest-benchmark), ``bench.baseline`` (the hand-vectorised NumPy+Polars yardstick) and
``python -m bench.profile_sales`` (where a chunk's time goes). See ``bench/README.md``."""
