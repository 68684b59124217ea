"""The seller centre's warehouses: the list with the form to add one, one warehouse's edit
form, deactivation and reactivation. A shop of another organisation, or a warehouse of
another shop, is NotFound (a friendly 404 page)."""

from __future__ import annotations

from typing import Any, Final

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from galerie.identity import Permission
from galerie.inventory import (
    WarehouseForm,
    WarehouseView,
    create_warehouse,
    deactivate_warehouse,
    reactivate_warehouse,
    shop_warehouse,
    shop_warehouses,
    update_warehouse,
)
from galerie.kernel import Conflict, DomainError, ValidationFailed
from galerie.sellers import ShopView
from galerie.sellers.organisation_queries import organisation_shop
from galerie.web.auth import galerie_of, requires
from galerie.web.forms import BoundForm, Field, Form, read_form
from galerie.web.i18n import N_
from galerie.web.messages import field_of
from galerie.web.rendering import current_principal, render, see_other
from galerie.web.seller.common import acting_org

VIEW = requires(Permission.SELLER_INVENTORY_VIEW)
EDIT = requires(Permission.SELLER_INVENTORY_EDIT)
WAREHOUSE_FORM = Form(
    (
        Field("code", max_length=40),
        Field("name", max_length=120),
        Field("country", max_length=2),
        Field("region", max_length=100, required=False),
        Field("city", max_length=100),
        Field("address_line", max_length=300),
        Field("postal_code", max_length=20, required=False),
    )
)
# DomainError codes of the inventory domain -> people-facing text (msgids).
INVENTORY_MESSAGES: Final[dict[str, str]] = {
    "bad_code": N_("Use 1 to 40 letters, digits, dots, dashes or underscores."),
    "bad_country": N_("Use the two-letter ISO 3166 country code, for example CN or FR."),
    "bad_name": N_("Enter between 1 and 120 characters."),
    "bad_city": N_("Enter between 1 and 100 characters."),
    "bad_region": N_("Enter at most 100 characters."),
    "bad_address_line": N_("Enter between 1 and 300 characters."),
    "bad_postal_code": N_("Enter at most 20 characters."),
    "warehouse_code_taken": N_("This shop already has a warehouse with this code."),
    "warehouse_already_active": N_("This warehouse is already active."),
    "warehouse_already_inactive": N_("This warehouse is already inactive."),
    "warehouse_inactive": N_("This warehouse is inactive: reactivate it to receive stock."),
    "bad_quantity": N_("Enter a whole number above zero."),
    "quantity_too_large": N_("At most 10,000,000 units at a time."),
    "bad_adjustment": N_("Give either a change or a counted quantity, not both."),
    "reason_required": N_("Give a reason."),
    "bad_reason": N_("Enter a reason of at most 500 characters."),
    "bad_reference": N_("Enter a reference of at most 100 characters."),
    "bad_threshold": N_("Enter a number from 0 to 1,000,000, or leave it empty."),
    "stock_would_go_negative": N_(
        "Not enough available stock for this adjustment: reserved and committed units "
        "cannot be adjusted away."
    ),
    "no_change": N_("The count matches the stock on hand: nothing to change."),
    "sku_not_found": N_("Choose one of the shop's SKUs."),
    "warehouse_not_found": N_("Choose one of the shop's warehouses."),
}
MOVEMENT_KINDS: Final[dict[str, str]] = {
    "receipt": N_("Receipt"),
    "adjustment": N_("Adjustment"),
    "reservation": N_("Reservation"),
    "release": N_("Release"),
    "commitment": N_("Commitment"),
    "shipment": N_("Shipment"),
}
GENERIC: Final = N_("This could not be done. Check the form and try again.")


def inventory_message(error: DomainError) -> str:
    return INVENTORY_MESSAGES.get(error.code, GENERIC)


def may_edit(request: Request[Any, Any, Any]) -> bool:
    principal = current_principal(request)
    return principal.can(Permission.SELLER_INVENTORY_EDIT, organisation_id=acting_org(request))


async def own_shop(request: Request[Any, Any, Any], shop_id: int) -> ShopView:
    """The shop, if it belongs to the organisation the request acts for (else NotFound)."""
    async with galerie_of(request).db.reading() as session:
        page = await organisation_shop(
            session, organisation_id=acting_org(request), shop_id=shop_id
        )
    return page.shop


def form_of(bound: BoundForm) -> WarehouseForm:
    return WarehouseForm(**{f.name: bound[f.name] for f in WAREHOUSE_FORM.fields})


def values_of(w: WarehouseView) -> dict[str, str]:
    return {f.name: str(getattr(w, f.name)) for f in WAREHOUSE_FORM.fields}


