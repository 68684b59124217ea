"""Set-up for the storefront tests: products with their texts, variants, images and stock,
inserted straight into the tables in a given state (the behaviour under test is the reading
side; the catalog services are tested on their own)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from galerie.catalog.product_models import Product, ProductImage, ProductText, Sku
from galerie.db import Database
from galerie.inventory.models import StockLevel, Warehouse
from galerie.sellers.models import Brand

_numbers = itertools.count(1)


@dataclass
class Variation:
    options: dict[str, str]
    price_minor: int
    stock: tuple[int, ...] = (10,)
    is_active: bool = True


@dataclass
class ProductSpec:
    titles: dict[str, str] = field(default_factory=lambda: {"en": "Jasmine tea"})
    default_language: str = "en"
    status: str = "live"
    category_id: int = 536
    currency: str = "CNY"
    variants: list[Variation] = field(default_factory=lambda: [Variation({}, 1999)])
    images: int = 0
    sales_count: int = 0
    brand_id: int | None = None
    return_exclusion: str | None = None
    option_axes: list[str] = field(default_factory=list)
    attributes: dict[str, Any] = field(default_factory=dict)
    listed_minutes_ago: int = 0


async def insert_brand(db: Database, now: datetime, name: str = "Lune") -> int:
    async with db.transaction() as session:
        brand = Brand(name=f"{name} {next(_numbers)}", created_at=now)
        session.add(brand)
        await session.flush()
        return brand.id


async def insert_warehouse(
    db: Database, now: datetime, shop_id: int, *, active: bool = True
) -> int:
    async with db.transaction() as session:
        warehouse = Warehouse(
            shop_id=shop_id, code=f"W{next(_numbers)}", name="Main", country="CN",
            city="Shanghai", address_line="1 Nanjing Road", is_active=active,
            created_at=now, updated_at=now,
        )  # fmt: skip
        session.add(warehouse)
        await session.flush()
        return warehouse.id


async def insert_product(
    db: Database,
    now: datetime,
    *,
    shop_id: int,
    warehouses: tuple[int, ...] = (),
    spec: ProductSpec,
) -> int:
    """A product of `spec`; each variant's `stock` is spread over `warehouses` in order."""
    prices = [v.price_minor for v in spec.variants if v.is_active] or [1]
    n = next(_numbers)
    async with db.transaction() as session:
        product = Product(
            shop_id=shop_id, seller_ref=f"REF-{n}", category_id=spec.category_id,
            brand_id=spec.brand_id, default_language=spec.default_language, status=spec.status,
            findings=[], return_exclusion=spec.return_exclusion, option_axes=spec.option_axes,
            attributes=spec.attributes, currency=spec.currency, min_price_minor=min(prices),
            max_price_minor=max(prices), sales_count=spec.sales_count, content_hash="0" * 64,
            created_at=now, updated_at=now,
            listed_at=now - timedelta(minutes=spec.listed_minutes_ago)
            if spec.status == "live" else None,
        )  # fmt: skip
        session.add(product)
        await session.flush()
        for language, title in spec.titles.items():
            session.add(
                ProductText(
                    product_id=product.id,
                    language=language,
                    shop_id=shop_id,
                    title=title,
                    description=f"{title}: description",
                )
            )
        for position, variant in enumerate(spec.variants):
            sku = Sku(
                product_id=product.id, shop_id=shop_id, seller_sku=f"SKU-{n}-{position}",
                options=variant.options, price_minor=variant.price_minor, currency=spec.currency,
                position=position, is_active=variant.is_active, created_at=now, updated_at=now,
            )  # fmt: skip
            session.add(sku)
            await session.flush()
            for warehouse_id, available in zip(warehouses, variant.stock, strict=False):
                session.add(
                    StockLevel(
                        shop_id=shop_id,
                        warehouse_id=warehouse_id,
                        sku_id=sku.id,
                        on_hand=available,
                        available=available,
                        reserved=0,
                        committed=0,
                        updated_at=now,
                    )
                )
        for position in range(spec.images):
            session.add(
                ProductImage(
                    product_id=product.id,
                    shop_id=shop_id,
                    position=position,
                    storage_key=f"products/{product.id}/{position}.png",
                    thumbnail_key=f"products/{product.id}/{position}-thumb.png",
                    content_type="image/png",
                    width=800,
                    height=800,
                    created_at=now,
                )
            )
        return product.id
