"""Following shops: one row per (user, shop) by constraint, live shops only, and the reads."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from galerie.audit import AuditContext
from galerie.db import Database
from galerie.kernel import FixedClock, NotFound
from galerie.sellers import (
    ShopAction,
    change_shop_status,
    follow_shop,
    followed_shops,
    follower_count,
    is_following,
    unfollow_shop,
)
from galerie.sellers.models import ShopFollow
from tests.integration.sellers.factories import People, counts, insert_shop


async def follows(db: Database) -> list[tuple[int, int]]:
    async with db.reading() as session:
        rows = await session.execute(
            select(ShopFollow.user_id, ShopFollow.shop_id).order_by(
                ShopFollow.user_id, ShopFollow.shop_id
            )
        )
    return [(u, s) for u, s in rows.tuples()]


async def test_following_twice_keeps_one_row(
    db: Database, clock: FixedClock, people: People
) -> None:
    shop = await insert_shop(db, clock.now(), organisation_id=people.org, status="live")
    user = people["shopper"].user_id
    assert await follow_shop(db, user_id=user, shop_id=shop, now=clock.now()) is True
    assert await follow_shop(db, user_id=user, shop_id=shop, now=clock.now()) is False
    assert await follows(db) == [(user, shop)]
    async with db.reading() as session:
        assert await follower_count(session, shop) == 1
        assert await is_following(session, user_id=user, shop_id=shop) is True


async def test_unfollowing_removes_the_row_once(
    db: Database, clock: FixedClock, people: People
) -> None:
    shop = await insert_shop(db, clock.now(), organisation_id=people.org, status="live")
    user, other = people["shopper"].user_id, people["rival"].user_id
    await follow_shop(db, user_id=user, shop_id=shop, now=clock.now())
    await follow_shop(db, user_id=other, shop_id=shop, now=clock.now())
    assert await unfollow_shop(db, user_id=user, shop_id=shop, now=clock.now()) is True
    assert await unfollow_shop(db, user_id=user, shop_id=shop, now=clock.now()) is False
    assert await follows(db) == [(other, shop)]
    async with db.reading() as session:
        assert await follower_count(session, shop) == 1
        assert await is_following(session, user_id=user, shop_id=shop) is False


@pytest.mark.parametrize("status", ["preparing", "suspended", "closed"])
async def test_a_shop_that_is_not_live_cannot_be_followed(
    db: Database, clock: FixedClock, people: People, status: str
) -> None:
    shop = await insert_shop(db, clock.now(), organisation_id=people.org, status=status)
    before = await counts(db)
    with pytest.raises(NotFound) as refused:
        await follow_shop(db, user_id=people["owner"].user_id, shop_id=shop, now=clock.now())
    assert refused.value.code == "shop_not_found"
    assert await follows(db) == []
    assert await counts(db) == before


async def test_an_unknown_shop_gets_the_same_answer(
    db: Database, clock: FixedClock, people: People
) -> None:
    with pytest.raises(NotFound) as refused:
        await follow_shop(db, user_id=people["shopper"].user_id, shop_id=999_999, now=clock.now())
    assert refused.value.code == "shop_not_found"
    assert await follows(db) == []


async def test_followed_shops_lists_live_ones_most_recent_first(
    db: Database, clock: FixedClock, people: People, audit: AuditContext
) -> None:
    now = clock.now()
    user = people["shopper"].user_id
    first = await insert_shop(db, now, organisation_id=people.org, status="live")
    second = await insert_shop(db, now, organisation_id=people.rival_org, status="live")
    later = await insert_shop(db, now, organisation_id=people.org, status="live")
    await follow_shop(db, user_id=user, shop_id=first, now=now)
    await follow_shop(db, user_id=user, shop_id=second, now=now + timedelta(minutes=1))
    await follow_shop(db, user_id=user, shop_id=later, now=now + timedelta(minutes=2))
    await change_shop_status(  # `later` is suspended after being followed
        db,
        actor=people["moderation"],
        shop_id=later,
        action=ShopAction.SUSPEND,
        reason="Counterfeit reports",
        now=now,
        audit=audit,
    )
    async with db.reading() as session:
        listed = await followed_shops(session, user_id=user)
        total = await session.scalar(select(func.count()).select_from(ShopFollow))
    assert [s.id for s in listed] == [second, first]
    assert all(s.status == "live" for s in listed)
    assert total == 3  # the follow of the suspended shop is kept, just not shown
    async with db.reading() as session:
        assert await followed_shops(session, user_id=people["rival"].user_id) == []
