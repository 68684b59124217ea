"""Units that leave without a parcel of ours (the seller ships them by other means): the
lines, the stock and the order's status move through orders' `ship_units`, and shipping
the last units starts the receipt timer, exactly as a parcel does."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from galerie.db import Database
from galerie.fulfilment.receipt import start_timer_when_shipped
from galerie.kernel import ValidationFailed
from galerie.orders import Actor, Moved, ship_units


async def record_shipment(
    db: Database,
    *,
    order_id: int,
    quantities: Mapping[int, int],
    actor: Actor,
    now: datetime,
) -> Moved | None:
    """Ship `quantities` (SKU id -> units) of a paid or partly shipped order. Returns the
    transition taken (to partly_shipped or shipped), or None when the order stays partly
    shipped; on shipped the automatic confirmation is due `now` plus the order's shipping
    method delay. Raises OrderNotFound (not the seller's shop), TransitionNotAllowed (not
    paid), Conflict `over_shipment`."""
    if not quantities:
        raise ValidationFailed("Ship at least one unit.", field="lines", code="empty_shipment")
    async with db.transaction() as session:
        moved = await ship_units(
            session, order_id=order_id, quantities=quantities, actor=actor, now=now
        )
        await start_timer_when_shipped(session, moved, now=now)
        return moved
