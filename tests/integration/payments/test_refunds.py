"""Refunds of a shop order on SQLite and PostgreSQL, with exact figures. The order: a 19.99
teapot (3%) and two 25.01 shirts (8%), shipping 5.00, 75.01 paid through the sandbox.

Before release a refund comes out of escrow; the later release takes commission on what
remains. After release it is clawed back from the shop's payable, then its deposit, the
commission on the refunded part going back. The money reaches the buyer through the
provider once (its idempotency key), the ledger follows it, and `check_balances` agrees
after every step (`_ledger`). Refusals change nothing."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from galerie.audit import AuditRecord
from galerie.db import Database
from galerie.kernel import FixedClock, Money
from galerie.ledger import AccountKind, account_for, credit, debit, post_entry
from galerie.ledger.models import JournalEntry, JournalLine, LedgerAccount
from galerie.orders import mark_group_paid
from galerie.orders.models import Order, OrderLine
from galerie.payments import (
    BadRefund,
    OrderNotRefundable,
    RefundExceedsPaid,
    RefundKeyReused,
    RefundNotCovered,
    refund_order,
    refund_shop_order,
    release_escrow,
)
from galerie.payments.models import Payment
from galerie.payments.refund_models import OrderLineMoney, OrderMoney, Refund
from tests.integration.orders.factories import Market
from tests.integration.payments.support import Endpoint, make_provider, payment_row
from tests.integration.payments.test_paying_groups import (
    _deliver,
    _group,
    _ledger,
    _pay,
)
from tests.integration.payments.test_release import _lines, _order, _receive

PAID = 7501


async def paid_order(db: Database, market: Market, clock: FixedClock) -> tuple[int, Endpoint]:
    """The order, paid and captured into escrow: (order id, our webhook endpoint)."""
    group_id, order_id = await _order(db, market, clock)
    endpoint = await _pay(db, market, clock, group_id)
    assert await _deliver(db, clock, endpoint) == 1
    return order_id, endpoint


async def line_ids(db: Database, order_id: int) -> list[int]:
    async with db.reading() as session:
        rows = await session.scalars(
            select(OrderLine.id).where(OrderLine.order_id == order_id).order_by(OrderLine.id)
        )
        return list(rows)


async def refunds(db: Database) -> list[tuple[Any, ...]]:
    """(key, status, amount, from escrow, payable, deposit, commission returned)."""
    async with db.reading() as session:
        rows = await session.execute(
            select(
                Refund.key, Refund.status, Refund.amount_minor, Refund.from_escrow_minor,
                Refund.from_payable_minor, Refund.from_deposit_minor,
                Refund.commission_returned_minor,
            ).order_by(Refund.id)
        )  # fmt: skip
        return [tuple(row) for row in rows]


async def figures(db: Database, order_id: int) -> tuple[Any, ...]:
    """(paid, refunded, open holds, released?) and each line's (refunded, commission back)."""
    async with db.reading() as session:
        order = (
            await session.execute(
                select(
                    OrderMoney.paid_minor, OrderMoney.refunded_minor, OrderMoney.release_holds,
                    OrderMoney.released_at.is_not(None),
                ).where(OrderMoney.order_id == order_id)
            )
        ).one()  # fmt: skip
        lines = await session.execute(
            select(OrderLineMoney.refunded_minor, OrderLineMoney.commission_returned_minor)
            .where(OrderLineMoney.order_id == order_id)
            .order_by(OrderLineMoney.order_line_id)
        )
        return (*order, [tuple(line) for line in lines])


async def audited(db: Database) -> int:
    async with db.reading() as session:
        return int(
            await session.scalar(
                select(func.count())
                .select_from(AuditRecord)
                .where(AuditRecord.action == "payments.refund")
            )
            or 0
        )


async def provider_refunded(db: Database, order_id: int) -> int:
    """What the sandbox provider has refunded of the order's payment."""
    async with db.reading() as session:
        pid = await session.scalar(select(Payment.provider_payment_id))
    assert pid is not None
    return (await payment_row(db, pid)).refunded_minor


async def refund(db: Database, endpoint: Endpoint, order_id: int, key: str, **how: Any) -> Any:
    return await refund_shop_order(
        db, endpoint.provider, order_id=order_id, reason="damaged in transit", key=key,
        now=endpoint.clock.now(), **how,
    )  # fmt: skip


