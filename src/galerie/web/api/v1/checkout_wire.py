"""Wire types of the checkout API and the mapping from galerie.checkout's quote.

The body names an address and, optionally, a shipping method per shop and, to "buy now"
without the cart, the items (SKU and quantity) to order; it forbids unknown fields, so a
body naming a price or a total is refused with 400 and changes nothing: prices come from the
catalog, quantities from the cart or the items."""

from __future__ import annotations

from typing import Annotated

import msgspec

from galerie.checkout import CheckoutQuote, ShopQuote
from galerie.kernel import ValidationFailed
from galerie.shipping import ShippingOption
from galerie.web.api.v1.cart_wire import CartLineOut, line_out, money
from galerie.web.api.v1.wire import Money

Id = Annotated[int, msgspec.Meta(ge=1, le=2**63 - 1)]
Method = Annotated[str, msgspec.Meta(min_length=1, max_length=40)]
ShopKey = Annotated[str, msgspec.Meta(pattern=r"^[1-9][0-9]{0,17}$")]


Quantity = Annotated[int, msgspec.Meta(ge=1, le=99)]


class ItemIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    sku_id: Id
    quantity: Quantity


class CheckoutBody(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    address_id: Id
    shipping_methods: Annotated[dict[ShopKey, Method], msgspec.Meta(max_length=50)] = {}
    # buy now: these items instead of the cart (which stays as it is)
    lines: Annotated[list[ItemIn], msgspec.Meta(min_length=1, max_length=100)] | None = None

    def items(self) -> list[tuple[int, int]] | None:
        if self.lines is None:
            return None
        return [(line.sku_id, line.quantity) for line in self.lines]

    def methods(self) -> dict[int, str]:
        try:
            return {int(shop): method for shop, method in self.shipping_methods.items()}
        except ValueError as exc:  # pragma: no cover - the pattern admits digits only
            raise ValidationFailed(
                "Name shops by id.", field="shipping_methods", code="bad_shipping_methods"
            ) from exc


class OptionOut(msgspec.Struct, frozen=True):
    method: str
    fee: Money
    auto_confirm_days: int


class ShopQuoteOut(msgspec.Struct, frozen=True):
    shop_id: int
    name: str
    slug: str
    lines: list[CartLineOut]
    goods_total: Money
    options: list[OptionOut]
    chosen: OptionOut | None
    refusal: str | None
    total: Money


class BlockerOut(msgspec.Struct, frozen=True):
    code: str
    shop_id: int | None
    line_id: int | None


class QuoteOut(msgspec.Struct, frozen=True):
    currency: str
    address_id: int | None
    shops: list[ShopQuoteOut]
    goods_total: Money
    shipping_total: Money
    total: Money
    placeable: bool
    blockers: list[BlockerOut]


class PlacedOrderOut(msgspec.Struct, frozen=True):
    id: int
    number: str
    shop_id: int
    status: str
    total: Money


class PlacedOut(msgspec.Struct, frozen=True):
    """The 201 answer (the stored response: a replay returns it byte for byte; it carries
    each order's lines and shipping too)."""

    payment_group_id: int
    total: Money
    pay_by: str
    orders: list[PlacedOrderOut]


def option_out(option: ShippingOption) -> OptionOut:
    return OptionOut(option.method.value, money(option.fee), option.auto_confirm_days)


def shop_quote_out(shop: ShopQuote) -> ShopQuoteOut:
    return ShopQuoteOut(
        shop.shop_id, shop.name, shop.slug, [line_out(line) for line in shop.lines],
        money(shop.goods_total), [option_out(o) for o in shop.options],
        option_out(shop.chosen) if shop.chosen else None, shop.refusal, money(shop.total),
    )  # fmt: skip


def quote_out(quote: CheckoutQuote) -> QuoteOut:
    return QuoteOut(
        quote.currency, quote.address.id if quote.address else None,
        [shop_quote_out(s) for s in quote.shops], money(quote.goods_total),
        money(quote.shipping_total), money(quote.total), quote.placeable,
        [BlockerOut(b.code, b.shop_id, b.line_id) for b in quote.blockers],
    )  # fmt: skip
