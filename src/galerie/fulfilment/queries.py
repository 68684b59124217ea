"""Reads: an order's parcels with their lines and tracking events, its receipt timer, and
the whole fulfilment view of one order for whoever may see it (orders' `order_detail`
decides that: the buyer, the shop's seller, operators). Parcels delivered per the carrier
are marked delivered (a conditional UPDATE, once)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.db import Database
from galerie.fulfilment.models import Parcel, ParcelLine
from galerie.fulfilment.parcels import DEFAULT_CARRIERS, Carriers
from galerie.fulfilment.receipt import TimerView, receipt_timer
from galerie.orders import Actor, OrderDetail, order_detail
from galerie.shipping import TrackingEvent, TrackingStatus, UnknownTrackingNumber


@dataclass(frozen=True, slots=True)
class ParcelView:
    id: int
    carrier: str
    tracking_number: str
    warehouse_id: int
    status: str
    shipped_at: datetime
    delivered_at: datetime | None
    lines: dict[int, int]  # order line id -> units
    events: list[TrackingEvent] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class FulfilmentView:
    order: OrderDetail
    parcels: list[ParcelView]
    timer: TimerView | None

    def may_extend(self, now: datetime) -> bool:
        return (
            self.order.summary.status == "shipped"
            and self.timer is not None
            and self.timer.may_extend(now)
        )


async def order_parcels(session: AsyncSession, *, order_id: int) -> list[ParcelView]:
    parcels = (
        await session.scalars(select(Parcel).where(Parcel.order_id == order_id).order_by(Parcel.id))
    ).all()
    lines = (
        await session.execute(
            select(ParcelLine.parcel_id, ParcelLine.order_line_id, ParcelLine.quantity)
            .join(Parcel, Parcel.id == ParcelLine.parcel_id)
            .where(Parcel.order_id == order_id)
        )
    ).all()
    by_parcel: dict[int, dict[int, int]] = {}
    for parcel_id, line_id, quantity in lines:
        by_parcel.setdefault(parcel_id, {})[line_id] = quantity
    return [
        ParcelView(
            p.id,
            p.carrier,
            p.tracking_number,
            p.warehouse_id,
            p.status,
            p.shipped_at,
            p.delivered_at,
            by_parcel.get(p.id, {}),
        )
        for p in parcels
    ]


async def _events(carriers: Carriers, parcel: ParcelView, now: datetime) -> list[TrackingEvent]:
    port = carriers.get(parcel.carrier)
    if port is None:
        return []
    try:
        return await port.tracking_events(parcel.tracking_number, now=now)
    except UnknownTrackingNumber:
        return []


async def mark_delivered(db: Database, *, parcel_id: int, delivered_at: datetime) -> bool:
    """The carrier says the parcel arrived: shipped -> delivered, once."""
    async with db.transaction() as session:
        result = await session.execute(
            update(Parcel)
            .where(Parcel.id == parcel_id, Parcel.status == "shipped")
            .values(status="delivered", delivered_at=delivered_at)
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(result, "rowcount", 0))


async def _tracked(
    db: Database, parcels: list[ParcelView], carriers: Carriers, now: datetime
) -> list[ParcelView]:
    tracked = []
    for parcel in parcels:
        events = await _events(carriers, parcel, now)
        delivered = [e for e in events if e.status == TrackingStatus.DELIVERED]
        status, delivered_at = parcel.status, parcel.delivered_at
        if delivered and parcel.status == "shipped":
            await mark_delivered(db, parcel_id=parcel.id, delivered_at=delivered[0].at)
            status, delivered_at = "delivered", delivered[0].at
        tracked.append(
            ParcelView(
                parcel.id,
                parcel.carrier,
                parcel.tracking_number,
                parcel.warehouse_id,
                status,
                parcel.shipped_at,
                delivered_at,
                parcel.lines,
                events,
            )
        )
    return tracked


async def order_fulfilment(
    db: Database,
    *,
    order_id: int,
    actor: Actor,
    now: datetime,
    carriers: Carriers | None = DEFAULT_CARRIERS,
) -> FulfilmentView:
    """The order with its parcels (and their tracking events when `carriers` is given) and
    its receipt timer. Raises OrderNotFound for anyone who may not see the order."""
    detail = await order_detail(db, order_id=order_id, actor=actor)
    async with db.reading() as session:
        parcels = await order_parcels(session, order_id=order_id)
        timer = await receipt_timer(session, order_id=order_id)
    if carriers is not None:
        parcels = await _tracked(db, parcels, carriers, now)
    return FulfilmentView(detail, parcels, timer)
