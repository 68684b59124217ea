"""Catalog tables for what shops sell: products (SPU) with their texts in several languages,
variants (SKU), images, per-category attributes and the listing history.

Every seller-owned row carries `shop_id` (the partitioning key). Shops and brands (sellers
domain) are referred to by id. `listing_history` is append-only in the database (migration
0005). Prices are integer minor units plus a currency (ADR 0001)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
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

SHOP_FK = "shops.id"
PRODUCT_FK = "products.id"


def _shop_fk() -> Any:
    return mapped_column(BigId, ForeignKey(SHOP_FK), index=True)


def _product_fk() -> Any:
    return mapped_column(BigId, ForeignKey(PRODUCT_FK), index=True)


class CategoryAttribute(Base):
    """An attribute products of a category (and of its descendants) carry: size, colour, net
    weight, shelf life... `value_type` is text, number, enum or boolean; `options` lists the
    values of an enum; `unit` is shown beside numbers (g, ml, days)."""

    __tablename__ = "category_attributes"

    id: Mapped[IdPK]
    category_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("categories.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name_en: Mapped[str] = mapped_column(String(100))
    name_zh_cn: Mapped[str | None] = mapped_column(String(100))
    name_fr: Mapped[str | None] = mapped_column(String(100))
    value_type: Mapped[str] = mapped_column(String(10))
    unit: Mapped[str | None] = mapped_column(String(10))
    required: Mapped[bool] = mapped_column(default=False)
    options: Mapped[list[str] | None] = mapped_column(JSON)
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime]

    __table_args__ = (
        UniqueConstraint("category_id", "code"),
        CheckConstraint(
            "value_type IN ('text', 'number', 'enum', 'boolean')", name="value_type_known"
        ),
    )


class Product(Base):
    """A product (SPU) of one shop. `seller_ref` is the seller's own product code (a feed's
    item_group_id, or the SKU code of a single-variant product), unique within the shop.
    Price range and currency are kept from the variants for listing and sorting;
    `content_hash` is the digest of the normalised product, so an unchanged re-import is a
    no-op. Status changes only through the listing machine (catalog.listing)."""

    __tablename__ = "products"

    id: Mapped[IdPK]
    shop_id: Mapped[int] = _shop_fk()
    seller_ref: Mapped[str] = mapped_column(String(64))
    category_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("categories.id"), index=True)
    brand_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("brands.id"), index=True)
    default_language: Mapped[str] = mapped_column(String(5))
    status: Mapped[str] = mapped_column(String(20))
    status_reason: Mapped[str | None] = mapped_column(Text)
    findings: Mapped[list[Any]] = mapped_column(JSON, default=list)
    return_exclusion: Mapped[str | None] = mapped_column(String(20))
    option_axes: Mapped[list[str]] = mapped_column(JSON, default=list)
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    currency: Mapped[str] = mapped_column(String(3))
    min_price_minor: Mapped[int] = mapped_column(BigInteger)
    max_price_minor: Mapped[int] = mapped_column(BigInteger)
    sales_count: Mapped[int] = mapped_column(BigInteger, default=0)
    rating_count: Mapped[int] = mapped_column(Integer, default=0)
    rating_sum: Mapped[int] = mapped_column(Integer, default=0)
    content_hash: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    listed_at: Mapped[datetime | None]

    __table_args__ = (
        UniqueConstraint("shop_id", "seller_ref"),
        Index("ix_products_live_category", "status", "category_id", "listed_at"),
        CheckConstraint(
            "status IN ('draft', 'pending', 'live', 'rejected', 'delisted')", name="status_known"
        ),
        CheckConstraint(
            "return_exclusion IS NULL OR return_exclusion IN "
            "('custom_made', 'perishable', 'opened_media')",
            name="return_exclusion_known",
        ),
        CheckConstraint(
            "min_price_minor > 0 AND max_price_minor >= min_price_minor", name="price_range"
        ),
    )


class ProductText(Base):
    """A product's title and description in one language (zh-CN, en, fr)."""

    __tablename__ = "product_texts"

    product_id: Mapped[int] = mapped_column(BigId, ForeignKey(PRODUCT_FK), primary_key=True)
    language: Mapped[str] = mapped_column(String(5), primary_key=True)
    shop_id: Mapped[int] = _shop_fk()
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")


class Sku(Base):
    """A variant (SKU): one value per option axis of its product, its own price, GTIN, weight
    and the seller's SKU code (unique within the shop; imports match rows on it)."""

    __tablename__ = "skus"

    id: Mapped[IdPK]
    product_id: Mapped[int] = _product_fk()
    shop_id: Mapped[int] = _shop_fk()
    seller_sku: Mapped[str] = mapped_column(String(64))
    options: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    price_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    gtin: Mapped[str | None] = mapped_column(String(14))
    weight_grams: Mapped[int | None] = mapped_column(Integer)
    per_buyer_limit: Mapped[int | None] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(default=0)
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    __table_args__ = (
        UniqueConstraint("shop_id", "seller_sku"),
        CheckConstraint("price_minor > 0", name="price_positive"),
        CheckConstraint("weight_grams IS NULL OR weight_grams >= 0", name="weight_not_negative"),
    )


class ProductImage(Base):
    """An image of a product, stored through the storage port (`storage_key`, with a
    thumbnail) or, for feed imports whose pictures are not fetched, the feed's `source_url`."""

    __tablename__ = "product_images"

    id: Mapped[IdPK]
    product_id: Mapped[int] = _product_fk()
    shop_id: Mapped[int] = _shop_fk()
    position: Mapped[int] = mapped_column(default=0)
    storage_key: Mapped[str | None] = mapped_column(String(200))
    thumbnail_key: Mapped[str | None] = mapped_column(String(200))
    source_url: Mapped[str | None] = mapped_column(String(2000))
    content_type: Mapped[str | None] = mapped_column(String(40))
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime]


class ListingHistory(Base):
    """Append-only: one row per transition of a product's listing status."""

    __tablename__ = "listing_history"

    id: Mapped[IdPK]
    product_id: Mapped[int] = _product_fk()
    shop_id: Mapped[int] = _shop_fk()
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(30))
    actor_user_id: Mapped[int | None] = mapped_column(BigInteger)
    reason: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime]
