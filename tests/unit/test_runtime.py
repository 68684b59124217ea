"""tune_collector (ADR 0016): what start-up loaded is frozen out of the collector, and the
thresholds are ours; the process's own settings are restored afterwards."""

from __future__ import annotations

import gc

from galerie.runtime import GC_THRESHOLDS, tune_collector


def test_the_collector_is_tuned_and_what_was_loaded_is_frozen() -> None:
    before = gc.get_threshold()
    try:
        gc.unfreeze()
        assert gc.get_freeze_count() == 0
        tune_collector()
        assert gc.get_threshold() == GC_THRESHOLDS
        assert gc.get_freeze_count() > 10_000  # the modules loaded, at least
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
