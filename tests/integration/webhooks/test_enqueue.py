"""Queueing: one delivery per active subscribed endpoint of the organisation, the exact
signed body stored, idempotent on (endpoint, event id); the relay of domain events by name."""

from __future__ import annotations

import json

import pytest

from galerie.db import Database
from galerie.kernel import DomainEvent, FixedClock, ValidationFailed
from galerie.webhooks import (
    enqueue_webhook,
    relay_handler,
    relay_handlers,
    update_endpoint,
    webhook_event_id,
)
from tests.integration.sellers.factories import insert_shop
from tests.integration.webhooks.support import AUDIT, count_rows, deliveries, endpoint, organisation
from tests.web.statement_counter import counting_statements


class WebhookProbeHappened(DomainEvent, frozen=True):
    """A stand-in for the orders domain's events (not on this branch)."""

    order_id: int
    organisation_id: int | None = None
    shop_id: int | None = None


async def _enqueue(
    db: Database, clock: FixedClock, org: int, event_type: str, event_id: str
) -> int:
    async with db.transaction() as session:
        return await enqueue_webhook(
            session, organisation_id=org, event_type=event_type, event_id=event_id,
            payload={"order_id": 42, "total": {"minor": 1999, "currency": "CNY"}}, now=clock.now(),
        )  # fmt: skip


async def test_only_active_subscribed_endpoints_of_the_organisation_get_it(
    db: Database, clock: FixedClock
) -> None:
    org = await organisation(db, clock.now())
    rival = await organisation(db, clock.now())
    paid = await endpoint(db, clock.now(), org, "order.paid", "order.shipped")
    await endpoint(db, clock.now(), org, "order.placed")
    disabled = await endpoint(db, clock.now(), org, "order.paid")
    await update_endpoint(
        db, organisation_id=org, endpoint_id=disabled.id, is_active=False,
        allow_local_http=True, audit=AUDIT, now=clock.now(),
    )  # fmt: skip
    await endpoint(db, clock.now(), rival, "order.paid")
    assert await _enqueue(db, clock, org, "order.paid", "evt_1") == 1
    [queued] = await deliveries(db, event_id="evt_1")
    assert (queued.endpoint_id, queued.organisation_id, queued.status, queued.attempts) == (
        paid.id,
        org,
        "pending",
        0,
    )
    assert queued.next_attempt_at == clock.now()
    assert json.loads(queued.payload) == {
        "id": "evt_1",
        "type": "order.paid",
        "created_at": "2026-11-11T12:00:00Z",
        "organisation_id": org,
        "data": {"order_id": 42, "total": {"minor": 1999, "currency": "CNY"}},
    }


async def test_enqueuing_the_same_event_twice_is_a_no_op(db: Database, clock: FixedClock) -> None:
    org = await organisation(db, clock.now())
    await endpoint(db, clock.now(), org, "order.paid")
    await endpoint(db, clock.now(), org, "order.paid")
    assert await _enqueue(db, clock, org, "order.paid", "evt_dup") == 2
    before = await count_rows(db)
    assert await _enqueue(db, clock, org, "order.paid", "evt_dup") == 0
    assert await count_rows(db) == before
    assert await _enqueue(db, clock, org, "order.paid", "evt_other") == 2


async def test_unknown_types_and_bad_ids_are_refused(db: Database, clock: FixedClock) -> None:
    org = await organisation(db, clock.now())
    await endpoint(db, clock.now(), org, "order.paid")
    before = await count_rows(db)
    with pytest.raises(ValidationFailed):
        await _enqueue(db, clock, org, "order.refunded", "evt_1")
    with pytest.raises(ValidationFailed):
        await _enqueue(db, clock, org, "order.paid", " ")
    with pytest.raises(ValidationFailed):
        await _enqueue(db, clock, org, "order.paid", "e" * 101)
    assert await count_rows(db) == before


async def test_an_organisation_without_endpoints_queues_nothing(
    db: Database, clock: FixedClock
) -> None:
    org = await organisation(db, clock.now())
    assert await _enqueue(db, clock, org, "order.placed", "evt_1") == 0


async def test_the_relay_finds_the_organisation_and_is_idempotent(
    db: Database, clock: FixedClock
) -> None:
    org = await organisation(db, clock.now())
    made = await endpoint(db, clock.now(), org, "order.placed")
    shop = await insert_shop(db, clock.now(), organisation_id=org)
    relay = relay_handler("order.placed", clock)
    by_shop = WebhookProbeHappened(order_id=1, shop_id=shop)
    by_org = WebhookProbeHappened(order_id=2, organisation_id=org)
    for event in (by_shop, by_org, by_shop, WebhookProbeHappened(order_id=3, shop_id=None)):
        async with db.transaction() as session:
            await relay(event, session)
    queued = await deliveries(db, endpoint_id=made.id)
    assert [d.event_id for d in queued] == [
        webhook_event_id(by_shop.name, by_shop.payload()),
        webhook_event_id(by_org.name, by_org.payload()),
    ]
    assert [json.loads(d.payload)["data"]["order_id"] for d in queued] == [1, 2]


def test_relay_handlers_cover_the_events_that_exist(clock: FixedClock) -> None:
    assert relay_handlers(clock, {"NoSuchEvent": "order.paid"}) == {}
    found = relay_handlers(clock, {WebhookProbeHappened.name: "order.paid"})
    assert list(found) == [WebhookProbeHappened.name]
    assert found[WebhookProbeHappened.name][0] == "webhooks.relay.WebhookProbeHappened"


async def test_a_shop_names_its_organisation_in_the_read_of_the_endpoints(
    db: Database, clock: FixedClock
) -> None:
    org = await organisation(db, clock.now())
    rival = await organisation(db, clock.now())
    made = await endpoint(db, clock.now(), org, "order.paid")
    await endpoint(db, clock.now(), rival, "order.paid")
    shop = await insert_shop(db, clock.now(), organisation_id=org)
    payload = {"order_id": 7}
    async with db.transaction() as session, counting_statements(db) as statements:
        queued = await enqueue_webhook(
            session, shop_id=shop, event_type="order.paid", event_id="evt_shop",
            payload=payload, now=clock.now(),
        )  # fmt: skip
    assert queued == 1
    assert len(statements.seen) == 2, statements.seen  # the endpoints, the delivery
    [delivery] = await deliveries(db, event_id="evt_shop")
    assert (delivery.endpoint_id, delivery.organisation_id) == (made.id, org)
    async with db.transaction() as session:
        assert await enqueue_webhook(
            session, shop_id=shop + 1000, event_type="order.paid", event_id="evt_none",
            payload=payload, now=clock.now(),
        ) == 0  # fmt: skip
        for owner in ({}, {"organisation_id": org, "shop_id": shop}):
            with pytest.raises(ValueError, match="organisation or the shop"):
                await enqueue_webhook(
                    session, event_type="order.paid", event_id="evt_bad", payload=payload,
                    now=clock.now(), **owner,
                )  # fmt: skip
