"""The transactional outbox: events are written in the same transaction as the change that
caused them, and delivered after commit by the dispatcher (galerie.workers.outbox), at least
once; `outbox_deliveries` makes each handler apply an event at most once (ADR 0003)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, insert, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from galerie.db.base import Base, BigId, IdPK
from galerie.db.raw import RawSQL, values_sql
from galerie.kernel.events import DomainEvent


class OutboxEvent(Base):
    __tablename__ = "outbox_events"

    id: Mapped[IdPK]
    event_name: Mapped[str] = mapped_column(String(100))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    occurred_at: Mapped[datetime]
    available_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(default=0)
    claimed_until: Mapped[datetime | None]
    dispatched_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)

    # The claim reads undispatched events in id order: a partial index of just those keeps
    # it from walking every event ever dispatched (PostgreSQL chose the primary key's order
    # and filtered 200,000 dispatched rows per claim once the table was analysed).
    __table_args__ = (
        Index(
            "ix_outbox_events_undispatched",
            "id",
            sqlite_where=text("dispatched_at IS NULL"),
            postgresql_where=text("dispatched_at IS NULL"),
        ),
    )


class OutboxDelivery(Base):
    """One row per (event, handler) that has been applied: the idempotency record."""

    __tablename__ = "outbox_deliveries"

    event_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("outbox_events.id", ondelete="CASCADE"), primary_key=True
    )
    handler: Mapped[str] = mapped_column(String(120), primary_key=True)
    delivered_at: Mapped[datetime]


def record_event(session: AsyncSession, event: DomainEvent, *, now: datetime) -> OutboxEvent:
    """Add `event` to the outbox inside the caller's transaction (never commits)."""
    row = OutboxEvent(
        event_name=event.name,
        payload=event.payload(),
        occurred_at=now,
        available_at=now,
        attempts=0,
    )
    session.add(row)
    return row


async def record_events(
    session: AsyncSession, events: Sequence[DomainEvent], *, now: datetime
) -> None:
    """Add several events to the outbox in ONE statement (a multi-row INSERT), inside the
    caller's transaction (never commits); for hot paths that emit one event per row."""
    if not events:
        return
    rows = [
        {
            "event_name": event.name,
            "payload": event.payload(),
            "occurred_at": now,
            "available_at": now,
            "attempts": 0,
        }
        for event in events
    ]
    await session.execute(insert(OutboxEvent).values(rows))


OUTBOX_SQL = (
    "INSERT INTO outbox_events (event_name, payload, occurred_at, available_at, attempts) VALUES "
)


async def insert_events(raw: RawSQL, events: Sequence[DomainEvent], *, now: datetime) -> None:
    """`record_events` on the driver connection (hot paths speaking RawSQL): the events
    in ONE statement in the caller's transaction (`defer`red: nothing reads them back before
    COMMIT); nothing for no events."""
    if not events:
        return
    at = raw.at(now)
    args: list[Any] = []
    for event in events:
        args += (event.name, raw.json(event.payload()), at, at, 0)
    await raw.defer(OUTBOX_SQL + values_sql(len(events), 5), *args)
