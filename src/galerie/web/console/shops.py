"""Shops in the console: every shop and its history for moderation (suspend, reinstate,
close, each with a reason), and the deposits awaiting payment for finance."""

from __future__ import annotations

import contextlib
from typing import Any, Final

from litestar import Request, get, post
from litestar.exceptions import ClientException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from galerie.catalog import categories_by_ids
from galerie.deposits import DepositCovered, record_deposit_transfer
from galerie.identity import Permission
from galerie.kernel import Conflict, PageRequest, ValidationFailed
from galerie.sellers import ShopAction, ShopStatus, change_shop_status
from galerie.sellers.console_queries import operator_shop, operator_shops, people_names
from galerie.sellers.validation import MAX_REASON
from galerie.web.auth import galerie_of, requires
from galerie.web.console.labels import CONSOLE_LABELS
from galerie.web.console.vetting import MAX_PAGE_NUMBER, refused
from galerie.web.errors import status_for
from galerie.web.forms import BoundForm, Field, Form, read_form
from galerie.web.rendering import (
    audit_context,
    current_principal,
    render,
    safe_next,
    see_other,
)

SHOPS_PAGE_SIZE: Final = 25
SANCTIONS: Final = (ShopAction.SUSPEND.value, ShopAction.REINSTATE.value, ShopAction.CLOSE.value)
STATUS_FORM: Final = Form(
    (Field("action", max_length=20, choices=SANCTIONS), Field("reason", max_length=MAX_REASON))
)
MODERATION = requires(Permission.CONSOLE_MODERATION)
FINANCE = requires(Permission.CONSOLE_FINANCE)


def _page(number: int) -> PageRequest:
    if not 1 <= number <= MAX_PAGE_NUMBER:
        raise ClientException("page out of range")
    return PageRequest(number=number, size=SHOPS_PAGE_SIZE)


def amount(minor: int, currency: str) -> str:
    """An amount in minor units, shown with two decimals and its currency."""
    units, cents = divmod(minor, 100)
    return f"{units:,}.{cents:02d} {currency}"


@get("/console/shops", opt=MODERATION, include_in_schema=False)
async def shops_page(
    request: Request[Any, Any, Any], status: FromQuery[str] = "", page: FromQuery[int] = 1
) -> Template:
    if status and status not in ShopStatus._value2member_map_:
        raise ClientException("unknown status")
    galerie = galerie_of(request)
    async with galerie.db.reading() as session:
        shops = await operator_shops(
            session,
            actor=current_principal(request),
            status=ShopStatus(status) if status else None,
            page=_page(page),
        )
    return render(
        "console/shops.html",
        shops=shops,
        chosen=status,
        statuses=list(ShopStatus),
        console_labels=CONSOLE_LABELS,
        amount=amount,
    )


async def _shop_page(
    request: Request[Any, Any, Any],
    shop_id: int,
    *,
    form: BoundForm | None = None,
    status: int = 200,
    done: str = "",
) -> Template:
    principal = current_principal(request)
    galerie = galerie_of(request)
    async with galerie.db.reading() as session:
        found = await operator_shop(session, actor=principal, shop_id=shop_id)
        actors = [h.actor_user_id for h in found.history]
        names = await people_names(session, actor=principal, user_ids=actors)
        categories = await categories_by_ids(session, [c.category_id for c in found.categories])
    return render(
        "console/shop.html",
        status=status,
        found=found,
        shop=found.shop,
        names=names,
        categories=categories,
        form=form or STATUS_FORM.empty(),
        sanctions=SANCTIONS,
        done=done if done in (*SANCTIONS, "deposit") else "",
        console_labels=CONSOLE_LABELS,
        amount=amount,
        may_mark_paid=principal.can(Permission.CONSOLE_FINANCE),
    )


@get("/console/shops/{shop_id:int}", opt=MODERATION, include_in_schema=False)
async def shop_page(
    request: Request[Any, Any, Any], shop_id: FromPath[int], done: FromQuery[str] = ""
) -> Template:
    return await _shop_page(request, shop_id, done=done)


@post("/console/shops/{shop_id:int}/status", opt=MODERATION, include_in_schema=False)
async def change_status(
    request: Request[Any, Any, Any], shop_id: FromPath[int]
) -> Template | Redirect:
    form = await read_form(request, STATUS_FORM)
    if not form.valid:
        return await _shop_page(request, shop_id, form=form, status=422)
    galerie = galerie_of(request)
    try:
        await change_shop_status(
            galerie.db,
            actor=current_principal(request),
            shop_id=shop_id,
            action=ShopAction(form["action"]),
            reason=form["reason"],
            now=galerie.clock.now(),
            audit=audit_context(request),
        )
    except (Conflict, ValidationFailed) as error:
        refused(form, error, "reason")
        return await _shop_page(request, shop_id, form=form, status=status_for(error))
    return see_other(f"/console/shops/{shop_id}?done={form['action']}")


@get("/console/deposits", opt=FINANCE, include_in_schema=False)
async def deposits_page(request: Request[Any, Any, Any], page: FromQuery[int] = 1) -> Template:
    galerie = galerie_of(request)
    async with galerie.db.reading() as session:
        shops = await operator_shops(
            session, actor=current_principal(request), deposit_paid=False, page=_page(page)
        )
    return render(
        "console/deposits.html", shops=shops, console_labels=CONSOLE_LABELS, amount=amount
    )


@post("/console/shops/{shop_id:int}/deposit-paid", opt=FINANCE, include_in_schema=False)
async def deposit_paid(request: Request[Any, Any, Any], shop_id: FromPath[int]) -> Redirect:
    """Record a bank transfer of the deposit's shortfall (a ledger entry; nothing when the
    deposit is already covered), then go back where the form was."""
    galerie = galerie_of(request)
    data = await request.form()
    with contextlib.suppress(DepositCovered):  # already covered: nothing changes
        await record_deposit_transfer(
            galerie.db,
            actor=current_principal(request),
            shop_id=shop_id,
            reference=str(data.get("reference") or "Bank transfer recorded in the console"),
            now=galerie.clock.now(),
            audit=audit_context(request),
        )
    return see_other(safe_next(data.get("next"), "/console/deposits"))