def refusal_into(bound: BoundForm, error: DomainError) -> int:
    """Put a service's refusal on the form; the status to answer with."""
    field = "code" if error.code == "warehouse_code_taken" else field_of(error)
    bound.add_error(field or "form", inventory_message(error))
    return 409 if isinstance(error, Conflict) else 422


async def _list_page(
    request: Request[Any, Any, Any], shop_id: int, form: BoundForm | None = None, status: int = 200
) -> Template:
    shop = await own_shop(request, shop_id)
    async with galerie_of(request).db.reading() as session:
        warehouses = await shop_warehouses(session, shop_id=shop_id)
    return render(
        "seller/inventory_warehouses.html",
        status=status,
        shop=shop,
        warehouses=warehouses,
        form=form or WAREHOUSE_FORM.empty(),
        can_edit=may_edit(request),
    )


@get("/seller/shops/{shop_id:int}/warehouses", opt=VIEW, include_in_schema=False)
async def warehouses_page(request: Request[Any, Any, Any], shop_id: FromPath[int]) -> Template:
    return await _list_page(request, shop_id)


@post("/seller/shops/{shop_id:int}/warehouses", opt=EDIT, include_in_schema=False, status_code=303)
async def add_warehouse(
    request: Request[Any, Any, Any], shop_id: FromPath[int]
) -> Template | Redirect:
    await own_shop(request, shop_id)
    bound = await read_form(request, WAREHOUSE_FORM)
    status = 422
    if bound.valid:
        galerie = galerie_of(request)
        try:
            await create_warehouse(
                galerie.db, shop_id=shop_id, form=form_of(bound), now=galerie.clock.now()
            )
        except (ValidationFailed, Conflict) as error:
            status = refusal_into(bound, error)
        else:
            return see_other(f"/seller/shops/{shop_id}/warehouses")
    return await _list_page(request, shop_id, bound, status)


async def _edit_page(
    request: Request[Any, Any, Any],
    shop_id: int,
    warehouse_id: int,
    form: BoundForm | None = None,
    status: int = 200,
    error: str | None = None,
) -> Template:
    shop = await own_shop(request, shop_id)
    async with galerie_of(request).db.reading() as session:
        warehouse = await shop_warehouse(session, shop_id=shop_id, warehouse_id=warehouse_id)
    return render(
        "seller/inventory_warehouse.html",
        status=status,
        shop=shop,
        warehouse=warehouse,
        form=form or WAREHOUSE_FORM.bind(values_of(warehouse)),
        can_edit=may_edit(request),
        error=error,
    )


WAREHOUSE_PATH = "/seller/shops/{shop_id:int}/warehouses/{warehouse_id:int}"


@get(WAREHOUSE_PATH, opt=VIEW, include_in_schema=False)
async def warehouse_page(
    request: Request[Any, Any, Any], shop_id: FromPath[int], warehouse_id: FromPath[int]
) -> Template:
    return await _edit_page(request, shop_id, warehouse_id)


@post(WAREHOUSE_PATH, opt=EDIT, include_in_schema=False, status_code=303)
async def save_warehouse(
    request: Request[Any, Any, Any], shop_id: FromPath[int], warehouse_id: FromPath[int]
) -> Template | Redirect:
    await own_shop(request, shop_id)
    bound = await read_form(request, WAREHOUSE_FORM)
    status = 422
    if bound.valid:
        galerie = galerie_of(request)
        try:
            await update_warehouse(
                galerie.db,
                shop_id=shop_id,
                warehouse_id=warehouse_id,
                form=form_of(bound),
                now=galerie.clock.now(),
            )
        except (ValidationFailed, Conflict) as error:
            status = refusal_into(bound, error)
        else:
            return see_other(f"/seller/shops/{shop_id}/warehouses")
    return await _edit_page(request, shop_id, warehouse_id, bound, status)


@post(WAREHOUSE_PATH + "/active", opt=EDIT, include_in_schema=False, status_code=303)
async def switch_warehouse(
    request: Request[Any, Any, Any], shop_id: FromPath[int], warehouse_id: FromPath[int]
) -> Template | Redirect:
    """Deactivate (`active=0`) or reactivate (`active=1`) a warehouse."""
    await own_shop(request, shop_id)
    data = await request.form()
    galerie = galerie_of(request)
    change = reactivate_warehouse if data.get("active") == "1" else deactivate_warehouse
    try:
        await change(
            galerie.db, shop_id=shop_id, warehouse_id=warehouse_id, now=galerie.clock.now()
        )
    except Conflict as error:
        message = inventory_message(error)
        return await _edit_page(request, shop_id, warehouse_id, status=409, error=message)
    return see_other(f"/seller/shops/{shop_id}/warehouses/{warehouse_id}")
