"""Documents of an application, through the file-storage port.

The upload is checked by content (PDF, JPEG, PNG), size and name before anything is
stored; a bad file stores nothing and writes nothing. The file is written before the
database transaction; if the transaction fails, the stored file is deleted again."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.audit import AuditContext, record_audit
from galerie.db import Database
from galerie.db.outbox import record_event
from galerie.identity import Principal
from galerie.kernel import ValidationFailed, new_token
from galerie.sellers.access import guard, visible_or_not_found
from galerie.sellers.applications import application_owner, editable_application
from galerie.sellers.events import ApplicationDocumentAdded
from galerie.sellers.models import ApplicationDocument, Brand
from galerie.sellers.rules import DocumentKind
from galerie.sellers.states import APPLICANT
from galerie.sellers.validation import qualification_code, text
from galerie.storage import FileStorage, check_upload

BRAND_DOCUMENTS = frozenset({DocumentKind.TRADEMARK_CERTIFICATE, DocumentKind.BRAND_AUTHORISATION})


def _document_fields(
    kind: str, qualification: str | None, brand_id: int | None
) -> tuple[DocumentKind, str | None]:
    if kind not in DocumentKind._value2member_map_:
        raise ValidationFailed("Unknown document kind.", field="kind", code="bad_document_kind")
    chosen = DocumentKind(kind)
    if chosen is DocumentKind.CATEGORY_QUALIFICATION:
        if not qualification:
            raise ValidationFailed(
                "Name the qualification.", field="qualification", code="qualification_required"
            )
        code: str | None = qualification_code(qualification)
    elif qualification:
        raise ValidationFailed(
            "Only a category qualification names one.",
            field="qualification",
            code="qualification_not_allowed",
        )
    else:
        code = None
    if (chosen in BRAND_DOCUMENTS) != (brand_id is not None):
        raise ValidationFailed(
            "Trademark certificates and authorisations name their brand, and only they do.",
            field="brand_id",
            code="bad_brand_id",
        )
    return chosen, code


async def add_application_document(
    db: Database,
    *,
    actor: Principal,
    application_id: int,
    kind: str,
    filename: str,
    data: bytes,
    valid_until: date | None,
    qualification: str | None = None,
    brand_id: int | None = None,
    storage: FileStorage,
    now: datetime,
    audit: AuditContext,
) -> int:
    """Attach a document to an editable application; returns the document's id."""
    org = await application_owner(db, actor, application_id)
    action = "sellers.seller_application.document_added"
    context = await guard(
        db,
        actor=actor,
        permission=APPLICANT,
        organisation_id=org,
        audit=audit,
        action=action,
        now=now,
        target=("seller_application", application_id),
    )
    chosen, code = _document_fields(kind, qualification, brand_id)
    name = text(filename, field="filename", max_length=200)
    content_type = check_upload(data, filename=name)
    key = f"applications/{org}/{application_id}/{new_token(12)}"
    stored = await storage.put(key, data, content_type=content_type)
    try:
        async with db.transaction() as session:
            await editable_application(session, application_id, org)
            if brand_id is not None and await session.get(Brand, brand_id) is None:
                raise ValidationFailed("Unknown brand.", field="brand_id", code="unknown_brand")
            doc = ApplicationDocument(
                application_id=application_id,
                organisation_id=org,
                kind=chosen.value,
                qualification=code,
                brand_id=brand_id,
                filename=name,
                storage_key=stored.key,
                content_type=stored.content_type,
                size=stored.size,
                sha256=stored.sha256,
                valid_until=valid_until,
                uploaded_at=now,
            )
            await _record(session, doc, context, action, now)
            return doc.id
    except BaseException:
        await storage.delete(stored.key)
        raise


async def _record(
    session: AsyncSession,
    doc: ApplicationDocument,
    context: AuditContext,
    action: str,
    now: datetime,
) -> None:
    session.add(doc)
    await session.flush()
    record_audit(
        session,
        context=context,
        action=action,
        now=now,
        target_type="application_document",
        target_id=doc.id,
        details={
            "organisation_id": doc.organisation_id,
            "application_id": doc.application_id,
            "kind": doc.kind,
        },
    )
    until = None if doc.valid_until is None else doc.valid_until.isoformat()
    record_event(
        session,
        ApplicationDocumentAdded(
            document_id=doc.id,
            application_id=doc.application_id,
            organisation_id=doc.organisation_id,
            kind=doc.kind,
            valid_until=until,
        ),
        now=now,
    )


async def document_file(
    db: Database, *, actor: Principal, document_id: int, storage: FileStorage
) -> tuple[ApplicationDocument, bytes]:
    """A document and its content, for its organisation's members and operators."""
    async with db.reading() as session:
        doc = await session.scalar(
            select(ApplicationDocument).where(ApplicationDocument.id == document_id)
        )
    visible_or_not_found(
        actor, None if doc is None else doc.organisation_id, "application_document"
    )
    assert doc is not None
    return doc, await storage.get(doc.storage_key)
