"""The cart page (lines grouped by shop, warnings, totals; one SQL statement for the cart)
and its forms: add a SKU (from the product page), change a quantity, remove a line.

Every route is public: a guest has a cart too. A guest's first addition sets the cart cookie;
a line of another cart is the same 404 as one that does not exist; bad input answers 4xx
with the page and the reason, and changes nothing."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from galerie.cart import (
    MAX_LINE_QUANTITY,
    CartView,
    add_to_cart,
    cart_view,
    new_guest_token,
    remove_cart_line,
    set_line_quantity,
)
from galerie.cart.owners import CartOwner
from galerie.kernel import DomainError, NotFound
from galerie.web.auth import galerie_of, public
from galerie.web.errors import status_for
from galerie.web.i18n import language_of
from galerie.web.rendering import render, safe_next, see_other
from galerie.web.storefront.cart_support import (
    cart_message,
    cart_owner,
    forget_guest_cookie,
    guest_cookie,
    line_warnings,
)
from galerie.web.storefront.catalog_support import format_price, image_url

NO_STORE = {"Cache-Control": "no-store"}
MAX_ID = 2**63 - 1


def _money(request: Request[Any, Any, Any], minor: int, currency: str) -> str:
    return format_price(language_of(request), minor, currency)


def _context(request: Request[Any, Any, Any], cart: CartView) -> dict[str, Any]:
    lines = {}
    for line in cart.lines:
        lines[line.id] = {
            "thumbnail": image_url(
                line.image.image_id,
                has_file=line.image.has_thumbnail or line.image.has_file,
                source_url=line.image.source_url,
                thumb=line.image.has_thumbnail,
            ),
            "unit_price": _money(request, line.unit_price.minor, line.unit_price.currency),
            "line_total": _money(request, line.line_total.minor, line.line_total.currency),
            "warnings": line_warnings(request, line),
        }
    totals = {
        group.shop_id: [_money(request, m.minor, m.currency) for m in group.totals]
        for group in cart.shops
    }
    return {"cart": cart, "lines": lines, "totals": totals, "max_quantity": MAX_LINE_QUANTITY}


async def _cart_page(
    request: Request[Any, Any, Any], *, status: int = 200, error: str | None = None
) -> Template:
    galerie = galerie_of(request)
    cart = await cart_view(galerie.db, owner=cart_owner(request), language=language_of(request))
    page = render(
        "storefront/cart.html", status=status, headers=NO_STORE, error=error,
        **_context(request, cart),
    )  # fmt: skip
    forget_guest_cookie(request, page)
    return page


@get("/cart", opt=public(), include_in_schema=False, name="cart")
async def cart_page(request: Request[Any, Any, Any]) -> Template:
    return await _cart_page(request)


async def _refused(request: Request[Any, Any, Any], error: DomainError) -> Template:
    return await _cart_page(request, status=status_for(error), error=cart_message(error))


@post("/cart/lines", opt=public(), include_in_schema=False, status_code=303)
async def add_line(request: Request[Any, Any, Any]) -> Template | Redirect:
    """Add `quantity` of `sku_id` (the product page's form); back to `next` or the cart."""
    data = await request.form()
    raw_sku = data.get("sku_id")
    sku_id = int(raw_sku) if isinstance(raw_sku, str) and raw_sku.isdigit() else 0
    owner, new_token = cart_owner(request), None
    if owner is None:
        new_token = new_guest_token()
        owner = CartOwner.guest(new_token)
    galerie = galerie_of(request)
    try:
        if not 0 < sku_id <= MAX_ID:
            raise NotFound("No such item.", code="sku_not_available")
        await add_to_cart(
            galerie.db, owner=owner, sku_id=sku_id, quantity=data.get("quantity"),
            now=galerie.clock.now(),
        )  # fmt: skip
    except DomainError as error:
        return await _refused(request, error)
    response = see_other(safe_next(data.get("next"), default="/cart"))
    if new_token is not None:
        response.set_cookie(guest_cookie(request, new_token))
    return response


LINE_PATH = "/cart/lines/{line_id:int}"


@post(LINE_PATH + "/quantity", opt=public(), include_in_schema=False, status_code=303)
async def change_quantity(
    request: Request[Any, Any, Any], line_id: FromPath[int]
) -> Template | Redirect:
    data = await request.form()
    owner = cart_owner(request)
    galerie = galerie_of(request)
    try:
        if owner is None or not 0 < line_id <= MAX_ID:
            raise NotFound("No such line.", code="cart_line_not_found")
        await set_line_quantity(
            galerie.db, owner=owner, line_id=line_id, quantity=data.get("quantity"),
            now=galerie.clock.now(),
        )  # fmt: skip
    except DomainError as error:
        return await _refused(request, error)
    return see_other("/cart")


@post(LINE_PATH + "/remove", opt=public(), include_in_schema=False, status_code=303)
async def remove_line(
    request: Request[Any, Any, Any], line_id: FromPath[int]
) -> Template | Redirect:
    owner = cart_owner(request)
    galerie = galerie_of(request)
    try:
        if owner is None or not 0 < line_id <= MAX_ID:
            raise NotFound("No such line.", code="cart_line_not_found")
        await remove_cart_line(galerie.db, owner=owner, line_id=line_id)
    except DomainError as error:
        return await _refused(request, error)
    return see_other("/cart")
