"""The two `transition()` functions: the only code that changes a status.

Each checks the step against its table (states.py), the reason and the actor's permission,
moves the status with one conditional UPDATE ... WHERE id = :id AND status = :expected
(a concurrent transition that already moved it makes the rowcount 0: Conflict
"stale_state"), appends one history row, writes exactly one audit record and emits one
outbox event. Helpers: they never commit; the calling use case owns the transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import CursorResult, update
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.audit import AuditContext, record_audit
from galerie.db.outbox import record_event
from galerie.identity import Principal
from galerie.kernel import Conflict, Forbidden
from galerie.sellers.models import ApplicationHistory, SellerApplication, Shop, ShopHistory
from galerie.sellers.states import (
    ApplicationAction,
    ApplicationStatus,
    ShopAction,
    Step,
    application_step,
    shop_step,
)
from galerie.sellers.validation import reason_text


@dataclass(frozen=True, slots=True)
class Subject:
    """The row a transition applies to, as read in the caller's transaction."""

    id: int
    organisation_id: int
    status: str


def _checked(
    step: Step | None, subject: Subject, actor: Principal | None, reason: str | None
) -> tuple[Step, str | None]:
    if step is None:
        raise Conflict(
            "This action is not allowed in the current state.",
            code="transition_not_allowed",
            status=subject.status,
        )
    if step.permission is None:
        allowed = actor is None
    else:
        allowed = actor is not None and actor.can(
            step.permission, organisation_id=subject.organisation_id
        )
    if not allowed:
        raise Forbidden("You are not allowed to do this.", code="forbidden")
    return step, reason_text(reason) if step.reason_required else _optional(reason)


def _optional(reason: str | None) -> str | None:
    return reason_text(reason) if reason and reason.strip() else None


def _moved(result: Any) -> None:
    assert isinstance(result, CursorResult)
    if result.rowcount != 1:
        raise Conflict("Someone else changed this first; reload and retry.", code="stale_state")


async def transition_application(
    session: AsyncSession,
    *,
    subject: Subject,
    action: ApplicationAction,
    actor: Principal | None,
    context: AuditContext,
    now: datetime,
    reason: str | None = None,
    **event_fields: Any,
) -> Step:
    """Apply `action` to the application; `actor` None means the system itself."""
    step, why = _checked(application_step(subject.status, action), subject, actor, reason)
    values: dict[str, Any] = {"status": step.to, "updated_at": now}
    if step.to == ApplicationStatus.SUBMITTED:
        values |= {"submitted_at": now, "submissions": SellerApplication.submissions + 1}
    result = await session.execute(
        update(SellerApplication)
        .where(SellerApplication.id == subject.id, SellerApplication.status == subject.status)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    _moved(result)
    actor_id = None if actor is None else actor.user_id
    session.add(
        ApplicationHistory(
            application_id=subject.id,
            organisation_id=subject.organisation_id,
            from_status=subject.status,
            to_status=step.to,
            action=action.value,
            actor_user_id=actor_id,
            reason=why,
            at=now,
        )
    )
    _audit(session, "seller_application", subject, step, action.value, context, now, why)
    record_event(
        session,
        step.event(
            application_id=subject.id,  # type: ignore[call-arg]
            organisation_id=subject.organisation_id,
            from_status=subject.status,
            to_status=step.to,
            actor_user_id=actor_id,
            reason=why,
            **event_fields,
        ),
        now=now,
    )
    return step


async def transition_shop(
    session: AsyncSession,
    *,
    subject: Subject,
    action: ShopAction,
    actor: Principal | None,
    context: AuditContext,
    now: datetime,
    reason: str | None = None,
) -> Step:
    """Apply `action` to the shop; `actor` None means the system itself."""
    actor_id = None if actor is None else actor.user_id
    step, why = _checked(shop_step(subject.status, action), subject, actor, reason)
    result = await session.execute(
        update(Shop)
        .where(Shop.id == subject.id, Shop.status == subject.status)
        .values(status=step.to, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    _moved(result)
    session.add(
        ShopHistory(
            shop_id=subject.id,
            organisation_id=subject.organisation_id,
            from_status=subject.status,
            to_status=step.to,
            action=action.value,
            actor_user_id=actor_id,
            reason=why,
            at=now,
        )
    )
    _audit(session, "shop", subject, step, action.value, context, now, why)
    record_event(
        session,
        step.event(
            shop_id=subject.id,  # type: ignore[call-arg]
            organisation_id=subject.organisation_id,
            from_status=subject.status,
            to_status=step.to,
            actor_user_id=actor_id,
            reason=why,
        ),
        now=now,
    )
    return step


def _audit(
    session: AsyncSession,
    target_type: str,
    subject: Subject,
    step: Step,
    action: str,
    context: AuditContext,
    now: datetime,
    reason: str | None,
) -> None:
    record_audit(
        session,
        context=context,
        action=f"sellers.{target_type}.{action}",
        now=now,
        target_type=target_type,
        target_id=subject.id,
        reason=reason,
        details={
            "organisation_id": subject.organisation_id,
            "from": subject.status,
            "to": step.to,
        },
    )
