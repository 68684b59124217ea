"""Inventory tables: a shop's warehouses, the stock of each SKU in each warehouse, and the
append-only movements that explain every change of it.

Stock identity (a CHECK on both databases): on_hand = available + reserved + committed, each
part never negative. `reserved` is held by unpaid orders, `committed` by paid orders not yet
shipped; a shipment takes units out of `committed` and `on_hand`. Every change is one
conditional UPDATE plus one movement row in the same transaction, so stock can be recomputed
from the movements. SKUs (catalog) are referred to by id."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from galerie.db import Base, BigId, IdPK


class Warehouse(Base):
    __tablename__ = "warehouses"

    id: Mapped[IdPK]
    shop_id: Mapped[int] = mapped_column(BigId, ForeignKey("shops.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(120))
    country: Mapped[str] = mapped_column(String(2))
    region: Mapped[str] = mapped_column(String(100), default="")
    city: Mapped[str] = mapped_column(String(100))
    address_line: Mapped[str] = mapped_column(String(300))
    postal_code: Mapped[str] = mapped_column(String(20), default="")
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    __table_args__ = (UniqueConstraint("shop_id", "code"),)


class StockLevel(Base):
    """The stock of one SKU in one warehouse."""

    __tablename__ = "stock_levels"

    id: Mapped[IdPK]
    shop_id: Mapped[int] = mapped_column(BigId, ForeignKey("shops.id"), index=True)
    warehouse_id: Mapped[int] = mapped_column(BigId, ForeignKey("warehouses.id"))
    sku_id: Mapped[int] = mapped_column(BigId, ForeignKey("skus.id"), index=True)
    on_hand: Mapped[int] = mapped_column(BigInteger, default=0)
    available: Mapped[int] = mapped_column(BigInteger, default=0)
    reserved: Mapped[int] = mapped_column(BigInteger, default=0)
    committed: Mapped[int] = mapped_column(BigInteger, default=0)
    low_stock_threshold: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime]

    __table_args__ = (
        UniqueConstraint("warehouse_id", "sku_id"),
        CheckConstraint(
            "available >= 0 AND reserved >= 0 AND committed >= 0", name="parts_not_negative"
        ),
        CheckConstraint("on_hand = available + reserved + committed", name="on_hand_identity"),
    )


class StockMovement(Base):
    """Append-only: one row per change of a stock level, with the change of each part.
    `kind` is receipt, adjustment, reservation, release, commitment or shipment;
    `reference` names what caused it (an order line, an import job, a stock count)."""

    __tablename__ = "stock_movements"

    id: Mapped[IdPK]
    shop_id: Mapped[int] = mapped_column(BigId, ForeignKey("shops.id"))
    stock_level_id: Mapped[int] = mapped_column(BigId, ForeignKey("stock_levels.id"))
    sku_id: Mapped[int] = mapped_column(BigId, ForeignKey("skus.id"))
    warehouse_id: Mapped[int] = mapped_column(BigId, ForeignKey("warehouses.id"))
    kind: Mapped[str] = mapped_column(String(20))
    delta_on_hand: Mapped[int] = mapped_column(BigInteger, default=0)
    delta_available: Mapped[int] = mapped_column(BigInteger, default=0)
    delta_reserved: Mapped[int] = mapped_column(BigInteger, default=0)
    delta_committed: Mapped[int] = mapped_column(BigInteger, default=0)
    reference: Mapped[str | None] = mapped_column(String(100))
    reason: Mapped[str | None] = mapped_column(Text)
    actor_user_id: Mapped[int | None] = mapped_column(BigInteger)
    at: Mapped[datetime]

    __table_args__ = (
        Index("ix_stock_movements_level", "stock_level_id", "id"),
        CheckConstraint(
            "kind IN ('receipt', 'adjustment', 'reservation', 'release', 'commitment', 'shipment')",
            name="kind_known",
        ),
        CheckConstraint(
            "delta_on_hand = delta_available + delta_reserved + delta_committed",
            name="delta_identity",
        ),
    )
