"""The SQL both adapters share: filters, sorts, the card columns and the facet query.
An adapter supplies only how a text query matches and scores (`TextMatch`)."""

# ruff: noqa: S608 - statements are built from fixed fragments; every value is a $n parameter

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from galerie.search.ports import PRICE_BUCKETS, RATING_BUCKETS, PlannedQuery, SearchSort

FACET_LIMIT = 20  # values per brand / shop / category facet, most frequent first

CARD_COLUMNS = (
    "d.product_id, d.shop_id, d.shop_name, d.shop_type, d.default_language, d.title_zh_cn, "
    "d.title_en, d.title_fr, d.price_minor, d.currency, d.rating_x100, d.rating_count, "
    "d.sales_count, d.in_stock, d.image_key, d.image_url"
)


@dataclass
class Params:
    """Positional parameters ($1, $2...) collected while a statement is written."""

    values: list[Any] = field(default_factory=list)

    def add(self, value: Any) -> str:
        self.values.append(value)
        return f"${len(self.values)}"

    def many(self, values: Sequence[Any]) -> str:
        return ", ".join(self.add(value) for value in values)


@dataclass(frozen=True, slots=True)
class TextMatch:
    """How one adapter matches text: a CTE to put first (or ""), a FROM clause giving `d`
    (search_documents) and a condition; `order` ranks best first."""

    cte: str
    source: str
    condition: str
    order: str


def filter_conditions(query: PlannedQuery, params: Params) -> list[str]:
    f = query.filters
    conditions: list[str] = []
    if f.shop_id is not None:
        conditions.append(f"d.shop_id = {params.add(f.shop_id)}")
    if f.brand_ids:
        conditions.append(f"d.brand_id IN ({params.many(f.brand_ids)})")
    if f.shop_types:
        conditions.append(f"d.shop_type IN ({params.many(f.shop_types)})")
    if f.price_min is not None:
        conditions.append(f"d.price_minor >= {params.add(f.price_min)}")
    if f.price_max is not None:
        conditions.append(f"d.price_minor <= {params.add(f.price_max)}")
    if f.rating_min is not None:
        conditions.append(f"d.rating_x100 >= {params.add(f.rating_min * 100)}")
    if f.in_stock:
        conditions.append("d.in_stock")
    if f.category_id is not None:
        conditions.append(
            "d.product_id IN (SELECT product_id FROM search_categories "
            f"WHERE category_id = {params.add(f.category_id)})"
        )
    return conditions


def order_by(query: PlannedQuery, match: TextMatch | None) -> str:
    sort = query.sort
    if sort is SearchSort.RELEVANCE and match is not None:
        return f"{match.order}, d.sales_count DESC, d.product_id DESC"
    if sort is SearchSort.PRICE_ASC:
        return "d.price_minor ASC, d.product_id ASC"
    if sort is SearchSort.PRICE_DESC:
        return "d.price_minor DESC, d.product_id DESC"
    if sort is SearchSort.NEWEST:
        return "d.listed_at DESC, d.product_id DESC"
    return "d.sales_count DESC, d.product_id DESC"


def _from_where(match: TextMatch | None, conditions: list[str]) -> tuple[str, str, str]:
    if match is None:
        cte, source = "", "search_documents d"
    else:
        cte, source = match.cte, match.source
        conditions = [match.condition, *conditions]
    where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    return cte, source, where


def page_statement(
    query: PlannedQuery, match: TextMatch | None, params: Params
) -> tuple[str, list[Any]]:
    cte, source, where = _from_where(match, filter_conditions(query, params))
    limit = params.add(query.per_page)
    offset = params.add((query.page - 1) * query.per_page)
    with_clause = f"WITH {cte} " if cte else ""
    sql = (
        f"{with_clause}SELECT {CARD_COLUMNS} FROM {source} {where} "
        f"ORDER BY {order_by(query, match)} LIMIT {limit} OFFSET {offset}"
    )
    return sql, params.values


def _price_bucket() -> str:
    arms = " ".join(
        f"WHEN price_minor < {high} THEN {index}"
        for index, (_, high) in enumerate(PRICE_BUCKETS)
        if high is not None
    )
    return f"CASE {arms} ELSE {len(PRICE_BUCKETS) - 1} END"


def _top(kind: str, key: str, labels: str, source: str, group: str) -> str:
    return (
        f"SELECT * FROM (SELECT '{kind}' AS kind, CAST({key} AS TEXT) AS k, {labels}, "
        f"count(*) AS n FROM {source} GROUP BY {group} ORDER BY n DESC, k "
        f"LIMIT {FACET_LIMIT}) AS facet_{kind}"
    )


def facet_statement(
    query: PlannedQuery, match: TextMatch | None, params: Params
) -> tuple[str, list[Any]]:
    """One statement: the total and every facet's counts over the matching documents, as
    rows (kind, key, label, label_zh_cn, label_fr, count)."""
    cte, source, where = _from_where(match, filter_conditions(query, params))
    parent = query.filters.category_id
    parent_condition = (
        "c.parent_id IS NULL" if parent is None else f"c.parent_id = {params.add(parent)}"
    )
    matched = (
        "m AS MATERIALIZED (SELECT d.product_id, d.brand_id, d.shop_id, d.shop_name, "
        f"d.shop_type, d.price_minor, d.rating_x100, d.in_stock FROM {source} {where})"
    )
    none = "CAST(NULL AS TEXT)"
    no_labels = f"{none} AS label, {none} AS label_zh_cn, {none} AS label_fr"
    arms = [
        f"SELECT 'total' AS kind, {none} AS k, {no_labels}, count(*) AS n FROM m",
        f"SELECT 'stock', {none}, {none}, {none}, {none}, count(*) FROM m WHERE m.in_stock",
        *(
            f"SELECT 'rating', '{stars}', {none}, {none}, {none}, count(*) FROM m "
            f"WHERE m.rating_x100 >= {stars * 100}"
            for stars in RATING_BUCKETS
        ),
        f"SELECT 'price', CAST({_price_bucket()} AS TEXT), {none}, {none}, {none}, count(*) "
        f"FROM m GROUP BY {_price_bucket()}",
        f"SELECT 'type', m.shop_type, {none}, {none}, {none}, count(*) FROM m GROUP BY m.shop_type",
        _top(
            "brand",
            "m.brand_id",
            f"b.name AS label, {none} AS label_zh_cn, {none} AS label_fr",
            "m JOIN brands b ON b.id = m.brand_id",
            "m.brand_id, b.name",
        ),
        _top(
            "shop",
            "m.shop_id",
            f"m.shop_name AS label, {none} AS label_zh_cn, {none} AS label_fr",
            "m",
            "m.shop_id, m.shop_name",
        ),
        _top(
            "category",
            "c.category_id",
            "cat.name_en AS label, cat.name_zh_cn, cat.name_fr",
            "m JOIN search_categories c ON c.product_id = m.product_id AND "
            f"{parent_condition} JOIN categories cat ON cat.id = c.category_id",
            "c.category_id, cat.name_en, cat.name_zh_cn, cat.name_fr",
        ),
    ]
    prefix = f"{cte}, " if cte else ""
    sql = f"WITH {prefix}{matched} " + " UNION ALL ".join(arms)
    return sql, params.values
