"""The demo data: written through the services, deterministic, idempotent."""

from __future__ import annotations

from litestar.stores.memory import MemoryStore
from sqlalchemy import func, select

from galerie.catalog.models import Category
from galerie.db import Database
from galerie.demo import DEMO_PASSWORD, demo_accounts, seed_demo
from galerie.identity import LoginThrottle, authenticate
from galerie.identity.models import OperatorRoleGrant, SellerMembership, User
from galerie.kernel import FixedClock


async def _counts(db: Database) -> tuple[int, ...]:
    counts = []
    async with db.reading() as session:
        for model in (User, OperatorRoleGrant, SellerMembership, Category):
            counts.append(await session.scalar(select(func.count()).select_from(model)) or 0)
    return tuple(counts)


async def test_the_demo_seeds_once_and_every_account_signs_in(
    db: Database, clock: FixedClock
) -> None:
    assert await seed_demo(db, clock) is True
    first = await _counts(db)
    accounts = demo_accounts()
    assert first[0] >= len(accounts)
    assert first[1] == 5  # one operator per role
    assert first[2] == 7  # 6 members, the agency operator in two organisations
    assert first[3] == 5595  # the whole category tree
    assert await seed_demo(db, clock) is False
    assert await _counts(db) == first
    throttle = LoginThrottle(MemoryStore())
    for account in accounts:
        signed = await authenticate(
            db, email=account.email, password=DEMO_PASSWORD, ip_address="127.0.0.1",
            throttle=throttle, require_totp_setting=False, now=clock.now(),
        )  # fmt: skip
        assert signed.user_id > 0
