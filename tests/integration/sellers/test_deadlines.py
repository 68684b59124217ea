"""Document deadlines of live shops: each document expiring within 30 days, and each expired
one, is announced once per threshold (an outbox event, then one mail per owner and manager);
running the scan again announces nothing new; preparing shops and documents of unapproved
extensions are left alone."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from galerie.db import Database
from galerie.db.outbox import OutboxEvent
from galerie.kernel import FixedClock
from galerie.notifications import OutboxFolderMailer
from galerie.sellers import announce_document_deadlines
from galerie.sellers.deadlines import EXPIRED, EXPIRING, threshold
from galerie.sellers.models import (
    ApplicationDocument,
    DocumentDeadlineNotice,
    SellerApplication,
    Shop,
)
from galerie.workers import OutboxDispatcher, build_handlers
from galerie.workers.timers import run_timers
from tests.factories import BASE_URL, SECRET
from tests.integration.sellers.factories import People, insert_application, insert_shop


async def _document(db: Database, now: datetime, app_id: int, org: int, until: date | None) -> int:
    async with db.transaction() as session:
        doc = ApplicationDocument(
            application_id=app_id,
            organisation_id=org,
            kind="business_licence",
            filename="licence.pdf",
            storage_key=f"deadline/{app_id}/{until}/{now.timestamp()}",
            content_type="application/pdf",
            size=10,
            sha256="0" * 64,
            valid_until=until,
            uploaded_at=now,
        )
        session.add(doc)
        await session.flush()
        return doc.id


async def _opening(db: Database, shop_id: int) -> int:
    async with db.reading() as session:
        app_id = await session.scalar(select(Shop.application_id).where(Shop.id == shop_id))
    assert app_id is not None
    return app_id


async def _events(db: Database) -> list[tuple[str, int, str]]:
    async with db.reading() as session:
        rows = await session.scalars(
            select(OutboxEvent)
            .where(OutboxEvent.event_name.in_(["DocumentExpiring", "DocumentExpired"]))
            .order_by(OutboxEvent.id)
        )
        return [(e.event_name, e.payload["document_id"], e.payload["valid_until"]) for e in rows]


def test_thresholds() -> None:
    today = date(2026, 11, 11)
    assert threshold(today - timedelta(days=1), today) == EXPIRED
    assert threshold(today, today) == EXPIRING
    assert threshold(today + timedelta(days=29), today) == EXPIRING
    assert threshold(today + timedelta(days=30), today) is None


async def test_each_deadline_is_announced_once_per_threshold(
    db: Database, clock: FixedClock, people: People, tmp_path: Path
) -> None:
    now, org = clock.now(), people.org
    today = now.date()
    live = await insert_shop(db, now, organisation_id=org, status="live")
    preparing = await insert_shop(db, now, organisation_id=org, status="preparing")
    opening = await _opening(db, live)
    soon = await _document(db, now, opening, org, today + timedelta(days=10))
    gone = await _document(db, now, opening, org, today - timedelta(days=5))
    later = await _document(db, now, opening, org, today + timedelta(days=60))
    await _document(db, now, opening, org, None)
    await _document(db, now, await _opening(db, preparing), org, today + timedelta(days=3))
    approved = await insert_application(
        db, now, organisation_id=org, status="approved", documents=()
    )
    draft = await insert_application(db, now, organisation_id=org, status="draft", documents=())
    async with db.transaction() as session:  # extensions of the live shop
        for app_id, kind in ((approved, "extension"), (draft, "extension")):
            row = await session.get(SellerApplication, app_id)
            assert row is not None
            row.kind, row.shop_id = kind, live
    extended = await _document(db, now, approved, org, today + timedelta(days=1))
    await _document(db, now, draft, org, today + timedelta(days=1))

    assert await announce_document_deadlines(db, now=now) == 3
    first = await _events(db)
    assert first == [
        ("DocumentExpiring", soon, (today + timedelta(days=10)).isoformat()),
        ("DocumentExpired", gone, (today - timedelta(days=5)).isoformat()),
        ("DocumentExpiring", extended, (today + timedelta(days=1)).isoformat()),
    ]
    assert (await run_timers(db, clock))["document_deadlines"] == 0  # again: nothing new
    assert await _events(db) == first

    # twenty days on: the first document has expired, the third is now past its date too
    clock.advance(timedelta(days=20))
    assert await announce_document_deadlines(db, now=clock.now()) == 2
    assert [(n, d) for n, d, _ in (await _events(db))[3:]] == [
        ("DocumentExpired", soon),
        ("DocumentExpired", extended),
    ]
    async with db.reading() as session:
        notices = await session.execute(
            select(DocumentDeadlineNotice.document_id, DocumentDeadlineNotice.threshold)
        )
        assert sorted(notices.tuples()) == sorted(
            [
                (soon, EXPIRING),
                (gone, EXPIRED),
                (extended, EXPIRING),
                (soon, EXPIRED),
                (extended, EXPIRED),
            ]
        )
    assert later not in {d for _, d, _ in await _events(db)}

    # each event is one mail to each owner and manager, once
    folder = tmp_path / "mail"
    handlers = build_handlers(
        mailer=OutboxFolderMailer(folder), secret_key=SECRET, base_url=BASE_URL
    )
    dispatcher = OutboxDispatcher(db, handlers, clock, batch_size=500)
    while await dispatcher.dispatch_pending():
        pass
    mails = sorted(p.name for p in folder.iterdir() if p.name.startswith("seller-Document"))
    assert len(mails) == 5 * 2  # five announcements, an owner and a manager each
    assert await dispatcher.dispatch_pending() == 0
