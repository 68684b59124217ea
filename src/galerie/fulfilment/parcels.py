"""Shipping a parcel: all or nothing in one transaction.

Units ship from the warehouse their order line reserved them in (that is where the
committed stock is): a parcel comes from one warehouse, and choosing a warehouse other than
the lines' is refused (`wrong_warehouse`) rather than moving stock between warehouses.
Quantities are checked against what each line has left to ship, then orders'
`ship_units` moves the lines, the stock (inventory's `ship_stock`) and the order's status
(paid -> partly_shipped -> shipped) with conditional updates; the parcel, its lines, the
receipt timer (when the order has shipped in full) and ParcelShipped are written in the
same transaction. Another shop's order is OrderNotFound, as if it did not exist."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.db import Database
from galerie.db.outbox import record_event
from galerie.fulfilment.errors import DuplicateTrackingNumber
from galerie.fulfilment.events import ParcelShipped
from galerie.fulfilment.models import Parcel, ParcelLine
from galerie.fulfilment.receipt import start_timer_when_shipped
from galerie.fulfilment.rules import carrier_of, parcel_quantities, tracking_number_of
from galerie.kernel import ValidationFailed
from galerie.orders import Actor, ActorKind, OrderNotFound, ship_units
from galerie.orders.models import Order, OrderLine
from galerie.shipping import Carrier, FakeCarrier

Carriers = Mapping[str, Carrier]
FAKE_CARRIER: Final = "galerie-post"
DEFAULT_CARRIERS: Final[Carriers] = {FAKE_CARRIER: FakeCarrier()}


@dataclass(frozen=True, slots=True)
class ShippedParcel:
    id: int
    order_id: int
    carrier: str
    tracking_number: str
    warehouse_id: int
    units: int
    order_status: str


@dataclass(frozen=True, slots=True)
class _Line:
    id: int
    sku_id: int
    warehouse_id: int
    left: int


async def _open_lines(session: AsyncSession, order_id: int, actor: Actor) -> list[_Line]:
    statement = select(
        OrderLine.id,
        OrderLine.sku_id,
        OrderLine.warehouse_id,
        OrderLine.quantity - OrderLine.shipped_quantity,
    ).where(OrderLine.order_id == order_id)
    if actor.kind == ActorKind.SELLER:
        statement = statement.where(OrderLine.shop_id == actor.shop_id)
    elif actor.kind == ActorKind.BUYER:
        raise OrderNotFound("No such order.")
    rows = (await session.execute(statement.order_by(OrderLine.id))).all()
    if not rows:
        raise OrderNotFound("No such order.")
    return [_Line(r[0], r[1], r[2], int(r[3])) for r in rows]


def _warehouse(lines: Sequence[_Line], chosen: Mapping[int, int], wanted: int | None) -> int:
    used = {line.warehouse_id for line in lines if line.id in chosen}
    if wanted is not None and used != {wanted}:
        raise ValidationFailed(
            "These units are held in another warehouse.", field="warehouse", code="wrong_warehouse"
        )
    if len(used) != 1:
        raise ValidationFailed(
            "A parcel ships from one warehouse; choose its lines.",
            field="warehouse",
            code="several_warehouses",
        )
    return used.pop()


def _whole(lines: Sequence[_Line], warehouse_id: int | None) -> list[tuple[int, int]]:
    return [
        (line.id, line.left)
        for line in lines
        if line.left > 0 and (warehouse_id is None or line.warehouse_id == warehouse_id)
    ]


async def _record(
    session: AsyncSession, parcel: Parcel, chosen: Mapping[int, int], order: Order, now: datetime
) -> None:
    session.add(parcel)
    try:
        await session.flush()
    except IntegrityError as exc:
        raise DuplicateTrackingNumber(
            "This carrier already has a parcel with this tracking number."
        ) from exc
    session.add_all(
        ParcelLine(parcel_id=parcel.id, order_line_id=line_id, quantity=quantity)
        for line_id, quantity in chosen.items()
    )
    event = ParcelShipped(
        parcel_id=parcel.id,
        order_id=order.id,
        shop_id=order.shop_id,
        buyer_id=order.buyer_id,
        carrier=parcel.carrier,
        tracking_number=parcel.tracking_number,
        units=sum(chosen.values()),
    )
    record_event(session, event, now=now)


def _reference(order_id: int, lines: Sequence[tuple[int, int]] | None) -> str:
    spec = "all" if lines is None else ",".join(f"{i}x{q}" for i, q in lines)
    return f"order-{order_id}:{spec}"[:200]


async def issue_tracking_number(
    carriers: Carriers, *, carrier: str, reference: str, now: datetime
) -> str:
    """A tracking number from the carrier port (the carrier must have one)."""
    port = carriers.get(carrier_of(carrier))
    if port is None:
        raise ValidationFailed(
            "Enter the tracking number this carrier gave you.",
            field="tracking_number",
            code="tracking_number_required",
        )
    return await port.create_shipment(reference=reference, shipped_at=now)


async def ship_parcel(
    db: Database,
    *,
    order_id: int,
    actor: Actor,
    carrier: str,
    tracking_number: str | None,
    now: datetime,
    lines: Sequence[tuple[int, int]] | None = None,
    warehouse_id: int | None = None,
    carriers: Carriers = DEFAULT_CARRIERS,
) -> ShippedParcel:
    """Ship `lines` ([(order line id, units)]; None: everything left, from `warehouse_id`
    when given). Raises OrderNotFound, TransitionNotAllowed (not paid / partly shipped),
    ValidationFailed, Conflict `over_shipment`, DuplicateTrackingNumber."""
    code = carrier_of(carrier)
    if tracking_number is None or not tracking_number.strip():
        async with db.reading() as session:  # no carrier call for someone else's order
            await _open_lines(session, order_id, actor)
        tracking_number = await issue_tracking_number(
            carriers, carrier=code, reference=_reference(order_id, lines), now=now
        )
    number = tracking_number_of(tracking_number)
    async with db.transaction() as session:
        open_lines = await _open_lines(session, order_id, actor)
        left = {line.id: line.left for line in open_lines}
        wanted = _whole(open_lines, warehouse_id) if lines is None else lines
        chosen = parcel_quantities(wanted, left)
        source = _warehouse(open_lines, chosen, warehouse_id)
        skus = {line.id: line.sku_id for line in open_lines}
        moved = await ship_units(
            session,
            order_id=order_id,
            quantities={skus[i]: q for i, q in chosen.items()},
            actor=actor,
            now=now,
        )
        order = await session.get_one(Order, order_id)
        parcel = Parcel(
            order_id=order_id,
            shop_id=order.shop_id,
            warehouse_id=source,
            carrier=code,
            tracking_number=number,
            status="shipped",
            shipped_at=now,
        )
        await _record(session, parcel, chosen, order, now)
        await start_timer_when_shipped(session, moved, now=now)
        status = moved.to_status.value if moved is not None else order.status
        return ShippedParcel(
            parcel.id, order_id, code, number, source, sum(chosen.values()), status
        )
