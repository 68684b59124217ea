"""Escrow release: when a shop order is received (the buyer confirmed it, or the automatic
confirmation did), the money held for it goes to the shop, minus the platform's commission.

`release_escrow` runs in the caller's transaction (the outbox handler's, on
OrderStatusChanged to `completed`). Each goods line pays its category's commission rate (the
nearest category up the tree that sets one; DEFAULT_COMMISSION_BP when none does), the
shipping fee none; the parts are split by largest remainder (ledger.commission_split), so
seller share + commission == what escrow held, to the unit. The rate and the commission are
recorded on each order line, and one entry `release:<order id>` moves escrow into the shop's
seller payable and commission revenue: a replay (the handler runs at least once) posts
nothing. An order paid without a payment (the demo hook) holds no escrow: nothing to do.

Refunds and holds (refunds.py, holds.py): an open release hold makes the release wait
(`on_hold`; lifting the last hold releases); refunds before release are left out, each
line's commission being computed on what remains of it (and the shipping fee less what a
full refund took), so seller share + commission + refunded == paid, to the unit. The
order's figures row (order_money) is claimed first, so a release, a hold and a refund of one
order never cross."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.catalog import categories_by_ids
from galerie.catalog.product_models import Product
from galerie.kernel import Clock, DomainEvent, Money
from galerie.ledger import (
    AccountKind,
    CommissionShare,
    account_for,
    commission_split,
    escrow_release_lines,
    find_account,
    post_entry,
)
from galerie.orders import OrderStatusChanged
from galerie.orders.models import Order, OrderLine
from galerie.payments.order_money import claim_release, ensure_figures, lock_figures
from galerie.payments.refund_models import OrderLineMoney

DEFAULT_COMMISSION_BP = 500  # 5%, when no category up the tree sets a rate
COMPLETED = "completed"
ReleaseFunc = Callable[[DomainEvent, AsyncSession], Awaitable[None]]


async def _rates(session: AsyncSession, category_ids: set[int]) -> dict[int, int]:
    views = await categories_by_ids(session, category_ids)
    rates: dict[int, int] = {}
    for category_id in category_ids:
        view = views.get(category_id)
        rate = view.commission_rate_bp if view is not None else None
        rates[category_id] = DEFAULT_COMMISSION_BP if rate is None else rate
    return rates


async def _lines(session: AsyncSession, order_id: int) -> list[tuple[int, int, int]]:
    """(line id, what remains of the line total after refunds, category id), in line order."""
    refunded = func.coalesce(OrderLineMoney.refunded_minor, 0)
    rows = await session.execute(
        select(OrderLine.id, OrderLine.line_total_minor - refunded, Product.category_id)
        .join(Product, Product.id == OrderLine.product_id)
        .outerjoin(OrderLineMoney, OrderLineMoney.order_line_id == OrderLine.id)
        .where(OrderLine.order_id == order_id)
        .order_by(OrderLine.id)
    )
    return [(int(a), int(b), int(c)) for a, b, c in rows]


async def _shipping_left(session: AsyncSession, order_id: int, fee: int) -> int:
    """The shipping fee less what refunds took of it (only a full refund takes it)."""
    figures = await lock_figures(session, order_id)
    lines = await session.scalar(
        select(func.coalesce(func.sum(OrderLineMoney.refunded_minor), 0)).where(
            OrderLineMoney.order_id == order_id
        )
    )
    return fee - (figures.refunded_minor - int(lines or 0))


async def _record_rates(
    session: AsyncSession, lines: Sequence[tuple[int, int, int]], shares: Sequence[CommissionShare]
) -> None:
    for (line_id, _, _), share in zip(lines, shares, strict=False):
        await session.execute(
            update(OrderLine)
            .where(OrderLine.id == line_id)
            .values(commission_bp=share.rate_bp, commission_minor=share.commission.minor)
            .execution_options(synchronize_session=False)
        )


async def release_escrow(session: AsyncSession, *, order_id: int, now: datetime) -> str:
    """Release the completed order's escrow (see the module); the outcome: `released`,
    `already_released`, `on_hold` (a release hold is open: lifting the last one
    releases), `fully_refunded` (refunds took everything) or `nothing_held`."""
    order = (
        await session.execute(
            select(Order.shop_id, Order.currency, Order.shipping_fee_minor, Order.status).where(
                Order.id == order_id
            )
        )
    ).one()
    shop_id, currency, fee, status = order
    if status != COMPLETED:
        raise ValueError(f"order {order_id} is {status}, not completed")
    if not await ensure_figures(session, order_id, now):
        return "nothing_held"
    claim = await claim_release(session, order_id=order_id, now=now)
    if claim != "claimed":
        return claim
    escrow = await find_account(
        session, kind=AccountKind.ESCROW, currency=currency, owner_id=order_id
    )
    assert escrow is not None  # ensure_figures found it
    lines = await _lines(session, order_id)
    rates = await _rates(session, {category for _, _, category in lines})
    shipping = await _shipping_left(session, order_id, fee)
    totals = [Money(total, currency) for _, total, _ in lines] + [Money(shipping, currency)]
    shares = commission_split(totals, [rates[category] for _, _, category in lines] + [0])
    if sum(s.line_total.minor for s in shares) != escrow.balance.minor:
        raise AssertionError(f"order {order_id}: escrow holds {escrow.balance}, lines {totals}")
    await _record_rates(session, lines, shares)
    if escrow.balance.minor == 0:
        return "fully_refunded"
    payable = await account_for(
        session, kind=AccountKind.SELLER_PAYABLE, currency=currency, now=now, owner_id=shop_id
    )
    revenue = await account_for(
        session, kind=AccountKind.COMMISSION_REVENUE, currency=currency, now=now
    )
    entry = escrow_release_lines(
        escrow_id=escrow.id, payable_id=payable.id, commission_id=revenue.id, shares=shares
    )
    await post_entry(
        session, key=f"release:{order_id}", lines=entry, memo="escrow released", now=now
    )
    return "released"


def releases_escrow(event: DomainEvent) -> bool:
    """Whether the release handler acts on `event`: an order received (completed)."""
    return isinstance(event, OrderStatusChanged) and event.to_status == COMPLETED


def release_handler(clock: Clock) -> ReleaseFunc:
    """The outbox handler: OrderStatusChanged to `completed` releases the order's escrow
    (register it with `accepts=releases_escrow`: other changes need no transaction)."""

    async def on_status_changed(event: DomainEvent, session: AsyncSession) -> None:
        assert isinstance(event, OrderStatusChanged)
        if releases_escrow(event):
            await release_escrow(session, order_id=event.order_id, now=clock.now())

    return on_status_changed
