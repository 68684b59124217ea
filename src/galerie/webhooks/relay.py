"""Relaying domain events to webhooks, by event NAME (the orders domain is not imported).

`ORDER_WEBHOOK_EVENTS` maps outbox event names to what sellers are sent: OrderPlaced is
order.placed; OrderStatusChanged is order.paid, .shipped (also a partial shipment),
.completed, .closed or .cancelled by the new status. `relay_handler`
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

from sqlalchemy.ext.asyncio import AsyncSession

from galerie.kernel import Clock, DomainEvent, event_types
from galerie.webhooks.deliveries import enqueue_webhook

RelayFunc = Callable[[DomainEvent, AsyncSession], Awaitable[None]]
RelayAccepts = Callable[[DomainEvent], bool]
# What a seller is sent for one event: (webhook type, data), or None to send nothing.
Translate = Callable[[Mapping[str, Any]], tuple[str, dict[str, Any]] | None]

PLACED_FIELDS: Final = ("order_id", "number", "payment_group_id", "shop_id", "currency",
                        "total_minor")  # fmt: skip
# An order's new status -> the webhook type (a partial shipment is a shipment too).
STATUS_TYPES: Final[Mapping[str, str]] = {
    "paid": "order.paid",
    "partly_shipped": "order.shipped",
    "shipped": "order.shipped",
    "completed": "order.completed",
    "closed": "order.closed",
    "cancelled": "order.cancelled",
}


def fixed(webhook_type: str) -> Translate:
    """Every event of the name becomes `webhook_type`, its fields as they are."""
    return lambda data: (webhook_type, dict(data))


def order_placed(data: Mapping[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """The order, its number, shop and total; nothing about the buyer (the seller reads
    the delivery address through the orders API, under its own permissions)."""
    return "order.placed", {field: data.get(field) for field in PLACED_FIELDS}


def order_status_changed(data: Mapping[str, Any]) -> tuple[str, dict[str, Any]] | None:
    webhook_type = STATUS_TYPES.get(str(data.get("to_status")))
    if webhook_type is None:
        return None
    return webhook_type, {
        "order_id": data.get("order_id"),
        "shop_id": data.get("shop_id"),
        "status": data.get("to_status"),
        "previous_status": data.get("from_status"),
        "reason": data.get("reason"),
    }


# Outbox event name (galerie.orders.events) -> what sellers get.
ORDER_WEBHOOK_EVENTS: Final[Mapping[str, Translate]] = {
    "OrderPlaced": order_placed,
    "OrderStatusChanged": order_status_changed,
}


def webhook_event_id(event_name: str, payload: Mapping[str, Any]) -> str:
    """A stable id for one domain event: the same event always gets the same id."""
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    digest = hashlib.sha256(f"{event_name}\n{canonical}".encode()).hexdigest()
    return "evt_" + digest[:40]


def _owner(data: Mapping[str, Any]) -> dict[str, int] | None:
    """Whom to send to: the event's organisation, else its shop's (found by enqueue_webhook
    in the read of the endpoints); None when the event names neither."""
    organisation_id, shop_id = data.get("organisation_id"), data.get("shop_id")
    if isinstance(organisation_id, int):
        return {"organisation_id": organisation_id}
    return {"shop_id": shop_id} if isinstance(shop_id, int) else None


def _translator(translate: str | Translate) -> Translate:
    return fixed(translate) if isinstance(translate, str) else translate


def relay_handler(translate: str | Translate, clock: Clock) -> RelayFunc:
    """An outbox handler that enqueues what `translate` makes of the event (a plain type:
    that type with the event's fields as `data`) for the shop's organisation."""
    as_webhook = _translator(translate)

    async def relay(event: DomainEvent, session: AsyncSession) -> None:
        data = event.payload()
        sent = as_webhook(data)
        owner = _owner(data)
        if sent is None or owner is None:
            return
        webhook_type, payload = sent
        await enqueue_webhook(
            session, event_type=webhook_type, event_id=webhook_event_id(event.name, data),
            payload=payload, now=clock.now(), **owner,
        )  # fmt: skip

    return relay


def relays(translate: str | Translate) -> RelayAccepts:
    """Whether the relay of `translate` sends anything for an event (an order's move to a
    status sellers are not told about is not relayed): the handler's `accepts`."""
    as_webhook = _translator(translate)
    return lambda event: as_webhook(event.payload()) is not None


def relay_handlers(
    clock: Clock, mapping: Mapping[str, str | Translate] = ORDER_WEBHOOK_EVENTS
) -> dict[str, tuple[str, RelayFunc, RelayAccepts]]:
    """event name -> (stable handler name, handler, which events it relays), for the events
    that exist today."""
    known = event_types()
    return {
        name: (f"webhooks.relay.{name}", relay_handler(translate, clock), relays(translate))
        for name, translate in mapping.items()
        if name in known
    }
