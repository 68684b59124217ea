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
    """How one adapter matches text. `expression` is the query's one parameter; the other
    fields are SQL with `{q}` where its placeholder goes. Ranked (relevance): `scored_cte`
    (or ""), `scored_source` (giving `d`, search_documents), `scored_condition`, `order`
    (best first). Unranked (other sorts, facets): `condition`, a filter on `d`."""

    expression: str
    scored_cte: str
    scored_source: str
    scored_condition: str
    order: str
    condition: str


@dataclass(frozen=True, slots=True)
class Plan:
    cte: str
    source: str
    where: str
    order: str


def filter_conditions(query: PlannedQuery, params: Params, *, narrow: bool) -> list[str]:
    """`narrow`: the text already narrows the documents to few, so the category is checked
    per document (a primary-key probe) instead of listing the whole category first."""
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
        category = params.add(f.category_id)
        conditions.append(
            "EXISTS (SELECT 1 FROM search_categories c WHERE c.category_id = "
            f"{category} AND c.product_id = d.product_id)"
            if narrow
            else "d.product_id IN (SELECT product_id FROM search_categories "
            f"WHERE category_id = {category})"
        )
    return conditions


def _tie_break(sort: SearchSort) -> str:
    if sort is SearchSort.PRICE_ASC:
        return "d.price_minor ASC, d.product_id ASC"
    if sort is SearchSort.PRICE_DESC:
        return "d.price_minor DESC, d.product_id DESC"
    if sort is SearchSort.NEWEST:
        return "d.listed_at DESC, d.product_id DESC"
    return "d.sales_count DESC, d.product_id DESC"


def plan(query: PlannedQuery, match: TextMatch | None, params: Params, *, scored: bool) -> Plan:
    """FROM and WHERE for the documents the query matches; `scored` ranks by relevance."""
    if match is None:
        conditions = filter_conditions(query, params, narrow=False)
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        return Plan("", "search_documents d", where, _tie_break(query.sort))
    q = params.add(match.expression)
    conditions = filter_conditions(query, params, narrow=True)
    if scored:
        where = " AND ".join([match.scored_condition.format(q=q), *conditions])
        return Plan(
            match.scored_cte.format(q=q),
            match.scored_source,
            f"WHERE {where}",
            f"{match.order.format(q=q)}, d.sales_count DESC, d.product_id DESC",
        )
    where = " AND ".join([match.condition.format(q=q), *conditions])
    return Plan("", "search_documents d", f"WHERE {where}", _tie_break(query.sort))


def page_statement(
    query: PlannedQuery, match: TextMatch | None, params: Params
) -> tuple[str, list[Any]]:
    scored = match is not None and query.sort is SearchSort.RELEVANCE
    p = plan(query, match, params, scored=scored)
    limit = params.add(query.per_page)
    offset = params.add((query.page - 1) * query.per_page)
    with_clause = f"WITH {p.cte} " if p.cte else ""
    sql = (
        f"{with_clause}SELECT {CARD_COLUMNS} FROM {p.source} {p.where} "
        f"ORDER BY {p.order} LIMIT {limit} OFFSET {offset}"
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
    p = plan(query, match, params, scored=False)
    parent = query.filters.category_id
    parent_condition = (
        "c.parent_id IS NULL" if parent is None else f"c.parent_id = {params.add(parent)}"
    )
    matched = (
        "m AS MATERIALIZED (SELECT d.product_id, d.brand_id, d.shop_id, d.shop_name, "
        f"d.shop_type, d.price_minor, d.rating_x100, d.in_stock FROM {p.source} {p.where})"
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
            "x.category_id",
            "cat.name_en AS label, cat.name_zh_cn, cat.name_fr",
            # a correlated probe per document: a join here makes SQLite build a Bloom
            # filter over the whole of search_categories
            "(SELECT (SELECT c.category_id FROM search_categories c WHERE "
            f"{parent_condition} AND c.product_id = m.product_id) AS category_id FROM m) x "
            "JOIN categories cat ON cat.id = x.category_id",
            "x.category_id, cat.name_en, cat.name_zh_cn, cat.name_fr",
        ),
    ]
    sql = f"WITH {matched} " + " UNION ALL ".join(arms)
    return sql, params.values
