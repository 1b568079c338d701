"""Benchmarks: each figure is a median, reported beside a baseline run with it."""
