"""The seller centre's stock: every SKU in every warehouse with its on hand, available,
reserved and committed units and a low-stock mark; forms to receive goods, adjust with a
reason (a signed change or a count) and set a low-stock threshold; a SKU's movements."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from galerie.inventory import (
    adjust_stock,
    receive_stock,
    set_low_stock_threshold,
    shop_sku_exists,
    shop_skus,
    shop_stock,
    shop_warehouses,
    sku_movements,
)
from galerie.kernel import Conflict, DomainError, NotFound
from galerie.web.auth import galerie_of
from galerie.web.forms import BoundForm, Field, Form, read_form
from galerie.web.i18n import N_
from galerie.web.messages import field_of
from galerie.web.rendering import audit_context, current_principal, render, see_other
from galerie.web.seller.inventory import (
    EDIT,
    MOVEMENT_KINDS,
    VIEW,
    inventory_message,
    may_edit,
    own_shop,
)

NOT_A_NUMBER = N_("Enter a whole number.")


def _integer(value: str) -> str | None:
    body = value[1:] if value[:1] in "+-" else value
    return None if body.isdigit() and len(body) <= 9 else NOT_A_NUMBER


LEVEL_FIELDS = (
    Field("warehouse_id", max_length=20, check=_integer),
    Field("sku_id", max_length=20, check=_integer),
)
RECEIPT_FORM = Form(
    (
        *LEVEL_FIELDS,
        Field("quantity", max_length=12, check=_integer),
        Field("reference", max_length=100, required=False),
    )
)
ADJUSTMENT_FORM = Form(
    (
        *LEVEL_FIELDS,
        Field("delta", max_length=12, required=False, check=_integer),
        Field("counted", max_length=12, required=False, check=_integer),
        Field("reason", max_length=500),
    )
)
THRESHOLD_FORM = Form(
    (*LEVEL_FIELDS, Field("threshold", max_length=12, required=False, check=_integer))
)
FORMS = {"receipt": RECEIPT_FORM, "adjustment": ADJUSTMENT_FORM, "threshold": THRESHOLD_FORM}


def _number(bound: BoundForm, name: str) -> int | None:
    return int(bound[name]) if bound[name] else None


def _required(bound: BoundForm, name: str) -> int:
    value = _number(bound, name)
    assert value is not None  # a required field of a valid form
    return value


async def _stock_page(
    request: Request[Any, Any, Any],
    shop_id: int,
    *,
    forms: dict[str, BoundForm] | None = None,
    status: int = 200,
) -> Template:
    shop = await own_shop(request, shop_id)
    low_only = request.query_params.get("low") == "1"
    async with galerie_of(request).db.reading() as session:
        levels = await shop_stock(session, shop_id=shop_id, low_only=low_only)
        warehouses = await shop_warehouses(session, shop_id=shop_id)
        skus = await shop_skus(session, shop_id=shop_id)
    bound = {name: form.empty() for name, form in FORMS.items()} | (forms or {})
    return render(
        "seller/inventory_stock.html",
        status=status,
        shop=shop,
        levels=levels,
        low_only=low_only,
        low_count=sum(1 for level in levels if level.is_low),
        warehouses=warehouses,
        skus=skus,
        forms=bound,
        can_edit=may_edit(request),
    )


@get("/seller/shops/{shop_id:int}/stock", opt=VIEW, include_in_schema=False)
async def stock_page(request: Request[Any, Any, Any], shop_id: FromPath[int]) -> Template:
    return await _stock_page(request, shop_id)


async def _submit(request: Request[Any, Any, Any], shop_id: int, name: str) -> Template | Redirect:
    await own_shop(request, shop_id)
    bound = await read_form(request, FORMS[name])
    if bound.valid:
        try:
            await _apply(request, shop_id, name, bound)
        except DomainError as error:
            field = field_of(error)
            if error.code in {"sku_not_found", "warehouse_not_found"}:
                field = error.code.removesuffix("_not_found") + "_id"
            bound.add_error(field or "form", inventory_message(error))
            status = (
                404 if isinstance(error, NotFound) else 409 if isinstance(error, Conflict) else 422
            )
            return await _stock_page(request, shop_id, forms={name: bound}, status=status)
        return see_other(f"/seller/shops/{shop_id}/stock")
    return await _stock_page(request, shop_id, forms={name: bound}, status=422)


async def _apply(
    request: Request[Any, Any, Any], shop_id: int, name: str, bound: BoundForm
) -> None:
    galerie = galerie_of(request)
    level: dict[str, Any] = {
        "shop_id": shop_id,
        "warehouse_id": _required(bound, "warehouse_id"),
        "sku_id": _required(bound, "sku_id"),
        "now": galerie.clock.now(),
    }
    actor = current_principal(request).user_id
    if name == "receipt":
        await receive_stock(
            galerie.db, quantity=_required(bound, "quantity"), reference=bound["reference"] or None,
            actor_user_id=actor, **level,
        )  # fmt: skip
    elif name == "adjustment":
        await adjust_stock(
            galerie.db, delta=_number(bound, "delta"), counted=_number(bound, "counted"),
            reason=bound["reason"], actor_user_id=actor, audit=audit_context(request), **level,
        )  # fmt: skip
    else:
        await set_low_stock_threshold(galerie.db, threshold=_number(bound, "threshold"), **level)


STOCK = "/seller/shops/{shop_id:int}/stock"


@post(STOCK + "/receipts", opt=EDIT, include_in_schema=False, status_code=303)
async def receive(request: Request[Any, Any, Any], shop_id: FromPath[int]) -> Template | Redirect:
    return await _submit(request, shop_id, "receipt")


@post(STOCK + "/adjustments", opt=EDIT, include_in_schema=False, status_code=303)
async def adjust(request: Request[Any, Any, Any], shop_id: FromPath[int]) -> Template | Redirect:
    return await _submit(request, shop_id, "adjustment")


@post(STOCK + "/threshold", opt=EDIT, include_in_schema=False, status_code=303)
async def threshold(request: Request[Any, Any, Any], shop_id: FromPath[int]) -> Template | Redirect:
    return await _submit(request, shop_id, "threshold")


@get("/seller/shops/{shop_id:int}/skus/{sku_id:int}/movements", opt=VIEW, include_in_schema=False)
async def movements_page(
    request: Request[Any, Any, Any], shop_id: FromPath[int], sku_id: FromPath[int]
) -> Template:
    shop = await own_shop(request, shop_id)
    async with galerie_of(request).db.reading() as session:
        if not await shop_sku_exists(session, shop_id=shop_id, sku_id=sku_id):
            raise NotFound("No such SKU.", code="sku_not_found")
        levels = await shop_stock(session, shop_id=shop_id, sku_id=sku_id)
        moves = await sku_movements(session, shop_id=shop_id, sku_id=sku_id)
        warehouses = {w.id: w.code for w in await shop_warehouses(session, shop_id=shop_id)}
    return render(
        "seller/inventory_movements.html",
        shop=shop,
        sku_id=sku_id,
        levels=levels,
        movements=moves,
        warehouse_codes=warehouses,
        kinds=MOVEMENT_KINDS,
    )
