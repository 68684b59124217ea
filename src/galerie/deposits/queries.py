"""Reads for the seller centre's deposit page and the console: a shop's deposit (required,
held, shortfall, the top-up deadline or restriction), its movements from the ledger, its
deductions, and the deductions waiting for a second operator."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.deposits.holding import terms_of
from galerie.deposits.models import DepositCountdown, DepositDeduction
from galerie.deposits.rules import CountdownStatus, DeductionStatus
from galerie.kernel import Money
from galerie.ledger import AccountKind, StatementLine, account_statement, find_account


@dataclass(frozen=True, slots=True)
class DeductionView:
    id: int
    shop_id: int
    amount: Money
    purpose: str
    reason: str
    status: str
    proposed_by: int
    proposed_at: datetime
    decided_by: int | None
    decided_at: datetime | None


@dataclass(frozen=True, slots=True)
class DepositOverview:
    shop_id: int
    organisation_id: int
    shop_status: str
    required: Money
    held: Money
    shortfall: Money
    deadline: datetime | None  # a running top-up countdown's
    restricted: bool  # restricted by the deposit timer, until topped up
    movements: list[StatementLine]
    deductions: list[DeductionView]


def _deduction(row: DepositDeduction) -> DeductionView:
    return DeductionView(
        row.id, row.shop_id, Money(row.amount_minor, row.currency), row.purpose, row.reason,
        row.status, row.proposed_by, row.proposed_at, row.decided_by, row.decided_at,
    )  # fmt: skip


async def deposit_overview(session: AsyncSession, *, shop_id: int) -> DepositOverview:
    """The shop's deposit (ShopNotFound when there is no such shop; callers check who may
    see it)."""
    terms = await terms_of(session, shop_id)
    countdown = (
        await session.execute(
            select(DepositCountdown.status, DepositCountdown.deadline).where(
                DepositCountdown.shop_id == shop_id,
                DepositCountdown.status.in_(
                    [CountdownStatus.RUNNING.value, CountdownStatus.RESTRICTED.value]
                ),
            )
        )
    ).first()
    account = await find_account(
        session, kind=AccountKind.DEPOSITS_HELD, currency=terms.required.currency,
        owner_id=shop_id,
    )  # fmt: skip
    movements = [] if account is None else await account_statement(session, account_id=account.id)
    deductions = await session.scalars(
        select(DepositDeduction)
        .where(DepositDeduction.shop_id == shop_id)
        .order_by(DepositDeduction.id.desc())
        .limit(50)
    )
    running = countdown is not None and countdown[0] == CountdownStatus.RUNNING.value
    return DepositOverview(
        shop_id, terms.organisation_id, terms.status, terms.required, terms.held,
        terms.shortfall, countdown[1] if running and countdown else None,
        countdown is not None and countdown[0] == CountdownStatus.RESTRICTED.value,
        movements, [_deduction(d) for d in deductions],
    )  # fmt: skip


async def pending_deductions(session: AsyncSession, *, limit: int = 100) -> list[DeductionView]:
    """Deductions waiting for a second operator, oldest first."""
    rows = await session.scalars(
        select(DepositDeduction)
        .where(DepositDeduction.status == DeductionStatus.PENDING.value)
        .order_by(DepositDeduction.id)
        .limit(limit)
    )
    return [_deduction(r) for r in rows]


async def find_deduction(session: AsyncSession, *, deduction_id: int) -> DeductionView | None:
    row = await session.get(DepositDeduction, deduction_id)
    return None if row is None else _deduction(row)
