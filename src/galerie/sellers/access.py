"""Who may see what: a seller sees only its own organisation's rows, operators see all.

A row of another organisation is reported as NotFound, never Forbidden, so that ids do not
reveal what exists. Permission refusals within one's own organisation are Forbidden and
audited (identity's require_permission)."""

from __future__ import annotations

from datetime import datetime

from galerie.audit import AuditContext
from galerie.db import Database
from galerie.identity import Permission, Principal
from galerie.identity.guards import require_permission
from galerie.kernel import NotFound


def may_see(actor: Principal, organisation_id: int) -> bool:
    return actor.is_operator or any(m.organisation_id == organisation_id for m in actor.memberships)


def visible_or_not_found(actor: Principal, organisation_id: int | None, what: str) -> int:
    if organisation_id is None or not may_see(actor, organisation_id):
        raise NotFound(f"No such {what.replace('_', ' ')}.", code=f"{what}_not_found")
    return organisation_id


async def guard(
    db: Database,
    *,
    actor: Principal,
    permission: Permission,
    organisation_id: int,
    audit: AuditContext,
    action: str,
    now: datetime,
    target: tuple[str, int],
) -> AuditContext:
    """require_permission, scoped to the organisation for seller permissions."""
    seller = permission.value.startswith("seller.")
    return await require_permission(
        db,
        actor=actor,
        permission=permission,
        organisation_id=organisation_id if seller else None,
        audit=audit,
        action=action,
        now=now,
        target_type=target[0],
        target_id=target[1],
    )
