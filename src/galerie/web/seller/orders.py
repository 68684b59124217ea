"""The seller centre's orders: the shop's orders with filters (status, number, placement
date), one order with its parcels and the ship form (warehouse, carrier, tracking number,
units per line for a partial shipment), the printable packing slip, and bulk shipping from
a CSV file with its row report. Only the acting organisation's shop, and only that shop's
orders: anything else is the same 404 as an order that does not exist."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from litestar import Request, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from galerie.fulfilment import FAKE_CARRIER, bulk_ship, order_fulfilment, ship_parcel
from galerie.identity import Permission
from galerie.inventory import shop_warehouses
from galerie.kernel import DomainError, PageRequest, ValidationFailed
from galerie.orders import Actor, LineView, OrderFilter, OrderStatus, seller_orders
from galerie.web.auth import galerie_of, requires
from galerie.web.carriers import carriers_of
from galerie.web.fulfilment_labels import (
    ORDER_STATUS_LABELS,
    PARCEL_STATUS_LABELS,
    address_lines,
    code_text,
    refusal_text,
)
from galerie.web.rendering import current_principal, render, see_other
from galerie.web.seller.common import money_text
from galerie.web.seller.inventory import own_shop

ORDERS = requires(Permission.SELLER_ORDERS_MANAGE)
BASE = "/seller/shops/{shop_id:int}/orders"
ORDER = BASE + "/{order_id:int}"
BULK_LIMIT = 1_100_000


def _day(value: str | None) -> datetime | None:
    try:
        return datetime.combine(date.fromisoformat(value or ""), time(), tzinfo=UTC)
    except ValueError:
        return None


def _filters(
    status: str | None, number: str | None, day_from: str | None, day_to: str | None
) -> OrderFilter:
    chosen = OrderStatus(status) if status in ORDER_STATUS_LABELS else None
    until = _day(day_to)
    return OrderFilter(
        chosen,
        _day(day_from),
        until + timedelta(days=1) if until else None,
        (number or "").strip()[:24] or None,
    )


@get(BASE, opt=ORDERS, include_in_schema=False)
async def orders_page(
    request: Request[Any, Any, Any],
    shop_id: FromPath[int],
    status: FromQuery[str | None] = None,
    number: FromQuery[str | None] = None,
    placed_from: FromQuery[str | None] = None,
    placed_to: FromQuery[str | None] = None,
    page: FromQuery[int] = 1,
) -> Template:
    shop = await own_shop(request, shop_id)
    found = await seller_orders(
        galerie_of(request).db,
        shop_id=shop_id,
        filters=_filters(status, number, placed_from, placed_to),
        page=PageRequest(max(1, min(page, 10_000)), 20),
    )
    totals = {o.id: money_text(request, o.total.minor, o.total.currency) for o in found.items}
    query = {"status": status or "", "number": number or "", "placed_from": placed_from or "",
             "placed_to": placed_to or ""}  # fmt: skip
    return render(
        "seller/orders.html", shop=shop, orders=found, totals=totals, query=query,
        status_labels=ORDER_STATUS_LABELS,
    )  # fmt: skip


def _seller(request: Request[Any, Any, Any], shop_id: int) -> Actor:
    return Actor.seller(current_principal(request).user_id, shop_id)


def _commissions(request: Request[Any, Any, Any], lines: list[LineView]) -> dict[int, str]:
    """Each line's commission as recorded at release ("8.00 % · CN¥13.44"); none before."""
    return {
        li.id: f"{li.commission_bp / 100:.2f} % · "
        + money_text(request, li.commission.minor, li.commission.currency)
        for li in lines
        if li.commission_bp is not None and li.commission is not None
    }


