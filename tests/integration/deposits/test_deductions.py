"""Operators deduct from a shop's deposit, on SQLite and PostgreSQL: at or below the
approval threshold at once; above it only when a second operator approves (never the
proposer); a rejection moves nothing; a deduction never takes the deposit below zero and a
refused one changes nothing; a penalty goes to commission revenue, a compensation to the
refunds account; one audit record per decision."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from galerie.audit import AuditContext
from galerie.db import Database
from galerie.deposits import (
    DeductionNotPending,
    DeductionPurpose,
    DeductionStatus,
    DepositInsufficient,
    ProposerCannotDecide,
    approve_deduction,
    propose_deduction,
    record_deposit_transfer,
    reject_deduction,
)
from galerie.deposits.models import DepositDeduction
from galerie.kernel import FixedClock, Forbidden, ValidationFailed
from tests.integration.deposits.support import audits, ledger
from tests.integration.sellers.factories import People, insert_shop

HELD = 100_000
THRESHOLD = 20_000


async def _live(db: Database, clock: FixedClock, people: People) -> int:
    return await insert_shop(
        db, clock.now(), organisation_id=people.org, status="live", deposit_paid=True
    )


def _figures(shop: int, held: int, **others: int) -> dict[tuple[str, int], int]:
    figures = {("provider_clearing", 0): HELD, ("deposits_held", shop): -held}
    figures |= {(kind, 0): -amount for kind, amount in others.items()}
    return {k: v for k, v in figures.items() if v}


async def test_a_small_penalty_is_deducted_at_once(
    db: Database, clock: FixedClock, people: People, audit: AuditContext
) -> None:
    shop = await _live(db, clock, people)
    done = await propose_deduction(
        db, actor=people["finance"], shop_id=shop, amount_minor=THRESHOLD,
        purpose=DeductionPurpose.PENALTY, reason="Counterfeit listing, first warning",
        approval_threshold_minor=THRESHOLD, now=clock.now(), audit=audit,
    )  # fmt: skip
    assert done.status is DeductionStatus.EXECUTED
    assert await ledger(db) == _figures(shop, HELD - THRESHOLD, commission_revenue=THRESHOLD)
    assert await audits(db, "deposits.deduction.propose") == 1


async def test_a_large_compensation_needs_a_second_operator(
    db: Database, clock: FixedClock, people: People, audit: AuditContext
) -> None:
    shop = await _live(db, clock, people)
    pending = await propose_deduction(
        db, actor=people["finance"], shop_id=shop, amount_minor=THRESHOLD + 1,
        purpose=DeductionPurpose.COMPENSATION, reason="Buyer compensated for order 42",
        approval_threshold_minor=THRESHOLD, now=clock.now(), audit=audit,
    )  # fmt: skip
    assert pending.status is DeductionStatus.PENDING
    assert await ledger(db) == _figures(shop, HELD)  # nothing moved yet
    with pytest.raises(ProposerCannotDecide):
        await approve_deduction(
            db, actor=people["finance"], deduction_id=pending.deduction_id, now=clock.now(),
            audit=audit,
        )  # fmt: skip
    with pytest.raises(Forbidden):
        await approve_deduction(
            db, actor=people["moderation"], deduction_id=pending.deduction_id,
            now=clock.now(), audit=audit,
        )  # fmt: skip
    assert await ledger(db) == _figures(shop, HELD)
    approved = await approve_deduction(
        db, actor=people["admin"], deduction_id=pending.deduction_id, now=clock.now(),
        audit=audit,
    )  # fmt: skip
    assert approved.status is DeductionStatus.EXECUTED
    figures = _figures(shop, HELD - THRESHOLD - 1, refunds=THRESHOLD + 1)
    assert await ledger(db) == figures
    with pytest.raises(DeductionNotPending):
        await approve_deduction(
            db, actor=people["admin"], deduction_id=pending.deduction_id, now=clock.now(),
            audit=audit,
        )  # fmt: skip
    assert await ledger(db) == figures  # executed once
    assert await audits(db, "deposits.deduction.approve") == 1
    assert await audits(db, "deposits.deduction.approve", "refused") == 1  # moderation
    async with db.reading() as session:
        row = await session.get(DepositDeduction, pending.deduction_id)
        assert row is not None
        assert (row.status, row.decided_by) == ("executed", people["admin"].user_id)


async def test_a_rejected_deduction_moves_nothing(
    db: Database, clock: FixedClock, people: People, audit: AuditContext
) -> None:
    shop = await _live(db, clock, people)
    pending = await propose_deduction(
        db, actor=people["admin"], shop_id=shop, amount_minor=50_000,
        purpose=DeductionPurpose.PENALTY, reason="Late shipments",
        approval_threshold_minor=THRESHOLD, now=clock.now(), audit=audit,
    )  # fmt: skip
    with pytest.raises(ValidationFailed):
        await reject_deduction(
            db, actor=people["finance"], deduction_id=pending.deduction_id, note="  ",
            now=clock.now(), audit=audit,
        )  # fmt: skip
    rejected = await reject_deduction(
        db, actor=people["finance"], deduction_id=pending.deduction_id,
        note="Shipments were late because of the carrier", now=clock.now(), audit=audit,
    )  # fmt: skip
    assert rejected.status is DeductionStatus.REJECTED
    with pytest.raises(DeductionNotPending):
        await approve_deduction(
            db, actor=people["finance"], deduction_id=pending.deduction_id, now=clock.now(),
            audit=audit,
        )  # fmt: skip
    assert await ledger(db) == _figures(shop, HELD)
    assert await audits(db, "deposits.deduction.reject") == 1


async def test_a_deduction_never_takes_the_deposit_below_zero(
    db: Database, clock: FixedClock, people: People, audit: AuditContext
) -> None:
    shop = await _live(db, clock, people)
    with pytest.raises(DepositInsufficient) as refused:
        await propose_deduction(
            db, actor=people["finance"], shop_id=shop, amount_minor=HELD + 1,
            purpose=DeductionPurpose.PENALTY, reason="Too much",
            approval_threshold_minor=THRESHOLD, now=clock.now(), audit=audit,
        )  # fmt: skip
    assert refused.value.code == "deposit_insufficient"
    first = await propose_deduction(
        db, actor=people["finance"], shop_id=shop, amount_minor=60_000,
        purpose=DeductionPurpose.PENALTY, reason="Serious violation",
        approval_threshold_minor=THRESHOLD, now=clock.now(), audit=audit,
    )  # fmt: skip
    second = await propose_deduction(
        db, actor=people["finance"], shop_id=shop, amount_minor=60_000,
        purpose=DeductionPurpose.PENALTY, reason="Another serious violation",
        approval_threshold_minor=THRESHOLD, now=clock.now(), audit=audit,
    )  # fmt: skip
    await approve_deduction(
        db, actor=people["admin"], deduction_id=first.deduction_id, now=clock.now(), audit=audit
    )
    with pytest.raises(DepositInsufficient):
        await approve_deduction(
            db, actor=people["admin"], deduction_id=second.deduction_id, now=clock.now(),
            audit=audit,
        )  # fmt: skip
    assert await ledger(db) == _figures(shop, 40_000, commission_revenue=60_000)
    async with db.reading() as session:
        statuses = await session.scalars(
            select(DepositDeduction.status).order_by(DepositDeduction.id)
        )
        assert list(statuses) == ["executed", "pending"]  # the refused approval left it
        assert await session.scalar(select(func.count()).select_from(DepositDeduction)) == 2
    assert await audits(db, "deposits.deduction.approve") == 1


async def test_bad_input_changes_nothing(
    db: Database, clock: FixedClock, people: People, audit: AuditContext
) -> None:
    shop = await _live(db, clock, people)
    for amount, reason in ((0, "x"), (-5, "x"), (100, "   ")):
        with pytest.raises(ValidationFailed):
            await propose_deduction(
                db, actor=people["finance"], shop_id=shop, amount_minor=amount,
                purpose=DeductionPurpose.PENALTY, reason=reason,
                approval_threshold_minor=THRESHOLD, now=clock.now(), audit=audit,
            )  # fmt: skip
    with pytest.raises(Forbidden):
        await propose_deduction(
            db, actor=people["owner"], shop_id=shop, amount_minor=100,
            purpose=DeductionPurpose.PENALTY, reason="mine", approval_threshold_minor=THRESHOLD,
            now=clock.now(), audit=audit,
        )  # fmt: skip
    assert await ledger(db) == _figures(shop, HELD)
    async with db.reading() as session:
        assert await session.scalar(select(func.count()).select_from(DepositDeduction)) == 0


async def test_a_shortfall_after_a_deduction_is_a_new_transfer_even_at_the_same_balance(
    db: Database, clock: FixedClock, people: People, audit: AuditContext
) -> None:
    """A bank transfer is keyed by the deposit as it stands, not by its balance: paid from
    0, deducted back to 0, paid again (it was refused as already covered)."""
    shop = await insert_shop(db, clock.now(), organisation_id=people.org, deposit_paid=False)
    for round_ in (1, 2):
        paid = await record_deposit_transfer(
            db, actor=people["finance"], shop_id=shop, reference=f"Wire {round_}",
            now=clock.now(), audit=audit,
        )  # fmt: skip
        assert paid.minor == HELD
        taken = await propose_deduction(
            db, actor=people["finance"], shop_id=shop, amount_minor=HELD,
            purpose=DeductionPurpose.PENALTY, reason=f"Penalty {round_}",
            approval_threshold_minor=HELD, now=clock.now(), audit=audit,
        )  # fmt: skip
        assert taken.status is DeductionStatus.EXECUTED
    assert await ledger(db) == {
        ("provider_clearing", 0): 2 * HELD,
        ("commission_revenue", 0): -2 * HELD,
    }
