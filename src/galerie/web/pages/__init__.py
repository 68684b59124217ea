"""Server-rendered pages: the storefront, the seller centre and the operator console.

`page_handlers()` gives the one Router of all pages (with the language middleware and the
two-step enrolment gate); `configure_jinja()` sets up the template environment."""

from __future__ import annotations

from typing import Any, Final

from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from litestar import Request, Router
from litestar.response import Redirect
from litestar.types import ControllerRouterHandler

from galerie.identity import Permission, Principal
from galerie.web.auth import principal_of
from galerie.web.console import console_pages
from galerie.web.context import Galerie
from galerie.web.i18n import LanguageMiddleware, install
from galerie.web.messages import LABELS
from galerie.web.rendering import SESSION_MUST_ENROL, see_other, session_data
from galerie.web.sandbox_pay import SandboxPaymentPage
from galerie.web.seller import seller_pages
from galerie.web.storefront import storefront_pages

# While a person must still set up two-step sign-in, only these paths are open to them.
ENROLMENT_PATHS: Final = frozenset(
    {"/account/security", "/account/security/begin", "/account/security/confirm", "/signout"}
)


async def enrolment_gate(request: Request[Any, Any, Any]) -> Redirect | None:
    """Someone who must set up a second factor goes to /account/security before anything."""
    if request.url.path in ENROLMENT_PATHS or request.url.path == "/language":
        return None
    if principal_of(request) is not None and session_data(request).get(SESSION_MUST_ENROL):
        return see_other("/account/security")
    return None


@pass_context
def _principal(context: Context) -> Principal | None:
    request = context.get("request")
    return principal_of(request) if request is not None else None


@pass_context
def _here(context: Context) -> str:
    """The current path and query, as a `next` value for forms (checked again on POST)."""
    request = context.get("request")
    if request is None:
        return "/"
    query = request.url.query
    return f"{request.url.path}?{query}" if query else str(request.url.path)


def configure_jinja(env: Environment, galerie: Galerie) -> None:
    install(
        env,
        {
            "settings": galerie.settings,
            "Permission": Permission,
            "current_principal": _principal,
            "here": _here,
            "labels": LABELS,
        },
    )
    env.trim_blocks = True
    env.lstrip_blocks = True


def page_handlers() -> list[ControllerRouterHandler]:
    pages = Router(
        path="/",
        route_handlers=[*storefront_pages(), *seller_pages(), *console_pages(), SandboxPaymentPage],
        middleware=[LanguageMiddleware()],
        before_request=enrolment_gate,
        include_in_schema=False,
    )
    return [pages]
