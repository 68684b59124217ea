"""Fulfilment: parcels, tracking, receipt confirmation and the automatic confirmation timer.
Public surface.

Shipping (each in its own transaction, all or nothing):
    ship_parcel(db, *, order_id, actor, carrier, tracking_number (None: issued by the
    carrier port), now, lines=[(order_line_id, units)] | None (everything left),
    warehouse_id=None, carriers) -> ShippedParcel
        From the warehouse the lines reserved their units in (a different one is refused,
        `wrong_warehouse`); quantities checked against what is left per line
        (`over_shipment`); stock and order status move through orders' `ship_units`;
        ParcelShipped through the outbox. Another shop's order: OrderNotFound.
    bulk_ship(db, *, actor, content (CSV bytes), now, carriers) -> BulkReport
        One parcel per row, each row atomic, row-numbered report, re-uploads ship nothing
        twice.
    record_shipment(db, *, order_id, quantities={sku_id: units}, actor, now) -> Moved | None
        Units that leave without a parcel; like a parcel, shipping the last units starts
        the receipt timer (start_timer_when_shipped, inside a caller's transaction).

Receipt:
    confirm_receipt(db, *, order_id, actor (the buyer), now)   shipped -> completed.
    extend_confirmation(db, *, order_id, actor, now)   the deadline + EXTENSION, once.
    confirm_overdue_orders(db, *, now) -> int   the timer; idempotent, race-safe.

Reads: order_fulfilment (the order with parcels, tracking events and receipt timer),
order_parcels, receipt_timer, search_orders (support staff); mark_delivered (a parcel the carrier says arrived)."""

from galerie.fulfilment.bulk import BulkReport, Outcome, RowResult, bulk_ship, read_rows
from galerie.fulfilment.errors import DuplicateTrackingNumber, ExtensionRefused, ParcelNotFound
from galerie.fulfilment.events import ConfirmationExtended, ParcelShipped
from galerie.fulfilment.parcels import (
    DEFAULT_CARRIERS,
    FAKE_CARRIER,
    Carriers,
    ShippedParcel,
    issue_tracking_number,
    ship_parcel,
)
from galerie.fulfilment.queries import (
    FulfilmentView,
    ParcelView,
    mark_delivered,
    order_fulfilment,
    order_parcels,
)
from galerie.fulfilment.receipt import (
    TimerView,
    confirm_overdue_orders,
    confirm_receipt,
    extend_confirmation,
    receipt_timer,
    start_timer_when_shipped,
)
from galerie.fulfilment.rules import EXTENSION
from galerie.fulfilment.shipments import record_shipment
from galerie.fulfilment.support import SupportQuery, SupportRow, search_orders

__all__ = [
    "DEFAULT_CARRIERS",
    "EXTENSION",
    "FAKE_CARRIER",
    "BulkReport",
    "Carriers",
    "ConfirmationExtended",
    "DuplicateTrackingNumber",
    "ExtensionRefused",
    "FulfilmentView",
    "Outcome",
    "ParcelNotFound",
    "ParcelShipped",
    "ParcelView",
    "RowResult",
    "ShippedParcel",
    "SupportQuery",
    "SupportRow",
    "TimerView",
    "bulk_ship",
    "confirm_overdue_orders",
    "confirm_receipt",
    "extend_confirmation",
    "issue_tracking_number",
    "mark_delivered",
    "order_fulfilment",
    "order_parcels",
    "read_rows",
    "receipt_timer",
    "record_shipment",
    "search_orders",
    "ship_parcel",
    "start_timer_when_shipped",
]
