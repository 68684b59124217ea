"""Query budgets of the order pages, on both databases: the seller centre's order list, an
order's page (with its shipping form), the bulk shipping page and the packing slip, the
console's order search and order page, and the buyer's orders, checkout and order page each
issue a pinned number of SQL statements, the same for one order of one line and one parcel
as for several orders of several lines and parcels (signing in included)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from litestar import Litestar
from sqlalchemy import select

from galerie.db import Database
from galerie.fulfilment import FAKE_CARRIER, ship_parcel
from galerie.identity import OperatorRole
from galerie.identity.models import User
from galerie.kernel import FixedClock
from galerie.orders.models import Order
from tests.factories import make_user
from tests.integration.fulfilment.factories import PaidOrder, paid_order
from tests.integration.orders.factories import Market, make_market
from tests.web.sessions import sign_in_as
from tests.web.statement_counter import counting_statements

COLOURS: tuple[dict[str, str], ...] = (
    {"Colour": "red", "Size": "42"},
    {"Colour": "blue", "Size": "40"},
    {},
)
# Statements per page, whatever the number of orders, lines and parcels (the signed-in
# principal is one of them).
BUDGETS = {
    "seller orders": 5,
    "seller order": 10,
    "bulk ship": 3,
    "packing slip": 10,
    "console search": 2,
    "console order": 7,
    "buyer orders": 5,
    "buyer checkout": 4,
    "buyer order": 7,
}


@dataclass(frozen=True, slots=True)
class Shop:
    market: Market
    orders: list[PaidOrder]
    support_id: int
    buyer_email: str


async def _shop(db: Database, clock: FixedClock, tmp: Path, *, orders: int, lines: int) -> Shop:
    market = await make_market(db, clock.now(), tmp, shops=1)
    placed = []
    for _ in range(orders):
        order = await paid_order(
            db, market, clock.now(), units=(2,) * lines, options=COLOURS[:lines]
        )
        for line_id in order.line_ids:  # a parcel per line, each half of its units
            await ship_parcel(
                db, order_id=order.order_id, actor=order.seller, carrier=FAKE_CARRIER,
                tracking_number=None, lines=[(line_id, 1)], now=clock.now(),
            )  # fmt: skip
        placed.append(order)
    clock.advance(timedelta(days=1))  # the parcels have tracking news
    support = await make_user(db, now=clock.now(), operator_roles=(OperatorRole.SUPPORT,))
    async with db.reading() as session:
        email = await session.scalar(select(User.email).where(User.id == market.buyer_id))
    assert email is not None
    return Shop(market, placed, support.user_id, email)


async def _group_of(db: Database, order_id: int) -> int:
    async with db.reading() as session:
        group = await session.scalar(select(Order.payment_group_id).where(Order.id == order_id))
    assert group is not None
    return group


async def _count(client: httpx.AsyncClient, db: Database, path: str, *, shows: str) -> int:
    async with counting_statements(db) as statements:
        page = await client.get(path)
    assert page.status_code == 200, (path, page.text[:500])
    assert shows in page.text, path
    return statements.count


async def _measure(
    app: Litestar, client: httpx.AsyncClient, db: Database, shop: Shop
) -> dict[str, int]:
    last = shop.orders[-1]
    seller = f"/seller/shops/{last.shop_id}/orders"
    group = await _group_of(db, last.order_id)
    found = {}
    await sign_in_as(client, app, shop.market.owner_user_id)
    found["seller orders"] = await _count(client, db, seller, shows=last.number)
    found["seller order"] = await _count(
        client, db, f"{seller}/{last.order_id}", shows='id="ship-form"'
    )
    found["bulk ship"] = await _count(client, db, f"{seller}/bulk-ship", shows="order_number")
    found["packing slip"] = await _count(
        client, db, f"{seller}/{last.order_id}/packing-slip", shows=last.number
    )
    client.cookies.clear()
    await sign_in_as(client, app, shop.support_id)
    found["console search"] = await _count(
        client, db, f"/console/orders?email={shop.buyer_email}", shows=last.number
    )
    found["console order"] = await _count(
        client, db, f"/console/orders/{last.order_id}", shows=last.number
    )
    client.cookies.clear()
    await sign_in_as(client, app, shop.market.buyer_id)
    found["buyer orders"] = await _count(client, db, "/account/orders", shows=last.number)
    found["buyer checkout"] = await _count(
        client, db, f"/account/orders/groups/{group}", shows=last.number
    )
    found["buyer order"] = await _count(
        client, db, f"/account/orders/{last.order_id}", shows=last.number
    )
    return found


@pytest.mark.parametrize(("orders", "lines"), [(1, 1), (3, 3)])
async def test_the_order_pages_keep_to_their_budgets(
    app: Litestar, client: httpx.AsyncClient, db: Database, clock: FixedClock, tmp_path: Path,
    orders: int, lines: int,
) -> None:  # fmt: skip
    shop = await _shop(db, clock, tmp_path, orders=orders, lines=lines)
    assert await _measure(app, client, db, shop) == BUDGETS
