"""The sender on both databases: a real HTTP receiver on 127.0.0.1 answering 500 then 200
(backoff, retry, delivery, signatures checked by the receiver), network errors, giving up
after the last attempt, retry now, leases (a crashed sender's delivery is sent again) and
disabled endpoints."""

from __future__ import annotations

import json
from datetime import timedelta

import httpx

from galerie.db import Database
from galerie.kernel import FixedClock
from galerie.webhooks import (
    MAX_ATTEMPTS,
    RETRY_SCHEDULE,
    HttpxTransport,
    RecordedPost,
    RecordingTransport,
    WebhookSender,
    enqueue_webhook,
    retry_delivery,
    update_endpoint,
)
from tests.integration.webhooks.receiver import Receiver, serving
from tests.integration.webhooks.support import AUDIT, deliveries, endpoint, organisation


async def _paid(db: Database, clock: FixedClock, org: int, event_id: str = "evt_paid_1") -> None:
    async with db.transaction() as session:
        await enqueue_webhook(
            session, organisation_id=org, event_type="order.paid", event_id=event_id,
            payload={"order_id": 42}, now=clock.now(),
        )  # fmt: skip


async def test_a_500_is_retried_after_a_minute_then_delivered_to_a_real_server(
    db: Database, clock: FixedClock
) -> None:
    org = await organisation(db, clock.now())
    receiver = Receiver(secret="", now=clock.now(), statuses=[500, 200])
    async with serving(receiver):
        made = await endpoint(db, clock.now(), org, "order.paid", url=receiver.url)
        receiver.secret = made.secret
        await _paid(db, clock, org)
        transport = HttpxTransport()
        sender = WebhookSender(db, transport, clock, timeout_seconds=5)
        try:
            assert await sender.send_pending() == 1
            [first] = await deliveries(db, endpoint_id=made.id)
            assert (first.status, first.attempts, first.last_status_code) == ("pending", 1, 500)
            assert first.next_attempt_at == clock.now() + timedelta(minutes=1)
            assert first.last_error == "HTTP 500"
            assert await sender.send_pending() == 0  # not due yet
            receiver.now = clock.advance(timedelta(minutes=1))
            assert await sender.send_pending() == 1
        finally:
            await transport.aclose()
    [done] = await deliveries(db, endpoint_id=made.id)
    assert (done.status, done.attempts, done.last_status_code) == ("delivered", 2, 200)
    assert done.delivered_at == clock.now()
    assert len(receiver.received) == 2
    assert all(r.signature_ok for r in receiver.received)
    assert {r.body for r in receiver.received} == {done.payload.encode()}
    headers = receiver.received[1].headers
    assert headers["galerie-event-id"] == "evt_paid_1"
    assert headers["galerie-event-type"] == "order.paid"
    assert headers["content-type"] == "application/json"
    assert headers["user-agent"] == "Galerie-Webhooks/1"
    assert receiver.received[1].path == "/hooks/galerie"
    assert json.loads(receiver.received[1].body)["data"] == {"order_id": 42}


async def test_an_unreachable_server_is_a_failed_attempt(db: Database, clock: FixedClock) -> None:
    org = await organisation(db, clock.now())
    receiver = Receiver(secret="", now=clock.now(), statuses=[])
    async with serving(receiver):
        closed_url = receiver.url  # the server stops before the sender calls
    made = await endpoint(db, clock.now(), org, url=closed_url)
    await _paid(db, clock, org)
    transport = HttpxTransport()
    try:
        assert await WebhookSender(db, transport, clock).send_pending() == 1
    finally:
        await transport.aclose()
    [row] = await deliveries(db, endpoint_id=made.id)
    assert (row.status, row.attempts, row.last_status_code) == ("pending", 1, None)
    assert row.last_error is not None
    assert row.last_error.startswith("ConnectError")


async def test_a_server_too_slow_to_answer_is_a_failed_attempt(
    db: Database, clock: FixedClock
) -> None:
    org = await organisation(db, clock.now())
    receiver = Receiver(secret="", now=clock.now(), statuses=[200], delay=1.0)
    async with serving(receiver):
        made = await endpoint(db, clock.now(), org, url=receiver.url)
        await _paid(db, clock, org)
        transport = HttpxTransport()
        try:
            sender = WebhookSender(db, transport, clock, timeout_seconds=0.2)
            assert await sender.send_pending() == 1
        finally:
            await transport.aclose()
    [row] = await deliveries(db, endpoint_id=made.id)
    assert (row.status, row.attempts, row.last_status_code) == ("pending", 1, None)
    assert row.next_attempt_at == clock.now() + timedelta(minutes=1)
    assert row.last_error is not None
    assert "Timeout" in row.last_error


