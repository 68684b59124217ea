"""The order state machine, as data (ARCHITECTURE habit 5). Pure: no I/O.

    awaiting_payment -> paid -> partly_shipped -> shipped -> completed
    awaiting_payment -> closed      (unpaid when the pay-by deadline passed; stock released)
    awaiting_payment | paid -> cancelled   (before any shipment; stock released)

Each step names who may take it and whether a reason is required, and which timestamp
column it stamps. `galerie.orders.machine.transition` is the only code that changes an
order's status."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class OrderStatus(StrEnum):
    AWAITING_PAYMENT = "awaiting_payment"
    PAID = "paid"
    PARTLY_SHIPPED = "partly_shipped"
    SHIPPED = "shipped"
    COMPLETED = "completed"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class GroupStatus(StrEnum):
    AWAITING_PAYMENT = "awaiting_payment"
    PAID = "paid"
    CLOSED = "closed"
    CANCELLED = "cancelled"  # every order of the group was cancelled before payment


class ActorKind(StrEnum):
    BUYER = "buyer"
    SELLER = "seller"
    OPERATOR = "operator"
    SYSTEM = "system"


# Orders that no longer hold stock nor count towards a per-buyer limit.
ENDED = frozenset({OrderStatus.CLOSED, OrderStatus.CANCELLED})
# Statuses whose units are still reserved (unpaid) or committed (paid, not all shipped).
HOLDS_RESERVED = frozenset({OrderStatus.AWAITING_PAYMENT})
HOLDS_COMMITTED = frozenset({OrderStatus.PAID, OrderStatus.PARTLY_SHIPPED})


@dataclass(frozen=True, slots=True)
class Actor:
    """Who takes a step: a buyer (their user id), a seller acting for a shop (user id and
    shop id, established by the caller's access check), an operator, or the system."""

    kind: ActorKind
    user_id: int | None = None
    shop_id: int | None = None

    @classmethod
    def system(cls) -> Actor:
        return cls(ActorKind.SYSTEM)

    @classmethod
    def buyer(cls, user_id: int) -> Actor:
        return cls(ActorKind.BUYER, user_id)

    @classmethod
    def seller(cls, user_id: int, shop_id: int) -> Actor:
        return cls(ActorKind.SELLER, user_id, shop_id)

    @classmethod
    def operator(cls, user_id: int) -> Actor:
        return cls(ActorKind.OPERATOR, user_id)


@dataclass(frozen=True, slots=True)
class Step:
    actors: frozenset[ActorKind]
    reason_required: bool = False
    stamps: str | None = None  # the orders column set to `now` by this step


_S = OrderStatus
_A = ActorKind
_PEOPLE = frozenset({_A.BUYER, _A.SELLER, _A.OPERATOR, _A.SYSTEM})
_SHIPPERS = frozenset({_A.SELLER, _A.OPERATOR, _A.SYSTEM})

TRANSITIONS: dict[tuple[OrderStatus, OrderStatus], Step] = {
    (_S.AWAITING_PAYMENT, _S.PAID): Step(frozenset({_A.SYSTEM}), stamps="paid_at"),
    (_S.AWAITING_PAYMENT, _S.CLOSED): Step(frozenset({_A.SYSTEM}), True, "closed_at"),
    (_S.AWAITING_PAYMENT, _S.CANCELLED): Step(_PEOPLE, True, "cancelled_at"),
    (_S.PAID, _S.CANCELLED): Step(_PEOPLE, True, "cancelled_at"),
    (_S.PAID, _S.PARTLY_SHIPPED): Step(_SHIPPERS, stamps="shipped_at"),
    (_S.PAID, _S.SHIPPED): Step(_SHIPPERS, stamps="shipped_at"),
    (_S.PARTLY_SHIPPED, _S.SHIPPED): Step(_SHIPPERS, stamps="shipped_at"),
    (_S.SHIPPED, _S.COMPLETED): Step(
        frozenset({_A.BUYER, _A.OPERATOR, _A.SYSTEM}), stamps="completed_at"
    ),
}


def step_for(current: str, to: str) -> Step | None:
    """The step from `current` to `to`, or None when the machine has no such edge."""
    try:
        return TRANSITIONS.get((OrderStatus(current), OrderStatus(to)))
    except ValueError:
        return None
