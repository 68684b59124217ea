"""The welcome mail: in the shopper's language, sent once per shopper through the outbox."""

from __future__ import annotations

from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path

import pytest
from sqlalchemy import update

from galerie.db import Database
from galerie.db.outbox import OutboxEvent, record_event
from galerie.kernel import DomainEvent, FixedClock
from galerie.notifications import (
    WELCOME_EVENT,
    WELCOME_TEXTS,
    OutboxFolderMailer,
    supported_language,
    welcome_handler,
    welcome_message,
)
from galerie.workers import EventHandler, OutboxDispatcher, build_handlers, handler_registry
from tests.factories import BASE_URL, SECRET


class WelcomeProbeRegistered(DomainEvent, frozen=True):
    """Shaped like identity's ShopperRegistered, under a name of its own."""

    user_id: int
    email: str
    language: str


class AddressLessRegistered(DomainEvent, frozen=True):
    user_id: int
    language: str


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "en"),
        ("fr", "fr"),
        ("zh-CN", "zh-CN"),
        ("zh-cn", "zh-CN"),
        ("zh_CN", "zh-CN"),
        ("zh", "zh-CN"),
        ("zh-Hans", "zh-CN"),
        ("fr-CA", "fr"),
        ("FR", "fr"),
        ("en-GB", "en"),
        ("de", "en"),
        ("", "en"),
    ],
)
def test_languages_map_to_the_texts_we_have(language: str, expected: str) -> None:
    assert supported_language(language) == expected


def test_each_language_has_its_own_welcome() -> None:
    subjects = {
        language: welcome_message(email="a@example.com", language=language, idempotency_key="k")
        for language in ("en", "fr", "zh-CN")
    }
    assert subjects["en"].subject == "Welcome to Galerie"
    assert subjects["fr"].subject == "Bienvenue sur Galerie"
    assert subjects["zh-CN"].subject == "欢迎来到 Galerie"
    assert subjects["fr"].text.startswith("Bonjour,")
    assert len({m.text for m in subjects.values()}) == 3
    assert sorted(WELCOME_TEXTS) == ["en", "fr", "zh-CN"]


def test_build_handlers_registers_the_welcome_mail(tmp_path: Path) -> None:
    handlers = build_handlers(
        mailer=OutboxFolderMailer(tmp_path), secret_key=SECRET, base_url=BASE_URL
    )
    assert WELCOME_EVENT == "ShopperRegistered"
    assert [(h.name, h.event_name) for h in handlers[WELCOME_EVENT]] == [
        ("notifications.welcome_mail", "ShopperRegistered")
    ]


def _dispatcher(db: Database, clock: FixedClock, mailer: OutboxFolderMailer) -> OutboxDispatcher:
    handlers = [
        EventHandler(f"test.welcome.{name}", name, welcome_handler(mailer))
        for name in (WelcomeProbeRegistered.name, AddressLessRegistered.name)
    ]
    return OutboxDispatcher(db, handler_registry(handlers), clock)


async def test_a_registered_shopper_gets_one_welcome_mail(
    db: Database, clock: FixedClock, tmp_path: Path
) -> None:
    mailer = OutboxFolderMailer(tmp_path)
    dispatcher = _dispatcher(db, clock, mailer)
    async with db.transaction() as session:
        row = record_event(
            session,
            WelcomeProbeRegistered(user_id=42, email="li@example.com", language="zh-CN"),
            now=clock.now(),
        )
        await session.flush()
        event_id = row.id
    assert await dispatcher.dispatch_pending() == 1
    # Redelivered (the dispatch mark lost): the delivery record stops a second send.
    async with db.transaction() as session:
        await session.execute(
            update(OutboxEvent).where(OutboxEvent.id == event_id).values(dispatched_at=None)
        )
    assert await dispatcher.dispatch_pending() == 1
    assert [p.name for p in tmp_path.iterdir()] == ["welcome-user-42.eml"]
    mail = message_from_bytes(
        (tmp_path / "welcome-user-42.eml").read_bytes(), policy=default_policy
    )
    assert mail["To"] == "li@example.com"
    assert mail["Subject"] == "欢迎来到 Galerie"


async def test_an_event_without_an_address_fails_clearly(
    db: Database, clock: FixedClock, tmp_path: Path
) -> None:
    dispatcher = _dispatcher(db, clock, OutboxFolderMailer(tmp_path))
    async with db.transaction() as session:
        row = record_event(
            session, AddressLessRegistered(user_id=1, language="fr"), now=clock.now()
        )
        await session.flush()
        event_id = row.id
    assert await dispatcher.dispatch_pending() == 1
    async with db.reading() as session:
        stored = await session.get(OutboxEvent, event_id, populate_existing=True)
        assert stored is not None
        assert stored.dispatched_at is None
        assert stored.last_error == (
            "TypeError: the welcome mail needs a string 'email' on the event; "
            "AddressLessRegistered has None"
        )
    assert list(tmp_path.iterdir()) == []


async def test_identity_s_shopper_registered_fits_the_welcome_handler(
    db: Database, tmp_path: Path
) -> None:
    """The real event, read by attribute: same name as WELCOME_EVENT, the fields we read."""
    events = pytest.importorskip("galerie.identity.events")
    event = events.ShopperRegistered(user_id=7, email="zoe@example.com", language="fr")
    assert event.name == WELCOME_EVENT
    mailer = OutboxFolderMailer(tmp_path)
    async with db.transaction() as session:
        await welcome_handler(mailer)(event, session)
    mail = message_from_bytes((tmp_path / "welcome-user-7.eml").read_bytes(), policy=default_policy)
    assert (mail["To"], mail["Subject"]) == ("zoe@example.com", "Bienvenue sur Galerie")
