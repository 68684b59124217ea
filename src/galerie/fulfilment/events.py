"""Fulfilment events, written to the outbox in the transaction that caused them."""

from __future__ import annotations

from galerie.kernel import DomainEvent


class ParcelShipped(DomainEvent, frozen=True, kw_only=True):
    """A parcel of an order left a warehouse with a carrier."""

    parcel_id: int
    order_id: int
    shop_id: int
    buyer_id: int
    carrier: str
    tracking_number: str
    units: int


class ConfirmationExtended(DomainEvent, frozen=True, kw_only=True):
    """The buyer pushed back the automatic confirmation of a shipped order (once)."""

    order_id: int
    shop_id: int
    buyer_id: int
    confirm_by: str
