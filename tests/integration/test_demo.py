"""The demo data: written through the services, deterministic, idempotent. The demo is
seeded once per backend for the run (tests/integration/demo_support.py); each test reads it
in a transaction that is rolled back."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from litestar.stores.memory import MemoryStore
from sqlalchemy import func, select

from galerie.audit import AuditRecord
from galerie.catalog.models import Category
from galerie.db import Database
from galerie.db.outbox import OutboxEvent
from galerie.demo import DEMO_PASSWORD, demo_accounts, seed_demo
from galerie.identity import LoginThrottle, Principal, authenticate, find_user_by_email
from galerie.identity import load_principal as load
from galerie.identity.models import OperatorRoleGrant, SellerMembership, User
from galerie.kernel import FixedClock
from galerie.sellers import QueueFilter, review_queue, shop_by_slug, shop_directory
from galerie.sellers.models import (
    ApplicationDocument,
    ApplicationHistory,
    Brand,
    BrandAuthorisation,
    SellerApplication,
    Shop,
    ShopHistory,
    Trademark,
)
from galerie.storage import sniff_content_type
from tests.integration.demo_support import SeededDemo

COUNTED = (
    User, OperatorRoleGrant, SellerMembership, Category, Brand, Trademark, BrandAuthorisation,
    SellerApplication, ApplicationDocument, ApplicationHistory, Shop, ShopHistory, AuditRecord,
    OutboxEvent,
)  # fmt: skip


async def _counts(db: Database) -> dict[str, int]:
    counts = {}
    async with db.reading() as session:
        for model in COUNTED:
            total = await session.scalar(select(func.count()).select_from(model))
            counts[model.__tablename__] = total or 0
    return counts


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


async def _principal(db: Database, email: str) -> Principal:
    async with db.reading() as session:
        user = await find_user_by_email(session, email)
        assert user is not None
        principal = await load(session, user.id)
    assert principal is not None
    return principal


async def test_the_demo_seeds_once_and_every_account_signs_in(
    base_db: Database, demo_base: SeededDemo, clock: FixedClock
) -> None:
    db, storage = base_db, demo_base.storage
    assert demo_base.first_seed is True
    first, files = await _counts(db), _files(demo_base.files)
    accounts = demo_accounts()
    assert first["users"] == len(accounts) == 23
    assert first["operator_role_grants"] == 5  # one operator per role
    assert first["seller_memberships"] == 16  # 15 members, the agency in two organisations
    assert first["categories"] == 5595  # the whole category tree
    assert (first["brands"], first["trademarks"], first["brand_authorisations"]) == (9, 10, 8)
    assert (first["seller_applications"], first["shops"]) == (20, 12)  # 19 + an extension
    assert len(files) == first["application_documents"] > 0
    assert await seed_demo(db, clock, storage=storage) is False
    assert await _counts(db) == first
    assert _files(demo_base.files) == files
    throttle = LoginThrottle(MemoryStore())
    for account in accounts:
        signed = await authenticate(
            db, email=account.email, password=DEMO_PASSWORD, ip_address="127.0.0.1",
            throttle=throttle, require_totp_setting=False, now=clock.now(),
        )  # fmt: skip
        assert signed.user_id > 0


async def test_the_demo_has_shops_and_a_queue_in_every_state(
    base_db: Database, demo_base: SeededDemo, clock: FixedClock
) -> None:
    db, storage = base_db, demo_base.storage
    async with db.reading() as session:
        shops = (await session.execute(select(Shop.status, Shop.shop_type))).all()
        applications = list(await session.scalars(select(SellerApplication.status)))
        documents = list(await session.scalars(select(ApplicationDocument)))
        marks = set(await session.scalars(select(Trademark.kind)))
        licences = list(await session.scalars(select(BrandAuthorisation)))
    assert Counter(status for status, _ in shops) == {
        "live": 8, "preparing": 1, "suspended": 2, "closed": 1,
    }  # fmt: skip
    assert Counter(shop_type for _, shop_type in shops) == {
        "flagship": 4, "authorised": 2, "multi_brand": 2, "individual": 4,
    }  # fmt: skip
    assert Counter(applications) == {
        "approved": 12, "draft": 1, "under_review": 4, "changes_requested": 2, "rejected": 1,
    }  # fmt: skip
    assert marks == {"R", "TM"}
    assert sum(1 for a in licences if a.exclusive) == 1
    assert sum(1 for a in licences if a.parent_authorisation_id is not None) == 1
    for doc in documents:  # every document is a real file of its declared type
        data = await storage.get(doc.storage_key)
        assert (sniff_content_type(data), len(data)) == (doc.content_type, doc.size)

    vetting = await _principal(db, "vetting@galerie.test")
    async with db.reading() as session:
        queue = await review_queue(session, actor=vetting, now=clock.now())
        overdue = await review_queue(
            session, actor=vetting, now=clock.now(), wanted=QueueFilter(overdue_only=True)
        )
        mine = await review_queue(
            session, actor=vetting, now=clock.now(), wanted=QueueFilter(reviewer_id=vetting.user_id)
        )
    assert queue.total == 6  # under review and changes requested, Xiaomei's extension included
    assert [a.kind for a in queue.items].count("extension") == 1
    assert [(a.legal_name, a.overdue) for a in overdue.items] == [
        ("深圳明星电子有限公司 Shenzhen Bright Star Electronics Co., Ltd.", True),
        ("Olive & Thyme Ltd", True),
    ]
    assert sorted(a.legal_name for a in mine.items) == [
        "Lindqvist Kitchenware AB",
        "深圳明星电子有限公司 Shenzhen Bright Star Electronics Co., Ltd.",
    ]


async def test_the_foreign_flagship_is_ready_but_not_public(base_db: Database) -> None:
    db = base_db
    owner = await _principal(db, "owner@nordhavn.test")
    async with db.reading() as session:
        directory = await shop_directory(session)
        hidden = await shop_by_slug(session, slug="nordhavn", viewer=None)
        own = await shop_by_slug(session, slug="nordhavn", viewer=owner)
    assert directory.total == 8
    assert "nordhavn" not in {shop.slug for shop in directory.items}
    assert hidden is None
    assert own is not None
    assert (own.status, own.shop_type, own.deposit_paid, own.name) == (
        "preparing", "flagship", True, "Nordhavn",
    )  # fmt: skip
    assert own.deposit_required_minor == 5_000_000  # flagship with a registered mark
