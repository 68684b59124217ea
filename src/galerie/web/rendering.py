"""What every page handler shares: rendering, safe redirects, the audit context, the throttle."""

from __future__ import annotations

import re
from typing import Any, Final

from litestar import MediaType, Request
from litestar.response import Redirect, Template

from galerie.audit import AuditContext
from galerie.identity import LoginThrottle, Principal
from galerie.web.auth import galerie_of, principal_of

SESSION_PENDING_USER: Final = "pending_uid"
SESSION_PENDING_NEXT: Final = "pending_next"
SESSION_MUST_ENROL: Final = "must_enrol_totp"
MAX_NEXT_LENGTH: Final = 512
_SAFE_PATH = re.compile(r"^/(?![/\\])[^\s\\]*$")
_THROTTLE_KEY: Final = "pages.login_throttle"


def render(
    template: str, *, status: int = 200, headers: dict[str, str] | None = None, **context: Any
) -> Template:
    # Litestar would guess the type from the name (mimetypes) on every render.
    media_type = MediaType.HTML if template.endswith(".html") else None
    return Template(
        template, context=context, status_code=status, headers=headers, media_type=media_type
    )


def see_other(path: str) -> Redirect:
    return Redirect(path, status_code=303)


def safe_next(value: object, default: str = "/") -> str:
    """A same-site relative path to go to after an action; anything else gives `default`.

    Refused: absolute URLs, scheme-relative `//host` and `/\\host`, backslashes, whitespace
    and control characters, over-long values."""
    if not isinstance(value, str) or len(value) > MAX_NEXT_LENGTH:
        return default
    if not _SAFE_PATH.match(value) or any(ord(c) < 32 or ord(c) == 127 for c in value):
        return default
    return value


def client_ip(request: Request[Any, Any, Any]) -> str | None:
    return request.client.host if request.client else None


def audit_context(request: Request[Any, Any, Any]) -> AuditContext:
    principal = principal_of(request)
    return AuditContext(
        actor_user_id=principal.user_id if principal else None,
        ip_address=client_ip(request),
        request_id=request.scope.get("state", {}).get("request_id"),
    )


def current_principal(request: Request[Any, Any, Any]) -> Principal:
    """The signed-in principal of a handler whose rule already required one."""
    principal = principal_of(request)
    if principal is None:  # pragma: no cover - the guard refuses anonymous callers first
        raise RuntimeError("handler reached without a principal")
    return principal


def login_throttle(request: Request[Any, Any, Any]) -> LoginThrottle:
    """One throttle per app, over the app's counter store."""
    galerie = galerie_of(request)
    throttle = galerie.extras.get(_THROTTLE_KEY)
    if not isinstance(throttle, LoginThrottle):
        throttle = LoginThrottle(galerie.counter_store)
        galerie.extras[_THROTTLE_KEY] = throttle
    return throttle


def session_data(request: Request[Any, Any, Any]) -> dict[str, Any]:
    session = request.scope.get("session")
    return session if isinstance(session, dict) else {}
