"""Order search for support staff: by order number, the buyer's e-mail address or the
shop (its number or a part of its name), newest first, at most LIMIT rows. Read-only; the
web layer lets only operators with the support permission call it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final

from sqlalchemy import select

from galerie.db import Database
from galerie.identity.models import User
from galerie.kernel import Money
from galerie.orders.models import Order
from galerie.sellers.models import Shop

LIMIT: Final = 50


@dataclass(frozen=True, slots=True)
class SupportRow:
    order_id: int
    number: str
    status: str
    shop_id: int
    shop_name: str
    buyer_email: str
    total: Money
    created_at: datetime


@dataclass(frozen=True, slots=True)
class SupportQuery:
    number: str = ""
    email: str = ""
    shop: str = ""

    @property
    def empty(self) -> bool:
        return not (self.number or self.email or self.shop)


async def search_orders(db: Database, *, query: SupportQuery) -> list[SupportRow]:
    """Orders matching every given criterion (none given: no rows)."""
    if query.empty:
        return []
    statement = (
        select(Order, Shop.name, User.email)
        .join(Shop, Shop.id == Order.shop_id)
        .join(User, User.id == Order.buyer_id)
    )
    if query.number:
        statement = statement.where(Order.number == query.number.strip()[:24])
    if query.email:
        statement = statement.where(User.email == query.email.strip().lower()[:254])
    if query.shop:
        shop = query.shop.strip()[:120]
        like = "%" + shop.replace("%", "").replace("_", "") + "%"
        statement = statement.where(
            Shop.id == int(shop) if shop.isdigit() else Shop.name.ilike(like)
        )
    async with db.reading() as session:
        rows = (
            await session.execute(
                statement.order_by(Order.created_at.desc(), Order.id.desc()).limit(LIMIT)
            )
        ).all()
    return [
        SupportRow(
            o.id,
            o.number,
            o.status,
            o.shop_id,
            shop_name,
            email,
            Money(o.total_minor, o.currency),
            o.created_at,
        )
        for o, shop_name, email in rows
    ]
