"""Galerie's own payment records (not the provider's): one row per attempt to pay a payment
group on the provider's hosted page, and every provider event received, by its id.

A group is paid by at most one payment (a partial unique index on the succeeded ones); a
payment moves only by conditional UPDATEs from `pending`; an event id is recorded once, so
a duplicated webhook changes nothing the second time. Money is integer minor units plus a
currency (ADR 0001)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from galerie.db import Base, BigId, IdPK

PAYMENT_STATUSES = "'pending', 'succeeded', 'failed', 'amount_mismatch', 'refund_due'"


class Payment(Base):
    """One attempt to pay a group: the provider's checkout session and what became of it.
    `refund_due`: the money arrived for a group closed, cancelled or already paid by
    another session (it is owed back);
    `amount_mismatch`: the provider captured another amount than the group's (flagged,
    nothing paid)."""

    __tablename__ = "payments"

    id: Mapped[IdPK]
    payment_group_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("payment_groups.id"), index=True
    )
    buyer_id: Mapped[int] = mapped_column(BigId, ForeignKey("users.id"))
    provider: Mapped[str] = mapped_column(String(20))
    provider_payment_id: Mapped[str] = mapped_column(String(100), unique=True)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    captured_minor: Mapped[int | None] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(20))
    hosted_url: Mapped[str] = mapped_column(String(500))
    expires_at: Mapped[datetime]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    settled_at: Mapped[datetime | None]

    __table_args__ = (
        CheckConstraint(f"status IN ({PAYMENT_STATUSES})", name="status_known"),
        CheckConstraint("amount_minor > 0", name="amount_positive"),
        Index(
            "uq_payments_one_success_per_group",
            "payment_group_id",
            unique=True,
            sqlite_where=text("status = 'succeeded'"),
            postgresql_where=text("status = 'succeeded'"),
        ),
    )


class ProviderEventRecord(Base):
    """A provider event as received (after its signature was verified): its id once."""

    __tablename__ = "payment_provider_events"

    id: Mapped[IdPK]
    provider: Mapped[str] = mapped_column(String(20))
    event_id: Mapped[str] = mapped_column(String(100))
    event_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str] = mapped_column(String(100))
    outcome: Mapped[str] = mapped_column(String(40))
    received_at: Mapped[datetime]

    __table_args__ = (
        Index("uq_payment_provider_events_event", "provider", "event_id", unique=True),
    )
