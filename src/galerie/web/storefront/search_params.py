"""The search page's query string: read and bounded at the edge (a clean 400 for anything
out of bounds, as the category page does) and written back as links that change one filter
and keep the others."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Final
from urllib.parse import urlencode

from galerie.kernel import DomainError
from galerie.search import MAX_PAGE, MAX_QUERY_LENGTH, SearchFilters, SearchSort
from galerie.sellers import ShopType

MAX_ID: Final = 10**12
MAX_PRICE: Final = 10**12
MAX_BRANDS: Final = 20
YES: Final = frozenset({"1", "true", "on", "yes"})
NO: Final = frozenset({"", "0", "false", "off", "no"})


def _bad(message: str, code: str = "bad_filter") -> DomainError:
    return DomainError(message, code=code)


def _whole(value: str | None, *, name: str, low: int, high: int) -> int | None:
    if value is None or value == "":
        return None
    if not value.isdigit() or not low <= int(value) <= high:
        raise _bad(f"{name} must be a whole number from {low} to {high}.")
    return int(value)


def _text(value: str | None) -> str:
    text = (value or "").strip()
    if len(text) > MAX_QUERY_LENGTH:
        raise _bad(
            f"A search is at most {MAX_QUERY_LENGTH} characters.", code="search_text_too_long"
        )
    return text


def _brands(values: Sequence[str]) -> tuple[int, ...]:
    if len(values) > MAX_BRANDS:
        raise _bad(f"At most {MAX_BRANDS} brands.")
    found = (_whole(v, name="brand", low=1, high=MAX_ID) for v in values)
    return tuple(sorted({b for b in found if b is not None}))


def _shop_types(values: Sequence[str]) -> tuple[str, ...]:
    known = {t.value for t in ShopType}
    chosen = {v for v in values if v}
    if not chosen <= known:
        raise _bad("Unknown shop type.")
    return tuple(sorted(chosen))


def _flag(value: str | None) -> bool:
    lowered = (value or "").lower()
    if lowered in YES:
        return True
    if lowered in NO:
        return False
    raise _bad("in_stock is on or off.")


def _sort(value: str | None) -> SearchSort:
    try:
        return SearchSort(value) if value else SearchSort.RELEVANCE
    except ValueError:
        raise _bad("Unknown sort.", code="bad_sort") from None


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """A search as the page's address says it. `url(...)` writes it back with changes
    (back on page 1 unless a page is given)."""

    q: str = ""
    category: int | None = None
    brands: tuple[int, ...] = ()
    shop: int | None = None
    shop_types: tuple[str, ...] = ()
    price_min: int | None = None
    price_max: int | None = None
    rating_min: int | None = None
    in_stock: bool = False
    sort: SearchSort = SearchSort.RELEVANCE
    page: int = 1

    @property
    def filters(self) -> SearchFilters:
        return SearchFilters(
            category_id=self.category,
            brand_ids=self.brands,
            shop_id=self.shop,
            shop_types=self.shop_types,
            price_min=self.price_min,
            price_max=self.price_max,
            rating_min=self.rating_min,
            in_stock=self.in_stock,
        )

    @property
    def filtered(self) -> bool:
        return self.filters != SearchFilters()

    def pairs(self) -> list[tuple[str, str]]:
        pairs: list[tuple[str, str]] = [("q", self.q)] if self.q else []
        singles = {
            "category": self.category,
            "shop": self.shop,
            "price_min": self.price_min,
            "price_max": self.price_max,
            "rating_min": self.rating_min,
        }
        pairs += [(name, str(value)) for name, value in singles.items() if value is not None]
        pairs += [("brand", str(b)) for b in self.brands]
        pairs += [("shop_type", t) for t in self.shop_types]
        if self.in_stock:
            pairs.append(("in_stock", "1"))
        if self.sort is not SearchSort.RELEVANCE:
            pairs.append(("sort", self.sort.value))
        if self.page > 1:
            pairs.append(("page", str(self.page)))
        return pairs

    def url(self, **changes: Any) -> str:
        changed = replace(self, **{"page": 1, **changes})
        query = urlencode(changed.pairs())
        return f"/search?{query}" if query else "/search"

    def toggled(self, name: str, value: Any) -> tuple[Any, ...]:
        """The values of a many-valued filter (`brands`, `shop_types`) with `value` added,
        or removed if it was there."""
        current: tuple[Any, ...] = getattr(self, name)
        if value in current:
            return tuple(v for v in current if v != value)
        return tuple(sorted((*current, value)))


def parse_search(params: Mapping[str, str], many: Mapping[str, Sequence[str]]) -> SearchQuery:
    """The search in a query string (`params` its first values, `many` every value of the
    repeatable `brand` and `shop_type`). DomainError (400) for anything out of bounds."""
    price_min = _whole(params.get("price_min"), name="price_min", low=0, high=MAX_PRICE)
    price_max = _whole(params.get("price_max"), name="price_max", low=0, high=MAX_PRICE)
    if price_min is not None and price_max is not None and price_min > price_max:
        raise _bad("price_min must not exceed price_max.")
    return SearchQuery(
        q=_text(params.get("q")),
        category=_whole(params.get("category"), name="category", low=1, high=MAX_ID),
        brands=_brands(many.get("brand", ())),
        shop=_whole(params.get("shop"), name="shop", low=1, high=MAX_ID),
        shop_types=_shop_types(many.get("shop_type", ())),
        price_min=price_min,
        price_max=price_max,
        rating_min=_whole(params.get("rating_min"), name="rating_min", low=1, high=5),
        in_stock=_flag(params.get("in_stock")),
        sort=_sort(params.get("sort")),
        page=_whole(params.get("page"), name="page", low=1, high=MAX_PAGE) or 1,
    )
