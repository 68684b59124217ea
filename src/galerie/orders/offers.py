"""What the checkout reads before it writes: the SKUs as the server prices them (the client
never sends a price), whether shoppers may buy them (the catalog's `visible_to_shoppers`,
the storefront's own rule), and how many of each limited SKU the buyer already holds in
open orders. One statement each."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from galerie.catalog import shop_is_visible, visible_to_shoppers
from galerie.catalog.product_models import Product, ProductText, Sku
from galerie.identity.models import User
from galerie.kernel import Money
from galerie.orders.errors import (
    ItemUnavailable,
    MixedCurrencies,
    PerBuyerLimitExceeded,
    ShopUnavailable,
)
from galerie.orders.models import Order, OrderLine
from galerie.orders.states import ENDED
from galerie.sellers.models import Shop


@dataclass(frozen=True, slots=True)
class Offer:
    """A SKU as it sells now."""

    sku_id: int
    shop_id: int
    product_id: int
    title: str
    unit_price: Money
    per_buyer_limit: int | None


async def priced_offers(session: AsyncSession, sku_ids: Iterable[int]) -> dict[int, Offer]:
    """The buyable offers for `sku_ids`, all in one currency; raises ItemUnavailable
    (unknown, inactive or not live), ShopUnavailable or MixedCurrencies."""
    wanted = list(sku_ids)
    text = aliased(ProductText)
    rows = (
        await session.execute(
            select(
                Sku.id,
                Sku.shop_id,
                Sku.product_id,
                Sku.price_minor,
                Sku.currency,
                Sku.per_buyer_limit,
                Sku.is_active,
                Product.status,
                Shop.status,
                func.coalesce(text.title, Sku.seller_sku),
            )
            .join(Product, Product.id == Sku.product_id)
            .join(Shop, Shop.id == Sku.shop_id)
            .outerjoin(
                text,
                and_(text.product_id == Product.id, text.language == Product.default_language),
            )
            .where(Sku.id.in_(wanted))
        )
    ).all()
    found = {row[0]: row for row in rows}
    offers: dict[int, Offer] = {}
    for sku_id in wanted:
        row = found.get(sku_id)
        if row is None or not row[6]:
            raise ItemUnavailable("This item is no longer sold.", sku_id=sku_id)
        if not shop_is_visible(row[8]):
            raise ShopUnavailable("This shop is not selling at the moment.", sku_id=sku_id)
        if not visible_to_shoppers(row[7], row[8]):
            raise ItemUnavailable("This item is no longer sold.", sku_id=sku_id)
        offers[sku_id] = Offer(row[0], row[1], row[2], row[9], Money(row[3], row[4]), row[5])
    if len({offer.unit_price.currency for offer in offers.values()}) > 1:
        raise MixedCurrencies("Items priced in different currencies cannot be paid together.")
    return offers


async def check_buyer_limits(
    session: AsyncSession, *, buyer_id: int, offers: Mapping[int, Offer], wanted: Mapping[int, int]
) -> None:
    """Refuse (PerBuyerLimitExceeded) when the buyer's open orders plus this checkout hold
    more of a limited SKU than its per-buyer limit. The buyer's row is locked first (on
    PostgreSQL; SQLite writers are serialised), so two checkouts of one buyer are counted
    one after the other and cannot both slip under a flash sale's limit."""
    limited = {sku: o.per_buyer_limit for sku, o in offers.items() if o.per_buyer_limit}
    if not limited:
        return
    await session.execute(
        select(User.id).where(User.id == buyer_id).with_for_update(key_share=True)
    )
    rows = await session.execute(
        select(OrderLine.sku_id, func.sum(OrderLine.quantity))
        .join(Order, Order.id == OrderLine.order_id)
        .where(
            Order.buyer_id == buyer_id,
            Order.status.not_in([status.value for status in ENDED]),
            OrderLine.sku_id.in_(list(limited)),
        )
        .group_by(OrderLine.sku_id)
    )
    held = {sku_id: int(quantity or 0) for sku_id, quantity in rows}
    for sku_id, limit in limited.items():
        already = held.get(sku_id, 0)
        if already + wanted[sku_id] > limit:
            raise PerBuyerLimitExceeded(
                f"At most {limit} of this item per buyer.",
                sku_id=sku_id,
                limit=limit,
                already=already,
            )
