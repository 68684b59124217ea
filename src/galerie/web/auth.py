"""Who is calling, and may they? Resolution of the principal and the one access guard.

Every route handler declares its rule in `opt["access"]`: PUBLIC, SIGNED_IN or a Permission.
A handler without a rule is refused at start-up (see `check_access_rules`) and by the guard,
so a new route cannot be exposed by accident. Seller permissions are checked within the
organisation the request acts for.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any, Final

from litestar import Litestar
from litestar.connection import ASGIConnection
from litestar.enums import ScopeType
from litestar.exceptions import HTTPException, NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.types import ASGIApp, Receive, Scope, Send

from galerie.identity import Permission, Principal, token_principal, user_principal
from galerie.identity.principal_cache import Resolved
from galerie.identity.rules import SELLER_SCOPED
from galerie.kernel import token_digest
from galerie.web.context import SESSION_ORGANISATION, SESSION_USER, Galerie
from galerie.web.errors import render_http_error
from galerie.web.refusals import record_refusal

PUBLIC: Final = "public"
SIGNED_IN: Final = "signed_in"
AccessRule = str | Permission

OPENAPI_PATHS = frozenset({"/api", "/api/openapi.json", "/api/docs", "/api/oauth2-redirect.html"})
OPENAPI_PREFIX = "/api/{path:"

# The principal of the request being answered (None: anonymous), set by AccessMiddleware
# around the handler. A handler that needs nothing else from the request reads it here and so
# takes no parameter: Litestar's parameter injection costs more than the whole access check.
_current_principal: ContextVar[Principal | None] = ContextVar("principal", default=None)


def public() -> dict[str, Any]:
    return {"access": PUBLIC}


def signed_in() -> dict[str, Any]:
    return {"access": SIGNED_IN}


def requires(permission: Permission) -> dict[str, Any]:
    return {"access": permission}


def galerie_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Galerie:
    container: Galerie = connection.app.state["galerie"]
    return container


def galerie_of_app(app: Litestar) -> Galerie:
    container: Galerie = app.state["galerie"]
    return container


def current_principal() -> Principal | None:
    """The principal of the request being answered, without the request (see above)."""
    return _current_principal.get()


def principal_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal | None:
    user = connection.scope.get("user")
    return user if isinstance(user, Principal) else None


class AccessMiddleware:
    """Who is calling, and may they? Runs once the route is known, for every route.

    Resolves `scope["user"]` (a bearer token on the API, the session on pages; a token that
    is present but empty, blank, unknown, expired or revoked is refused with 401), then
    enforces the handler's declared rule: anonymous callers of a protected route must sign in
    (401), signed-in callers without the permission get 403, and that refusal is audited.
    Done here rather than in a Litestar guard, which copies the connection on every call,
    and as a plain ASGI class: the hot path of every request (benchmarks/)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            principal = scope["user"] = await self._resolve(scope)
            rule = scope["route_handler"].opt.get("access")
            if rule != PUBLIC:
                await self._enforce(scope, rule, principal)
        except HTTPException as refusal:
            if scope["type"] != ScopeType.HTTP:
                raise
            await render_http_error(scope, receive, send, refusal)  # through outer layers' send
            return
        context = _current_principal.set(principal)
        try:
            await self.app(scope, receive, send)
        finally:
            _current_principal.reset(context)

    async def _enforce(self, scope: Scope, rule: object, principal: Principal | None) -> None:
        connection: ASGIConnection[Any, Any, Any, Any] = ASGIConnection(scope)
        verdict = is_allowed(rule, principal, acting_organisation(connection))
        if verdict is None:
            raise NotAuthorizedException("sign in to continue")
        if verdict is False:
            await record_refusal(connection, rule)
            raise PermissionDeniedException("you are not allowed to do this")

    async def _resolve(self, scope: Scope) -> Principal | None:
        if scope["path"].startswith("/api/"):
            token = bearer_token_of(scope)
            if token is None:
                return None
            galerie: Galerie = scope["app"].state["galerie"]
            now, digest = galerie.clock.now(), token_digest(token)

            async def read_token() -> Resolved:
                async with galerie.db.hot_reads() as raw:
                    return await token_principal(raw, token, now=now, digest=digest)

            principal = await galerie.principals.resolve(digest, now, read_token)
            if principal is None:
                raise NotAuthorizedException("invalid or expired API token")
            return principal
        session_data = scope.get("session")
        user_id = session_data.get(SESSION_USER) if isinstance(session_data, dict) else None
        if not isinstance(user_id, int):
            return None
        galerie = scope["app"].state["galerie"]

        async def read_user() -> Resolved:
            async with galerie.db.hot_reads() as raw:
                return await user_principal(raw, user_id)

        return await galerie.principals.resolve(user_id, galerie.clock.now(), read_user)


def bearer_token_of(scope: Scope) -> str | None:
    """The token of an Authorization header, "" when the header is there but is not a
    bearer token or is empty or blank, None when there is no such header at all."""
    for name, value in scope["headers"]:
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").strip().partition(" ")
            return token.strip() if scheme.lower() == "bearer" else ""
    return None


def acting_organisation(connection: ASGIConnection[Any, Any, Any, Any]) -> int | None:
    """The seller organisation a request acts for: the path's, else the session's choice,
    else the principal's first membership. Membership itself is checked by `can()`."""
    from_path = connection.path_params.get("organisation_id")
    if isinstance(from_path, int):
        return from_path
    principal = principal_of(connection)
    if principal is None or not principal.memberships:
        return None
    session_data = connection.scope.get("session")
    chosen = session_data.get(SESSION_ORGANISATION) if isinstance(session_data, dict) else None
    if isinstance(chosen, int) and any(m.organisation_id == chosen for m in principal.memberships):
        return chosen
    return principal.memberships[0].organisation_id


def is_allowed(
    rule: object, principal: Principal | None, organisation_id: int | None
) -> bool | None:
    """True: allowed. False: signed in but not allowed. None: must sign in first."""
    if rule == PUBLIC:
        return True
    if principal is None:
        return None
    if rule == SIGNED_IN:
        return True
    if isinstance(rule, Permission):
        scoped = organisation_id if rule in SELLER_SCOPED else None
        return principal.can(rule, organisation_id=scoped)
    return False  # an unknown rule grants nothing


def check_access_rules(routes: list[tuple[str, BaseRouteHandler]]) -> None:
    """Start-up check: every route declares who may call it.

    Two kinds of handlers are generated by Litestar rather than written by us: the automatic
    OPTIONS answers and the OpenAPI documents. Both are public by nature, and are labelled so
    here, explicitly; anything else without a rule stops the app from starting."""
    missing = []
    for path, handler in routes:
        if "access" in handler.opt:
            continue
        methods = set(getattr(handler, "http_methods", ()))
        if methods == {"OPTIONS"} or path in OPENAPI_PATHS or path.startswith(OPENAPI_PREFIX):
            handler.opt["access"] = PUBLIC
            continue
        missing.append(f"{sorted(methods)} {path}")
    if missing:
        raise RuntimeError("routes without an access rule: " + "; ".join(missing))
