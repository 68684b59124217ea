"""What both adapters share: running the page and facet statements and turning rows into
cards and facets. An adapter subclasses `SqlSearchEngine` and says how text matches."""

# ruff: noqa: S608 - statements are built from fixed fragments; every value is a $n parameter

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from galerie.db import RawSQL
from galerie.search.ports import (
    DEFAULT_LANGUAGE,
    PRICE_BUCKETS,
    Facets,
    FacetValue,
    PlannedQuery,
    ProductCard,
    SearchResult,
    Suggestion,
)
from galerie.search.statements import (
    CARD_COLUMNS,
    Params,
    TextMatch,
    search_statement,
)

_TITLE_COLUMN = {"zh-CN": 5, "en": 6, "fr": 7}


def pick_title(row: Sequence[Any], language: str) -> tuple[str, str]:
    """(title, its language): the requested language, else the product's default, else any."""
    default = str(row[4])
    for candidate in (language, default, DEFAULT_LANGUAGE, *_TITLE_COLUMN):
        title = row[_TITLE_COLUMN[candidate]] if candidate in _TITLE_COLUMN else None
        if title:
            return str(title), candidate
    return "", language


def card_from_row(row: Sequence[Any], language: str) -> ProductCard:
    title, title_language = pick_title(row, language)
    return ProductCard(
        product_id=int(row[0]),
        shop_id=int(row[1]),
        shop_name=str(row[2]),
        shop_type=str(row[3]),
        title=title,
        language=title_language,
        price_minor=int(row[8]),
        currency=str(row[9]),
        rating=int(row[10]) / 100,
        rating_count=int(row[11]),
        sales_count=int(row[12]),
        in_stock=bool(row[13]),
        image_key=row[14],
        image_url=row[15],
    )


def price_bucket_key(index: int) -> str:
    low, high = PRICE_BUCKETS[index]
    return f"{low}-{'' if high is None else high}"


def facets_from_rows(rows: Sequence[Sequence[Any]], language: str) -> tuple[int, Facets]:
    values: dict[str, list[FacetValue]] = {}
    total = in_stock = 0
    for kind, key, label_en, label_zh, label_fr, count in rows:
        if kind == "total":
            total = int(count)
        elif kind == "stock":
            in_stock = int(count)
        elif kind == "price":
            bucket = price_bucket_key(int(key))
            values.setdefault(kind, []).append(FacetValue(bucket, bucket, int(count)))
        else:
            localised = {"zh-CN": label_zh, "fr": label_fr}.get(language) or label_en or key
            values.setdefault(kind, []).append(FacetValue(str(key), str(localised), int(count)))
    prices = sorted(values.get("price", []), key=lambda v: int(v.key.split("-")[0]))
    ratings = [v for v in values.get("rating", []) if v.count]
    return total, Facets(
        categories=tuple(values.get("category", [])),
        brands=tuple(values.get("brand", [])),
        shops=tuple(values.get("shop", [])),
        shop_types=tuple(sorted(values.get("type", []), key=lambda v: (-v.count, v.key))),
        price_ranges=tuple(prices),
        ratings=tuple(sorted(ratings, key=lambda v: -int(v.key))),
        in_stock=in_stock,
    )


def sqlite_timestamp(value: datetime) -> str:
    """How SQLAlchemy stores a DateTime on SQLite, so `listed_at` sorts with its own rows."""
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


class SqlSearchEngine(ABC):
    """The shared half of an adapter. Subclasses define `dialect`, `text_match`, `prefix_match`
    and the write side (`index`, `remove`, `known_terms`)."""

    dialect = ""

    @abstractmethod
    def text_match(self, groups: Sequence[Sequence[str]]) -> TextMatch:
        """The full-text condition for the query's term groups, in this dialect."""

    @abstractmethod
    def prefix_match(self, groups: Sequence[Sequence[str]]) -> TextMatch:
        """The same, the last term matched as a prefix (autocomplete)."""

    async def search(self, sql: RawSQL, query: PlannedQuery) -> SearchResult:
        match = self.text_match(query.groups) if query.groups else None
        statement, args = search_statement(query, match, Params())
        rows = await sql.fetch(statement, *args)
        cards = sorted((row for row in rows if row[16] == "item"), key=lambda row: int(row[21]))
        total, facets = facets_from_rows(
            [row[16:] for row in rows if row[16] != "item"], query.language
        )
        return SearchResult(
            items=tuple(card_from_row(row, query.language) for row in cards),
            total=total,
            page=query.page,
            per_page=query.per_page,
            facets=facets,
            corrections=dict(query.corrections),
        )

    async def suggest(
        self, sql: RawSQL, groups: Sequence[Sequence[str]], language: str, limit: int
    ) -> list[Suggestion]:
        if not groups:
            return []
        params = Params()
        match = self.prefix_match(groups)
        condition = match.condition.format(q=params.add(match.expression))
        statement = (
            f"SELECT {CARD_COLUMNS} FROM search_documents d WHERE {condition} "
            f"ORDER BY d.sales_count DESC, d.product_id DESC LIMIT {params.add(limit)}"
        )
        rows = await sql.fetch(statement, *params.values)
        return [Suggestion(int(row[0]), pick_title(row, language)[0]) for row in rows]
