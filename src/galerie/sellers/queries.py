"""Reads for the seller centre, the operator console, the storefront and other domains.
Each is a fixed number of queries. Rows of another organisation are NotFound (access.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.catalog import get_category
from galerie.identity import Permission, Principal
from galerie.kernel import Forbidden, Page, PageRequest
from galerie.sellers.access import may_see, visible_or_not_found
from galerie.sellers.models import (
    ApplicationDocument,
    ApplicationFinding,
    ApplicationHistory,
    SellerApplication,
    Shop,
    ShopBrand,
    ShopCategory,
    ShopQualification,
)
from galerie.sellers.rules import ApplicationKind, ShopType
from galerie.sellers.states import SHOP_MAY_SELL, ApplicationStatus, ShopStatus

REVIEW_TARGET = timedelta(days=3)
QUEUE_STATES = (ApplicationStatus.UNDER_REVIEW, ApplicationStatus.CHANGES_REQUESTED)


@dataclass(frozen=True, slots=True)
class ApplicationSummary:
    id: int
    organisation_id: int
    legal_name: str
    shop_type: str
    status: str
    submitted_at: datetime | None
    assigned_reviewer_id: int | None
    age: timedelta | None
    overdue: bool
    kind: str = "opening"
    shop_id: int | None = None  # the shop an extension extends


def _summary(app: SellerApplication, now: datetime, target: timedelta) -> ApplicationSummary:
    waiting = app.status == ApplicationStatus.UNDER_REVIEW and app.submitted_at is not None
    age = now - app.submitted_at if waiting and app.submitted_at else None
    return ApplicationSummary(
        id=app.id,
        organisation_id=app.organisation_id,
        legal_name=app.legal_name,
        shop_type=app.shop_type,
        status=app.status,
        submitted_at=app.submitted_at,
        assigned_reviewer_id=app.assigned_reviewer_id,
        age=age,
        overdue=age is not None and age > target,
        kind=app.kind,
        shop_id=app.shop_id,
    )


async def organisation_applications(
    session: AsyncSession, *, actor: Principal, organisation_id: int, now: datetime
) -> list[ApplicationSummary]:
    """The organisation's applications, newest first (its members and operators only)."""
    visible_or_not_found(actor, organisation_id, "organisation")
    rows = await session.scalars(
        select(SellerApplication)
        .where(SellerApplication.organisation_id == organisation_id)
        .order_by(SellerApplication.id.desc())
    )
    return [_summary(app, now, REVIEW_TARGET) for app in rows]


@dataclass(frozen=True, slots=True)
class QueueFilter:
    status: ApplicationStatus | None = None
    shop_type: ShopType | None = None
    reviewer_id: int | None = None
    overdue_only: bool = False
    kind: ApplicationKind | None = None


def _filtered(query: Select[Any], wanted: QueueFilter, cutoff: datetime) -> Select[Any]:
    states = [wanted.status] if wanted.status else list(QUEUE_STATES)
    query = query.where(SellerApplication.status.in_([s.value for s in states]))
    if wanted.shop_type:
        query = query.where(SellerApplication.shop_type == wanted.shop_type.value)
    if wanted.kind:
        query = query.where(SellerApplication.kind == wanted.kind.value)
    if wanted.reviewer_id is not None:
        query = query.where(SellerApplication.assigned_reviewer_id == wanted.reviewer_id)
    if wanted.overdue_only:
        query = query.where(
            SellerApplication.status == ApplicationStatus.UNDER_REVIEW,
            SellerApplication.submitted_at < cutoff,
        )
    return query


async def review_queue(
    session: AsyncSession,
    *,
    actor: Principal,
    now: datetime,
    wanted: QueueFilter | None = None,
    page: PageRequest | None = None,
    target: timedelta = REVIEW_TARGET,
) -> Page[ApplicationSummary]:
    """The operators' queue, oldest submission first, with each one's age against the
    review-time `target`. Needs CONSOLE_VETTING."""
    if not actor.can(Permission.CONSOLE_VETTING):
        raise Forbidden("You are not allowed to do this.", code="forbidden")
    wanted, page = wanted or QueueFilter(), page or PageRequest()
    query = _filtered(select(SellerApplication), wanted, now - target)
    count = _filtered(select(func.count()).select_from(SellerApplication), wanted, now - target)
    rows = await session.scalars(
        query.order_by(SellerApplication.submitted_at, SellerApplication.id)
        .offset(page.offset)
        .limit(page.size)
    )
    total = await session.scalar(count)
    return Page([_summary(a, now, target) for a in rows], page, total or 0)


@dataclass(frozen=True, slots=True)
class ApplicationDetail:
    application: SellerApplication
    documents: list[ApplicationDocument]
    findings: list[ApplicationFinding]  # of the latest submission
    history: list[ApplicationHistory]
    summary: ApplicationSummary


