"""Delivering the sandbox's webhooks, at least once, with optional chaos.

A pass claims a batch of due events with one conditional UPDATE (`FOR UPDATE SKIP LOCKED`
in a MATERIALIZED CTE on PostgreSQL, as the seller webhook sender does; SQLite serialises
writers): it takes a lease and counts the attempt, so two senders never hold the same
event. Each event is POSTed with a fresh `Sandbox-Signature`; a 2xx marks it delivered,
anything else schedules the next attempt (rules.RETRY_SCHEDULE) or, after the last, marks
it failed. Outcomes are fenced by the attempt count.

Chaos (rules.ChaosSettings, seeded): a claimed event may be held back once, up to
`max_delay_seconds`, so later events overtake it (and a batch is sent in shuffled order);
a delivered event may be delivered once more later. Receivers must dedupe on the event id
and accept any order, as with a real provider."""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Update, and_, or_, select, update

from galerie.db import Database
from galerie.kernel import Clock
from galerie.payments.sandbox.models import SandboxWebhookEvent
from galerie.payments.sandbox.rules import MAX_ATTEMPTS, ChaosSettings, retry_delay
from galerie.payments.sandbox.signing import delivery_headers
from galerie.webhooks import WebhookTransport

log = logging.getLogger("galerie.payments.sandbox")
MAX_ERROR = 300
Event = SandboxWebhookEvent


@dataclass(frozen=True, slots=True)
class ClaimedEvent:
    id: int
    event_id: str
    payload: str
    url: str
    attempts: int  # including this claim: the fencing token of its outcome
    held: bool
    duplicated: bool


def _due(now: datetime) -> list[object]:
    return [
        Event.status == "pending",
        Event.next_attempt_at <= now,
        or_(Event.claimed_until.is_(None), Event.claimed_until < now),
    ]


def claim_statement(dialect: str, now: datetime, until: datetime, limit: int) -> Update:
    due = select(Event.id).where(and_(*_due(now))).order_by(Event.next_attempt_at, Event.id)  # type: ignore[arg-type]
    due = due.limit(limit)
    if dialect == "postgresql":
        locked = due.with_for_update(skip_locked=True).cte("claimed").prefix_with("MATERIALIZED")
        condition = Event.id == locked.c.id
    else:
        condition = Event.id.in_(due.scalar_subquery())
    return (
        update(Event)
        .where(condition)
        .values(claimed_until=until, attempts=Event.attempts + 1)
        .returning(Event.id)
        .execution_options(synchronize_session=False)
    )


class SandboxWebhookSender:
    def __init__(
        self,
        db: Database,
        transport: WebhookTransport,
        clock: Clock,
        *,
        secret: str,
        chaos: ChaosSettings | None = None,
        batch_size: int = 20,
        lease_seconds: int = 60,
        timeout_seconds: float = 10.0,
    ) -> None:
        if batch_size < 1 or lease_seconds <= timeout_seconds:
            raise ValueError("batch_size >= 1 and a lease longer than the timeout")
        self._db, self._transport, self._clock, self._secret = db, transport, clock, secret
        self.chaos = chaos
        self._random = random.Random(chaos.seed if chaos is not None else None)  # noqa: S311
        self.batch_size, self.timeout = batch_size, timeout_seconds
        self.lease = timedelta(seconds=lease_seconds)

    def _chance(self, probability: float) -> bool:
        return probability > 0 and self._random.random() < probability

    def _delay(self) -> timedelta:
        limit = self.chaos.max_delay_seconds if self.chaos is not None else 0
        return timedelta(seconds=self._random.randint(1, max(limit, 1)))

    async def claim(self) -> list[ClaimedEvent]:
        now = self._clock.now()
        statement = claim_statement(self._db.dialect, now, now + self.lease, self.batch_size)
        async with self._db.transaction() as session:
            ids = [row[0] for row in (await session.execute(statement)).all()]
            if not ids:
                return []
            rows = await session.execute(
                select(Event.id, Event.event_id, Event.payload, Event.url, Event.attempts,
                       Event.held, Event.duplicated)
                .where(Event.id.in_(ids))
                .order_by(Event.next_attempt_at, Event.id)
            )  # fmt: skip
            return [ClaimedEvent(*row) for row in rows]

    async def has_due(self) -> bool:
        """A cheap read, so an idle sender takes no write lock."""
        now = self._clock.now()
        async with self._db.reading() as session:
            found = await session.scalar(select(Event.id).where(and_(*_due(now))).limit(1))  # type: ignore[arg-type]
        return found is not None

    async def send_due(self) -> int:
        """One pass: claim a batch and send it, one event after the other. Returns how
        many events were claimed."""
        if not await self.has_due():
            return 0
        claimed = await self.claim()
        if self.chaos is not None and self.chaos.reorder > 0:
            self._random.shuffle(claimed)
        for event in claimed:
            await self.deliver(event)
        return len(claimed)

    async def deliver(self, event: ClaimedEvent) -> None:
        if self.chaos is not None and not event.held and self._chance(self.chaos.reorder):
            await self._record(event, {"held": True, "attempts": event.attempts - 1,
                                       "next_attempt_at": self._clock.now() + self._delay()})  # fmt: skip
            return
        body = event.payload.encode("utf-8")
        now = self._clock.now()
        headers = delivery_headers(
            secret=self._secret, body=body, event_id=event.event_id, timestamp=int(now.timestamp())
        )
        status: int | None = None
        error: str | None = None
        try:
            status = await self._transport.post(event.url, headers, body, self.timeout)
        except Exception as exc:  # a network error, a timeout: try again later
            error = f"{type(exc).__name__}: {exc}"[:MAX_ERROR]
        await self._record(event, self._outcome(event, status, error))

    def _outcome(
        self, event: ClaimedEvent, status: int | None, error: str | None
    ) -> dict[str, object]:
        now = self._clock.now()
        values: dict[str, object] = {"last_status_code": status}
        if status is not None and 200 <= status < 300:
            values["last_error"] = None
            if (
                self.chaos is not None
                and not event.duplicated
                and self._chance(self.chaos.duplicate)
            ):
                values.update(duplicated=True, next_attempt_at=now + self._delay())
            else:
                values.update(status="delivered", delivered_at=now)
            return values
        values["last_error"] = error or f"HTTP {status}"
        delay = retry_delay(event.attempts)
        if delay is None or event.attempts >= MAX_ATTEMPTS:
            values["status"] = "failed"
            log.warning(
                "sandbox webhook %s failed for good: %s", event.event_id, values["last_error"]
            )
        else:
            values["next_attempt_at"] = now + delay
        return values

    async def _record(self, event: ClaimedEvent, values: dict[str, object]) -> None:
        statement = (
            update(Event)
            .where(
                Event.id == event.id, Event.attempts == event.attempts, Event.status == "pending"
            )
            .values(claimed_until=None, **values)
            .execution_options(synchronize_session=False)
        )
        async with self._db.transaction() as session:
            await session.execute(statement)

    async def aclose(self) -> None:
        close = getattr(self._transport, "aclose", None)
        if close is not None:
            await close()
