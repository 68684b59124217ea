"""Paying a checkout through the app, on both databases: the group page's Pay now sends
the buyer to the sandbox's hosted page; Pay there sends them back; the signed webhook,
delivered by the sandbox's sender into POST /webhooks/payments/sandbox, pays the group. A
forged or unsigned webhook is 400 and changes nothing; a duplicate is 200 `duplicate`;
another provider's path is 404; another buyer cannot start a payment."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from litestar import Litestar

from galerie.config import Settings
from galerie.db import Database
from galerie.kernel import FixedClock
from galerie.payments.sandbox import SandboxWebhookSender
from galerie.workers.timers import send_sandbox_webhooks
from tests.integration.checkout.factories import Checkout, fill_cart, make_checkout
from tests.integration.orders.factories import counts, make_market, order_status
from tests.web.sessions import sign_in_as
from tests.web.test_checkout_pages import place
from tests.web.test_pages_support import post_form

HOOK = "/webhooks/payments/sandbox"


@pytest.fixture
async def shop3(db: Database, clock: FixedClock, tmp_path: Path) -> Checkout:
    checkout = await make_checkout(db, clock.now(), await make_market(db, clock.now(), tmp_path))
    lines = [(checkout.skus[0], 2), (checkout.skus[1], 1)]
    await fill_cart(db, clock.now(), checkout.market.buyer_id, lines)
    return checkout


@dataclass
class IntoTheApp:
    """The sandbox's webhook transport, posting into the app under test; keeps what it sent."""

    client: httpx.AsyncClient
    sent: list[tuple[dict[str, str], bytes, int]]

    async def post(self, url: str, headers: Mapping[str, str], body: bytes, timeout: float) -> int:  # noqa: ASYNC109
        answer = await self.client.post(
            "/" + url.split("/", 3)[3], content=body, headers=dict(headers)
        )
        self.sent.append((dict(headers), body, answer.status_code))
        return answer.status_code

    async def aclose(self) -> None:
        return None


async def _placed_group(client: httpx.AsyncClient, app: Litestar, shop3: Checkout) -> str:
    await sign_in_as(client, app, shop3.market.buyer_id)
    placed, _ = await place(client)
    assert placed.status_code == 303
    return str(placed.headers["location"])


async def _pay_on_hosted_page(client: httpx.AsyncClient, group: str) -> str:
    page = await client.get(group, headers={"Accept-Language": "en"})
    assert f'action="{group}/pay"' in page.text
    started = await post_form(client, f"{group}/pay", {})
    assert started.status_code == 303
    hosted = started.headers["location"].removeprefix("http://127.0.0.1:8000")
    assert hosted.startswith("/sandbox/pay/")
    paid = await post_form(client, hosted, {"action": "pay"})
    assert (paid.status_code, paid.headers["location"]) == (
        303, f"http://127.0.0.1:8000{group}?payment=returned",
    )  # fmt: skip
    return hosted


async def test_the_buyer_pays_on_the_hosted_page_and_the_webhook_pays_the_group(
    client: httpx.AsyncClient, app: Litestar, db: Database, clock: FixedClock,
    settings: Settings, shop3: Checkout,
) -> None:  # fmt: skip
    group = await _placed_group(client, app, shop3)
    listed = await client.get("/account/orders")
    order_ids = sorted(
        {int(i) for i in __import__("re").findall(r'href="/account/orders/(\d+)"', listed.text)}
    )
    await _pay_on_hosted_page(client, group)
    assert {await order_status(db, o) for o in order_ids} == {"awaiting_payment"}
    sent: list[tuple[dict[str, str], bytes, int]] = []
    sender = SandboxWebhookSender(
        db, IntoTheApp(client, sent), clock, secret=settings.sandbox_webhook_secret
    )
    assert await send_sandbox_webhooks(sender) == 1
    assert [status for _, _, status in sent] == [200]
    assert {await order_status(db, o) for o in order_ids} == {"paid"}
    headers, body, _ = sent[0]
    again = await client.post(HOOK, content=body, headers=headers)
    assert (again.status_code, again.json()) == (200, {"outcome": "duplicate"})
    page = await client.get(group, headers={"Accept-Language": "en"})
    assert 'id="pay-now"' not in page.text


async def test_forged_unsigned_and_misdirected_webhooks_change_nothing(
    client: httpx.AsyncClient, app: Litestar, db: Database, clock: FixedClock,
    settings: Settings, shop3: Checkout,
) -> None:  # fmt: skip
    group = await _placed_group(client, app, shop3)
    await _pay_on_hosted_page(client, group)
    sent: list[tuple[dict[str, str], bytes, int]] = []
    capture = IntoTheApp(client, sent)
    sender = SandboxWebhookSender(db, capture, clock, secret="not-the-installations-secret")
    await send_sandbox_webhooks(sender)  # signed with the wrong secret: refused
    headers, body, status = sent[0]
    assert status == 400
    before = await counts(db)
    unsigned = await client.post(HOOK, content=body, headers={"Content-Type": "application/json"})
    assert unsigned.status_code == 400
    assert unsigned.json()["code"] == "malformed_signature"
    elsewhere = await client.post("/webhooks/payments/stripe", content=body, headers=headers)
    assert elsewhere.status_code == 404
    assert await counts(db) == before
    group_page = await client.get(group, headers={"Accept-Language": "en"})
    assert 'id="pay-now"' in group_page.text  # still to pay


async def test_another_buyer_cannot_start_a_payment(
    client: httpx.AsyncClient, app: Litestar, db: Database, shop3: Checkout
) -> None:
    group = await _placed_group(client, app, shop3)
    client.cookies.clear()
    await sign_in_as(client, app, shop3.market.other_buyer_id)
    before = await counts(db)
    refused = await post_form(client, f"{group}/pay", {})
    assert refused.status_code == 404
    assert await counts(db) == before
