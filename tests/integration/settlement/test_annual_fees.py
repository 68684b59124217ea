"""The annual fee and its rebate on SQLite and PostgreSQL: charged once per shop, category
and year, from the payable as far as it goes and owed (fees receivable) for the rest; at
year end half of it back when the year's goods sales in the category reach 180,000.00,
once; nothing for sales below the tier or a year not charged."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from galerie.db import Database
from galerie.fulfilment import confirm_receipt, record_shipment
from galerie.kernel import FixedClock, Money
from galerie.orders import Actor, mark_group_paid, place_order
from galerie.orders.models import OrderLine
from galerie.payments.refund_models import OrderLineMoney
from galerie.settlement import (
    PayoutExceedsBalance,
    category_sales,
    charge_annual_fees,
    grant_rebates,
    request_payout,
    run_payouts,
    shop_balance,
    shop_statement,
)
from tests.integration.orders.factories import ADDRESS, Market, insert_live_sku, ship, stock
from tests.integration.payments.support import make_provider
from tests.integration.sellers.factories import HOME
from tests.integration.settlement.support import fund, ledger

YEAR = 2026  # the clock is 2026-11-11


def cny(minor: int) -> Money:
    return Money(minor, "CNY")


async def _sell(db: Database, market: Market, clock: FixedClock, unit_minor: int) -> None:
    """Two units at `unit_minor` (Home & Garden) sold, shipped and received this year."""
    shop, now = market.shops[0], clock.now()
    sku = await insert_live_sku(db, now, shop_id=shop.shop_id, price_minor=unit_minor)
    await stock(db, now, shop, sku, 5)
    async with db.transaction() as session:
        group = await place_order(
            session, buyer_id=market.buyer_id, lines=[(sku, 2)], shipping=ship(shop.shop_id),
            address=ADDRESS, now=now,
        )  # fmt: skip
        await mark_group_paid(session, payment_group_id=group.id, now=now)
    order_id = group.orders[0].id
    async with db.reading() as session:
        units = await session.scalar(
            select(OrderLine.quantity).where(OrderLine.order_id == order_id)
        )
    await record_shipment(
        db, order_id=order_id, quantities={sku: int(units or 0)},
        actor=Actor.seller(market.owner_user_id, shop.shop_id), now=now,
    )  # fmt: skip
    await confirm_receipt(db, order_id=order_id, actor=Actor.buyer(market.buyer_id), now=now)


async def test_the_fee_is_charged_once_and_what_the_payable_lacks_is_owed(
    db: Database, market: Market, clock: FixedClock
) -> None:
    a, b, c = (s.shop_id for s in market.shops)
    await fund(db, a, 1_000_000, clock.now(), "test:fund")
    await fund(db, b, 5_000_000, clock.now(), "test:fund:b")
    # each live shop of the market has Home & Garden at 30,000.00
    assert await charge_annual_fees(db, year=YEAR, now=clock.now()) == 3
    charged = {
        ("provider_clearing", 0): 6_000_000,
        ("seller_payable", b): -2_000_000,
        ("fees_receivable", a): 2_000_000,
        ("fees_receivable", c): 3_000_000,
        ("commission_revenue", 0): -9_000_000,
    }
    assert await ledger(db) == charged
    assert await charge_annual_fees(db, year=YEAR, now=clock.now()) == 0
    assert await ledger(db) == charged


async def test_half_the_fee_comes_back_at_180000_of_sales(
    db: Database, market: Market, clock: FixedClock
) -> None:
    a = market.shops[0].shop_id
    await fund(db, a, 3_000_000, clock.now(), "test:fund")
    assert await charge_annual_fees(db, year=YEAR, now=clock.now()) == 3
    await _sell(db, market, clock, 9_000_000)  # 2 x 90,000.00
    async with db.reading() as session:
        sales = await category_sales(
            session, shop_id=a, top_level_id=HOME, year=YEAR, currency="CNY"
        )
    assert sales == cny(18_000_000)
    assert await grant_rebates(db, year=YEAR + 1, now=clock.now()) == 0  # not charged
    assert await grant_rebates(db, year=YEAR, now=clock.now()) == 1  # the others sold nothing
    assert (await ledger(db))[("seller_payable", a)] == -1_500_000
    assert await grant_rebates(db, year=YEAR, now=clock.now()) == 0
    assert (await ledger(db))[("seller_payable", a)] == -1_500_000


async def test_refunds_are_not_sales(db: Database, market: Market, clock: FixedClock) -> None:
    """180,000.00 sold, then 0.01 of it refunded (after release, by the refund primitive's
    record): below the tier, no rebate."""
    a = market.shops[0].shop_id
    await fund(db, a, 3_000_000, clock.now(), "test:fund")
    await charge_annual_fees(db, year=YEAR, now=clock.now())
    await _sell(db, market, clock, 9_000_000)
    async with db.transaction() as session:
        line = (await session.execute(select(OrderLine.id, OrderLine.order_id))).one()
        session.add(OrderLineMoney(
            order_line_id=line.id, order_id=line.order_id, line_total_minor=18_000_000,
            refunded_minor=1, commission_returned_minor=0,
        ))  # fmt: skip
    async with db.reading() as session:
        sales = await category_sales(
            session, shop_id=a, top_level_id=HOME, year=YEAR, currency="CNY"
        )
    assert sales == cny(17_999_999)
    before = await ledger(db)
    assert await grant_rebates(db, year=YEAR, now=clock.now()) == 0
    assert await ledger(db) == before


async def test_sales_below_the_tier_earn_no_rebate(
    db: Database, market: Market, clock: FixedClock
) -> None:
    await charge_annual_fees(db, year=YEAR, now=clock.now())
    await _sell(db, market, clock, 8_999_999)  # 179,999.98
    before = await ledger(db)
    assert await grant_rebates(db, year=YEAR, now=clock.now()) == 0
    assert await ledger(db) == before


async def test_fees_owed_are_left_by_requests_and_collected_by_the_next_run(
    db: Database, market: Market, clock: FixedClock
) -> None:
    a, b, c = (s.shop_id for s in market.shops)
    await fund(db, a, 1_000_000, clock.now(), "test:fund")
    await charge_annual_fees(db, year=YEAR, now=clock.now())  # a owes 20,000.00
    await fund(db, a, 2_600_000, clock.now(), "test:fund:2")
    balance = await shop_balance(db, shop_id=a, currency="CNY")
    assert (balance.available, balance.fees_owed) == (cny(2_600_000), cny(2_000_000))
    provider = make_provider(db, clock)
    with pytest.raises(PayoutExceedsBalance):
        await request_payout(db, provider, shop_id=a, amount=cny(600_001), now=clock.now())
    await request_payout(db, provider, shop_id=a, amount=cny(600_000), now=clock.now())
    first = await run_payouts(db, provider, key="R1", minimum=cny(10_000), now=clock.now())
    assert first.payouts == 0  # the 20,000.00 left went to the fees owed
    await fund(db, a, 50_000, clock.now(), "test:fund:3")
    second = await run_payouts(db, provider, key="R2", minimum=cny(10_000), now=clock.now())
    assert (second.payouts, second.total) == (1, cny(50_000))
    assert await ledger(db) == {
        ("provider_clearing", 0): 3_650_000,
        ("payouts_in_transit", 0): -650_000,
        ("fees_receivable", b): 3_000_000,
        ("fees_receivable", c): 3_000_000,
        ("commission_revenue", 0): -9_000_000,
    }
    statement = await shop_statement(db, shop_id=a, currency="CNY")
    assert [(line.kind.value, line.amount.minor) for line in statement.lines] == [
        ("adjustment", 1_000_000), ("fee", -1_000_000), ("adjustment", 2_600_000),
        ("payout", -600_000), ("fee", -2_000_000), ("adjustment", 50_000), ("payout", -50_000),
    ]  # fmt: skip