async def release(db: Database, order_id: int, clock: FixedClock) -> str:
    async with db.transaction() as session:
        return await release_escrow(session, order_id=order_id, now=clock.now())


async def test_a_full_refund_before_release_gives_everything_back_from_escrow(
    db: Database, market: Market, clock: FixedClock
) -> None:
    order_id, endpoint = await paid_order(db, market, clock)
    done = await refund(db, endpoint, order_id, "full-1")
    assert (done.status, done.amount, done.from_escrow_minor) == (
        "succeeded", Money(PAID, "CNY"), PAID,
    )  # fmt: skip
    assert await _ledger(db) == {}  # escrow -> refunds -> out of provider clearing: all zero
    assert await provider_refunded(db, order_id) == PAID
    assert await figures(db, order_id) == (PAID, PAID, 0, False, [(1999, 0), (5002, 0)])
    assert await refunds(db) == [("full-1", "succeeded", PAID, PAID, 0, 0, 0)]
    assert await audited(db) == 1
    with pytest.raises(RefundExceedsPaid):
        await refund(db, endpoint, order_id, "full-2")
    # the provider's refund webhook arrives after our answer was recorded: nothing changes
    assert await _deliver(db, clock, endpoint) == 1
    assert endpoint.outcomes == ["succeeded", "duplicate"]
    await _receive(db, market, clock, order_id)
    assert await release(db, order_id, clock) == "fully_refunded"
    assert await _ledger(db) == {}
    assert await _lines(db, order_id) == [(300, 0), (800, 0)]
    assert (await refunds(db), await audited(db)) == (
        [("full-1", "succeeded", PAID, PAID, 0, 0, 0)], 1,
    )  # fmt: skip


async def test_a_partial_refund_before_release_leaves_the_release_exact(
    db: Database, market: Market, clock: FixedClock
) -> None:
    order_id, endpoint = await paid_order(db, market, clock)
    done = await refund(db, endpoint, order_id, "part-1", amount=Money(1000, "CNY"))
    assert (done.status, done.from_escrow_minor) == ("succeeded", 1000)
    # 10.00 over what remains of the goods (19.99, 50.02) by largest remainder: 2.86, 7.14
    assert await figures(db, order_id) == (PAID, 1000, 0, False, [(286, 0), (714, 0)])
    assert await _ledger(db) == {("provider_clearing", 0): 6501, ("escrow", order_id): -6501}
    await _receive(db, market, clock, order_id)
    assert await release(db, order_id, clock) == "released"
    # commission on what remains: 17.13 x 3% = 0.5139, 42.88 x 8% = 3.4304: 3.94 in all
    assert await _lines(db, order_id) == [(300, 51), (800, 343)]
    shop = market.shops[0].shop_id
    share = 6501 - 394  # remaining goods 60.01 + shipping 5.00, less the commission
    assert await _ledger(db) == {
        ("provider_clearing", 0): 6501,
        ("seller_payable", shop): -share,
        ("commission_revenue", 0): -394,
    }
    assert share + 394 + 1000 == PAID  # paid = seller share + commission + refunded
    assert await provider_refunded(db, order_id) == 1000


async def test_a_line_refund_is_capped_at_the_line_and_the_release_skips_it(
    db: Database, market: Market, clock: FixedClock
) -> None:
    order_id, endpoint = await paid_order(db, market, clock)
    teapot, shirts = await line_ids(db, order_id)
    with pytest.raises(RefundExceedsPaid):
        await refund(db, endpoint, order_id, "line-0", line_id=teapot, amount=Money(2000, "CNY"))
    done = await refund(db, endpoint, order_id, "line-1", line_id=teapot)
    assert (done.amount.minor, done.order_line_id) == (1999, teapot)
    with pytest.raises(RefundExceedsPaid):  # nothing left of the teapot
        await refund(db, endpoint, order_id, "line-2", line_id=teapot, amount=Money(1, "CNY"))
    with pytest.raises(BadRefund):  # not a line of this order
        await refund(db, endpoint, order_id, "line-3", line_id=shirts + 1000)
    with pytest.raises(RefundExceedsPaid):  # more than the goods left: shipping only in full
        await refund(db, endpoint, order_id, "part-9", amount=Money(5003, "CNY"))
    assert await figures(db, order_id) == (PAID, 1999, 0, False, [(1999, 0), (0, 0)])
    assert (len(await refunds(db)), await audited(db)) == (1, 1)
    await _receive(db, market, clock, order_id)
    assert await release(db, order_id, clock) == "released"
    assert await _lines(db, order_id) == [(300, 0), (800, 400)]
    shop = market.shops[0].shop_id
    assert await _ledger(db) == {
        ("provider_clearing", 0): 5502,
        ("seller_payable", shop): -5102,  # 50.02 + 5.00 - 4.00
        ("commission_revenue", 0): -400,
    }
    assert PAID == 5102 + 400 + 1999


