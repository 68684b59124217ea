"""Search: the search-engine port (SQLite FTS5, PostgreSQL full text), facets and sorts.
Public surface.

Reads: `search_products`, `autocomplete`. Index upkeep: `reindex_product`, `reindex_shop`,
`rebuild_index` (use cases), `configure_result_cache` (how often a process checks that its
cached results are current) and `SEARCH_HANDLERS` (outbox handlers, by event name)."""

from galerie.search.engines import engine_for
from galerie.search.handlers import SEARCH_HANDLERS
from galerie.search.indexing import rebuild_index, reindex_product, reindex_shop
from galerie.search.ports import (
    LANGUAGES,
    MAX_QUERY_LENGTH,
    PRICE_BUCKETS,
    RATING_BUCKETS,
    Facets,
    FacetValue,
    ProductCard,
    SearchEngine,
    SearchFilters,
    SearchResult,
    SearchSort,
    Suggestion,
)
from galerie.search.queries import MAX_PAGE, MAX_SUGGESTIONS, autocomplete, search_products
from galerie.search.result_cache import configure_result_cache
from galerie.search.text import warm_up

__all__ = [
    "LANGUAGES",
    "MAX_PAGE",
    "MAX_QUERY_LENGTH",
    "MAX_SUGGESTIONS",
    "PRICE_BUCKETS",
    "RATING_BUCKETS",
    "SEARCH_HANDLERS",
    "FacetValue",
    "Facets",
    "ProductCard",
    "SearchEngine",
    "SearchFilters",
    "SearchResult",
    "SearchSort",
    "Suggestion",
    "autocomplete",
    "configure_result_cache",
    "engine_for",
    "rebuild_index",
    "reindex_product",
    "reindex_shop",
    "search_products",
    "warm_up",
]