async def application_detail(
    session: AsyncSession, *, actor: Principal, application_id: int, now: datetime
) -> ApplicationDetail:
    app = await session.get(SellerApplication, application_id)
    visible_or_not_found(actor, None if app is None else app.organisation_id, "seller_application")
    assert app is not None
    docs = await session.scalars(
        select(ApplicationDocument)
        .where(ApplicationDocument.application_id == app.id)
        .order_by(ApplicationDocument.kind, ApplicationDocument.id)
    )
    findings = await session.scalars(
        select(ApplicationFinding)
        .where(
            ApplicationFinding.application_id == app.id,
            ApplicationFinding.submission == app.submissions,
        )
        .order_by(ApplicationFinding.id)
    )
    history = await session.scalars(
        select(ApplicationHistory)
        .where(ApplicationHistory.application_id == app.id)
        .order_by(ApplicationHistory.id)
    )
    return ApplicationDetail(
        app, list(docs), list(findings), list(history), _summary(app, now, REVIEW_TARGET)
    )


@dataclass(frozen=True, slots=True)
class ShopView:
    id: int
    organisation_id: int
    shop_type: str
    name: str
    slug: str
    descriptions: dict[str, str]
    navigation: list[Any]
    logo_key: str | None
    banner_key: str | None
    status: str
    deposit_required_minor: int
    deposit_currency: str
    deposit_paid: bool  # derived: the deposit held covers the deposit required
    deposit_held_minor: int = 0


def _shop_view(shop: Shop) -> ShopView:
    return ShopView(
        shop.id,
        shop.organisation_id,
        shop.shop_type,
        shop.name,
        shop.slug,
        dict(shop.descriptions),
        list(shop.navigation),
        shop.logo_key,
        shop.banner_key,
        shop.status,
        shop.deposit_required_minor,
        shop.deposit_currency,
        shop.deposit_held_minor >= shop.deposit_required_minor,
        shop.deposit_held_minor,
    )


async def shop_directory(
    session: AsyncSession,
    *,
    shop_type: ShopType | None = None,
    top_level_id: int | None = None,
    page: PageRequest | None = None,
) -> Page[ShopView]:
    """Live shops only, by name."""
    page = page or PageRequest()
    query = select(Shop).where(Shop.status == ShopStatus.LIVE.value)
    if shop_type:
        query = query.where(Shop.shop_type == shop_type.value)
    if top_level_id is not None:
        query = query.where(
            Shop.id.in_(
                select(ShopCategory.shop_id).where(ShopCategory.category_id == top_level_id)
            )
        )
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = await session.scalars(
        query.order_by(Shop.name, Shop.id).offset(page.offset).limit(page.size)
    )
    return Page([_shop_view(s) for s in rows], page, total or 0)


async def shop_by_slug(
    session: AsyncSession, *, slug: str, viewer: Principal | None
) -> ShopView | None:
    """A live shop for anyone; a preparing, suspended or closed one only for its own
    members and operators (the discreet launch). None when not visible."""
    shop = await session.scalar(select(Shop).where(Shop.slug == slug.strip().lower()))
    if shop is None:
        return None
    if shop.status != ShopStatus.LIVE and (
        viewer is None or not may_see(viewer, shop.organisation_id)
    ):
        return None
    return _shop_view(shop)


async def may_sell(
    session: AsyncSession, *, shop_id: int, category_id: int, brand_id: int | None
) -> bool:
    """Whether the shop may list in the category (and the brand): the shop is preparing or
    live; the category lies under one of its approved top-level categories and, if it needs
    a qualification, the shop supplied it; the brand is one of its brands (an individual
    shop sells without a brand, and so does any shop when brand_id is None only if it is
    an individual shop)."""
    shop = await session.get(Shop, shop_id)
    category = await get_category(session, category_id)
    if shop is None or category is None or not category.is_active:
        return False
    if shop.status not in SHOP_MAY_SELL:
        return False
    approved = await session.scalar(
        select(func.count())
        .select_from(ShopCategory)
        .where(ShopCategory.shop_id == shop_id, ShopCategory.category_id == category.top_level_id)
    )
    if not approved or not await _qualified(session, shop_id, category.requires_qualification):
        return False
    if shop.shop_type == ShopType.INDIVIDUAL:
        return True
    if brand_id is None:
        return False
    return bool(
        await session.scalar(
            select(func.count())
            .select_from(ShopBrand)
            .where(ShopBrand.shop_id == shop_id, ShopBrand.brand_id == brand_id)
        )
    )


async def _qualified(session: AsyncSession, shop_id: int, qualification: str | None) -> bool:
    if qualification is None:
        return True
    found = await session.scalar(
        select(func.count())
        .select_from(ShopQualification)
        .where(
            ShopQualification.shop_id == shop_id, ShopQualification.qualification == qualification
        )
    )
    return bool(found)