async def _released(db: Database, market: Market, clock: FixedClock) -> tuple[int, Endpoint]:
    order_id, endpoint = await paid_order(db, market, clock)
    await _receive(db, market, clock, order_id)
    assert await release(db, order_id, clock) == "released"
    return order_id, endpoint


async def _post(db: Database, clock: FixedClock, key: str, moves: list[tuple[Any, int]]) -> None:
    """A test's own journal entry: (kind, owner) debited by the amount (credit if < 0)."""
    async with db.transaction() as session:
        lines = []
        for (kind, owner), minor in moves:
            account = await account_for(
                session, kind=kind, currency="CNY", now=clock.now(), owner_id=owner
            )
            amount = Money(abs(minor), "CNY")
            lines.append(debit(account.id, amount) if minor > 0 else credit(account.id, amount))
        await post_entry(session, key=key, lines=lines, memo="test", now=clock.now())


async def test_after_release_a_refund_is_clawed_back_from_the_payable(
    db: Database, market: Market, clock: FixedClock
) -> None:
    order_id, endpoint = await _released(db, market, clock)
    _, shirts = await line_ids(db, order_id)
    shop = market.shops[0].shop_id
    part = await refund(
        db, endpoint, order_id, "after-1", line_id=shirts, amount=Money(1000, "CNY")
    )
    # 10.00 of 50.02 carrying 4.00 commission: 0.7997 -> 0.80 goes back; the seller 9.20
    assert (part.from_payable_minor, part.commission_returned_minor, part.status) == (
        920, 80, "succeeded",
    )  # fmt: skip
    rest = await refund(db, endpoint, order_id, "after-2", line_id=shirts)
    assert (rest.amount.minor, rest.from_payable_minor, rest.commission_returned_minor) == (
        4002, 3682, 320,
    )  # fmt: skip
    assert await figures(db, order_id) == (PAID, 5002, 0, True, [(0, 0), (5002, 400)])
    assert await _ledger(db) == {
        ("provider_clearing", 0): 2499,
        ("seller_payable", shop): -(7041 - 920 - 3682),  # 24.39
        ("commission_revenue", 0): -60,
    }
    assert PAID == 2439 + 60 + 5002
    assert await provider_refunded(db, order_id) == 5002


async def test_after_release_the_deposit_covers_what_the_payable_cannot(
    db: Database, market: Market, clock: FixedClock
) -> None:
    order_id, endpoint = await _released(db, market, clock)
    _, shirts = await line_ids(db, order_id)
    shop = market.shops[0].shop_id
    payable, deposit = (AccountKind.SELLER_PAYABLE, shop), (AccountKind.DEPOSITS_HELD, shop)
    clearing, transit = (
        (AccountKind.PROVIDER_CLEARING, None),
        (AccountKind.PAYOUTS_IN_TRANSIT, None),
    )
    await _post(db, clock, "test-deposit", [(clearing, 10_000), (deposit, -10_000)])
    await _post(db, clock, "test-payout", [(payable, 7000), (transit, -7000)])
    done = await refund(db, endpoint, order_id, "claw-1", line_id=shirts)
    # the seller's part 46.02: 0.41 from the payable, 45.61 from the deposit; 4.00 commission
    assert (done.from_payable_minor, done.from_deposit_minor, done.commission_returned_minor) == (
        41, 4561, 400,
    )  # fmt: skip
    assert await _ledger(db) == {
        ("provider_clearing", 0): PAID + 10_000 - 5002,
        ("deposits_held", shop): -(10_000 - 4561),
        ("commission_revenue", 0): -60,
        ("payouts_in_transit", 0): -7000,
    }


