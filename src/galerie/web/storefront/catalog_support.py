"""What the catalog pages and the public catalog API share: reading the page and sort
parameters (a clean 400 out of bounds), who may preview a hidden product, image addresses,
prices for display."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import Any, Final

from babel.numbers import format_currency
from litestar import Request

from galerie.catalog import CardImage, CardPage, ProductSort
from galerie.identity import Principal
from galerie.kernel import DomainError, Money, NotFound
from galerie.web.i18n import N_, catalog_dir_name, language_of

MAX_PAGE: Final = 10_000
PAGE_SIZE: Final = 24
SORT_LABELS: Final = {
    ProductSort.NEWEST: N_("Newest"),
    ProductSort.PRICE_ASC: N_("Price: low to high"),
    ProductSort.PRICE_DESC: N_("Price: high to low"),
    ProductSort.SALES: N_("Best selling"),
}
RETURN_EXCLUSIONS: Final = {
    "perishable": N_("No 7-day no-reason returns: perishable goods."),
    "custom_made": N_("No 7-day no-reason returns: made to order."),
    "opened_media": N_("No 7-day no-reason returns once the media is unsealed."),
}


def not_found() -> NotFound:
    """The one answer for a product or category that does not exist or is hidden."""
    return NotFound("Page not found.", code="not_found")


def page_number(value: str | None) -> int:
    """`?page=`: 1 to MAX_PAGE; anything else is a 400 (never a huge OFFSET)."""
    if value is None or value == "":
        return 1
    if not value.isdigit() or not 0 < int(value) <= MAX_PAGE:
        raise DomainError(f"page must be a whole number from 1 to {MAX_PAGE}.", code="bad_page")
    return int(value)


def sort_of(value: str | None) -> ProductSort:
    if not value:
        return ProductSort.NEWEST
    try:
        return ProductSort(value)
    except ValueError:
        raise DomainError("Unknown sort.", code="bad_sort") from None


def may_preview(principal: Principal | None, organisation_id: int) -> bool:
    """A hidden product (or a product of a hidden shop) is shown to the shop's own team and
    to operators only, as galerie.sellers does for hidden shops."""
    if principal is None:
        return False
    return principal.is_operator or any(
        m.organisation_id == organisation_id for m in principal.memberships
    )


def image_url(
    image_id: int | None, *, has_file: bool, source_url: str | None, thumb: bool
) -> str | None:
    """Our route for a stored image, a feed's https address, or None (a placeholder)."""
    if image_id is not None and has_file:
        return f"/images/products/{image_id}/{'thumb' if thumb else 'full'}"
    if source_url and source_url.startswith("https://"):
        return source_url
    return None


def card_image_url(image: CardImage) -> str | None:
    return image_url(
        image.image_id,
        has_file=image.has_thumbnail or image.has_file,
        source_url=image.source_url,
        thumb=image.has_thumbnail,
    )


@lru_cache(maxsize=256)
def _money_format(locale: str, currency: str) -> tuple[str, str, str, str, int]:
    """(prefix, suffix, group separator, decimal separator, exponent) of a positive amount
    in `currency` for `locale`, read once from Babel's own formatting of 1111111.22..."""
    exponent = Money(0, currency).exponent
    digits = "1111111" + ("." + "2" * exponent if exponent else "")
    sample = str(format_currency(Decimal(digits), currency, locale=locale))
    first, last_one = sample.index("1"), sample.rindex("1")
    end = sample.rindex("2") + 1 if exponent else last_one + 1
    group = sample[first + 1 : sample.index("1", first + 1)]
    decimal = sample[last_one + 1 : sample.index("2")] if exponent else ""
    return sample[:first], sample[end:], group, decimal, exponent


def format_price(language: str, minor: int, currency: str) -> str:
    """A price in the page's language, exactly as Babel writes it (tests compare the two),
    without Babel's cost per call (about 30 us: 24 cards made it the page's largest cost).
    Negative amounts, which prices never are, go to Babel itself."""
    locale = catalog_dir_name(language)
    if minor < 0:
        amount = Money(minor, currency).to_decimal()
        return str(format_currency(amount, currency, locale=locale))
    prefix, suffix, group, decimal, exponent = _money_format(locale, currency)
    whole, fraction = divmod(minor, 10**exponent) if exponent else (minor, 0)
    text = f"{whole:,}".replace(",", group)
    if exponent:
        text += decimal + str(fraction).zfill(exponent)
    return prefix + text + suffix


def price_text(request: Request[Any, Any, Any], low: int, high: int, currency: str) -> str:
    language = language_of(request)
    if low == high:
        return format_price(language, low, currency)
    return f"{format_price(language, low, currency)} – {format_price(language, high, currency)}"


def cards_context(request: Request[Any, Any, Any], page: CardPage) -> dict[str, Any]:
    """The product cards partial's context: the cards, their prices and image addresses."""
    return {
        "cards": page.cards,
        "prices": {
            c.id: price_text(request, c.min_price_minor, c.max_price_minor, c.currency)
            for c in page.cards
        },
        "thumbnails": {c.id: card_image_url(c.image) for c in page.cards},
        "card_page": page,
        "sort_labels": SORT_LABELS,
    }
