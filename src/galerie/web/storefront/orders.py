"""The shopper's orders: the list of their checkouts (payment groups, newest first, each
with its shop orders linking to the order page), one payment group (its orders, totals,
statuses, pay-by time, a cancel button per order while it may be cancelled), and the
TEMPORARY demo payment hook. Another shopper's group or order is the same 404 as one that
does not exist, on every route, and nothing changes.

`POST .../groups/{id}/pay` sends the buyer to the payment provider's hosted page (the
webhook then pays the group). `POST /dev/payment-groups/{id}/paid` marks the group paid
without a provider (galerie.orders.mark_group_paid), for tests and demos without one:
outside production only (404 in production), for the group's buyer only."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from litestar import Request, get, post
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from galerie.checkout import shop_labels
from galerie.kernel import NotFound, PageRequest
from galerie.orders import (
    Actor,
    GroupView,
    OrderNotFound,
    OrderStatus,
    buyer_payment_group,
    buyer_payment_groups,
    cancel_order,
    mark_group_paid,
)
from galerie.payments import start_payment
from galerie.web.auth import galerie_of, signed_in
from galerie.web.fulfilment_labels import GROUP_STATUS_LABELS, ORDER_STATUS_LABELS
from galerie.web.i18n import language_of
from galerie.web.rendering import current_principal, render, see_other
from galerie.web.storefront.catalog_support import format_price

SIGNED_IN = signed_in()
NO_STORE = {"Cache-Control": "no-store"}
PER_PAGE = 20
PageNumber = Annotated[int, QueryParameter(ge=1, le=10_000)]
GROUP_PATH = "/account/orders/groups/{group_id:int}"
CANCELLABLE = frozenset({OrderStatus.AWAITING_PAYMENT, OrderStatus.PAID})


async def _shown(request: Request[Any, Any, Any], groups: Sequence[GroupView]) -> dict[str, Any]:
    language = language_of(request)
    orders = [o for g in groups for o in g.orders]
    labels = await shop_labels(galerie_of(request).db, (o.shop_id for o in orders))

    def money(value: Any) -> str:
        return format_price(language, value.minor, value.currency)

    return {
        "groups": {g.id: {"total": money(g.total), "due": money(g.amount_due)} for g in groups},
        "orders": {o.id: {"total": money(o.total), "shop": labels.get(o.shop_id)} for o in orders},
        "status_labels": ORDER_STATUS_LABELS,
        "group_labels": GROUP_STATUS_LABELS,
        "cancellable": {o.id for o in orders if o.status in CANCELLABLE},
    }


@get("/account/orders", opt=SIGNED_IN, include_in_schema=False)
async def orders_page(request: Request[Any, Any, Any], page: PageNumber = 1) -> Template:
    found = await buyer_payment_groups(
        galerie_of(request).db,
        buyer_id=current_principal(request).user_id,
        page=PageRequest(page, PER_PAGE),
    )
    return render(
        "account/orders.html", headers=NO_STORE, found=found,
        shown=await _shown(request, found.items),
    )  # fmt: skip


async def _group(request: Request[Any, Any, Any], group_id: int) -> GroupView:
    return await buyer_payment_group(
        galerie_of(request).db, buyer_id=current_principal(request).user_id, group_id=group_id
    )


@get(GROUP_PATH, opt=SIGNED_IN, include_in_schema=False)
async def group_page(request: Request[Any, Any, Any], group_id: FromPath[int]) -> Template:
    group = await _group(request, group_id)
    return render(
        "account/order_group.html", headers=NO_STORE, group=group,
        shown=await _shown(request, [group]),
        pay_hook=not galerie_of(request).settings.production,
        provider=galerie_of(request).payment_provider is not None,
    )  # fmt: skip


@post(
    GROUP_PATH + "/orders/{order_id:int}/cancel",
    opt=SIGNED_IN, include_in_schema=False, status_code=303,
)  # fmt: skip
async def cancel_group_order(
    request: Request[Any, Any, Any], group_id: FromPath[int], order_id: FromPath[int]
) -> Redirect:
    group = await _group(request, group_id)
    if all(o.id != order_id for o in group.orders):
        raise OrderNotFound("No such order.")
    data = await request.form()
    reason = data.get("reason")
    galerie = galerie_of(request)
    await cancel_order(
        galerie.db, order_id=order_id, actor=Actor.buyer(current_principal(request).user_id),
        reason=reason if isinstance(reason, str) else "", now=galerie.clock.now(),
    )  # fmt: skip
    return see_other(f"/account/orders/groups/{group_id}")


@post(GROUP_PATH + "/pay", opt=SIGNED_IN, include_in_schema=False, status_code=303)
async def pay_group(request: Request[Any, Any, Any], group_id: FromPath[int]) -> Redirect:
    """Send the buyer to the provider's hosted page for the group (galerie.payments)."""
    galerie = galerie_of(request)
    provider = galerie.payment_provider
    if provider is None:
        raise NotFound("Not found.", code="not_found")
    back = f"{galerie.settings.base_url.rstrip('/')}/account/orders/groups/{group_id}"
    started = await start_payment(
        galerie.db, provider, buyer_id=current_principal(request).user_id,
        payment_group_id=group_id, return_url=f"{back}?payment=returned",
        cancel_url=f"{back}?payment=cancelled", now=galerie.clock.now(),
    )  # fmt: skip
    return Redirect(started.hosted_url, status_code=303)


@post("/dev/payment-groups/{group_id:int}/paid", opt=SIGNED_IN, include_in_schema=False,
      status_code=303)  # fmt: skip
async def dev_mark_paid(request: Request[Any, Any, Any], group_id: FromPath[int]) -> Redirect:
    """TEMPORARY demo hook (until the payments domain): the buyer 'pays' their group."""
    galerie = galerie_of(request)
    if galerie.settings.production:
        raise NotFound("Not found.", code="not_found")
    await _group(request, group_id)  # the buyer's own group, else 404
    async with galerie.db.transaction() as session:
        await mark_group_paid(session, payment_group_id=group_id, now=galerie.clock.now())
    return see_other(f"/account/orders/groups/{group_id}")
