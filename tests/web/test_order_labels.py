"""One wording of order statuses on every page that shows them (the buyer's orders, checkout
and order page, the seller centre's order list and order page, the console's order search
and order page), in English, French and Chinese; and the buyer's order page shows each
line's variant and the account navigation."""

from __future__ import annotations

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
from galerie.orders import GroupStatus, OrderStatus
from galerie.orders.models import Order
from galerie.web.fulfilment_labels import GROUP_STATUS_LABELS, ORDER_STATUS_LABELS
from tests.factories import make_user
from tests.integration.fulfilment.factories import PaidOrder, paid_order
from tests.integration.orders.factories import make_market
from tests.web.sessions import sign_in_as
from tests.web.test_pages_support import post_form

PAID = {"en": "Paid, to ship", "fr": "Payée, à expédier", "zh-CN": "已付款，待发货"}
GROUP_PAID = {"en": "Paid", "fr": "Payée", "zh-CN": "已付款"}
RED = {"Colour": "red", "Size": "42"}


def status_line(html: str) -> str:
    """The text of an order page's status paragraph."""
    return html.split('id="order-status">', 1)[1].split("</p>", 1)[0]


def test_every_status_has_one_label() -> None:
    assert set(ORDER_STATUS_LABELS) == {s.value for s in OrderStatus}
    assert set(GROUP_STATUS_LABELS) == {s.value for s in GroupStatus}
    assert len(set(ORDER_STATUS_LABELS.values())) == len(OrderStatus)


async def _switch(client: httpx.AsyncClient, language: str) -> None:
    switched = await post_form(client, "/language", {"language": language, "next": "/"})
    assert switched.status_code == 303


@pytest.mark.parametrize("language", ["en", "fr", "zh-CN"])
async def test_a_paid_order_is_named_alike_on_every_page(
    app: Litestar, client: httpx.AsyncClient, db: Database, clock: FixedClock, tmp_path: Path,
    language: str,
) -> None:  # fmt: skip
    market = await make_market(db, clock.now(), tmp_path, shops=1)
    order = await paid_order(db, market, clock.now())
    support = await make_user(db, now=clock.now(), operator_roles=(OperatorRole.SUPPORT,))
    async with db.reading() as session:
        group = await session.scalar(
            select(Order.payment_group_id).where(Order.id == order.order_id)
        )
        email = await session.scalar(select(User.email).where(User.id == market.buyer_id))
    label, cell = PAID[language], f"<td>{PAID[language]}</td>"
    await sign_in_as(client, app, market.buyer_id)
    await _switch(client, language)
    assert cell in (await client.get("/account/orders")).text
    checkout = (await client.get(f"/account/orders/groups/{group}")).text
    assert cell in checkout
    assert f'id="group-status">{GROUP_PAID[language]} · ' in checkout
    assert status_line((await client.get(f"/account/orders/{order.order_id}")).text).endswith(label)
    seller = f"/seller/shops/{order.shop_id}/orders"
    for who in (market.owner_user_id, support.user_id):
        client.cookies.clear()
        await sign_in_as(client, app, who)
        await _switch(client, language)
        if who == support.user_id:
            listed, detail = f"/console/orders?email={email}", f"/console/orders/{order.order_id}"
        else:
            listed, detail = seller, f"{seller}/{order.order_id}"
        assert cell in (await client.get(listed)).text, listed
        shown = status_line((await client.get(detail)).text)
        assert label in shown, detail


async def _ordered_with_variant(db: Database, clock: FixedClock, tmp_path: Path) -> PaidOrder:
    market = await make_market(db, clock.now(), tmp_path, shops=1)
    order = await paid_order(db, market, clock.now(), units=(1, 1), options=(RED, {}))
    await ship_parcel(
        db, order_id=order.order_id, actor=order.seller, carrier=FAKE_CARRIER,
        tracking_number=None, now=clock.now(),
    )  # fmt: skip
    return order


async def test_the_buyers_order_page_shows_the_variant_and_the_account_navigation(
    app: Litestar, client: httpx.AsyncClient, db: Database, clock: FixedClock, tmp_path: Path
) -> None:
    order = await _ordered_with_variant(db, clock, tmp_path)
    await sign_in_as(client, app, order.buyer.user_id or 0)
    page = await client.get(f"/account/orders/{order.order_id}")
    assert page.status_code == 200
    lines = page.text.split('id="order-lines"', 1)[1].split("</tbody>", 1)[0]
    assert lines.count('class="muted variant"') == 1  # the plain product has none
    assert '<span class="muted variant">Colour: red, Size: 42</span>' in lines
    nav = 'aria-label="Your account"'
    assert nav in page.text
    assert '<a href="/account/orders" aria-current="page">' in page.text
    confirm = await client.get(f"/account/orders/{order.order_id}/confirm-receipt")
    assert nav in confirm.text
    seller = f"/seller/shops/{order.shop_id}/orders/{order.order_id}"
    client.cookies.clear()
    await sign_in_as(client, app, order.seller.user_id or 0)
    for path in (seller, f"{seller}/packing-slip"):
        shown = await client.get(path)
        assert "Colour: red, Size: 42" in shown.text, path