async def test_a_refund_neither_payable_nor_deposit_covers_changes_nothing(
    db: Database, market: Market, clock: FixedClock
) -> None:
    order_id, endpoint = await _released(db, market, clock)
    teapot, shirts = await line_ids(db, order_id)
    shop = market.shops[0].shop_id
    payable, deposit = (AccountKind.SELLER_PAYABLE, shop), (AccountKind.DEPOSITS_HELD, shop)
    clearing, transit = (
        (AccountKind.PROVIDER_CLEARING, None),
        (AccountKind.PAYOUTS_IN_TRANSIT, None),
    )
    await _post(db, clock, "test-deposit", [(clearing, 2000), (deposit, -2000)])
    await _post(db, clock, "test-payout", [(payable, 7000), (transit, -7000)])
    before = await _ledger(db)
    with pytest.raises(RefundNotCovered) as refused:
        await refund(db, endpoint, order_id, "claw-2", line_id=shirts)
    assert refused.value.details == {"seller_part": 4602, "payable": 41, "deposit": 2000}
    assert await _ledger(db) == before
    assert await figures(db, order_id) == (PAID, 0, 0, True, [(0, 0), (0, 0)])
    assert (await refunds(db), await audited(db), await provider_refunded(db, order_id)) == (
        [], 0, 0,
    )  # fmt: skip
    # what they do cover still goes through: the teapot's 19.99 (0.60 commission back)
    done = await refund(db, endpoint, order_id, "claw-3", line_id=teapot)
    assert (done.from_payable_minor, done.from_deposit_minor, done.commission_returned_minor) == (
        41, 1898, 60,
    )  # fmt: skip


async def test_a_replay_by_key_posts_nothing_and_another_body_is_refused(
    db: Database, market: Market, clock: FixedClock
) -> None:
    order_id, endpoint = await paid_order(db, market, clock)
    first = await refund(db, endpoint, order_id, "same-key", amount=Money(700, "CNY"))
    state = (await _ledger(db), await refunds(db), await audited(db))
    again = await refund(db, endpoint, order_id, "same-key", amount=Money(700, "CNY"))
    assert (again.refund_id, again.replayed, again.status) == (first.refund_id, True, "succeeded")
    async with db.transaction() as session:  # the primitive too
        inner = await refund_order(
            session, order_id=order_id, reason="again", key="same-key", now=clock.now()
        )
    assert inner.replayed
    assert (await _ledger(db), await refunds(db), await audited(db)) == state
    assert await provider_refunded(db, order_id) == 700
    with pytest.raises(RefundKeyReused):
        await refund(db, endpoint, order_id, "same-key", amount=Money(701, "CNY"))
    assert (await _ledger(db), await refunds(db), await audited(db)) == state


async def test_bad_requests_are_refused_and_change_nothing(
    db: Database, market: Market, clock: FixedClock
) -> None:
    order_id, endpoint = await paid_order(db, market, clock)
    before = await _ledger(db)
    for key, how in [
        ("neg", {"amount": Money(-1, "CNY")}),
        ("zero", {"amount": Money(0, "CNY")}),
        ("usd", {"amount": Money(100, "USD")}),
        ("bad key!", {}),
    ]:
        with pytest.raises(BadRefund):
            await refund(db, endpoint, order_id, key, **how)
    with pytest.raises(BadRefund):
        await refund_shop_order(
            db, endpoint.provider, order_id=order_id, reason="  ", key="blank", now=clock.now()
        )
    with pytest.raises(RefundExceedsPaid):
        await refund(db, endpoint, order_id, "too-much", amount=Money(PAID + 1, "CNY"))
    assert (await _ledger(db), await refunds(db), await audited(db)) == (before, [], 0)


async def test_an_order_paid_without_the_provider_cannot_be_refunded(
    db: Database, market: Market, clock: FixedClock
) -> None:
    group_id, order_id = await _order(db, market, clock)
    async with db.transaction() as session:
        await mark_group_paid(session, payment_group_id=group_id, now=clock.now())
    endpoint = Endpoint(db, make_provider(db, clock), clock)
    with pytest.raises(OrderNotRefundable):
        await refund(db, endpoint, order_id, "none-held")
    assert (await _ledger(db), await refunds(db)) == ({}, [])


