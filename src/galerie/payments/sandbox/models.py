"""The sandbox provider's own tables (prefixed `sandbox_`): what a real provider keeps on
its side. Galerie's payments domain never writes them; it reads them only through the
PaymentProvider port (`list_records`), as it would a real provider's API.

Money is integer minor units plus a currency (ADR 0001). A payment's `refunded_minor` is
raised only by one conditional UPDATE that keeps it within `amount_minor`, and a CHECK
refuses anything else."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from galerie.db import Base, BigId, IdPK

PAYMENT_STATUSES = "'open', 'succeeded', 'failed', 'abandoned'"


class SandboxPayment(Base):
    """One checkout session and the payment it becomes. `session_token` is the secret part
    of the hosted page's URL; `provider_payment_id` is what the port hands out."""

    __tablename__ = "sandbox_payments"

    id: Mapped[IdPK]
    provider_payment_id: Mapped[str] = mapped_column(String(40), unique=True)
    session_token: Mapped[str] = mapped_column(String(64), unique=True)
    reference: Mapped[str] = mapped_column(String(100), index=True)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    refunded_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(12))
    return_url: Mapped[str] = mapped_column(String(500))
    cancel_url: Mapped[str] = mapped_column(String(500))
    webhook_url: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(index=True)
    expires_at: Mapped[datetime]
    completed_at: Mapped[datetime | None]

    __table_args__ = (
        CheckConstraint(f"status IN ({PAYMENT_STATUSES})", name="status_known"),
        CheckConstraint("amount_minor > 0", name="amount_positive"),
        CheckConstraint(
            "refunded_minor >= 0 AND refunded_minor <= amount_minor", name="refunds_within_amount"
        ),
    )


class SandboxRefund(Base):
    __tablename__ = "sandbox_refunds"

    id: Mapped[IdPK]
    refund_id: Mapped[str] = mapped_column(String(40), unique=True)
    payment_id: Mapped[int] = mapped_column(BigId, ForeignKey("sandbox_payments.id"), index=True)
    idempotency_key: Mapped[str] = mapped_column(String(100), unique=True)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    created_at: Mapped[datetime] = mapped_column(index=True)

    __table_args__ = (CheckConstraint("amount_minor > 0", name="amount_positive"),)


class SandboxPayout(Base):
    __tablename__ = "sandbox_payouts"

    id: Mapped[IdPK]
    payout_id: Mapped[str] = mapped_column(String(40), unique=True)
    destination: Mapped[str] = mapped_column(String(100))
    idempotency_key: Mapped[str] = mapped_column(String(100), unique=True)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    created_at: Mapped[datetime] = mapped_column(index=True)

    __table_args__ = (CheckConstraint("amount_minor > 0", name="amount_positive"),)


class SandboxWebhookEvent(Base):
    """One event and its delivery to `url`. `payload` is the exact JSON text sent (every
    attempt sends the same bytes, freshly signed). `attempts` counts claims and fences
    their outcomes; `claimed_until` is the lease of the sender working on it. `held` and
    `duplicated` record the chaos already applied (each at most once per event)."""

    __tablename__ = "sandbox_webhook_events"

    id: Mapped[IdPK]
    event_id: Mapped[str] = mapped_column(String(40), unique=True)
    event_type: Mapped[str] = mapped_column(String(30))
    payload: Mapped[str] = mapped_column(Text)
    url: Mapped[str] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(10))
    attempts: Mapped[int] = mapped_column(default=0)
    held: Mapped[bool] = mapped_column(default=False)
    duplicated: Mapped[bool] = mapped_column(default=False)
    next_attempt_at: Mapped[datetime]
    claimed_until: Mapped[datetime | None]
    last_status_code: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(String(300))
    delivered_at: Mapped[datetime | None]
    created_at: Mapped[datetime]

    __table_args__ = (
        Index("ix_sandbox_webhook_events_due", "status", "next_attempt_at"),
        CheckConstraint("status IN ('pending', 'delivered', 'failed')", name="status_known"),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
    )
