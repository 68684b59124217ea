"""Wire types of the shopper's cart and address book API, and the mapping from the cart's
read models. Bodies forbid unknown fields: a body naming a price, a shop or an owner is
refused with 400, never applied; quantities are checked again by the services."""

from __future__ import annotations

from typing import Annotated

import msgspec

from galerie.cart import AddressForm, AddressView, CartLineView, CartView, ShopGroup
from galerie.kernel import Money as DomainMoney
from galerie.web.api.v1.wire import Money

Id = Annotated[int, msgspec.Meta(ge=1, le=2**63 - 1)]


def money(value: DomainMoney) -> Money:
    return Money(minor=value.minor, currency=value.currency)


class AddLineBody(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    sku_id: Id
    quantity: int


class QuantityBody(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    quantity: int


class CartLineOut(msgspec.Struct, frozen=True):
    id: int
    sku_id: int
    product_id: int
    title: str
    options: dict[str, str]
    quantity: int
    limit: int
    unit_price: Money
    price_seen: Money
    line_total: Money
    available: int
    problems: list[str]
    orderable: bool


class CartShopOut(msgspec.Struct, frozen=True):
    shop_id: int
    name: str
    slug: str
    lines: list[CartLineOut]
    totals: list[Money]


class CartOut(msgspec.Struct, frozen=True):
    shops: list[CartShopOut]
    item_count: int
    orderable: bool


def line_out(line: CartLineView) -> CartLineOut:
    return CartLineOut(
        id=line.id, sku_id=line.sku_id, product_id=line.product_id, title=line.title,
        options=line.options, quantity=line.quantity, limit=line.limit,
        unit_price=money(line.unit_price), price_seen=money(line.price_seen),
        line_total=money(line.line_total), available=line.available,
        problems=[str(p) for p in line.problems], orderable=line.orderable,
    )  # fmt: skip


def shop_out(group: ShopGroup) -> CartShopOut:
    return CartShopOut(
        shop_id=group.shop_id,
        name=group.name,
        slug=group.slug,
        lines=[line_out(line) for line in group.lines],
        totals=[money(m) for m in group.totals],
    )


def cart_out(cart: CartView) -> CartOut:
    return CartOut(
        shops=[shop_out(g) for g in cart.shops],
        item_count=cart.item_count,
        orderable=cart.orderable,
    )


class AddressBody(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    recipient: Annotated[str, msgspec.Meta(max_length=100)]
    phone: Annotated[str, msgspec.Meta(max_length=30)]
    country: Annotated[str, msgspec.Meta(max_length=2)]
    city: Annotated[str, msgspec.Meta(max_length=100)]
    line1: Annotated[str, msgspec.Meta(max_length=200)]
    province: Annotated[str, msgspec.Meta(max_length=100)] = ""
    district: Annotated[str, msgspec.Meta(max_length=100)] = ""
    line2: Annotated[str, msgspec.Meta(max_length=200)] = ""
    postcode: Annotated[str, msgspec.Meta(max_length=20)] = ""
    is_default: bool = False

    def form(self) -> AddressForm:
        return AddressForm(
            recipient=self.recipient, phone=self.phone, country=self.country, city=self.city,
            line1=self.line1, province=self.province, district=self.district,
            line2=self.line2, postcode=self.postcode,
        )  # fmt: skip


class AddressOut(msgspec.Struct, frozen=True):
    id: int
    recipient: str
    phone: str
    country: str
    province: str
    city: str
    district: str
    line1: str
    line2: str
    postcode: str
    is_default: bool


def address_out(a: AddressView) -> AddressOut:
    return AddressOut(
        id=a.id, recipient=a.recipient, phone=a.phone, country=a.country,
        province=a.province, city=a.city, district=a.district, line1=a.line1, line2=a.line2,
        postcode=a.postcode, is_default=a.is_default,
    )  # fmt: skip
