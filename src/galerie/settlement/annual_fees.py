"""Charging the annual fee and granting its year-end rebate: one entry per shop, category
and year, each in its own transaction, so a run repeated (or run by two workers) charges
and rebates nothing twice.

The fee `annual-fee:<shop>:<category>:<year>`: credit commission revenue (the platform's
revenue account; the key tells fees from commission), debit the shop's seller payable for
what it holds and its fees receivable for the rest (the shop owes it). The rebate
`annual-fee-rebate:<shop>:<category>:<year>`, for a year whose fee was charged: debit
commission revenue, credit the seller payable with fees.rebate_amount of the fee, by the
shop's goods sales in that top-level category that year (lines of its orders completed in
the year whose product is in the category's tree, less their refunds)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.catalog.models import Category
from galerie.catalog.product_models import Product
from galerie.db import Database
from galerie.kernel import Money
from galerie.ledger import (
    AccountKind,
    BalanceWouldGoNegative,
    EntryKeyReused,
    Line,
    account_for,
    credit,
    debit,
    find_entry,
    post_entry,
)
from galerie.orders.models import Order, OrderLine
from galerie.payments.refund_models import OrderLineMoney
from galerie.sellers import ShopStatus
from galerie.sellers.models import Shop, ShopCategory
from galerie.settlement.balance import available_payable, fees_owed
from galerie.settlement.fees import RebateSchedule, fee_key, fee_split, rebate_amount, rebate_key

log = logging.getLogger("galerie.settlement.fees")
CHARGED_STATUSES = (ShopStatus.LIVE.value, ShopStatus.SUSPENDED.value)  # shops that trade


async def _shop_categories(db: Database) -> list[tuple[int, int, Money]]:
    async with db.reading() as session:
        rows = await session.execute(
            select(ShopCategory.shop_id, ShopCategory.category_id, ShopCategory.annual_fee_minor,
                   ShopCategory.currency)
            .join(Shop, Shop.id == ShopCategory.shop_id)
            .where(Shop.status.in_(CHARGED_STATUSES))
            .order_by(ShopCategory.shop_id, ShopCategory.category_id)
        )  # fmt: skip
        return [(int(s), int(c), Money(int(m), str(cur))) for s, c, m, cur in rows]


async def _fee_lines(session: AsyncSession, shop_id: int, fee: Money, now: datetime) -> list[Line]:
    async def get(kind: AccountKind, owner: int | None = None) -> int:
        return (await account_for(
            session, kind=kind, currency=fee.currency, owner_id=owner, now=now
        )).id  # fmt: skip

    available = await available_payable(session, shop_id=shop_id, currency=fee.currency)
    paid, owed = fee_split(fee, available)
    lines = [credit(await get(AccountKind.COMMISSION_REVENUE), fee)]
    if paid.minor:
        lines.append(debit(await get(AccountKind.SELLER_PAYABLE, shop_id), paid))
    if owed.minor:
        lines.append(debit(await get(AccountKind.FEES_RECEIVABLE, shop_id), owed))
    return lines


async def charge_annual_fee(
    db: Database, *, shop_id: int, category_id: int, fee: Money, year: int, now: datetime
) -> bool:
    """Charge one shop's fee for one category and year; False when it was charged before."""
    key = fee_key(shop_id, category_id, year)
    if fee.minor <= 0:
        return False
    for _ in range(3):  # the payable may move between reading and posting: read again
        try:
            async with db.transaction() as session:
                if await find_entry(session, key=key) is not None:
                    return False
                await post_entry(
                    session, key=key, lines=await _fee_lines(session, shop_id, fee, now),
                    memo=f"annual fee {year}, category {category_id}", now=now,
                )  # fmt: skip
                return True
        except EntryKeyReused:
            return False  # charged at the same moment by another run
        except BalanceWouldGoNegative:
            continue
    raise RuntimeError(f"annual fee {key}: the payable kept moving")


async def charge_annual_fees(db: Database, *, year: int, now: datetime) -> int:
    """Charge every open shop's annual fee of `year` for each approved top-level category,
    once; how many were charged now."""
    charged = 0
    for shop_id, category_id, fee in await _shop_categories(db):
        charged += await charge_annual_fee(
            db, shop_id=shop_id, category_id=category_id, fee=fee, year=year, now=now
        )
    return charged


