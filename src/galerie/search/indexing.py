"""Keeping the index in step with the catalog: a live product of a live shop has a document,
anything else has none. Every function re-reads the product, so applying it twice (or out
of order) ends in the same state. Helpers here run on the caller's transaction; the use
cases (`reindex_product`, `reindex_shop`, `rebuild_index`) own one transaction each."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from galerie.db import Database, RawSQL
from galerie.search.engines import engine_for
from galerie.search.ports import SearchDocumentData
from galerie.search.result_cache import bump_generation
from galerie.search.text import index_terms

LIVE = "live"
MAX_DESCRIPTION = 4000  # characters of a description worth indexing

_PRODUCT = (
    "SELECT p.id, p.shop_id, p.status, p.category_id, p.brand_id, p.default_language, "
    "p.currency, p.min_price_minor, p.sales_count, p.rating_count, p.rating_sum, p.listed_at, "
    "s.status, s.shop_type, s.name, b.name FROM products p JOIN shops s ON s.id = p.shop_id "
    "LEFT JOIN brands b ON b.id = p.brand_id WHERE p.id = $1"
)
_TEXTS = "SELECT language, title, description FROM product_texts WHERE product_id = $1"
_IN_STOCK = (
    "SELECT count(*) FROM skus k JOIN stock_levels l ON l.sku_id = k.id "
    "WHERE k.product_id = $1 AND k.is_active AND l.available > 0"
)
_IMAGE = (
    "SELECT thumbnail_key, storage_key, source_url FROM product_images WHERE product_id = $1 "
    "ORDER BY position, id LIMIT 1"
)
_CATEGORY_PATH = (
    "WITH RECURSIVE up(id, parent_id, depth) AS ("
    "SELECT id, parent_id, 0 FROM categories WHERE id = $1 UNION ALL "
    "SELECT c.id, c.parent_id, up.depth + 1 FROM categories c JOIN up ON c.id = up.parent_id "
    "WHERE up.depth < 20) SELECT id, parent_id FROM up ORDER BY depth DESC"
)


def _timestamp(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.fromisoformat(str(value)).replace(tzinfo=UTC)


async def build_document(sql: RawSQL, product_id: int) -> SearchDocumentData | None:
    """The document of a product shoppers may see, or None (unknown, not live, shop not live)."""
    row = await sql.fetchrow(_PRODUCT, product_id)
    if row is None or row[2] != LIVE or row[12] != LIVE:
        return None
    texts = await sql.fetch(_TEXTS, product_id)
    stock = await sql.fetchrow(_IN_STOCK, product_id)
    image = await sql.fetchrow(_IMAGE, product_id)
    path = await sql.fetch(_CATEGORY_PATH, row[3])
    terms: list[str] = []
    for _language, title, description in texts:
        terms += index_terms(str(title))
        terms += index_terms(str(description or "")[:MAX_DESCRIPTION])
    if row[15]:
        terms += index_terms(str(row[15]))
    rating_count, rating_sum = int(row[9]), int(row[10])
    return SearchDocumentData(
        product_id=int(row[0]),
        shop_id=int(row[1]),
        shop_type=str(row[13]),
        shop_name=str(row[14]),
        category_id=int(row[3]),
        category_path=tuple((int(c), None if p is None else int(p)) for c, p in path),
        brand_id=None if row[4] is None else int(row[4]),
        default_language=str(row[5]),
        titles={str(language): str(title) for language, title, _ in texts},
        currency=str(row[6]),
        price_minor=int(row[7]),
        rating_x100=round(rating_sum * 100 / rating_count) if rating_count else 0,
        rating_count=rating_count,
        sales_count=int(row[8]),
        listed_at=_timestamp(row[11]) if row[11] is not None else datetime(1970, 1, 1, tzinfo=UTC),
        in_stock=stock is not None and int(stock[0]) > 0,
        image_key=None if image is None else (image[0] or image[1]),
        image_url=None if image is None else image[2],
        terms=tuple(terms),
    )


async def refresh_products(sql: RawSQL, product_ids: Sequence[int]) -> int:
    """Upsert or delete the documents of these products; returns how many are indexed."""
    engine = engine_for(sql.dialect)
    indexed = 0
    if product_ids:
        await bump_generation(sql)
    for product_id in product_ids:
        document = await build_document(sql, product_id)
        if document is None:
            await engine.remove(sql, [product_id])
        else:
            await engine.index(sql, [document])
            indexed += 1
    return indexed


async def shop_product_ids(sql: RawSQL, shop_id: int) -> list[int]:
    """The shop's live products and whatever the index still holds for the shop."""
    rows = await sql.fetch(
        "SELECT id FROM products WHERE shop_id = $1 AND status = 'live' UNION "
        "SELECT product_id FROM search_documents WHERE shop_id = $1",
        shop_id,
    )
    return sorted(int(row[0]) for row in rows)


async def refresh_shop(sql: RawSQL, shop_id: int) -> int:
    return await refresh_products(sql, await shop_product_ids(sql, shop_id))


async def refresh_sku(sql: RawSQL, sku_id: int) -> int:
    row = await sql.fetchrow("SELECT product_id FROM skus WHERE id = $1", sku_id)
    return 0 if row is None else await refresh_products(sql, [int(row[0])])


async def reindex_product(db: Database, *, product_id: int) -> bool:
    """Bring one product's document up to date. Returns whether it is now searchable."""
    async with db.transaction() as session:
        return await refresh_products(await RawSQL.of(session), [product_id]) == 1


async def reindex_shop(db: Database, *, shop_id: int) -> int:
    """Bring every document of a shop up to date (after a suspension, reinstatement,
    closure or publication). Returns how many of its products are searchable."""
    async with db.transaction() as session:
        return await refresh_shop(await RawSQL.of(session), shop_id)


async def rebuild_index(db: Database, *, batch_size: int = 500) -> int:
    """Rebuild the whole index from the catalog, one transaction per batch of products
    (documents of products no longer shown are removed). Returns the documents indexed."""
    async with db.reading() as session:
        sql = await RawSQL.of(session)
        rows = await sql.fetch(
            "SELECT id FROM products WHERE status = 'live' UNION "
            "SELECT product_id FROM search_documents"
        )
    ids = sorted(int(row[0]) for row in rows)
    indexed = 0
    for start in range(0, len(ids), batch_size):
        async with db.transaction() as session:
            indexed += await refresh_products(
                await RawSQL.of(session), ids[start : start + batch_size]
            )
    return indexed
