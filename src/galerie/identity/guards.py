"""The permission guard of privileged use cases, and their audit trail.

A refused privileged action writes exactly one audit record (outcome REFUSED) and changes
nothing else. The guard runs before the use case opens its transaction: when the actor lacks
the permission it commits the refusal record in a transaction of its own and then raises
Forbidden, so the record survives the error and the use case's transaction never opens.
A call therefore opens exactly one transaction on either path.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from galerie.audit import AuditContext, Outcome, record_audit
from galerie.db import Database
from galerie.db.outbox import record_event
from galerie.identity.rules import Permission, Principal
from galerie.kernel import DomainEvent, Forbidden

NOT_ALLOWED = "You are not allowed to do this."


def acting_as(audit: AuditContext, user_id: int) -> AuditContext:
    """The audit context with `user_id` as the actor (the web layer may leave it unset)."""
    if audit.actor_user_id == user_id:
        return audit
    return replace(audit, actor_user_id=user_id)


async def require_permission(
    db: Database,
    *,
    actor: Principal,
    permission: Permission,
    organisation_id: int | None = None,
    audit: AuditContext,
    action: str,
    now: datetime,
    target_type: str,
    target_id: int | str,
) -> AuditContext:
    """Return the audit context for `actor` if it holds `permission` (within
    `organisation_id` for seller permissions); otherwise audit the refusal and raise."""
    context = acting_as(audit, actor.user_id)
    if actor.can(permission, organisation_id=organisation_id):
        return context
    async with db.transaction() as session:
        record_audit(
            session,
            context=context,
            action=action,
            now=now,
            outcome=Outcome.REFUSED,
            target_type=target_type,
            target_id=target_id,
            reason=f"missing permission {permission.value}",
            details={} if organisation_id is None else {"organisation_id": organisation_id},
        )
    raise Forbidden(NOT_ALLOWED, code="forbidden")


def record_privileged(
    session: AsyncSession,
    *,
    context: AuditContext,
    action: str,
    now: datetime,
    target_type: str,
    target_id: int | str,
    event: DomainEvent,
    details: dict[str, Any] | None = None,
) -> None:
    """The one audit record of a privileged action and its outbox event (never commits)."""
    record_audit(
        session,
        context=context,
        action=action,
        now=now,
        target_type=target_type,
        target_id=target_id,
        details=details,
    )
    record_event(session, event, now=now)
