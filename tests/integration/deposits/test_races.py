"""Races on a database of their own (committed data, separate connections, released
together), on SQLite and PostgreSQL: 20 operators approving one pending deduction at once
execute it once (one journal entry, one audit record, 19 clean `deduction_not_pending`);
20 approvals of 20 deductions that together exceed the deposit never take it below zero."""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime

import pytest

from galerie.audit import AuditContext
from galerie.db import Database
from galerie.deposits import (
    DeductionNotPending,
    DeductionOutcome,
    DeductionPurpose,
    DepositInsufficient,
    approve_deduction,
    propose_deduction,
)
from tests.concurrency import together
from tests.integration.deposits.support import audits, ledger
from tests.integration.sellers.factories import People, insert_shop, make_people

NOW = datetime(2026, 11, 11, 12, 0, tzinfo=UTC)
CALLERS = 20
DATABASES = {"sqlite": 10, "postgresql": 2}
AUDIT = AuditContext(request_id="race")


@pytest.fixture
async def pools(fresh_url: str) -> AsyncIterator[list[Database]]:
    setup = Database.from_url(fresh_url)
    callers = [Database.from_url(fresh_url) for _ in range(DATABASES[setup.dialect])]
    yield [setup, *callers]
    for db in (setup, *callers):
        await db.dispose()


async def _propose(db: Database, people: People, shop: int, minor: int) -> DeductionOutcome:
    return await propose_deduction(
        db, actor=people["finance"], shop_id=shop, amount_minor=minor,
        purpose=DeductionPurpose.PENALTY, reason="Serious violation", approval_threshold_minor=0,
        now=NOW, audit=AUDIT,
    )  # fmt: skip


def _approvals(
    callers: list[Database], people: People, ids: list[int]
) -> list[Callable[[], Awaitable[DeductionOutcome]]]:
    """One approval per id, each on the next caller's connections."""
    return [
        functools.partial(
            approve_deduction,
            callers[n % len(callers)],
            actor=people["admin"],
            deduction_id=deduction_id,
            now=NOW,
            audit=AUDIT,
        )
        for n, deduction_id in enumerate(ids)
    ]


async def test_20_approvals_of_one_deduction_execute_it_once(pools: list[Database]) -> None:
    setup, *callers = pools
    people = await make_people(setup, NOW)
    shop = await insert_shop(
        setup, NOW, organisation_id=people.org, status="live", deposit_paid=True
    )
    pending = await _propose(setup, people, shop, 30_000)
    outcomes = await together(_approvals(callers, people, [pending.deduction_id] * CALLERS))
    done = [o for o in outcomes if isinstance(o, DeductionOutcome)]
    refused = [o for o in outcomes if isinstance(o, DeductionNotPending)]
    assert (len(done), len(refused)) == (1, CALLERS - 1)
    assert await ledger(setup) == {
        ("provider_clearing", 0): 100_000,
        ("deposits_held", shop): -70_000,
        ("commission_revenue", 0): -30_000,
    }
    assert await audits(setup, "deposits.deduction.approve") == 1


async def test_20_approvals_never_take_the_deposit_below_zero(pools: list[Database]) -> None:
    setup, *callers = pools
    people = await make_people(setup, NOW)
    shop = await insert_shop(
        setup, NOW, organisation_id=people.org, status="live", deposit_paid=True
    )
    pending = [await _propose(setup, people, shop, 10_000) for _ in range(CALLERS)]
    outcomes = await together(_approvals(callers, people, [p.deduction_id for p in pending]))
    done = [o for o in outcomes if isinstance(o, DeductionOutcome)]
    refused = [o for o in outcomes if isinstance(o, DepositInsufficient)]
    assert (len(done), len(refused)) == (10, 10)
    assert await ledger(setup) == {
        ("provider_clearing", 0): 100_000,
        ("commission_revenue", 0): -100_000,
    }
