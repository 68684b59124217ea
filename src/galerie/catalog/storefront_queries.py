"""What shoppers see of the catalog: product cards of a category (and everything below it) or
of a shop, and the product page. Hand-written SQL on the driver connection (ADR 0005), one
round trip per step:

- a listing is ONE statement for its page of cards (+1 for the counts per category, cached
  for a few seconds, and +1 for the category tree when the in-process copy is cold);
- a product page is two statements (the product with its shop, brand, texts and images; its
  variants with their stock summed over active warehouses) + the tree when cold.

Only live products of live shops are listed. The product page returns any product with its
statuses, and the caller decides (`ProductPage.public`): shoppers get a 404 for anything
else, the shop's own team and operators may preview it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

from galerie.catalog.storefront_tree import (
    CategoryTree,
    TreeNode,
    storefront_cache,
)
from galerie.db import Database, RawSQL

MAX_PER_PAGE: Final = 60
LIVE: Final = "live"


def is_public(product_status: str, shop_status: str) -> bool:
    """The one rule of what shoppers may see and buy: a live product of a live shop."""
    return product_status == LIVE and shop_status == LIVE


class ProductSort(StrEnum):
    NEWEST = "newest"
    PRICE_ASC = "price_asc"
    PRICE_DESC = "price_desc"
    SALES = "sales"


ORDER_BY: Final = {
    ProductSort.NEWEST: "p.listed_at DESC NULLS LAST, p.id DESC",
    ProductSort.PRICE_ASC: "p.min_price_minor ASC, p.id ASC",
    ProductSort.PRICE_DESC: "p.min_price_minor DESC, p.id DESC",
    ProductSort.SALES: "p.sales_count DESC, p.id DESC",
}

# The page is chosen first (sorting only ids and sort keys), then its 24 rows are joined to
# their texts, shop and first image: joining before the LIMIT would read every match's rows.
PAGE_SQL: Final = """
WITH page AS (
    SELECT p.id FROM products p JOIN shops s ON s.id = p.shop_id
    WHERE p.status = 'live' AND s.status = 'live' AND {where}
    ORDER BY {order} LIMIT $3 OFFSET $4)
SELECT p.id, COALESCE(t.title, d.title, ''), p.currency, p.min_price_minor, p.max_price_minor,
       s.name, s.slug, i.id, i.thumbnail_key IS NOT NULL, i.storage_key IS NOT NULL,
       i.source_url, p.rating_count, p.rating_sum
FROM page JOIN products p ON p.id = page.id
JOIN shops s ON s.id = p.shop_id
LEFT JOIN product_texts t ON t.product_id = p.id AND t.language = $1
LEFT JOIN product_texts d ON d.product_id = p.id AND d.language = p.default_language
LEFT JOIN product_images i ON i.id = (
    SELECT f.id FROM product_images f WHERE f.product_id = p.id ORDER BY f.position, f.id LIMIT 1)
ORDER BY {order}"""

IN_CATEGORIES: Final = {
    "sqlite": "p.category_id IN (SELECT value FROM json_each($2))",
    "postgresql": "p.category_id = ANY($2::bigint[])",
}


def listing_sql(dialect: str, *, by: str, sort: ProductSort) -> str:
    """The one statement of a page of cards: $1 language, $2 categories (JSON text on SQLite,
    an array on PostgreSQL) or a shop id, $3 limit, $4 offset."""
    where = IN_CATEGORIES[dialect] if by == "category" else "p.shop_id = $2"
    return PAGE_SQL.format(where=where, order=ORDER_BY[sort])


def _count_sql(dialect: str) -> str:
    where = IN_CATEGORIES[dialect].replace("$2", "$1")
    return (
        "SELECT p.category_id, COUNT(*) FROM products p JOIN shops s ON s.id = p.shop_id "  # noqa: S608 - fixed fragments, bound values
        f"WHERE p.status = 'live' AND s.status = 'live' AND {where} GROUP BY p.category_id"
    )


def categories_argument(dialect: str, ids: tuple[int, ...]) -> Any:
    return list(ids) if dialect == "postgresql" else json.dumps(ids)


@dataclass(frozen=True, slots=True)
class CardImage:
    """The first image of a product: ours (served by id) or a feed's address."""

    image_id: int | None
    has_thumbnail: bool
    has_file: bool
    source_url: str | None


@dataclass(frozen=True, slots=True)
class ProductCard:
    id: int
    title: str
    currency: str
    min_price_minor: int
    max_price_minor: int
    shop_name: str
    shop_slug: str
    image: CardImage
    rating_count: int
    rating_sum: int


@dataclass(frozen=True, slots=True)
class CardPage:
    cards: list[ProductCard]
    number: int
    per_page: int
    has_more: bool


@dataclass(frozen=True, slots=True)
class Crumb:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class ChildCategory:
    id: int
    name: str
    count: int