def _year(year: int) -> tuple[datetime, datetime]:
    return datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)


async def category_sales(
    session: AsyncSession, *, shop_id: int, top_level_id: int, year: int, currency: str
) -> Money:
    """The shop's goods sales in a top-level category's tree in `year`: the line totals of
    its orders completed that year, less what was refunded of them."""
    start, end = _year(year)
    refunded = func.coalesce(OrderLineMoney.refunded_minor, 0)
    total = await session.scalar(
        select(func.coalesce(func.sum(OrderLine.line_total_minor - refunded), 0))
        .join(Order, Order.id == OrderLine.order_id)
        .outerjoin(OrderLineMoney, OrderLineMoney.order_line_id == OrderLine.id)
        .join(Product, Product.id == OrderLine.product_id)
        .join(Category, Category.id == Product.category_id)
        .where(
            Order.shop_id == shop_id, Order.status == "completed", Order.currency == currency,
            Order.completed_at >= start, Order.completed_at < end,
            Category.top_level_id == top_level_id,
        )
    )  # fmt: skip
    return Money(int(total or 0), currency)


async def grant_rebate(
    db: Database, *, shop_id: int, category_id: int, year: int, schedule: RebateSchedule,
    now: datetime,
) -> Money:  # fmt: skip
    """The year-end rebate of one shop's fee for one category, once (zero when the fee was
    not charged, the sales reach no tier, or it was granted before)."""
    key = rebate_key(shop_id, category_id, year)
    async with db.transaction() as session:
        charged = await find_entry(session, key=fee_key(shop_id, category_id, year))
        if charged is None or await find_entry(session, key=key) is not None:
            return Money.zero(schedule.currency)
        fee = Money(sum(max(line.amount.minor, 0) for line in charged.lines),
                    charged.lines[0].amount.currency)  # fmt: skip
        sales = await category_sales(
            session, shop_id=shop_id, top_level_id=category_id, year=year, currency=fee.currency
        )
        back = rebate_amount(fee, sales, category_id, schedule)
        if back.minor == 0:
            return back
        revenue = await account_for(
            session, kind=AccountKind.COMMISSION_REVENUE, currency=fee.currency, now=now
        )
        payable = await account_for(
            session, kind=AccountKind.SELLER_PAYABLE, currency=fee.currency, owner_id=shop_id,
            now=now,
        )  # fmt: skip
        await post_entry(
            session, key=key, lines=[debit(revenue.id, back), credit(payable.id, back)],
            memo=f"annual fee {year} rebate, category {category_id}", now=now,
        )  # fmt: skip
        return back


async def grant_rebates(
    db: Database, *, year: int, now: datetime, schedule: RebateSchedule | None = None
) -> int:
    """Every shop's rebates of `year` (run after the year ends); how many were granted."""
    granted = 0
    for shop_id, category_id, _fee in await _shop_categories(db):
        back = await grant_rebate(
            db, shop_id=shop_id, category_id=category_id, year=year,
            schedule=schedule or RebateSchedule(), now=now,
        )  # fmt: skip
        granted += back.minor > 0
    return granted


async def collect_owed_fees(
    session: AsyncSession, *, shop_id: int, currency: str, key: str, now: datetime
) -> Money:
    """In the caller's transaction: take what the shop owes of its annual fees from its
    payable, as far as it goes, once under `key` (`fee-collection:...`); the payable left."""
    owed = await fees_owed(session, shop_id=shop_id, currency=currency)
    available = await available_payable(session, shop_id=shop_id, currency=currency)
    take = min(owed.minor, available.minor)
    if take <= 0 or await find_entry(session, key=key) is not None:
        return available
    payable = await account_for(
        session, kind=AccountKind.SELLER_PAYABLE, currency=currency, owner_id=shop_id, now=now
    )
    receivable = await account_for(
        session, kind=AccountKind.FEES_RECEIVABLE, currency=currency, owner_id=shop_id, now=now
    )
    amount = Money(take, currency)
    await post_entry(
        session, key=key, memo="annual fee collected from the balance", now=now,
        lines=[debit(payable.id, amount), credit(receivable.id, amount)],
    )  # fmt: skip
    return available - amount
