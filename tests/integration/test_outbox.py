"""The outbox dispatcher on both databases: at-least-once delivery, at-most-once effects."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.audit import AuditContext, AuditRecord, record_audit
from galerie.db import Database
from galerie.db.outbox import OutboxDelivery, OutboxEvent, record_event
from galerie.kernel import DomainEvent, FixedClock
from galerie.workers import (
    DEAD_AT,
    Accepts,
    EventHandler,
    OutboxDispatcher,
    handler_registry,
    retry_delay,
)
from tests.web.statement_counter import counting_statements


class ParcelWaved(DomainEvent, frozen=True):
    parcel: int


class ParcelIgnored(DomainEvent, frozen=True):
    parcel: int


@dataclass
class Probe:
    """Handlers whose effect is a real audit row written in the delivery's transaction;
    `calls` counts every run, including the ones whose transaction was rolled back."""

    clock: FixedClock
    calls: list[tuple[str, int]] = field(default_factory=list)

    def handler(
        self, name: str, *, failures: int = 0, accepts: Accepts | None = None
    ) -> EventHandler:
        """A handler that fails `failures` times (forever if negative), then succeeds."""
        remaining = [failures]

        async def apply(event: DomainEvent, session: AsyncSession) -> None:
            assert isinstance(event, ParcelWaved)
            self.calls.append((name, event.parcel))
            record_audit(
                session,
                context=AuditContext(),
                action=f"outbox.test.{name}",
                target_id=event.parcel,
                now=self.clock.now(),
            )
            await session.flush()
            if remaining[0] != 0:
                remaining[0] -= 1
                raise RuntimeError(f"{name} failed on parcel {event.parcel}")

        return EventHandler(name=name, event_name=ParcelWaved.name, func=apply, accepts=accepts)


async def publish(db: Database, clock: FixedClock, *events: DomainEvent) -> list[int]:
    async with db.transaction() as session:
        rows = [record_event(session, event, now=clock.now()) for event in events]
        await session.flush()
        return [row.id for row in rows]


async def load(db: Database, event_id: int) -> OutboxEvent:
    async with db.reading() as session:
        row = await session.get(OutboxEvent, event_id, populate_existing=True)
        assert row is not None
        return row


async def effects(db: Database) -> list[tuple[str, str | None]]:
    async with db.reading() as session:
        rows = await session.execute(
            select(AuditRecord.action, AuditRecord.target_id)
            .where(AuditRecord.action.like("outbox.test.%"))
            .order_by(AuditRecord.id)
        )
        return [(action, target) for action, target in rows]


async def deliveries(db: Database, event_id: int) -> list[str]:
    async with db.reading() as session:
        names = await session.scalars(
            select(OutboxDelivery.handler)
            .where(OutboxDelivery.event_id == event_id)
            .order_by(OutboxDelivery.handler)
        )
        return list(names)


def dispatcher_for(
    db: Database, clock: FixedClock, *handlers: EventHandler, **options: int
) -> OutboxDispatcher:
    return OutboxDispatcher(db, handler_registry(handlers), clock, **options)


async def test_an_event_from_a_rolled_back_transaction_is_never_delivered(
    db: Database, clock: FixedClock
) -> None:
    probe = Probe(clock)
    with pytest.raises(RuntimeError, match="abandoned"):
        async with db.transaction() as session:
            record_event(session, ParcelWaved(parcel=1), now=clock.now())
            await session.flush()
            raise RuntimeError("abandoned")
    dispatcher = dispatcher_for(db, clock, probe.handler("a"))
    assert await dispatcher.dispatch_pending() == 0
    clock.advance(timedelta(days=1))
    assert await dispatcher.dispatch_pending() == 0
    assert probe.calls == []
    assert await effects(db) == []
    async with db.reading() as session:
        assert await session.scalar(select(func.count()).select_from(OutboxEvent)) == 0


async def test_a_committed_event_reaches_each_handler_exactly_once(
    db: Database, clock: FixedClock
) -> None:
    probe = Probe(clock)
    dispatcher = dispatcher_for(db, clock, probe.handler("a"), probe.handler("b"))
    [event_id] = await publish(db, clock, ParcelWaved(parcel=7))
    assert await dispatcher.dispatch_pending() == 1
    assert await dispatcher.dispatch_pending() == 0
    clock.advance(timedelta(hours=2))
    assert await dispatcher.dispatch_pending() == 0
    assert probe.calls == [("a", 7), ("b", 7)]
    assert await effects(db) == [("outbox.test.a", "7"), ("outbox.test.b", "7")]
    assert await deliveries(db, event_id) == ["a", "b"]
    row = await load(db, event_id)
    assert row.dispatched_at == clock.now() - timedelta(hours=2)
    assert (row.attempts, row.claimed_until, row.last_error) == (1, None, None)


async def test_a_lost_dispatch_mark_does_not_run_handlers_again(
    db: Database, clock: FixedClock
) -> None:
    """A worker that applied every handler and died before marking the event: the event is
    claimed again, and the delivery records stop the handlers from running twice."""
    probe = Probe(clock)
    dispatcher = dispatcher_for(db, clock, probe.handler("a"), probe.handler("b"))
    [event_id] = await publish(db, clock, ParcelWaved(parcel=3))
    await dispatcher.dispatch_pending()
    async with db.transaction() as session:
        await session.execute(
            update(OutboxEvent).where(OutboxEvent.id == event_id).values(dispatched_at=None)
        )
    assert await dispatcher.dispatch_pending() == 1
    assert probe.calls == [("a", 3), ("b", 3)]
    assert await effects(db) == [("outbox.test.a", "3"), ("outbox.test.b", "3")]
    row = await load(db, event_id)
    assert (row.attempts, row.dispatched_at) == (2, clock.now())


async def test_an_expired_lease_is_claimed_again_and_delivered_once(
    db: Database, clock: FixedClock
) -> None:
    probe = Probe(clock)
    crashed = dispatcher_for(db, clock, probe.handler("a"), lease_seconds=60)
    survivor = dispatcher_for(db, clock, probe.handler("a"), lease_seconds=60)
    [event_id] = await publish(db, clock, ParcelWaved(parcel=5))
    [claimed] = await crashed.claim()  # ... and the worker dies holding the lease
    assert (claimed.id, claimed.event_name, claimed.payload) == (
        event_id,
        "ParcelWaved",
        {"parcel": 5},
    )
    assert await survivor.dispatch_pending() == 0
    clock.advance(timedelta(seconds=60))
    assert await survivor.dispatch_pending() == 0  # the lease is still live at its last instant
    clock.advance(timedelta(microseconds=1))
    assert await survivor.dispatch_pending() == 1
    assert await survivor.dispatch_pending() == 0
    assert probe.calls == [("a", 5)]
    row = await load(db, event_id)
    assert (row.attempts, row.dispatched_at, row.claimed_until) == (2, clock.now(), None)


async def test_claims_skip_live_leases_and_take_the_oldest_first(
    db: Database, clock: FixedClock
) -> None:
    dispatcher = dispatcher_for(db, clock, batch_size=2, lease_seconds=30)
    ids = await publish(db, clock, *(ParcelIgnored(parcel=n) for n in range(3)))
    first = await dispatcher.claim()
    assert [c.id for c in first] == ids[:2]
    assert [c.attempts for c in first] == [1, 1]
    second = await dispatcher.claim()
    assert [c.id for c in second] == ids[2:]
    assert await dispatcher.claim() == []
    row = await load(db, ids[0])
    assert row.claimed_until == clock.now() + timedelta(seconds=30)
    clock.advance(timedelta(seconds=31))
    again = await dispatcher.claim()
    assert [(c.id, c.attempts) for c in again] == [(ids[0], 2), (ids[1], 2)]


async def test_events_not_yet_available_are_not_claimed(db: Database, clock: FixedClock) -> None:
    dispatcher = dispatcher_for(db, clock)
    [event_id] = await publish(db, clock, ParcelIgnored(parcel=1))
    async with db.transaction() as session:
        await session.execute(
            update(OutboxEvent)
            .where(OutboxEvent.id == event_id)
            .values(available_at=clock.now() + timedelta(seconds=10))
        )
    assert await dispatcher.claim() == []
    clock.advance(timedelta(seconds=10))
    assert [c.id for c in await dispatcher.claim()] == [event_id]


async def test_events_without_handlers_are_marked_dispatched(
    db: Database, clock: FixedClock
) -> None:
    probe = Probe(clock)
    dispatcher = dispatcher_for(db, clock, probe.handler("a"))
    [event_id] = await publish(db, clock, ParcelIgnored(parcel=1))
    assert await dispatcher.dispatch_pending() == 1
    assert probe.calls == []
    assert await deliveries(db, event_id) == []
    row = await load(db, event_id)
    assert (row.dispatched_at, row.attempts, row.last_error) == (clock.now(), 1, None)


async def test_a_handler_runs_only_for_the_events_it_accepts(
    db: Database, clock: FixedClock
) -> None:
    probe = Probe(clock)
    odd = probe.handler("odd", accepts=lambda event: getattr(event, "parcel", 0) % 2 == 1)
    dispatcher = dispatcher_for(db, clock, probe.handler("all"), odd)
    first, second = await publish(db, clock, ParcelWaved(parcel=1), ParcelWaved(parcel=2))
    assert await dispatcher.dispatch_pending() == 2
    assert probe.calls == [("all", 1), ("odd", 1), ("all", 2)]
    assert await deliveries(db, first) == ["all", "odd"]
    assert await deliveries(db, second) == ["all"]  # no transaction for the refused one
    for event_id in (first, second):
        row = await load(db, event_id)
        assert (row.dispatched_at, row.last_error) == (clock.now(), None)


async def test_a_pass_marks_its_events_dispatched_in_one_statement(
    db: Database, clock: FixedClock
) -> None:
    probe = Probe(clock)
    dispatcher = dispatcher_for(db, clock, probe.handler("a", failures=1))
    quiet = await publish(db, clock, *(ParcelIgnored(parcel=n) for n in range(6)))
    [failing] = await publish(db, clock, ParcelWaved(parcel=7))
    async with counting_statements(db) as statements:
        assert await dispatcher.dispatch_pending() == 7
    # the claim, the handler's delivery row and audit row, its failure, one mark for all
    seen = statements.seen
    assert len(seen) == 5, seen
    assert sum("outbox_events" in s for s in seen) == 3, seen  # claim, failure, mark
    for event_id in quiet:
        assert (await load(db, event_id)).dispatched_at == clock.now()
    row = await load(db, failing)
    assert (row.dispatched_at, row.last_error) == (None, "RuntimeError: a failed on parcel 7")


async def test_a_failing_handler_is_retried_with_backoff_and_the_other_is_not_rerun(
    db: Database, clock: FixedClock
) -> None:
    probe = Probe(clock)
    dispatcher = dispatcher_for(
        db, clock, probe.handler("steady"), probe.handler("flaky", failures=2)
    )
    [event_id] = await publish(db, clock, ParcelWaved(parcel=9))
    failed_at = clock.now()
    assert await dispatcher.dispatch_pending() == 1
    assert probe.calls == [("steady", 9), ("flaky", 9)]
    assert await effects(db) == [("outbox.test.steady", "9")]  # flaky's row was rolled back
    assert await deliveries(db, event_id) == ["steady"]
    row = await load(db, event_id)
    assert row.dispatched_at is None
    assert row.attempts == 1
    assert row.last_error == "RuntimeError: flaky failed on parcel 9"
    assert row.available_at == failed_at + timedelta(seconds=5)
    assert row.claimed_until is None

    clock.advance(timedelta(seconds=4))
    assert await dispatcher.dispatch_pending() == 0  # still backing off
    clock.advance(timedelta(seconds=1))
    assert await dispatcher.dispatch_pending() == 1
    row = await load(db, event_id)
    assert (row.attempts, row.available_at) == (2, clock.now() + timedelta(seconds=10))

    clock.advance(timedelta(seconds=10))
    assert await dispatcher.dispatch_pending() == 1
    assert probe.calls == [("steady", 9), ("flaky", 9), ("flaky", 9), ("flaky", 9)]
    assert await effects(db) == [("outbox.test.steady", "9"), ("outbox.test.flaky", "9")]
    assert await deliveries(db, event_id) == ["flaky", "steady"]
    row = await load(db, event_id)
    assert (row.dispatched_at, row.attempts) == (clock.now(), 3)
    assert row.last_error == "RuntimeError: flaky failed on parcel 9"  # kept as history


async def test_after_max_attempts_an_event_is_dead_and_never_retried(
    db: Database, clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    probe = Probe(clock)
    dispatcher = dispatcher_for(db, clock, probe.handler("broken", failures=-1), max_attempts=3)
    [event_id] = await publish(db, clock, ParcelWaved(parcel=4))
    with caplog.at_level(logging.WARNING, logger="galerie.workers.outbox"):
        for attempt in (1, 2, 3):
            assert await dispatcher.dispatch_pending() == 1
            clock.advance(retry_delay(attempt))
    row = await load(db, event_id)
    assert (row.attempts, row.dispatched_at, row.claimed_until) == (3, None, None)
    assert row.available_at == DEAD_AT
    assert row.last_error == "RuntimeError: broken failed on parcel 4"
    dead = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert [r.getMessage() for r in dead] == [
        f"outbox event {event_id} (ParcelWaved) is dead after 3 attempts: "
        "RuntimeError: broken failed on parcel 4"
    ]
    clock.advance(timedelta(days=3650))
    assert await dispatcher.dispatch_pending() == 0
    assert len(probe.calls) == 3
    assert await effects(db) == []


async def test_an_undecodable_payload_is_a_recorded_failure(
    db: Database, clock: FixedClock
) -> None:
    probe = Probe(clock)
    dispatcher = dispatcher_for(db, clock, probe.handler("a"))
    async with db.transaction() as session:
        row = OutboxEvent(
            event_name="ParcelWaved",
            payload={"parcel": "not a number"},
            occurred_at=clock.now(),
            available_at=clock.now(),
            attempts=0,
        )
        session.add(row)
        await session.flush()
        event_id = row.id
    assert await dispatcher.dispatch_pending() == 1
    assert probe.calls == []
    stored = await load(db, event_id)
    assert stored.dispatched_at is None
    assert stored.last_error is not None
    assert stored.last_error.startswith("ValidationError: Expected `int`, got `str`")


def test_backoff_doubles_and_is_capped() -> None:
    assert [retry_delay(n).total_seconds() for n in range(1, 6)] == [5, 10, 20, 40, 80]
    assert retry_delay(11) == timedelta(hours=1)
    assert retry_delay(1000) == timedelta(hours=1)
    with pytest.raises(ValueError, match="start at 1"):
        retry_delay(0)


async def test_handler_registrations_are_checked(db: Database, clock: FixedClock) -> None:
    probe = Probe(clock)
    with pytest.raises(ValueError, match="two outbox handlers are named 'a'"):
        handler_registry([probe.handler("a"), probe.handler("a")])
    with pytest.raises(ValueError, match="handles another event"):
        OutboxDispatcher(db, {"Other": [probe.handler("a")]}, clock)
    with pytest.raises(ValueError, match="bad handler name"):
        probe.handler("x" * 121)
    with pytest.raises(ValueError, match="bad handler name"):
        probe.handler("")


# Real concurrency: separate connections on the run's shared databases, so these tests commit
# for real and delete what they created at the end.


@dataclass
class Shared:
    url: str
    created: list[int] = field(default_factory=list)
    opened: list[Database] = field(default_factory=list)

    def open(self) -> Database:
        database = Database.from_url(self.url)
        self.opened.append(database)
        return database


@pytest.fixture
async def shared(backend: str, database_urls: dict[str, str]) -> AsyncIterator[Shared]:
    if backend not in database_urls:
        pytest.skip("no PostgreSQL server (set GALERIE_REQUIRE_POSTGRES=1 to make this fail)")
    state = Shared(database_urls[backend])
    yield state
    cleaner = state.open()
    async with cleaner.transaction() as session:
        await session.execute(
            delete(OutboxDelivery).where(OutboxDelivery.event_id.in_(state.created))
        )
        await session.execute(delete(OutboxEvent).where(OutboxEvent.id.in_(state.created)))
    for database in state.opened:
        await database.dispose()


def recording_handler(seen: list[tuple[str, int]], tag: str) -> EventHandler:
    async def record(event: DomainEvent, session: AsyncSession) -> None:
        assert isinstance(event, ParcelWaved)
        await asyncio.sleep(0)  # let the other workers interleave
        seen.append((tag, event.parcel))

    return EventHandler(name="outbox.test.record", event_name=ParcelWaved.name, func=record)


async def test_concurrent_workers_deliver_each_event_once(
    shared: Shared, clock: FixedClock
) -> None:
    writer = shared.open()
    shared.created += await publish(writer, clock, *(ParcelWaved(parcel=n) for n in range(40)))
    seen: list[tuple[str, int]] = []
    workers = [
        OutboxDispatcher(
            shared.open(),
            handler_registry([recording_handler(seen, f"w{n}")]),
            clock,
            batch_size=3,
        )
        for n in range(3)
    ]

    async def drain(worker: OutboxDispatcher) -> None:
        while await worker.dispatch_pending():
            pass

    await asyncio.gather(*(drain(worker) for worker in workers))
    assert sorted(parcel for _, parcel in seen) == list(range(40))
    async with writer.reading() as session:
        rows = (
            await session.execute(
                select(OutboxEvent.attempts, OutboxEvent.dispatched_at).where(
                    OutboxEvent.id.in_(shared.created)
                )
            )
        ).all()
        delivered = await session.scalar(
            select(func.count())
            .select_from(OutboxDelivery)
            .where(OutboxDelivery.event_id.in_(shared.created))
        )
    assert sorted(rows) == [(1, clock.now())] * 40  # no event was ever claimed twice
    assert delivered == 40


async def test_run_wakes_on_kick_and_ends_on_stop(shared: Shared, clock: FixedClock) -> None:
    database = shared.open()
    seen: list[tuple[str, int]] = []
    arrived = asyncio.Event()
    handler = recording_handler(seen, "loop")

    async def record_and_signal(event: DomainEvent, session: AsyncSession) -> None:
        await handler.func(event, session)
        arrived.set()

    dispatcher = OutboxDispatcher(
        database,
        handler_registry([EventHandler(handler.name, handler.event_name, record_and_signal)]),
        clock,
    )
    database.after_commit(dispatcher.kick)
    stop = asyncio.Event()
    loop = asyncio.create_task(dispatcher.run(stop, poll_seconds=3600))
    try:
        await asyncio.sleep(0.2)  # the first pass finds nothing; the loop sleeps for an hour
        shared.created += await publish(database, clock, ParcelWaved(parcel=11))
        await asyncio.wait_for(arrived.wait(), timeout=10)
        await asyncio.sleep(0.3)
        # Its own commits do not kick it: after the delivery, one more pass finds nothing
        # and the loop sleeps, rather than spinning on the after_commit callback.
        assert dispatcher.passes <= 3
    finally:
        stop.set()
        await asyncio.wait_for(loop, timeout=10)
    assert seen == [("loop", 11)]
    assert loop.done()
    assert loop.exception() is None
