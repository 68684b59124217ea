"""The fulfilment pages through HTTP on both databases: the seller centre's orders (filters,
detail, a partial then a full shipment, the packing slip, bulk CSV), the buyer's order
(tracking, extend once, confirm behind a confirmation step), the console's order search for
support staff, in English, French and Chinese. Another organisation's seller gets 404 on
every id-bearing route and another shopper 404 on the buyer's, with nothing changed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from litestar import Litestar

from galerie.db import Database
from galerie.identity import OperatorRole, SellerRole
from galerie.kernel import FixedClock
from tests.factories import make_user
from tests.integration.fulfilment.factories import PaidOrder, paid_order, snapshot
from tests.integration.orders.factories import Market, levels, make_market, order_status
from tests.web.sessions import csrf_token
from tests.web.sessions import sign_in_as as _sign_in_as
from tests.web.test_pages_support import post_form


async def sign_in_as(client: httpx.AsyncClient, app: Litestar, user_id: int) -> None:
    """Signed in as `user_id` alone (the previous session's cookie dropped)."""
    client.cookies.clear()
    await _sign_in_as(client, app, user_id)


@dataclass(frozen=True)
class Scene:
    market: Market
    order: PaidOrder

    @property
    def seller_base(self) -> str:
        return f"/seller/shops/{self.order.shop_id}/orders"


@pytest.fixture
async def scene(db: Database, clock: FixedClock, tmp_path: Path) -> Scene:
    market = await make_market(db, clock.now(), tmp_path, shops=1)
    return Scene(market, await paid_order(db, market, clock.now()))


async def test_seller_lists_ships_in_two_parcels_and_prints_a_slip(
    app: Litestar, client: httpx.AsyncClient, db: Database, scene: Scene
) -> None:
    order, base = scene.order, scene.seller_base
    await sign_in_as(client, app, scene.market.owner_user_id)
    listed = await client.get(f"{base}?status=paid")
    assert listed.status_code == 200
    assert order.number in listed.text
    assert order.number not in (await client.get(f"{base}?status=shipped")).text
    assert order.number in (await client.get(f"{base}?number={order.number}")).text
    assert order.number not in (await client.get(f"{base}?placed_from=2999-01-01")).text
    detail = await client.get(f"{base}/{order.order_id}")
    assert 'id="ship-form"' in detail.text
    first, second = order.line_ids
    partial = await post_form(
        client, f"{base}/{order.order_id}/ship",
        {"carrier": "ems", "tracking_number": "EMS777", "warehouse_id": str(order.warehouse_id),
         f"qty_{first}": "2", f"qty_{second}": "0"},
    )  # fmt: skip
    assert partial.status_code == 303, partial.text
    assert await order_status(db, order.order_id) == "partly_shipped"
    over = await post_form(
        client, f"{base}/{order.order_id}/ship",
        {"carrier": "ems", "tracking_number": "EMS778", f"qty_{first}": "5"},
    )  # fmt: skip
    assert over.status_code == 409
    assert "More units than the order has left to ship." in over.text
    rest = await post_form(
        client, f"{base}/{order.order_id}/ship",
        {"carrier": "galerie-post", "tracking_number": "", f"qty_{first}": "1",
         f"qty_{second}": "2"},
    )  # fmt: skip
    assert rest.status_code == 303, rest.text
    assert await order_status(db, order.order_id) == "shipped"
    a, b = order.sku_ids
    assert await levels(db, order.sku_ids) == {a: (7, 7, 0, 0), b: (8, 8, 0, 0)}
    slip = await client.get(f"{base}/{order.order_id}/packing-slip")
    assert slip.status_code == 200
    assert order.number in slip.text
    assert slip.text.index("Chen Wei") < slip.text.index("88 Century Avenue")  # name first
    assert "@media print" in slip.text
    assert "¥" not in slip.text
    assert "CN¥" not in slip.text


async def test_bulk_csv_page_reports_rows(
    app: Litestar, client: httpx.AsyncClient, db: Database, scene: Scene
) -> None:
    await sign_in_as(client, app, scene.market.owner_user_id)
    page = await client.get(f"{scene.seller_base}/bulk-ship")
    assert page.status_code == 200
    csv = (
        f"order_number,carrier,tracking_number\n{scene.order.number},ems,EMS555\nnope,ems,EMS556\n"
    )
    data = {"_csrf_token": await csrf_token(client)}
    files = {"file": ("parcels.csv", csv.encode(), "text/csv")}
    report = await client.post(f"{scene.seller_base}/bulk-ship", data=data, files=files)
    assert report.status_code == 200, report.text
    assert "1 shipped, 0 already shipped, 1 refused." in report.text
    assert "No such order in this shop." in report.text
    again = await client.post(f"{scene.seller_base}/bulk-ship", data=data, files=files)
    assert "0 shipped, 1 already shipped, 1 refused." in again.text


async def test_another_organisation_gets_404_everywhere(
    app: Litestar, client: httpx.AsyncClient, db: Database, clock: FixedClock, scene: Scene
) -> None:
    rival = await make_user(db, now=clock.now(), seller_role=SellerRole.OWNER)
    await sign_in_as(client, app, rival.user_id)
    before = await snapshot(db, scene.order.order_id)
    base, oid = scene.seller_base, scene.order.order_id
    for path in (base, f"{base}/{oid}", f"{base}/{oid}/packing-slip", f"{base}/bulk-ship"):
        assert (await client.get(path)).status_code == 404, path
    shipped = await post_form(
        client, f"{base}/{oid}/ship", {"carrier": "ems", "tracking_number": "EMS1"}
    )
    assert shipped.status_code == 404
    data = {"_csrf_token": await csrf_token(client)}
    files = {
        "file": (
            "p.csv",
            f"order_number,carrier,tracking_number\n{scene.order.number},ems,EMS2\n".encode(),
            "text/csv",
        )
    }
    assert (await client.post(f"{base}/bulk-ship", data=data, files=files)).status_code == 404
    assert await snapshot(db, oid) == before


async def test_buyer_tracks_extends_once_and_confirms(
    app: Litestar, client: httpx.AsyncClient, db: Database, clock: FixedClock, scene: Scene
) -> None:
    await sign_in_as(client, app, scene.market.owner_user_id)
    oid = scene.order.order_id
    shipped = await post_form(
        client, f"{scene.seller_base}/{oid}/ship", {"carrier": "galerie-post"}
    )
    assert shipped.status_code == 303
    clock.advance(timedelta(days=1))
    await sign_in_as(client, app, scene.market.other_buyer_id)
    before = await snapshot(db, oid)
    for method, path in (("GET", ""), ("GET", "/confirm-receipt"), ("POST", "/confirm-receipt"),
                         ("POST", "/extend-confirmation")):  # fmt: skip
        answer = (
            await client.get(f"/account/orders/{oid}{path}")
            if method == "GET"
            else await post_form(client, f"/account/orders/{oid}{path}", {})
        )
        assert answer.status_code == 404, path
    assert await snapshot(db, oid) == before
    await sign_in_as(client, app, scene.market.buyer_id)
    page = await client.get(f"/account/orders/{oid}")
    assert page.status_code == 200
    assert "In transit" in page.text
    assert "confirmed as received on" in page.text
    assert "Extend confirmation by 5 days" in page.text
    extended = await post_form(client, f"/account/orders/{oid}/extend-confirmation", {})
    assert extended.status_code == 303
    assert "Extend confirmation" not in (await client.get(f"/account/orders/{oid}")).text
    again = await post_form(client, f"/account/orders/{oid}/extend-confirmation", {})
    assert again.status_code == 409
    step = await client.get(f"/account/orders/{oid}/confirm-receipt")
    assert "Yes, I received my order" in step.text
    assert await order_status(db, oid) == "shipped"
    confirmed = await post_form(client, f"/account/orders/{oid}/confirm-receipt", {})
    assert confirmed.status_code == 303
    assert await order_status(db, oid) == "completed"


async def test_console_search_for_support_only(
    app: Litestar, client: httpx.AsyncClient, db: Database, clock: FixedClock, scene: Scene
) -> None:
    support = await make_user(db, now=clock.now(), operator_roles=(OperatorRole.SUPPORT,))
    vetting = await make_user(db, now=clock.now(), operator_roles=(OperatorRole.VETTING,))
    number, oid = scene.order.number, scene.order.order_id
    await sign_in_as(client, app, support.user_id)
    found = await client.get(f"/console/orders?number={number}")
    assert found.status_code == 200
    assert f"/console/orders/{oid}" in found.text
    assert number not in (await client.get("/console/orders?number=000")).text
    detail = await client.get(f"/console/orders/{oid}")
    assert detail.status_code == 200
    panel = detail.text.split('id="order-status"')[1].split('id="order-history"')[0]
    assert "<form" not in panel  # read-only
    for who in (vetting.user_id, scene.market.buyer_id, scene.market.owner_user_id):
        await sign_in_as(client, app, who)
        for path in (f"/console/orders?number={number}", f"/console/orders/{oid}"):
            assert (await client.get(path)).status_code == 403, (who, path)


async def test_pages_speak_french_and_chinese(
    app: Litestar, client: httpx.AsyncClient, scene: Scene
) -> None:
    await sign_in_as(client, app, scene.market.owner_user_id)
    await post_form(client, "/language", {"language": "fr", "next": "/"})
    page = await client.get(f"{scene.seller_base}/{scene.order.order_id}")
    assert "Expédier un colis" in page.text
    await post_form(client, "/language", {"language": "zh-CN", "next": "/"})
    page = await client.get(f"{scene.seller_base}/{scene.order.order_id}")
    assert "发出一个包裹" in page.text
    await sign_in_as(client, app, scene.market.buyer_id)
    await post_form(client, "/language", {"language": "zh-CN", "next": "/"})
    mine = await client.get(f"/account/orders/{scene.order.order_id}")
    assert "已付款，待发货" in mine.text


async def test_the_shop_page_and_the_console_home_link_to_orders(
    app: Litestar, client: httpx.AsyncClient, db: Database, clock: FixedClock, scene: Scene
) -> None:
    await sign_in_as(client, app, scene.market.owner_user_id)
    shop = await client.get(f"/seller/shops/{scene.order.shop_id}")
    assert f'href="/seller/shops/{scene.order.shop_id}/orders"' in shop.text
    support = await make_user(db, now=clock.now(), operator_roles=(OperatorRole.SUPPORT,))
    await sign_in_as(client, app, support.user_id)
    assert 'href="/console/orders"' in (await client.get("/console")).text
