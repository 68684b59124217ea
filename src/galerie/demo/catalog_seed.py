"""Seeding the demo catalog: Nordhavn's 500-article feed is written to var/ for the seller to
import from the seller centre (it is not imported here: that is the story to show), and the
other live shops get their products through the catalog (save_product), each with a
picture and a thumbnail drawn locally and stored through the storage port.

Idempotent: saving is an upsert on the shop's seller_ref, so a second run changes nothing,
and pictures already stored are not written again."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from galerie.catalog.drafts import ImageDraft, ProductDraft, VariantDraft
from galerie.db import Database
from galerie.demo.brands import AURORA, KERAMIK, LINDQVIST_BRAND, SABOTS, TINY_TIN
from galerie.demo.catalog import FEED_FILE, DemoProduct, family_products, nordhavn_feed
from galerie.demo.catalog_images import product_image
from galerie.imports import CatalogWriter, catalog_writer
from galerie.kernel import Clock
from galerie.sellers.models import Brand, Shop, ShopBrand
from galerie.storage import FileStorage

SEED = 20261129
FEED_NAME = "nordhavn-feed.tsv"
IMAGE_BATCH = 32


@dataclass(frozen=True, slots=True)
class ShopPlan:
    slug: str
    families: tuple[tuple[str, int], ...]
    ref_prefix: str
    gtin_prefix: str
    brands: tuple[str, ...] = ()


OTHER_SHOPS = (
    ShopPlan("atelier-des-sabots", (("shoes", 260), ("footwear", 180), ("shoecare", 90)), "SAB",
             "3760123", (SABOTS,)),
    ShopPlan("xiaomei-crafts", (("crafts", 340),), "XMC", "6901234"),
    ShopPlan("lindqvist", (("kitchen", 400), ("cookware", 220)), "LQV", "7312345",
             (LINDQVIST_BRAND,)),
    ShopPlan("aurora-toys", (("toys", 200), ("woodentoys", 130)), "AUR", "7319876", (AURORA,)),
    ShopPlan("panda-home", (("kitchen", 240), ("decor", 240), ("cookware", 80)), "PDH", "6923456",
             (LINDQVIST_BRAND, KERAMIK)),
    ShopPlan("zhang-wei-tea", (("tea", 280),), "ZWT", "6934567"),
    ShopPlan("kiddo-toy-box", (("toys", 200), ("games", 150), ("woodentoys", 80)), "KTB",
             "6945678", (AURORA, TINY_TIN)),
    ShopPlan("retro-pixel", (("retro", 56), ("retroparts", 64)), "RTP", "6956789"),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class CatalogSeedReport:
    feed_path: Path
    products_saved: int
    seconds: float


def write_nordhavn_feed(var_dir: Path) -> Path:
    """var/demo/nordhavn-feed.tsv, the same bytes as the shipped copy."""
    target = var_dir / "demo" / FEED_NAME
    target.parent.mkdir(parents=True, exist_ok=True)
    data = FEED_FILE.read_bytes() if FEED_FILE.exists() else nordhavn_feed()
    if not target.exists() or target.read_bytes() != data:
        target.write_bytes(data)
    return target


def plan_products(plan: ShopPlan) -> list[DemoProduct]:
    return [
        product
        for n, (family, count) in enumerate(plan.families)
        for product in family_products(
            family,
            count,
            seed=SEED,
            ref_prefix=f"{plan.ref_prefix}{n or ''}",
            gtin_prefix=plan.gtin_prefix[:-1] + str(n),  # one GTIN range per family
        )
    ]


async def _store_image(storage: FileStorage, product: DemoProduct, slug: str) -> ImageDraft:
    key = f"demo/products/{slug}/{product.seller_ref}.png"
    thumb = f"demo/products/{slug}/{product.seller_ref}.thumb.png"
    if not await storage.exists(thumb):
        picture, thumbnail = await asyncio.to_thread(
            product_image, product.seller_ref, product.family, product.initials
        )
        await storage.put(key, picture, content_type="image/png")
        await storage.put(thumb, thumbnail, content_type="image/png")
    return ImageDraft(storage_key=key, thumbnail_key=thumb, content_type="image/png",
                      width=160, height=160)  # fmt: skip


def draft_of(product: DemoProduct, *, brand_id: int | None, image: ImageDraft) -> ProductDraft:
    return ProductDraft(
        seller_ref=product.seller_ref, category_id=product.category_id,
        default_language=product.default_language, titles=product.titles,
        descriptions=product.descriptions, brand_id=brand_id, option_axes=product.option_axes,
        attributes=product.attributes, images=(image,), return_exclusion=product.return_exclusion,
        variants=tuple(
            VariantDraft(seller_sku=v.seller_sku, price=v.price, options=v.options, gtin=v.gtin,
                         weight_grams=v.weight_grams)
            for v in product.variants
        ),
    )  # fmt: skip


async def _shops(db: Database) -> dict[str, tuple[int, dict[str, int]]]:
    """Live shops by slug, with their brands' ids by name."""
    async with db.reading() as session:
        shops = dict((await session.execute(
            select(Shop.slug, Shop.id).where(Shop.status == "live"))).tuples().all())  # fmt: skip
        rows = await session.execute(
            select(ShopBrand.shop_id, Brand.name, Brand.id).join(
                Brand, Brand.id == ShopBrand.brand_id
            )
        )
        brands: dict[int, dict[str, int]] = {}
        for shop_id, name, brand_id in rows.tuples():
            brands.setdefault(shop_id, {})[name] = brand_id
    return {slug: (shop_id, brands.get(shop_id, {})) for slug, shop_id in shops.items()}


async def seed_shop_products(
    db: Database, clock: Clock, *, storage: FileStorage, writer: CatalogWriter
) -> int:
    """Every other live shop's products, saved through the catalog; returns how many."""
    shops, saved = await _shops(db), 0
    for plan in OTHER_SHOPS:
        if plan.slug not in shops:
            continue
        shop_id, brands = shops[plan.slug]
        products = plan_products(plan)
        images: list[ImageDraft] = []
        for start in range(0, len(products), IMAGE_BATCH):  # files are written concurrently
            batch = products[start : start + IMAGE_BATCH]
            images += await asyncio.gather(*(_store_image(storage, p, plan.slug) for p in batch))
        for n, (product, image) in enumerate(zip(products, images, strict=True)):
            brand = brands.get(plan.brands[n % len(plan.brands)]) if plan.brands else None
            await writer.save_product(
                db, actor_user_id=None, shop_id=shop_id, now=clock.now(),
                draft=draft_of(product, brand_id=brand, image=image),
            )  # fmt: skip
            saved += 1
    return saved


async def seed_demo_catalog(
    db: Database,
    clock: Clock,
    *,
    storage: FileStorage,
    var_dir: Path,
    writer: CatalogWriter | None = None,
) -> CatalogSeedReport:
    """Write Nordhavn's feed to var/demo/ and seed the other live shops' products through
    the catalog (or `writer`)."""
    started = time.monotonic()
    feed = write_nordhavn_feed(var_dir)
    saved = await seed_shop_products(db, clock, storage=storage, writer=writer or catalog_writer())
    return CatalogSeedReport(feed, saved, time.monotonic() - started)
