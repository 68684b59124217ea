"""A group's `payment.succeeded` webhook costs a fixed number of statements whatever the
number of shops and lines: on PostgreSQL two, the read and ONE write statement holding the
conditional UPDATE of each SKU (galerie.payments.capture_one, ADR 0018); on SQLite a fixed
number beside inventory's one conditional UPDATE per SKU (galerie.payments.capture, ADR
0013)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from galerie.db import Database
from galerie.kernel import FixedClock
from galerie.ledger import check_balances
from galerie.orders.models import Order, PaymentGroup
from galerie.payments import apply_provider_event
from tests.integration.orders.factories import Market
from tests.integration.payments.groups import paid_group
from tests.web.statement_counter import counting_statements

# PostgreSQL: the read (the payment, its group, orders, lines and levels, the clearing
# account, the ids to write) and the one statement writing everything (ADR 0018). SQLite
# runs each alone, in process: the event, the payment, the group, the orders, the lines, the
# clearing account, the escrow accounts, the entry id, the journal lines, the movements, the
# history, the events, the header, the clearing balance and the outcome, beside one UPDATE
# per SKU.
FIXED = {"postgresql": 2, "sqlite": 15}


def _without_trigger_traces(seen: list[str]) -> list[str]:
    """SQLite's trace callback reports a statement again for each row its triggers run on
    (the journal's insert triggers), its values inline: one statement is one run of the
    same text."""
    return [s for n, s in enumerate(seen) if n == 0 or seen[n - 1] != s]


@pytest.mark.parametrize(("shops", "per_shop"), [(1, 1), (3, 2)])
async def test_a_payment_webhook_costs_fixed_statements(
    db: Database, market: Market, clock: FixedClock, shops: int, per_shop: int
) -> None:
    first = (await paid_group(db, market, clock)).event  # opens provider clearing
    assert await apply_provider_event(db, provider="sandbox", event=first, now=clock.now()) == (
        "succeeded"
    )
    paid = await paid_group(db, market, clock, shops=shops, per_shop=per_shop)
    event, skus = paid.event, paid.skus
    async with counting_statements(db) as statements:
        outcome = await apply_provider_event(db, provider="sandbox", event=event, now=clock.now())
    assert outcome == "succeeded"
    seen = statements.seen
    if db.dialect == "sqlite":
        seen = _without_trigger_traces(seen)
    assert len(seen) == FIXED[db.dialect] + (skus if db.dialect == "sqlite" else 0), "\n".join(
        s[:120] for s in seen
    )
    updates = sum(s.count("UPDATE stock_levels SET") for s in seen)
    assert updates == skus, "\n".join(s[:120] for s in seen)
    # no row of an account is updated: escrow accounts are opened with their balance, the
    # hot provider clearing account takes a delta row (ADR 0017)
    assert not [s for s in seen if "UPDATE ledger_accounts" in s], seen
    assert len([s for s in seen if "INSERT INTO ledger_balance_deltas" in s]) == 1
    async with db.reading() as session:
        statuses = set(await session.scalars(select(Order.status)))
        groups = set(await session.scalars(select(PaymentGroup.status)))
    assert (statuses, groups) == ({"paid"}, {"paid"})
    assert (await check_balances(db)).ok
    again = await apply_provider_event(db, provider="sandbox", event=event, now=clock.now())
    assert again == "duplicate"
