"""The search page for shoppers: GET /search (cards, facets with counts that keep the other
filters, removable chips for the active filters, sorts, pages, "did you mean") and
GET /search/suggest (the header's autocomplete, a small HTML list for HTMX). Both read
through galerie.search: at most two statements per search, plus the category tree when a
category is chosen and the in-process copy is cold."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from litestar import Request, get
from litestar.response import Template

from galerie.catalog import Crumb, category_trail
from galerie.kernel import DomainError
from galerie.search import (
    PRICE_BUCKETS,
    FacetValue,
    ProductCard,
    SearchResult,
    SearchSort,
    autocomplete,
    search_products,
)
from galerie.web.auth import galerie_of, public
from galerie.web.i18n import N_, gettext, language_of
from galerie.web.rendering import render
from galerie.web.storefront.catalog_support import format_price
from galerie.web.storefront.search_params import SearchQuery, parse_search
from galerie.web.storefront.shops import SHOP_TYPE_LABELS

PER_PAGE: Final = 24
SUGGESTIONS: Final = 8
SORT_LABELS: Final = {
    SearchSort.RELEVANCE: N_("Relevance"),
    SearchSort.SALES: N_("Best selling"),
    SearchSort.PRICE_ASC: N_("Price: low to high"),
    SearchSort.PRICE_DESC: N_("Price: high to low"),
    SearchSort.NEWEST: N_("Newest"),
}


@dataclass(frozen=True, slots=True)
class SearchCard:
    """A search result as the product cards partial reads it."""

    id: int
    title: str
    shop_name: str
    shop_href: str


@dataclass(frozen=True, slots=True)
class FacetLink:
    label: str
    count: int
    href: str
    selected: bool


@dataclass(frozen=True, slots=True)
class FacetGroup:
    title: str  # a msgid
    links: list[FacetLink]


@dataclass(frozen=True, slots=True)
class Chip:
    label: str
    remove: str  # the address without this filter


def _card(card: ProductCard) -> SearchCard:
    return SearchCard(card.product_id, card.title, card.shop_name, f"/search?shop={card.shop_id}")


def _thumbnail(card: ProductCard) -> str | None:
    """The product's stored cover (served by product id), else a feed's https address."""
    if card.image_key:
        return f"/images/product-covers/{card.product_id}/thumb"
    url = card.image_url
    return url if url and url.startswith("https://") else None


def _bucket(key: str) -> tuple[int, int | None]:
    low, _, high = key.partition("-")
    return int(low), int(high) if high else None


def price_label(language: str, currency: str, low: int, high: int | None) -> str:
    if high is None:
        return gettext("%(price)s and up", price=format_price(language, low, currency))
    return f"{format_price(language, low, currency)} – {format_price(language, high, currency)}"


def _price_links(
    query: SearchQuery, values: tuple[FacetValue, ...], language: str, currency: str
) -> list[FacetLink]:
    counts = {_bucket(v.key): v.count for v in values}
    links = []
    for low, high in PRICE_BUCKETS:
        top = None if high is None else high - 1
        chosen = (query.price_min, query.price_max) == (low, top)
        count = counts.get((low, high), 0)
        if count or chosen:
            href = query.url(price_min=None if chosen else low, price_max=None if chosen else top)
            links.append(FacetLink(price_label(language, currency, low, top), count, href, chosen))
    return links


def _rating_label(stars: int) -> str:
    return gettext("%(stars)d★ and up", stars=stars)


def _single(query: SearchQuery, field: str, values: tuple[FacetValue, ...]) -> list[FacetLink]:
    """Links of a one-value filter (`shop`, `rating_min`): choose a value, or drop it."""
    links = []
    for v in values:
        chosen = getattr(query, field) == int(v.key)
        label = _rating_label(int(v.key)) if field == "rating_min" else v.label
        href = query.url(**{field: None if chosen else int(v.key)})
        links.append(FacetLink(label, v.count, href, chosen))
    return links


def _many(query: SearchQuery, field: str, values: tuple[FacetValue, ...]) -> list[FacetLink]:
    """Links of a many-valued filter (`brands`, `shop_types`): add or remove a value."""
    links = []
    for v in values:
        key: int | str = int(v.key) if field == "brands" else v.key
        label = gettext(SHOP_TYPE_LABELS.get(v.key, v.key)) if field == "shop_types" else v.label
        href = query.url(**{field: query.toggled(field, key)})
        links.append(FacetLink(label, v.count, href, key in getattr(query, field)))
    return links


def facet_groups(
    query: SearchQuery, result: SearchResult, language: str, currency: str
) -> list[FacetGroup]:
    f = result.facets
    categories = [
        FacetLink(v.label, v.count, query.url(category=int(v.key)), False) for v in f.categories
    ]
    ratings = tuple(v for v in f.ratings if v.count or query.rating_min == int(v.key))
    groups = [
        FacetGroup(N_("Category"), categories),
        FacetGroup(N_("Brand"), _many(query, "brands", f.brands)),
        FacetGroup(N_("Shop"), _single(query, "shop", f.shops)),
        FacetGroup(N_("Shop type"), _many(query, "shop_types", f.shop_types)),
        FacetGroup(N_("Price"), _price_links(query, f.price_ranges, language, currency)),
        FacetGroup(N_("Rating"), _single(query, "rating_min", ratings)),
    ]
    return [g for g in groups if g.links]


def _label_of(values: tuple[FacetValue, ...], key: object) -> str:
    return next((v.label for v in values if v.key == str(key)), f"#{key}")


def chips(
    query: SearchQuery, result: SearchResult, trail: list[Crumb], language: str, currency: str
) -> list[Chip]:
    f = result.facets
    found: list[Chip] = []
    if query.category is not None and trail:
        found.append(Chip(trail[-1].name, query.url(category=None)))
    for brand in query.brands:
        found.append(
            Chip(_label_of(f.brands, brand), query.url(brands=query.toggled("brands", brand)))
        )
    if query.shop is not None:
        found.append(Chip(_label_of(f.shops, query.shop), query.url(shop=None)))
    for kind in query.shop_types:
        label = gettext(SHOP_TYPE_LABELS.get(kind, kind))
        found.append(Chip(label, query.url(shop_types=query.toggled("shop_types", kind))))
    if query.price_min is not None or query.price_max is not None:
        low, high = query.price_min or 0, query.price_max
        label = price_label(language, currency, low, high)
        found.append(Chip(label, query.url(price_min=None, price_max=None)))
    if query.rating_min is not None:
        found.append(Chip(_rating_label(query.rating_min), query.url(rating_min=None)))
    if query.in_stock:
        found.append(Chip(gettext("In stock"), query.url(in_stock=False)))
    return found


def corrected_text(text: str, corrections: dict[str, tuple[str, ...]]) -> str | None:
    """The query with each misspelt word replaced by its first known neighbour, or None."""
    if not corrections:
        return None
    words = [corrections.get(w.lower(), (w,))[0] for w in text.split()]
    fixed = " ".join(words)
    return fixed if fixed != " ".join(text.split()) else None


async def _trail(request: Request[Any, Any, Any], query: SearchQuery) -> list[Crumb]:
    if query.category is None:
        return []
    db, language = galerie_of(request).db, language_of(request)
    trail = await category_trail(db, category_id=query.category, language=language)
    if not trail:
        raise DomainError("Unknown category.", code="bad_filter")
    return trail


@get("/search", opt=public(), include_in_schema=False, name="search")
async def search_page(request: Request[Any, Any, Any]) -> Template:
    params = request.query_params
    query = parse_search(params, {k: params.getall(k, []) for k in ("brand", "shop_type")})
    language = language_of(request)
    galerie = galerie_of(request)
    trail = await _trail(request, query)
    result = await search_products(
        galerie.db, text=query.q, language=language, filters=query.filters, sort=query.sort,
        page=query.page, per_page=PER_PAGE,
    )  # fmt: skip
    currency = result.items[0].currency if result.items else galerie.settings.default_currency
    fixed = corrected_text(query.q, result.corrections)
    return render(
        "storefront/search.html",
        query=query,
        result=result,
        trail=trail,
        cards=[_card(c) for c in result.items],
        prices={
            c.product_id: format_price(language, c.price_minor, c.currency) for c in result.items
        },
        thumbnails={c.product_id: _thumbnail(c) for c in result.items},
        groups=facet_groups(query, result, language, currency),
        chips=chips(query, result, trail, language, currency),
        shop_name=_label_of(result.facets.shops, query.shop) if query.shop else None,
        corrected=fixed,
        corrected_url=query.url(q=fixed) if fixed else None,
        sort_labels=SORT_LABELS,
        keep=[(k, v) for k, v in query.pairs() if k not in ("sort", "page")],
    )


@get("/search/suggest", opt=public(), include_in_schema=False, name="search_suggest")
async def suggest(request: Request[Any, Any, Any]) -> Template:
    """The header's autocomplete: up to eight product titles for what was typed."""
    text = parse_search({"q": request.query_params.get("q", "")}, {}).q
    found = []
    if text:
        found = await autocomplete(
            galerie_of(request).db, prefix=text, language=language_of(request), limit=SUGGESTIONS
        )
    return render("storefront/search_suggestions.html", suggestions=found, text=text)
