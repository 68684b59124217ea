"""Tenancy (another organisation's rows are NotFound, and nothing changes), stale
transitions, bad uploads (nothing stored, nothing written) and the review queue."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from galerie.audit import AuditContext
from galerie.db import Database
from galerie.kernel import Conflict, FixedClock, Forbidden, NotFound, ValidationFailed
from galerie.sellers import (
    ApplicationAction,
    Decoration,
    QueueFilter,
    ShopAction,
    ShopType,
    add_application_document,
    application_detail,
    change_shop_status,
    decorate_shop,
    document_file,
    organisation_applications,
    review_queue,
    submit_application,
)
from galerie.sellers.machine import Subject, transition_application
from galerie.sellers.models import ApplicationDocument, SellerApplication
from galerie.storage import InMemoryStorage
from tests.integration.sellers.factories import (
    People,
    counts,
    delta,
    insert_application,
    insert_shop,
    status_of,
)

PDF = b"%PDF-1.4\n%%EOF\n"


async def test_another_organisation_sees_and_changes_nothing(
    db: Database, clock: FixedClock, people: People, audit: AuditContext
) -> None:
    now, rival, storage = clock.now(), people["rival"], InMemoryStorage()
    app = await insert_application(db, now, organisation_id=people.org)
    shop = await insert_shop(db, now, organisation_id=people.org)
    doc = await add_application_document(
        db,
        actor=people["owner"],
        application_id=app,
        kind="bank_account_proof",
        filename="rib.pdf",
        data=PDF,
        valid_until=None,
        storage=storage,
        now=now,
        audit=audit,
    )
    before = await counts(db)
    attempts = [
        submit_application(db, actor=rival, application_id=app, now=now, audit=audit),
        add_application_document(
            db,
            actor=rival,
            application_id=app,
            kind="bank_account_proof",
            filename="x.pdf",
            data=PDF,
            valid_until=None,
            storage=storage,
            now=now,
            audit=audit,
        ),
        document_file(db, actor=rival, document_id=doc, storage=storage),
        decorate_shop(
            db,
            actor=rival,
            shop_id=shop,
            decoration=Decoration("Mine", "mine"),
            now=now,
            audit=audit,
        ),
        change_shop_status(
            db, actor=rival, shop_id=shop, action=ShopAction.PUBLISH, now=now, audit=audit
        ),
    ]
    for attempt in attempts:
        with pytest.raises(NotFound):
            await attempt
    async with db.reading() as session:
        with pytest.raises(NotFound):
            await application_detail(session, actor=rival, application_id=app, now=now)
        with pytest.raises(NotFound):
            await organisation_applications(
                session, actor=rival, organisation_id=people.org, now=now
            )
        assert [
            a.id
            for a in await organisation_applications(
                session, actor=rival, organisation_id=people.rival_org, now=now
            )
        ] == []
    assert delta(before, await counts(db)) == {}
    assert len(storage._files) == 1  # only the owner's document


async def test_the_owner_reads_its_document(
    db: Database, clock: FixedClock, people: People, audit: AuditContext
) -> None:
    storage = InMemoryStorage()
    app = await insert_application(db, clock.now(), organisation_id=people.org)
    doc = await add_application_document(
        db,
        actor=people["manager"],
        application_id=app,
        kind="tax_registration",
        filename="tax.pdf",
        data=PDF,
        valid_until=None,
        storage=storage,
        now=clock.now(),
        audit=audit,
    )
    row, data = await document_file(db, actor=people["vetting"], document_id=doc, storage=storage)
    assert (row.content_type, row.size, data) == ("application/pdf", len(PDF), PDF)


async def test_a_stale_transition_is_refused(
    db: Database, clock: FixedClock, people: People, audit: AuditContext
) -> None:
    """Two operators read the same under_review application; the first decision wins, the
    second one's conditional UPDATE matches no row: Conflict stale_state, nothing written."""
    app = await insert_application(
        db, clock.now(), organisation_id=people.org, status="under_review"
    )
    seen = Subject(app, people.org, "under_review")
    async with db.transaction() as session:
        await transition_application(
            session,
            subject=seen,
            action=ApplicationAction.REJECT,
            actor=people["vetting"],
            context=audit,
            now=clock.now(),
            reason="Fake licence.",
        )
    before = await counts(db)
    with pytest.raises(Conflict) as stale:
        async with db.transaction() as session:
            await transition_application(
                session,
                subject=seen,
                action=ApplicationAction.APPROVE,
                actor=people["admin"],
                context=audit,
                now=clock.now(),
                reason="Looks fine.",
            )
    assert stale.value.code == "stale_state"
    assert delta(before, await counts(db)) == {}
    assert await status_of(db, SellerApplication, app) == "rejected"