async def _order_page(
    request: Request[Any, Any, Any], shop_id: int, order_id: int, *,
    error: str | None = None, status: int = 200, template: str = "seller/order.html",
) -> Template:  # fmt: skip
    shop = await own_shop(request, shop_id)
    galerie = galerie_of(request)
    view = await order_fulfilment(
        galerie.db, order_id=order_id, actor=_seller(request, shop_id), now=galerie.clock.now(),
        carriers=None,
    )  # fmt: skip
    async with galerie.db.reading() as session:
        warehouses = await shop_warehouses(session, shop_id=shop_id)
    money = {li.id: money_text(request, li.line_total.minor, li.line_total.currency)
             for li in view.order.lines}  # fmt: skip
    summary = view.order.summary
    totals = {name: money_text(request, value.minor, value.currency) for name, value in
              (("goods", summary.goods_total), ("shipping", summary.shipping_fee),
               ("total", summary.total))}  # fmt: skip
    return render(
        template, status=status, shop=shop, view=view, warehouses=warehouses, error=error,
        money=money, totals=totals,
        commissions=_commissions(request, view.order.lines),
        status_labels=ORDER_STATUS_LABELS, parcel_labels=PARCEL_STATUS_LABELS, address_lines=address_lines,
        fake_carrier=FAKE_CARRIER,
    )  # fmt: skip


@get(ORDER, opt=ORDERS, include_in_schema=False)
async def order_page(
    request: Request[Any, Any, Any], shop_id: FromPath[int], order_id: FromPath[int]
) -> Template:
    return await _order_page(request, shop_id, order_id)


@get(ORDER + "/packing-slip", opt=ORDERS, include_in_schema=False)
async def packing_slip(
    request: Request[Any, Any, Any], shop_id: FromPath[int], order_id: FromPath[int]
) -> Template:
    return await _order_page(request, shop_id, order_id, template="seller/packing_slip.html")


def _lines(data: Any) -> list[tuple[int, int]] | None:
    """The units per line of the form (qty_<line id>); no such field: everything left."""
    lines = []
    for key in data:
        if key.startswith("qty_") and key[4:].isdigit():
            raw = str(data.get(key) or "0").strip()
            if not raw.isdigit():
                raise ValidationFailed("Quantities are whole numbers.", code="bad_quantity")
            lines.append((int(key[4:]), int(raw)))
    return lines or None


@post(ORDER + "/ship", opt=ORDERS, include_in_schema=False, status_code=303)
async def ship(
    request: Request[Any, Any, Any], shop_id: FromPath[int], order_id: FromPath[int]
) -> Template | Redirect:
    await own_shop(request, shop_id)
    galerie = galerie_of(request)
    data = await request.form()
    warehouse = str(data.get("warehouse_id") or "")
    try:
        await ship_parcel(
            galerie.db, order_id=order_id, actor=_seller(request, shop_id),
            carrier=str(data.get("carrier") or ""),
            tracking_number=str(data.get("tracking_number") or "") or None,
            lines=_lines(data), warehouse_id=int(warehouse) if warehouse.isdigit() else None,
            now=galerie.clock.now(), carriers=carriers_of(galerie),
        )  # fmt: skip
    except DomainError as error:
        if error.code.endswith("not_found"):
            raise
        return await _order_page(request, shop_id, order_id, error=refusal_text(error), status=409)
    return see_other(f"/seller/shops/{shop_id}/orders/{order_id}")


@get(BASE + "/bulk-ship", opt=ORDERS, include_in_schema=False)
async def bulk_page(request: Request[Any, Any, Any], shop_id: FromPath[int]) -> Template:
    shop = await own_shop(request, shop_id)
    return render("seller/bulk_ship.html", shop=shop, report=None, error=None)


@post(
    BASE + "/bulk-ship", opt=ORDERS, include_in_schema=False, status_code=200,
    request_max_body_size=BULK_LIMIT,
)  # fmt: skip
async def bulk_upload(request: Request[Any, Any, Any], shop_id: FromPath[int]) -> Template:
    shop = await own_shop(request, shop_id)
    galerie = galerie_of(request)
    upload = (await request.form()).get("file")
    content = await upload.read() if isinstance(upload, UploadFile) else b""
    try:
        report = await bulk_ship(
            galerie.db, actor=_seller(request, shop_id), content=content,
            now=galerie.clock.now(), carriers=carriers_of(galerie),
        )  # fmt: skip
    except ValidationFailed as error:
        return render(
            "seller/bulk_ship.html", status=422, shop=shop, report=None, error=refusal_text(error)
        )
    messages = {r.row: code_text(r.code) for r in report.rows if r.code}
    return render("seller/bulk_ship.html", shop=shop, report=report, messages=messages, error=None)


SELLER_ORDER_PAGES = [orders_page, bulk_page, bulk_upload, order_page, packing_slip, ship]
