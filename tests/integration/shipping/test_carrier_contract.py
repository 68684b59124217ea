"""The carrier port's contract, run against the shipped fake (a real adapter must pass the
same tests): tracking numbers deterministic and unique, events in order over time, nothing
before pick-up, delivery last, unknown numbers refused."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest

from galerie.shipping import Carrier, FakeCarrier, TrackingStatus, UnknownTrackingNumber

SHIPPED = datetime(2026, 11, 11, 9, 30, tzinfo=UTC)
CARRIERS: dict[str, Callable[[], Carrier]] = {"fake": FakeCarrier}
ORDER = [
    TrackingStatus.PICKED_UP,
    TrackingStatus.IN_TRANSIT,
    TrackingStatus.OUT_FOR_DELIVERY,
    TrackingStatus.DELIVERED,
]


@pytest.fixture(params=sorted(CARRIERS))
def carrier(request: pytest.FixtureRequest) -> Carrier:
    return CARRIERS[request.param]()


async def test_the_same_shipment_gets_the_same_number(carrier: Carrier) -> None:
    first = await carrier.create_shipment(reference="order-1/parcel-1", shipped_at=SHIPPED)
    again = await carrier.create_shipment(reference="order-1/parcel-1", shipped_at=SHIPPED)
    assert first == again
    assert first.isalnum()


async def test_different_shipments_get_different_numbers(carrier: Carrier) -> None:
    numbers = {
        await carrier.create_shipment(reference=f"order-{n}", shipped_at=SHIPPED)
        for n in range(2000)
    }
    later = await carrier.create_shipment(
        reference="order-1", shipped_at=SHIPPED + timedelta(seconds=1)
    )
    assert len(numbers) == 2000
    assert later not in numbers


async def test_events_come_over_time_in_order_and_end_with_delivery(carrier: Carrier) -> None:
    number = await carrier.create_shipment(reference="order-9", shipped_at=SHIPPED)
    assert await carrier.tracking_events(number, now=SHIPPED) == []
    seen: list[list[TrackingStatus]] = []
    for hours in range(0, 24 * 5, 2):
        events = await carrier.tracking_events(number, now=SHIPPED + timedelta(hours=hours))
        statuses = [e.status for e in events]
        assert statuses == ORDER[: len(statuses)]
        times = [e.at for e in events]
        assert times == sorted(times)
        assert all(SHIPPED < t <= SHIPPED + timedelta(hours=hours) for t in times)
        assert all(e.tracking_number == number for e in events)
        seen.append(statuses)
    assert seen[-1] == ORDER
    assert all(len(a) <= len(b) for a, b in pairwise(seen))


@pytest.mark.parametrize("number", ["", "GF", "GF12", "XX0000000000001234567890", "GF" + "0" * 30])
async def test_an_unknown_number_is_refused(carrier: Carrier, number: str) -> None:
    with pytest.raises(UnknownTrackingNumber):
        await carrier.tracking_events(number, now=SHIPPED)


def test_the_fake_refuses_a_schedule_out_of_order() -> None:
    with pytest.raises(ValueError, match="time order"):
        FakeCarrier(
            schedule=(
                (TrackingStatus.DELIVERED, timedelta(hours=1)),
                (TrackingStatus.PICKED_UP, timedelta(hours=2)),
            )
        )
