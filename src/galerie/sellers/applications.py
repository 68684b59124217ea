"""Applications, the seller's side: start a draft, edit it, submit it.

Submitting runs the automatic checks in the same transaction: the application goes
draft/changes_requested -submit/resubmit-> submitted, then, as the system,
-pass_checks-> under_review or -fail_checks-> changes_requested. Its findings are stored
with the submission's number."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.audit import AuditContext, record_audit
from galerie.catalog import categories_by_ids
from galerie.db import Database
from galerie.identity import Principal
from galerie.kernel import NotFound, ValidationFailed
from galerie.sellers.access import guard, visible_or_not_found
from galerie.sellers.checks import run_checks
from galerie.sellers.machine import Subject, transition_application
from galerie.sellers.models import ApplicationFinding, ApplicationHistory, Brand, SellerApplication
from galerie.sellers.rules import Finding
from galerie.sellers.states import (
    APPLICANT,
    EDITABLE,
    ApplicationAction,
    ApplicationStatus,
)
from galerie.sellers.validation import ApplicationForm

TARGET = "seller_application"


async def application_owner(db: Database, actor: Principal, application_id: int) -> int:
    """The application's organisation, or NotFound when it does not exist or the actor is
    neither one of its members nor an operator."""
    async with db.reading() as session:
        org = await session.scalar(
            select(SellerApplication.organisation_id).where(SellerApplication.id == application_id)
        )
    return visible_or_not_found(actor, org, TARGET)


async def _check_references(session: AsyncSession, form: ApplicationForm) -> None:
    found = await categories_by_ids(session, form.category_ids)
    if set(found) != set(form.category_ids) or not all(v.is_active for v in found.values()):
        raise ValidationFailed("Unknown category.", field="category_ids", code="unknown_category")
    brands = set(await session.scalars(select(Brand.id).where(Brand.id.in_(form.brand_ids))))
    if brands != set(form.brand_ids):
        raise ValidationFailed("Unknown brand.", field="brand_ids", code="unknown_brand")


def _fields(form: ApplicationForm) -> dict[str, object]:
    return {
        "applicant_kind": form.applicant_kind.value,
        "legal_name": form.legal_name,
        "registration_number": form.registration_number,
        "country": form.country,
        "address": form.address,
        "legal_representative": form.legal_representative,
        "contact_email": form.contact_email,
        "contact_phone": form.contact_phone,
        "bank_account_holder": form.bank_account_holder,
        "bank_account_number": form.bank_account_number,
        "shop_type": form.shop_type.value,
        "category_ids": list(form.category_ids),
        "brand_ids": list(form.brand_ids),
    }


async def start_application(
    db: Database,
    *,
    actor: Principal,
    organisation_id: int,
    form: ApplicationForm,
    now: datetime,
    audit: AuditContext,
) -> int:
    """Create a draft application for the organisation; returns its id."""
    visible_or_not_found(actor, organisation_id, "organisation")
    action = "sellers.seller_application.create"
    context = await guard(
        db,
        actor=actor,
        permission=APPLICANT,
        organisation_id=organisation_id,
        audit=audit,
        action=action,
        now=now,
        target=("seller_organisation", organisation_id),
    )
    clean = form.cleaned()
    async with db.transaction() as session:
        await _check_references(session, clean)
        app = SellerApplication(
            organisation_id=organisation_id,
            status=ApplicationStatus.DRAFT.value,
            submissions=0,
            created_at=now,
            updated_at=now,
            **_fields(clean),
        )
        session.add(app)
        await session.flush()
        session.add(
            ApplicationHistory(
                application_id=app.id,
                organisation_id=organisation_id,
                from_status=None,
                to_status=app.status,
                action="create",
                actor_user_id=actor.user_id,
                at=now,
            )
        )
        record_audit(
            session,
            context=context,
            action=action,
            now=now,
            target_type=TARGET,
            target_id=app.id,
            details={"organisation_id": organisation_id},
        )
        return app.id


async def editable_application(
    session: AsyncSession, application_id: int, organisation_id: int
) -> SellerApplication:
    app = await session.scalar(
        select(SellerApplication)
        .where(
            SellerApplication.id == application_id,
            SellerApplication.organisation_id == organisation_id,
        )
        .with_for_update()
    )
    if app is None:
        raise NotFound("No such seller application.", code="seller_application_not_found")
    if app.status not in EDITABLE:
        raise ValidationFailed(
            "The application cannot be changed in its current state.",
            field="status",
            code="application_not_editable",
        )
    return app


async def update_application(
    db: Database,
    *,
    actor: Principal,
    application_id: int,
    form: ApplicationForm,
    now: datetime,
    audit: AuditContext,
) -> None:
    """Replace the fields of a draft (or of an application returned for changes)."""
    org = await application_owner(db, actor, application_id)
    action = "sellers.seller_application.update"
    target = (TARGET, application_id)
    await guard(
        db,
        actor=actor,
        permission=APPLICANT,
        organisation_id=org,
        audit=audit,
        action=action,
        now=now,
        target=target,
    )
    clean = form.cleaned()
    async with db.transaction() as session:
        app = await editable_application(session, application_id, org)
        if app.shop_id is not None:
            raise ValidationFailed(
                "An extension's fields are fixed; start a new one to ask for something else.",
                field="kind",
                code="extension_not_editable",
            )
        await _check_references(session, clean)
        for name, value in _fields(clean).items():
            setattr(app, name, value)
        app.updated_at = now


async def submit_application(
    db: Database,
    *,
    actor: Principal,
    application_id: int,
    now: datetime,
    audit: AuditContext,
) -> ApplicationStatus:
    """Submit (or resubmit) the application and run the automatic checks; returns the
    resulting status: under_review, or changes_requested with blocking findings."""
    org = await application_owner(db, actor, application_id)
    target = (TARGET, application_id)
    context = await guard(
        db,
        actor=actor,
        permission=APPLICANT,
        organisation_id=org,
        audit=audit,
        action="sellers.seller_application.submit",
        now=now,
        target=target,
    )
    async with db.transaction() as session:
        app = await session.get(SellerApplication, application_id, with_for_update=True)
        assert app is not None
        status, submission = app.status, app.submissions + 1
        action = (
            ApplicationAction.RESUBMIT
            if status == ApplicationStatus.CHANGES_REQUESTED
            else ApplicationAction.SUBMIT
        )
        subject = Subject(app.id, org, status)
        await transition_application(
            session, subject=subject, action=action, actor=actor, context=context, now=now
        )
        findings = await run_checks(session, app, now.date())
        _store_findings(session, app, submission, findings, now)
        return await _conclude_checks(session, app, findings, context, now)


def _store_findings(
    session: AsyncSession,
    app: SellerApplication,
    submission: int,
    findings: list[Finding],
    now: datetime,
) -> None:
    session.add_all(
        ApplicationFinding(
            application_id=app.id,
            organisation_id=app.organisation_id,
            submission=submission,
            code=f.code,
            severity=f.severity.value,
            message=f.message,
            details={k: (v.value if hasattr(v, "value") else v) for k, v in f.details.items()},
            created_at=now,
        )
        for f in findings
    )


async def _conclude_checks(
    session: AsyncSession,
    app: SellerApplication,
    findings: list[Finding],
    context: AuditContext,
    now: datetime,
) -> ApplicationStatus:
    blocking = [f.code for f in findings if f.blocking]
    action = ApplicationAction.FAIL_CHECKS if blocking else ApplicationAction.PASS_CHECKS
    reason = "Automatic checks: " + ", ".join(sorted(set(blocking))) if blocking else None
    subject = Subject(app.id, app.organisation_id, ApplicationStatus.SUBMITTED)
    system = replace(context, actor_user_id=None)
    step = await transition_application(
        session, subject=subject, action=action, actor=None, context=system, now=now, reason=reason
    )
    return ApplicationStatus(step.to)
