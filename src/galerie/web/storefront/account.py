"""The signed-in person's own pages: profile and language, two-step sign-in."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template

from galerie.identity import begin_totp_enrolment, confirm_totp_enrolment, find_user_by_email
from galerie.kernel import Conflict, Unauthenticated
from galerie.web.auth import galerie_of, signed_in
from galerie.web.forms import Field, Form, read_form
from galerie.web.messages import message_for
from galerie.web.rendering import (
    SESSION_MUST_ENROL,
    audit_context,
    current_principal,
    render,
    see_other,
    session_data,
)
from galerie.web.sessions import rotate_session

CONFIRM_FORM = Form((Field("code", max_length=12, secret=True),))
NO_STORE = {"Cache-Control": "no-store"}


@get("/account", opt=signed_in(), include_in_schema=False)
async def account_page(request: Request[Any, Any, Any]) -> Template:
    return render("account/profile.html", principal=current_principal(request))


async def _security(
    request: Request[Any, Any, Any], *, status: int = 200, **context: Any
) -> Template:
    principal = current_principal(request)
    async with galerie_of(request).db.reading() as session:
        user = await find_user_by_email(session, principal.email)
    return render(
        "account/security.html",
        status=status,
        headers=NO_STORE,
        must_enrol=bool(session_data(request).get(SESSION_MUST_ENROL)),
        totp_enabled=bool(user and user.totp_enabled),
        **context,
    )


@get("/account/security", opt=signed_in(), include_in_schema=False)
async def security_page(request: Request[Any, Any, Any]) -> Template:
    return await _security(request)


@post("/account/security/begin", opt=signed_in(), include_in_schema=False)
async def begin_enrolment(request: Request[Any, Any, Any]) -> Template:
    """A fresh secret, shown once as text, with the form that confirms it."""
    galerie = galerie_of(request)
    principal = current_principal(request)
    try:
        enrolment = await begin_totp_enrolment(
            galerie.db, user_id=principal.user_id, now=galerie.clock.now()
        )
    except Conflict as error:
        return await _security(request, status=409, error=message_for(error))
    return await _security(request, enrolment=enrolment, form=CONFIRM_FORM.empty())


@post("/account/security/confirm", opt=signed_in(), include_in_schema=False)
async def confirm_enrolment(request: Request[Any, Any, Any]) -> Template | Redirect:
    galerie = galerie_of(request)
    principal = current_principal(request)
    form = await read_form(request, CONFIRM_FORM)
    if not form.valid:
        return await _security(request, status=422, form=form, confirming=True)
    try:
        await confirm_totp_enrolment(
            galerie.db,
            user_id=principal.user_id,
            code=form["code"],
            now=galerie.clock.now(),
            audit=audit_context(request),
        )
    except Unauthenticated as error:
        form.add_error("code", message_for(error))
        return await _security(request, status=422, form=form, confirming=True)
    except Conflict as error:
        return await _security(request, status=409, error=message_for(error))
    session_data(request).pop(SESSION_MUST_ENROL, None)
    rotate_session(request)
    return see_other("/account/security")
