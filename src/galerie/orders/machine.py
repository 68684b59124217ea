"""`transition()`: the only code that changes an order's status.

It reads the order, checks the step against the table (states.TRANSITIONS), the actor's
kind and ownership (a buyer their own order, a seller its shop's; anyone else gets
OrderNotFound, as if the order did not exist), then moves the status with one conditional
UPDATE ... WHERE id = :id AND status = :expected (a concurrent change makes it match nothing:
StaleState), appends one history row and emits OrderStatusChanged. A helper: it runs in the
caller's transaction and never commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import CursorResult, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.db.outbox import record_event
from galerie.orders.errors import OrderNotFound, StaleState, TransitionNotAllowed
from galerie.orders.events import OrderStatusChanged
from galerie.orders.models import Order, OrderStatusHistory
from galerie.orders.rules import reason_of
from galerie.orders.states import Actor, ActorKind, OrderStatus, step_for


@dataclass(frozen=True, slots=True)
class Moved:
    """An order after a transition."""

    order_id: int
    payment_group_id: int
    shop_id: int
    buyer_id: int
    from_status: OrderStatus
    to_status: OrderStatus


def may_see(actor: Actor, *, buyer_id: int, shop_id: int) -> bool:
    """Buyers see their own orders, sellers their shop's; operators and the system all."""
    if actor.kind == ActorKind.BUYER:
        return actor.user_id is not None and actor.user_id == buyer_id
    if actor.kind == ActorKind.SELLER:
        return actor.shop_id is not None and actor.shop_id == shop_id
    return True


async def _subject(session: AsyncSession, order_id: int, actor: Actor) -> Any:
    row = (
        await session.execute(
            select(Order.status, Order.payment_group_id, Order.shop_id, Order.buyer_id).where(
                Order.id == order_id
            )
        )
    ).one_or_none()
    if row is None or not may_see(actor, buyer_id=row.buyer_id, shop_id=row.shop_id):
        raise OrderNotFound("No such order.")
    return row


def _record(
    session: AsyncSession, moved: Moved, why: str | None, actor: Actor, now: datetime
) -> None:
    """The history row and the event of a transition just applied."""
    common: dict[str, Any] = {
        "order_id": moved.order_id,
        "shop_id": moved.shop_id,
        "from_status": moved.from_status.value,
        "to_status": moved.to_status.value,
        "reason": why,
        "actor_kind": actor.kind.value,
        "actor_user_id": actor.user_id,
    }
    session.add(OrderStatusHistory(**common, at=now))
    record_event(session, OrderStatusChanged(**common, buyer_id=moved.buyer_id), now=now)


async def transition(
    session: AsyncSession,
    order_id: int,
    to: OrderStatus,
    *,
    reason: str | None,
    actor: Actor,
    now: datetime,
) -> Moved:
    """Move the order to `to`. Raises OrderNotFound (absent or not the actor's),
    TransitionNotAllowed (code transition_not_allowed: no such edge, or not this actor's to
    take), StaleState (someone moved it first), ValidationFailed (reason missing)."""
    row = await _subject(session, order_id, actor)
    current = OrderStatus(row.status)
    step = step_for(current, to)
    if step is None or actor.kind not in step.actors:
        raise TransitionNotAllowed(
            f"This order cannot go from {current} to {to}.", status=current.value, to=str(to)
        )
    why = reason_of(reason, required=step.reason_required)
    values: dict[str, Any] = {"status": to.value, "updated_at": now}
    if step.stamps is not None:
        values[step.stamps] = now
    result = await session.execute(
        update(Order)
        .where(Order.id == order_id, Order.status == current.value)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    if result.rowcount != 1:
        raise StaleState("Someone else changed this order first; reload and retry.")
    moved = Moved(order_id, row.payment_group_id, row.shop_id, row.buyer_id, current, to)
    _record(session, moved, why, actor, now)
    return moved
