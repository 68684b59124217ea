"""Gathering what the automatic checks need, in the caller's transaction (a fixed number of
queries whatever the number of documents, brands or categories), then running them."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from galerie.catalog import CategoryView, categories_by_ids
from galerie.sellers.models import (
    ApplicationDocument,
    Brand,
    BrandAuthorisation,
    SellerApplication,
    ShopBrand,
    ShopCategory,
    ShopQualification,
    Trademark,
)
from galerie.sellers.rules import (
    ApplicantKind,
    AuthorisationFacts,
    BrandFacts,
    CategoryFacts,
    CheckInput,
    DocumentFacts,
    Finding,
    ShopFacts,
    ShopType,
    check_application,
)
from galerie.sellers.states import HOLDING


async def brand_facts(session: AsyncSession, brand_ids: list[int]) -> list[BrandFacts]:
    if not brand_ids:
        return []
    brands = await session.execute(
        select(Brand.id, Brand.owner_organisation_id).where(Brand.id.in_(brand_ids))
    )
    marks = await session.execute(
        select(Trademark.brand_id, Trademark.kind).where(Trademark.brand_id.in_(brand_ids))
    )
    kinds: dict[int, set[str]] = defaultdict(set)
    for brand_id, kind in marks.tuples():
        kinds[brand_id].add(kind)
    return [BrandFacts(b, owner, frozenset(kinds[b])) for b, owner in brands.tuples()]


async def authorisation_facts(
    session: AsyncSession, organisation_id: int, brand_ids: list[int]
) -> list[AuthorisationFacts]:
    if not brand_ids:
        return []
    parent = aliased(BrandAuthorisation)
    rows = await session.execute(
        select(BrandAuthorisation, parent.valid_to)
        .outerjoin(parent, parent.id == BrandAuthorisation.parent_authorisation_id)
        .where(
            BrandAuthorisation.organisation_id == organisation_id,
            BrandAuthorisation.brand_id.in_(brand_ids),
        )
    )
    return [
        AuthorisationFacts(
            brand_id=a.brand_id,
            organisation_id=a.organisation_id,
            exclusive=a.exclusive,
            valid_from=a.valid_from,
            valid_to=a.valid_to,
            parent_valid_to=parent_to,
        )
        for a, parent_to in rows.tuples()
    ]


async def registration_number_in_use(session: AsyncSession, app: SellerApplication) -> bool:
    other = await session.scalar(
        select(SellerApplication.id)
        .where(
            SellerApplication.registration_number == app.registration_number,
            SellerApplication.country == app.country,
            SellerApplication.organisation_id != app.organisation_id,
            SellerApplication.status.in_([s.value for s in HOLDING]),
        )
        .limit(1)
    )
    return other is not None


async def shop_facts(session: AsyncSession, shop_id: int) -> ShopFacts:
    """The brands, top-level categories and qualifications the shop already holds."""
    brands = await session.scalars(select(ShopBrand.brand_id).where(ShopBrand.shop_id == shop_id))
    tops = await session.scalars(
        select(ShopCategory.category_id).where(ShopCategory.shop_id == shop_id)
    )
    quals = await session.scalars(
        select(ShopQualification.qualification).where(ShopQualification.shop_id == shop_id)
    )
    return ShopFacts(frozenset(brands), frozenset(tops), frozenset(quals))


async def check_input(
    session: AsyncSession,
    app: SellerApplication,
    today: date,
    categories: dict[int, CategoryView] | None = None,
) -> CheckInput:
    docs = await session.scalars(
        select(ApplicationDocument).where(ApplicationDocument.application_id == app.id)
    )
    views = categories or await categories_by_ids(session, app.category_ids)
    shop = None if app.shop_id is None else await shop_facts(session, app.shop_id)
    return CheckInput(
        organisation_id=app.organisation_id,
        applicant_kind=ApplicantKind(app.applicant_kind),
        shop_type=ShopType(app.shop_type),
        documents=[DocumentFacts(d.kind, d.valid_until, d.qualification, d.brand_id) for d in docs],
        brands=await brand_facts(session, app.brand_ids),
        authorisations=await authorisation_facts(session, app.organisation_id, app.brand_ids),
        categories=[
            CategoryFacts(v.id, v.top_level_id, v.requires_qualification) for v in views.values()
        ],
        registration_number_in_use=shop is None and await registration_number_in_use(session, app),
        today=today,
        shop=shop,
    )


async def run_checks(session: AsyncSession, app: SellerApplication, today: date) -> list[Finding]:
    return check_application(await check_input(session, app, today))
