"""The SQLite adapter: FTS5 over `search_documents.terms` (migration 0009 creates the
external-content table `search_fts` and the triggers that keep it in step), ranked by bm25."""

# ruff: noqa: S608 - statements are built from fixed fragments; every value is a $n parameter

from __future__ import annotations

import json
from collections.abc import Sequence

from galerie.db import RawSQL
from galerie.search.engine_base import SqlSearchEngine, sqlite_timestamp
from galerie.search.ports import SearchDocumentData
from galerie.search.statements import TextMatch

UPSERT_COLUMNS = (
    "product_id, shop_id, shop_type, shop_name, category_id, brand_id, default_language, "
    "title_zh_cn, title_en, title_fr, currency, price_minor, rating_x100, rating_count, "
    "sales_count, listed_at, in_stock, image_key, image_url, terms"
)
_UPDATES = ", ".join(
    f"{name} = excluded.{name}"
    for name in (column.strip() for column in UPSERT_COLUMNS.split(","))
    if name != "product_id"
)


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def fts_expression(groups: Sequence[Sequence[str]], *, prefix_last: bool = False) -> str:
    """An FTS5 query: every group must match, any term of a group may."""
    parts = []
    for position, group in enumerate(groups):
        star = "*" if prefix_last and position == len(groups) - 1 else ""
        alternatives = [_quote(term) + star for term in group]
        parts.append(
            alternatives[0] if len(alternatives) == 1 else f"({' OR '.join(alternatives)})"
        )
    return " AND ".join(parts)


def document_args(doc: SearchDocumentData) -> list[object]:
    return [
        doc.product_id,
        doc.shop_id,
        doc.shop_type,
        doc.shop_name,
        doc.category_id,
        doc.brand_id,
        doc.default_language,
        doc.titles.get("zh-CN"),
        doc.titles.get("en"),
        doc.titles.get("fr"),
        doc.currency,
        doc.price_minor,
        doc.rating_x100,
        doc.rating_count,
        doc.sales_count,
        doc.listed_at,
        doc.in_stock,
        doc.image_key,
        doc.image_url,
        " ".join(doc.terms),
    ]


class SqliteFts5Engine(SqlSearchEngine):
    dialect = "sqlite"

    def text_match(self, groups: Sequence[Sequence[str]]) -> TextMatch:
        return self._match(fts_expression(groups))

    def prefix_match(self, groups: Sequence[Sequence[str]]) -> TextMatch:
        return self._match(fts_expression(groups, prefix_last=True))

    @staticmethod
    def _match(expression: str) -> TextMatch:
        # The FTS table joins the documents directly (no CTE): bm25() is then computed only
        # for the matches that pass the filters, not for every row the text matches.
        return TextMatch(
            expression=expression,
            scored_cte="",
            scored_source="search_fts f JOIN search_documents d ON d.product_id = f.rowid",
            scored_condition="search_fts MATCH {q}",
            score="bm25(search_fts)",
            best_first="ASC",
            condition="d.product_id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH {q})",
        )

    async def index(self, sql: RawSQL, documents: Sequence[SearchDocumentData]) -> None:
        placeholders = ", ".join(f"${n}" for n in range(1, 21))
        statement = (
            f"INSERT INTO search_documents ({UPSERT_COLUMNS}) VALUES ({placeholders}) "
            f"ON CONFLICT (product_id) DO UPDATE SET {_UPDATES}"
        )
        for doc in documents:
            args = document_args(doc)
            args[15] = sqlite_timestamp(doc.listed_at)
            await sql.execute(statement, *args)
            await write_categories(sql, doc)
            await add_terms(sql, doc.terms)

    async def remove(self, sql: RawSQL, product_ids: Sequence[int]) -> None:
        for product_id in product_ids:
            await sql.execute("DELETE FROM search_categories WHERE product_id = $1", product_id)
            await sql.execute("DELETE FROM search_documents WHERE product_id = $1", product_id)

    async def known_terms(self, sql: RawSQL, terms: Sequence[str]) -> set[str]:
        rows = await sql.fetch(
            "SELECT term FROM search_terms WHERE term IN (SELECT value FROM json_each($1))",
            json.dumps(list(terms)),
        )
        return {str(row[0]) for row in rows}


async def write_categories(sql: RawSQL, doc: SearchDocumentData) -> None:
    """Replace the document's category path rows (both adapters)."""
    await sql.execute("DELETE FROM search_categories WHERE product_id = $1", doc.product_id)
    for category_id, parent_id in doc.category_path:
        await sql.execute(
            "INSERT INTO search_categories (category_id, product_id, parent_id) "
            "VALUES ($1, $2, $3) ON CONFLICT (category_id, product_id) DO NOTHING",
            category_id,
            doc.product_id,
            parent_id,
        )


async def add_terms(sql: RawSQL, terms: Sequence[str]) -> None:
    """Add the document's Latin-script terms to the vocabulary (both adapters)."""
    latin = sorted({term for term in terms if term.isascii() and len(term) >= 2})
    if not latin:
        return
    values = ", ".join(f"(${n})" for n in range(1, len(latin) + 1))
    await sql.execute(
        f"INSERT INTO search_terms (term) VALUES {values} ON CONFLICT (term) DO NOTHING", *latin
    )
