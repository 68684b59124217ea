"""What the checkout reads before it writes: the SKUs as the server prices them (the client
never sends a price), whether shoppers may buy them (the catalog's `visible_to_shoppers`,
the storefront's own rule), and how many of each limited SKU the buyer already holds in
open orders. One statement each, on the driver connection (a hot path)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from galerie.catalog import shop_is_visible, visible_to_shoppers
from galerie.db import RawSQL
from galerie.kernel import Money
from galerie.orders.errors import (
    ItemUnavailable,
    MixedCurrencies,
    PerBuyerLimitExceeded,
    ShopUnavailable,
)
from galerie.orders.states import ENDED


@dataclass(frozen=True, slots=True)
class Offer:
    """A SKU as it sells now."""

    sku_id: int
    shop_id: int
    product_id: int
    title: str
    unit_price: Money
    per_buyer_limit: int | None


OFFERS_SQL = (
    "SELECT k.id, k.shop_id, k.product_id, k.price_minor, k.currency, k.per_buyer_limit, "
    "k.is_active, p.status, s.status, COALESCE(t.title, k.seller_sku) FROM skus k "
    "JOIN products p ON p.id = k.product_id JOIN shops s ON s.id = k.shop_id "
    "LEFT JOIN product_texts t ON t.product_id = p.id AND t.language = p.default_language "
    "WHERE k.id IN ({marks})"
)
LOCK_BUYER_SQL = "SELECT id FROM users WHERE id = $1 FOR NO KEY UPDATE"
_ENDED = ", ".join(f"'{status.value}'" for status in sorted(ENDED))
HELD_SQL = (
    "SELECT l.sku_id, SUM(l.quantity) FROM order_lines l JOIN orders o ON o.id = l.order_id "  # noqa: S608 - fixed fragments, bound values
    f"WHERE o.buyer_id = $1 AND o.status NOT IN ({_ENDED}) AND l.sku_id IN ({{marks}}) "
    "GROUP BY l.sku_id"
)


def _marks(count: int, first: int = 1) -> str:
    return ", ".join(f"${i}" for i in range(first, first + count))


async def priced_offers(on: AsyncSession | RawSQL, sku_ids: Iterable[int]) -> dict[int, Offer]:
    """The buyable offers for `sku_ids`, all in one currency; raises ItemUnavailable
    (unknown, inactive or not live), ShopUnavailable or MixedCurrencies. One statement."""
    wanted = list(sku_ids)
    raw = await RawSQL.over(on)
    rows = await raw.fetch(OFFERS_SQL.format(marks=_marks(len(wanted))), *wanted)
    found = {int(row[0]): row for row in rows}
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
    on: AsyncSession | RawSQL,
    *,
    buyer_id: int,
    offers: Mapping[int, Offer],
    wanted: Mapping[int, int],
) -> None:
    """Refuse (PerBuyerLimitExceeded) when the buyer's open orders plus this checkout hold
    more of a limited SKU than its per-buyer limit. The buyer's row is locked first (on
    PostgreSQL; SQLite writers are serialised), so two checkouts of one buyer are counted
    one after the other and cannot both slip under a flash sale's limit."""
    limited = {sku: o.per_buyer_limit for sku, o in offers.items() if o.per_buyer_limit}
    if not limited:
        return
    raw = await RawSQL.over(on)
    raw.need_transaction("a per-buyer limit locks the buyer")
    if raw.dialect == "postgresql":
        await raw.fetchrow(LOCK_BUYER_SQL, buyer_id)
    skus = sorted(limited)
    rows = await raw.fetch(HELD_SQL.format(marks=_marks(len(skus), 2)), buyer_id, *skus)
    held = {int(sku_id): int(quantity or 0) for sku_id, quantity in rows}
    for sku_id, limit in limited.items():
        already = held.get(sku_id, 0)
        if already + wanted[sku_id] > limit:
            raise PerBuyerLimitExceeded(
                f"At most {limit} of this item per buyer.",
                sku_id=sku_id,
                limit=limit,
                already=already,
            )
