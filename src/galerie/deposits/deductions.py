"""Operators deduct from a shop's deposit, with a reason (CONSOLE_FINANCE; each use case
one transaction and exactly one audit record).

`propose_deduction` records the deduction; at or below the approval threshold it is executed
at once, above it it waits (`pending`) for a second operator. `approve_deduction` executes
a pending one: never by its proposer (ProposerCannotDecide, and a CHECK in the table), and
once, however many approve at the same moment (a conditional UPDATE from `pending`, then
the journal entry under `deposit-deduction:<id>`). `reject_deduction` closes it without
moving money. A deduction larger than the deposit held is refused with a clear error
(`deposit_insufficient`) and nothing changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import CursorResult, update
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.audit import AuditContext, record_audit
from galerie.db import Database
from galerie.deposits.errors import (
    DeductionNotFound,
    DeductionNotPending,
    DepositInsufficient,
    ProposerCannotDecide,
)
from galerie.deposits.holding import take_from_deposit, terms_of
from galerie.deposits.models import DepositDeduction
from galerie.deposits.rules import (
    DESTINATION,
    MAX_REASON,
    DeductionPurpose,
    DeductionStatus,
    deduction_key,
    needs_approval,
)
from galerie.identity import Permission, Principal
from galerie.identity.guards import require_permission
from galerie.kernel import Money, ValidationFailed
from galerie.ledger import BalanceWouldGoNegative

TARGET = "deposit_deduction"


@dataclass(frozen=True, slots=True)
class DeductionOutcome:
    deduction_id: int
    status: DeductionStatus


def _reason(reason: str) -> str:
    clean = reason.strip()
    if not clean:
        raise ValidationFailed("Give a reason.", field="reason", code="reason_required")
    if len(clean) > MAX_REASON:
        raise ValidationFailed("The reason is too long.", field="reason", code="too_long")
    return clean


def _amount(amount_minor: int) -> int:
    if isinstance(amount_minor, bool) or not isinstance(amount_minor, int) or amount_minor <= 0:
        raise ValidationFailed("Give a positive amount.", field="amount", code="bad_amount")
    return amount_minor


async def _guard(
    db: Database, actor: Principal, audit: AuditContext, action: str, target: int, now: datetime
) -> AuditContext:
    return await require_permission(
        db, actor=actor, permission=Permission.CONSOLE_FINANCE, audit=audit, action=action,
        now=now, target_type=TARGET if action != PROPOSE else "shop", target_id=target,
    )  # fmt: skip


PROPOSE, APPROVE, REJECT = (
    "deposits.deduction.propose",
    "deposits.deduction.approve",
    "deposits.deduction.reject",
)


async def propose_deduction(
    db: Database, *, actor: Principal, shop_id: int, amount_minor: int,
    purpose: DeductionPurpose, reason: str, approval_threshold_minor: int, now: datetime,
    audit: AuditContext,
) -> DeductionOutcome:  # fmt: skip
    """Deduct from the shop's deposit (in its deposit currency), at once up to the
    threshold, else pending a second operator's approval."""
    context = await _guard(db, actor, audit, PROPOSE, shop_id, now)
    why, minor = _reason(reason), _amount(amount_minor)
    async with db.transaction() as session:
        terms = await terms_of(session, shop_id)
        if minor > terms.held.minor:
            raise DepositInsufficient(terms.held.minor)
        row = DepositDeduction(
            shop_id=shop_id, organisation_id=terms.organisation_id, amount_minor=minor,
            currency=terms.required.currency, purpose=purpose.value, reason=why,
            status=DeductionStatus.PENDING.value, proposed_by=actor.user_id, proposed_at=now,
        )  # fmt: skip
        session.add(row)
        await session.flush()
        status = DeductionStatus.PENDING
        if not needs_approval(minor, approval_threshold_minor):
            await _mark(session, row.id, None, DeductionStatus.EXECUTED, None, now)
            await _execute(session, row, actor.user_id, now)
            status = DeductionStatus.EXECUTED
        record_audit(
            session, context=context, action=PROPOSE, now=now, target_type="shop",
            target_id=shop_id, reason=why,
            details={"deduction_id": row.id, "amount_minor": minor, "currency": row.currency,
                     "purpose": purpose.value, "status": status.value},
        )  # fmt: skip
        return DeductionOutcome(row.id, status)


async def approve_deduction(
    db: Database, *, actor: Principal, deduction_id: int, now: datetime, audit: AuditContext
) -> DeductionOutcome:
    """A second operator executes a pending deduction, once."""
    return await _decide(db, actor, deduction_id, DeductionStatus.EXECUTED, None, now, audit)


async def reject_deduction(
    db: Database, *, actor: Principal, deduction_id: int, note: str, now: datetime,
    audit: AuditContext,
) -> DeductionOutcome:  # fmt: skip
    """A second operator closes a pending deduction; no money moves."""
    why = _reason(note)
    return await _decide(db, actor, deduction_id, DeductionStatus.REJECTED, why, now, audit)


async def _decide(
    db: Database, actor: Principal, deduction_id: int, to: DeductionStatus, note: str | None,
    now: datetime, audit: AuditContext,
) -> DeductionOutcome:  # fmt: skip
    action = APPROVE if to is DeductionStatus.EXECUTED else REJECT
    context = await _guard(db, actor, audit, action, deduction_id, now)
    async with db.transaction() as session:
        row = await session.get(DepositDeduction, deduction_id, populate_existing=True)
        if row is None:
            raise DeductionNotFound()
        if row.proposed_by == actor.user_id:
            raise ProposerCannotDecide()
        if not await _mark(session, deduction_id, actor.user_id, to, note, now):
            raise DeductionNotPending(row.status)
        if to is DeductionStatus.EXECUTED:
            await _execute(session, row, actor.user_id, now)
        record_audit(
            session, context=context, action=action, now=now, target_type=TARGET,
            target_id=deduction_id, reason=note or row.reason,
            details={"shop_id": row.shop_id, "amount_minor": row.amount_minor,
                     "currency": row.currency, "proposed_by": row.proposed_by},
        )  # fmt: skip
        return DeductionOutcome(deduction_id, to)


async def _mark(
    session: AsyncSession, deduction_id: int, decided_by: int | None, to: DeductionStatus,
    note: str | None, now: datetime,
) -> bool:  # fmt: skip
    """pending -> `to`, by one conditional UPDATE; False when it was not pending."""
    result = await session.execute(
        update(DepositDeduction)
        .where(
            DepositDeduction.id == deduction_id,
            DepositDeduction.status == DeductionStatus.PENDING.value,
        )
        .values(status=to.value, decided_by=decided_by, decided_at=now, decision_note=note)
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    return result.rowcount == 1


async def _execute(
    session: AsyncSession, row: DepositDeduction, actor_user_id: int, now: datetime
) -> None:
    try:
        await take_from_deposit(
            session, shop_id=row.shop_id, amount=Money(row.amount_minor, row.currency),
            destination=DESTINATION[DeductionPurpose(row.purpose)], key=deduction_key(row.id),
            memo=f"deposit deduction ({row.purpose})", now=now, actor_user_id=actor_user_id,
        )  # fmt: skip
    except BalanceWouldGoNegative as exc:
        held = (await terms_of(session, row.shop_id)).held.minor
        raise DepositInsufficient(held) from exc
