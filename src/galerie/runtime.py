"""The Python runtime as a server process runs it (ADR 0016): the cyclic garbage collector
tuned once the application has started."""

from __future__ import annotations

import gc

# Young objects are collected after 10,000 net allocations instead of CPython's 700, and
# each older generation after 20 collections of the one below instead of 10. A request
# allocates thousands of short-lived objects; with the defaults a checkout ran several
# collections of the young generation, and every tenth of those scanned the middle one.
GC_THRESHOLDS = (10_000, 20, 20)


def tune_collector() -> None:
    """Call once the application has started: what is loaded by then (modules, the app and
    its routes, templates, the search dictionary) is moved out of the collector's reach
    (`gc.freeze`: it lives as long as the process, and a full collection no longer scans
    it), then the thresholds above apply."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
