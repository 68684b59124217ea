"""Set-up for import tests: a shop that may sell shoes and food under one brand, and a
CatalogWriter that records drafts instead of the catalog (which the lead wires at merge)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select

from galerie.catalog import import_google_taxonomy
from galerie.catalog.drafts import ProductDraft
from galerie.catalog.product_models import Product, ProductImage, ProductText, Sku
from galerie.db import Database
from galerie.imports.models import CategoryMapping, ImportJob, ImportRowError
from galerie.kernel import DomainError
from galerie.sellers.models import Brand, ShopBrand
from tests.integration.sellers.factories import TAXONOMY, People, insert_shop, make_people

TAXONOMY_EXTRA = """187 - Apparel & Accessories > Shoes
422 - Food, Beverages & Tobacco > Food Items
"""
SHOES, FOOD_ITEMS, APPAREL, FOOD = 187, 422, 166, 412


@dataclass(frozen=True, slots=True)
class Problem:
    field: str
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class Saved:
    product_id: int
    outcome: str
    status: str


class Refused(DomainError):
    """Like the catalog's InvalidProduct: the error carries every problem."""

    def __init__(self, problems: tuple[Problem, ...]) -> None:
        super().__init__(problems[0].message, code="invalid_product")
        self.problems = problems


@dataclass
class RecordingWriter:
    """Validates by a list of refused seller_refs; saves as an upsert on (shop, seller_ref)
    in memory, telling created / updated / unchanged like the catalog does."""

    refuse: dict[str, Problem] = field(default_factory=dict)
    fail_on_save: set[str] = field(default_factory=set)
    crash_on_save: set[str] = field(default_factory=set)
    saved: dict[tuple[int, str], ProductDraft] = field(default_factory=dict)
    validated: int = 0

    async def validate_product_draft(
        self, db: Database, *, shop_id: int, draft: ProductDraft
    ) -> tuple[Problem, ...]:
        self.validated += 1
        problem = self.refuse.get(draft.seller_ref)
        return () if problem is None else (problem,)

    async def save_product(
        self,
        db: Database,
        *,
        actor_user_id: int | None,
        shop_id: int,
        draft: ProductDraft,
        now: datetime,
        submit: bool = True,
    ) -> Saved:
        if draft.seller_ref in self.crash_on_save:
            raise RuntimeError("the database went away")
        if draft.seller_ref in self.refuse:
            raise Refused((self.refuse[draft.seller_ref],))
        if draft.seller_ref in self.fail_on_save:
            raise DomainError("refused at save", code="listing_refused")
        key = (shop_id, draft.seller_ref)
        before = self.saved.get(key)
        self.saved[key] = draft
        outcome = "created" if before is None else "unchanged" if before == draft else "updated"
        return Saved(len(self.saved), outcome, "pending")


@dataclass
class ImportShop:
    people: People
    shop_id: int
    rival_shop_id: int
    brand_id: int


async def import_shop(db: Database, now: datetime, tmp: Path) -> ImportShop:
    source = tmp / "taxonomy-imports.txt"
    source.write_text(TAXONOMY + TAXONOMY_EXTRA, encoding="utf-8")
    await import_google_taxonomy(db, now=now, source=source)
    people = await make_people(db, now)
    shop_id = await insert_shop(db, now, organisation_id=people.org, shop_type="flagship",
                                top_levels=(APPAREL, FOOD))  # fmt: skip
    rival = await insert_shop(db, now, organisation_id=people.rival_org, top_levels=(APPAREL,))
    async with db.transaction() as session:
        brand = Brand(name=f"Nordhavn {shop_id}", owner_organisation_id=people.org, created_at=now)
        session.add(brand)
        await session.flush()
        session.add(ShopBrand(shop_id=shop_id, brand_id=brand.id, organisation_id=people.org))
        brand_id = brand.id
    return ImportShop(people, shop_id, rival, brand_id)


async def import_counts(db: Database) -> dict[str, int]:
    async with db.reading() as session:
        return {
            name: await session.scalar(select(func.count()).select_from(model)) or 0
            for name, model in (
                ("jobs", ImportJob),
                ("errors", ImportRowError),
                ("mappings", CategoryMapping),
            )
        }


async def store_drafts(
    db: Database, shop_id: int, drafts: list[ProductDraft], now: datetime
) -> None:
    """Rows as the catalog would keep them (set-up for the export tests only)."""
    async with db.transaction() as session:
        for draft in drafts:
            prices = [v.price.minor for v in draft.variants]
            product = Product(
                shop_id=shop_id, seller_ref=draft.seller_ref, category_id=draft.category_id,
                brand_id=draft.brand_id, default_language=draft.default_language,
                status="pending", findings=[], return_exclusion=draft.return_exclusion,
                option_axes=list(draft.option_axes), attributes=dict(draft.attributes),
                currency=draft.variants[0].price.currency, min_price_minor=min(prices),
                max_price_minor=max(prices), content_hash="0" * 64, created_at=now, updated_at=now,
            )  # fmt: skip
            session.add(product)
            await session.flush()
            for language, title in draft.titles.items():
                session.add(ProductText(product_id=product.id, language=language, shop_id=shop_id,
                                        title=title, description=draft.descriptions.get(language, "")))  # fmt: skip
            for n, v in enumerate(draft.variants):
                session.add(Sku(product_id=product.id, shop_id=shop_id, seller_sku=v.seller_sku,
                                options=dict(v.options), price_minor=v.price.minor,
                                currency=v.price.currency, gtin=v.gtin, weight_grams=v.weight_grams,
                                position=n, created_at=now, updated_at=now))  # fmt: skip
            for n, image in enumerate(draft.images):
                session.add(ProductImage(product_id=product.id, shop_id=shop_id, position=n,
                                         source_url=image.source_url, created_at=now))  # fmt: skip
