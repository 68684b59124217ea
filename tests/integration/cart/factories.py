"""Set-up for the cart tests: a live shop's product with stock, SKU ids, and changes made
straight to the tables (what sellers and operators would do through their own services)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from galerie.catalog.product_models import Product, Sku
from galerie.db import Database
from galerie.inventory.models import StockLevel
from galerie.sellers.models import Shop
from tests.integration.catalog.storefront_factories import (
    ProductSpec,
    Variation,
    insert_product,
    insert_warehouse,
)


@dataclass
class Goods:
    product_id: int
    skus: list[int]


async def make_goods(
    db: Database,
    now: datetime,
    shop_id: int,
    *,
    stock: tuple[int, ...] = (50, 50),
    prices: tuple[int, ...] = (1999, 2999),
    title: str = "Jasmine tea",
    images: int = 1,
) -> Goods:
    warehouse = await insert_warehouse(db, now, shop_id)
    spec = ProductSpec(
        titles={"en": title, "fr": f"{title} (fr)"},
        option_axes=["size"],
        images=images,
        variants=[
            Variation({"size": f"S{n}"}, price, stock=(units,))
            for n, (price, units) in enumerate(zip(prices, stock, strict=True))
        ],
    )
    product_id = await insert_product(db, now, shop_id=shop_id, warehouses=(warehouse,), spec=spec)
    async with db.reading() as session:
        skus = list(
            await session.scalars(
                select(Sku.id).where(Sku.product_id == product_id).order_by(Sku.position)
            )
        )
    return Goods(product_id, skus)


async def change_sku(db: Database, sku_id: int, **values: object) -> None:
    async with db.transaction() as session:
        await session.execute(update(Sku).where(Sku.id == sku_id).values(**values))


async def change_product(db: Database, product_id: int, **values: object) -> None:
    async with db.transaction() as session:
        await session.execute(update(Product).where(Product.id == product_id).values(**values))


async def change_shop(db: Database, shop_id: int, **values: object) -> None:
    async with db.transaction() as session:
        await session.execute(update(Shop).where(Shop.id == shop_id).values(**values))


async def set_stock(db: Database, sku_id: int, available: int) -> None:
    async with db.transaction() as session:
        await session.execute(
            update(StockLevel)
            .where(StockLevel.sku_id == sku_id)
            .values(available=available, on_hand=available)
        )
