"""The shopper's cart and address book through the API (bearer tokens: a signed-in shopper;
guests use the pages). Reading needs `account.view`, changing `account.manage`. A line or
address of another shopper is 404, like one that does not exist. Handlers translate;
galerie.cart decides."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, delete, get, patch, post, put
from litestar.params import FromPath, JSONBody

from galerie.cart import (
    CartOwner,
    add_address,
    add_to_cart,
    cart_view,
    delete_address,
    remove_cart_line,
    set_default_address,
    set_line_quantity,
    shopper_address,
    shopper_addresses,
    update_address,
)
from galerie.identity import Permission
from galerie.web.api.v1.cart_wire import (
    AddLineBody,
    AddressBody,
    AddressOut,
    CartOut,
    QuantityBody,
    address_out,
    cart_out,
)
from galerie.web.auth import galerie_of, requires
from galerie.web.i18n import language_of
from galerie.web.rendering import current_principal

VIEW = requires(Permission.ACCOUNT_VIEW)
MANAGE = requires(Permission.ACCOUNT_MANAGE)
LINE = "/lines/{line_id:int}"


def _owner(request: Request[Any, Any, Any]) -> CartOwner:
    return CartOwner.user(current_principal(request).user_id)


async def _cart(request: Request[Any, Any, Any]) -> CartOut:
    galerie = galerie_of(request)
    view = await cart_view(galerie.db, owner=_owner(request), language=language_of(request))
    return cart_out(view)


class CartController(Controller):
    path = "/cart"
    tags = ["shopper: cart"]  # noqa: RUF012 - Litestar's API

    @get("", opt=VIEW, summary="The caller's cart by shop, with each line's warnings")
    async def read(self, request: Request[Any, Any, Any]) -> CartOut:
        return await _cart(request)

    @post(
        "/lines", opt=MANAGE, status_code=201,
        summary="Add a SKU (quantities add up, within the line's limit and the stock)",
    )  # fmt: skip
    async def add(self, request: Request[Any, Any, Any], data: JSONBody[AddLineBody]) -> CartOut:
        galerie = galerie_of(request)
        await add_to_cart(
            galerie.db, owner=_owner(request), sku_id=data.sku_id, quantity=data.quantity,
            now=galerie.clock.now(),
        )  # fmt: skip
        return await _cart(request)

    @patch(LINE, opt=MANAGE, summary="Set a line's quantity")
    async def change(
        self, request: Request[Any, Any, Any], line_id: FromPath[int], data: JSONBody[QuantityBody]
    ) -> CartOut:
        galerie = galerie_of(request)
        await set_line_quantity(
            galerie.db, owner=_owner(request), line_id=line_id, quantity=data.quantity,
            now=galerie.clock.now(),
        )  # fmt: skip
        return await _cart(request)

    @delete(LINE, opt=MANAGE, status_code=200, summary="Remove a line")
    async def remove(self, request: Request[Any, Any, Any], line_id: FromPath[int]) -> CartOut:
        await remove_cart_line(galerie_of(request).db, owner=_owner(request), line_id=line_id)
        return await _cart(request)


ADDRESS = "/{address_id:int}"


async def _address(request: Request[Any, Any, Any], address_id: int) -> AddressOut:
    async with galerie_of(request).db.reading() as session:
        found = await shopper_address(
            session, user_id=current_principal(request).user_id, address_id=address_id
        )
    return address_out(found)


class AddressesController(Controller):
    path = "/me/addresses"
    tags = ["shopper: addresses"]  # noqa: RUF012 - Litestar's API

    @get("", opt=VIEW, summary="The caller's saved addresses, the default first")
    async def list_addresses(self, request: Request[Any, Any, Any]) -> list[AddressOut]:
        async with galerie_of(request).db.reading() as session:
            found = await shopper_addresses(session, user_id=current_principal(request).user_id)
        return [address_out(a) for a in found]

    @post("", opt=MANAGE, status_code=201, summary="Save an address (at most 20)")
    async def create(
        self, request: Request[Any, Any, Any], data: JSONBody[AddressBody]
    ) -> AddressOut:
        galerie = galerie_of(request)
        address_id = await add_address(
            galerie.db, user_id=current_principal(request).user_id, form=data.form(),
            make_default=data.is_default, now=galerie.clock.now(),
        )  # fmt: skip
        return await _address(request, address_id)

    @get(ADDRESS, opt=VIEW, summary="One of the caller's addresses")
    async def read(self, request: Request[Any, Any, Any], address_id: FromPath[int]) -> AddressOut:
        return await _address(request, address_id)

    @put(
        ADDRESS,
        opt=MANAGE,
        summary="Replace an address (is_default: true also makes it the default)",
    )
    async def replace(
        self,
        request: Request[Any, Any, Any],
        address_id: FromPath[int],
        data: JSONBody[AddressBody],
    ) -> AddressOut:
        galerie = galerie_of(request)
        user_id = current_principal(request).user_id
        await update_address(
            galerie.db, user_id=user_id, address_id=address_id, form=data.form(),
            now=galerie.clock.now(), make_default=data.is_default,
        )  # fmt: skip
        return await _address(request, address_id)

    @post(ADDRESS + "/default", opt=MANAGE, status_code=200, summary="Make it the default")
    async def make_default(
        self, request: Request[Any, Any, Any], address_id: FromPath[int]
    ) -> AddressOut:
        galerie = galerie_of(request)
        await set_default_address(
            galerie.db, user_id=current_principal(request).user_id, address_id=address_id,
            now=galerie.clock.now(),
        )  # fmt: skip
        return await _address(request, address_id)

    @delete(ADDRESS, opt=MANAGE, status_code=204, summary="Remove an address")
    async def remove(self, request: Request[Any, Any, Any], address_id: FromPath[int]) -> None:
        galerie = galerie_of(request)
        await delete_address(
            galerie.db, user_id=current_principal(request).user_id, address_id=address_id,
            now=galerie.clock.now(),
        )  # fmt: skip


CART_CONTROLLERS = [CartController, AddressesController]
