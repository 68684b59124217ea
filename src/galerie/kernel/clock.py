"""Time comes from an injected clock, always aware UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


def utc(value: datetime) -> datetime:
    """Return `value` as aware UTC; a naive value is refused, never guessed."""
    if value.tzinfo is None:
        raise ValueError("naive datetime: Galerie only handles aware UTC timestamps")
    return value.astimezone(UTC)


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock for tests and simulations: stands still until advanced."""

    def __init__(self, start: datetime) -> None:
        self._now = utc(start)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> datetime:
        if delta < timedelta(0):
            raise ValueError("a clock never runs backwards")
        self._now += delta
        return self._now
