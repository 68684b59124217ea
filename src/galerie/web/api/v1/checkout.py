"""The checkout API (bearer tokens of a signed-in shopper): quote the cart to a saved
address, then place it once per Idempotency-Key. Handlers translate; galerie.checkout
decides.

- POST /checkout/quote   `account.view`: the quote, blockers included (nothing written).
- POST /checkout/orders  `account.manage`, header `Idempotency-Key` (1-255 printable
  characters; missing: 400 `idempotency_key_required`): 201 and the payment group; the
  same key and body again: the same status and body; the same key with another body: 422
  `idempotency_key_reused`; while the first still runs: 409 `idempotency_in_progress`.
  The raw body is the fingerprint, so a retry that meets a new quote is still the same
  request."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, post
from litestar.params import HeaderParameter, JSONBody

from galerie.cart import CartOwner
from galerie.checkout import place_checkout, quote_checkout
from galerie.identity import Permission
from galerie.kernel import DomainError
from galerie.web.api.v1.checkout_wire import CheckoutBody, PlacedOut, QuoteOut, quote_out
from galerie.web.auth import galerie_of, requires
from galerie.web.i18n import language_of
from galerie.web.rendering import current_principal

VIEW = requires(Permission.ACCOUNT_VIEW)
MANAGE = requires(Permission.ACCOUNT_MANAGE)
KeyHeader = Annotated[
    str | None,
    HeaderParameter(
        name="Idempotency-Key",
        description="1 to 255 printable characters, new for each checkout (required)",
    ),
]


class CheckoutController(Controller):
    path = "/checkout"
    tags = ["shopper: checkout"]  # noqa: RUF012 - Litestar's API

    @post(
        "/quote", opt=VIEW, status_code=200,
        summary="Quote the cart to a saved address (per-shop shipping; cheapest by default)",
    )  # fmt: skip
    async def quote(
        self, request: Request[Any, Any, Any], data: JSONBody[CheckoutBody]
    ) -> QuoteOut:
        galerie = galerie_of(request)
        found = await quote_checkout(
            galerie.db, owner=CartOwner.user(current_principal(request).user_id),
            address_id=data.address_id, methods=data.methods(),
            currency=galerie.settings.default_currency, language=language_of(request),
            items=data.items(),
        )  # fmt: skip
        return quote_out(found)

    @post(
        "/orders", opt=MANAGE, status_code=201,
        summary="Place the cart, or the items named (buy now): one payment group, one order per "
        "shop (once per key)",
        response_description="The payment group and its orders",
    )  # fmt: skip
    async def place(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[CheckoutBody],
        idempotency_key: KeyHeader = None,
    ) -> Response[PlacedOut]:
        if idempotency_key is None:
            raise _key_required()
        galerie = galerie_of(request)
        stored = await place_checkout(
            galerie.db, buyer_id=current_principal(request).user_id,
            address_id=data.address_id, methods=data.methods(),
            idempotency_key=idempotency_key, raw_body=await request.body(),
            now=galerie.clock.now(), pay_within=galerie.settings.pay_within,
            currency=galerie.settings.default_currency, items=data.items(),
        )  # fmt: skip
        return Response(stored.body, status_code=stored.status)


def _key_required() -> DomainError:
    """400 (a DomainError that is no narrower kind) with its own code."""
    return DomainError("Send an Idempotency-Key header.", code="idempotency_key_required")


CHECKOUT_CONTROLLERS = [CheckoutController]
