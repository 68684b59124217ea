"""Writing to the audit log. Helpers here never commit: the caller's transaction does."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from galerie.audit.models import AuditRecord


class Outcome(StrEnum):
    SUCCEEDED = "succeeded"
    REFUSED = "refused"


@dataclass(frozen=True, slots=True)
class AuditContext:
    """Who acts and from where; the web layer builds it from the request."""

    actor_user_id: int | None = None
    ip_address: str | None = None
    request_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def record_audit(
    session: AsyncSession,
    *,
    context: AuditContext,
    action: str,
    now: datetime,
    outcome: Outcome = Outcome.SUCCEEDED,
    target_type: str | None = None,
    target_id: str | int | None = None,
    reason: str | None = None,
    details: dict[str, Any] | None = None,
) -> AuditRecord:
    record = AuditRecord(
        occurred_at=now,
        actor_user_id=context.actor_user_id,
        action=action,
        outcome=outcome.value,
        target_type=target_type,
        target_id=None if target_id is None else str(target_id),
        reason=reason,
        ip_address=context.ip_address,
        request_id=context.request_id,
        details={**context.extra, **(details or {})},
    )
    session.add(record)
    return record
