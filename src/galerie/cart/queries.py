"""The cart as shoppers see it, in ONE statement whatever its number of lines (ADR 0005):
each line with its SKU, product title (the page's language, else the product's default),
first image, shop, current price and stock available; grouped by shop, with the warnings of
each line computed on read (rules.line_problems)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from galerie.cart.owners import CartOwner
from galerie.cart.rules import BLOCKING, LineFacts, LineProblem, line_limit, line_problems
from galerie.db import Database, RawSQL
from galerie.inventory import available_sql
from galerie.kernel import Money, ValidationFailed

CART_SQL: Final = """
SELECT l.id, l.sku_id, l.quantity, l.price_seen_minor, l.currency,
       k.price_minor, k.currency, k.options, k.is_active, k.per_buyer_limit, k.weight_grams,
       p.id, p.status, p.option_axes, COALESCE(t.title, d.title, ''),
       s.id, s.name, s.slug, s.status,
       i.id, i.thumbnail_key IS NOT NULL, i.storage_key IS NOT NULL, i.source_url,
       {available}
FROM carts c
JOIN cart_lines l ON l.cart_id = c.id
JOIN skus k ON k.id = l.sku_id
JOIN products p ON p.id = k.product_id
JOIN shops s ON s.id = l.shop_id
LEFT JOIN product_texts t ON t.product_id = p.id AND t.language = $2
LEFT JOIN product_texts d ON d.product_id = p.id AND d.language = p.default_language
LEFT JOIN product_images i ON i.id = (
    SELECT f.id FROM product_images f WHERE f.product_id = p.id ORDER BY f.position, f.id LIMIT 1)
WHERE c.{owner} = $1
ORDER BY s.name, s.id, l.added_at, l.id
"""


# The same view of items not in any cart ("buy now"): (position, sku, quantity) rows, the
# price seen being the current one.
ITEMS_SQL: Final = """
WITH l(id, sku_id, quantity) AS (VALUES {values})
SELECT l.id, l.sku_id, l.quantity, k.price_minor, k.currency,
       k.price_minor, k.currency, k.options, k.is_active, k.per_buyer_limit, k.weight_grams,
       p.id, p.status, p.option_axes, COALESCE(t.title, d.title, ''),
       s.id, s.name, s.slug, s.status,
       i.id, i.thumbnail_key IS NOT NULL, i.storage_key IS NOT NULL, i.source_url,
       {available}
FROM l
JOIN skus k ON k.id = l.sku_id
JOIN products p ON p.id = k.product_id
JOIN shops s ON s.id = k.shop_id
LEFT JOIN product_texts t ON t.product_id = p.id AND t.language = $1
LEFT JOIN product_texts d ON d.product_id = p.id AND d.language = p.default_language
LEFT JOIN product_images i ON i.id = (
    SELECT f.id FROM product_images f WHERE f.product_id = p.id ORDER BY f.position, f.id LIMIT 1)
ORDER BY s.name, s.id, l.id
"""
MAX_ITEMS: Final = 100


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value


@dataclass(frozen=True, slots=True)
class LineImage:
    image_id: int | None
    has_thumbnail: bool
    has_file: bool
    source_url: str | None


@dataclass(frozen=True, slots=True)
class CartLineView:
    id: int
    sku_id: int
    product_id: int
    shop_id: int
    title: str
    options: dict[str, str]
    option_axes: list[str]
    quantity: int
    unit_price: Money
    price_seen: Money
    available: int
    limit: int
    weight_grams: int | None
    image: LineImage
    problems: tuple[LineProblem, ...]
    per_buyer_limit: int | None = None  # the SKU's own (a flash sale's), if any

    @property
    def line_total(self) -> Money:
        return self.unit_price * self.quantity

    @property
    def orderable(self) -> bool:
        return not BLOCKING.intersection(self.problems)

    @property
    def variant(self) -> str:
        return " / ".join(self.options.get(a, "") for a in self.option_axes if a in self.options)


@dataclass(slots=True)
class ShopGroup:
    shop_id: int
    name: str
    slug: str
    lines: list[CartLineView] = field(default_factory=list)

    @property
    def totals(self) -> list[Money]:
        """The goods total of the shop's orderable lines, per currency (usually one)."""
        sums: dict[str, Money] = {}
        for line in self.lines:
            if line.orderable:
                sums[line.unit_price.currency] = (
                    sums.get(line.unit_price.currency, Money.zero(line.unit_price.currency))
                    + line.line_total
                )
        return list(sums.values())


@dataclass(frozen=True, slots=True)
class CartView:
    shops: list[ShopGroup]

    @property
    def lines(self) -> list[CartLineView]:
        return [line for shop in self.shops for line in shop.lines]

    @property
    def item_count(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def orderable(self) -> bool:
        return bool(self.lines) and all(line.orderable for line in self.lines)


def _line(row: Any) -> CartLineView:
    limit = line_limit(row[9])
    facts = LineFacts(
        quantity=int(row[2]), price_seen_minor=int(row[3]), currency_seen=row[4],
        price_minor=int(row[5]), currency=row[6], sku_active=bool(row[8]),
        product_status=row[12], shop_status=row[18], available=int(row[23]), limit=limit,
    )  # fmt: skip
    return CartLineView(
        id=int(row[0]), sku_id=int(row[1]), product_id=int(row[11]), shop_id=int(row[15]),
        title=row[14], options=dict(_json(row[7]) or {}), option_axes=list(_json(row[13]) or []),
        quantity=facts.quantity, unit_price=Money(facts.price_minor, facts.currency),
        price_seen=Money(facts.price_seen_minor, facts.currency_seen),
        available=facts.available, limit=limit, weight_grams=row[10],
        image=LineImage(row[19], bool(row[20]), bool(row[21]), row[22]),
        problems=line_problems(facts), per_buyer_limit=row[9],
    )  # fmt: skip


async def read_cart(raw: RawSQL, *, owner: CartOwner, language: str) -> CartView:
    rows = await raw.fetch(
        CART_SQL.format(available=available_sql("k.id"), owner=owner.column), owner.key, language
    )
    return _grouped(rows)


def _grouped(rows: Sequence[Any]) -> CartView:
    groups: dict[int, ShopGroup] = {}
    for row in rows:
        line = _line(row)
        group = groups.get(line.shop_id)
        if group is None:
            group = groups[line.shop_id] = ShopGroup(line.shop_id, row[16], row[17])
        group.lines.append(line)
    return CartView(list(groups.values()))


async def read_items(raw: RawSQL, *, items: Sequence[tuple[int, int]], language: str) -> CartView:
    """(SKU, quantity) items shown like a cart's lines (unknown SKUs left out): what a
    "buy now" checkout quotes without touching the cart. One statement."""
    if not items or len(items) > MAX_ITEMS:
        raise ValidationFailed(f"Name 1 to {MAX_ITEMS} items.", field="lines", code="bad_lines")
    values: list[str] = []
    args: list[object] = [language]
    for position, (sku_id, quantity) in enumerate(items):
        n = len(args)
        values.append(f"({position}, CAST(${n + 1} AS BIGINT), CAST(${n + 2} AS INTEGER))")
        args += [sku_id, quantity]
    sql = ITEMS_SQL.format(values=", ".join(values), available=available_sql("k.id"))
    return _grouped(await raw.fetch(sql, *args))


async def cart_view(db: Database, *, owner: CartOwner | None, language: str) -> CartView:
    """The owner's cart (empty for no owner or no cart yet): one statement, no transaction."""
    if owner is None:
        return CartView([])
    async with db.hot_reads() as raw:
        return await read_cart(raw, owner=owner, language=language)
