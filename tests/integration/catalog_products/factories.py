"""Set-up for the product tests: the sellers tests' categories and people, an individual
shop approved for Home & Garden, a flagship shop approved for Apparel with one brand, and
a rival organisation's shop. Factories set up state; behaviour goes through the services."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select

from galerie.audit import AuditRecord
from galerie.catalog import ProductDraft, VariantDraft
from galerie.catalog.product_models import (
    ListingHistory,
    Product,
    ProductImage,
    ProductText,
    Sku,
)
from galerie.db import Database
from galerie.db.outbox import OutboxEvent
from galerie.kernel import Money
from galerie.sellers.models import Brand, ShopBrand
from tests.integration.sellers.factories import (
    APPAREL,
    CLOTHING,
    HOME,
    People,
    insert_shop,
    load_categories,
    make_people,
)

__all__ = [
    "APPAREL",
    "CLOTHING",
    "HOME",
    "World",
    "counts",
    "home_draft",
    "make_world",
    "shirt_draft",
]


@dataclass
class World:
    people: People
    shop: int  # individual, Home & Garden
    flagship: int  # flagship, Apparel, sells `brand`
    brand: int
    other_brand: int
    rival_shop: int


async def _brand(db: Database, name: str, now: datetime) -> int:
    async with db.transaction() as session:
        brand = Brand(name=name, created_at=now)
        session.add(brand)
        await session.flush()
        return brand.id


async def make_world(db: Database, now: datetime, tmp: Path) -> World:
    await load_categories(db, now, tmp)
    people = await make_people(db, now)
    shop = await insert_shop(db, now, organisation_id=people.org, status="live")
    flagship = await insert_shop(
        db,
        now,
        organisation_id=people.org,
        status="live",
        shop_type="flagship",
        top_levels=(APPAREL,),
    )
    brand = await _brand(db, f"Lune {flagship}", now)
    other = await _brand(db, f"Soleil {flagship}", now)
    async with db.transaction() as session:
        session.add(ShopBrand(shop_id=flagship, brand_id=brand, organisation_id=people.org))
    rival = await insert_shop(db, now, organisation_id=people.rival_org, status="live")
    return World(people, shop, flagship, brand, other, rival)


def home_draft(ref: str = "VASE-1", **changes: object) -> ProductDraft:
    base = ProductDraft(
        seller_ref=ref,
        category_id=HOME,
        default_language="en",
        titles={"en": "Celadon vase", "zh-CN": "青瓷花瓶", "fr": "Vase céladon"},
        descriptions={"en": "Hand thrown."},
        variants=(VariantDraft(seller_sku=f"{ref}-S", price=Money(12_900, "CNY")),),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def shirt_draft(brand: int, ref: str = "SHIRT-1", **changes: object) -> ProductDraft:
    base = ProductDraft(
        seller_ref=ref,
        category_id=CLOTHING,
        default_language="zh-CN",
        titles={"zh-CN": "亚麻衬衫", "en": "Linen shirt"},
        brand_id=brand,
        option_axes=("size", "colour"),
        variants=tuple(
            VariantDraft(
                seller_sku=f"{ref}-{size}-{colour}",
                price=Money(29_900 + n * 1000, "CNY"),
                options={"size": size, "colour": colour},
                gtin=None,
                weight_grams=250,
            )
            for n, (size, colour) in enumerate(
                [("S", "white"), ("M", "white"), ("S", "blue"), ("M", "blue")]
            )
        ),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


COUNTED = {
    "products": Product,
    "texts": ProductText,
    "skus": Sku,
    "images": ProductImage,
    "history": ListingHistory,
    "outbox": OutboxEvent,
    "audit": AuditRecord,
}


async def counts(db: Database) -> dict[str, int]:
    result: dict[str, int] = {}
    async with db.reading() as session:
        for name, model in COUNTED.items():
            result[name] = await session.scalar(select(func.count()).select_from(model)) or 0
    return result
