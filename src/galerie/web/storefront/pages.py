"""The storefront's own pages: the home page and the language switch."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.datastructures import Cookie
from litestar.exceptions import ClientException
from litestar.response import Redirect, Template

from galerie.config import LANGUAGES
from galerie.identity import set_preferred_language
from galerie.web.auth import galerie_of, principal_of, public
from galerie.web.forms import Field, Form, read_form
from galerie.web.i18n import LANGUAGE_COOKIE
from galerie.web.rendering import render, safe_next

LANGUAGE_FORM = Form(
    (
        Field("language", max_length=8, choices=LANGUAGES),
        Field("next", max_length=512, required=False),
    )
)
ONE_YEAR = 365 * 24 * 3600


@get("/", opt=public(), include_in_schema=False, name="home")
async def home() -> Template:
    return render("storefront/home.html")


@post("/language", opt=public(), include_in_schema=False, status_code=303)
async def switch_language(request: Request[Any, Any, Any]) -> Redirect:
    """Remember the chosen language (cookie, and the account when signed in), then go back."""
    form = await read_form(request, LANGUAGE_FORM)
    if not form.valid:
        raise ClientException("unsupported language")
    galerie = galerie_of(request)
    principal = principal_of(request)
    if principal is not None and not principal.via_token:
        await set_preferred_language(
            galerie.db,
            user_id=principal.user_id,
            language=form["language"],
            now=galerie.clock.now(),
        )
    cookie = Cookie(
        key=LANGUAGE_COOKIE,
        value=form["language"],
        max_age=ONE_YEAR,
        path="/",
        httponly=True,
        samesite="lax",
        secure=galerie.settings.secure_cookies,
    )
    return Redirect(safe_next(form["next"]), status_code=303, cookies=[cookie])
