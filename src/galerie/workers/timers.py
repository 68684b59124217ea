"""Timers: work the worker does on a schedule rather than on an event. Each timer is a
use case that is safe to run again (it announces or applies each thing once), so running
it on several workers or more often than its period costs nothing but a query."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from galerie.db import Database
from galerie.kernel import Clock
from galerie.sellers import announce_document_deadlines

log = logging.getLogger("galerie.workers.timers")
TIMER_PERIOD = timedelta(hours=1)


async def run_timers(db: Database, clock: Clock) -> dict[str, int]:
    """One pass of every timer; returns what each one did."""
    return {"document_deadlines": await announce_document_deadlines(db, now=clock.now())}


async def run_timers_until(
    stop: asyncio.Event, db: Database, clock: Clock, period: timedelta = TIMER_PERIOD
) -> None:
    """Run the timers every `period` until `stop` is set (a failed pass is logged)."""
    while not stop.is_set():
        try:
            done = await run_timers(db, clock)
            log.info("timers ran", extra={"done": done})
        except Exception:
            log.exception("timers pass failed")
        try:
            await asyncio.wait_for(stop.wait(), timeout=period.total_seconds())
        except TimeoutError:
            continue
