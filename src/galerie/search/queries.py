"""Search for shoppers: `search_products` (one page of cards and the facet counts, in at
most three statements: the index generation for the result cache, the typo lookup, then one
for the page and every facet; none on a cache hit between generation checks) and
`autocomplete`. Both read through `Database.hot_reads()`."""

from __future__ import annotations

from collections.abc import Sequence
from weakref import WeakKeyDictionary

from galerie.db import Database, RawSQL
from galerie.kernel import ValidationFailed
from galerie.kernel.pagination import MAX_PAGE_SIZE
from galerie.search.engines import engine_for
from galerie.search.ports import (
    LANGUAGES,
    MAX_QUERY_LENGTH,
    PlannedQuery,
    SearchEngine,
    SearchFilters,
    SearchResult,
    SearchSort,
    Suggestion,
)
from galerie.search.result_cache import result_cache_of
from galerie.search.text import prefix_terms, query_terms, typo_candidates

MAX_PAGE = 1000  # deeper pages are refused: nobody reads them, and OFFSET grows linearly
MAX_SUGGESTIONS = 20
MAX_QUERY_TERMS = 12
MAX_ALTERNATIVES = 8  # indexed neighbours kept for one misspelt term


def _check(text: str, language: str) -> None:
    if len(text) > MAX_QUERY_LENGTH:
        raise ValidationFailed(
            f"a search is at most {MAX_QUERY_LENGTH} characters",
            field="q",
            code="search_text_too_long",
        )
    if language not in LANGUAGES:
        raise ValidationFailed("unknown language", field="language", code="unknown_language")


def _check_filters(filters: SearchFilters) -> None:
    low, high = filters.price_min, filters.price_max
    if (low is not None and low < 0) or (high is not None and high < 0):
        raise ValidationFailed("prices are not negative", field="price", code="bad_price_range")
    if low is not None and high is not None and low > high:
        raise ValidationFailed("price_min exceeds price_max", field="price", code="bad_price_range")
    if filters.rating_min is not None and not 1 <= filters.rating_min <= 5:
        raise ValidationFailed("rating_min is 1 to 5", field="rating_min", code="bad_rating")


class KnownTerms:
    """Terms a database's vocabulary is known to hold. The vocabulary only grows (a term is
    never removed, see search.models), so a term seen once stays known: remembering it spares
    the typo lookup of the next query that uses it. Bounded; cleared when full."""

    def __init__(self, capacity: int = 50_000) -> None:
        self.capacity = capacity
        self.terms: set[str] = set()

    def add(self, terms: set[str]) -> None:
        if len(self.terms) + len(terms) > self.capacity:
            self.terms.clear()
        self.terms |= terms


_known: WeakKeyDictionary[Database, KnownTerms] = WeakKeyDictionary()


def known_terms_of(db: Database) -> KnownTerms:
    found = _known.get(db)
    if found is None:
        found = _known[db] = KnownTerms()
    return found


async def plan_terms(
    engine: SearchEngine, sql: RawSQL, terms: Sequence[str], cache: KnownTerms
) -> tuple[tuple[tuple[str, ...], ...], dict[str, tuple[str, ...]]]:
    """Groups of alternatives for the query's terms. A Latin term the vocabulary does not
    know is replaced by the known terms one edit away (one statement for all the terms not
    already known to `cache`, none when all are)."""
    candidates = {t: typo_candidates(t) for t in terms if t not in cache.terms}
    unsure = {t: c for t, c in candidates.items() if c}
    known: set[str] = set()
    if unsure:
        wanted = [*unsure, *(x for c in unsure.values() for x in c)]
        known = await engine.known_terms(sql, wanted)
        cache.add(known)
    groups: list[tuple[str, ...]] = []
    corrections: dict[str, tuple[str, ...]] = {}
    for term in terms:
        neighbours = tuple(sorted(set(unsure.get(term, ())) & known))[:MAX_ALTERNATIVES]
        if term in unsure and term not in known and neighbours:
            corrections[term] = neighbours
            groups.append(neighbours)
        else:
            groups.append((term,))
    return tuple(groups), corrections


async def search_products(
    db: Database,
    *,
    text: str,
    language: str,
    filters: SearchFilters | None = None,
    sort: SearchSort = SearchSort.RELEVANCE,
    page: int = 1,
    per_page: int = 24,
) -> SearchResult:
    """Live products of live shops matching `text` (every term; empty text browses) and the
    filters, one page of cards in `language`, with facet counts over all the matches."""
    _check(text, language)
    filters = filters or SearchFilters()
    _check_filters(filters)
    if not 1 <= page <= MAX_PAGE:
        raise ValidationFailed(f"page is 1 to {MAX_PAGE}", field="page", code="bad_page")
    if not 1 <= per_page <= MAX_PAGE_SIZE:
        raise ValidationFailed(
            f"per_page is 1 to {MAX_PAGE_SIZE}", field="per_page", code="bad_page"
        )
    terms = tuple(query_terms(text)[:MAX_QUERY_TERMS])
    key = (terms, language, filters, SearchSort(sort), page, per_page)
    cache = result_cache_of(db)
    if cache.enabled and not cache.due() and (found := cache.get(key)) is not None:
        return found
    engine = engine_for(db.dialect)
    async with db.hot_reads() as sql:
        generation = await cache.sync(sql) if cache.enabled else 0
        if (found := cache.get(key)) is not None:
            return found
        groups, corrections = await plan_terms(engine, sql, terms, known_terms_of(db))
        query = PlannedQuery(
            groups, language, filters, SearchSort(sort), page, per_page, corrections
        )
        result = await engine.search(sql, query)
    cache.put(key, result, generation)
    return result


async def autocomplete(
    db: Database, *, prefix: str, language: str, limit: int = 8
) -> list[Suggestion]:
    """Titles (in `language`, with fallback) of the best-selling products whose text starts
    with what was typed: earlier words whole, the last one as a prefix. One statement."""
    _check(prefix, language)
    if not 1 <= limit <= MAX_SUGGESTIONS:
        raise ValidationFailed(f"limit is 1 to {MAX_SUGGESTIONS}", field="limit", code="bad_limit")
    terms = prefix_terms(prefix)[:MAX_QUERY_TERMS]
    if not terms:
        return []
    engine = engine_for(db.dialect)
    async with db.hot_reads() as sql:
        return await engine.suggest(sql, [(term,) for term in terms], language, limit)
