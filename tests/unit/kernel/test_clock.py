"""Clocks give aware UTC and never run backwards."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from galerie.kernel import FixedClock, SystemClock, utc


def test_fixed_clock_refuses_naive_time() -> None:
    with pytest.raises(ValueError, match="naive"):
        FixedClock(datetime(2026, 1, 1))  # noqa: DTZ001


def test_fixed_clock_stands_still_and_advances() -> None:
    clock = FixedClock(datetime(2026, 1, 1, tzinfo=UTC))
    assert clock.now() == clock.now() == datetime(2026, 1, 1, tzinfo=UTC)
    assert clock.advance(timedelta(minutes=5)) == datetime(2026, 1, 1, 0, 5, tzinfo=UTC)
    assert clock.now() == datetime(2026, 1, 1, 0, 5, tzinfo=UTC)
    assert clock.advance(timedelta(0)) == datetime(2026, 1, 1, 0, 5, tzinfo=UTC)


def test_fixed_clock_never_runs_backwards() -> None:
    clock = FixedClock(datetime(2026, 1, 1, tzinfo=UTC))
    with pytest.raises(ValueError, match="backwards"):
        clock.advance(timedelta(microseconds=-1))
    assert clock.now() == datetime(2026, 1, 1, tzinfo=UTC)


def test_other_offsets_become_utc() -> None:
    shanghai = timezone(timedelta(hours=8))
    clock = FixedClock(datetime(2026, 1, 1, 8, 0, tzinfo=shanghai))
    assert clock.now() == datetime(2026, 1, 1, 0, 0, tzinfo=UTC)
    assert clock.now().utcoffset() == timedelta(0)
    assert utc(datetime(2026, 1, 1, 8, 0, tzinfo=shanghai)).tzinfo is UTC


def test_system_clock_is_aware_utc() -> None:
    now = SystemClock().now()
    assert now.tzinfo is UTC
