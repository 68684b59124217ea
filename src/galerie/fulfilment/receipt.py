"""Receipt: the buyer confirms a shipped order (shipped -> completed); otherwise it confirms
itself at its deadline (the last shipment plus the shipping method's auto-confirm days),
which the buyer may push back once by EXTENSION while the order waits and the deadline has
not passed.

The deadline lives in `receipt_timers` (one row per fully shipped order). Every change is a
conditional UPDATE on that row: extending matches only an unextended, unconfirmed row whose
deadline is still ahead; the timer claims a row with `confirmed_at IS NULL AND confirm_by <=
now`, so two timers running at once confirm each order once (the loser matches nothing)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from sqlalchemy import CursorResult, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.db import Database
from galerie.db.outbox import record_event
from galerie.fulfilment.errors import ExtensionRefused
from galerie.fulfilment.events import ConfirmationExtended
from galerie.fulfilment.models import ReceiptTimer
from galerie.fulfilment.rules import EXTENSION, confirm_by
from galerie.orders import (
    Actor,
    ActorKind,
    Moved,
    OrderNotFound,
    OrderStatus,
    StaleState,
    TransitionNotAllowed,
    transition,
)
from galerie.orders.models import Order

CONFIRM_BATCH: Final = 200
AUTO_REASON: Final = "confirmed automatically at the deadline"


@dataclass(frozen=True, slots=True)
class TimerView:
    confirm_by: datetime
    extended_at: datetime | None
    confirmed_at: datetime | None

    def may_extend(self, now: datetime) -> bool:
        return self.extended_at is None and self.confirmed_at is None and now < self.confirm_by


def _count(result: Any) -> int:
    assert isinstance(result, CursorResult)
    return int(result.rowcount)


async def receipt_timer(session: AsyncSession, *, order_id: int) -> TimerView | None:
    row = await session.get(ReceiptTimer, order_id)
    if row is None:
        return None
    return TimerView(row.confirm_by, row.extended_at, row.confirmed_at)


async def start_timer_when_shipped(
    session: AsyncSession, moved: Moved | None, *, now: datetime
) -> TimerView | None:
    """Inside the caller's transaction (never commits): when `moved` took its order to
    shipped, start its timer, due `now` plus the order's shipping method delay
    (`auto_confirm_days`). Every path that ships an order's last units calls it."""
    if moved is None or moved.to_status != OrderStatus.SHIPPED:
        return None
    order = await session.get_one(Order, moved.order_id)
    deadline = confirm_by(now, order.auto_confirm_days)
    session.add(ReceiptTimer(order_id=order.id, shop_id=order.shop_id, confirm_by=deadline))
    return TimerView(deadline, None, None)


async def _stamp(session: AsyncSession, order_id: int, now: datetime) -> int:
    return _count(
        await session.execute(
            update(ReceiptTimer)
            .where(ReceiptTimer.order_id == order_id, ReceiptTimer.confirmed_at.is_(None))
            .values(confirmed_at=now)
            .execution_options(synchronize_session=False)
        )
    )


async def confirm_receipt(db: Database, *, order_id: int, actor: Actor, now: datetime) -> Moved:
    """The buyer received the goods: shipped -> completed. Raises OrderNotFound (not the
    buyer's), TransitionNotAllowed (not shipped, or already completed), StaleState."""
    async with db.transaction() as session:
        moved = await transition(
            session, order_id, OrderStatus.COMPLETED, reason=None, actor=actor, now=now
        )
        await _stamp(session, order_id, now)
        return moved


async def _buyers_shipped_order(session: AsyncSession, order_id: int, actor: Actor) -> Order:
    order = await session.get(Order, order_id)
    if order is None or actor.kind != ActorKind.BUYER or order.buyer_id != actor.user_id:
        raise OrderNotFound("No such order.")
    if order.status != OrderStatus.SHIPPED.value:
        raise ExtensionRefused("Only a shipped order waiting for you can be extended.")
    return order


async def extend_confirmation(
    db: Database, *, order_id: int, actor: Actor, now: datetime
) -> TimerView:
    """Push the automatic confirmation back by EXTENSION, once. Raises OrderNotFound,
    ExtensionRefused (already extended, deadline passed, not shipped)."""
    async with db.transaction() as session:
        order = await _buyers_shipped_order(session, order_id, actor)
        timer = await receipt_timer(session, order_id=order_id)
        if timer is None or not timer.may_extend(now):
            raise ExtensionRefused("The confirmation deadline can be extended once, before it.")
        new_deadline = timer.confirm_by + EXTENSION
        changed = await session.execute(
            update(ReceiptTimer)
            .where(
                ReceiptTimer.order_id == order_id,
                ReceiptTimer.extended_at.is_(None),
                ReceiptTimer.confirmed_at.is_(None),
                ReceiptTimer.confirm_by == timer.confirm_by,
                ReceiptTimer.confirm_by > now,
            )
            .values(confirm_by=new_deadline, extended_at=now)
            .execution_options(synchronize_session=False)
        )
        if _count(changed) != 1:
            raise ExtensionRefused("The confirmation deadline can be extended once, before it.")
        event = ConfirmationExtended(
            order_id=order_id,
            shop_id=order.shop_id,
            buyer_id=order.buyer_id,
            confirm_by=new_deadline.isoformat(),
        )
        record_event(session, event, now=now)
        return TimerView(new_deadline, now, None)


async def _due(db: Database, now: datetime) -> list[int]:
    async with db.reading() as session:
        found = await session.scalars(
            select(ReceiptTimer.order_id)
            .where(ReceiptTimer.confirmed_at.is_(None), ReceiptTimer.confirm_by <= now)
            .order_by(ReceiptTimer.confirm_by, ReceiptTimer.order_id)
            .limit(CONFIRM_BATCH)
        )
        return list(found)


async def _confirm_one(db: Database, order_id: int, now: datetime) -> bool:
    try:
        async with db.transaction() as session:
            claimed = _count(
                await session.execute(
                    update(ReceiptTimer)
                    .where(
                        ReceiptTimer.order_id == order_id,
                        ReceiptTimer.confirmed_at.is_(None),
                        ReceiptTimer.confirm_by <= now,
                    )
                    .values(confirmed_at=now)
                    .execution_options(synchronize_session=False)
                )
            )
            if claimed != 1:
                return False
            await transition(
                session,
                order_id,
                OrderStatus.COMPLETED,
                reason=AUTO_REASON,
                actor=Actor.system(),
                now=now,
            )
            return True
    except (StaleState, TransitionNotAllowed):
        return False


async def confirm_overdue_orders(db: Database, *, now: datetime) -> int:
    """The timer: shipped orders past their deadline become completed, each in its own
    transaction; returns how many it confirmed. Running it twice (or at once on two
    workers) confirms each order once."""
    done = 0
    for order_id in await _due(db, now):
        done += await _confirm_one(db, order_id, now)
    return done
