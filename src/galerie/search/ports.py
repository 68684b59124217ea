"""The search-engine port: what search needs from a full-text engine, and the value types
that cross it. Two adapters ship: SQLite FTS5 (`galerie.search.sqlite_fts`) and PostgreSQL
full text (`galerie.search.postgres_fts`), chosen from the database dialect (ADR 0007)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from galerie.db import RawSQL

LANGUAGES = ("zh-CN", "en", "fr")
DEFAULT_LANGUAGE = "en"
MAX_QUERY_LENGTH = 200
# Price-range facet buckets, in minor units of the product's currency: [low, high).
PRICE_BUCKETS: tuple[tuple[int, int | None], ...] = (
    (0, 1_000),
    (1_000, 5_000),
    (5_000, 10_000),
    (10_000, 50_000),
    (50_000, None),
)
RATING_BUCKETS = (4, 3, 2, 1)  # "n stars and up"


class SearchSort(StrEnum):
    RELEVANCE = "relevance"
    SALES = "sales"
    PRICE_ASC = "price_asc"
    PRICE_DESC = "price_desc"
    NEWEST = "newest"


@dataclass(frozen=True, slots=True)
class SearchFilters:
    category_id: int | None = None  # the category and all its descendants
    brand_ids: tuple[int, ...] = ()
    shop_id: int | None = None  # search inside one shop
    shop_types: tuple[str, ...] = ()
    price_min: int | None = None  # minor units, inclusive
    price_max: int | None = None  # minor units, inclusive
    rating_min: int | None = None  # whole stars, 1 to 5
    in_stock: bool = False  # True: only products with stock available


@dataclass(frozen=True, slots=True)
class SearchDocumentData:
    """One product as the index keeps it (built by galerie.search.indexing)."""

    product_id: int
    shop_id: int
    shop_type: str
    shop_name: str
    category_id: int
    category_path: tuple[tuple[int, int | None], ...]  # (category, its parent), root first
    brand_id: int | None
    default_language: str
    titles: dict[str, str]  # language -> title
    currency: str
    price_minor: int
    rating_x100: int
    rating_count: int
    sales_count: int
    listed_at: datetime
    in_stock: bool
    image_key: str | None
    image_url: str | None
    terms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PlannedQuery:
    """A validated search, its text already turned into groups of alternatives: every group
    must match, any term of a group may (a typo'd term becomes its known neighbours)."""

    groups: tuple[tuple[str, ...], ...]
    language: str
    filters: SearchFilters
    sort: SearchSort
    page: int
    per_page: int
    corrections: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ProductCard:
    """What a result card shows, in the requested language (default language as fallback)."""

    product_id: int
    shop_id: int
    shop_name: str
    shop_type: str
    title: str
    language: str  # the language of `title`
    price_minor: int
    currency: str
    rating: float  # average stars, 0 when unrated
    rating_count: int
    sales_count: int
    in_stock: bool
    image_key: str | None
    image_url: str | None


@dataclass(frozen=True, slots=True)
class FacetValue:
    key: str  # an id, a shop type, a bucket ("1000-5000", "50000-"), a star count
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class Facets:
    categories: tuple[FacetValue, ...] = ()  # children of the filtered category (or roots)
    brands: tuple[FacetValue, ...] = ()
    shops: tuple[FacetValue, ...] = ()
    shop_types: tuple[FacetValue, ...] = ()
    price_ranges: tuple[FacetValue, ...] = ()
    ratings: tuple[FacetValue, ...] = ()  # "4": rated 4 stars and up
    in_stock: int = 0


@dataclass(frozen=True, slots=True)
class SearchResult:
    items: tuple[ProductCard, ...]
    total: int
    page: int
    per_page: int
    facets: Facets
    corrections: dict[str, tuple[str, ...]]  # query term -> indexed terms used instead

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


@dataclass(frozen=True, slots=True)
class Suggestion:
    product_id: int
    title: str


class SearchEngine(Protocol):
    """A full-text engine over `search_documents`. Every method runs on the caller's
    connection (inside its transaction for writes); none commits."""

    dialect: str

    async def index(self, sql: RawSQL, documents: Sequence[SearchDocumentData]) -> None:
        """Insert or replace these documents (idempotent)."""
        ...

    async def remove(self, sql: RawSQL, product_ids: Sequence[int]) -> None:
        """Remove these documents; absent ones are ignored."""
        ...

    async def known_terms(self, sql: RawSQL, terms: Sequence[str]) -> set[str]:
        """Which of `terms` the vocabulary holds (one statement)."""
        ...

    async def search(self, sql: RawSQL, query: PlannedQuery) -> SearchResult:
        """One page of cards and the facet counts, in one statement."""
        ...

    async def suggest(
        self, sql: RawSQL, groups: Sequence[Sequence[str]], language: str, limit: int
    ) -> list[Suggestion]:
        """Products whose terms start with the last group's terms, best sellers first."""
        ...
