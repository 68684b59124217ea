"""A paid shop order's running figures (`order_money`, `order_line_money`) and its release
holds, in the caller's transaction.

The figures row is created the first time a refund, a hold or the release touches a paid
order (INSERT ... ON CONFLICT DO NOTHING, so two transactions creating it at once end with
one). Every later step starts with one UPDATE of that row (a conditional one where a rule
guards it), so refunds, holds and the release of one order are serialised on PostgreSQL
(the row lock) as they are on SQLite (one writer), and each reads the others' committed work.

`claim_release` is the release's guard: `released_at` is set only while no hold is open
(the holds themselves: holds.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import CursorResult, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.ledger import AccountKind, find_account
from galerie.orders.models import Order, OrderLine
from galerie.payments.refund_models import OrderLineMoney, OrderMoney


@dataclass(frozen=True, slots=True)
class Figures:
    """An order's figures as read under its row lock."""

    order_id: int
    currency: str
    paid_minor: int
    refunded_minor: int
    release_holds: int
    released: bool

    @property
    def refundable_minor(self) -> int:
        return self.paid_minor - self.refunded_minor


async def insert_ignore(
    session: AsyncSession, model: Any, values: dict[str, Any], keys: list[str]
) -> bool:
    dialect = (await session.connection()).dialect.name
    maker = pg_insert if dialect == "postgresql" else sqlite_insert
    result = await session.execute(
        maker(model).values(**values).on_conflict_do_nothing(index_elements=keys)
    )
    assert isinstance(result, CursorResult)
    return result.rowcount == 1


async def changed(session: AsyncSession, statement: Any) -> int:
    result = await session.execute(statement.execution_options(synchronize_session=False))
    assert isinstance(result, CursorResult)
    return int(result.rowcount)


async def ensure_figures(session: AsyncSession, order_id: int, now: datetime) -> bool:
    """Create the order's figures if it holds captured money (an escrow account, credited
    with the order's total by its capture); False when it never did."""
    if await session.scalar(select(OrderMoney.order_id).where(OrderMoney.order_id == order_id)):
        return True
    order = (
        await session.execute(select(Order.total_minor, Order.currency).where(Order.id == order_id))
    ).first()
    if order is None:
        return False
    total, currency = int(order[0]), str(order[1])
    escrow = await find_account(
        session, kind=AccountKind.ESCROW, currency=currency, owner_id=order_id
    )
    if escrow is None:
        return False
    released = escrow.balance.minor == 0  # released before these figures existed (0020)
    await insert_ignore(
        session, OrderMoney,
        {"order_id": order_id, "currency": currency, "paid_minor": total, "refunded_minor": 0,
         "release_holds": 0, "released_at": now if released else None},
        ["order_id"],
    )  # fmt: skip
    lines = await session.execute(
        select(OrderLine.id, OrderLine.line_total_minor).where(OrderLine.order_id == order_id)
    )
    for line_id, line_total in lines.all():
        await insert_ignore(
            session, OrderLineMoney,
            {"order_line_id": line_id, "order_id": order_id, "line_total_minor": line_total,
             "refunded_minor": 0, "commission_returned_minor": 0},
            ["order_line_id"],
        )  # fmt: skip
    return True


async def lock_figures(session: AsyncSession, order_id: int) -> Figures:
    """The order's figures, its row locked for the rest of the transaction (an UPDATE that
    changes nothing: PostgreSQL's row lock; SQLite already has the one writer)."""
    row = (
        await session.execute(
            update(OrderMoney)
            .where(OrderMoney.order_id == order_id)
            .values(release_holds=OrderMoney.release_holds)
            .returning(
                OrderMoney.currency, OrderMoney.paid_minor, OrderMoney.refunded_minor,
                OrderMoney.release_holds, OrderMoney.released_at,
            )
            .execution_options(synchronize_session=False)
        )
    ).one()  # fmt: skip
    return Figures(order_id, str(row[0]), int(row[1]), int(row[2]), int(row[3]), row[4] is not None)


async def claim_release(session: AsyncSession, *, order_id: int, now: datetime) -> str:
    """Mark the order released if no hold is open and it was not: `claimed`, `on_hold` or
    `already_released` (the caller moves the money when `claimed`)."""
    claimed = await changed(
        session,
        update(OrderMoney)
        .where(
            OrderMoney.order_id == order_id,
            OrderMoney.release_holds == 0,
            OrderMoney.released_at.is_(None),
        )
        .values(released_at=now),
    )
    if claimed:
        return "claimed"
    figures = await lock_figures(session, order_id)
    return "already_released" if figures.released else "on_hold"
