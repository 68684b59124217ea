"""Queueing webhook deliveries inside the caller's transaction (never commits).

`enqueue_webhook` writes one pending delivery per active endpoint of the organisation that
subscribes to the event type. (endpoint_id, event_id) is unique and the insert does nothing
on a conflict, so enqueuing the same event twice (an outbox handler run again) is a no-op."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.webhooks.models import WebhookDelivery, WebhookEndpoint
from galerie.webhooks.rules import check_event_type, clean_event_id
from galerie.webhooks.signing import encode_payload


def envelope(
    *, event_id: str, event_type: str, organisation_id: int, payload: dict[str, Any], now: datetime
) -> str:
    """The JSON body every endpoint receives for this event."""
    return encode_payload(
        {
            "id": event_id,
            "type": event_type,
            "created_at": now.isoformat().replace("+00:00", "Z"),
            "organisation_id": organisation_id,
            "data": payload,
        }
    )


async def enqueue_webhook(
    session: AsyncSession,
    *,
    organisation_id: int,
    event_type: str,
    event_id: str,
    payload: dict[str, Any],
    now: datetime,
) -> int:
    """Queue `event_type` for every subscribed active endpoint of the organisation; returns
    how many deliveries were new."""
    check_event_type(event_type)
    event_id = clean_event_id(event_id)
    rows = await session.execute(
        select(WebhookEndpoint.id, WebhookEndpoint.event_types).where(
            WebhookEndpoint.organisation_id == organisation_id,
            WebhookEndpoint.is_active.is_(True),
        )
    )
    targets = [endpoint_id for endpoint_id, types in rows if event_type in (types or ())]
    if not targets:
        return 0
    body = envelope(
        event_id=event_id, event_type=event_type, organisation_id=organisation_id,
        payload=payload, now=now,
    )  # fmt: skip
    return await insert_deliveries(
        session, organisation_id=organisation_id, endpoint_ids=targets, event_id=event_id,
        event_type=event_type, body=body, now=now,
    )  # fmt: skip


async def insert_deliveries(
    session: AsyncSession,
    *,
    organisation_id: int,
    endpoint_ids: Sequence[int],
    event_id: str,
    event_type: str,
    body: str,
    now: datetime,
) -> int:
    """INSERT ... ON CONFLICT (endpoint_id, event_id) DO NOTHING; how many rows were new."""
    values = [
        {
            "endpoint_id": endpoint_id, "organisation_id": organisation_id,
            "event_id": event_id, "event_type": event_type, "payload": body,
            "status": "pending", "attempts": 0, "next_attempt_at": now, "created_at": now,
        }
        for endpoint_id in endpoint_ids
    ]  # fmt: skip
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(WebhookDelivery)
        .values(values)
        .on_conflict_do_nothing(index_elements=["endpoint_id", "event_id"])
        .returning(WebhookDelivery.id)
    )
    return len((await session.execute(statement)).all())
