"""Real races of the payment webhook's hot path (galerie.payments.capture, one raw write
transaction) on a database of their own, on SQLite and PostgreSQL: one event delivered many
times at once is applied once; many groups paid at once (each webhook crediting the one
provider clearing account) are all captured, with the cached balances equal to the journal;
a payment racing the unpaid-order timer either pays the group or is owed back, never both."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import func, select

from galerie.db import Database
from galerie.kernel import FixedClock
from galerie.ledger import AccountKind, balance_of, check_balances, find_account
from galerie.ledger.models import JournalEntry
from galerie.orders import close_unpaid_groups
from galerie.orders.models import Order, PaymentGroup
from galerie.payments import ProviderEvent, apply_provider_event
from tests.concurrency import together
from tests.integration.orders.factories import make_market
from tests.integration.payments.groups import PaidGroup, paid_group

# SQLite: one writer connection per Database, so several make several contending writers.
DATABASES = {"sqlite": 4, "postgresql": 1}
DELIVERIES = 20
GROUPS = 12


@pytest.fixture
async def arena(fresh_url: str) -> AsyncIterator[tuple[Database, list[Database]]]:
    setup = Database.from_url(fresh_url)
    pools = [Database.from_url(fresh_url) for _ in range(DATABASES[setup.dialect])]
    yield setup, pools
    for database in (setup, *pools):
        await database.dispose()


def _deliver(db: Database, event: ProviderEvent, clock: FixedClock) -> Callable[[], Awaitable[str]]:
    return partial(apply_provider_event, db, provider="sandbox", event=event, now=clock.now())


async def _entries(db: Database, key: str) -> int:
    async with db.reading() as session:
        found = await session.scalar(
            select(func.count()).select_from(JournalEntry).where(JournalEntry.key == key)
        )
        return int(found or 0)


async def _group_status(db: Database, group_id: int) -> tuple[str, set[str]]:
    async with db.reading() as session:
        group = await session.scalar(select(PaymentGroup.status).where(PaymentGroup.id == group_id))
        orders = await session.scalars(
            select(Order.status).where(Order.payment_group_id == group_id)
        )
        return str(group), set(orders)


async def test_one_event_delivered_at_once_many_times_is_applied_once(
    arena: tuple[Database, list[Database]], clock: FixedClock, tmp_path: Path
) -> None:
    setup, pools = arena
    market = await make_market(setup, clock.now(), tmp_path)
    paid = await paid_group(setup, market, clock, shops=2)
    outcomes = await together(
        [_deliver(pools[n % len(pools)], paid.event, clock) for n in range(DELIVERIES)]
    )
    assert sorted(map(str, outcomes)) == ["duplicate"] * (DELIVERIES - 1) + ["succeeded"]
    assert await _group_status(setup, paid.group_id) == ("paid", {"paid"})
    assert await _entries(setup, f"capture:{paid.payment_id}") == 1
    assert (await check_balances(setup)).ok


async def test_many_groups_paid_at_once_are_all_captured_into_one_clearing_account(
    arena: tuple[Database, list[Database]], clock: FixedClock, tmp_path: Path
) -> None:
    setup, pools = arena
    market = await make_market(setup, clock.now(), tmp_path)
    groups: list[PaidGroup] = [await paid_group(setup, market, clock) for _ in range(GROUPS)]
    outcomes = await together(
        [_deliver(pools[n % len(pools)], g.event, clock) for n, g in enumerate(groups)]
    )
    assert outcomes == ["succeeded"] * GROUPS
    for g in groups:
        assert await _group_status(setup, g.group_id) == ("paid", {"paid"})
    async with setup.reading() as session:
        clearing = await find_account(session, kind=AccountKind.PROVIDER_CLEARING, currency="CNY")
        assert clearing is not None
        held = await balance_of(session, account_id=clearing.id)
    assert held.minor == sum(g.event.amount.minor for g in groups)
    assert (await check_balances(setup)).ok


async def test_a_payment_racing_the_unpaid_timer_pays_the_group_or_is_owed_back(
    arena: tuple[Database, list[Database]], clock: FixedClock, tmp_path: Path
) -> None:
    setup, pools = arena
    market = await make_market(setup, clock.now(), tmp_path)
    paid = await paid_group(setup, market, clock, shops=2)
    late = clock.now() + timedelta(days=1)  # past the group's pay-by time
    outcome, closed = await together(
        [
            lambda: apply_provider_event(pools[0], provider="sandbox", event=paid.event, now=late),
            lambda: close_unpaid_groups(pools[-1], now=late),
        ]
    )
    status = await _group_status(setup, paid.group_id)
    captured = await _entries(setup, f"capture:{paid.payment_id}")
    owed = await _entries(setup, f"owed-back:{paid.payment_id}")
    if outcome == "succeeded":
        assert (closed, status, captured, owed) == (0, ("paid", {"paid"}), 1, 0)
    else:
        assert (outcome, closed, status) == ("refund_due", 1, ("closed", {"closed"}))
        assert (captured, owed) == (0, 1)
    assert (await check_balances(setup)).ok
