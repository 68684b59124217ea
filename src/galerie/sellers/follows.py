"""Shoppers following shops: follow, unfollow, and the reads the storefront needs.

Following is a shopper's own action on a live shop: no permission beyond being signed in,
no audit record. One row per (user, shop), unique by the primary key: a second follow is
an INSERT ... ON CONFLICT DO NOTHING that inserts nothing, never a check-then-insert. A
shop that is not live (preparing, suspended, closed) or does not exist cannot be followed:
NotFound, the same answer for both, so the storefront reveals nothing."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.db import Database
from galerie.kernel import NotFound
from galerie.sellers.models import Shop, ShopFollow
from galerie.sellers.queries import ShopView, _shop_view
from galerie.sellers.states import ShopStatus


def _insert_follow(dialect: str, values: dict[str, Any]) -> Any:
    """INSERT ... ON CONFLICT DO NOTHING RETURNING: a row comes back only if it was new."""
    table = postgresql.insert(ShopFollow) if dialect == "postgresql" else sqlite.insert(ShopFollow)
    return table.values(values).on_conflict_do_nothing().returning(ShopFollow.shop_id)


async def follow_shop(db: Database, *, user_id: int, shop_id: int, now: datetime) -> bool:
    """Follow a live shop. True if the user now follows it, False if they already did."""
    async with db.transaction() as session:
        status = await session.scalar(  # FOR SHARE: not suspended while we insert
            select(Shop.status).where(Shop.id == shop_id).with_for_update(read=True)
        )
        if status != ShopStatus.LIVE:
            raise NotFound("No such shop.", code="shop_not_found")
        inserted = await session.execute(
            _insert_follow(db.dialect, {"user_id": user_id, "shop_id": shop_id, "created_at": now})
        )
        return inserted.first() is not None


async def unfollow_shop(db: Database, *, user_id: int, shop_id: int, now: datetime) -> bool:
    """Stop following a shop (whatever its status). True if a follow was removed."""
    del now  # a follow is simply gone; kept for the use-case signature
    async with db.transaction() as session:
        removed = await session.execute(
            delete(ShopFollow).where(ShopFollow.user_id == user_id, ShopFollow.shop_id == shop_id)
        )
        return bool(getattr(removed, "rowcount", 0))


async def follower_count(session: AsyncSession, shop_id: int) -> int:
    count = await session.scalar(
        select(func.count()).select_from(ShopFollow).where(ShopFollow.shop_id == shop_id)
    )
    return int(count or 0)


async def is_following(session: AsyncSession, *, user_id: int, shop_id: int) -> bool:
    found = await session.scalar(
        select(ShopFollow.shop_id).where(
            ShopFollow.user_id == user_id, ShopFollow.shop_id == shop_id
        )
    )
    return found is not None


async def followed_shops(session: AsyncSession, *, user_id: int) -> list[ShopView]:
    """The live shops the user follows, most recently followed first (one query)."""
    rows = await session.scalars(
        select(Shop)
        .join(ShopFollow, ShopFollow.shop_id == Shop.id)
        .where(ShopFollow.user_id == user_id, Shop.status == ShopStatus.LIVE.value)
        .order_by(ShopFollow.created_at.desc(), Shop.id.desc())
    )
    return [_shop_view(shop) for shop in rows]
