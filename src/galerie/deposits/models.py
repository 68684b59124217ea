"""Deposits tables. The money itself is in the ledger (the shop's `deposits_held` account);
these rows are what moves it: a seller's payment of its deposit through the provider
(`deposit_payments`), an operator's deduction with its approval (`deposit_deductions`) and the
top-up countdown of a shop whose deposit fell below the requirement (`deposit_countdowns`).
Money is integer minor units plus a currency (ADR 0001)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from galerie.db import Base, BigId, IdPK

DEPOSIT_PAYMENT_STATUSES = "'pending', 'succeeded', 'failed', 'amount_mismatch'"
DEDUCTION_STATUSES = "'pending', 'executed', 'rejected'"
DEDUCTION_PURPOSES = "'penalty', 'compensation'"
COUNTDOWN_STATUSES = "'running', 'topped_up', 'restricted', 'lifted'"


class DepositPayment(Base):
    """One attempt to pay (part of) a shop's deposit on the provider's hosted page; moves
    only from `pending`, by a conditional UPDATE, when the provider's webhook arrives."""

    __tablename__ = "deposit_payments"

    id: Mapped[IdPK]
    shop_id: Mapped[int] = mapped_column(BigId, ForeignKey("shops.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(BigId)
    started_by: Mapped[int] = mapped_column(BigId, ForeignKey("users.id"))
    provider: Mapped[str] = mapped_column(String(20))
    provider_payment_id: Mapped[str] = mapped_column(String(100), unique=True)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    captured_minor: Mapped[int | None] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(20))
    hosted_url: Mapped[str] = mapped_column(String(500))
    expires_at: Mapped[datetime]
    created_at: Mapped[datetime]
    settled_at: Mapped[datetime | None]

    __table_args__ = (
        CheckConstraint(f"status IN ({DEPOSIT_PAYMENT_STATUSES})", name="status_known"),
        CheckConstraint("amount_minor > 0", name="amount_positive"),
    )


class DepositDeduction(Base):
    """An operator's deduction from a shop's deposit, with its reason: executed at once at
    or below the approval threshold, else `pending` until a second operator approves or
    rejects it (never its proposer: a CHECK). `purpose` says where the money goes: a
    penalty to commission revenue, a compensation to the refunds account (owed to a buyer)."""

    __tablename__ = "deposit_deductions"

    id: Mapped[IdPK]
    shop_id: Mapped[int] = mapped_column(BigId, ForeignKey("shops.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(BigId)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    purpose: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), index=True)
    proposed_by: Mapped[int] = mapped_column(BigId, ForeignKey("users.id"))
    proposed_at: Mapped[datetime]
    decided_by: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        CheckConstraint(f"status IN ({DEDUCTION_STATUSES})", name="status_known"),
        CheckConstraint(f"purpose IN ({DEDUCTION_PURPOSES})", name="purpose_known"),
        CheckConstraint("amount_minor > 0", name="amount_positive"),
        CheckConstraint("decided_by IS NULL OR decided_by <> proposed_by", name="four_eyes"),
    )


class DepositCountdown(Base):
    """The top-up countdown of a shop whose deposit fell below the requirement: `running`
    until the deadline; `topped_up` when the deposit was made whole in time; `restricted`
    when the timer restricted the shop at the deadline; `lifted` when a later top-up lifted
    the restriction. At most one running or restricted countdown per shop (a partial unique
    index)."""

    __tablename__ = "deposit_countdowns"

    id: Mapped[IdPK]
    shop_id: Mapped[int] = mapped_column(BigId, ForeignKey("shops.id"))
    organisation_id: Mapped[int] = mapped_column(BigId)
    status: Mapped[str] = mapped_column(String(20))
    started_at: Mapped[datetime]
    deadline: Mapped[datetime]
    ended_at: Mapped[datetime | None]

    __table_args__ = (
        CheckConstraint(f"status IN ({COUNTDOWN_STATUSES})", name="status_known"),
        Index(
            "uq_deposit_countdowns_open_per_shop",
            "shop_id",
            unique=True,
            sqlite_where=text("status IN ('running', 'restricted')"),
            postgresql_where=text("status IN ('running', 'restricted')"),
        ),
        Index("ix_deposit_countdowns_due", "status", "deadline"),
    )
