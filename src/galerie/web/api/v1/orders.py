"""The orders API: a shopper's payment groups and orders, and a shop's orders for its
seller team, with cancellation before shipment.

A shopper sees only their own orders and a seller only its shop's (the shop must belong
to the organisation of the path): anything else is 404, as if it did not exist. Placing an
order (POST /checkout/orders with an Idempotency-Key) comes with the cart. Handlers
translate; galerie.orders decides."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from galerie.identity import Permission
from galerie.kernel import PageRequest
from galerie.kernel.pagination import MAX_PAGE_SIZE
from galerie.orders import (
    Actor,
    OrderFilter,
    OrderStatus,
    buyer_payment_groups,
    cancel_order,
    order_detail,
    seller_orders,
)
from galerie.sellers.organisation_queries import organisation_shop
from galerie.web.api.v1.orders_wire import (
    CancelBody,
    GroupsOut,
    OrderOut,
    OrdersOut,
    group_out,
    order_out,
    page_out,
    summary_out,
)
from galerie.web.auth import galerie_of, requires
from galerie.web.rendering import audit_context, current_principal

SHOPPER_VIEW = requires(Permission.ACCOUNT_VIEW)
SHOPPER_ACT = requires(Permission.ACCOUNT_MANAGE)
SELLER = requires(Permission.SELLER_ORDERS_MANAGE)
PageNumber = Annotated[int, QueryParameter(ge=1, le=10_000)]
PerPage = Annotated[int, QueryParameter(ge=1, le=MAX_PAGE_SIZE)]
Number = Annotated[str | None, QueryParameter(max_length=24)]


def _buyer(request: Request[Any, Any, Any]) -> Actor:
    return Actor.buyer(current_principal(request).user_id)


async def _seller(request: Request[Any, Any, Any], organisation_id: int, shop_id: int) -> Actor:
    """The caller acting for the shop; NotFound unless the shop is the organisation's."""
    async with galerie_of(request).db.reading() as session:
        await organisation_shop(session, organisation_id=organisation_id, shop_id=shop_id)
    return Actor.seller(current_principal(request).user_id, shop_id)


async def _detail(request: Request[Any, Any, Any], order_id: int, actor: Actor) -> OrderOut:
    found = await order_detail(galerie_of(request).db, order_id=order_id, actor=actor)
    return order_out(found)


class ShopperOrdersController(Controller):
    path = "/me"
    tags = ["shopper: orders"]  # noqa: RUF012 - Litestar's API

    @get("/payment-groups", opt=SHOPPER_VIEW, summary="My checkouts, newest first, with orders")
    async def groups(
        self, request: Request[Any, Any, Any], page: PageNumber = 1, per_page: PerPage = 20
    ) -> GroupsOut:
        found = await buyer_payment_groups(
            galerie_of(request).db,
            buyer_id=current_principal(request).user_id,
            page=PageRequest(page, per_page),
        )
        return GroupsOut(page_out(found), [group_out(g) for g in found.items])

    @get("/orders/{order_id:int}", opt=SHOPPER_VIEW, summary="One of my orders")
    async def read(self, request: Request[Any, Any, Any], order_id: FromPath[int]) -> OrderOut:
        return await _detail(request, order_id, _buyer(request))

    @post(
        "/orders/{order_id:int}/cancel",
        opt=SHOPPER_ACT,
        status_code=200,
        summary="Cancel one of my orders before it ships (its stock is released)",
    )
    async def cancel(
        self, request: Request[Any, Any, Any], order_id: FromPath[int], data: JSONBody[CancelBody]
    ) -> OrderOut:
        galerie, actor = galerie_of(request), _buyer(request)
        await cancel_order(
            galerie.db, order_id=order_id, actor=actor, reason=data.reason, now=galerie.clock.now()
        )
        return await _detail(request, order_id, actor)


class SellerOrdersController(Controller):
    path = "/organisations/{organisation_id:int}/shops/{shop_id:int}/orders"
    tags = ["seller: orders"]  # noqa: RUF012 - Litestar's API

    @get("", opt=SELLER, summary="The shop's orders (filter by status, placement time, number)")
    async def list_orders(
        self,
        request: Request[Any, Any, Any],
        organisation_id: FromPath[int],
        shop_id: FromPath[int],
        status: FromQuery[OrderStatus | None] = None,
        placed_from: FromQuery[datetime | None] = None,
        placed_to: FromQuery[datetime | None] = None,
        number: Number = None,
        page: PageNumber = 1,
        per_page: PerPage = 20,
    ) -> OrdersOut:
        await _seller(request, organisation_id, shop_id)
        found = await seller_orders(
            galerie_of(request).db,
            shop_id=shop_id,
            filters=OrderFilter(status, placed_from, placed_to, number),
            page=PageRequest(page, per_page),
        )
        return OrdersOut(page_out(found), [summary_out(o) for o in found.items])

    @get("/{order_id:int}", opt=SELLER, summary="One of the shop's orders")
    async def read(
        self,
        request: Request[Any, Any, Any],
        organisation_id: FromPath[int],
        shop_id: FromPath[int],
        order_id: FromPath[int],
    ) -> OrderOut:
        actor = await _seller(request, organisation_id, shop_id)
        return await _detail(request, order_id, actor)

    @post(
        "/{order_id:int}/cancel",
        opt=SELLER,
        status_code=200,
        summary="Cancel one of the shop's orders before it ships, with a reason",
    )
    async def cancel(
        self,
        request: Request[Any, Any, Any],
        organisation_id: FromPath[int],
        shop_id: FromPath[int],
        order_id: FromPath[int],
        data: JSONBody[CancelBody],
    ) -> OrderOut:
        actor = await _seller(request, organisation_id, shop_id)
        galerie = galerie_of(request)
        await cancel_order(
            galerie.db,
            order_id=order_id,
            actor=actor,
            reason=data.reason,
            now=galerie.clock.now(),
            audit=audit_context(request),
        )
        return await _detail(request, order_id, actor)


ORDERS_CONTROLLERS = (ShopperOrdersController, SellerOrdersController)
