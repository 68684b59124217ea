"""`place_checkout`: the buyer's cart becomes one payment group with one order per shop,
once per Idempotency-Key.

`galerie.orders.run_once` runs ONE transaction on the driver connection (the hot path of
ARCHITECTURE.md) that claims the key, quotes the cart (`quote_in`), places the orders
(`galerie.orders.place_order`: catalog prices, stock reserved, all or nothing), removes the
ordered lines from the cart (`galerie.cart.remove_ordered_lines`) and stores the response. Any refusal (a blocked quote, insufficient stock in the third shop, a per-buyer
limit, a delisted item, a suspended shop) rolls that transaction back whole: no order, no
reservation, the cart untouched, the key free for a retry. A replay of the same key and
body answers the stored response without quoting again (the cart is empty by then)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, fields
from datetime import datetime, timedelta
from typing import Any

from galerie.cart import AddressView, CartOwner, forget_ordered_lines
from galerie.checkout.errors import CheckoutBlocked
from galerie.checkout.quote import CheckoutQuote, quote_in
from galerie.db import Database, RawSQL
from galerie.kernel import DomainError, Money
from galerie.orders import (
    DEFAULT_PAY_WITHIN,
    IdsAhead,
    Offer,
    ShippingChoice,
    StoredResponse,
    ids_ahead,
    place_order,
    placed_body,
    run_once,
)

CREATED = 201
Request = bytes | Mapping[str, Any] | Sequence[Any]


SNAPSHOT_FIELDS = tuple(f.name for f in fields(AddressView) if f.name not in {"id", "is_default"})


def address_snapshot(address: AddressView) -> dict[str, Any]:
    """The saved address as the orders keep it (a copy: editing it later changes nothing)."""
    return {name: getattr(address, name) for name in SNAPSHOT_FIELDS}


def offers_of(quote: CheckoutQuote) -> dict[int, Offer]:
    """The quote's lines as place_order's offers: read in the same transaction, and only
    placed when every line is orderable (sold, its shop selling), so not read again."""
    return {
        line.sku_id: Offer(line.sku_id, line.shop_id, line.product_id, line.title,
                           line.unit_price, line.per_buyer_limit)
        for shop in quote.shops
        for line in shop.lines
    }  # fmt: skip


def blocked(quote: CheckoutQuote) -> CheckoutBlocked:
    first = quote.blockers[0]
    return CheckoutBlocked(
        "This checkout cannot be placed as it is.",
        code=first.code,
        blockers=[asdict(b) for b in quote.blockers],
    )


def shipping_of(quote: CheckoutQuote) -> dict[int, ShippingChoice]:
    return {
        s.shop_id: ShippingChoice(s.chosen.method.value, s.chosen.fee, s.chosen.auto_confirm_days)
        for s in quote.shops
        if s.chosen is not None
    }


async def _place(
    raw: RawSQL,
    *,
    buyer_id: int,
    quote: CheckoutQuote,
    now: datetime,
    pay_within: timedelta,
    expected_total: Money | None,
    from_cart: bool,
    quoted_here: bool,
    ids: IdsAhead | None = None,
) -> StoredResponse:
    """Place `quote`; `quoted_here` when it was read in this very transaction (its offers
    are then used as read; a quote made earlier is priced again)."""
    if quote.blockers or quote.address is None:
        raise blocked(quote)
    if expected_total is not None and quote.total != expected_total:
        raise CheckoutBlocked(
            "The prices or the shipping changed: check the order again.", code="quote_changed"
        )
    group = await place_order(
        raw, buyer_id=buyer_id, lines=quote.lines, shipping=shipping_of(quote),
        address=address_snapshot(quote.address), now=now, pay_within=pay_within,
        offers=offers_of(quote) if quoted_here else None, ids=ids,
    )  # fmt: skip
    if from_cart:
        await forget_ordered_lines(raw, owner=CartOwner.user(buyer_id), lines=quote.lines)
    return StoredResponse(CREATED, placed_body(group))


async def place_quoted(
    db: Database,
    *,
    buyer_id: int,
    quote: CheckoutQuote | DomainError,
    idempotency_key: str | None,
    request: Request,
    now: datetime,
    pay_within: timedelta = DEFAULT_PAY_WITHIN,
    expected_total: Money | None = None,
    from_cart: bool = True,
) -> StoredResponse:
    """Place a quote already made (or raise the error quoting met) once per key and
    `request` (the raw body: what makes two requests 'the same'). With `expected_total`
    (the total the buyer was shown), a quote that no longer matches it is refused
    (`quote_changed`): nothing is placed at a price the buyer did not see."""

    async def work(raw: RawSQL) -> StoredResponse:
        if isinstance(quote, DomainError):
            raise quote
        return await _place(
            raw, buyer_id=buyer_id, quote=quote, now=now, pay_within=pay_within,
            expected_total=expected_total, from_cart=from_cart, quoted_here=False,
        )  # fmt: skip

    return await run_once(
        db, scope=f"checkout:{buyer_id}", key=idempotency_key, request=request, now=now,
        work=work, claim_with_first_read=True,
    )  # fmt: skip


async def place_checkout(
    db: Database,
    *,
    buyer_id: int,
    address_id: int,
    methods: Mapping[int, str] | None,
    idempotency_key: str | None,
    raw_body: Request,
    now: datetime,
    pay_within: timedelta = DEFAULT_PAY_WITHIN,
    currency: str,
    expected_total: Money | None = None,
    items: Sequence[tuple[int, int]] | None = None,
) -> StoredResponse:
    """Quote the buyer's cart (or, "buy now", the (SKU, quantity) `items`, leaving the cart
    alone) to their address with the chosen methods, then place it: ONE transaction on
    the driver connection (run_once's), a replay answering before anything is quoted.
    Status 201 and the placed group; replays answer the same.
    IdempotencyKeyReused (another body), IdempotencyInProgress (the first still runs),
    CheckoutBlocked, InsufficientStock, PerBuyerLimitExceeded, ItemUnavailable,
    ShopUnavailable, `quote_changed` (see place_quoted): nothing changed."""

    async def work(raw: RawSQL) -> StoredResponse:
        # A single statement takes the ids with the quote's first read: at most one order
        # per item bought now (a cart's lines are not known yet: place_order reads them).
        ids = await ids_ahead(raw, orders=len(items)) if raw.single_statement and items else None
        quote = await quote_in(
            raw, owner=CartOwner.user(buyer_id), address_id=address_id, methods=methods,
            currency=currency, language="en", items=items,
        )  # fmt: skip
        return await _place(
            raw, buyer_id=buyer_id, quote=quote, now=now, pay_within=pay_within,
            expected_total=expected_total, from_cart=items is None, quoted_here=True, ids=ids,
        )  # fmt: skip

    return await run_once(
        db, scope=f"checkout:{buyer_id}", key=idempotency_key, request=raw_body, now=now,
        work=work, claim_with_first_read=True, single_statement=True,
    )  # fmt: skip
