"""Settlement tables: payouts to sellers and the payout runs that make them.

A payout is unique by its business key (`payout:run:<run key>:<shop>` for a run's,
`payout:request:<shop>:<token>` for a seller's request), so a replay pays nothing more; its
status moves only by conditional UPDATEs along `rules.PAYOUT_TRANSITIONS`. The money is
in the ledger (`payout:<id>` payable -> payouts in transit when requested,
`payout-paid:<id>` in transit -> provider clearing when the provider confirms,
`payout-failed:<id>` reversing the first when it fails). A run is unique by its key (one
per period)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from galerie.db import Base, BigId, IdPK

PAYOUT_STATUSES = "'requested', 'sent', 'paid', 'failed'"
RUN_STATUSES = "'running', 'completed'"


class PayoutRun(Base):
    """One scheduled (or CLI) run paying every shop whose available payable reaches the
    minimum, once per `key` (its period, e.g. `2026-11-30`)."""

    __tablename__ = "payout_runs"

    id: Mapped[IdPK]
    key: Mapped[str] = mapped_column(String(60), unique=True)
    currency: Mapped[str] = mapped_column(String(3))
    minimum_minor: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(20))
    payouts: Mapped[int] = mapped_column(Integer, default=0)
    total_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]

    __table_args__ = (
        CheckConstraint(f"status IN ({RUN_STATUSES})", name="status_known"),
        CheckConstraint("minimum_minor > 0", name="minimum_positive"),
    )


class Payout(Base):
    """Money paid out of a shop's seller payable to its bank account (`destination`)."""

    __tablename__ = "payouts"

    id: Mapped[IdPK]
    shop_id: Mapped[int] = mapped_column(BigId, ForeignKey("shops.id"))
    run_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("payout_runs.id"), index=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(20))
    destination: Mapped[str] = mapped_column(String(100))
    provider: Mapped[str] = mapped_column(String(20))
    provider_payout_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    failure: Mapped[str | None] = mapped_column(String(200))
    requested_by: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    __table_args__ = (
        CheckConstraint(f"status IN ({PAYOUT_STATUSES})", name="status_known"),
        CheckConstraint("amount_minor > 0", name="amount_positive"),
        Index("ix_payouts_shop", "shop_id", "id"),
    )
