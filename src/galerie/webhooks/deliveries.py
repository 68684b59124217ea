"""Queueing webhook deliveries inside the caller's transaction (never commits).

`enqueue_webhook` writes one pending delivery per active endpoint of the organisation that
subscribes to the event type; the organisation is given, or found from a shop in the same
read as its endpoints. (endpoint_id, event_id) is unique and the insert does nothing
on a conflict, so enqueuing the same event twice (an outbox handler run again) is a no-op."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import column, select, table
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


_SHOPS = table("shops", column("id"), column("organisation_id"))  # the sellers' table


async def enqueue_webhook(
    session: AsyncSession,
    *,
    event_type: str,
    event_id: str,
    payload: dict[str, Any],
    now: datetime,
    organisation_id: int | None = None,
    shop_id: int | None = None,
) -> int:
    """Queue `event_type` for every subscribed active endpoint of the organisation (or of
    the shop's organisation: one read finds both); returns how many deliveries were new."""
    check_event_type(event_type)
    event_id = clean_event_id(event_id)
    if (organisation_id is None) == (shop_id is None):
        raise ValueError("give the organisation or the shop: exactly one of them")
    owner: Any = organisation_id
    if shop_id is not None:
        owner = select(_SHOPS.c.organisation_id).where(_SHOPS.c.id == shop_id).scalar_subquery()
    rows = await session.execute(
        select(WebhookEndpoint.organisation_id, WebhookEndpoint.id, WebhookEndpoint.event_types)
        .where(WebhookEndpoint.organisation_id == owner, WebhookEndpoint.is_active.is_(True))
        .order_by(WebhookEndpoint.id)
    )
    found = [(int(org), int(endpoint)) for org, endpoint, types in rows
             if event_type in (types or ())]  # fmt: skip
    if not found:
        return 0
    organisation_id, targets = found[0][0], [endpoint for _, endpoint in found]
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
