"""Below the requirement, on SQLite and PostgreSQL with a controlled clock: a deduction
from a live shop's deposit asks the seller to top up (one DepositTopUpRequested) and starts
a 15-day countdown; the timer restricts the shop at the deadline, not before, once; a
top-up in time ends the countdown (the timer then does nothing); a top-up after the
restriction lifts it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from galerie.audit import AuditContext
from galerie.db import Database
from galerie.deposits import (
    TOP_UP_PERIOD,
    DeductionPurpose,
    propose_deduction,
    record_deposit_transfer,
    restrict_overdue_shops,
)
from galerie.inventory import InsufficientStock
from galerie.kernel import FixedClock, Forbidden
from galerie.orders import ShopUnavailable, place_order
from galerie.sellers import ShopAction, change_shop_status
from galerie.workers.timers import run_timers
from tests.integration.deposits.support import events, ledger, shop_state
from tests.integration.orders.factories import ADDRESS, insert_live_sku, ship
from tests.integration.sellers.factories import People, insert_shop

HELD = 100_000


async def _short(
    db: Database, clock: FixedClock, people: People, audit: AuditContext, minor: int
) -> int:
    shop = await insert_shop(
        db, clock.now(), organisation_id=people.org, status="live", deposit_paid=True
    )
    await propose_deduction(
        db, actor=people["finance"], shop_id=shop, amount_minor=minor,
        purpose=DeductionPurpose.PENALTY, reason="Violation", approval_threshold_minor=HELD,
        now=clock.now(), audit=audit,
    )  # fmt: skip
    return shop


async def _order(db: Database, clock: FixedClock, people: People, shop: int, sku: int) -> None:
    async with db.transaction() as session:
        await place_order(
            session, buyer_id=people["shopper"].user_id, lines=[(sku, 1)], shipping=ship(shop),
            address=ADDRESS, now=clock.now(),
        )  # fmt: skip


async def _top_up(
    db: Database, clock: FixedClock, people: People, shop: int, audit: AuditContext
) -> None:
    await record_deposit_transfer(
        db, actor=people["finance"], shop_id=shop, reference="Top-up wire", now=clock.now(),
        audit=audit,
    )  # fmt: skip


async def test_not_topped_up_in_15_days_the_shop_is_restricted_and_a_top_up_lifts_it(
    db: Database, clock: FixedClock, people: People, audit: AuditContext
) -> None:
    start = clock.now()
    shop = await _short(db, clock, people, audit, 30_000)
    sku = await insert_live_sku(db, clock.now(), shop_id=shop)
    asked = await events(db, "DepositTopUpRequested")
    assert [(e["shop_id"], e["shortfall_minor"], e["currency"]) for e in asked] == [
        (shop, 30_000, "CNY")
    ]
    clock.advance(timedelta(days=15) - timedelta(seconds=1))
    assert await restrict_overdue_shops(db, now=clock.now()) == 0
    assert await shop_state(db, shop) == ("live", 70_000)
    clock.advance(timedelta(seconds=1))
    assert (await run_timers(db, clock))["deposit_restrictions"] == 1
    assert await shop_state(db, shop) == ("restricted", 70_000)
    with pytest.raises(ShopUnavailable):  # hidden: no new orders
        await _order(db, clock, people, shop, sku)
    assert await restrict_overdue_shops(db, now=clock.now()) == 0  # once
    assert len(await events(db, "ShopRestricted")) == 1
    await _top_up(db, clock, people, shop, audit)
    assert await shop_state(db, shop) == ("live", HELD)
    assert len(await events(db, "ShopRestrictionLifted")) == 1
    with pytest.raises(InsufficientStock):  # selling again (its stock is another matter)
        await _order(db, clock, people, shop, sku)
    assert await ledger(db) == {
        ("provider_clearing", 0): HELD + 30_000,
        ("deposits_held", shop): -HELD,
        ("commission_revenue", 0): -30_000,
    }
    assert clock.now() - start == timedelta(days=15)


async def test_topping_up_in_time_cancels_the_countdown(
    db: Database, clock: FixedClock, people: People, audit: AuditContext
) -> None:
    shop = await _short(db, clock, people, audit, 1)
    clock.advance(timedelta(days=10))
    await _top_up(db, clock, people, shop, audit)
    clock.advance(timedelta(days=30))
    assert await restrict_overdue_shops(db, now=clock.now()) == 0
    assert await shop_state(db, shop) == ("live", HELD)
    assert await events(db, "ShopRestricted") == []
    # a second shortfall starts a new countdown and asks again
    await propose_deduction(
        db, actor=people["finance"], shop_id=shop, amount_minor=5, reason="Again",
        purpose=DeductionPurpose.PENALTY, approval_threshold_minor=HELD, now=clock.now(),
        audit=audit,
    )  # fmt: skip
    assert len(await events(db, "DepositTopUpRequested")) == 2


async def test_a_preparing_shop_below_its_deposit_gets_no_countdown(
    db: Database, clock: FixedClock, people: People, audit: AuditContext
) -> None:
    shop = await insert_shop(db, clock.now(), organisation_id=people.org)
    await propose_deduction(
        db, actor=people["finance"], shop_id=shop, amount_minor=10, reason="Fine",
        purpose=DeductionPurpose.PENALTY, approval_threshold_minor=HELD, now=clock.now(),
        audit=audit,
    )  # fmt: skip
    assert await events(db, "DepositTopUpRequested") == []
    clock.advance(timedelta(days=20))
    assert await restrict_overdue_shops(db, now=clock.now()) == 0
    assert await shop_state(db, shop) == ("preparing", HELD - 10)


async def test_operators_may_still_suspend_a_restricted_shop_and_a_top_up_then_lifts_nothing(
    db: Database, clock: FixedClock, people: People, audit: AuditContext
) -> None:
    shop = await _short(db, clock, people, audit, 500)
    clock.advance(TOP_UP_PERIOD)
    assert await restrict_overdue_shops(db, now=clock.now()) == 1
    with pytest.raises(Forbidden):  # the system's step, not a seller's or an operator's
        await change_shop_status(
            db, actor=people["admin"], shop_id=shop, action=ShopAction.LIFT_RESTRICTION,
            now=clock.now(), audit=audit,
        )  # fmt: skip
    suspended = await change_shop_status(
        db, actor=people["moderation"], shop_id=shop, action=ShopAction.SUSPEND,
        reason="Counterfeit reports", now=clock.now(), audit=audit,
    )  # fmt: skip
    assert suspended == "suspended"
    await _top_up(db, clock, people, shop, audit)
    assert await shop_state(db, shop) == ("suspended", HELD)  # the suspension stands
    assert await events(db, "ShopRestrictionLifted") == []
