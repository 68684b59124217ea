"""Mail to sellers about their applications and shops: one mail per owner and manager, in
each one's language, with the reason; delivered through the real outbox dispatcher and never
duplicated when an event is delivered again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from email import message_from_bytes
from email.message import EmailMessage as MimeMessage
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, update

from galerie.db import Database
from galerie.db.outbox import OutboxDelivery, OutboxEvent, record_event
from galerie.deposits import DepositTopUpRequested
from galerie.identity import SellerRole, set_preferred_language
from galerie.identity.models import User
from galerie.kernel import DomainEvent, FixedClock
from galerie.notifications import (
    SELLER_MAIL_EVENTS,
    SELLER_TEXTS,
    OutboxFolderMailer,
    Recipient,
    seller_mail_handler,
    seller_mail_key,
    seller_message,
)
from galerie.sellers import (
    ApplicationApproved,
    ApplicationChangesRequested,
    ApplicationChecksPassed,
    ApplicationRejected,
    ApplicationSubmitted,
    DocumentExpired,
    DocumentExpiring,
    ShopClosed,
    ShopDepositPaid,
    ShopPublished,
    ShopReinstated,
    ShopRestricted,
    ShopRestrictionLifted,
    ShopSuspended,
)
from galerie.workers import OutboxDispatcher, build_handlers
from tests.factories import BASE_URL, SECRET, make_user


@dataclass(frozen=True)
class Team:
    organisation_id: int
    owner: int  # fr
    manager: int  # zh-CN
    second_manager: int  # en


async def _member(
    db: Database, now: FixedClock, role: SellerRole, organisation_id: int | None, language: str
) -> tuple[int, int]:
    made = await make_user(
        db, now=now.now(), seller_role=role, organisation_id=organisation_id,
        display_name=f"{role.value.title()} {language}",
    )  # fmt: skip
    await set_preferred_language(db, user_id=made.user_id, language=language, now=now.now())
    assert made.organisation_id is not None
    return made.user_id, made.organisation_id


async def _team(db: Database, clock: FixedClock) -> Team:
    owner, org = await _member(db, clock, SellerRole.OWNER, None, "fr")
    manager, _ = await _member(db, clock, SellerRole.MANAGER, org, "zh-CN")
    second, _ = await _member(db, clock, SellerRole.MANAGER, org, "en")
    await _member(db, clock, SellerRole.STAFF, org, "en")  # staff: not mailed
    await _member(db, clock, SellerRole.AGENCY, org, "fr")  # agency: not mailed
    retired, _ = await _member(db, clock, SellerRole.MANAGER, org, "en")
    async with db.transaction() as session:  # an inactive manager is not mailed
        await session.execute(update(User).where(User.id == retired).values(is_active=False))
    await _member(db, clock, SellerRole.OWNER, None, "en")  # another organisation's owner
    return Team(org, owner, manager, second)


def _events(org: int) -> dict[str, DomainEvent]:
    application: dict[str, Any] = {"application_id": 31, "organisation_id": org, "actor_user_id": 5}
    shop: dict[str, Any] = {"shop_id": 17, "organisation_id": org, "actor_user_id": 6}
    events: list[DomainEvent] = [
        ApplicationSubmitted(**application, from_status="draft", to_status="submitted"),
        ApplicationChecksPassed(
            application_id=31, organisation_id=org, from_status="submitted",
            to_status="under_review",
        ),
        ApplicationChangesRequested(
            **application, from_status="under_review", to_status="changes_requested",
            reason="The business licence scan is unreadable.",
        ),
        ApplicationApproved(
            **application, from_status="under_review", to_status="approved",
            reason="All documents verified.", shop_id=17,
        ),
        ApplicationRejected(
            **application, from_status="under_review", to_status="rejected",
            reason="The trademark belongs to another company.",
        ),
        ShopPublished(**shop, from_status="preparing", to_status="live"),
        ShopSuspended(
            **shop, from_status="live", to_status="suspended", reason="Counterfeit reports."
        ),
        ShopReinstated(
            **shop, from_status="suspended", to_status="live", reason="Invoices checked."
        ),
        ShopClosed(**shop, from_status="live", to_status="closed", reason="Closed on request."),
        ShopDepositPaid(shop_id=17, organisation_id=org, actor_user_id=7),
        DocumentExpiring(
            shop_id=17, organisation_id=org, document_id=5, kind="business_licence",
            valid_until="2026-12-01",
        ),
        DocumentExpired(
            shop_id=17, organisation_id=org, document_id=5, kind="business_licence",
            valid_until="2026-11-01",
        ),
        DepositTopUpRequested(
            shop_id=17, organisation_id=org, shortfall_minor=30_000, currency="CNY",
            deadline=datetime(2026, 12, 15, tzinfo=UTC),
        ),
        ShopRestricted(
            shop_id=17, organisation_id=org, from_status="live", to_status="restricted",
            reason="The deposit stayed below the requirement past the top-up deadline.",
        ),
        ShopRestrictionLifted(
            shop_id=17, organisation_id=org, from_status="restricted", to_status="live",
            reason="The deposit was topped up to the requirement.",
        ),
    ]  # fmt: skip
    return {event.name: event for event in events}


# event -> (en, fr, zh-CN) subjects, as the recipients read them
SUBJECTS = {
    "ApplicationSubmitted": (
        "Application no. 31 received", "Demande n° 31 reçue", "已收到第 31 号开店申请",
    ),
    "ApplicationChecksPassed": (
        "Application no. 31 is under review", "La demande n° 31 est en cours d'examen",
        "第 31 号申请已进入人工审核",
    ),
    "ApplicationChangesRequested": (
        "Application no. 31: changes requested", "Demande n° 31 : modifications demandées",
        "第 31 号申请需要修改",
    ),
    "ApplicationApproved": (
        "Application no. 31 approved", "Demande n° 31 approuvée", "第 31 号申请已获批准",
    ),
    "ApplicationRejected": (
        "Application no. 31 rejected", "Demande n° 31 refusée", "第 31 号申请未获批准",
    ),
    "ShopPublished": (
        "Shop no. 17 is open", "La boutique n° 17 est ouverte", "第 17 号店铺已开业",
    ),
    "ShopSuspended": (
        "Shop no. 17 is suspended", "La boutique n° 17 est suspendue", "第 17 号店铺已被暂停营业",
    ),
    "ShopReinstated": (
        "Shop no. 17 is reinstated", "La boutique n° 17 est réactivée", "第 17 号店铺已恢复营业",
    ),
    "ShopClosed": (
        "Shop no. 17 is closed", "La boutique n° 17 est fermée", "第 17 号店铺已关闭",
    ),
    "ShopDepositPaid": (
        "Deposit received for shop no. 17", "Dépôt de garantie reçu pour la boutique n° 17",
        "第 17 号店铺的保证金已到账",
    ),
    "DocumentExpiring": (
        "A document of shop no. 17 expires soon",
        "Un document de la boutique n° 17 expire bientôt", "第 17 号店铺的证件即将到期",
    ),
    "DocumentExpired": (
        "A document of shop no. 17 has expired",
        "Un document de la boutique n° 17 a expiré", "第 17 号店铺的证件已过期",
    ),
    "DepositTopUpRequested": (
        "Please top up the deposit of shop no. 17",
        "Veuillez compléter le dépôt de garantie de la boutique n° 17",
        "请补足第 17 号店铺的保证金",
    ),
    "ShopRestricted": (
        "Shop no. 17 is restricted", "La boutique n° 17 est restreinte", "第 17 号店铺已被限制",
    ),
    "ShopRestrictionLifted": (
        "Shop no. 17 is open again", "La boutique n° 17 est de nouveau ouverte",
        "第 17 号店铺已恢复",
    ),
}  # fmt: skip


def _read(path: Path) -> MimeMessage:
    mail = message_from_bytes(path.read_bytes(), policy=default_policy)
    assert isinstance(mail, MimeMessage)
    return mail


def _mailbox(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_every_sellers_decision_has_its_words_in_three_languages() -> None:
    assert sorted(SELLER_MAIL_EVENTS) == sorted(SUBJECTS)
    # "ApplicationApproved:extension": the words for an approved extension of a shop
    assert sorted(SELLER_TEXTS) == sorted([*SUBJECTS, "ApplicationApproved:extension"])
    for texts in SELLER_TEXTS.values():
        assert sorted(texts) == ["en", "fr", "zh-CN"]
        assert len({subject for subject, _ in texts.values()}) == 3


def test_an_approved_extension_says_the_shop_may_now_sell_there() -> None:
    event = ApplicationApproved(
        application_id=31,
        organisation_id=1,
        from_status="under_review",
        to_status="approved",
        shop_id=17,
        kind="extension",
    )
    recipient = Recipient(5, "owner@example.test", "Claire", "fr")
    mail = seller_message(event, recipient)
    assert mail.subject == "Demande n° 31 approuvée"
    assert "peut désormais vendre dans les catégories et les marques demandées" in mail.text
    opening = seller_message(
        ApplicationApproved(**{**event.payload(), "kind": "opening"}), recipient
    )
    assert "Votre boutique a été créée" in opening.text
    assert "désormais" not in opening.text


def test_build_handlers_registers_one_seller_mail_per_event(tmp_path: Path) -> None:
    handlers = build_handlers(
        mailer=OutboxFolderMailer(tmp_path), secret_key=SECRET, base_url=BASE_URL
    )
    for name in SUBJECTS:
        mail = [(h.name, h.event_name) for h in handlers[name] if h.name.startswith("notif")]
        assert mail == [(f"notifications.seller_mail.{name}", name)]


@pytest.mark.parametrize("event_name", sorted(SUBJECTS))
async def test_owners_and_managers_get_one_mail_each_in_their_language(
    db: Database, clock: FixedClock, tmp_path: Path, event_name: str
) -> None:
    team = await _team(db, clock)
    event = _events(team.organisation_id)[event_name]
    folder = tmp_path / "mail"
    dispatcher = OutboxDispatcher(
        db,
        build_handlers(mailer=OutboxFolderMailer(folder), secret_key=SECRET, base_url=BASE_URL),
        clock,
    )
    async with db.transaction() as session:
        row = record_event(session, event, now=clock.now())
        await session.flush()
        event_id = row.id
    assert await dispatcher.dispatch_pending() == 1

    keys = {
        user: seller_mail_key(event, user)
        for user in (team.owner, team.manager, team.second_manager)
    }
    first = _mailbox(folder)
    assert sorted(first) == sorted(f"{key}.eml" for key in keys.values())
    en, fr, zh = SUBJECTS[event_name]
    reason = getattr(event, "reason", None)
    for user, subject, greeting, label in (
        (team.owner, fr, "Bonjour Owner fr,", "Motif :"),
        (team.manager, zh, "Manager zh-CN，您好：", "原因："),
        (team.second_manager, en, "Hello Manager en,", "Reason:"),
    ):
        mail = _read(folder / f"{keys[user]}.eml")
        assert mail["Subject"] == subject
        body = mail.get_content()
        assert body.startswith(greeting + "\n\n")
        if reason is None:
            assert label not in body
        else:
            assert f"{label}\n{reason}\n" in body

    # Redelivered with its delivery records: the handler does not run again.
    async with db.transaction() as session:
        await session.execute(
            update(OutboxEvent).where(OutboxEvent.id == event_id).values(dispatched_at=None)
        )
    assert await dispatcher.dispatch_pending() == 1
    assert _mailbox(folder) == first
    # Redelivered without them (say, a crash after sending, before the commit): the same
    # mails are written again under the same keys, not new ones.
    async with db.transaction() as session:
        await session.execute(delete(OutboxDelivery).where(OutboxDelivery.event_id == event_id))
        await session.execute(
            update(OutboxEvent).where(OutboxEvent.id == event_id).values(dispatched_at=None)
        )
    assert await dispatcher.dispatch_pending() == 1
    assert _mailbox(folder) == first


async def test_two_different_decisions_are_two_mails(
    db: Database, clock: FixedClock, tmp_path: Path
) -> None:
    team = await _team(db, clock)
    folder = tmp_path / "mail"
    dispatcher = OutboxDispatcher(
        db,
        build_handlers(mailer=OutboxFolderMailer(folder), secret_key=SECRET, base_url=BASE_URL),
        clock,
    )
    suspended = ShopSuspended(
        shop_id=17, organisation_id=team.organisation_id, from_status="live",
        to_status="suspended", actor_user_id=6, reason="Counterfeit reports.",
    )  # fmt: skip
    again = ShopSuspended(
        shop_id=17, organisation_id=team.organisation_id, from_status="live",
        to_status="suspended", actor_user_id=6, reason="Late shipments.",
    )  # fmt: skip
    async with db.transaction() as session:
        record_event(session, suspended, now=clock.now())
        record_event(session, again, now=clock.now())
    assert await dispatcher.dispatch_pending() == 2
    assert len(_mailbox(folder)) == 6


class StrayPublished(DomainEvent, frozen=True):
    shop_id: int
    organisation_id: int


async def test_an_event_it_has_no_words_for_fails_and_sends_nothing(
    db: Database, tmp_path: Path
) -> None:
    folder = tmp_path / "mail"
    async with db.transaction() as session:
        with pytest.raises(LookupError, match="no seller mail for StrayPublished"):
            await seller_mail_handler(OutboxFolderMailer(folder))(
                StrayPublished(shop_id=1, organisation_id=1), session
            )
    assert not folder.exists()
