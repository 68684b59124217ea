"""The carrier port (ARCHITECTURE.md habit 7) and the fake carrier shipped with the code.

A carrier takes a parcel and gives a tracking number; later it reports tracking events
(picked up, in transit, out for delivery, delivered) in time order. The fulfilment work
talks only to `Carrier`; the demo and the tests use `FakeCarrier`, whose contract tests
(tests/integration/shipping/test_carrier_contract.py) any real adapter must pass too.

The fake keeps no state: its tracking number carries the shipment's time and a digest of the
caller's reference, so any process (app, worker, after a restart) reads the same events for
the same number, moved along by the clock it is given."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Final, Protocol

from galerie.kernel import NotFound, ValidationFailed


class TrackingStatus(StrEnum):
    PICKED_UP = "picked_up"
    IN_TRANSIT = "in_transit"
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERED = "delivered"


@dataclass(frozen=True, slots=True)
class TrackingEvent:
    tracking_number: str
    status: TrackingStatus
    at: datetime


class UnknownTrackingNumber(NotFound):
    default_code = "unknown_tracking_number"


class Carrier(Protocol):
    """What fulfilment needs from a carrier."""

    async def create_shipment(self, *, reference: str, shipped_at: datetime) -> str:
        """Hand over a parcel; the tracking number. The same reference and time give the
        same number (a retried call ships nothing twice); different references, different
        numbers."""
        ...

    async def tracking_events(self, tracking_number: str, *, now: datetime) -> list[TrackingEvent]:
        """The events known at `now`, oldest first (none before pick-up); an unknown number
        raises UnknownTrackingNumber."""
        ...


DEFAULT_SCHEDULE: Final[tuple[tuple[TrackingStatus, timedelta], ...]] = (
    (TrackingStatus.PICKED_UP, timedelta(hours=4)),
    (TrackingStatus.IN_TRANSIT, timedelta(days=1)),
    (TrackingStatus.OUT_FOR_DELIVERY, timedelta(days=2)),
    (TrackingStatus.DELIVERED, timedelta(days=2, hours=6)),
)
_DIGITS: Final = 12  # seconds since the epoch, zero-padded
_DIGEST: Final = 10
MAX_REFERENCE: Final = 200


class FakeCarrier:
    """A deterministic carrier: `prefix` + shipment time (epoch seconds) + a digest of the
    reference; events at fixed offsets from the shipment time (`schedule`)."""

    def __init__(
        self,
        *,
        prefix: str = "GF",
        schedule: tuple[tuple[TrackingStatus, timedelta], ...] = DEFAULT_SCHEDULE,
    ) -> None:
        if not prefix.isalpha() or not prefix.isupper():
            raise ValueError("the prefix is upper-case letters")
        offsets = [offset for _, offset in schedule]
        if offsets != sorted(offsets) or schedule[-1][0] != TrackingStatus.DELIVERED:
            raise ValueError("the schedule is in time order and ends with delivery")
        self.prefix = prefix
        self.schedule = schedule

    async def create_shipment(self, *, reference: str, shipped_at: datetime) -> str:
        if not reference.strip() or len(reference) > MAX_REFERENCE:
            raise ValidationFailed("A shipment needs a reference.", code="bad_reference")
        if shipped_at.tzinfo is None:
            raise ValueError("shipped_at must be an aware UTC datetime")
        seconds = int(shipped_at.timestamp())
        digest = hashlib.sha256(reference.encode("utf-8")).hexdigest()[:_DIGEST].upper()
        return f"{self.prefix}{seconds:0{_DIGITS}d}{digest}"

    def _shipped_at(self, tracking_number: str) -> datetime:
        body = tracking_number[len(self.prefix) :]
        seconds = body[:_DIGITS]
        valid = (
            tracking_number.startswith(self.prefix)
            and len(body) == _DIGITS + _DIGEST
            and seconds.isdigit()
            and all(c in "0123456789ABCDEF" for c in body[_DIGITS:])
        )
        if not valid:
            raise UnknownTrackingNumber("No parcel has this tracking number.")
        return datetime.fromtimestamp(int(seconds), tz=UTC)

    async def tracking_events(self, tracking_number: str, *, now: datetime) -> list[TrackingEvent]:
        shipped_at = self._shipped_at(tracking_number)
        return [
            TrackingEvent(tracking_number, status, shipped_at + offset)
            for status, offset in self.schedule
            if shipped_at + offset <= now
        ]
