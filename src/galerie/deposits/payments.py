"""Deposit payments through the payment provider: our records of them (the provider itself
is driven by galerie.payments.deposit_payments, which sits above this domain).

A seller pays the shortfall of its shop's deposit on the provider's hosted page; the
checkout session's reference is `deposit:<shop id>`. When the provider's webhook arrives
(galerie.payments.apply_provider_event, in its transaction), `settle_deposit_payment` moves
the payment from `pending` by one conditional UPDATE and, on success, credits the shop's
deposit under `deposit:<deposit payment id>`: a duplicated or reordered event changes
nothing. Money captured in another currency is flagged `amount_mismatch` and owed back
(provider clearing -> refunds); a different amount in the right currency is what the
seller paid and is credited as captured."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import CursorResult, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.db import Database
from galerie.deposits.holding import receive_deposit
from galerie.deposits.models import DepositPayment
from galerie.deposits.rules import payment_key
from galerie.kernel import Money
from galerie.ledger import AccountKind, account_for, credit, debit, post_entry

PENDING, SUCCEEDED, FAILED, MISMATCH = "pending", "succeeded", "failed", "amount_mismatch"


@dataclass(frozen=True, slots=True)
class OpenDepositPayment:
    deposit_payment_id: int
    hosted_url: str


async def open_deposit_payment(
    db: Database, *, shop_id: int, amount: Money, now: datetime
) -> OpenDepositPayment | None:
    """A pending, unexpired payment of this shop for exactly `amount`, to send the seller
    back to instead of opening another."""
    async with db.reading() as session:
        row = (
            await session.execute(
                select(DepositPayment.id, DepositPayment.hosted_url)
                .where(
                    DepositPayment.shop_id == shop_id,
                    DepositPayment.status == PENDING,
                    DepositPayment.expires_at > now,
                    DepositPayment.amount_minor == amount.minor,
                    DepositPayment.currency == amount.currency,
                )
                .order_by(DepositPayment.id.desc())
                .limit(1)
            )
        ).first()
    return None if row is None else OpenDepositPayment(int(row[0]), str(row[1]))


async def add_deposit_payment(
    db: Database, *, shop_id: int, organisation_id: int, started_by: int, provider: str,
    provider_payment_id: str, hosted_url: str, expires_at: datetime, amount: Money,
    now: datetime,
) -> int:  # fmt: skip
    """Record a checkout session opened for the shop's deposit, `pending`."""
    async with db.transaction() as session:
        row = DepositPayment(
            shop_id=shop_id, organisation_id=organisation_id, started_by=started_by,
            provider=provider, provider_payment_id=provider_payment_id,
            amount_minor=amount.minor, currency=amount.currency, status=PENDING,
            hosted_url=hosted_url, expires_at=expires_at, created_at=now,
        )  # fmt: skip
        session.add(row)
        await session.flush()
        return row.id


async def settle_deposit_payment(
    session: AsyncSession, *, provider_payment_id: str, succeeded: bool, captured: Money,
    now: datetime,
) -> str:  # fmt: skip
    """Apply the provider's outcome to a deposit payment, once; the outcome to record
    (`ignored` when it is not ours or was settled before)."""
    row = (
        await session.execute(
            select(
                DepositPayment.id,
                DepositPayment.shop_id,
                DepositPayment.currency,
                DepositPayment.started_by,
            ).where(DepositPayment.provider_payment_id == provider_payment_id)
        )
    ).first()
    if row is None:
        return "ignored"
    payment_id, shop_id, currency, payer = int(row[0]), int(row[1]), str(row[2]), int(row[3])
    if not succeeded:
        return FAILED if await _move(session, payment_id, FAILED, None, now) else "ignored"
    status = SUCCEEDED if captured.currency == currency else MISMATCH
    if not await _move(session, payment_id, status, captured.minor, now):
        return "ignored"
    if status == MISMATCH:
        await _owed_back(session, payment_id, captured, now)
        return MISMATCH
    await receive_deposit(
        session, shop_id=shop_id, amount=captured, key=payment_key(payment_id),
        memo="deposit paid through the provider", now=now, actor_user_id=payer,
    )  # fmt: skip
    return "deposit_paid"


async def _move(
    session: AsyncSession, payment_id: int, status: str, captured: int | None, now: datetime
) -> bool:
    result = await session.execute(
        update(DepositPayment)
        .where(DepositPayment.id == payment_id, DepositPayment.status == PENDING)
        .values(status=status, captured_minor=captured, settled_at=now)
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    return result.rowcount == 1


async def _owed_back(session: AsyncSession, payment_id: int, amount: Money, now: datetime) -> None:
    clearing = await account_for(
        session, kind=AccountKind.PROVIDER_CLEARING, currency=amount.currency, now=now
    )
    owed = await account_for(session, kind=AccountKind.REFUNDS, currency=amount.currency, now=now)
    await post_entry(
        session, key=f"deposit-owed-back:{payment_id}", memo="deposit payment owed back",
        lines=[debit(clearing.id, amount), credit(owed.id, amount)], now=now,
    )  # fmt: skip
