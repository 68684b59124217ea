"""Who a cart request acts for, and the guest cart's cookie.

A signed-in shopper's cart is theirs; a guest's is known by a random token in the
`galerie_cart` cookie, set only when the guest first adds something (no cookie, no row for
visitors who only look). On sign-in the guest's cart merges into the shopper's
(`adopt_guest_cart`, called by the sign-in flow) and the cookie is dropped on the next cart
page. People-facing texts of the cart's codes and warnings live here too."""

from __future__ import annotations

from typing import Any, Final

from litestar import Request, Response
from litestar.datastructures import Cookie

from galerie.cart import CartLineView, CartOwner, LineProblem, merge_guest_cart
from galerie.kernel import DomainError
from galerie.web.auth import galerie_of, principal_of
from galerie.web.i18n import N_, gettext, language_of
from galerie.web.storefront.catalog_support import format_price

CART_COOKIE: Final = "galerie_cart"
CART_COOKIE_DAYS: Final = 30

CART_MESSAGES: Final[dict[str, str]] = {
    "bad_quantity": N_("Enter a whole number from 1 to 99."),
    "quantity_above_limit": N_("At most %(limit)d of this item per shopper."),
    "not_enough_stock": N_("Not enough stock: %(available)d left."),
    "cart_full": N_("Your cart is full: remove something first."),
    "sku_not_available": N_("This item cannot be bought at the moment."),
    "cart_line_not_found": N_("This line is no longer in your cart."),
}
GENERIC: Final = N_("This could not be done. Check the form and try again.")


def cart_message(error: DomainError) -> str:
    params = {k: v for k, v in error.details.items() if isinstance(v, int)}
    template = CART_MESSAGES.get(error.code, GENERIC)
    try:
        return gettext(template, **params)
    except (KeyError, TypeError, ValueError):
        return gettext(GENERIC)


def guest_token(request: Request[Any, Any, Any]) -> str | None:
    token = request.cookies.get(CART_COOKIE)
    return token if token and 20 <= len(token) <= 100 else None


def cart_owner(request: Request[Any, Any, Any]) -> CartOwner | None:
    """The signed-in shopper's cart, else the guest's (None: a visitor with no cart)."""
    principal = principal_of(request)
    if principal is not None:
        return CartOwner.user(principal.user_id)
    token = guest_token(request)
    return CartOwner.guest(token) if token else None


def guest_cookie(request: Request[Any, Any, Any], token: str) -> Cookie:
    return Cookie(
        key=CART_COOKIE,
        value=token,
        max_age=CART_COOKIE_DAYS * 24 * 3600,
        httponly=True,
        secure=galerie_of(request).settings.secure_cookies,
        samesite="lax",
        path="/",
    )


def forget_guest_cookie(request: Request[Any, Any, Any], response: Response[Any]) -> None:
    """Drop the guest cookie of a signed-in shopper (their guest cart was merged)."""
    if principal_of(request) is not None and CART_COOKIE in request.cookies:
        response.delete_cookie(CART_COOKIE, path="/")


async def adopt_guest_cart(request: Request[Any, Any, Any], user_id: int) -> None:
    """Sign-in: merge the visitor's guest cart, if any, into the shopper's cart."""
    token = guest_token(request)
    if token is None:
        return
    galerie = galerie_of(request)
    try:
        await merge_guest_cart(
            galerie.db, guest_token=token, user_id=user_id, now=galerie.clock.now()
        )
    except DomainError:  # a malformed token: nothing to merge
        return


def line_warnings(request: Request[Any, Any, Any], line: CartLineView) -> list[str]:
    language = language_of(request)
    texts = []
    for problem in line.problems:
        if problem == LineProblem.PRICE_CHANGED:
            was = format_price(language, line.price_seen.minor, line.price_seen.currency)
            texts.append(
                gettext("The price changed since you added it (it was %(price)s).", price=was)
            )
        elif problem == LineProblem.NOT_ENOUGH_STOCK:
            texts.append(gettext("Only %(num)d left: lower the quantity.", num=line.available))
        elif problem == LineProblem.OUT_OF_STOCK:
            texts.append(gettext("Out of stock"))
        elif problem == LineProblem.UNAVAILABLE:
            texts.append(gettext("This item is no longer for sale."))
        elif problem == LineProblem.SHOP_UNAVAILABLE:
            texts.append(gettext("This shop is not selling at the moment."))
        elif problem == LineProblem.ABOVE_LIMIT:
            texts.append(
                gettext("At most %(num)d per shopper: lower the quantity.", num=line.limit)
            )
    return texts
