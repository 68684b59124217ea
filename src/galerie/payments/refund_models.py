"""The refunds' tables (migration 0021): each refund, the running figures per shop order
and per order line that make "never more than was paid" one conditional UPDATE, and the
release holds that pause an order's escrow release.

- `refunds`: one row per refund, unique by its business key; where the money came from
  (escrow before release; after release the seller's payable, then its deposit, and the
  commission returned) always adds up to the amount (a CHECK); `pending` until the
  provider confirms it (`succeeded`), or `failed` when the provider refused it.
- `order_money`: per paid shop order, what was paid (its escrow capture), what has been
  refunded (CHECK refunded <= paid), how many release holds are open and when its escrow
  was released. Refunds, holds and the release all move this one row by conditional
  UPDATEs, so they are serialised per order on both databases.
- `order_line_money`: per order line, what has been refunded of it (CHECK <= its total)
  and how much of its commission went back with refunds after release.
- `release_holds`: the open reasons that pause an order's release, one per reason."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from galerie.db import Base, BigId, IdPK

REFUND_STATUSES = "'pending', 'succeeded', 'failed'"


class Refund(Base):
    """One refund of a shop order (or of one of its lines) to the buyer."""

    __tablename__ = "refunds"

    id: Mapped[IdPK]
    key: Mapped[str] = mapped_column(String(100), unique=True)
    order_id: Mapped[int] = mapped_column(BigId, ForeignKey("orders.id"), index=True)
    order_line_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("order_lines.id"))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    reason: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))
    from_escrow_minor: Mapped[int] = mapped_column(BigInteger)
    from_payable_minor: Mapped[int] = mapped_column(BigInteger)
    from_deposit_minor: Mapped[int] = mapped_column(BigInteger)
    commission_returned_minor: Mapped[int] = mapped_column(BigInteger)
    provider_payment_id: Mapped[str] = mapped_column(String(100))
    provider_refund_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    failure: Mapped[str | None] = mapped_column(String(60))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    __table_args__ = (
        CheckConstraint(f"status IN ({REFUND_STATUSES})", name="status_known"),
        CheckConstraint("amount_minor > 0", name="amount_positive"),
        CheckConstraint(
            "from_escrow_minor >= 0 AND from_payable_minor >= 0 AND from_deposit_minor >= 0 "
            "AND commission_returned_minor >= 0",
            name="sources_not_negative",
        ),
        CheckConstraint(
            "from_escrow_minor + from_payable_minor + from_deposit_minor "
            "+ commission_returned_minor = amount_minor",
            name="sources_add_up",
        ),
        Index("ix_refunds_status", "status"),
    )


class OrderMoney(Base):
    """A paid shop order's running figures (created on its first refund, hold or release)."""

    __tablename__ = "order_money"

    order_id: Mapped[int] = mapped_column(BigId, ForeignKey("orders.id"), primary_key=True)
    currency: Mapped[str] = mapped_column(String(3))
    paid_minor: Mapped[int] = mapped_column(BigInteger)
    refunded_minor: Mapped[int] = mapped_column(BigInteger)
    release_holds: Mapped[int] = mapped_column(Integer)
    released_at: Mapped[datetime | None]

    __table_args__ = (
        CheckConstraint(
            "paid_minor >= 0 AND refunded_minor >= 0 AND refunded_minor <= paid_minor",
            name="refunds_within_paid",
        ),
        CheckConstraint("release_holds >= 0", name="holds_not_negative"),
    )


class OrderLineMoney(Base):
    """What has been refunded of one order line, and the commission that went back."""

    __tablename__ = "order_line_money"

    order_line_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("order_lines.id"), primary_key=True
    )
    order_id: Mapped[int] = mapped_column(BigId, ForeignKey("orders.id"), index=True)
    line_total_minor: Mapped[int] = mapped_column(BigInteger)
    refunded_minor: Mapped[int] = mapped_column(BigInteger)
    commission_returned_minor: Mapped[int] = mapped_column(BigInteger)

    __table_args__ = (
        CheckConstraint(
            "refunded_minor >= 0 AND refunded_minor <= line_total_minor",
            name="refunds_within_line",
        ),
        CheckConstraint("commission_returned_minor >= 0", name="commission_not_negative"),
    )


class ReleaseHold(Base):
    """An open reason not to release an order's escrow yet (a refund request, a dispute)."""

    __tablename__ = "release_holds"

    id: Mapped[IdPK]
    order_id: Mapped[int] = mapped_column(BigId, ForeignKey("orders.id"))
    reason: Mapped[str] = mapped_column(String(60))
    opened_at: Mapped[datetime]

    __table_args__ = (Index("uq_release_holds_order_reason", "order_id", "reason", unique=True),)
