"""Queueing the sandbox's webhooks inside the caller's transaction (never commits), and the
two SQL helpers its writes share."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Executable
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.db import Base
from galerie.payments.port import ProviderEventType
from galerie.payments.sandbox.models import SandboxWebhookEvent
from galerie.payments.sandbox.rules import event_body, new_id


async def changed_rows(session: AsyncSession, statement: Executable) -> int:
    result = cast("CursorResult[Any]", await session.execute(statement))
    return result.rowcount


async def insert_once(
    session: AsyncSession, model: type[Base], values: dict[str, Any], unique: str
) -> bool:
    """INSERT ... ON CONFLICT (`unique`) DO NOTHING: True when the row is new. On
    PostgreSQL a concurrent insert of the same key waits for the other transaction."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(model).values(values).on_conflict_do_nothing(index_elements=[unique])
    return await changed_rows(session, statement) == 1


async def queue_event(
    session: AsyncSession,
    *,
    event_type: ProviderEventType,
    data: dict[str, Any],
    url: str,
    now: datetime,
) -> str:
    """Queue one webhook for delivery to `url`; returns its event id."""
    event_id = new_id("evt")
    session.add(
        SandboxWebhookEvent(
            event_id=event_id, event_type=event_type.value,
            payload=event_body(event_id=event_id, event_type=event_type, now=now, data=data),
            url=url, status="pending", attempts=0, held=False, duplicated=False,
            next_attempt_at=now, created_at=now,
        )
    )  # fmt: skip
    await session.flush()
    return event_id
