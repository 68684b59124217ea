"""The signed-in shopper's order: lines, totals, address, status history, parcels with their
carrier, tracking number and tracking events, the automatic confirmation deadline, and the
"Confirm receipt" (behind a confirmation step) and "Extend confirmation" buttons. Another
shopper's order is the same 404 as one that does not exist (orders' ownership check)."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from galerie.fulfilment import (
    EXTENSION,
    confirm_receipt,
    extend_confirmation,
    order_fulfilment,
)
from galerie.kernel import DomainError, NotFound
from galerie.orders import Actor
from galerie.web.auth import galerie_of, signed_in
from galerie.web.carriers import carriers_of
from galerie.web.fulfilment_labels import (
    ORDER_STATUS_LABELS,
    PARCEL_STATUS_LABELS,
    TRACKING_LABELS,
    address_lines,
    refusal_text,
)
from galerie.web.rendering import current_principal, render, see_other
from galerie.web.seller.common import money_text

SIGNED_IN = signed_in()
NO_STORE = {"Cache-Control": "no-store"}
ORDER = "/account/orders/{order_id:int}"


def _buyer(request: Request[Any, Any, Any]) -> Actor:
    return Actor.buyer(current_principal(request).user_id)


async def _page(
    request: Request[Any, Any, Any], order_id: int, *, template: str = "account/order.html",
    error: str | None = None, status: int = 200,
) -> Template:  # fmt: skip
    galerie = galerie_of(request)
    now = galerie.clock.now()
    view = await order_fulfilment(
        galerie.db, order_id=order_id, actor=_buyer(request), now=now,
        carriers=carriers_of(galerie),
    )  # fmt: skip
    s = view.order.summary
    money = {li.id: money_text(request, li.line_total.minor, li.line_total.currency)
             for li in view.order.lines}  # fmt: skip
    totals = {
        "goods": money_text(request, s.goods_total.minor, s.goods_total.currency),
        "shipping": money_text(request, s.shipping_fee.minor, s.shipping_fee.currency),
        "total": money_text(request, s.total.minor, s.total.currency),
    }
    return render(
        template, status=status, headers=NO_STORE, view=view, money=money, totals=totals,
        error=error, may_extend=view.may_extend(now), extension_days=EXTENSION.days,
        status_labels=ORDER_STATUS_LABELS, parcel_labels=PARCEL_STATUS_LABELS, address_lines=address_lines,
        tracking_labels=TRACKING_LABELS,
    )  # fmt: skip


@get(ORDER, opt=SIGNED_IN, include_in_schema=False)
async def order_page(request: Request[Any, Any, Any], order_id: FromPath[int]) -> Template:
    return await _page(request, order_id)


@get(ORDER + "/confirm-receipt", opt=SIGNED_IN, include_in_schema=False)
async def confirm_page(request: Request[Any, Any, Any], order_id: FromPath[int]) -> Template:
    return await _page(request, order_id, template="account/confirm_receipt.html")


async def _refused(request: Request[Any, Any, Any], order_id: int, error: DomainError) -> Template:
    if isinstance(error, NotFound):
        raise error
    return await _page(request, order_id, error=refusal_text(error), status=409)


@post(ORDER + "/confirm-receipt", opt=SIGNED_IN, include_in_schema=False, status_code=303)
async def confirm(request: Request[Any, Any, Any], order_id: FromPath[int]) -> Template | Redirect:
    galerie = galerie_of(request)
    try:
        await confirm_receipt(
            galerie.db, order_id=order_id, actor=_buyer(request), now=galerie.clock.now()
        )
    except DomainError as error:
        return await _refused(request, order_id, error)
    return see_other(f"/account/orders/{order_id}")


@post(ORDER + "/extend-confirmation", opt=SIGNED_IN, include_in_schema=False, status_code=303)
async def extend(request: Request[Any, Any, Any], order_id: FromPath[int]) -> Template | Redirect:
    galerie = galerie_of(request)
    try:
        await extend_confirmation(
            galerie.db, order_id=order_id, actor=_buyer(request), now=galerie.clock.now()
        )
    except DomainError as error:
        return await _refused(request, order_id, error)
    return see_other(f"/account/orders/{order_id}")


ORDER_DETAIL_PAGES = [order_page, confirm_page, confirm, extend]
