"""The checkout page: choose a saved address and each shop's shipping method (a GET form,
so the totals follow the choice), review the lines and totals, then place the order (a
POST form carrying the choice and a hidden Idempotency-Key made when the page rendered:
a double click or a refresh-resubmit places once). Signed-in shoppers only: a guest is
sent to sign in and comes back here, their cart merged. Handlers translate;
galerie.checkout decides."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from litestar import Request, get, post
from litestar.response import Redirect, Template

from galerie.cart import CartOwner, shopper_addresses
from galerie.checkout import CheckoutQuote, UnknownShippingMethod, place_checkout, quote_checkout
from galerie.kernel import DomainError, Money, new_token
from galerie.orders import IdempotencyInProgress
from galerie.web.auth import galerie_of, signed_in
from galerie.web.errors import status_for
from galerie.web.i18n import N_, gettext, language_of
from galerie.web.rendering import current_principal, render, see_other
from galerie.web.seller.shipping_form import METHOD_LABELS
from galerie.web.storefront.cart_support import GENERIC, line_warnings
from galerie.web.storefront.catalog_support import format_price

SIGNED_IN = signed_in()
NO_STORE = {"Cache-Control": "no-store"}
MAX_ID = 2**63 - 1
METHOD_PREFIX = "method_"

CHECKOUT_MESSAGES: Final[dict[str, str]] = {
    "cart_empty": N_("Your cart is empty."),
    "address_required": N_("Choose a delivery address."),
    "address_not_found": N_("This address does not exist or is not yours."),
    "cart_has_problems": N_("Some items cannot be ordered as they are: see the notes beside them."),
    "does_not_ship_there": N_("A shop does not ship to this address: choose another address."),
    "no_shipping_template": N_(
        "A shop has not set up its shipping yet: its items cannot be ordered."
    ),
    "mixed_currencies": N_("Some items are priced in another currency."),
    "shipping_method_unavailable": N_("Choose one of the shipping methods offered."),
    "insufficient_stock": N_("An item ran out while you were checking out: nothing was ordered."),
    "per_buyer_limit_exceeded": N_(
        "With your open orders, this would be more of an item than one shopper may buy."
    ),
    "item_unavailable": N_("An item is no longer for sale: nothing was ordered."),
    "shop_unavailable": N_("A shop is not selling at the moment: nothing was ordered."),
    "quote_changed": N_("Prices or shipping changed since you looked: check the new totals."),
    "idempotency_key_reused": N_(
        "This order form was already used: check the order and place it again."
    ),
}
SHOP_REFUSALS: Final[dict[str, str]] = {
    "does_not_ship_there": N_("This shop does not ship to this address."),
    "no_shipping_template": N_("This shop has not set up its shipping yet."),
    "mixed_currencies": N_("Some items are priced in another currency."),
}


def checkout_message(error: DomainError) -> str:
    return gettext(CHECKOUT_MESSAGES.get(error.code, GENERIC))


def _id(value: object) -> int | None:
    text = value.strip() if isinstance(value, str) else ""
    return int(text) if text.isdigit() and 0 < int(text) <= MAX_ID else None


def choices_of(values: Mapping[str, Any]) -> tuple[int | None, dict[int, str]]:
    """The address id and the method per shop named by a form or a query (method_<shop>)."""
    methods = {}
    for name, value in values.items():
        shop = _id(name[len(METHOD_PREFIX) :]) if name.startswith(METHOD_PREFIX) else None
        if shop is not None and isinstance(value, str) and 0 < len(value) <= 40:
            methods[shop] = value
    return _id(values.get("address_id")), methods


def _money(language: str, value: Any) -> str:
    return format_price(language, value.minor, value.currency)


def _shown(request: Request[Any, Any, Any], quote: CheckoutQuote) -> dict[str, Any]:
    language = language_of(request)
    lines = {
        line.id: {
            "unit_price": _money(language, line.unit_price),
            "line_total": _money(language, line.line_total),
            "warnings": line_warnings(request, line),
        }
        for shop in quote.shops
        for line in shop.lines
    }
    shops = {
        shop.shop_id: {
            "goods": _money(language, shop.goods_total),
            "total": _money(language, shop.total),
            "fees": {o.method.value: _money(language, o.fee) for o in shop.options},
            "refusal": SHOP_REFUSALS.get(shop.refusal or "", GENERIC) if shop.refusal else None,
        }
        for shop in quote.shops
    }
    totals = {
        "goods": _money(language, quote.goods_total),
        "shipping": _money(language, quote.shipping_total),
        "total": _money(language, quote.total),
    }
    return {"lines": lines, "shops": shops, "totals": totals}


async def _quote(
    request: Request[Any, Any, Any], address_id: int | None, methods: dict[int, str]
) -> CheckoutQuote:
    galerie = galerie_of(request)
    args: dict[str, Any] = {
        "owner": CartOwner.user(current_principal(request).user_id),
        "address_id": address_id,
        "currency": galerie.settings.default_currency,
        "language": language_of(request),
    }
    try:
        return await quote_checkout(galerie.db, methods=methods, **args)
    except UnknownShippingMethod:  # a stale choice: back to each shop's cheapest
        return await quote_checkout(galerie.db, methods=None, **args)


async def checkout_view(
    request: Request[Any, Any, Any],
    values: Mapping[str, Any],
    *,
    status: int = 200,
    error: str | None = None,
) -> Template:
    user_id = current_principal(request).user_id
    async with galerie_of(request).db.reading() as session:
        addresses = await shopper_addresses(session, user_id=user_id)
    address_id, methods = choices_of(values)
    if address_id is None or all(a.id != address_id for a in addresses):
        address_id = addresses[0].id if addresses else None
    quote = await _quote(request, address_id, methods)
    return render(
        "storefront/checkout.html", status=status, headers=NO_STORE, error=error,
        quote=quote, addresses=addresses, address_id=address_id, key=new_token(18),
        method_labels=METHOD_LABELS, shown=_shown(request, quote),
    )  # fmt: skip


@get("/checkout", opt=SIGNED_IN, include_in_schema=False, name="checkout")
async def checkout_page(request: Request[Any, Any, Any]) -> Template:
    return await checkout_view(request, dict(request.query_params))


def _expected(value: object, currency: str) -> Money | None:
    text = value.strip() if isinstance(value, str) else ""
    return Money(int(text), currency) if text.isdigit() and len(text) <= 18 else None


@post("/checkout/orders", opt=SIGNED_IN, include_in_schema=False, status_code=303)
async def place_order_form(request: Request[Any, Any, Any]) -> Template | Redirect:
    """Place what the page showed (refused as `quote_changed` if its total moved since);
    the hidden key makes a resubmission a replay."""
    data = dict(await request.form())
    address_id, methods = choices_of(data)
    galerie = galerie_of(request)
    currency = galerie.settings.default_currency
    expected = _expected(data.get("expected_total"), currency)
    fingerprint = {
        "address_id": address_id,
        "shipping_methods": {str(k): v for k, v in sorted(methods.items())},
        "expected_total": expected.minor if expected else None,
    }
    key = data.get("idempotency_key")
    try:
        if address_id is None:
            raise DomainError("Choose a delivery address.", code="address_required")
        stored = await place_checkout(
            galerie.db, buyer_id=current_principal(request).user_id, address_id=address_id,
            methods=methods, idempotency_key=key if isinstance(key, str) else None,
            raw_body=fingerprint, now=galerie.clock.now(),
            pay_within=galerie.settings.pay_within, currency=currency, expected_total=expected,
        )  # fmt: skip
    except IdempotencyInProgress:  # the first click is still placing it
        return see_other("/account/orders")
    except DomainError as error:
        return await checkout_view(
            request, data, status=status_for(error), error=checkout_message(error)
        )
    return see_other(f"/account/orders/groups/{stored.body['payment_group_id']}")