async def _split(db: Database, order_id: int, shop: int) -> tuple[int, int, int]:
    """From the order's own journal entries (its release and refunds): (seller share,
    commission, refunded) as they stand."""
    async with db.reading() as session:
        keys = [
            f"release:{order_id}",
            *await session.scalars(select(Refund.key).where(Refund.order_id == order_id)),
        ]
        rows = await session.execute(
            select(LedgerAccount.kind, LedgerAccount.owner_id, JournalLine.amount_minor)
            .join(JournalLine, JournalLine.account_id == LedgerAccount.id)
            .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
            .where(JournalEntry.key.in_([keys[0], *(f"refund:{k}" for k in keys[1:])]))
        )
        sums: dict[str, int] = {}
        for kind, owner, minor in rows:
            if kind in {"seller_payable", "deposits_held"}:
                assert owner == shop
                kind = "seller"
            sums[kind] = sums.get(kind, 0) - minor  # credit-normal: natural = -signed
    return sums.get("seller", 0), sums.get("commission_revenue", 0), sums.get("refunds", 0)


async def test_paid_is_share_plus_commission_plus_refunded_through_a_mixed_history(
    db: Database, market: Market, clock: FixedClock
) -> None:
    order_id, endpoint = await paid_order(db, market, clock)
    teapot, shirts = await line_ids(db, order_id)
    shop = market.shops[0].shop_id
    await refund(db, endpoint, order_id, "mix-1", amount=Money(333, "CNY"))
    await refund(db, endpoint, order_id, "mix-2", line_id=shirts, amount=Money(777, "CNY"))
    await _receive(db, market, clock, order_id)
    assert await release(db, order_id, clock) == "released"
    history = [await _split(db, order_id, shop)]
    steps: list[tuple[str, dict[str, Any]]] = [
        ("mix-3", {"line_id": teapot, "amount": Money(101, "CNY")}),
        ("mix-4", {"amount": Money(999, "CNY")}),
        ("mix-5", {"line_id": shirts}),
        ("mix-6", {}),
    ]
    for key, how in steps:
        await refund(db, endpoint, order_id, key, **how)
        history.append(await _split(db, order_id, shop))
    assert all(sum(step) == PAID for step in history), history
    # 3.33 spread 0.95 / 2.38, then 7.77 of the shirts: the release takes 0.57 + 3.19 on
    # what remains (19.04, 39.87); then 1.01 of the teapot returns 0.03 (1.01 x 0.57 /
    # 19.04); 9.99 spread 3.11 / 6.88 returns 0.09 + 0.55; the shirts' rest returns all
    # 2.64 left of theirs; the full refund the teapot's last 0.45 and the shipping fee.
    assert history == [
        (6015, 376, 1110), (5917, 373, 1211), (4982, 309, 2210), (1947, 45, 5509),
        (0, 0, PAID),
    ]  # fmt: skip
    assert await _ledger(db) == {}  # everything went back, through the provider
    assert await provider_refunded(db, order_id) == PAID


async def test_each_order_of_a_two_shop_payment_is_refunded_within_its_own_total(
    db: Database, market: Market, clock: FixedClock
) -> None:
    """One payment for a two-shop cart: one order's refund cannot take the other's money,
    though the provider's payment could still refund it."""
    group_id = await _group(db, market, clock)
    endpoint = await _pay(db, market, clock, group_id)
    assert await _deliver(db, clock, endpoint) == 1
    async with db.reading() as session:
        rows = await session.execute(
            select(Order.id, Order.total_minor, Order.goods_total_minor)
            .where(Order.payment_group_id == group_id)
            .order_by(Order.id)
        )
        (first, total_a, _), (second, total_b, goods_b) = [tuple(map(int, r)) for r in rows]
    assert (total_a, total_b, goods_b) == (1500, 1500, 1000)  # 10.00 + 5.00 shipping each
    done = await refund(db, endpoint, first, "two-a")
    assert (done.amount.minor, done.status) == (total_a, "succeeded")
    with pytest.raises(RefundExceedsPaid):  # the first order's money is gone, not the second's
        await refund(db, endpoint, first, "two-b", amount=Money(1, "CNY"))
    with pytest.raises(RefundExceedsPaid):
        await refund(db, endpoint, second, "two-c", amount=Money(goods_b + 1, "CNY"))
    assert await _ledger(db) == {
        ("provider_clearing", 0): total_b,
        ("escrow", second): -total_b,
    }
    assert await provider_refunded(db, first) == total_a
