"""The operator console's reads: all shops in any state, one shop with its history, the
queue's unassigned filter, reviewers and names; operators only."""

from __future__ import annotations

from datetime import timedelta

import pytest

from galerie.audit import AuditContext
from galerie.db import Database
from galerie.kernel import FixedClock, Forbidden, NotFound
from galerie.sellers import QueueFilter, ShopAction, ShopStatus, assign_reviewer, change_shop_status
from galerie.sellers.console_queries import (
    application_shop_id,
    brand_names,
    console_review_queue,
    operator_shop,
    operator_shops,
    people_names,
    vetting_reviewers,
)
from galerie.sellers.models import Shop
from tests.integration.sellers.factories import People, insert_application, insert_shop


async def test_operator_shops_lists_every_status_with_filters(
    db: Database, clock: FixedClock, people: People
) -> None:
    now = clock.now()
    ids = {
        status: await insert_shop(
            db, now, organisation_id=people.org, status=status, deposit_paid=status != "live"
        )
        for status in ("preparing", "live", "suspended", "closed")
    }
    async with db.reading() as session:
        every = await operator_shops(session, actor=people["moderation"])
        live = await operator_shops(session, actor=people["finance"], status=ShopStatus.LIVE)
        unpaid = await operator_shops(session, actor=people["finance"], deposit_paid=False)
    assert [s.id for s in every.items] == sorted(ids.values())
    assert every.total == 4
    assert [s.id for s in live.items] == [ids["live"]]
    assert [(s.id, s.deposit_paid) for s in unpaid.items] == [(ids["live"], False)]


@pytest.mark.parametrize("role", ["vetting", "support", "owner", "shopper"])
async def test_shops_are_for_moderation_and_finance_only(
    db: Database, clock: FixedClock, people: People, role: str
) -> None:
    shop_id = await insert_shop(db, clock.now(), organisation_id=people.org)
    async with db.reading() as session:
        with pytest.raises(Forbidden):
            await operator_shops(session, actor=people[role])
        with pytest.raises(Forbidden):
            await operator_shop(session, actor=people[role], shop_id=shop_id)


async def test_operator_shop_has_categories_and_history(
    db: Database, clock: FixedClock, people: People, audit: AuditContext
) -> None:
    now = clock.now()
    shop_id = await insert_shop(db, now, organisation_id=people.org, status="live")
    await change_shop_status(
        db,
        actor=people["moderation"],
        shop_id=shop_id,
        action=ShopAction.SUSPEND,
        reason="Fake goods",
        now=now + timedelta(hours=1),
        audit=audit,
    )
    async with db.reading() as session:
        found = await operator_shop(session, actor=people["moderation"], shop_id=shop_id)
        with pytest.raises(NotFound):
            await operator_shop(session, actor=people["moderation"], shop_id=shop_id + 999)
        shop = await session.get(Shop, shop_id)
    assert shop is not None
    assert found.shop.status == "suspended"
    assert found.application_id == shop.application_id
    assert found.legal_name == "Zhang Wei"
    assert [(c.category_id, c.annual_fee_minor, c.currency) for c in found.categories] == [
        (536, 3_000_000, "CNY")
    ]
    assert [
        (h.from_status, h.to_status, h.action, h.actor_user_id, h.reason) for h in found.history
    ] == [("live", "suspended", "suspend", people["moderation"].user_id, "Fake goods")]


async def test_the_queue_can_show_the_unassigned_only(
    db: Database, clock: FixedClock, people: People, audit: AuditContext
) -> None:
    now = clock.now()
    first = await insert_application(
        db, now - timedelta(days=2), organisation_id=people.org, status="under_review"
    )
    second = await insert_application(
        db, now - timedelta(days=1), organisation_id=people.org, status="under_review"
    )
    await insert_application(db, now, organisation_id=people.org, status="draft")
    vetting = people["vetting"]
    await assign_reviewer(
        db,
        actor=vetting,
        application_id=first,
        reviewer_user_id=vetting.user_id,
        now=now,
        audit=audit,
    )
    async with db.reading() as session:
        nobody = await console_review_queue(
            session, actor=vetting, now=now, wanted=QueueFilter(), unassigned=True
        )
        anyone = await console_review_queue(session, actor=vetting, now=now, wanted=QueueFilter())
        with pytest.raises(Forbidden):
            await console_review_queue(
                session, actor=people["moderation"], now=now, wanted=QueueFilter(), unassigned=True
            )
    assert ([a.id for a in nobody.items], nobody.total) == ([second], 1)
    assert ([a.id for a in anyone.items], anyone.total) == ([first, second], 2)


async def test_reviewers_names_shops_of_applications_and_brands(
    db: Database, clock: FixedClock, people: People
) -> None:
    shop_id = await insert_shop(db, clock.now(), organisation_id=people.org)
    vetting = people["vetting"]
    async with db.reading() as session:
        reviewers = await vetting_reviewers(session, actor=vetting)
        shop = await session.get(Shop, shop_id)
        assert shop is not None
        opened = await application_shop_id(
            session, actor=vetting, application_id=shop.application_id
        )
        none = await application_shop_id(session, actor=vetting, application_id=10**9)
        names = await people_names(session, actor=vetting, user_ids=[people["owner"].user_id, None])
        with pytest.raises(Forbidden):
            await people_names(session, actor=people["owner"], user_ids=[vetting.user_id])
        with pytest.raises(Forbidden):
            await vetting_reviewers(session, actor=people["finance"])
        assert await brand_names(session, []) == {}
    assert {r.user_id for r in reviewers} == {vetting.user_id, people["admin"].user_id}
    assert (opened, none) == (shop_id, None)
    assert names == {people["owner"].user_id: people["owner"].display_name}
