"""The console's finance view, on SQLite and PostgreSQL: a finance operator sees the exact
figures of a market where one order was paid and released (commission 4.60 of 75.01) and
another is paid and held in escrow, per day and per shop, with a date range, charts and the
same numbers in tables, in French too; bad dates get a clear 400; a support operator and a
seller are refused; the page keeps to its pinned number of statements."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from litestar import Litestar
from sqlalchemy import update

from galerie.db import Database
from galerie.identity import OperatorRole
from galerie.identity.models import User
from galerie.kernel import FixedClock
from galerie.orders import place_order
from galerie.payments import release_escrow
from tests.factories import make_user
from tests.integration.orders.factories import (
    ADDRESS,
    Market,
    insert_live_sku,
    make_market,
    ship,
    stock,
)
from tests.integration.payments.test_paying_groups import _deliver, _pay
from tests.integration.payments.test_release import _order, _receive
from tests.web.sessions import sign_in_as
from tests.web.statement_counter import counting_statements

PAGE_BUDGET = 5  # statements, signing in included, whatever the number of shops and days


async def _held(db: Database, market: Market, clock: FixedClock) -> int:
    """A 30.00 item and 5.00 shipping from the second shop, paid and held: the order id."""
    shop = market.shops[1]
    sku = await insert_live_sku(db, clock.now(), shop_id=shop.shop_id, price_minor=3000)
    await stock(db, clock.now(), shop, sku, 5)
    async with db.transaction() as session:
        group = await place_order(
            session, buyer_id=market.buyer_id, lines=[(sku, 1)], shipping=ship(shop.shop_id),
            address=ADDRESS, now=clock.now(),
        )  # fmt: skip
    await _deliver(db, clock, await _pay(db, market, clock, group.id))
    return group.orders[0].id


async def _market(db: Database, clock: FixedClock, tmp: Path) -> Market:
    """On 2026-11-11: order A (75.01, first shop) and order B (35.00, second shop) paid;
    on 2026-11-13 A is received and released (seller 70.41, commission 4.60)."""
    market = await make_market(db, clock.now(), tmp)
    group_a, order_a = await _order(db, market, clock)
    await _deliver(db, clock, await _pay(db, market, clock, group_a))
    await _held(db, market, clock)
    await _receive(db, market, clock, order_a)  # two days later
    async with db.transaction() as session:
        assert await release_escrow(session, order_id=order_a, now=clock.now()) == "released"
    return market


async def _finance_operator(db: Database, clock: FixedClock, app: Litestar,
                            client: httpx.AsyncClient) -> int:  # fmt: skip
    made = await make_user(db, now=clock.now(), operator_roles=(OperatorRole.FINANCE,))
    await sign_in_as(client, app, made.user_id)
    return made.user_id


def _row(page: str, marker: str) -> str:
    start = page.index(marker)
    return page[start : page.index("</tr>", start)]


async def test_a_finance_operator_sees_the_exact_figures(
    app: Litestar, client: httpx.AsyncClient, db: Database, clock: FixedClock, tmp_path: Path
) -> None:
    market = await _market(db, clock, tmp_path)
    await _finance_operator(db, clock, app, client)
    page = await client.get("/console/finance")
    assert page.status_code == 200
    text = page.text
    assert 'id="total-escrow">CN¥35.00<' in text
    assert 'id="total-owed">CN¥70.41<' in text
    assert 'id="total-deposits">CN¥0.00<' in text
    assert 'id="total-commission">CN¥4.60<' in text
    assert 'id="total-paid-out">CN¥0.00<' in text
    assert 'value="2026-10-15"' in text  # 30 days to today (2026-11-13)
    assert 'value="2026-11-13"' in text
    assert text.count('<tr><th scope="row">2026-') == 30
    assert _row(text, '<th scope="row">2026-11-11</th>') == (
        '<th scope="row">2026-11-11</th><td>CN¥110.01</td><td>CN¥0.00</td><td>CN¥0.00</td>'
        "<td>CN¥0.00</td><td>CN¥0.00</td>"
    )
    assert _row(text, '<th scope="row">2026-11-13</th>') == (
        '<th scope="row">2026-11-13</th><td>CN¥0.00</td><td>CN¥75.01</td><td>CN¥4.60</td>'
        "<td>CN¥0.00</td><td>CN¥0.00</td>"
    )
    first, second = (shop.shop_id for shop in market.shops[:2])
    assert _row(text, f'data-shop="{first}"').endswith(
        "<td>CN¥0.00</td><td>CN¥70.41</td><td>CN¥0.00</td><td>CN¥75.01</td><td>CN¥4.60</td>"
        "<td>CN¥0.00</td>"
    )
    assert _row(text, f'data-shop="{second}"').endswith(
        "<td>CN¥35.00</td><td>CN¥0.00</td><td>CN¥0.00</td><td>CN¥35.00</td><td>CN¥0.00</td>"
        "<td>CN¥0.00</td>"
    )
    for chart in ("chart-captured", "chart-commission", "chart-shops"):
        assert f'<svg class="chart" id="{chart}"' in text
    assert '<title id="chart-captured-title">Captured into escrow per day</title>' in text
    assert "<title>2026-11-11: CN¥110.01</title>" in text


async def test_the_range_filters_the_movements_not_the_balances(
    app: Litestar, client: httpx.AsyncClient, db: Database, clock: FixedClock, tmp_path: Path
) -> None:
    await _market(db, clock, tmp_path)
    await _finance_operator(db, clock, app, client)
    page = await client.get("/console/finance?start=2026-11-12&end=2026-11-13")
    assert page.status_code == 200
    assert page.text.count('<tr><th scope="row">2026-') == 2
    assert 'id="total-commission">CN¥4.60<' in page.text
    assert 'id="total-escrow">CN¥35.00<' in page.text  # a balance: now, whatever the range
    total = _row(page.text, "<tfoot>")
    assert "<td>CN¥0.00</td><td>CN¥75.01</td><td>CN¥4.60</td>" in total  # nothing captured
    earlier = await client.get("/console/finance?start=2026-11-01&end=2026-11-10")
    assert 'id="total-commission">CN¥0.00<' in earlier.text


@pytest.mark.parametrize(
    "query",
    [
        "start=2026-13-01",
        "start=yesterday",
        "start=2026-11-13&end=2026-11-01",
        "start=2024-01-01&end=2026-01-01",
        "end=2026-11-1",
    ],
)
async def test_bad_dates_get_a_clear_error(
    app: Litestar, client: httpx.AsyncClient, db: Database, clock: FixedClock, query: str
) -> None:
    await _finance_operator(db, clock, app, client)
    page = await client.get(f"/console/finance?{query}")
    assert page.status_code == 400
    assert 'role="alert"' in page.text
    assert ("Give the dates as YYYY-MM-DD." in page.text) or (
        "The range runs forward and covers at most 366 days." in page.text
    )
    assert 'id="finance-totals"' not in page.text


async def test_the_page_speaks_french(
    app: Litestar, client: httpx.AsyncClient, db: Database, clock: FixedClock
) -> None:
    user_id = await _finance_operator(db, clock, app, client)
    async with db.transaction() as session:
        await session.execute(
            update(User).where(User.id == user_id).values(preferred_language="fr")
        )
    page = await client.get("/console/finance")
    assert page.status_code == 200
    assert "Vue financière" in page.text
    assert "Fonds sous séquestre" in page.text
    assert 'id="total-escrow">0,00\xa0CNY<' in page.text


async def test_other_operators_and_sellers_are_refused(
    app: Litestar, client: httpx.AsyncClient, db: Database, clock: FixedClock, tmp_path: Path
) -> None:
    market = await make_market(db, clock.now(), tmp_path, shops=1)
    support = await make_user(db, now=clock.now(), operator_roles=(OperatorRole.SUPPORT,))
    for user_id in (support.user_id, market.owner_user_id, market.buyer_id):
        client.cookies.clear()
        await sign_in_as(client, app, user_id)
        assert (await client.get("/console/finance")).status_code == 403
    client.cookies.clear()
    anonymous = await client.get("/console/finance")
    assert anonymous.status_code in (302, 303)


async def test_the_page_keeps_to_its_budget(
    app: Litestar, client: httpx.AsyncClient, db: Database, clock: FixedClock, tmp_path: Path
) -> None:
    await _finance_operator(db, clock, app, client)
    counts = [await _count(client, db, "")]  # nothing moved yet
    await _market(db, clock, tmp_path)
    counts += [await _count(client, db, q) for q in ("", "?start=2026-01-01&end=2026-11-13")]
    assert counts == [PAGE_BUDGET] * 3


async def _count(client: httpx.AsyncClient, db: Database, query: str) -> int:
    async with counting_statements(db) as statements:
        page = await client.get(f"/console/finance{query}")
    assert page.status_code == 200
    return statements.count