@pytest.mark.parametrize(
    ("filename", "data", "code"),
    [
        ("licence.pdf", b"#!/bin/sh\nrm -rf /\n", "unsupported_file_type"),
        ("licence.pdf", b"", "empty_file"),
        ("licence.pdf", b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024), "file_too_large"),
        ("licence.png", PDF, "file_type_mismatch"),
    ],
)
async def test_a_bad_upload_stores_and_writes_nothing(
    db: Database,
    clock: FixedClock,
    people: People,
    audit: AuditContext,
    filename: str,
    data: bytes,
    code: str,
) -> None:
    storage = InMemoryStorage()
    app = await insert_application(db, clock.now(), organisation_id=people.org)
    before = await counts(db)
    with pytest.raises(ValidationFailed) as refused:
        await add_application_document(
            db,
            actor=people["owner"],
            application_id=app,
            kind="business_licence",
            filename=filename,
            data=data,
            valid_until=None,
            storage=storage,
            now=clock.now(),
            audit=audit,
        )
    assert refused.value.code == code
    assert storage._files == {}
    assert delta(before, await counts(db)) == {}


async def test_a_failed_transaction_deletes_the_stored_file(
    db: Database, clock: FixedClock, people: People, audit: AuditContext
) -> None:
    storage = InMemoryStorage()
    app = await insert_application(
        db, clock.now(), organisation_id=people.org, status="under_review"
    )
    with pytest.raises(ValidationFailed) as refused:  # not editable while under review
        await add_application_document(
            db,
            actor=people["owner"],
            application_id=app,
            kind="business_licence",
            filename="l.pdf",
            data=PDF,
            valid_until=None,
            storage=storage,
            now=clock.now(),
            audit=audit,
        )
    assert refused.value.code == "application_not_editable"
    assert storage._files == {}
    async with db.reading() as session:
        documents = select(func.count()).where(ApplicationDocument.application_id == app)
        assert await session.scalar(documents) == 2  # the factory's two, nothing more


async def test_the_review_queue_filters_and_ages(
    db: Database, clock: FixedClock, people: People, audit: AuditContext
) -> None:
    old = await insert_application(
        db, clock.now() - timedelta(days=5), organisation_id=people.org, status="under_review"
    )
    new = await insert_application(
        db, clock.now(), organisation_id=people.org, status="under_review", shop_type="flagship"
    )
    await insert_application(db, clock.now(), organisation_id=people.org, status="draft")
    async with db.reading() as session:
        queue = await review_queue(session, actor=people["vetting"], now=clock.now())
        assert [(a.id, a.overdue) for a in queue.items] == [(old, True), (new, False)]
        overdue = await review_queue(
            session, actor=people["vetting"], now=clock.now(), wanted=QueueFilter(overdue_only=True)
        )
        assert [a.id for a in overdue.items] == [old]
        flagship = await review_queue(
            session,
            actor=people["admin"],
            now=clock.now(),
            wanted=QueueFilter(shop_type=ShopType.FLAGSHIP),
        )
        assert [a.id for a in flagship.items] == [new]
        with pytest.raises(Forbidden):
            await review_queue(session, actor=people["owner"], now=clock.now())
