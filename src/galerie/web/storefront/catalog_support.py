"""What the catalog pages and the public catalog API share: reading the page and sort
parameters (a clean 400 out of bounds), who may preview a hidden product, image addresses,
prices for display."""

from __future__ import annotations

from typing import Any, Final

from litestar import Request

from galerie.catalog import CardImage, CardPage, ProductSort
from galerie.identity import Principal
from galerie.kernel import DomainError, NotFound
from galerie.web.i18n import N_
from galerie.web.seller.common import money_text

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


def price_text(request: Request[Any, Any, Any], low: int, high: int, currency: str) -> str:
    if low == high:
        return money_text(request, low, currency)
    return f"{money_text(request, low, currency)} – {money_text(request, high, currency)}"


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
