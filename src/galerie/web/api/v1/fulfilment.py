"""The fulfilment API: a shop ships a parcel of one of its orders and reads its parcels; a
shopper reads their order's parcels with tracking events, confirms receipt and extends the
automatic confirmation once.

A seller reaches only its own shop's orders (the shop must belong to the organisation of
the path) and a shopper only their own: anything else is 404, as if it did not exist.
Handlers translate; galerie.fulfilment decides."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, JSONBody

from galerie.fulfilment import (
    confirm_receipt,
    extend_confirmation,
    order_fulfilment,
    ship_parcel,
)
from galerie.orders import Actor
from galerie.web.api.v1.fulfilment_wire import (
    ParcelsOut,
    ShipBody,
    ShippedOut,
    parcels_out,
    shipped_out,
)
from galerie.web.api.v1.orders import SELLER, SHOPPER_ACT, SHOPPER_VIEW, _seller
from galerie.web.auth import galerie_of
from galerie.web.carriers import carriers_of
from galerie.web.rendering import current_principal


async def _parcels(request: Request[Any, Any, Any], order_id: int, actor: Actor) -> ParcelsOut:
    galerie = galerie_of(request)
    view = await order_fulfilment(
        galerie.db,
        order_id=order_id,
        actor=actor,
        now=galerie.clock.now(),
        carriers=carriers_of(galerie),
    )
    return parcels_out(view)


def _buyer(request: Request[Any, Any, Any]) -> Actor:
    return Actor.buyer(current_principal(request).user_id)


class ShopperFulfilmentController(Controller):
    path = "/me/orders/{order_id:int}"
    tags = ["shopper: orders"]  # noqa: RUF012 - Litestar's API

    @get("/parcels", opt=SHOPPER_VIEW, summary="My order's parcels with tracking events")
    async def parcels(self, request: Request[Any, Any, Any], order_id: FromPath[int]) -> ParcelsOut:
        return await _parcels(request, order_id, _buyer(request))

    @post(
        "/confirm-receipt",
        opt=SHOPPER_ACT,
        status_code=200,
        summary="Confirm I received a shipped order (it completes)",
    )
    async def confirm(self, request: Request[Any, Any, Any], order_id: FromPath[int]) -> ParcelsOut:
        galerie, actor = galerie_of(request), _buyer(request)
        await confirm_receipt(galerie.db, order_id=order_id, actor=actor, now=galerie.clock.now())
        return await _parcels(request, order_id, actor)

    @post(
        "/extend-confirmation",
        opt=SHOPPER_ACT,
        status_code=200,
        summary="Push the automatic confirmation back (once, before its deadline)",
    )
    async def extend(self, request: Request[Any, Any, Any], order_id: FromPath[int]) -> ParcelsOut:
        galerie, actor = galerie_of(request), _buyer(request)
        await extend_confirmation(
            galerie.db, order_id=order_id, actor=actor, now=galerie.clock.now()
        )
        return await _parcels(request, order_id, actor)


class SellerFulfilmentController(Controller):
    path = "/organisations/{organisation_id:int}/shops/{shop_id:int}/orders/{order_id:int}"
    tags = ["seller: orders"]  # noqa: RUF012 - Litestar's API

    @get("/parcels", opt=SELLER, summary="The order's parcels with tracking events")
    async def parcels(
        self,
        request: Request[Any, Any, Any],
        organisation_id: FromPath[int],
        shop_id: FromPath[int],
        order_id: FromPath[int],
    ) -> ParcelsOut:
        actor = await _seller(request, organisation_id, shop_id)
        return await _parcels(request, order_id, actor)

    @post(
        "/parcels",
        opt=SELLER,
        status_code=201,
        summary="Ship a parcel (some lines, or everything left) from the lines' warehouse",
    )
    async def ship(
        self,
        request: Request[Any, Any, Any],
        organisation_id: FromPath[int],
        shop_id: FromPath[int],
        order_id: FromPath[int],
        data: JSONBody[ShipBody],
    ) -> ShippedOut:
        actor = await _seller(request, organisation_id, shop_id)
        galerie = galerie_of(request)
        lines = None
        if data.lines is not None:
            lines = [(line.order_line_id, line.quantity) for line in data.lines]
        shipped = await ship_parcel(
            galerie.db,
            order_id=order_id,
            actor=actor,
            carrier=data.carrier,
            tracking_number=data.tracking_number,
            lines=lines,
            warehouse_id=data.warehouse_id,
            now=galerie.clock.now(),
            carriers=carriers_of(galerie),
        )
        return shipped_out(shipped)


FULFILMENT_CONTROLLERS = (ShopperFulfilmentController, SellerFulfilmentController)
