"""Vetting, the operator's side: request changes, approve (which opens the shop in
`preparing`), reject, assign a reviewer. Decisions need CONSOLE_VETTING and a reason."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.audit import AuditContext, record_audit
from galerie.catalog import CategoryView, categories_by_ids
from galerie.db import Database
from galerie.db.outbox import record_event
from galerie.identity import Permission, Principal, load_principal
from galerie.kernel import Conflict, ValidationFailed
from galerie.sellers.access import guard
from galerie.sellers.applications import TARGET, application_owner
from galerie.sellers.checks import check_input
from galerie.sellers.events import ApplicationReviewerAssigned
from galerie.sellers.extensions import extendable_shop
from galerie.sellers.fees import FeeSchedule
from galerie.sellers.machine import Subject, transition_application
from galerie.sellers.models import SellerApplication
from galerie.sellers.opening import extend_shop, open_shop
from galerie.sellers.rules import CheckInput, check_application
from galerie.sellers.states import ASSIGNABLE, VETTING, ApplicationAction, ApplicationStatus


async def _decide(
    db: Database,
    *,
    actor: Principal,
    application_id: int,
    action: ApplicationAction,
    reason: str | None,
    now: datetime,
    audit: AuditContext,
) -> tuple[AuditContext, int]:
    org = await application_owner(db, actor, application_id)
    context = await guard(
        db,
        actor=actor,
        permission=VETTING,
        organisation_id=org,
        audit=audit,
        action=f"sellers.{TARGET}.{action.value}",
        now=now,
        target=(TARGET, application_id),
    )
    return context, org


async def _simple_decision(
    db: Database,
    *,
    action: ApplicationAction,
    actor: Principal,
    application_id: int,
    reason: str,
    now: datetime,
    audit: AuditContext,
) -> None:
    """A decision that only moves the application (request changes, reject)."""
    context, org = await _decide(
        db,
        actor=actor,
        application_id=application_id,
        action=action,
        reason=reason,
        now=now,
        audit=audit,
    )
    async with db.transaction() as session:
        subject = await _subject(session, application_id, org)
        await transition_application(
            session,
            subject=subject,
            action=action,
            actor=actor,
            context=context,
            now=now,
            reason=reason,
        )


async def request_changes(
    db: Database,
    *,
    actor: Principal,
    application_id: int,
    reason: str,
    now: datetime,
    audit: AuditContext,
) -> None:
    await _simple_decision(
        db,
        action=ApplicationAction.REQUEST_CHANGES,
        actor=actor,
        application_id=application_id,
        reason=reason,
        now=now,
        audit=audit,
    )


async def reject_application(
    db: Database,
    *,
    actor: Principal,
    application_id: int,
    reason: str,
    now: datetime,
    audit: AuditContext,
) -> None:
    await _simple_decision(
        db,
        action=ApplicationAction.REJECT,
        actor=actor,
        application_id=application_id,
        reason=reason,
        now=now,
        audit=audit,
    )


async def approve_application(
    db: Database,
    *,
    actor: Principal,
    application_id: int,
    reason: str,
    now: datetime,
    audit: AuditContext,
    schedule: FeeSchedule | None = None,
) -> int:
    """Approve: the checks are run again as of today and must find nothing blocking (each
    authorisation valid one more year at approval); the shop opens in `preparing`, or, for
    an extension, the shop it extends (still preparing or live) gains its categories and
    brands. Returns the shop's id."""
    action = ApplicationAction.APPROVE
    context, org = await _decide(
        db,
        actor=actor,
        application_id=application_id,
        action=action,
        reason=reason,
        now=now,
        audit=audit,
    )
    async with db.transaction() as session:
        app = await session.get(SellerApplication, application_id, with_for_update=True)
        assert app is not None
        subject = Subject(app.id, org, app.status)
        if app.status == ApplicationStatus.UNDER_REVIEW:
            categories = await categories_by_ids(session, app.category_ids)
            facts = await check_input(session, app, now.date(), categories)
            blocking = sorted({f.code for f in check_application(facts) if f.blocking})
            if blocking:
                raise Conflict(
                    "The automatic checks now find blocking problems.",
                    code="blocking_findings",
                    findings=blocking,
                )
            shop_id = await _open_or_extend(session, app, facts, categories, schedule, now)
        else:
            shop_id = None
        kind = app.kind
        await transition_application(
            session,
            subject=subject,
            action=action,
            actor=actor,
            context=context,
            now=now,
            reason=reason,
            shop_id=shop_id,
            kind=kind,
        )
        assert shop_id is not None
        return shop_id


async def _open_or_extend(
    session: AsyncSession,
    app: SellerApplication,
    facts: CheckInput,
    categories: dict[int, CategoryView],
    schedule: FeeSchedule | None,
    now: datetime,
) -> int:
    """An opening application opens its shop; an extension grows the shop it extends."""
    fees = schedule or FeeSchedule()
    if app.shop_id is None:
        return await open_shop(session, app, facts, categories, fees, now)
    shop = await extendable_shop(session, app.shop_id)
    await extend_shop(session, shop, app, facts, categories, fees, now)
    return shop.id


async def _subject(session: AsyncSession, application_id: int, org: int) -> Subject:
    status = await session.scalar(
        select(SellerApplication.status).where(SellerApplication.id == application_id)
    )
    assert status is not None
    return Subject(application_id, org, status)


async def assign_reviewer(
    db: Database,
    *,
    actor: Principal,
    application_id: int,
    reviewer_user_id: int | None,
    now: datetime,
    audit: AuditContext,
) -> None:
    """Assign (or, with None, unassign) a reviewer: an operator holding the vetting or
    admin role. No state change; audited."""
    action = "sellers.seller_application.assign"
    org = await application_owner(db, actor, application_id)
    context = await guard(
        db,
        actor=actor,
        permission=VETTING,
        organisation_id=org,
        audit=audit,
        action=action,
        now=now,
        target=(TARGET, application_id),
    )
    async with db.transaction() as session:
        app = await session.get(SellerApplication, application_id, with_for_update=True)
        assert app is not None
        if app.status not in ASSIGNABLE:
            raise Conflict(
                "This application cannot be assigned now.",
                code="transition_not_allowed",
                status=app.status,
            )
        if reviewer_user_id is not None:
            await _require_reviewer(session, reviewer_user_id)
        app.assigned_reviewer_id = reviewer_user_id
        record_audit(
            session,
            context=context,
            action=action,
            now=now,
            target_type=TARGET,
            target_id=application_id,
            details={"organisation_id": org, "reviewer_user_id": reviewer_user_id},
        )
        record_event(
            session,
            ApplicationReviewerAssigned(
                application_id=application_id,
                organisation_id=org,
                reviewer_user_id=reviewer_user_id,
                actor_user_id=actor.user_id,
            ),
            now=now,
        )


async def _require_reviewer(session: AsyncSession, user_id: int) -> None:
    reviewer = await load_principal(session, user_id)
    if reviewer is None or not reviewer.can(Permission.CONSOLE_VETTING):
        raise ValidationFailed(
            "Assign an operator with the vetting role.",
            field="reviewer_user_id",
            code="not_a_reviewer",
        )
