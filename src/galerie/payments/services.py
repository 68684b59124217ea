"""Paying a payment group through the provider, and what its webhooks do.

`start_payment` opens a checkout session on the provider's hosted page for the whole group
(one payment for the multi-shop cart) and records it `pending`; a pending, unexpired one is
reused, so a second click sends the shopper to the same page.

`apply_provider_event` is the webhook's use case, ONE transaction: the event id is recorded
first (`INSERT ... ON CONFLICT DO NOTHING`), so a duplicated delivery changes nothing; the
payment moves only from `pending`, by a conditional UPDATE, so events arriving out of order
(a failure after a success) change nothing either. A group's `payment.succeeded` is the hot
path, one raw transaction (galerie.payments.capture): a success whose captured amount is
not the payment's is flagged `amount_mismatch` and pays nothing; a success for a group
already closed, cancelled or paid by another session is `refund_due` (the money is owed
back); otherwise the group is paid (`galerie.orders.paying`) and the capture journalled, in
the same transaction. Failures, refunds and deposits take the ORM path below."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import CursorResult, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.db import Database
from galerie.orders import buyer_payment_group
from galerie.payments.capture import capture_payment
from galerie.payments.deposit_events import apply_deposit_event, is_deposit_event
from galerie.payments.errors import GroupNotPayable
from galerie.payments.models import Payment, ProviderEventRecord
from galerie.payments.port import PaymentProvider, ProviderEvent, ProviderEventType
from galerie.payments.refund_sending import apply_refund_event

PENDING, SUCCEEDED, FAILED = "pending", "succeeded", "failed"
AMOUNT_MISMATCH, REFUND_DUE = "amount_mismatch", "refund_due"


@dataclass(frozen=True, slots=True)
class StartedPayment:
    payment_id: int
    hosted_url: str
    reused: bool


def reference_of(payment_group_id: int) -> str:
    """Our reference for a group's payment, as the provider keeps it."""
    return f"group:{payment_group_id}"


async def start_payment(
    db: Database,
    provider: PaymentProvider,
    *,
    buyer_id: int,
    payment_group_id: int,
    return_url: str,
    cancel_url: str,
    now: datetime,
) -> StartedPayment:
    """The hosted page where the buyer pays the group's amount due. PaymentGroupNotFound
    for another buyer's group; GroupNotPayable when it is not awaiting payment."""
    group = await buyer_payment_group(db, buyer_id=buyer_id, group_id=payment_group_id)
    if group.status != "awaiting_payment" or group.pay_by <= now or group.amount_due.minor <= 0:
        raise GroupNotPayable("This checkout cannot be paid any more.", status=group.status)
    async with db.reading() as session:
        open_one = (
            await session.execute(
                select(Payment.id, Payment.hosted_url)
                .where(
                    Payment.payment_group_id == payment_group_id,
                    Payment.status == PENDING,
                    Payment.expires_at > now,
                    Payment.amount_minor == group.amount_due.minor,
                )
                .order_by(Payment.id.desc())
                .limit(1)
            )
        ).first()
    if open_one is not None:
        return StartedPayment(int(open_one[0]), str(open_one[1]), True)
    session_ = await provider.create_checkout_session(
        reference=reference_of(payment_group_id), amount=group.amount_due,
        return_url=return_url, cancel_url=cancel_url,
    )  # fmt: skip
    async with db.transaction() as session:
        payment = Payment(
            payment_group_id=payment_group_id, buyer_id=buyer_id, provider=provider.name,
            provider_payment_id=session_.provider_payment_id,
            amount_minor=group.amount_due.minor, currency=group.amount_due.currency,
            status=PENDING,
            hosted_url=session_.url, expires_at=session_.expires_at, created_at=now,
            updated_at=now,
        )  # fmt: skip
        session.add(payment)
        await session.flush()
        return StartedPayment(payment.id, session_.url, False)


async def apply_provider_event(
    db: Database, *, provider: str, event: ProviderEvent, now: datetime
) -> str:
    """Apply a verified provider event once; the outcome recorded for it (`duplicate`
    when its id was seen before, then nothing changed). A group's `payment.succeeded` (the
    hot path) is one raw transaction (galerie.payments.capture); the others run here."""
    if event.type == ProviderEventType.PAYMENT_SUCCEEDED and not is_deposit_event(event):
        return await capture_payment(db, provider=provider, event=event, now=now)
    async with db.transaction() as session:
        if not await _first_time(session, provider, event, now):
            return "duplicate"
        outcome = await _apply(session, event, now)
        await session.execute(
            update(ProviderEventRecord)
            .where(
                ProviderEventRecord.provider == provider,
                ProviderEventRecord.event_id == event.event_id,
            )
            .values(outcome=outcome)
        )
        return outcome


async def _first_time(
    session: AsyncSession, provider: str, event: ProviderEvent, now: datetime
) -> bool:
    dialect = (await session.connection()).dialect.name
    maker = pg_insert if dialect == "postgresql" else sqlite_insert
    inserted = await session.scalar(
        maker(ProviderEventRecord)
        .values(
            provider=provider,
            event_id=event.event_id,
            event_type=event.type.value,
            object_id=event.object_id,
            outcome="received",
            received_at=now,
        )
        .on_conflict_do_nothing(index_elements=["provider", "event_id"])
        .returning(ProviderEventRecord.id)
    )
    return inserted is not None


async def _apply(session: AsyncSession, event: ProviderEvent, now: datetime) -> str:
    if is_deposit_event(event):  # a shop's deposit (galerie.payments.deposit_events)
        return await apply_deposit_event(session, event, now)
    if event.type == ProviderEventType.PAYMENT_FAILED:
        failed = await _settle(session, event.object_id, FAILED, None, now)
        return "failed" if failed else "ignored"
    if event.type == ProviderEventType.REFUND_SUCCEEDED:
        return await apply_refund_event(session, event, now)
    # payouts: the settlement work reads them; a group's payment.succeeded is capture's
    return "ignored"


async def _settle(
    session: AsyncSession, provider_payment_id: str, status: str, captured: int | None,
    now: datetime,
) -> bool:  # fmt: skip
    result = await session.execute(
        update(Payment)
        .where(Payment.provider_payment_id == provider_payment_id, Payment.status == PENDING)
        .values(status=status, captured_minor=captured, settled_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    return result.rowcount == 1
