"""Real refund races on a database of their own (committed data, separate connections), on
SQLite and PostgreSQL: 50 concurrent refunds of one order never refund more than was paid
(exactly the ones that fit succeed, the others get RefundExceedsPaid), and the ledger, our
refunds and the provider agree to the unit; 50 concurrent full refunds make one."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from galerie.audit import AuditRecord
from galerie.db import Database
from galerie.kernel import FixedClock, Money
from galerie.ledger import AccountKind
from galerie.payments import RecordedRefund, RefundExceedsPaid, refund_shop_order
from galerie.payments.refund_models import Refund
from tests.concurrency import together
from tests.integration.orders.factories import make_market
from tests.integration.payments.support import make_provider
from tests.integration.payments.test_paying_groups import _ledger
from tests.integration.payments.test_refunds import (
    PAID,
    _post,
    figures,
    paid_order,
    provider_refunded,
    release,
)
from tests.integration.payments.test_release import _receive

CALLS = 50
# SQLite: one writer connection per Database, so several make several contending writers.
DATABASES = {"sqlite": 8, "postgresql": 1}


@pytest.fixture
async def arena(fresh_url: str) -> AsyncIterator[tuple[Database, list[Database]]]:
    setup = Database.from_url(fresh_url)
    pools = [Database.from_url(fresh_url) for _ in range(DATABASES[setup.dialect])]
    yield setup, pools
    for database in (setup, *pools):
        await database.dispose()


async def _race(
    arena: tuple[Database, list[Database]], clock: FixedClock, tmp_path: Path, **how: Any
) -> tuple[int, list[RecordedRefund], list[BaseException]]:
    setup, pools = arena
    market = await make_market(setup, clock.now(), tmp_path)
    order_id, _ = await paid_order(setup, market, clock)

    def refund(n: int) -> Callable[[], Awaitable[RecordedRefund]]:
        pool = pools[n % len(pools)]
        provider = make_provider(pool, clock)
        return lambda: refund_shop_order(
            pool, provider, order_id=order_id, reason="race", key=f"race-{n}",
            now=clock.now(), **how,
        )  # fmt: skip

    outcomes = await together([refund(n) for n in range(CALLS)])
    done = [o for o in outcomes if isinstance(o, RecordedRefund)]
    refused = [o for o in outcomes if isinstance(o, BaseException)]
    return order_id, done, refused


async def _rows(db: Database) -> tuple[int, int, int]:
    """(refunds, their total, refund audit records)."""
    async with db.reading() as session:
        count, total = (
            await session.execute(
                select(func.count(), func.coalesce(func.sum(Refund.amount_minor), 0)).where(
                    Refund.status == "succeeded"
                )
            )
        ).one()
        audits = await session.scalar(
            select(func.count()).where(AuditRecord.action == "payments.refund")
        )
    return int(count), int(total), int(audits or 0)


async def test_fifty_concurrent_refunds_never_refund_more_than_was_paid(
    arena: tuple[Database, list[Database]], clock: FixedClock, tmp_path: Path
) -> None:
    setup, _ = arena
    order_id, done, refused = await _race(arena, clock, tmp_path, amount=Money(300, "CNY"))
    # the goods left to refund are 70.01 (shipping only with a full refund): 23 x 3.00 fit
    assert (len(done), len(refused)) == (23, 27)
    assert all(isinstance(r, RefundExceedsPaid) for r in refused), refused[:3]
    assert {r.status for r in done} == {"succeeded"}
    assert await _rows(setup) == (23, 6900, 23)
    assert (await figures(setup, order_id))[:2] == (PAID, 6900)
    assert await provider_refunded(setup, order_id) == 6900
    assert await _ledger(setup) == {  # the provider paid 69.00 back; escrow holds the rest
        ("provider_clearing", 0): PAID - 6900,
        ("escrow", order_id): -(PAID - 6900),
    }


async def test_fifty_concurrent_full_refunds_refund_once(
    arena: tuple[Database, list[Database]], clock: FixedClock, tmp_path: Path
) -> None:
    setup, _ = arena
    order_id, done, refused = await _race(arena, clock, tmp_path)
    assert (len(done), len(refused)) == (1, 49)
    assert all(isinstance(r, RefundExceedsPaid) for r in refused), refused[:3]
    assert await _rows(setup) == (1, PAID, 1)
    assert await provider_refunded(setup, order_id) == PAID
    assert await _ledger(setup) == {}


ORDERS = 5


async def test_concurrent_clawbacks_of_one_shop_take_the_payable_then_the_deposit(
    arena: tuple[Database, list[Database]], clock: FixedClock, tmp_path: Path
) -> None:
    """Five released orders of one shop refunded in full at once: whoever reads the payable
    first, together they take exactly what it holds and the deposit gives the rest."""
    setup, pools = arena
    market = await make_market(setup, clock.now(), tmp_path)
    shop = market.shops[0].shop_id
    orders = []
    for _ in range(ORDERS):
        order_id, _endpoint = await paid_order(setup, market, clock)
        await _receive(setup, market, clock, order_id)
        assert await release(setup, order_id, clock) == "released"
        orders.append(order_id)
    payable, deposit = (AccountKind.SELLER_PAYABLE, shop), (AccountKind.DEPOSITS_HELD, shop)
    clearing = (AccountKind.PROVIDER_CLEARING, None)
    transit = (AccountKind.PAYOUTS_IN_TRANSIT, None)
    await _post(setup, clock, "test-deposit", [(clearing, 50_000), (deposit, -50_000)])
    paid_out = ORDERS * 7041 - 10_000  # the payable keeps 100.00
    await _post(setup, clock, "test-payout", [(payable, paid_out), (transit, -paid_out)])

    def refund(n: int) -> Callable[[], Awaitable[RecordedRefund]]:
        pool = pools[n % len(pools)]
        return lambda: refund_shop_order(
            pool, make_provider(pool, clock), order_id=orders[n], reason="race",
            key=f"claw-{n}", now=clock.now(),
        )  # fmt: skip

    outcomes = await together([refund(n) for n in range(ORDERS)])
    assert all(isinstance(o, RecordedRefund) for o in outcomes), outcomes
    done = [o for o in outcomes if isinstance(o, RecordedRefund)]
    assert sum(r.from_payable_minor for r in done) == 10_000
    assert sum(r.from_deposit_minor for r in done) == ORDERS * 7041 - 10_000
    assert sum(r.commission_returned_minor for r in done) == ORDERS * 460
    assert await _ledger(setup) == {
        ("provider_clearing", 0): 50_000,
        ("deposits_held", shop): -(50_000 - (ORDERS * 7041 - 10_000)),
        ("payouts_in_transit", 0): -paid_out,
    }


async def test_fifty_concurrent_refunds_under_one_key_refund_once(
    arena: tuple[Database, list[Database]], clock: FixedClock, tmp_path: Path
) -> None:
    setup, pools = arena
    market = await make_market(setup, clock.now(), tmp_path)
    order_id, _ = await paid_order(setup, market, clock)

    def refund(n: int) -> Callable[[], Awaitable[RecordedRefund]]:
        pool = pools[n % len(pools)]
        return lambda: refund_shop_order(
            pool, make_provider(pool, clock), order_id=order_id, reason="double click",
            key="one-key", now=clock.now(), amount=Money(300, "CNY"),
        )  # fmt: skip

    outcomes = await together([refund(n) for n in range(CALLS)])
    done = [o for o in outcomes if isinstance(o, RecordedRefund)]
    assert len(done) == CALLS, [o for o in outcomes if not isinstance(o, RecordedRefund)][:3]
    assert len({r.refund_id for r in done}) == 1
    assert sum(not r.replayed for r in done) == 1
    assert await _rows(setup) == (1, 300, 1)
    assert await provider_refunded(setup, order_id) == 300
    assert await _ledger(setup) == {
        ("provider_clearing", 0): PAID - 300,
        ("escrow", order_id): -(PAID - 300),
    }
