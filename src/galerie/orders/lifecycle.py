"""After placement: paying a group, cancelling an order, closing unpaid groups, shipping.

The group's status moves with one conditional UPDATE that also serialises everything done
to the group (pay, close, cancel of an unpaid order lock its row first, on PostgreSQL; on
SQLite writers are serialised anyway); each order moves through `transition()` and its
stock through `stock.move_order_stock`. Running any of them twice does it once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CursorResult, and_, exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.audit import AuditContext, record_audit
from galerie.db import Database
from galerie.kernel import Conflict
from galerie.orders.errors import OrderNotFound, PaymentGroupNotFound
from galerie.orders.machine import Moved, transition
from galerie.orders.models import Order, PaymentGroup
from galerie.orders.states import Actor, ActorKind, GroupStatus, OrderStatus
from galerie.orders.stock import move_order_stock

CLOSE_BATCH = 200
MAX_BATCHES = 50
UNPAID_REASON = "unpaid before the deadline"
CANCEL_ACTION = "orders.order.cancel"


def _count(result: object) -> int:
    assert isinstance(result, CursorResult)
    return int(result.rowcount)


async def _open_orders(session: AsyncSession, group_id: int) -> list[int]:
    found = await session.scalars(
        select(Order.id)
        .where(
            Order.payment_group_id == group_id,
            Order.status == OrderStatus.AWAITING_PAYMENT.value,
        )
        .order_by(Order.id)
    )
    return list(found)


async def _move_orders(
    session: AsyncSession, group_id: int, to: OrderStatus, reason: str | None, now: datetime
) -> list[Moved]:
    moved = []
    for order_id in await _open_orders(session, group_id):
        step = await transition(session, order_id, to, reason=reason, actor=Actor.system(), now=now)
        await move_order_stock(
            session, order_id=order_id, from_status=step.from_status, to_status=to, now=now
        )
        moved.append(step)
    return moved


async def mark_group_paid(
    session: AsyncSession, *, payment_group_id: int, now: datetime
) -> list[Moved]:
    """The buyer paid the group: every unpaid order becomes paid and its reserved units
    committed. Idempotent: a group already paid returns [] and changes nothing. Raises
    PaymentGroupNotFound, or Conflict `payment_group_not_payable` for a closed or cancelled
    group (the payment is then the payments domain's to refund). Runs in the caller's
    transaction (the payment webhook's)."""
    result = await session.execute(
        update(PaymentGroup)
        .where(
            PaymentGroup.id == payment_group_id,
            PaymentGroup.status == GroupStatus.AWAITING_PAYMENT.value,
        )
        .values(status=GroupStatus.PAID.value, paid_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if _count(result) == 0:
        status = await session.scalar(
            select(PaymentGroup.status).where(PaymentGroup.id == payment_group_id)
        )
        if status is None:
            raise PaymentGroupNotFound("No such payment group.")
        if status == GroupStatus.PAID:
            return []
        raise Conflict(
            "This payment group was closed or cancelled.",
            code="payment_group_not_payable",
            status=status,
        )
    return await _move_orders(session, payment_group_id, OrderStatus.PAID, None, now)


async def cancel_order(
    db: Database,
    *,
    order_id: int,
    actor: Actor,
    reason: str,
    now: datetime,
    audit: AuditContext | None = None,
) -> Moved:
    """Cancel an order before any shipment (buyer, the shop's seller, an operator): unpaid,
    its reservation is released; paid, its committed units go back to available (the
    refund is the payments domain's, on OrderStatusChanged). The last open order of an
    unpaid group cancels the group. Others' orders: OrderNotFound; shipped ones:
    TransitionNotAllowed. A seller's or operator's cancellation is a privileged action: one
    audit record (`orders.order.cancel`)."""
    async with db.transaction() as session:
        group_id = await session.scalar(select(Order.payment_group_id).where(Order.id == order_id))
        if group_id is None:
            raise OrderNotFound("No such order.")
        await session.execute(
            select(PaymentGroup.id).where(PaymentGroup.id == group_id).with_for_update()
        )
        step = await transition(
            session, order_id, OrderStatus.CANCELLED, reason=reason, actor=actor, now=now
        )
        await move_order_stock(
            session,
            order_id=order_id,
            from_status=step.from_status,
            to_status=OrderStatus.CANCELLED,
            now=now,
        )
        if step.from_status == OrderStatus.AWAITING_PAYMENT:
            await _cancel_group_if_empty(session, group_id, now)
        if actor.kind in (ActorKind.SELLER, ActorKind.OPERATOR):
            record_audit(
                session,
                context=audit or AuditContext(actor_user_id=actor.user_id),
                action=CANCEL_ACTION,
                now=now,
                target_type="order",
                target_id=order_id,
                reason=reason.strip(),
                details={"shop_id": step.shop_id, "from": step.from_status.value},
            )
        return step


async def _cancel_group_if_empty(session: AsyncSession, group_id: int, now: datetime) -> None:
    still_open = exists().where(
        and_(
            Order.payment_group_id == group_id,
            Order.status == OrderStatus.AWAITING_PAYMENT.value,
        )
    )
    await session.execute(
        update(PaymentGroup)
        .where(
            PaymentGroup.id == group_id,
            PaymentGroup.status == GroupStatus.AWAITING_PAYMENT.value,
            ~still_open,
        )
        .values(status=GroupStatus.CANCELLED.value, closed_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )


async def close_unpaid_groups(db: Database, *, now: datetime, batch: int = CLOSE_BATCH) -> int:
    """The timer: close every group still unpaid at its pay-by deadline, with its open
    orders, releasing their stock; one transaction per group, batches of `batch` until
    none is left (at most MAX_BATCHES per pass). Returns how many groups it closed;
    running it again (or on two workers) closes each group once."""
    closed = 0
    for _ in range(MAX_BATCHES):
        due = await _due_groups(db, now, batch)
        for group_id in due:
            closed += await _close_group(db, group_id, now)
        if len(due) < batch:
            break
    return closed


async def _due_groups(db: Database, now: datetime, batch: int) -> list[int]:
    async with db.reading() as session:
        found = await session.scalars(
            select(PaymentGroup.id)
            .where(
                PaymentGroup.status == GroupStatus.AWAITING_PAYMENT.value,
                PaymentGroup.pay_by <= now,
            )
            .order_by(PaymentGroup.pay_by, PaymentGroup.id)
            .limit(batch)
        )
        return list(found)


async def _close_group(db: Database, group_id: int, now: datetime) -> int:
    async with db.transaction() as session:
        result = await session.execute(
            update(PaymentGroup)
            .where(
                PaymentGroup.id == group_id,
                PaymentGroup.status == GroupStatus.AWAITING_PAYMENT.value,
                PaymentGroup.pay_by <= now,
            )
            .values(status=GroupStatus.CLOSED.value, closed_at=now, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        if _count(result) == 0:  # paid, cancelled or closed meanwhile
            return 0
        await _move_orders(session, group_id, OrderStatus.CLOSED, UNPAID_REASON, now)
        return 1