async def test_after_the_last_attempt_it_fails_and_retry_now_sends_it_once_more(
    db: Database, clock: FixedClock
) -> None:
    org = await organisation(db, clock.now())
    made = await endpoint(db, clock.now(), org)
    await _paid(db, clock, org)
    answers = {"status": 503}
    transport = RecordingTransport(answer=lambda _post: answers["status"])
    sender = WebhookSender(db, transport, clock)
    for delay in (*RETRY_SCHEDULE, None):
        assert await sender.send_pending() == 1
        if delay is not None:
            clock.advance(delay)
    [row] = await deliveries(db, endpoint_id=made.id)
    assert (row.status, row.attempts, row.last_status_code) == ("failed", MAX_ATTEMPTS, 503)
    clock.advance(timedelta(days=30))
    assert await sender.send_pending() == 0  # failed for good
    assert len(transport.posts) == MAX_ATTEMPTS
    await retry_delivery(
        db, organisation_id=org, endpoint_id=made.id, delivery_id=row.id, now=clock.now()
    )
    answers["status"] = 204
    assert await sender.send_pending() == 1
    [again] = await deliveries(db, endpoint_id=made.id)
    assert (again.status, again.attempts, again.last_status_code) == (
        "delivered",
        MAX_ATTEMPTS + 1,
        204,
    )
    assert len({post.body for post in transport.posts}) == 1  # the same bytes every time


async def test_a_crashed_senders_delivery_is_sent_again_after_its_lease(
    db: Database, clock: FixedClock
) -> None:
    org = await organisation(db, clock.now())
    made = await endpoint(db, clock.now(), org)
    await _paid(db, clock, org)
    crashed = WebhookSender(db, RecordingTransport(), clock, lease_seconds=120)
    [claimed] = await crashed.claim()  # ... and never records an outcome
    transport = RecordingTransport()
    survivor = WebhookSender(db, transport, clock)
    assert await survivor.send_pending() == 0  # leased
    clock.advance(timedelta(seconds=121))
    assert await survivor.send_pending() == 1
    await crashed.deliver(claimed)  # the late outcome of the old claim changes nothing
    [row] = await deliveries(db, endpoint_id=made.id)
    assert (row.status, row.attempts) == ("delivered", 2)
    assert [p.headers["Galerie-Event-Id"] for p in transport.posts] == ["evt_paid_1"]


async def test_a_late_failure_does_not_undo_a_newer_claim(db: Database, clock: FixedClock) -> None:
    org = await organisation(db, clock.now())
    made = await endpoint(db, clock.now(), org)
    await _paid(db, clock, org)

    def refuse(_post: RecordedPost) -> int:
        raise httpx.ConnectError("refused")

    stale = WebhookSender(db, RecordingTransport(answer=refuse), clock, lease_seconds=60)
    [old] = await stale.claim()
    clock.advance(timedelta(seconds=61))
    fresh = WebhookSender(db, RecordingTransport(answer=lambda _p: 500), clock)
    [new] = await fresh.claim()
    await stale.deliver(old)
    [row] = await deliveries(db, endpoint_id=made.id)
    assert (row.attempts, row.last_error, row.claimed_until is not None) == (2, None, True)
    await fresh.deliver(new)
    [row] = await deliveries(db, endpoint_id=made.id)
    assert (row.attempts, row.last_status_code, row.last_error) == (2, 500, "HTTP 500")


async def test_a_disabled_endpoint_is_not_sent_to(db: Database, clock: FixedClock) -> None:
    org = await organisation(db, clock.now())
    made = await endpoint(db, clock.now(), org)
    await _paid(db, clock, org)
    await update_endpoint(
        db, organisation_id=org, endpoint_id=made.id, is_active=False, allow_local_http=True,
        audit=AUDIT, now=clock.now(),
    )  # fmt: skip
    transport = RecordingTransport()
    sender = WebhookSender(db, transport, clock)
    assert await sender.send_pending() == 0
    await update_endpoint(
        db, organisation_id=org, endpoint_id=made.id, is_active=True, allow_local_http=True,
        audit=AUDIT, now=clock.now(),
    )  # fmt: skip
    assert await sender.send_pending() == 1
    assert len(transport.posts) == 1
