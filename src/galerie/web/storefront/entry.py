"""Coming in and going out: register, sign in (with the second factor), sign out.

Every change of who is signed in rotates the session id (`rotate_session`), so an id known
before the change is worth nothing after it."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, get, post
from litestar.params import QueryParameter
from litestar.response import Redirect, Template

from galerie.identity import authenticate, register_shopper, verify_second_factor
from galerie.kernel import Conflict, RateLimited, Unauthenticated, ValidationFailed
from galerie.web.auth import galerie_of, public
from galerie.web.context import SESSION_USER
from galerie.web.forms import BoundForm, Field, Form, read_form
from galerie.web.i18n import current_language
from galerie.web.messages import field_of, message_for
from galerie.web.rendering import (
    SESSION_MUST_ENROL,
    SESSION_PENDING_NEXT,
    SESSION_PENDING_USER,
    audit_context,
    client_ip,
    login_throttle,
    render,
    safe_next,
    see_other,
    session_data,
)
from galerie.web.sessions import rotate_session
from galerie.web.storefront.cart_support import adopt_guest_cart

REGISTER_FORM = Form(
    (
        Field("display_name", max_length=80),
        Field("email", max_length=254),
        Field("password", max_length=128, secret=True, strip=False),
    )
)
SIGNIN_FORM = Form(
    (
        Field("email", max_length=254),
        Field("password", max_length=1024, secret=True, strip=False),
        Field("next", max_length=512, required=False),
    )
)
CODE_FORM = Form((Field("code", max_length=12, secret=True),))


async def _sign_in(request: Request[Any, Any, Any], user_id: int, **extra: Any) -> None:
    rotate_session(request)
    request.set_session({SESSION_USER: user_id, **extra})
    await adopt_guest_cart(request, user_id)  # the guest's cart joins the shopper's


@get("/register", opt=public(), include_in_schema=False)
async def register_page() -> Template:
    return render("storefront/register.html", form=REGISTER_FORM.empty())


@post("/register", opt=public(), include_in_schema=False)
async def register(request: Request[Any, Any, Any]) -> Template | Redirect:
    form = await read_form(request, REGISTER_FORM)
    if form.valid:
        galerie = galerie_of(request)
        try:
            user_id = await register_shopper(
                galerie.db,
                email=form["email"],
                password=form["password"],
                display_name=form["display_name"],
                language=current_language.get() or galerie.settings.default_language,
                now=galerie.clock.now(),
                audit=audit_context(request),
            )
        except (ValidationFailed, Conflict) as error:
            form.add_error(field_of(error) or "email", message_for(error))
        else:
            await _sign_in(request, user_id)
            return see_other("/account")
    return render("storefront/register.html", status=422, form=form)


@get("/signin", opt=public(), include_in_schema=False)
async def signin_page(
    next_path: Annotated[str | None, QueryParameter(name="next", max_length=2048)] = None,
) -> Template:
    form = SIGNIN_FORM.bind({"next": safe_next(next_path, default="")})
    form.errors.clear()
    return render("storefront/signin.html", form=form)


def _signin_failed(form: BoundForm, error: Unauthenticated | RateLimited) -> Template:
    form.add_error("form", message_for(error))
    if isinstance(error, RateLimited):
        headers = {"Retry-After": str(error.retry_after)}
        return render("storefront/signin.html", status=429, headers=headers, form=form)
    return render("storefront/signin.html", status=401, form=form)


@post("/signin", opt=public(), include_in_schema=False)
async def signin(request: Request[Any, Any, Any]) -> Template | Redirect:
    form = await read_form(request, SIGNIN_FORM)
    if not form.valid:
        return render("storefront/signin.html", status=422, form=form)
    galerie = galerie_of(request)
    try:
        result = await authenticate(
            galerie.db,
            email=form["email"],
            password=form["password"],
            ip_address=client_ip(request) or "",
            throttle=login_throttle(request),
            require_totp_setting=galerie.settings.require_totp,
            now=galerie.clock.now(),
        )
    except (Unauthenticated, RateLimited) as error:
        return _signin_failed(form, error)
    destination = safe_next(form["next"], default="/account")
    if result.second_factor_enrolled:
        rotate_session(request)
        request.set_session(
            {SESSION_PENDING_USER: result.user_id, SESSION_PENDING_NEXT: destination}
        )
        return see_other("/signin/second-factor")
    if result.second_factor_required:
        await _sign_in(request, result.user_id, **{SESSION_MUST_ENROL: True})
        return see_other("/account/security")
    await _sign_in(request, result.user_id)
    return see_other(destination)


def _pending_user(request: Request[Any, Any, Any]) -> int | None:
    pending = session_data(request).get(SESSION_PENDING_USER)
    return pending if isinstance(pending, int) else None


@get("/signin/second-factor", opt=public(), include_in_schema=False)
async def second_factor_page(request: Request[Any, Any, Any]) -> Template | Redirect:
    if _pending_user(request) is None:
        return see_other("/signin")
    return render("storefront/second_factor.html", form=CODE_FORM.empty())


@post("/signin/second-factor", opt=public(), include_in_schema=False)
async def second_factor(request: Request[Any, Any, Any]) -> Template | Redirect:
    user_id = _pending_user(request)
    if user_id is None:
        return see_other("/signin")
    form = await read_form(request, CODE_FORM)
    if not form.valid:
        return render("storefront/second_factor.html", status=422, form=form)
    galerie = galerie_of(request)
    try:
        await verify_second_factor(
            galerie.db,
            user_id=user_id,
            code=form["code"],
            ip_address=client_ip(request) or "",
            throttle=login_throttle(request),
            now=galerie.clock.now(),
        )
    except (Unauthenticated, RateLimited) as error:
        form.add_error("code", message_for(error))
        status = 429 if isinstance(error, RateLimited) else 401
        return render("storefront/second_factor.html", status=status, form=form)
    destination = safe_next(session_data(request).get(SESSION_PENDING_NEXT), default="/account")
    await _sign_in(request, user_id)
    return see_other(destination)


@post("/signout", opt=public(), include_in_schema=False, status_code=303)
async def signout(request: Request[Any, Any, Any]) -> Redirect:
    rotate_session(request)
    request.clear_session()
    return see_other("/")
