"""What a shop may list: read from the sellers domain's tables.

The sellers domain imports the catalog (category views), so the catalog cannot import
sellers without a cycle (import-linter "Domains form no cycles"). These reads mirror
sellers.may_sell (shop preparing or live; category under an approved top-level category,
with its qualification; brand one of the shop's brands, or none for an individual shop)
and name each refusal, which may_sell's boolean cannot. tests/integration/catalog checks
that both agree."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import column, func, or_, select, table
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from galerie.catalog.errors import DraftProblem
from galerie.catalog.models import Category
from galerie.catalog.queries import get_category

SHOPS = table(
    "shops",
    column("id"),
    column("organisation_id"),
    column("status"),
    column("shop_type"),
    column("name"),
    column("slug"),
)
SHOP_CATEGORIES = table("shop_categories", column("shop_id"), column("category_id"))
SHOP_BRANDS = table("shop_brands", column("shop_id"), column("brand_id"))
SHOP_QUALIFICATIONS = table("shop_qualifications", column("shop_id"), column("qualification"))
SELLING_STATUSES = ("preparing", "live")
VISIBLE_SHOP_STATUS = "live"


@dataclass(frozen=True, slots=True)
class ShopFacts:
    id: int
    organisation_id: int
    status: str
    shop_type: str


async def shop_facts(session: AsyncSession, shop_id: int) -> ShopFacts | None:
    row = (
        await session.execute(
            select(SHOPS.c.id, SHOPS.c.organisation_id, SHOPS.c.status, SHOPS.c.shop_type).where(
                SHOPS.c.id == shop_id
            )
        )
    ).one_or_none()
    return None if row is None else ShopFacts(*row)


async def _count(session: AsyncSession, statement: object) -> int:
    return int(await session.scalar(statement) or 0)  # type: ignore[call-overload]


async def listing_rights_problems(
    session: AsyncSession, *, shop_id: int, category_id: int, brand_id: int | None
) -> list[DraftProblem]:
    """Why the shop may not list in the category with the brand (empty when it may)."""
    shop = await shop_facts(session, shop_id)
    if shop is None or shop.status not in SELLING_STATUSES:
        return [DraftProblem("shop_id", "shop_not_selling", "This shop cannot list products.")]
    problems: list[DraftProblem] = []
    category = await get_category(session, category_id)
    if category is None or not category.is_active:
        problems.append(DraftProblem("category_id", "unknown_category", "Unknown category."))
    else:
        approved = await _count(
            session,
            select(func.count())
            .select_from(SHOP_CATEGORIES)
            .where(
                SHOP_CATEGORIES.c.shop_id == shop_id,
                SHOP_CATEGORIES.c.category_id == category.top_level_id,
            ),
        )
        qualified = category.requires_qualification is None or await _count(
            session,
            select(func.count())
            .select_from(SHOP_QUALIFICATIONS)
            .where(
                SHOP_QUALIFICATIONS.c.shop_id == shop_id,
                SHOP_QUALIFICATIONS.c.qualification == category.requires_qualification,
            ),
        )
        if not approved or not qualified:
            problems.append(
                DraftProblem(
                    "category_id",
                    "category_not_allowed",
                    "The shop is not approved for this category.",
                )
            )
    if not await _brand_allowed(session, shop, brand_id):
        problems.append(
            DraftProblem("brand_id", "brand_not_allowed", "The shop may not sell this brand.")
        )
    return problems


async def _brand_allowed(session: AsyncSession, shop: ShopFacts, brand_id: int | None) -> bool:
    if shop.shop_type == "individual":
        return True
    if brand_id is None:
        return False
    return bool(
        await _count(
            session,
            select(func.count())
            .select_from(SHOP_BRANDS)
            .where(SHOP_BRANDS.c.shop_id == shop.id, SHOP_BRANDS.c.brand_id == brand_id),
        )
    )


BRANDS = table("brands", column("id"), column("name"))
MAX_CATEGORY_DEPTH_OFFERED = 2


async def shop_brand_choices(session: AsyncSession, shop_id: int) -> list[tuple[int, str]]:
    """The brands the shop may sell, (id, name) by name."""
    rows = await session.execute(
        select(BRANDS.c.id, BRANDS.c.name)
        .join(SHOP_BRANDS, SHOP_BRANDS.c.brand_id == BRANDS.c.id)
        .where(SHOP_BRANDS.c.shop_id == shop_id)
        .order_by(BRANDS.c.name)
    )
    return [(int(i), str(n)) for i, n in rows.tuples()]


async def shop_category_choices(session: AsyncSession, shop_id: int) -> list[tuple[int, str]]:
    """Active categories (with active ancestors) under the shop's approved top-level
    categories, down to depth 2, (id, English path) by path: what the product form offers."""
    top, parent = aliased(Category), aliased(Category)
    rows = await session.execute(
        select(Category.id, Category.path)
        .join(SHOP_CATEGORIES, SHOP_CATEGORIES.c.category_id == Category.top_level_id)
        .join(top, top.id == Category.top_level_id)
        .outerjoin(parent, parent.id == Category.parent_id)
        .where(
            SHOP_CATEGORIES.c.shop_id == shop_id,
            Category.is_active.is_(True),
            top.is_active.is_(True),
            or_(parent.id.is_(None), parent.is_active.is_(True)),
            Category.depth <= MAX_CATEGORY_DEPTH_OFFERED,
        )
        .order_by(Category.path)
    )
    return [(int(i), str(p)) for i, p in rows.tuples()]
