"""Relaying domain events to webhooks, by event NAME (the orders domain is not imported).

`ORDER_WEBHOOK_EVENTS` maps outbox event names to webhook event types. `relay_handler`
makes an outbox handler that enqueues the event for the organisation's endpoints: it reads
`organisation_id` from the event, else finds it from the event's `shop_id`. The webhook
event id is derived from the event's name and content, so the outbox running the handler
again enqueues nothing new. The composition root (galerie.workers) registers the handlers
once the events exist; until then `relay_handlers` returns those whose event is known."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Final

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.kernel import Clock, DomainEvent, event_types
from galerie.webhooks.deliveries import enqueue_webhook

RelayFunc = Callable[[DomainEvent, AsyncSession], Awaitable[None]]

# Outbox event name -> webhook event type (names the orders domain is expected to use).
ORDER_WEBHOOK_EVENTS: Final[Mapping[str, str]] = {
    "OrderPlaced": "order.placed",
    "OrderPaid": "order.paid",
    "OrderShipped": "order.shipped",
    "OrderCompleted": "order.completed",
    "OrderClosed": "order.closed",
    "OrderCancelled": "order.cancelled",
}


def webhook_event_id(event_name: str, payload: Mapping[str, Any]) -> str:
    """A stable id for one domain event: the same event always gets the same id."""
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    digest = hashlib.sha256(f"{event_name}\n{canonical}".encode()).hexdigest()
    return "evt_" + digest[:40]


async def _organisation_of(session: AsyncSession, data: Mapping[str, Any]) -> int | None:
    organisation_id = data.get("organisation_id")
    if isinstance(organisation_id, int):
        return organisation_id
    shop_id = data.get("shop_id")
    if not isinstance(shop_id, int):
        return None
    found = await session.scalar(
        text("SELECT organisation_id FROM shops WHERE id = :id"), {"id": shop_id}
    )
    return int(found) if found is not None else None


def relay_handler(webhook_type: str, clock: Clock) -> RelayFunc:
    """An outbox handler that enqueues `webhook_type` with the event's fields as `data`."""

    async def relay(event: DomainEvent, session: AsyncSession) -> None:
        data = event.payload()
        organisation_id = await _organisation_of(session, data)
        if organisation_id is None:
            return
        await enqueue_webhook(
            session, organisation_id=organisation_id, event_type=webhook_type,
            event_id=webhook_event_id(event.name, data), payload=data, now=clock.now(),
        )  # fmt: skip

    return relay


def relay_handlers(
    clock: Clock, mapping: Mapping[str, str] = ORDER_WEBHOOK_EVENTS
) -> dict[str, tuple[str, RelayFunc]]:
    """event name -> (stable handler name, handler), for the events that exist today."""
    known = event_types()
    return {
        name: (f"webhooks.relay.{name}", relay_handler(webhook_type, clock))
        for name, webhook_type in mapping.items()
        if name in known
    }
