"""The provider side of a refund: the money goes back to the buyer through the
PaymentProvider port, once, whatever crashes or retries happen.

The order of things (ADR 0014): (1) `refund_order` records the refund `pending` and its
journal entry (escrow, or payable/deposit/commission, into the refunds account) in ONE
transaction, which commits; (2) `send_refund` asks the provider, outside any transaction,
with the refund's own idempotency key (`refund:<key>`); (3) on the provider's answer, one
transaction marks it `succeeded` (a conditional UPDATE from `pending`) and posts
`refund-paid:<key>` (refunds account -> provider clearing: the money left the provider).
The provider's `refund.succeeded` webhook is recorded once (like every provider event) and
settles the refund it names by the provider's refund id (a conditional UPDATE and a keyed
entry: whichever of the answer and the webhook comes second changes nothing); a webhook
naming a refund whose answer we never recorded is `refund_unmatched`. A crash
after (1) leaves a pending refund that `send_pending_refunds` (a worker timer) sends again
with the same key: the provider replays its refund and never pays twice. A crash between
(2) and (3) is the same. A provider that refuses (a DomainError: not captured, more than
captured) marks the refund `failed` with its code: the money stays owed to the buyer in the
refunds account, for an operator to settle."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.audit import AuditContext
from galerie.db import Database
from galerie.kernel import DomainError, Money
from galerie.ledger import AccountKind, account_for, credit, debit, post_entry
from galerie.payments.errors import RefundNotFound
from galerie.payments.order_money import changed
from galerie.payments.port import PaymentProvider, ProviderEvent
from galerie.payments.refund_models import Refund
from galerie.payments.refunds import RecordedRefund, refund_order

PENDING, SUCCEEDED, FAILED = "pending", "succeeded", "failed"


def provider_key(refund_key: str) -> str:
    """The idempotency key the provider sees for a refund: the same on every retry."""
    return f"refund:{refund_key}"


async def send_refund(
    db: Database, provider: PaymentProvider, *, refund_id: int, now: datetime
) -> str:
    """Ask the provider for a pending refund and settle it on the answer: `succeeded`,
    `failed` (the provider refused it), or the status it already had. Other errors
    (the provider unreachable) propagate and leave it pending, for a retry."""
    async with db.reading() as session:
        refund = await session.scalar(select(Refund).where(Refund.id == refund_id))
    if refund is None:
        raise RefundNotFound("No such refund.", refund_id=refund_id)
    if refund.status != PENDING:
        return refund.status
    try:
        answer = await provider.refund(
            provider_payment_id=refund.provider_payment_id,
            amount=Money(refund.amount_minor, refund.currency),
            idempotency_key=provider_key(refund.key),
        )
    except DomainError as refused:
        async with db.transaction() as session:
            failed = await changed(
                session,
                update(Refund)
                .where(Refund.id == refund_id, Refund.status == PENDING)
                .values(status=FAILED, failure=refused.code[:60], updated_at=now),
            )
        return FAILED if failed else await _status(db, refund_id)
    async with db.transaction() as session:
        settled = await settle_refund(
            session, refund_id=refund_id, provider_refund_id=answer.refund_id, now=now
        )
    return SUCCEEDED if settled in {"succeeded", "already_settled"} else settled


async def _status(db: Database, refund_id: int) -> str:
    async with db.reading() as session:
        return str(await session.scalar(select(Refund.status).where(Refund.id == refund_id)))


async def settle_refund(
    session: AsyncSession, *, refund_id: int, provider_refund_id: str, now: datetime
) -> str:
    """The provider paid the refund: `succeeded` (marked, and `refund-paid:<key>` posted)
    or `already_settled` (nothing changed). In the caller's transaction."""
    moved = await changed(
        session,
        update(Refund)
        .where(Refund.id == refund_id, Refund.status == PENDING)
        .values(status=SUCCEEDED, provider_refund_id=provider_refund_id, updated_at=now),
    )
    if not moved:
        return "already_settled"
    refund = (
        await session.execute(
            select(Refund.key, Refund.amount_minor, Refund.currency).where(Refund.id == refund_id)
        )
    ).one()
    amount = Money(int(refund[1]), str(refund[2]))
    owed = await account_for(session, kind=AccountKind.REFUNDS, currency=amount.currency, now=now)
    clearing = await account_for(
        session, kind=AccountKind.PROVIDER_CLEARING, currency=amount.currency, now=now
    )
    await post_entry(
        session, key=f"refund-paid:{refund[0]}", lines=[debit(owed.id, amount),
        credit(clearing.id, amount)], memo="refund paid by the provider", now=now,
    )  # fmt: skip
    return SUCCEEDED


async def apply_refund_event(session: AsyncSession, event: ProviderEvent, now: datetime) -> str:
    """The provider's `refund.succeeded` webhook, in the webhook's transaction: settles the
    refund it names (`refund_succeeded`, or `duplicate` when it was settled already);
    `refund_unmatched` when no refund of ours carries its id (the answer to our call was
    never recorded: the pending refund's retry, same key, gets the id and settles it)."""
    refund_id = await session.scalar(
        select(Refund.id).where(Refund.provider_refund_id == event.object_id)
    )
    if refund_id is None:
        return "refund_unmatched"
    outcome = await settle_refund(
        session, refund_id=int(refund_id), provider_refund_id=event.object_id, now=now
    )
    return "refund_succeeded" if outcome == SUCCEEDED else "duplicate"


async def send_pending_refunds(
    db: Database, provider: PaymentProvider, *, now: datetime, limit: int = 100
) -> int:
    """Send every pending refund again (same idempotency key: the provider pays each once);
    how many are now succeeded. The worker's timer; safe to run on two workers at once."""
    async with db.reading() as session:
        ids = list(
            await session.scalars(
                select(Refund.id).where(Refund.status == PENDING).order_by(Refund.id).limit(limit)
            )
        )
    done = 0
    for refund_id in ids:
        if await send_refund(db, provider, refund_id=int(refund_id), now=now) == SUCCEEDED:
            done += 1
    return done


async def refund_shop_order(
    db: Database,
    provider: PaymentProvider,
    *,
    order_id: int,
    reason: str,
    key: str,
    now: datetime,
    amount: Money | None = None,
    line_id: int | None = None,
    audit: AuditContext | None = None,
) -> RecordedRefund:
    """The use case: record the refund (refunds.refund_order, one transaction, audited),
    then send it to the provider; the refund as it stands afterwards (`succeeded`, or
    `pending` when the provider could not be reached: the timer retries it)."""
    async with db.transaction() as session:
        recorded = await refund_order(
            session, order_id=order_id, reason=reason, key=key, now=now, amount=amount,
            line_id=line_id, audit=audit,
        )  # fmt: skip
    try:
        status = await send_refund(db, provider, refund_id=recorded.refund_id, now=now)
    except Exception:  # recorded and pending: the timer sends it again, same key
        status = PENDING
    return replace(recorded, status=status)
