"""Reads for the operator console: every shop in any state, one shop with its history and
categories, the operators who may review applications, and people's names for history
rows. Operators only (Forbidden otherwise); a fixed number of queries each."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.identity import OperatorRole, Permission, Principal
from galerie.identity.models import OperatorRoleGrant, User
from galerie.kernel import Forbidden, NotFound, Page, PageRequest
from galerie.sellers.models import Brand, SellerApplication, Shop, ShopCategory, ShopHistory
from galerie.sellers.queries import (
    REVIEW_TARGET,
    ApplicationSummary,
    QueueFilter,
    ShopView,
    _filtered,
    _shop_view,
    _summary,
    review_queue,
)
from galerie.sellers.states import ShopStatus

# Roles whose holders may be assigned an application (they hold CONSOLE_VETTING).
REVIEWER_ROLES = (OperatorRole.VETTING.value, OperatorRole.ADMIN.value)
SHOP_READERS = (Permission.CONSOLE_MODERATION, Permission.CONSOLE_FINANCE)


def _require_any(actor: Principal, permissions: Iterable[Permission]) -> None:
    if not any(actor.can(p) for p in permissions):
        raise Forbidden("You are not allowed to do this.", code="forbidden")


async def console_review_queue(
    session: AsyncSession,
    *,
    actor: Principal,
    now: datetime,
    wanted: QueueFilter,
    unassigned: bool = False,
    page: PageRequest | None = None,
) -> Page[ApplicationSummary]:
    """queries.review_queue, and also the applications nobody is assigned to (`unassigned`,
    which review_queue's filter cannot express). Oldest submission first."""
    if not unassigned:
        return await review_queue(session, actor=actor, now=now, wanted=wanted, page=page)
    _require_any(actor, (Permission.CONSOLE_VETTING,))
    page, cutoff = page or PageRequest(), now - REVIEW_TARGET
    nobody = SellerApplication.assigned_reviewer_id.is_(None)
    query = _filtered(select(SellerApplication), wanted, cutoff).where(nobody)
    count = _filtered(select(func.count()).select_from(SellerApplication), wanted, cutoff)
    rows = await session.scalars(
        query.order_by(SellerApplication.submitted_at, SellerApplication.id)
        .offset(page.offset)
        .limit(page.size)
    )
    total = await session.scalar(count.where(nobody))
    return Page([_summary(a, now, REVIEW_TARGET) for a in rows], page, total or 0)


async def operator_shops(
    session: AsyncSession,
    *,
    actor: Principal,
    status: ShopStatus | None = None,
    deposit_paid: bool | None = None,
    page: PageRequest | None = None,
) -> Page[ShopView]:
    """All shops, any status, oldest first (filters: status, deposit paid or not). Needs
    CONSOLE_MODERATION or CONSOLE_FINANCE."""
    _require_any(actor, SHOP_READERS)
    page = page or PageRequest()
    query = select(Shop)
    if status is not None:
        query = query.where(Shop.status == status.value)
    if deposit_paid is not None:
        covered = Shop.deposit_held_minor >= Shop.deposit_required_minor
        query = query.where(covered if deposit_paid else ~covered)
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = await session.scalars(query.order_by(Shop.id).offset(page.offset).limit(page.size))
    return Page([_shop_view(s) for s in rows], page, total or 0)


@dataclass(frozen=True, slots=True)
class ShopHistoryEntry:
    from_status: str | None
    to_status: str
    action: str
    actor_user_id: int | None
    reason: str | None
    at: datetime


@dataclass(frozen=True, slots=True)
class ShopCategoryFee:
    category_id: int
    annual_fee_minor: int
    currency: str


@dataclass(frozen=True, slots=True)
class OperatorShop:
    shop: ShopView
    application_id: int
    legal_name: str
    categories: list[ShopCategoryFee]
    history: list[ShopHistoryEntry]


async def operator_shop(session: AsyncSession, *, actor: Principal, shop_id: int) -> OperatorShop:
    """One shop, whatever its status, with its approved categories and annual fees and its
    status history (oldest first). Needs CONSOLE_MODERATION or CONSOLE_FINANCE."""
    _require_any(actor, SHOP_READERS)
    shop = await session.get(Shop, shop_id)
    if shop is None:
        raise NotFound("No such shop.", code="shop_not_found")
    legal_name = await session.scalar(
        select(SellerApplication.legal_name).where(SellerApplication.id == shop.application_id)
    )
    categories = await session.scalars(
        select(ShopCategory)
        .where(ShopCategory.shop_id == shop_id)
        .order_by(ShopCategory.category_id)
    )
    history = await session.scalars(
        select(ShopHistory).where(ShopHistory.shop_id == shop_id).order_by(ShopHistory.id)
    )
    return OperatorShop(
        shop=_shop_view(shop),
        application_id=shop.application_id,
        legal_name=legal_name or "",
        categories=[
            ShopCategoryFee(c.category_id, c.annual_fee_minor, c.currency) for c in categories
        ],
        history=[
            ShopHistoryEntry(h.from_status, h.to_status, h.action, h.actor_user_id, h.reason, h.at)
            for h in history
        ],
    )


async def application_shop_id(
    session: AsyncSession, *, actor: Principal, application_id: int
) -> int | None:
    """The shop an approved application opened, if any (operators with CONSOLE_VETTING)."""
    _require_any(actor, (Permission.CONSOLE_VETTING,))
    found: int | None = await session.scalar(
        select(Shop.id).where(Shop.application_id == application_id)
    )
    return found


@dataclass(frozen=True, slots=True)
class Reviewer:
    user_id: int
    display_name: str


async def vetting_reviewers(session: AsyncSession, *, actor: Principal) -> list[Reviewer]:
    """Active operators who may be assigned an application, by name."""
    _require_any(actor, (Permission.CONSOLE_VETTING,))
    rows = await session.execute(
        select(User.id, User.display_name)
        .where(
            User.is_active.is_(True),
            User.id.in_(
                select(OperatorRoleGrant.user_id).where(OperatorRoleGrant.role.in_(REVIEWER_ROLES))
            ),
        )
        .order_by(User.display_name, User.id)
    )
    return [Reviewer(user_id, name) for user_id, name in rows]


async def people_names(
    session: AsyncSession, *, actor: Principal, user_ids: Iterable[int | None]
) -> dict[int, str]:
    """Display names of the people named in history rows (operators only)."""
    if not actor.is_operator:
        raise Forbidden("You are not allowed to do this.", code="forbidden")
    wanted = sorted({u for u in user_ids if u is not None})
    if not wanted:
        return {}
    rows = await session.execute(select(User.id, User.display_name).where(User.id.in_(wanted)))
    return {int(r[0]): str(r[1]) for r in rows}


async def brand_names(session: AsyncSession, brand_ids: Iterable[int]) -> dict[int, str]:
    """Names of brands (the brand registry is public)."""
    wanted = sorted(set(brand_ids))
    if not wanted:
        return {}
    rows = await session.execute(select(Brand.id, Brand.name).where(Brand.id.in_(wanted)))
    return {int(r[0]): str(r[1]) for r in rows}
