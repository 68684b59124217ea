"""Refusals on privileged paths are audited once each (QUALITY.md, Access): by the access
middleware for signed-in callers without the permission, by the error handler for forged or
missing CSRF tokens. Each is written in its own transaction: the refused request changes
nothing else."""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection

from galerie.audit import AuditContext, Outcome, record_audit
from galerie.identity import Principal
from galerie.web.context import SESSION_USER, Galerie

PRIVILEGED_PREFIXES = ("/console", "/seller", "/account", "/api/v1/console", "/api/v1/seller")
_AUDITED = "galerie.refusal_audited"


def is_privileged_path(path: str) -> bool:
    return any(path == p or path.startswith(p + "/") for p in PRIVILEGED_PREFIXES)


def refusal_already_audited(connection: ASGIConnection[Any, Any, Any, Any]) -> bool:
    return bool(connection.scope.get("state", {}).get(_AUDITED))


async def record_refusal(connection: ASGIConnection[Any, Any, Any, Any], rule: object) -> None:
    """A refusal of a signed-in caller, or of a forged form on a privileged path, is audited
    once (QUALITY.md, Access), in its own transaction: the refused request changes nothing."""
    connection.scope.setdefault("state", {})[_AUDITED] = True
    galerie: Galerie = connection.app.state["galerie"]
    found = connection.scope.get("user")
    principal = found if isinstance(found, Principal) else None
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
