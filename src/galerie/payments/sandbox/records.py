"""The sandbox's records for reconciliation: its payments, refunds and payouts in a window
of creation time, oldest first (three statements, whatever the number of records)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.kernel import Money
from galerie.payments.port import ProviderRecord, RecordKind
from galerie.payments.sandbox.models import SandboxPayment, SandboxPayout, SandboxRefund


async def list_records(
    session: AsyncSession, *, created_from: datetime, created_to: datetime
) -> list[ProviderRecord]:
    payments = await session.execute(
        select(
            SandboxPayment.provider_payment_id, SandboxPayment.amount_minor,
            SandboxPayment.currency, SandboxPayment.status, SandboxPayment.created_at,
            SandboxPayment.reference,
        ).where(SandboxPayment.created_at >= created_from, SandboxPayment.created_at < created_to)
    )  # fmt: skip
    refunds = await session.execute(
        select(
            SandboxRefund.refund_id, SandboxRefund.amount_minor, SandboxRefund.currency,
            SandboxRefund.created_at, SandboxPayment.provider_payment_id,
        )
        .join(SandboxPayment, SandboxPayment.id == SandboxRefund.payment_id)
        .where(SandboxRefund.created_at >= created_from, SandboxRefund.created_at < created_to)
    )  # fmt: skip
    payouts = await session.execute(
        select(
            SandboxPayout.payout_id, SandboxPayout.amount_minor, SandboxPayout.currency,
            SandboxPayout.created_at, SandboxPayout.destination,
        ).where(SandboxPayout.created_at >= created_from, SandboxPayout.created_at < created_to)
    )  # fmt: skip
    records = [
        *(
            ProviderRecord(RecordKind.PAYMENT, pid, Money(minor, cur), status, at, reference=ref)
            for pid, minor, cur, status, at, ref in payments
        ),
        *(
            ProviderRecord(
                RecordKind.REFUND, rid, Money(minor, cur), "succeeded", at, payment_id=pid
            )
            for rid, minor, cur, at, pid in refunds
        ),
        *(
            ProviderRecord(RecordKind.PAYOUT, pid, Money(minor, cur), "paid", at, destination=dest)
            for pid, minor, cur, at, dest in payouts
        ),
    ]
    return sorted(records, key=lambda record: (record.created_at, record.kind, record.record_id))
