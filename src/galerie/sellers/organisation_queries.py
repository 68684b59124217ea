"""Reads on the seller's side: the organisation's shops, one shop with its history, the
brands an organisation may apply with. The organisation filter is in every WHERE clause, a
fixed number of queries each, NotFound for a row of another organisation."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.kernel import NotFound
from galerie.sellers.models import (
    Brand,
    BrandAuthorisation,
    Shop,
    ShopBrand,
    ShopCategory,
    ShopHistory,
    ShopQualification,
)
from galerie.sellers.queries import ShopView


def _view(shop: Shop) -> ShopView:
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


async def organisation_shops(session: AsyncSession, *, organisation_id: int) -> list[ShopView]:
    """The organisation's shops, newest first (one query)."""
    rows = await session.scalars(
        select(Shop).where(Shop.organisation_id == organisation_id).order_by(Shop.id.desc())
    )
    return [_view(shop) for shop in rows]


@dataclass(frozen=True, slots=True)
class ShopPage:
    shop: ShopView
    history: list[ShopHistory]


async def organisation_shop(
    session: AsyncSession, *, organisation_id: int, shop_id: int
) -> ShopPage:
    """One of the organisation's shops with its status history (two queries); NotFound for
    a shop that does not exist or belongs to another organisation."""
    shop = await session.scalar(
        select(Shop).where(Shop.id == shop_id, Shop.organisation_id == organisation_id)
    )
    if shop is None:
        raise NotFound("No such shop.", code="shop_not_found")
    history = await session.scalars(
        select(ShopHistory).where(ShopHistory.shop_id == shop.id).order_by(ShopHistory.id)
    )
    return ShopPage(_view(shop), list(history))


@dataclass(frozen=True, slots=True)
class BrandChoice:
    id: int
    name: str
    owned: bool


async def organisation_brands(session: AsyncSession, *, organisation_id: int) -> list[BrandChoice]:
    """Brands the organisation owns or holds an authorisation for, by name (one query)."""
    licensed = select(BrandAuthorisation.brand_id).where(
        BrandAuthorisation.organisation_id == organisation_id
    )
    rows = await session.scalars(
        select(Brand)
        .where(or_(Brand.owner_organisation_id == organisation_id, Brand.id.in_(licensed)))
        .order_by(Brand.name, Brand.id)
    )
    return [BrandChoice(b.id, b.name, b.owner_organisation_id == organisation_id) for b in rows]


@dataclass(frozen=True, slots=True)
class ShopAllowances:
    """What a shop is approved to sell: top-level category ids, brands (id, name) and
    qualifications."""

    category_ids: list[int]
    brands: list[tuple[int, str]]
    qualifications: list[str]


async def shop_allowances(session: AsyncSession, *, shop_id: int) -> ShopAllowances:
    """The shop's approved categories, brands and qualifications (three queries)."""
    tops = await session.scalars(
        select(ShopCategory.category_id)
        .where(ShopCategory.shop_id == shop_id)
        .order_by(ShopCategory.category_id)
    )
    brands = await session.execute(
        select(Brand.id, Brand.name)
        .join(ShopBrand, ShopBrand.brand_id == Brand.id)
        .where(ShopBrand.shop_id == shop_id)
        .order_by(Brand.name)
    )
    quals = await session.scalars(
        select(ShopQualification.qualification)
        .where(ShopQualification.shop_id == shop_id)
        .order_by(ShopQualification.qualification)
    )
    return ShopAllowances(list(tops), [(i, n) for i, n in brands.tuples()], list(quals))
