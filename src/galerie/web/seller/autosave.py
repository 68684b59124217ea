"""Autosave of the application wizard (HTMX): each step's form posts itself on every change
(`hx-post`, `hx-trigger="change"`) and gets back a one-line status. An application that
exists is saved through update_application when the step is complete and valid; until
then nothing is written and the status says so. The first step of a new application (which
does not exist until its second step) is kept in the server-side session, field by field,
and fills the form again when the seller comes back."""

from __future__ import annotations

from typing import Any

from litestar import Request, post
from litestar.params import FromPath
from litestar.response import Template

from galerie.identity import Permission
from galerie.web.auth import galerie_of, requires
from galerie.web.forms import BoundForm, read_form
from galerie.web.i18n import N_
from galerie.web.rendering import render, session_data
from galerie.web.seller.applications import _read_shop_step, _update
from galerie.web.seller.common import own_application
from galerie.web.seller.wizard import (
    ENTITY_FIELDS,
    ENTITY_FORM,
    SESSION_AUTOSAVE,
    application_form,
    check_entity,
    entity_values,
    shop_choice,
)

MANAGE = requires(Permission.SELLER_CATALOG_MANAGE)
SAVED = N_("Saved automatically at %(time)s (UTC).")
KEPT = N_("Your answers are kept (%(time)s UTC); they are saved when you continue.")
NOT_YET = N_("Not saved yet: complete the step and correct any mistakes; it then saves by itself.")


def _status(request: Request[Any, Any, Any], message: str, saved: bool) -> Template:
    time = galerie_of(request).clock.now().strftime("%H:%M")
    return render("seller/_autosave.html", message=message, time=time, saved=saved)


@post("/seller/applications/new/autosave", opt=MANAGE, include_in_schema=False, status_code=200)
async def autosave_new_entity(request: Request[Any, Any, Any]) -> Template:
    bound = await read_form(request, ENTITY_FORM)
    kept = {k: bound[k] for k in ENTITY_FIELDS if k not in bound.errors}
    session_data(request)[SESSION_AUTOSAVE] = kept
    return _status(request, KEPT, saved=False)


async def _saved(
    request: Request[Any, Any, Any], app_id: int, form: Any, bound: BoundForm
) -> Template:
    await _update(request, app_id, form, bound)
    return _status(request, SAVED if bound.valid else NOT_YET, saved=bound.valid)


@post(
    "/seller/applications/{application_id:int}/entity/autosave",
    opt=MANAGE,
    include_in_schema=False,
    status_code=200,
)
async def autosave_entity(
    request: Request[Any, Any, Any], application_id: FromPath[int]
) -> Template:
    app = (await own_application(request, application_id)).application
    bound = await read_form(request, ENTITY_FORM)
    if bound.valid:
        check_entity(bound)
    if not bound.valid:
        return _status(request, NOT_YET, saved=False)
    return await _saved(
        request, application_id, application_form(bound.values, shop_choice(app)), bound
    )


@post(
    "/seller/applications/{application_id:int}/shop/autosave",
    opt=MANAGE,
    include_in_schema=False,
    status_code=200,
)
async def autosave_shop_step(
    request: Request[Any, Any, Any], application_id: FromPath[int]
) -> Template:
    app = (await own_application(request, application_id)).application
    bound, choice = await _read_shop_step(request)
    if not bound.valid:
        return _status(request, NOT_YET, saved=False)
    return await _saved(
        request, application_id, application_form(entity_values(app), choice), bound
    )
