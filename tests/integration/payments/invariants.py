"""The money invariants the payment tests check after every step (the lifecycle model) or
after a crash loop, read from the database:

- every currency's accounts sum to zero and the journal agrees with the cached balances
  (`check_balances`);
- no seller payable or deposit is below zero (credit-natural accounts: a debit balance);
- per shop order, what its escrow holds, what was refunded and the commission kept on its
  lines (`order_money`), which each test compares with what it expects."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from galerie.db import Database, RawSQL
from galerie.ledger import check_balances
from galerie.ledger.deltas import PENDING_OF_ACCOUNT as PENDING
from galerie.orders.models import Order, OrderLine


async def assert_ledger_balances(db: Database) -> None:
    """Every currency sums to zero, no payable or deposit below zero, the journal agrees
    with the cached balances."""
    async with db.reading() as session:
        raw = await RawSQL.of(session)
        totals = await raw.fetch(
            f"SELECT currency, SUM(balance_minor + {PENDING}) FROM ledger_accounts "  # noqa: S608
            "GROUP BY currency"
        )
        negative = await raw.fetch(
            "SELECT kind, balance_minor FROM ledger_accounts "
            "WHERE kind IN ('seller_payable', 'deposits_held') AND balance_minor > 0"
        )
    by_currency = {str(c): int(t) for c, t in totals}
    assert set(by_currency.values()) <= {0}, by_currency
    below = [(str(k), int(b)) for k, b in negative]
    assert below == [], below  # credit-natural accounts: a debit balance is < 0
    check = await check_balances(db)
    assert check.ok, check


@dataclass(frozen=True, slots=True)
class OrderMoney:
    status: str
    escrow: int  # what the order's escrow holds (0 when it has none)
    refunded: int
    commission: int  # kept on its lines, less what refunds after release gave back


async def order_money(db: Database) -> dict[int, OrderMoney]:
    """Every shop order's status, escrow, refunds and commission kept."""
    async with db.reading() as session:
        raw = await RawSQL.of(session)
        escrow = await raw.fetch(
            "SELECT owner_id, balance_minor FROM ledger_accounts WHERE kind = 'escrow'"
        )
        refunded = await raw.fetch("SELECT order_id, refunded_minor FROM order_money")
        returned = await raw.fetch(
            "SELECT order_id, SUM(commission_returned_minor) FROM order_line_money "
            "GROUP BY order_id"
        )
        rows = (
            await session.execute(
                select(Order.id, Order.status, OrderLine.commission_minor).join(
                    OrderLine, OrderLine.order_id == Order.id
                )
            )
        ).all()
    commission: dict[int, tuple[str, int]] = {}
    for order_id, status, minor in rows:
        _, so_far = commission.get(int(order_id), ("", 0))
        commission[int(order_id)] = (str(status), so_far + int(minor or 0))
    for order_id, minor in returned:  # commission given back by refunds after release
        status, so_far = commission[int(order_id)]
        commission[int(order_id)] = (status, so_far - int(minor or 0))
    held = {int(o): -int(b) for o, b in escrow}
    refunds = {int(o): int(r) for o, r in refunded}
    return {
        order_id: OrderMoney(status, held.get(order_id, 0), refunds.get(order_id, 0), kept)
        for order_id, (status, kept) in commission.items()
    }
