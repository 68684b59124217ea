"""Seeding the demo's stock: one warehouse per shop that sells (Nordhavn's included, so its
seller can receive goods after importing the feed) and stock for every SKU of the live shops,
received through the inventory services; then the search index is rebuilt once.

Quantities are deterministic: most SKUs have plenty, some only a few left and a few none, so
the product pages and the in-stock facet show every case. Idempotent: a shop that already
has a warehouse is left alone."""

from __future__ import annotations

from sqlalchemy import select

from galerie.catalog.product_models import Sku
from galerie.db import Database
from galerie.inventory import WarehouseForm, create_warehouse, receive_stock
from galerie.inventory.models import Warehouse
from galerie.kernel import Clock
from galerie.search import rebuild_index
from galerie.sellers.models import Shop

# slug -> (country, city, street)
WAREHOUSES = {
    "nordhavn": ("DK", "Copenhagen", "Nordhavnsvej 12"),
    "atelier-des-sabots": ("FR", "Lyon", "12 rue des Sabotiers"),
    "xiaomei-crafts": ("CN", "Hangzhou", "88 Wensan Road"),
    "lindqvist": ("SE", "Gothenburg", "Hamngatan 4"),
    "aurora-toys": ("SE", "Malmö", "Stortorget 9"),
    "panda-home": ("CN", "Shanghai", "200 Pudong Avenue"),
    "zhang-wei-tea": ("CN", "Fuzhou", "18 Gutian Road"),
    "kiddo-toy-box": ("CN", "Shenzhen", "66 Nanshan Road"),
    "retro-pixel": ("CN", "Chengdu", "5 Chunxi Road"),
}


def demo_quantity(sku_id: int) -> int:
    """None for one SKU in 23, one to three for one in 9, else 20 to 219."""
    if sku_id % 23 == 0:
        return 0
    if sku_id % 9 == 0:
        return 1 + sku_id % 3
    return 20 + (sku_id * 37) % 200


async def seed_demo_stock(db: Database, clock: Clock) -> int:
    """Warehouses and stock; returns the number of SKUs stocked."""
    async with db.reading() as session:
        shops = dict((await session.execute(
            select(Shop.slug, Shop.id).where(Shop.slug.in_(WAREHOUSES)))).tuples().all())  # fmt: skip
        stocked = set((await session.scalars(select(Warehouse.shop_id))).all())
    count = 0
    for slug, shop_id in sorted(shops.items()):
        if shop_id in stocked:
            continue
        country, city, street = WAREHOUSES[slug]
        form = WarehouseForm(
            code="MAIN", name=f"{city} warehouse", country=country, city=city, address_line=street
        )
        warehouse_id = await create_warehouse(db, shop_id=shop_id, form=form, now=clock.now())
        async with db.reading() as session:
            sku_ids = (
                await session.scalars(
                    select(Sku.id).where(Sku.shop_id == shop_id, Sku.is_active).order_by(Sku.id)
                )
            ).all()
        for sku_id in sku_ids:
            quantity = demo_quantity(sku_id)
            if quantity:
                await receive_stock(
                    db, shop_id=shop_id, warehouse_id=warehouse_id, sku_id=sku_id,
                    quantity=quantity, reference="demo opening stock", now=clock.now(),
                )  # fmt: skip
                count += 1
    await rebuild_index(db)
    return count
