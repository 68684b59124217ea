"""Domain events: registered by name, turned into JSON payloads and back unchanged."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import msgspec
import pytest

from galerie.kernel import DomainEvent, Money, ValidationFailed, event_from_payload, event_types


class KernelProbeRecorded(DomainEvent, frozen=True):
    probe_id: int
    label: str
    at: datetime
    amount: Money
    tags: tuple[str, ...] = ()
    note: str | None = None


def _probe() -> KernelProbeRecorded:
    return KernelProbeRecorded(
        probe_id=7,
        label="café 咖啡",
        at=datetime(2026, 11, 11, 12, 0, tzinfo=UTC),
        amount=Money(1230, "EUR"),
        tags=("a", "b"),
    )


def test_events_are_registered_under_their_class_name() -> None:
    assert KernelProbeRecorded.name == "KernelProbeRecorded"
    assert _probe().name == "KernelProbeRecorded"
    assert event_types()["KernelProbeRecorded"] is KernelProbeRecorded


def test_payload_round_trip_through_json_gives_an_equal_event() -> None:
    event = _probe()
    stored = json.loads(json.dumps(event.payload()))  # what the outbox's JSON column keeps
    assert stored["amount"] == {"minor": 1230, "currency": "EUR"}
    loaded = event_from_payload("KernelProbeRecorded", stored)
    assert type(loaded) is KernelProbeRecorded
    assert loaded == event


def test_a_second_event_with_the_same_name_is_refused() -> None:
    with pytest.raises(TypeError, match="two domain events are named KernelProbeRecorded"):

        class KernelProbeRecorded(DomainEvent, frozen=True):
            other: int

    assert event_types()["KernelProbeRecorded"] is _probe().__class__


def test_unknown_names_are_refused() -> None:
    with pytest.raises(LookupError, match="unknown event type 'NothingHappened'"):
        event_from_payload("NothingHappened", {})


def test_payloads_are_validated_on_the_way_back() -> None:
    stored = json.loads(json.dumps(_probe().payload()))
    with pytest.raises(msgspec.ValidationError):
        event_from_payload("KernelProbeRecorded", {**stored, "probe_id": "seven"})
    with pytest.raises(msgspec.ValidationError):
        event_from_payload("KernelProbeRecorded", {k: v for k, v in stored.items() if k != "label"})
    with pytest.raises(ValidationFailed):
        event_from_payload(
            "KernelProbeRecorded", {**stored, "amount": {"minor": 1, "currency": "XXX"}}
        )


def test_events_are_frozen() -> None:
    with pytest.raises(AttributeError):
        _probe().label = "changed"  # type: ignore[misc]
