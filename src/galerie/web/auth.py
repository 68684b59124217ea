"""Who is calling, and may they? Resolution of the principal and the one access guard.

Every route handler declares its rule in `opt["access"]`: PUBLIC, SIGNED_IN or a Permission.
A handler without a rule is refused at start-up (see `check_access_rules`) and by the guard,
so a new route cannot be exposed by accident. Seller permissions are checked within the
organisation the request acts for.
"""

from __future__ import annotations

from typing import Any, Final

from litestar import Litestar
from litestar.connection import ASGIConnection
from litestar.enums import ScopeType
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

from galerie.identity import Permission, Principal, load_principal, principal_for_token
from galerie.identity.rules import SELLER_SCOPED
from galerie.web.context import Galerie

PUBLIC: Final = "public"
SIGNED_IN: Final = "signed_in"
AccessRule = str | Permission

OPENAPI_PATHS = frozenset({"/api", "/api/openapi.json", "/api/docs", "/api/oauth2-redirect.html"})
OPENAPI_PREFIX = "/api/{path:"

SESSION_USER = "uid"
SESSION_ORGANISATION = "org"


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


def principal_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal | None:
    user = connection.scope.get("user")
    return user if isinstance(user, Principal) else None


def bearer_token(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    """The token of an Authorization header, "" when the header is there but empty or blank,
    None when there is no header at all."""
    header = connection.headers.get("authorization")
    if header is None:
        return None
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer":
        return ""
    return token.strip()


class PrincipalMiddleware(ASGIMiddleware):
    """Resolves `scope["user"]`: from a bearer token on the API, from the session on pages.
    A token that is present but empty, blank, unknown, expired or revoked is refused (401)."""

    scopes = (ScopeType.HTTP,)
    should_bypass_for_scope = staticmethod(
        lambda scope: scope["path"].startswith(("/static/", "/metrics", "/healthz"))
    )

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        connection: ASGIConnection[Any, Any, Any, Any] = ASGIConnection(scope)
        galerie = galerie_of(connection)
        scope["user"] = None
        if scope["path"].startswith("/api/"):
            token = bearer_token(connection)
            if token is not None:
                async with galerie.db.reading() as session:
                    principal = await principal_for_token(session, token, now=galerie.clock.now())
                if principal is None:
                    raise NotAuthorizedException("invalid or expired API token")
                scope["user"] = principal
        else:
            session_data = scope.get("session")
            user_id = session_data.get(SESSION_USER) if isinstance(session_data, dict) else None
            if isinstance(user_id, int):
                async with galerie.db.reading() as session:
                    scope["user"] = await load_principal(session, user_id)
        await next_app(scope, receive, send)


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


async def access_guard(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    rule = handler.opt.get("access")
    principal = principal_of(connection)
    verdict = is_allowed(rule, principal, acting_organisation(connection))
    if verdict is True:
        return
    if verdict is None:
        raise NotAuthorizedException("sign in to continue")
    await record_refusal(connection, rule)
    raise PermissionDeniedException("you are not allowed to do this")


PRIVILEGED_PREFIXES = ("/console", "/seller", "/account", "/api/v1/console", "/api/v1/seller")
_AUDITED = "galerie.refusal_audited"


def is_privileged_path(path: str) -> bool:
    return any(path == p or path.startswith(p + "/") for p in PRIVILEGED_PREFIXES)


def refusal_already_audited(connection: ASGIConnection[Any, Any, Any, Any]) -> bool:
    return bool(connection.scope.get("state", {}).get(_AUDITED))


async def record_refusal(connection: ASGIConnection[Any, Any, Any, Any], rule: object) -> None:
    """A refusal of a signed-in caller, or of a forged form on a privileged path, is audited
    once (QUALITY.md, Access), in its own transaction: the refused request changes nothing."""
    from galerie.audit import AuditContext, Outcome, record_audit

    connection.scope.setdefault("state", {})[_AUDITED] = True
    galerie = galerie_of(connection)
    principal = principal_of(connection)
    session_data = connection.scope.get("session")
    user_id = principal.user_id if principal else None
    if user_id is None and isinstance(session_data, dict):
        found = session_data.get(SESSION_USER)
        user_id = found if isinstance(found, int) else None
    context = AuditContext(
        actor_user_id=user_id,
        ip_address=connection.client.host if connection.client else None,
        request_id=connection.scope.get("state", {}).get("request_id"),
    )
    async with galerie.db.transaction() as session:
        record_audit(
            session,
            context=context,
            action="access.refused",
            outcome=Outcome.REFUSED,
            now=galerie.clock.now(),
            target_type="route",
            target_id=connection.scope["path"][:80],
            details={"method": connection.scope.get("method"), "rule": str(rule)},
        )


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
