"""The seller centre: the organisation a member acts for, their role, the organisation
switcher and, for those allowed, the members of the organisation."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.exceptions import PermissionDeniedException
from litestar.response import Redirect, Template

from galerie.identity import Permission, list_seller_members
from galerie.web.auth import (
    acting_organisation,
    galerie_of,
    requires,
    signed_in,
)
from galerie.web.context import SESSION_ORGANISATION
from galerie.web.forms import Field, Form, read_form
from galerie.web.rendering import current_principal, render, see_other, session_data

SWITCH_FORM = Form((Field("organisation_id", max_length=20),))

# What each area of the seller centre needs, in display order (msgids in the template).
AREAS = (
    ("catalog", Permission.SELLER_CATALOG_MANAGE),
    ("orders", Permission.SELLER_ORDERS_MANAGE),
    ("finance", Permission.SELLER_FINANCE_VIEW),
    ("members", Permission.SELLER_MEMBERS_VIEW),
    ("members_manage", Permission.SELLER_MEMBERS_MANAGE),
)


@get("/seller", opt=requires(Permission.SELLER_CENTRE_VIEW), include_in_schema=False)
async def seller_home(request: Request[Any, Any, Any]) -> Template:
    principal = current_principal(request)
    organisation_id = acting_organisation(request)
    membership = next(
        (m for m in principal.memberships if m.organisation_id == organisation_id), None
    )
    if organisation_id is None or membership is None:  # pragma: no cover - guard checked
        raise PermissionDeniedException("not a member of this organisation")
    areas = [name for name, perm in AREAS if principal.can(perm, organisation_id=organisation_id)]
    members = None
    if principal.can(Permission.SELLER_MEMBERS_VIEW, organisation_id=organisation_id):
        async with galerie_of(request).db.reading() as session:
            members = await list_seller_members(session, organisation_id=organisation_id)
    return render(
        "seller/home.html",
        principal=principal,
        membership=membership,
        areas=areas,
        members=members,
        webhooks=principal.can(Permission.SELLER_WEBHOOKS_MANAGE, organisation_id=organisation_id),
    )


@post("/seller/organisation", opt=signed_in(), include_in_schema=False, status_code=303)
async def switch_organisation(request: Request[Any, Any, Any]) -> Redirect:
    """Act for another organisation; only one the person is a member of."""
    principal = current_principal(request)
    form = await read_form(request, SWITCH_FORM)
    chosen = int(form["organisation_id"]) if form["organisation_id"].isdigit() else None
    if chosen is None or not any(m.organisation_id == chosen for m in principal.memberships):
        raise PermissionDeniedException("not a member of this organisation")
    session_data(request)[SESSION_ORGANISATION] = chosen
    return see_other("/seller")
