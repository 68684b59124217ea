"""`quote_checkout`: what the buyer's cart would cost, shop by shop, delivered to one of
their saved addresses. Prices come from the catalog (through the cart's read), shipping
from each shop's templates (galerie.shipping); the client never sends a price.

Reads: the cart (one statement), the address (one), every shop's templates (one).
A quote that cannot be placed says why in `blockers` (stable codes): an empty cart, a line
with a blocking warning, a shop that does not ship to the address, no address, two
currencies. Nothing is written."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from sqlalchemy.ext.asyncio import AsyncSession

from galerie.cart import (
    AddressView,
    CartLineView,
    CartOwner,
    CartView,
    ShopGroup,
    read_cart,
    read_items,
)
from galerie.checkout.errors import UnknownShippingMethod
from galerie.checkout.queries import AddressAhead, address_and_templates
from galerie.db import Database, RawSQL
from galerie.kernel import CurrencyMismatch, Money, NotFound
from galerie.orders import ItemUnavailable
from galerie.shipping import (
    Destination,
    ShippingOption,
    ShippingRefused,
    ShippingTemplate,
    quote_shop_shipping,
)


@dataclass(frozen=True, slots=True)
class Blocker:
    """Why a quote cannot be placed: a stable code, and the shop or line it is about."""

    code: str
    shop_id: int | None = None
    line_id: int | None = None


@dataclass(frozen=True, slots=True)
class ShopQuote:
    shop_id: int
    name: str
    slug: str
    lines: list[CartLineView]
    goods_total: Money
    options: list[ShippingOption]  # cheapest first; empty when the shop cannot ship there
    chosen: ShippingOption | None
    refusal: str | None = None  # does_not_ship_there / no_shipping_template / ...

    @property
    def total(self) -> Money:
        fee = self.chosen.fee if self.chosen else Money.zero(self.goods_total.currency)
        return self.goods_total + fee


@dataclass(frozen=True, slots=True)
class CheckoutQuote:
    currency: str
    address: AddressView | None
    shops: list[ShopQuote]
    blockers: list[Blocker] = field(default_factory=list)

    @property
    def goods_total(self) -> Money:
        return sum((s.goods_total for s in self.shops), Money.zero(self.currency))

    @property
    def shipping_total(self) -> Money:
        fees = (s.chosen.fee for s in self.shops if s.chosen is not None)
        return sum(fees, Money.zero(self.currency))

    @property
    def total(self) -> Money:
        return self.goods_total + self.shipping_total

    @property
    def placeable(self) -> bool:
        return not self.blockers

    @property
    def lines(self) -> list[tuple[int, int]]:
        """(sku_id, quantity) of every line: what placing orders."""
        return [(line.sku_id, line.quantity) for s in self.shops for line in s.lines]


def _goods(group: ShopGroup, currency: str) -> Money:
    return sum(
        (line.line_total for line in group.lines if line.unit_price.currency == currency),
        Money.zero(currency),
    )


def _line_blockers(cart: CartView, currency: str) -> list[Blocker]:
    found = []
    for line in cart.lines:
        if line.unit_price.currency != currency:
            found.append(Blocker("mixed_currencies", line.shop_id, line.id))
        elif not line.orderable:
            found.append(Blocker("cart_has_problems", line.shop_id, line.id))
    return found


def _chosen(group: ShopGroup, options: list[ShippingOption], method: str | None) -> ShippingOption:
    if method is None:
        return options[0]
    for option in options:
        if option.method.value == method:
            return option
    raise UnknownShippingMethod(
        "This shop offers no such shipping method to this address.",
        field="shipping_methods",
        shop_id=group.shop_id,
        method=method[:40],
    )


def _shop_quote(
    group: ShopGroup,
    templates: list[ShippingTemplate],
    currency: str,
    address: AddressView | None,
    method: str | None,
) -> ShopQuote:
    goods = _goods(group, currency)
    base = ShopQuote(group.shop_id, group.name, group.slug, group.lines, goods, [], None)
    if address is None:
        return base
    try:
        options = quote_shop_shipping(
            templates,
            [(line.quantity, line.weight_grams) for line in group.lines],
            goods,
            Destination(address.country, address.province or None),
        )
    except ShippingRefused as refused:
        return replace(base, refusal=refused.code)
    except CurrencyMismatch:
        return replace(base, refusal="mixed_currencies")
    return replace(base, options=options, chosen=_chosen(group, options, method))


async def quote_checkout(
    db: Database,
    *,
    owner: CartOwner,
    address_id: int | None,
    methods: Mapping[int, str] | None = None,
    currency: str,
    language: str = "en",
    items: Sequence[tuple[int, int]] | None = None,
) -> CheckoutQuote:
    """The quote of the owner's whole cart to the address (a signed-in shopper's own saved
    address; another's is NotFound `address_not_found`). `methods` picks a shipping method
    per shop id (default: each shop's cheapest); a method the shop does not offer there is
    UnknownShippingMethod. Totals are in `currency` (the market's). With `items` ((SKU,
    quantity) pairs: "buy now"), those are quoted instead of the cart."""
    async with db.reading() as session:
        return await quote_in(
            session, owner=owner, address_id=address_id, methods=methods, currency=currency,
            language=language, items=items,
        )  # fmt: skip


async def quote_in(
    on: AsyncSession | RawSQL,
    *,
    owner: CartOwner,
    address_id: int | None,
    methods: Mapping[int, str] | None,
    currency: str,
    language: str,
    items: Sequence[tuple[int, int]] | None = None,
) -> CheckoutQuote:
    """`quote_checkout` in the caller's transaction (placing quotes in its own), on the
    driver connection: the cart (1), the address with every shop's templates (1)."""
    raw = await RawSQL.over(on)
    ahead = None
    if raw.dialect == "postgresql" and address_id is not None and owner.user_id is not None:
        skus = None if items is None else [sku for sku, _ in items]
        ahead = await AddressAhead.send(
            raw, user_id=owner.user_id, address_id=address_id, owner=owner, skus=skus
        )
    if items is None:
        cart = await read_cart(raw, owner=owner, language=language)
    else:
        cart = await read_items(raw, items=items, language=language)
        missing = {sku for sku, _ in items} - {line.sku_id for line in cart.lines}
        if missing:
            raise ItemUnavailable("No such item.", field="lines", sku_id=min(missing))
    chosen = dict(methods or {})
    address: AddressView | None = None
    templates: dict[int, list[ShippingTemplate]] = {}
    if address_id is not None:
        if owner.user_id is None:  # guests have no saved addresses
            raise NotFound("No such address.", code="address_not_found")
        shop_ids = [g.shop_id for g in cart.shops]
        if ahead is not None:
            address, templates = ahead.result(raw, shop_ids)
        else:
            address, templates = await address_and_templates(
                raw, user_id=owner.user_id, address_id=address_id, shop_ids=shop_ids
            )
    shops = [
        _shop_quote(group, templates.get(group.shop_id, []), currency, address,
                    chosen.pop(group.shop_id, None))
        for group in cart.shops
    ]  # fmt: skip
    if chosen:
        raise UnknownShippingMethod(
            "A shipping method was chosen for a shop that is not in the cart.",
            field="shipping_methods",
            shop_id=min(chosen),
        )
    return CheckoutQuote(currency, address, shops, _blockers(cart, address, shops, currency))


def _blockers(
    cart: CartView, address: AddressView | None, shops: list[ShopQuote], currency: str
) -> list[Blocker]:
    if not cart.lines:
        return [Blocker("cart_empty")]
    found = [] if address is not None else [Blocker("address_required")]
    found += [Blocker(s.refusal, s.shop_id) for s in shops if s.refusal]
    return found + _line_blockers(cart, currency)
