"""Sending queued webhook deliveries, at least once.

A pass claims a batch of due deliveries with one conditional UPDATE (`FOR UPDATE SKIP
LOCKED` in a MATERIALIZED CTE on PostgreSQL, as the outbox dispatcher and the import runner
do; SQLite serialises writers): it takes a lease (`claimed_until`) and counts the attempt,
so two senders never hold the same delivery. Each claimed delivery is POSTed with a fresh
signature; a 2xx answer marks it delivered, anything else (another status, a timeout, a
network error) schedules the next attempt (rules.RETRY_SCHEDULE) or, after the last one,
marks it failed. Outcomes are fenced by the attempt count, so a sender whose lease ran out
cannot overwrite a newer claim's outcome. A crash between the POST and the record sends the
delivery again once the lease expires: receivers dedupe on Galerie-Event-Id."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Update, and_, exists, or_, select, update

from galerie.db import Database
from galerie.kernel import Clock
from galerie.webhooks.models import WebhookDelivery, WebhookEndpoint
from galerie.webhooks.rules import MAX_ATTEMPTS, retry_delay
from galerie.webhooks.signing import delivery_headers
from galerie.webhooks.transport import WebhookTransport

log = logging.getLogger("galerie.webhooks.sender")
MAX_ERROR = 300


@dataclass(frozen=True, slots=True)
class ClaimedDelivery:
    id: int
    event_id: str
    event_type: str
    payload: str
    attempts: int  # including this claim: the fencing token of its outcome
    url: str
    secret: str


def _due(now: datetime) -> list[object]:
    active = exists().where(
        WebhookEndpoint.id == WebhookDelivery.endpoint_id, WebhookEndpoint.is_active.is_(True)
    )
    return [
        WebhookDelivery.status == "pending",
        WebhookDelivery.next_attempt_at <= now,
        or_(WebhookDelivery.claimed_until.is_(None), WebhookDelivery.claimed_until < now),
        active,
    ]


def claim_statement(dialect: str, now: datetime, until: datetime, limit: int) -> Update:
    due = (
        select(WebhookDelivery.id)
        .where(and_(*_due(now)))  # type: ignore[arg-type]
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
        .limit(limit)
    )
    if dialect == "postgresql":
        locked = (
            due.with_for_update(skip_locked=True, of=WebhookDelivery)
            .cte("claimed")
            .prefix_with("MATERIALIZED")
        )
        condition = WebhookDelivery.id == locked.c.id
    else:
        condition = WebhookDelivery.id.in_(due.scalar_subquery())
    return (
        update(WebhookDelivery)
        .where(condition)
        .values(claimed_until=until, attempts=WebhookDelivery.attempts + 1, last_attempt_at=now)
        .returning(WebhookDelivery.id)
        .execution_options(synchronize_session=False)
    )


def describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:MAX_ERROR]


class WebhookSender:
    def __init__(
        self,
        db: Database,
        transport: WebhookTransport,
        clock: Clock,
        *,
        batch_size: int = 20,
        lease_seconds: int = 120,
        timeout_seconds: float = 10.0,
        max_attempts: int = MAX_ATTEMPTS,
    ) -> None:
        if batch_size < 1 or max_attempts < 1 or lease_seconds <= timeout_seconds:
            raise ValueError("batch_size >= 1, max_attempts >= 1, lease longer than timeout")
        self._db, self._transport, self._clock = db, transport, clock
        self.batch_size, self.max_attempts, self.timeout = batch_size, max_attempts, timeout_seconds
        self.lease = timedelta(seconds=lease_seconds)
        self._wake = asyncio.Event()

    async def has_due(self) -> bool:
        """A cheap read, so an idle sender takes no write lock."""
        now = self._clock.now()
        async with self._db.reading() as session:
            found = await session.scalar(
                select(WebhookDelivery.id).where(and_(*_due(now))).limit(1)  # type: ignore[arg-type]
            )
        return found is not None

    async def claim(self) -> list[ClaimedDelivery]:
        now = self._clock.now()
        statement = claim_statement(self._db.dialect, now, now + self.lease, self.batch_size)
        async with self._db.transaction() as session:
            ids = [row[0] for row in (await session.execute(statement)).all()]
            if not ids:
                return []
            rows = await session.execute(
                select(
                    WebhookDelivery.id, WebhookDelivery.event_id, WebhookDelivery.event_type,
                    WebhookDelivery.payload, WebhookDelivery.attempts, WebhookEndpoint.url,
                    WebhookEndpoint.secret,
                )
                .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
                .where(WebhookDelivery.id.in_(ids))
                .order_by(WebhookDelivery.id)
            )  # fmt: skip
            return [ClaimedDelivery(*row) for row in rows]

    async def send_pending(self) -> int:
        """One pass: claim a batch and send it (concurrently). Returns how many were claimed."""
        if not await self.has_due():
            return 0
        claimed = await self.claim()
        await asyncio.gather(*(self.deliver(delivery) for delivery in claimed))
        return len(claimed)

    async def deliver(self, claimed: ClaimedDelivery) -> None:
        body = claimed.payload.encode("utf-8")
        headers = delivery_headers(
            secret=claimed.secret, body=body, event_id=claimed.event_id,
            event_type=claimed.event_type, timestamp=int(self._clock.now().timestamp()),
        )  # fmt: skip
        status: int | None = None
        error: str | None = None
        try:
            status = await self._transport.post(claimed.url, headers, body, self.timeout)
        except Exception as exc:  # a network error, a timeout: try again later
            error = describe(exc)
        await self._record(claimed, status, error)

    async def _record(
        self, claimed: ClaimedDelivery, status: int | None, error: str | None
    ) -> None:
        now = self._clock.now()
        values: dict[str, object] = {"last_status_code": status, "claimed_until": None}
        if status is not None and 200 <= status < 300:
            values.update(status="delivered", delivered_at=now, last_error=None)
        else:
            delay = retry_delay(claimed.attempts)
            values["last_error"] = error or f"HTTP {status}"
            if delay is None or claimed.attempts >= self.max_attempts:
                values["status"] = "failed"
            else:
                values["next_attempt_at"] = now + delay
        statement = (
            update(WebhookDelivery)
            .where(
                WebhookDelivery.id == claimed.id,
                WebhookDelivery.attempts == claimed.attempts,
                WebhookDelivery.status == "pending",
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        async with self._db.transaction() as session:
            await session.execute(statement)
        if values.get("status") == "failed":
            log.warning("webhook delivery %s failed for good: %s", claimed.id, values["last_error"])

    def kick(self) -> None:
        self._wake.set()

    async def aclose(self) -> None:
        """Close the transport (its connection pool), if it has anything to close."""
        close = getattr(self._transport, "aclose", None)
        if close is not None:
            await close()

    async def run(self, stop: asyncio.Event, poll_seconds: float = 2.0) -> None:
        """Send until `stop` is set; after an empty pass wait `poll_seconds` or a kick()."""
        while not stop.is_set():
            self._wake.clear()
            try:
                claimed = await self.send_pending()
            except Exception:
                log.exception("webhook sender pass failed")
                claimed = 0
            if claimed:
                continue
            waiters = {asyncio.ensure_future(stop.wait()), asyncio.ensure_future(self._wake.wait())}
            try:
                await asyncio.wait(
                    waiters, timeout=poll_seconds, return_when=asyncio.FIRST_COMPLETED
                )
            finally:
                for waiter in waiters:
                    waiter.cancel()
                await asyncio.gather(*waiters, return_exceptions=True)
