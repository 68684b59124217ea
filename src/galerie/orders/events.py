"""Orders events, written to the outbox in the transaction that caused them."""

from __future__ import annotations

from galerie.kernel import DomainEvent


class OrderPlaced(DomainEvent, frozen=True, kw_only=True):
    """A shop order was placed (awaiting payment); one per shop of a checkout."""

    order_id: int
    number: str
    payment_group_id: int
    shop_id: int
    buyer_id: int
    currency: str
    total_minor: int


class OrderStatusChanged(DomainEvent, frozen=True, kw_only=True):
    """An order moved along its state machine (paid, shipped, closed, cancelled...)."""

    order_id: int
    shop_id: int
    buyer_id: int
    from_status: str
    to_status: str
    reason: str | None
    actor_kind: str
    actor_user_id: int | None
