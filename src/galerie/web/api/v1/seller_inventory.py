"""The seller inventory API: a shop's warehouses, its stock per SKU per warehouse, receipts,
adjustments, low-stock thresholds and movements.

Every route acts for the organisation of its path (the access middleware checks the
permission within it); a shop of another organisation is 404, and so is a warehouse or SKU
of another shop (the services check both against the shop). Handlers translate;
galerie.inventory decides."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post, put
from litestar.params import FromPath, FromQuery, JSONBody, Parameter

from galerie.identity import Permission
from galerie.inventory import (
    MovementView,
    adjust_stock,
    create_warehouse,
    deactivate_warehouse,
    reactivate_warehouse,
    receive_stock,
    set_low_stock_threshold,
    shop_sku_exists,
    shop_stock,
    shop_warehouse,
    shop_warehouses,
    sku_movements,
    update_warehouse,
)
from galerie.kernel import NotFound
from galerie.sellers.organisation_queries import organisation_shop
from galerie.web.api.v1.seller_inventory_wire import (
    AdjustmentBody,
    MovementOut,
    ReceiptBody,
    StockLevelOut,
    ThresholdBody,
    WarehouseBody,
    WarehouseOut,
    changed_out,
    level_out,
    movement_out,
    warehouse_out,
)
from galerie.web.auth import galerie_of, requires
from galerie.web.rendering import audit_context, current_principal

VIEW = requires(Permission.SELLER_INVENTORY_VIEW)
EDIT = requires(Permission.SELLER_INVENTORY_EDIT)
WAREHOUSE = "/warehouses/{warehouse_id:int}"
OptionalId = Annotated[int | None, Parameter(ge=1)]


async def own_shop(request: Request[Any, Any, Any], organisation_id: int, shop_id: int) -> None:
    """NotFound unless the shop belongs to the organisation of the path."""
    async with galerie_of(request).db.reading() as session:
        await organisation_shop(session, organisation_id=organisation_id, shop_id=shop_id)


async def _warehouse(
    request: Request[Any, Any, Any], shop_id: int, warehouse_id: int
) -> WarehouseOut:
    async with galerie_of(request).db.reading() as session:
        found = await shop_warehouse(session, shop_id=shop_id, warehouse_id=warehouse_id)
    return warehouse_out(found)


async def _level(
    request: Request[Any, Any, Any], shop_id: int, warehouse_id: int, sku_id: int
) -> StockLevelOut:
    async with galerie_of(request).db.reading() as session:
        found = await shop_stock(session, shop_id=shop_id, sku_id=sku_id, warehouse_id=warehouse_id)
    if not found:
        raise NotFound("No stock level yet.", code="stock_level_not_found")
    return level_out(found[0])


class SellerWarehousesController(Controller):
    path = "/organisations/{organisation_id:int}/shops/{shop_id:int}/warehouses"
    tags = ["seller: inventory"]  # noqa: RUF012 - Litestar's API

    @get("", opt=VIEW, summary="The shop's warehouses, by code")
    async def list_warehouses(
        self,
        request: Request[Any, Any, Any],
        organisation_id: FromPath[int],
        shop_id: FromPath[int],
    ) -> list[WarehouseOut]:
        await own_shop(request, organisation_id, shop_id)
        async with galerie_of(request).db.reading() as session:
            found = await shop_warehouses(session, shop_id=shop_id)
        return [warehouse_out(w) for w in found]

    @post("", opt=EDIT, status_code=201, summary="Add a warehouse (its code is unique in the shop)")
    async def create(
        self,
        request: Request[Any, Any, Any],
        organisation_id: FromPath[int],
        shop_id: FromPath[int],
        data: JSONBody[WarehouseBody],
    ) -> WarehouseOut:
        await own_shop(request, organisation_id, shop_id)
        galerie = galerie_of(request)
        warehouse_id = await create_warehouse(
            galerie.db, shop_id=shop_id, form=data.form(), now=galerie.clock.now()
        )
        return await _warehouse(request, shop_id, warehouse_id)

    @get("/{warehouse_id:int}", opt=VIEW, summary="One of the shop's warehouses")
    async def read(
        self,
        request: Request[Any, Any, Any],
        organisation_id: FromPath[int],
        shop_id: FromPath[int],
        warehouse_id: FromPath[int],
    ) -> WarehouseOut:
        await own_shop(request, organisation_id, shop_id)
        return await _warehouse(request, shop_id, warehouse_id)

    @put("/{warehouse_id:int}", opt=EDIT, summary="Replace a warehouse's code, name and address")
    async def update(
        self,
        request: Request[Any, Any, Any],
        organisation_id: FromPath[int],
        shop_id: FromPath[int],
        warehouse_id: FromPath[int],
        data: JSONBody[WarehouseBody],
    ) -> WarehouseOut:
        await own_shop(request, organisation_id, shop_id)
        galerie = galerie_of(request)
        await update_warehouse(
            galerie.db,
            shop_id=shop_id,
            warehouse_id=warehouse_id,
            form=data.form(),
            now=galerie.clock.now(),
        )
        return await _warehouse(request, shop_id, warehouse_id)

    @post(
        "/{warehouse_id:int}/deactivate",
        opt=EDIT,
        status_code=200,
        summary="Stop receiving into and reserving from a warehouse (its stock stays recorded)",
    )
    async def deactivate(
        self,
        request: Request[Any, Any, Any],
        organisation_id: FromPath[int],
        shop_id: FromPath[int],
        warehouse_id: FromPath[int],
    ) -> WarehouseOut:
        await own_shop(request, organisation_id, shop_id)
        galerie = galerie_of(request)
        await deactivate_warehouse(
            galerie.db, shop_id=shop_id, warehouse_id=warehouse_id, now=galerie.clock.now()
        )
        return await _warehouse(request, shop_id, warehouse_id)

    @post(
        "/{warehouse_id:int}/reactivate",
        opt=EDIT,
        status_code=200,
        summary="Use a deactivated warehouse again",
    )
    async def reactivate(
        self,
        request: Request[Any, Any, Any],
        organisation_id: FromPath[int],
        shop_id: FromPath[int],
        warehouse_id: FromPath[int],
    ) -> WarehouseOut:
        await own_shop(request, organisation_id, shop_id)
        galerie = galerie_of(request)
        await reactivate_warehouse(
            galerie.db, shop_id=shop_id, warehouse_id=warehouse_id, now=galerie.clock.now()
        )
        return await _warehouse(request, shop_id, warehouse_id)


class SellerStockController(Controller):
    path = "/organisations/{organisation_id:int}/shops/{shop_id:int}"
    tags = ["seller: inventory"]  # noqa: RUF012 - Litestar's API

    @get("/stock", opt=VIEW, summary="Stock per SKU per warehouse (filter by SKU, warehouse, low)")
    async def stock(
        self,
        request: Request[Any, Any, Any],
        organisation_id: FromPath[int],
        shop_id: FromPath[int],
        sku_id: OptionalId = None,
        warehouse_id: OptionalId = None,
        low: FromQuery[bool] = False,
    ) -> list[StockLevelOut]:
        await own_shop(request, organisation_id, shop_id)
        async with galerie_of(request).db.reading() as session:
            found = await shop_stock(
                session, shop_id=shop_id, sku_id=sku_id, warehouse_id=warehouse_id, low_only=low
            )
        return [level_out(level) for level in found]

    @post("/stock/receipts", opt=EDIT, status_code=201, summary="Record goods received")
    async def receive(
        self,
        request: Request[Any, Any, Any],
        organisation_id: FromPath[int],
        shop_id: FromPath[int],
        data: JSONBody[ReceiptBody],
    ) -> StockLevelOut:
        await own_shop(request, organisation_id, shop_id)
        galerie = galerie_of(request)
        level = await receive_stock(
            galerie.db,
            shop_id=shop_id,
            warehouse_id=data.warehouse_id,
            sku_id=data.sku_id,
            quantity=data.quantity,
            reference=data.reference,
            actor_user_id=current_principal(request).user_id,
            now=galerie.clock.now(),
        )
        return changed_out(level)

    @post(
        "/stock/adjustments",
        opt=EDIT,
        status_code=201,
        summary="Correct the stock with a reason: a signed change or a counted quantity",
    )
    async def adjust(
        self,
        request: Request[Any, Any, Any],
        organisation_id: FromPath[int],
        shop_id: FromPath[int],
        data: JSONBody[AdjustmentBody],
    ) -> StockLevelOut:
        await own_shop(request, organisation_id, shop_id)
        galerie = galerie_of(request)
        level = await adjust_stock(
            galerie.db,
            shop_id=shop_id,
            warehouse_id=data.warehouse_id,
            sku_id=data.sku_id,
            reason=data.reason,
            delta=data.delta,
            counted=data.counted,
            actor_user_id=current_principal(request).user_id,
            now=galerie.clock.now(),
            audit=audit_context(request),
        )
        return changed_out(level)

    @put("/stock/threshold", opt=EDIT, summary="Set or clear a low-stock threshold")
    async def threshold(
        self,
        request: Request[Any, Any, Any],
        organisation_id: FromPath[int],
        shop_id: FromPath[int],
        data: JSONBody[ThresholdBody],
    ) -> StockLevelOut:
        await own_shop(request, organisation_id, shop_id)
        galerie = galerie_of(request)
        await set_low_stock_threshold(
            galerie.db,
            shop_id=shop_id,
            warehouse_id=data.warehouse_id,
            sku_id=data.sku_id,
            threshold=data.threshold,
            now=galerie.clock.now(),
        )
        return await _level(request, shop_id, data.warehouse_id, data.sku_id)

    @get("/skus/{sku_id:int}/movements", opt=VIEW, summary="A SKU's movements, newest first")
    async def movements(
        self,
        request: Request[Any, Any, Any],
        organisation_id: FromPath[int],
        shop_id: FromPath[int],
        sku_id: FromPath[int],
        warehouse_id: OptionalId = None,
        before_id: OptionalId = None,
    ) -> list[MovementOut]:
        await own_shop(request, organisation_id, shop_id)
        async with galerie_of(request).db.reading() as session:
            if not await shop_sku_exists(session, shop_id=shop_id, sku_id=sku_id):
                raise NotFound("No such SKU.", code="sku_not_found")
            found: list[MovementView] = await sku_movements(
                session,
                shop_id=shop_id,
                sku_id=sku_id,
                warehouse_id=warehouse_id,
                before_id=before_id,
            )
        return [movement_out(m) for m in found]


SELLER_INVENTORY_CONTROLLERS = (SellerWarehousesController, SellerStockController)
