"""Public search: GET /api/v1/search (cards and facet counts) and /api/v1/search/suggest
(autocomplete). Query parameters are bounded here (text length, page size, list lengths);
the search domain validates the rest and refuses with a stable code."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from litestar import Controller, Request, get
from litestar.params import FromQuery, Parameter

from galerie.search import (
    MAX_PAGE,
    MAX_QUERY_LENGTH,
    MAX_SUGGESTIONS,
    FacetValue,
    ProductCard,
    SearchFilters,
    SearchResult,
    SearchSort,
    autocomplete,
    search_products,
)
from galerie.sellers import ShopType
from galerie.web.auth import galerie_of, public

Language = Literal["zh-CN", "en", "fr"]
QueryText = Annotated[str, Parameter(max_length=MAX_QUERY_LENGTH)]
Minor = Annotated[int | None, Parameter(ge=0, le=10**12, description="minor units")]


class ProductCardOut(msgspec.Struct, frozen=True):
    product_id: int
    shop_id: int
    shop_name: str
    shop_type: str
    title: str
    language: str
    price_minor: int
    currency: str
    rating: float
    rating_count: int
    sales_count: int
    in_stock: bool
    image_key: str | None
    image_url: str | None


class FacetValueOut(msgspec.Struct, frozen=True):
    key: str
    label: str
    count: int


class FacetsOut(msgspec.Struct, frozen=True):
    categories: list[FacetValueOut]
    brands: list[FacetValueOut]
    shops: list[FacetValueOut]
    shop_types: list[FacetValueOut]
    price_ranges: list[FacetValueOut]
    ratings: list[FacetValueOut]
    in_stock: int


class SearchOut(msgspec.Struct, frozen=True):
    items: list[ProductCardOut]
    total: int
    page: int
    per_page: int
    pages: int
    facets: FacetsOut
    corrections: dict[str, list[str]]


class SuggestionOut(msgspec.Struct, frozen=True):
    product_id: int
    title: str


class SuggestionsOut(msgspec.Struct, frozen=True):
    items: list[SuggestionOut]


def _card(card: ProductCard) -> ProductCardOut:
    return ProductCardOut(
        card.product_id,
        card.shop_id,
        card.shop_name,
        card.shop_type,
        card.title,
        card.language,
        card.price_minor,
        card.currency,
        card.rating,
        card.rating_count,
        card.sales_count,
        card.in_stock,
        card.image_key,
        card.image_url,
    )


def _values(values: tuple[FacetValue, ...]) -> list[FacetValueOut]:
    return [FacetValueOut(v.key, v.label, v.count) for v in values]


def search_out(result: SearchResult) -> SearchOut:
    f = result.facets
    return SearchOut(
        items=[_card(card) for card in result.items],
        total=result.total,
        page=result.page,
        per_page=result.per_page,
        pages=result.pages,
        facets=FacetsOut(
            categories=_values(f.categories),
            brands=_values(f.brands),
            shops=_values(f.shops),
            shop_types=_values(f.shop_types),
            price_ranges=_values(f.price_ranges),
            ratings=_values(f.ratings),
            in_stock=f.in_stock,
        ),
        corrections={term: list(used) for term, used in result.corrections.items()},
    )


class SearchController(Controller):
    path = "/search"
    tags = ["search"]  # noqa: RUF012 - Litestar's API

    @get("", opt=public(), summary="Search live products, with facet counts")
    async def search(
        self,
        request: Request[Any, Any, Any],
        q: QueryText = "",
        lang: FromQuery[Language] = "en",
        category: Annotated[int | None, Parameter(ge=1)] = None,
        brand: Annotated[list[int] | None, Parameter(max_items=20)] = None,
        shop: Annotated[int | None, Parameter(ge=1, description="search inside one shop")] = None,
        shop_type: Annotated[list[ShopType] | None, Parameter(max_items=5)] = None,
        price_min: Minor = None,
        price_max: Minor = None,
        rating_min: Annotated[int | None, Parameter(ge=1, le=5)] = None,
        in_stock: FromQuery[bool] = False,
        sort: FromQuery[SearchSort] = SearchSort.RELEVANCE,
        page: Annotated[int, Parameter(ge=1, le=MAX_PAGE)] = 1,
        per_page: Annotated[int, Parameter(ge=1, le=100)] = 24,
    ) -> SearchOut:
        filters = SearchFilters(
            category_id=category,
            brand_ids=tuple(brand or ()),
            shop_id=shop,
            shop_types=tuple(str(t) for t in shop_type or ()),
            price_min=price_min,
            price_max=price_max,
            rating_min=rating_min,
            in_stock=in_stock,
        )
        result = await search_products(
            galerie_of(request).db,
            text=q,
            language=lang,
            filters=filters,
            sort=sort,
            page=page,
            per_page=per_page,
        )
        return search_out(result)

    @get("/suggest", opt=public(), summary="Autocomplete: product titles for what was typed")
    async def suggest(
        self,
        request: Request[Any, Any, Any],
        q: QueryText,
        lang: FromQuery[Language] = "en",
        limit: Annotated[int, Parameter(ge=1, le=MAX_SUGGESTIONS)] = 8,
    ) -> SuggestionsOut:
        found = await autocomplete(galerie_of(request).db, prefix=q, language=lang, limit=limit)
        return SuggestionsOut([SuggestionOut(s.product_id, s.title) for s in found])
