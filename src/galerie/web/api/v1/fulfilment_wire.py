"""Wire types of the fulfilment API: a parcel to ship, parcels with their tracking events,
and the receipt timer. Bodies forbid unknown fields (a body naming a status or a shop is
refused with 400, never applied)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from galerie.fulfilment import FulfilmentView, ParcelView, ShippedParcel, TimerView


class ParcelLineIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    order_line_id: int
    quantity: Annotated[int, msgspec.Meta(ge=0, le=100_000)]


class ShipBody(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """`lines` omitted: everything the order has left to ship. `tracking_number` omitted:
    issued by the carrier (only carriers Galerie talks to, e.g. galerie-post)."""

    carrier: Annotated[str, msgspec.Meta(max_length=30)]
    tracking_number: Annotated[str, msgspec.Meta(max_length=40)] | None = None
    warehouse_id: int | None = None
    lines: Annotated[list[ParcelLineIn], msgspec.Meta(max_length=200)] | None = None


class ShippedOut(msgspec.Struct, frozen=True):
    parcel_id: int
    order_id: int
    carrier: str
    tracking_number: str
    warehouse_id: int
    units: int
    order_status: str


class TrackingEventOut(msgspec.Struct, frozen=True):
    status: str
    at: datetime


class ParcelLineOut(msgspec.Struct, frozen=True):
    order_line_id: int
    quantity: int


class ParcelOut(msgspec.Struct, frozen=True):
    id: int
    carrier: str
    tracking_number: str
    warehouse_id: int
    status: str
    shipped_at: datetime
    delivered_at: datetime | None
    lines: list[ParcelLineOut]
    events: list[TrackingEventOut]


class ReceiptOut(msgspec.Struct, frozen=True):
    confirm_by: datetime
    extended_at: datetime | None
    confirmed_at: datetime | None


class ParcelsOut(msgspec.Struct, frozen=True):
    order_id: int
    order_status: str
    parcels: list[ParcelOut]
    receipt: ReceiptOut | None


def shipped_out(p: ShippedParcel) -> ShippedOut:
    return ShippedOut(
        p.id, p.order_id, p.carrier, p.tracking_number, p.warehouse_id, p.units, p.order_status
    )


def parcel_out(p: ParcelView) -> ParcelOut:
    return ParcelOut(
        p.id,
        p.carrier,
        p.tracking_number,
        p.warehouse_id,
        p.status,
        p.shipped_at,
        p.delivered_at,
        [ParcelLineOut(line_id, quantity) for line_id, quantity in p.lines.items()],
        [TrackingEventOut(e.status.value, e.at) for e in p.events],
    )


def receipt_out(t: TimerView | None) -> ReceiptOut | None:
    return None if t is None else ReceiptOut(t.confirm_by, t.extended_at, t.confirmed_at)


def parcels_out(view: FulfilmentView) -> ParcelsOut:
    return ParcelsOut(
        view.order.summary.id,
        view.order.summary.status,
        [parcel_out(p) for p in view.parcels],
        receipt_out(view.timer),
    )
