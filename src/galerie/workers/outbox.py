"""The outbox dispatcher: delivers committed domain events to their handlers (ADR 0003).

One pass (`dispatch_pending`) claims a batch of due events in one short write transaction,
taking a lease on each (`claimed_until`) and counting the attempt. On PostgreSQL the claim
locks its rows with `FOR UPDATE SKIP LOCKED` inside a MATERIALIZED CTE (an `IN (subselect)`
with LIMIT may be re-run by the planner inside a nested loop and claim more than LIMIT rows);
on SQLite writers are already serialised by `BEGIN IMMEDIATE`.

Each handler then runs in its own transaction that first inserts its row in
`outbox_deliveries` (ON CONFLICT DO NOTHING): the handler's effects and its delivery record
commit together, so delivery is at least once and each handler's effect at most once. A
handler may declare which events it `accepts` (a pure test of the event): the others it is
not run for, and they cost no transaction (an OrderStatusChanged to `paid` does not wake the
escrow release). The events of a pass that every handler has applied are marked dispatched
together, in one statement at the end of the pass; a failure is recorded on the event
(`last_error`) and retried after an exponential backoff, and after `max_attempts` the event
is parked as dead: undispatched, `available_at` set to DEAD_AT, never claimed again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Update, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import ReturningInsert

from galerie.db import Database
from galerie.db.outbox import OutboxDelivery, OutboxEvent
from galerie.kernel import Clock, DomainEvent, event_from_payload

log = logging.getLogger("galerie.workers.outbox")

HandlerFunc = Callable[[DomainEvent, AsyncSession], Awaitable[None]]
Accepts = Callable[[DomainEvent], bool]

# Where a dead event's `available_at` points: no clock reaches it, so it is never claimed.
DEAD_AT = datetime(9999, 1, 1, tzinfo=UTC)
BACKOFF_BASE = timedelta(seconds=5)
BACKOFF_CAP = timedelta(hours=1)
MAX_ERROR_LENGTH = 2000
MAX_HANDLER_NAME = 120  # outbox_deliveries.handler is String(120)

# The dispatcher whose pass is running in the current task, so its own commits do not kick it.
_dispatching: ContextVar[OutboxDispatcher | None] = ContextVar("outbox_dispatching", default=None)


@dataclass(frozen=True, slots=True)
class EventHandler:
    """A named reaction to one event type. `name` is the idempotency key in
    `outbox_deliveries`: keep it stable across releases, or the handler runs again."""

    name: str
    event_name: str
    func: HandlerFunc
    # Which events of `event_name` the handler acts on (None: every one). Pure: an event it
    # refuses is one its func would have left alone, so it is not run for it at all.
    accepts: Accepts | None = None

    def wants(self, event: DomainEvent) -> bool:
        return self.accepts is None or self.accepts(event)

    def __post_init__(self) -> None:
        if not self.name or len(self.name) > MAX_HANDLER_NAME or self.name != self.name.strip():
            raise ValueError(f"bad handler name {self.name!r}")
        if not self.event_name:
            raise ValueError("a handler names the event it handles")


@dataclass(frozen=True, slots=True)
class ClaimedEvent:
    id: int
    event_name: str
    payload: dict[str, Any]
    attempts: int  # including the claim that returned it: a fencing token for its outcome


def handler_registry(handlers: Iterable[EventHandler]) -> dict[str, tuple[EventHandler, ...]]:
    """Group handlers by event name, refusing two handlers with the same name."""
    registry: dict[str, tuple[EventHandler, ...]] = {}
    seen: set[str] = set()
    for handler in handlers:
        if handler.name in seen:
            raise ValueError(f"two outbox handlers are named {handler.name!r}")
        seen.add(handler.name)
        registry[handler.event_name] = (*registry.get(handler.event_name, ()), handler)
    return registry


def retry_delay(attempts: int) -> timedelta:
    """Backoff after the `attempts`-th failed attempt: 5 s, 10 s, 20 s ... capped at 1 h."""
    if attempts < 1:
        raise ValueError("attempts start at 1")
    if attempts > 20:  # 5 s * 2**19 is far past the cap already
        return BACKOFF_CAP
    delay: timedelta = BACKOFF_BASE * (2 ** (attempts - 1))
    return min(delay, BACKOFF_CAP)


def describe_error(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:MAX_ERROR_LENGTH]


class OutboxDispatcher:
    def __init__(
        self,
        db: Database,
        handlers: Mapping[str, Sequence[EventHandler]],
        clock: Clock,
        *,
        batch_size: int = 50,
        lease_seconds: int = 60,
        max_attempts: int = 10,
    ) -> None:
        if batch_size < 1 or lease_seconds < 1 or max_attempts < 1:
            raise ValueError("batch_size, lease_seconds and max_attempts are at least 1")
        for event_name, group in handlers.items():
            if any(handler.event_name != event_name for handler in group):
                raise ValueError(f"a handler under {event_name!r} handles another event")
        handler_registry(h for group in handlers.values() for h in group)  # unique names
        self._db = db
        self._handlers = {name: tuple(group) for name, group in handlers.items()}
        self._clock = clock
        self.batch_size = batch_size
        self.lease = timedelta(seconds=lease_seconds)
        self.max_attempts = max_attempts
        self._wake = asyncio.Event()
        self.passes = 0  # completed dispatch passes, for monitoring

    async def claim(self) -> list[ClaimedEvent]:
        """Take a lease on up to `batch_size` due events, oldest first, in one transaction."""
        now = self._clock.now()
        statement = _claim_statement(self._db.dialect, now, now + self.lease, self.batch_size)
        async with self._db.transaction() as session:
            rows = (await session.execute(statement)).all()
        claimed = [ClaimedEvent(row[0], row[1], dict(row[2]), row[3]) for row in rows]
        return sorted(claimed, key=lambda event: event.id)

    async def dispatch_pending(self) -> int:
        """One pass: claim a batch, deliver it, then mark the events every handler applied
        dispatched, in one statement. Returns how many events were claimed."""
        token = _dispatching.set(self)
        try:
            claimed = await self.claim()
            done = [event.id for event in claimed if await self._handle(event)]
            await self._mark_dispatched(done)
        finally:
            _dispatching.reset(token)
        self.passes += 1
        return len(claimed)

    async def deliver(self, claimed: ClaimedEvent) -> None:
        """Run every handler of one claimed event, then mark it dispatched or record why
        not."""
        if await self._handle(claimed):
            await self._mark_dispatched([claimed.id])

    async def _handle(self, claimed: ClaimedEvent) -> bool:
        """Run the handlers that want the event; True when all applied it, else the failure
        is recorded and False."""
        handlers = self._handlers.get(claimed.event_name, ())
        error: Exception | None = None
        if handlers:
            try:
                event = event_from_payload(claimed.event_name, claimed.payload)
            except Exception as exc:
                error = exc
            else:
                error = await self._run_handlers(handlers, claimed.id, event)
        if error is None:
            return True
        await self._record_failure(claimed, error)
        return False

    async def _run_handlers(
        self, handlers: Sequence[EventHandler], event_id: int, event: DomainEvent
    ) -> Exception | None:
        """Each handler that wants the event, in its own transaction; the first failure."""
        error: Exception | None = None
        for handler in handlers:
            try:
                if handler.wants(event):
                    await self._apply(handler, event_id, event)
            except Exception as exc:
                log.warning(
                    "outbox handler %s failed on event %s", handler.name, event_id, exc_info=True
                )
                error = error or exc
        return error

    async def _apply(self, handler: EventHandler, event_id: int, event: DomainEvent) -> None:
        async with self._db.transaction() as session:
            statement = _delivery_statement(self._db.dialect).values(
                event_id=event_id, handler=handler.name, delivered_at=self._clock.now()
            )
            inserted = (await session.execute(statement)).first() is not None
            if inserted:
                await handler.func(event, session)

    async def _mark_dispatched(self, event_ids: Sequence[int]) -> None:
        if not event_ids:
            return
        statement = (
            update(OutboxEvent)
            .where(OutboxEvent.id.in_(event_ids), OutboxEvent.dispatched_at.is_(None))
            .values(dispatched_at=self._clock.now(), claimed_until=None)
            .execution_options(synchronize_session=False)
        )
        async with self._db.transaction() as session:
            await session.execute(statement)

    async def _record_failure(self, claimed: ClaimedEvent, error: Exception) -> None:
        now = self._clock.now()
        dead = claimed.attempts >= self.max_attempts
        retry_at = DEAD_AT if dead else now + retry_delay(claimed.attempts)
        statement = (
            update(OutboxEvent)
            .where(
                OutboxEvent.id == claimed.id,
                OutboxEvent.attempts == claimed.attempts,  # a newer claim owns the outcome
                OutboxEvent.dispatched_at.is_(None),
            )
            .values(last_error=describe_error(error), available_at=retry_at, claimed_until=None)
            .execution_options(synchronize_session=False)
        )
        async with self._db.transaction() as session:
            await session.execute(statement)
        if dead:
            log.error(
                "outbox event %s (%s) is dead after %s attempts: %s",
                claimed.id,
                claimed.event_name,
                claimed.attempts,
                describe_error(error),
            )

    def kick(self) -> None:
        """Wake a running loop now; meant for `Database.after_commit`. Commits made by this
        dispatcher's own passes are ignored, or every pass would wake the loop again."""
        if _dispatching.get() is not self:
            self._wake.set()

    async def run(self, stop: asyncio.Event, poll_seconds: float = 1.0) -> None:
        """Dispatch until `stop` is set. After a pass that claimed anything the next pass
        starts at once (handlers may have recorded new events); after an empty pass the loop
        waits for `poll_seconds` or a `kick()`, whichever comes first."""
        while not stop.is_set():
            self._wake.clear()
            try:
                claimed = await self.dispatch_pending()
            except Exception:
                log.exception("outbox dispatch pass failed")
                claimed = 0
            if claimed == 0:
                await self._sleep(stop, poll_seconds)

    async def _sleep(self, stop: asyncio.Event, seconds: float) -> None:
        waiters = {asyncio.ensure_future(stop.wait()), asyncio.ensure_future(self._wake.wait())}
        try:
            await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waiters:
                waiter.cancel()
            await asyncio.gather(*waiters, return_exceptions=True)


