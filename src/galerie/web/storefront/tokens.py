"""Personal API tokens: list, issue (the secret is shown once), revoke."""

from __future__ import annotations

from contextlib import suppress
from datetime import timedelta
from typing import Any

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from galerie.identity import (
    Audience,
    Principal,
    issue_api_token,
    list_api_tokens,
    revoke_api_token,
)
from galerie.kernel import Conflict, DomainError
from galerie.web.auth import galerie_of, signed_in
from galerie.web.forms import BoundForm, Field, Form, read_choices, read_form
from galerie.web.messages import field_of, message_for
from galerie.web.rendering import audit_context, current_principal, render, see_other

EXPIRY_DAYS = ("30", "90", "365", "never")
FIELD_NAMES = {"expires_at": "expires", "name": "name", "audience": "audience"}
FIELD_NAMES |= {"permissions": "permissions", "organisation_id": "organisation_id"}
NO_STORE = {"Cache-Control": "no-store"}
MAX_PERMISSIONS = 50


def audiences_of(principal: Principal) -> list[str]:
    """The audiences a person may issue tokens for: what they are on the platform."""
    audiences = [Audience.SHOPPER.value]
    if principal.is_seller:
        audiences.append(Audience.SELLER.value)
    if principal.is_operator:
        audiences.append(Audience.OPERATOR.value)
    return audiences


def permissions_of(principal: Principal) -> list[str]:
    granted = set(principal.permissions)
    for perms in principal.seller_permissions.values():
        granted |= perms
    return sorted(granted)


def token_form(principal: Principal) -> Form:
    organisations = tuple(str(m.organisation_id) for m in principal.memberships)
    return Form(
        (
            Field("name", max_length=80),
            Field("audience", max_length=20, choices=tuple(audiences_of(principal))),
            Field("organisation_id", max_length=20, required=False, choices=organisations),
            Field("expires", max_length=10, choices=EXPIRY_DAYS),
        )
    )


async def _page(
    request: Request[Any, Any, Any], *, form: BoundForm, status: int = 200, **context: Any
) -> Template:
    galerie = galerie_of(request)
    principal = current_principal(request)
    async with galerie.db.reading() as session:
        tokens = await list_api_tokens(session, user_id=principal.user_id)
    return render(
        "account/tokens.html",
        status=status,
        headers=NO_STORE,
        tokens=tokens,
        form=form,
        audiences=audiences_of(principal),
        permissions=permissions_of(principal),
        chosen=context.pop("chosen", []),
        principal=principal,
        **context,
    )


@get("/account/tokens", opt=signed_in(), include_in_schema=False)
async def tokens_page(request: Request[Any, Any, Any]) -> Template:
    form = token_form(current_principal(request)).bind({"expires": "90"})
    form.errors.clear()
    return await _page(request, form=form)


@post("/account/tokens", opt=signed_in(), include_in_schema=False)
async def issue_token(request: Request[Any, Any, Any]) -> Template:
    principal = current_principal(request)
    form = await read_form(request, token_form(principal))
    chosen = await read_choices(request, "permissions", limit=MAX_PERMISSIONS)
    if not chosen:
        form.add_error("permissions", message_for(DomainError("", code="no_permissions")))
    if not form.valid:
        return await _page(request, form=form, status=422, chosen=chosen)
    galerie = galerie_of(request)
    now = galerie.clock.now()
    days = form["expires"]
    try:
        issued = await issue_api_token(
            galerie.db,
            user_id=principal.user_id,
            name=form["name"],
            audience=Audience(form["audience"]),
            permissions=chosen,
            organisation_id=int(form["organisation_id"]) if form["organisation_id"] else None,
            expires_at=None if days == "never" else now + timedelta(days=int(days)),
            now=now,
            audit=audit_context(request),
        )
    except DomainError as error:
        form.add_error(field_of(error, FIELD_NAMES) or "form", message_for(error))
        return await _page(request, form=form, status=422, chosen=chosen)
    fresh = token_form(principal).bind({"expires": "90"})
    fresh.errors.clear()
    return await _page(request, form=fresh, status=201, issued=issued)


@post("/account/tokens/{token_id:int}/revoke", opt=signed_in(), include_in_schema=False)
async def revoke_token(
    request: Request[Any, Any, Any], token_id: FromPath[int]
) -> Template | Redirect:
    galerie = galerie_of(request)
    principal = current_principal(request)
    with suppress(Conflict):  # already revoked: the page shows it as such
        await revoke_api_token(
            galerie.db,
            user_id=principal.user_id,
            token_id=token_id,
            now=galerie.clock.now(),
            audit=audit_context(request),
        )
    if request.headers.get("hx-request") == "true":
        async with galerie.db.reading() as session:
            tokens = await list_api_tokens(session, user_id=principal.user_id)
        row = next((t for t in tokens if t.id == token_id), None)
        return render("account/_token_row.html", token=row, principal=principal)
    return see_other("/account/tokens")
