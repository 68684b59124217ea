"""Benchmarks: ratios to raw floors measured in the same run."""