def _claim_statement(dialect: str, now: datetime, until: datetime, limit: int) -> Update:
    due = (
        select(OutboxEvent.id)
        .where(
            OutboxEvent.dispatched_at.is_(None),
            OutboxEvent.available_at <= now,
            or_(OutboxEvent.claimed_until.is_(None), OutboxEvent.claimed_until < now),
        )
        .order_by(OutboxEvent.id)
        .limit(limit)
    )
    if dialect == "postgresql":
        locked = due.with_for_update(skip_locked=True).cte("claimed").prefix_with("MATERIALIZED")
        condition = OutboxEvent.id == locked.c.id
    else:
        condition = OutboxEvent.id.in_(due.scalar_subquery())
    return (
        update(OutboxEvent)
        .where(condition)
        .values(claimed_until=until, attempts=OutboxEvent.attempts + 1)
        .returning(
            OutboxEvent.id, OutboxEvent.event_name, OutboxEvent.payload, OutboxEvent.attempts
        )
        .execution_options(synchronize_session=False)
    )


def _delivery_statement(dialect: str) -> ReturningInsert[tuple[int]]:
    """INSERT ... ON CONFLICT DO NOTHING RETURNING: a row comes back only if it was new."""
    if dialect == "postgresql":
        return (
            postgresql.insert(OutboxDelivery)
            .on_conflict_do_nothing()
            .returning(OutboxDelivery.event_id)
        )
    return sqlite.insert(OutboxDelivery).on_conflict_do_nothing().returning(OutboxDelivery.event_id)
