"""Opening the shop of an approved application, or extending the shop of an approved
extension (a helper of approve_application; it never
commits): the shop in `preparing` with its deposit, its top-level categories with their
annual fees, its brands with the authorisation each is sold under, and the qualifications
that were supplied (may_sell checks them for categories that need one)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.catalog import CategoryView
from galerie.sellers.fees import FeeSchedule, annual_fee, required_deposit
from galerie.sellers.models import (
    ApplicationDocument,
    BrandAuthorisation,
    SellerApplication,
    Shop,
    ShopBrand,
    ShopCategory,
    ShopQualification,
)
from galerie.sellers.rules import CheckInput, DocumentKind, ShopType
from galerie.sellers.states import ShopStatus


async def open_shop(
    session: AsyncSession,
    app: SellerApplication,
    facts: CheckInput,
    categories: dict[int, CategoryView],
    schedule: FeeSchedule,
    now: datetime,
) -> int:
    shop_type = ShopType(app.shop_type)
    deposit = required_deposit(
        shop_type,
        brand_marks=[b.trademark_kinds for b in facts.brands],
        category_paths=[v.path for v in categories.values()],
        schedule=schedule,
    )
    shop = Shop(
        organisation_id=app.organisation_id,
        application_id=app.id,
        shop_type=shop_type.value,
        name=app.legal_name[:120],
        slug=f"shop-{app.id}",
        descriptions={},
        navigation=[],
        status=ShopStatus.PREPARING.value,
        deposit_required_minor=deposit.minor,
        deposit_currency=deposit.currency,
        created_at=now,
        updated_at=now,
    )
    session.add(shop)
    await session.flush()
    _add_categories(session, shop, categories, schedule)
    await _add_brands(session, shop, app, facts)
    await _add_qualifications(session, shop, app)
    return shop.id


async def extend_shop(
    session: AsyncSession,
    shop: Shop,
    app: SellerApplication,
    facts: CheckInput,
    categories: dict[int, CategoryView],
    schedule: FeeSchedule,
    now: datetime,
) -> None:
    """Add what an approved extension asked for: its new top-level categories (with their
    annual fees), its brands and the qualifications it supplied. The deposit is left as it
    is (the payments issue settles top-ups)."""
    held = facts.shop
    assert held is not None
    _add_categories(session, shop, categories, schedule, skip=held.top_level_ids)
    # A brand another extension added meanwhile is already there.
    new_brands = [b for b in facts.brands if b.id not in held.brand_ids]
    await _add_brands(session, shop, app, replace(facts, brands=new_brands))
    await _add_qualifications(session, shop, app, skip=held.qualifications)
    shop.updated_at = now


def _add_categories(
    session: AsyncSession,
    shop: Shop,
    categories: dict[int, CategoryView],
    schedule: FeeSchedule,
    skip: frozenset[int] = frozenset(),
) -> None:
    for top in sorted({v.top_level_id for v in categories.values()} - skip):
        fee = annual_fee(top, schedule)
        session.add(
            ShopCategory(
                shop_id=shop.id,
                category_id=top,
                organisation_id=shop.organisation_id,
                annual_fee_minor=fee.minor,
                currency=fee.currency,
            )
        )


async def _add_brands(
    session: AsyncSession, shop: Shop, app: SellerApplication, facts: CheckInput
) -> None:
    today = facts.today
    for brand in facts.brands:
        authorisation = None
        if brand.owner_organisation_id != app.organisation_id:
            authorisation = await session.scalar(
                select(BrandAuthorisation.id)
                .where(
                    BrandAuthorisation.brand_id == brand.id,
                    BrandAuthorisation.organisation_id == app.organisation_id,
                    BrandAuthorisation.valid_from <= today,
                    BrandAuthorisation.valid_to >= today,
                )
                .order_by(BrandAuthorisation.valid_to.desc())
                .limit(1)
            )
        session.add(
            ShopBrand(
                shop_id=shop.id,
                brand_id=brand.id,
                organisation_id=shop.organisation_id,
                authorisation_id=authorisation,
            )
        )


async def _add_qualifications(
    session: AsyncSession, shop: Shop, app: SellerApplication, skip: frozenset[str] = frozenset()
) -> None:
    codes = await session.scalars(
        select(ApplicationDocument.qualification)
        .where(
            ApplicationDocument.application_id == app.id,
            ApplicationDocument.kind == DocumentKind.CATEGORY_QUALIFICATION.value,
            ApplicationDocument.qualification.is_not(None),
        )
        .distinct()
    )
    for code in codes:
        if code is not None and code not in skip:
            session.add(
                ShopQualification(
                    shop_id=shop.id, organisation_id=shop.organisation_id, qualification=code
                )
            )
