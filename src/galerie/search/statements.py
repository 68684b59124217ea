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
    (or ""), `scored_source` (giving `d`, search_documents), `scored_condition`, `score`
    and `best_first`. Unranked (other sorts, facets): `condition`, a filter on `d`."""

    expression: str
    scored_cte: str
    scored_source: str
    scored_condition: str
    score: str  # the relevance of a document, as SQL
    best_first: str  # "ASC" or "DESC": which end of `score` is best
    condition: str


@dataclass(frozen=True, slots=True)
class Plan:
    cte: str
    source: str
    where: str
    score: str  # SQL of the relevance ("0" when not ranked)
    order: str  # over the columns of `m` (the matched documents)


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
        return "m.price_minor ASC, m.product_id ASC"
    if sort is SearchSort.PRICE_DESC:
        return "m.price_minor DESC, m.product_id DESC"
    if sort is SearchSort.NEWEST:
        return "m.listed_at DESC, m.product_id DESC"
    return "m.sales_count DESC, m.product_id DESC"


def plan(query: PlannedQuery, match: TextMatch | None, params: Params, *, scored: bool) -> Plan:
    """FROM and WHERE for the documents the query matches; `scored` ranks by relevance."""
    if match is None:
        conditions = filter_conditions(query, params, narrow=False)
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        return Plan("", "search_documents d", where, "0", _tie_break(query.sort))
    q = params.add(match.expression)
    conditions = filter_conditions(query, params, narrow=True)
    if scored:
        where = " AND ".join([match.scored_condition.format(q=q), *conditions])
        return Plan(
            match.scored_cte.format(q=q),
            match.scored_source,
            f"WHERE {where}",
            match.score.format(q=q),
            f"m.score {match.best_first}, m.sales_count DESC, m.product_id DESC",
        )
    where = " AND ".join([match.condition.format(q=q), *conditions])
    return Plan("", "search_documents d", f"WHERE {where}", "0", _tie_break(query.sort))


def _price_bucket() -> str:
    arms = " ".join(
        f"WHEN price_minor < {high} THEN {index}"
        for index, (_, high) in enumerate(PRICE_BUCKETS)
        if high is not None
    )
    return f"CASE {arms} ELSE {len(PRICE_BUCKETS) - 1} END"


_CARD = [column.strip().removeprefix("d.") for column in CARD_COLUMNS.split(",")]
_PAD = ", ".join("NULL" for _ in _CARD)  # facet rows carry no card
_T = "CAST(NULL AS TEXT)"


def _facet(kind: str, key: str, labels: str, rest: str) -> str:
    """A facet arm: no card, then (kind, key, labels..., count)."""
    return f"SELECT {_PAD}, '{kind}', {key}, {labels}, count(*) {rest}"


def _top(kind: str, key: str, labels: str, source: str, group: str) -> str:
    """A facet arm keeping the FACET_LIMIT most frequent values (padded outside the
    subquery, where PostgreSQL still resolves the NULLs' types against the first arm)."""
    return (
        f"SELECT {_PAD}, facet_{kind}.* FROM (SELECT '{kind}' AS kind, "
        f"CAST({key} AS TEXT) AS k, {labels}, count(*) AS n FROM {source} GROUP BY {group} "
        f"ORDER BY n DESC, k LIMIT {FACET_LIMIT}) AS facet_{kind}"
    )


def _page(p: Plan, params: Params, query: PlannedQuery) -> str:
    """The page of cards, first: its typed columns fix the types of the whole union. The
    position (global, from 1) orders the cards, as a union keeps no order."""
    columns = ", ".join(f"m.{c}" for c in _CARD)
    limit, offset = params.add(query.per_page), params.add((query.page - 1) * query.per_page)
    return (
        f"SELECT {', '.join(f'page.{c}' for c in _CARD)}, 'item', {_T}, {_T}, {_T}, {_T}, "
        f"page.position FROM (SELECT {columns}, "
        f"row_number() OVER (ORDER BY {p.order}) AS position FROM m ORDER BY {p.order} "
        f"LIMIT {limit} OFFSET {offset}) AS page"
    )


def search_statement(
    query: PlannedQuery, match: TextMatch | None, params: Params
) -> tuple[str, list[Any]]:
    """ONE statement for a search: the matching documents are materialised once (`m`), then
    the page of cards and every facet count are read from them. Rows are the 16 card
    columns then (kind, key, label, label_zh_cn, label_fr, count): kind 'item' is a card
    (count = its position), any other kind a facet value."""
    scored = match is not None and query.sort is SearchSort.RELEVANCE
    p = plan(query, match, params, scored=scored)
    cte = f"{p.cte}, " if p.cte else ""
    matched = (
        f"m AS MATERIALIZED (SELECT {CARD_COLUMNS}, d.brand_id, d.listed_at, {p.score} AS score "
        f"FROM {p.source} {p.where})"
    )
    page = _page(p, params, query)
    parent = query.filters.category_id
    parent_condition = (
        "c.parent_id IS NULL" if parent is None else f"c.parent_id = {params.add(parent)}"
    )
    none3 = f"{_T}, {_T}, {_T}"
    arms = [
        page,
        _facet("total", _T, none3, "FROM m"),
        _facet("stock", _T, none3, "FROM m WHERE m.in_stock"),
        *(
            _facet("rating", f"'{stars}'", none3, f"FROM m WHERE m.rating_x100 >= {stars * 100}")
            for stars in RATING_BUCKETS
        ),
        _facet(
            "price",
            f"CAST({_price_bucket()} AS TEXT)",
            none3,
            f"FROM m GROUP BY {_price_bucket()}",
        ),
        _facet("type", "m.shop_type", none3, "FROM m GROUP BY m.shop_type"),
        _top(
            "brand",
            "m.brand_id",
            f"b.name AS label, {_T} AS label_zh_cn, {_T} AS label_fr",
            "m JOIN brands b ON b.id = m.brand_id",
            "m.brand_id, b.name",
        ),
        _top(
            "shop",
            "m.shop_id",
            f"m.shop_name AS label, {_T} AS label_zh_cn, {_T} AS label_fr",
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
    sql = f"WITH {cte}{matched} " + " UNION ALL ".join(arms)
    return sql, params.values
