"""Checkout: the buyer's cart quoted shop by shop to a saved address, then placed as one
payment group with one order per shop. Public surface.

    quote_checkout(db, *, owner, address_id, methods={shop_id: "express"}, currency,
    language) -> CheckoutQuote
        Lines grouped by shop with catalog prices, each shop's goods total, its shipping
        options (cheapest first) and the chosen one, totals; `blockers` (stable codes:
        cart_empty, address_required, cart_has_problems, does_not_ship_there,
        no_shipping_template, mixed_currencies) say why it cannot be placed.
    place_checkout(db, *, buyer_id, address_id, methods, idempotency_key, raw_body, now,
    pay_within, currency) -> StoredResponse(201, body)
        Once per (buyer, Idempotency-Key) and raw body; orders placed and the ordered cart
        lines removed in ONE transaction; any refusal leaves everything as it was.
    place_quoted(db, *, buyer_id, quote, ...)   the same for a quote already made.
    shop_labels(db, shop_ids) -> {shop_id: ShopLabel(name, slug)}   for order pages.

Builds on galerie.cart (the cart, addresses), galerie.shipping (quotes) and galerie.orders
(place_order, run_once); decides nothing they decide."""

from galerie.checkout.errors import CheckoutBlocked, UnknownShippingMethod
from galerie.checkout.queries import ShopLabel, shop_labels
from galerie.checkout.quote import Blocker, CheckoutQuote, ShopQuote, quote_checkout, quote_in
from galerie.checkout.services import address_snapshot, place_checkout, place_quoted

__all__ = [
    "Blocker",
    "CheckoutBlocked",
    "CheckoutQuote",
    "ShopLabel",
    "ShopQuote",
    "UnknownShippingMethod",
    "address_snapshot",
    "place_checkout",
    "place_quoted",
    "quote_checkout",
    "quote_in",
    "shop_labels",
]
