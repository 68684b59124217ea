"""Fulfilment tables: parcels (what left a warehouse for one order, with its carrier and
tracking number), their lines, and each shipped order's receipt timer (the automatic
confirmation deadline and whether the buyer extended it).

A parcel belongs to one order of one shop and ships from one warehouse; a tracking number is
unique per carrier (re-sending the same parcel ships nothing twice). Orders, shops,
warehouses and order lines are referred to by id."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from galerie.db import Base, BigId, IdPK


class Parcel(Base):
    __tablename__ = "parcels"

    id: Mapped[IdPK]
    order_id: Mapped[int] = mapped_column(BigId, ForeignKey("orders.id"), index=True)
    shop_id: Mapped[int] = mapped_column(BigId, ForeignKey("shops.id"))
    warehouse_id: Mapped[int] = mapped_column(BigId, ForeignKey("warehouses.id"))
    carrier: Mapped[str] = mapped_column(String(30))
    tracking_number: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(12))
    shipped_at: Mapped[datetime]
    delivered_at: Mapped[datetime | None]

    __table_args__ = (
        UniqueConstraint("carrier", "tracking_number"),
        Index("ix_parcels_shop", "shop_id", "shipped_at"),
        CheckConstraint("status IN ('shipped', 'delivered')", name="status_known"),
    )


class ParcelLine(Base):
    __tablename__ = "parcel_lines"

    id: Mapped[IdPK]
    parcel_id: Mapped[int] = mapped_column(BigId, ForeignKey("parcels.id"), index=True)
    order_line_id: Mapped[int] = mapped_column(BigId, ForeignKey("order_lines.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        UniqueConstraint("parcel_id", "order_line_id"),
        CheckConstraint("quantity > 0", name="positive"),
    )


class ReceiptTimer(Base):
    """One per order that has shipped in full: when it confirms itself (`confirm_by`), and
    when the buyer extended that deadline (at most once)."""

    __tablename__ = "receipt_timers"

    order_id: Mapped[int] = mapped_column(BigId, ForeignKey("orders.id"), primary_key=True)
    shop_id: Mapped[int] = mapped_column(BigId, ForeignKey("shops.id"))
    confirm_by: Mapped[datetime]
    extended_at: Mapped[datetime | None]
    confirmed_at: Mapped[datetime | None]

    __table_args__ = (Index("ix_receipt_timers_due", "confirmed_at", "confirm_by"),)