@dataclass(frozen=True, slots=True)
class CategoryListing:
    category: Crumb
    breadcrumb: list[Crumb]
    children: list[ChildCategory]
    total: int
    page: CardPage


def _card(row: Any) -> ProductCard:
    image = CardImage(row[7], bool(row[8]), bool(row[9]), row[10])
    return ProductCard(
        row[0], row[1], row[2], row[3], row[4], row[5], row[6], image, row[11], row[12]
    )


async def _cards(
    reader: RawSQL, *, by: str, key: Any, language: str, sort: ProductSort, number: int, size: int
) -> CardPage:
    sql = listing_sql(reader.dialect, by=by, sort=sort)
    rows = await reader.fetch(sql, language, key, size + 1, (number - 1) * size)
    cards = [_card(row) for row in rows[:size]]
    return CardPage(cards, number, size, len(rows) > size)


def _check_page(number: int, size: int) -> None:
    if number < 1 or not 1 <= size <= MAX_PER_PAGE:
        raise ValueError("page starts at 1 and per_page is 1 to MAX_PER_PAGE")


async def _subtree_counts(
    db: Database, reader: RawSQL, tree: CategoryTree, category_id: int, key: Any
) -> dict[int, int]:
    """Live products of live shops in the category's subtree and in each child's subtree,
    by category id: one GROUP BY statement, then kept for COUNTS_TTL seconds."""
    cache = storefront_cache(db)
    totals = cache.cached_counts(category_id)
    if totals is None:
        rows = await reader.fetch(_count_sql(reader.dialect), key)
        counts = {int(r[0]): int(r[1]) for r in rows}
        totals = {category_id: sum(counts.values())}
        for child in tree.children(category_id):
            totals[child.id] = sum(counts.get(i, 0) for i in tree.descendants(child.id))
        cache.keep_counts(category_id, totals)
    return totals


def _breadcrumb(tree: CategoryTree, category_id: int, language: str) -> list[Crumb]:
    return [Crumb(n.id, n.name(language)) for n in tree.ancestors(category_id)]


def _children(
    tree: CategoryTree, node: TreeNode, totals: dict[int, int], language: str
) -> list[ChildCategory]:
    return [
        ChildCategory(child.id, child.name(language), totals.get(child.id, 0))
        for child in tree.children(node.id)
    ]


async def category_listing(
    db: Database,
    *,
    category_id: int,
    language: str,
    sort: ProductSort = ProductSort.NEWEST,
    number: int = 1,
    per_page: int = 24,
    with_counts: bool = True,
) -> CategoryListing | None:
    """A page of live products in the category and below it, with its breadcrumb and its
    children (with counts of live products when `with_counts`); None for an unknown or
    inactive category. ValueError when the page is out of bounds (handlers check first)."""
    _check_page(number, per_page)
    async with db.hot_reads() as reader:
        tree = await storefront_cache(db).category_tree(reader)
        node = tree.get(category_id)
        if node is None:
            return None
        key = tree.argument(category_id, reader.dialect, categories_argument)
        page = await _cards(
            reader, by="category", key=key, language=language, sort=sort, number=number,
            size=per_page,
        )  # fmt: skip
        totals = await _subtree_counts(db, reader, tree, category_id, key) if with_counts else {}
    return CategoryListing(
        category=Crumb(node.id, node.name(language)),
        breadcrumb=_breadcrumb(tree, category_id, language),
        children=_children(tree, node, totals, language),
        total=totals.get(category_id, 0),
        page=page,
    )


async def live_shop_products(
    db: Database,
    *,
    shop_id: int,
    language: str,
    sort: ProductSort = ProductSort.NEWEST,
    number: int = 1,
    per_page: int = 24,
) -> CardPage:
    """A page of the shop's live products (only if the shop itself is live: a previewed
    shop lists nothing, as shoppers would see it). One statement."""
    _check_page(number, per_page)
    async with db.hot_reads() as reader:
        return await _cards(
            reader, by="shop", key=shop_id, language=language, sort=sort, number=number,
            size=per_page,
        )  # fmt: skip


async def category_roots(db: Database, *, language: str) -> list[Crumb]:
    """The active top-level categories, by name in `language` (the tree, cached)."""
    async with db.hot_reads() as reader:
        tree = await storefront_cache(db).category_tree(reader)
    roots = [n for n in tree.nodes.values() if n.parent_id is None and n.is_active]
    return sorted((Crumb(n.id, n.name(language)) for n in roots), key=lambda c: c.name)


async def category_trail(db: Database, *, category_id: int, language: str) -> list[Crumb]:
    """The active categories from the root down to this one, by name in `language` (the
    tree, cached); empty for an unknown or inactive category."""
    async with db.hot_reads() as reader:
        tree = await storefront_cache(db).category_tree(reader)
    if tree.get(category_id) is None:
        return []
    return _breadcrumb(tree, category_id, language)
