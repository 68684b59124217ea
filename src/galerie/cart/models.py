"""Cart tables: one cart per shopper (a signed-in user's, or a guest's known only by the
SHA-256 of the random token in its cookie), its lines, and shoppers' saved addresses.

A line keeps the price the shopper saw when adding it, so the cart can tell them when it
changed. SKUs and shops (catalog, sellers) are referred to by id; every line carries its
shop (the partitioning key of sellers' data, and the cart's grouping)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from galerie.db import Base, BigId, IdPK

MAX_LINE_QUANTITY = 99


class Cart(Base):
    __tablename__ = "carts"

    id: Mapped[IdPK]
    user_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("users.id", ondelete="CASCADE"), unique=True
    )
    guest_digest: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    __table_args__ = (
        CheckConstraint("(user_id IS NULL) <> (guest_digest IS NULL)", name="one_owner"),
    )


class CartLine(Base):
    __tablename__ = "cart_lines"

    id: Mapped[IdPK]
    cart_id: Mapped[int] = mapped_column(BigId, ForeignKey("carts.id", ondelete="CASCADE"))
    sku_id: Mapped[int] = mapped_column(BigId, ForeignKey("skus.id"), index=True)
    shop_id: Mapped[int] = mapped_column(BigId, ForeignKey("shops.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    price_seen_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    added_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    __table_args__ = (
        UniqueConstraint("cart_id", "sku_id"),
        CheckConstraint(
            f"quantity >= 1 AND quantity <= {MAX_LINE_QUANTITY}", name="quantity_in_range"
        ),
        CheckConstraint("price_seen_minor > 0", name="price_seen_positive"),
    )


class ShopperAddress(Base):
    """A shopper's saved delivery address; at most one is the default (a partial unique
    index on both databases)."""

    __tablename__ = "shopper_addresses"

    id: Mapped[IdPK]
    user_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    recipient: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str] = mapped_column(String(30))
    country: Mapped[str] = mapped_column(String(2))
    province: Mapped[str] = mapped_column(String(100), default="")
    city: Mapped[str] = mapped_column(String(100))
    district: Mapped[str] = mapped_column(String(100), default="")
    line1: Mapped[str] = mapped_column(String(200))
    line2: Mapped[str] = mapped_column(String(200), default="")
    postcode: Mapped[str] = mapped_column(String(20), default="")
    is_default: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    __table_args__ = (
        Index(
            "uq_shopper_addresses_one_default",
            "user_id",
            unique=True,
            sqlite_where=text("is_default"),
            postgresql_where=text("is_default"),
        ),
    )
