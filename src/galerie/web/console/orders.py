"""The console's order search for support staff (support and admin operators): by order
number, buyer e-mail or shop, and one order read-only with its parcels and history."""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from galerie.fulfilment import SupportQuery, order_fulfilment, search_orders
from galerie.identity import Permission
from galerie.orders import Actor
from galerie.web.auth import galerie_of, requires
from galerie.web.carriers import carriers_of
from galerie.web.fulfilment_labels import (
    ORDER_STATUS_LABELS,
    PARCEL_STATUS_LABELS,
    TRACKING_LABELS,
    address_lines,
)
from galerie.web.rendering import current_principal, render
from galerie.web.seller.common import money_text

SUPPORT = requires(Permission.CONSOLE_SUPPORT)


@get("/console/orders", opt=SUPPORT, include_in_schema=False)
async def orders_search(
    request: Request[Any, Any, Any],
    number: FromQuery[str] = "",
    email: FromQuery[str] = "",
    shop: FromQuery[str] = "",
) -> Template:
    query = SupportQuery(number[:24], email[:254], shop[:120])
    rows = await search_orders(galerie_of(request).db, query=query)
    totals = {r.order_id: money_text(request, r.total.minor, r.total.currency) for r in rows}
    return render(
        "console/orders.html", query=query, rows=rows, totals=totals,
        status_labels=ORDER_STATUS_LABELS,
    )  # fmt: skip


@get("/console/orders/{order_id:int}", opt=SUPPORT, include_in_schema=False)
async def order_view(request: Request[Any, Any, Any], order_id: FromPath[int]) -> Template:
    galerie = galerie_of(request)
    view = await order_fulfilment(
        galerie.db, order_id=order_id, actor=Actor.operator(current_principal(request).user_id),
        now=galerie.clock.now(), carriers=carriers_of(galerie),
    )  # fmt: skip
    total = view.order.summary.total
    return render(
        "console/order.html", view=view, total=money_text(request, total.minor, total.currency),
        status_labels=ORDER_STATUS_LABELS, parcel_labels=PARCEL_STATUS_LABELS, address_lines=address_lines,
        tracking_labels=TRACKING_LABELS,
    )  # fmt: skip


CONSOLE_ORDER_PAGES = [orders_search, order_view]
