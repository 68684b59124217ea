"""The journal entries of a payment (galerie.ledger), in the webhook's transaction.

- `capture:<payment id>`: the provider holds the buyer's money (provider clearing, debit)
  and the platform owes it to each paid shop order (escrow per shop order, credit), each
  order's total. The order totals add up to the payment: the group's amount due.
- `owed-back:<payment id>`: money captured that no order takes (a wrong amount, a group
  closed, cancelled or already paid): provider clearing against refunds owed to the buyer.

Each has a business key, so a replay posts nothing (ADR 0012)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.kernel import Money
from galerie.ledger import AccountKind, Line, account_for, credit, debit, post_entry
from galerie.orders.models import Order


async def _account(
    session: AsyncSession, kind: AccountKind, currency: str, now: datetime, owner: int | None = None
) -> int:
    account = await account_for(session, kind=kind, currency=currency, now=now, owner_id=owner)
    return account.id


async def post_capture(
    session: AsyncSession,
    payment_id: int,
    amount: Money,
    order_ids: Sequence[int],
    now: datetime,
) -> None:
    """Captured money into escrow, one account per paid shop order (its total)."""
    rows = (
        await session.execute(
            select(Order.id, Order.total_minor, Order.currency)
            .where(Order.id.in_(list(order_ids)))
            .order_by(Order.id)
        )
    ).all()
    totals = [(int(order_id), Money(int(total), currency)) for order_id, total, currency in rows]
    if sum(m.minor for _, m in totals) != amount.minor:
        raise AssertionError(f"payment {payment_id}: orders {totals} do not add up to {amount}")
    clearing = await _account(session, AccountKind.PROVIDER_CLEARING, amount.currency, now)
    lines: list[Line] = [debit(clearing, amount)]
    for order_id, total in totals:
        escrow = await _account(session, AccountKind.ESCROW, total.currency, now, order_id)
        lines.append(credit(escrow, total))
    await post_entry(
        session, key=f"capture:{payment_id}", lines=lines, memo="payment captured", now=now
    )


async def post_owed_back(
    session: AsyncSession, payment_id: int, amount: Money, now: datetime
) -> None:
    """Captured money no order takes: owed back to the buyer."""
    clearing = await _account(session, AccountKind.PROVIDER_CLEARING, amount.currency, now)
    owed = await _account(session, AccountKind.REFUNDS, amount.currency, now)
    await post_entry(
        session, key=f"owed-back:{payment_id}", lines=[debit(clearing, amount), credit(owed, amount)],
        memo="payment owed back", now=now,
    )  # fmt: skip
