"""The seller centre's order page shows the figures a seller reconciles the statement with,
on SQLite and PostgreSQL: the goods, the shipping fee and the total (the lines alone do not
add up to the total the statement names), and, once the order's escrow is released, each
line's commission rate and amount as recorded at release. The buyer's page shows no
commission."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from litestar import Litestar

from galerie.db import Database
from galerie.kernel import FixedClock
from galerie.payments import release_escrow
from tests.integration.orders.factories import make_market
from tests.integration.payments.test_paying_groups import _deliver, _pay
from tests.integration.payments.test_release import _order, _receive
from tests.web.sessions import sign_in_as

EN = {"Accept-Language": "en"}


def _cells(page: str) -> list[list[str]]:
    """The order lines table's rows (body and foot), each as its cells' text."""
    table = page.split('id="order-lines"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)
    cell = re.compile(r"<t[dh][^>]*>(.*?)</t[dh]>", flags=re.S)
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in cell.findall(row)] for row in rows]


async def test_the_seller_sees_shipping_and_each_lines_commission_once_released(
    app: Litestar, client: httpx.AsyncClient, db: Database, clock: FixedClock, tmp_path: Path
) -> None:
    market = await make_market(db, clock.now(), tmp_path, shops=1)
    group_id, order_id = await _order(db, market, clock)  # 19.99 at 3%, 2 x 25.01 at 8%
    await _deliver(db, clock, await _pay(db, market, clock, group_id))
    await sign_in_as(client, app, market.owner_user_id)
    url = f"/seller/shops/{market.shops[0].shop_id}/orders/{order_id}"

    paid = await client.get(url, headers=EN)
    assert paid.status_code == 200
    rows = _cells(paid.text)
    assert [row[1:4] for row in rows[1:3]] == [["1", "0", "CN¥19.99"], ["2", "0", "CN¥50.02"]]
    assert rows[0][:5] == ["Title", "Quantity", "Shipped", "Total", "Units in this parcel"]
    assert [row[:2] for row in rows[3:]] == [
        ["Goods", "CN¥70.01"], ["Shipping fee", "CN¥5.00"], ["Total", "CN¥75.01"],
    ]  # fmt: skip
    assert "Commission" not in paid.text  # nothing is recorded before the release

    await _receive(db, market, clock, order_id)
    async with db.transaction() as session:
        assert await release_escrow(session, order_id=order_id, now=clock.now()) == "released"
    released = _cells((await client.get(url, headers=EN)).text)
    assert released[0] == ["Title", "Quantity", "Shipped", "Total", "Commission"]
    # 19.99 x 3% and 50.02 x 8%: 4.6013 in all, 4.60 split by largest remainder
    assert [row[1:] for row in released[1:3]] == [
        ["1", "1", "CN¥19.99", "3.00 % · CN¥0.60"],
        ["2", "2", "CN¥50.02", "8.00 % · CN¥4.00"],
    ]
    assert released[3:] == [
        ["Goods", "CN¥70.01", ""], ["Shipping fee", "CN¥5.00", ""], ["Total", "CN¥75.01", ""],
    ]  # fmt: skip

    client.cookies.clear()
    await sign_in_as(client, app, market.buyer_id)
    buyer = await client.get(f"/account/orders/{order_id}", headers=EN)
    assert buyer.status_code == 200
    assert "Commission" not in buyer.text
    assert "CN¥4.00" not in buyer.text
