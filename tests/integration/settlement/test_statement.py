"""A shop's statement on SQLite and PostgreSQL, after a real order: paid through the
sandbox, shipped, received and released (75.01 with 4.60 commission), then a payout of
50.00. Every line explained with its order number or payout, a running balance, a period
filter with the opening balance, and the CSV to the character."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from galerie.db import Database
from galerie.kernel import FixedClock, Money
from galerie.ledger import AccountKind
from galerie.orders.models import Order
from galerie.payments import release_escrow
from galerie.settlement import (
    BadStatementPeriod,
    LineKind,
    request_payout,
    shop_balance,
    shop_statement,
    statement_csv,
)
from tests.integration.orders.factories import Market
from tests.integration.payments.support import make_provider
from tests.integration.payments.test_paying_groups import _deliver, _pay
from tests.integration.payments.test_release import _order, _receive
from tests.integration.settlement.support import ledger


def cny(minor: int) -> Money:
    return Money(minor, "CNY")


async def _released(db: Database, market: Market, clock: FixedClock) -> tuple[int, str]:
    group_id, order_id = await _order(db, market, clock)
    await _deliver(db, clock, await _pay(db, market, clock, group_id))
    balance = await shop_balance(db, shop_id=market.shops[0].shop_id, currency="CNY")
    assert (balance.in_escrow, balance.available) == (cny(7501), cny(0))
    await _receive(db, market, clock, order_id)
    async with db.transaction() as session:
        assert await release_escrow(session, order_id=order_id, now=clock.now()) == "released"
        number = await session.scalar(select(Order.number).where(Order.id == order_id))
    return order_id, str(number)


async def test_a_statement_explains_every_line(
    db: Database, market: Market, clock: FixedClock
) -> None:
    shop = market.shops[0].shop_id
    order_id, number = await _released(db, market, clock)
    released_at = clock.now()
    clock.advance(timedelta(days=1))
    payout = await request_payout(
        db, make_provider(db, clock), shop_id=shop, amount=cny(5000), now=clock.now()
    )
    statement = await shop_statement(db, shop_id=shop, currency="CNY")
    rows = [
        (line.kind, line.account, line.reference, line.gross, line.commission, line.amount,
         line.balance)
        for line in statement.lines
    ]  # fmt: skip
    assert rows == [
        (LineKind.SALE, AccountKind.SELLER_PAYABLE, number, cny(7501), cny(460), cny(7041),
         cny(7041)),
        (LineKind.PAYOUT, AccountKind.SELLER_PAYABLE, str(payout.id), None, None, cny(-5000),
         cny(2041)),
    ]  # fmt: skip
    assert [line.order_id for line in statement.lines] == [order_id, None]
    assert statement.closing == {AccountKind.SELLER_PAYABLE: cny(2041)}
    assert [line.occurred_at for line in statement.lines] == [released_at, clock.now()]
    balance = await shop_balance(db, shop_id=shop, currency="CNY")
    assert (balance.available, balance.in_escrow, balance.in_transit) == (
        cny(2041), cny(0), cny(5000),
    )  # fmt: skip
    assert (await ledger(db))[("seller_payable", shop)] == -2041

    later = await shop_statement(db, shop_id=shop, currency="CNY", start=clock.now())
    assert later.opening == {AccountKind.SELLER_PAYABLE: cny(7041)}
    assert [(line.kind, line.balance) for line in later.lines] == [(LineKind.PAYOUT, cny(2041))]
    earlier = await shop_statement(db, shop_id=shop, currency="CNY", end=clock.now())
    assert [line.kind for line in earlier.lines] == [LineKind.SALE]

    entries = [line.entry_id for line in statement.lines]
    assert statement_csv(statement) == (
        "date,entry,account,kind,reference,description,gross,commission,amount,balance,"
        "currency\r\n"
        f"{released_at.isoformat()},{entries[0]},seller_payable,sale,{number},"
        "escrow released,75.01,4.60,70.41,70.41,CNY\r\n"
        f"{clock.now().isoformat()},{entries[1]},seller_payable,payout,{payout.id},"
        f"payout {payout.id} requested,,,-50.00,20.41,CNY\r\n"
    )


async def test_another_shop_and_an_empty_period_show_nothing(
    db: Database, market: Market, clock: FixedClock
) -> None:
    await _released(db, market, clock)
    other = await shop_statement(db, shop_id=market.shops[1].shop_id, currency="CNY")
    assert (other.lines, other.opening, other.closing) == ([], {}, {})
    future = datetime(2030, 1, 1, tzinfo=UTC)
    empty = await shop_statement(db, shop_id=market.shops[0].shop_id, currency="CNY", start=future)
    assert (empty.lines, empty.closing) == ([], {AccountKind.SELLER_PAYABLE: cny(7041)})
    with pytest.raises(BadStatementPeriod):
        await shop_statement(
            db, shop_id=market.shops[0].shop_id, currency="CNY", start=future, end=future
        )
