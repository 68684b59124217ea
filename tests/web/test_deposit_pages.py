"""The deposit pages, on both databases: the seller centre shows required, held and
shortfall, Pay sends the owner to the sandbox's hosted page, and the signed webhook through
POST /webhooks/payments/sandbox credits the deposit (a duplicate is `duplicate`), after which
the shop publishes; the console's finance operators deduct (small at once; large waits for a
second operator, whom the proposer cannot replace) and the seller sees the movements; the
page speaks the reader's language (every string has its zh-CN and fr translation:
tests/web/test_i18n.py)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from litestar import Litestar

from galerie.config import Settings
from galerie.db import Database
from galerie.deposits import pending_deductions
from galerie.identity import OperatorRole, SellerRole, set_preferred_language
from galerie.kernel import FixedClock
from galerie.payments.sandbox import SandboxWebhookSender
from galerie.storage import InMemoryStorage
from galerie.workers.timers import send_sandbox_webhooks
from tests.factories import make_user
from tests.integration.deposits.support import ledger, shop_state
from tests.integration.sellers.factories import insert_shop, load_categories
from tests.web.conftest import app_for
from tests.web.sessions import sign_in_as
from tests.web.test_pages_support import post_form
from tests.web.test_payment_flow import HOOK, IntoTheApp


async def switch_to(client: httpx.AsyncClient, app: Litestar, user_id: int) -> None:
    """Sign another user in on the same client (the previous session's cookie dropped)."""
    client.cookies.clear()
    await sign_in_as(client, app, user_id)


@pytest.fixture
async def app(db: Database, settings: Settings, clock: FixedClock) -> Litestar:
    """The app with deductions above 100.00 waiting for a second operator."""
    lower = replace(settings, deposit_deduction_approval_minor=10_000)
    return await app_for(lower, db=db, clock=clock, storage=InMemoryStorage())


@pytest.fixture
async def owner(db: Database, clock: FixedClock, tmp_path: Path) -> tuple[int, int]:
    """(owner user id, organisation id)."""
    await load_categories(db, clock.now(), tmp_path)
    made = await make_user(db, now=clock.now(), seller_role=SellerRole.OWNER)
    assert made.organisation_id is not None
    return made.user_id, made.organisation_id


async def test_the_owner_pays_the_deposit_online_and_publishes(
    client: httpx.AsyncClient, app: Litestar, db: Database, clock: FixedClock,
    settings: Settings, owner: tuple[int, int],
) -> None:  # fmt: skip
    user_id, org = owner
    shop = await insert_shop(db, clock.now(), organisation_id=org, deposit_paid=False)
    await sign_in_as(client, app, user_id)
    page = await client.get(f"/seller/shops/{shop}/deposit", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert 'id="deposit-shortfall">CN¥1,000.00' in page.text
    assert "No deposit has been received yet." in page.text
    started = await post_form(client, f"/seller/shops/{shop}/deposit/pay", {})
    assert started.status_code == 303
    hosted = started.headers["location"].removeprefix("http://127.0.0.1:8000")
    assert hosted.startswith("/sandbox/pay/")
    paid = await post_form(client, hosted, {"action": "pay"})
    assert paid.headers["location"].endswith(f"/seller/shops/{shop}/deposit?payment=returned")
    sent: list[tuple[dict[str, str], bytes, int]] = []
    sender = SandboxWebhookSender(
        db, IntoTheApp(client, sent), clock, secret=settings.sandbox_webhook_secret
    )
    assert await send_sandbox_webhooks(sender) == 1
    headers, body, status = sent[0]
    assert status == 200
    again = await client.post(HOOK, content=body, headers=headers)
    assert (again.status_code, again.json()) == (200, {"outcome": "duplicate"})
    assert await ledger(db) == {
        ("provider_clearing", 0): 100_000,
        ("deposits_held", shop): -100_000,
    }
    page = await client.get(f"/seller/shops/{shop}/deposit", headers={"Accept-Language": "en"})
    assert 'id="deposit-held">CN¥1,000.00' in page.text
    assert "Deposit paid online" in page.text
    assert 'id="deposit-pay"' not in page.text
    published = await post_form(client, f"/seller/shops/{shop}/publish", {})
    assert published.status_code == 303
    assert await shop_state(db, shop) == ("live", 100_000)


async def test_staff_cannot_pay_and_another_organisation_sees_no_deposit(
    client: httpx.AsyncClient, app: Litestar, db: Database, clock: FixedClock,
    owner: tuple[int, int],
) -> None:  # fmt: skip
    _, org = owner
    shop = await insert_shop(db, clock.now(), organisation_id=org, deposit_paid=False)
    staff = await make_user(db, now=clock.now(), seller_role=SellerRole.STAFF, organisation_id=org)
    await sign_in_as(client, app, staff.user_id)
    page = await client.get(f"/seller/shops/{shop}/deposit")
    assert page.status_code == 200
    assert 'id="deposit-pay"' not in page.text
    assert (await post_form(client, f"/seller/shops/{shop}/deposit/pay", {})).status_code == 403
    rival = await make_user(db, now=clock.now(), seller_role=SellerRole.OWNER)
    await switch_to(client, app, rival.user_id)
    assert (await client.get(f"/seller/shops/{shop}/deposit")).status_code == 404
    assert (await post_form(client, f"/seller/shops/{shop}/deposit/pay", {})).status_code == 404
    assert await ledger(db) == {}


async def test_finance_deducts_and_a_second_operator_approves(
    client: httpx.AsyncClient, app: Litestar, db: Database, clock: FixedClock,
    owner: tuple[int, int],
) -> None:  # fmt: skip
    user_id, org = owner
    shop = await insert_shop(db, clock.now(), organisation_id=org, status="live", deposit_paid=True)
    first = await make_user(db, now=clock.now(), operator_roles=(OperatorRole.FINANCE,))
    second = await make_user(db, now=clock.now(), operator_roles=(OperatorRole.FINANCE,))
    await sign_in_as(client, app, first.user_id)
    path = f"/console/shops/{shop}/deposit"
    page = await client.get(path, headers={"Accept-Language": "en"})
    assert "Deductions above 100.00 CNY need the approval of a second operator." in page.text
    small = {"amount": "100.00", "purpose": "penalty", "reason": "Late shipping"}
    done = await post_form(client, f"{path}/deductions", small)
    assert (done.status_code, done.headers["location"]) == (303, f"{path}?done=executed")
    large = {"amount": "950.00", "purpose": "compensation", "reason": "Buyer compensated"}
    too_much = await post_form(client, f"{path}/deductions", large)
    assert too_much.status_code == 409  # 900.00 held
    assert "The deposit held is smaller than this deduction." in too_much.text
    bad = await post_form(client, f"{path}/deductions", {**large, "amount": "1.234"})
    assert bad.status_code == 422
    proposed = await post_form(client, f"{path}/deductions", {**large, "amount": "500.00"})
    assert proposed.headers["location"] == f"{path}?done=proposed"
    page = await client.get(path, headers={"Accept-Language": "en"})
    assert "Another operator must decide." in page.text
    async with db.reading() as session:
        pending = await pending_deductions(session)
    assert [(d.amount.minor, d.purpose) for d in pending] == [(50_000, "compensation")]
    assert f'id="approve-{pending[0].id}"' not in page.text  # not for the proposer
    refused = await post_form(client, f"/console/deposit-deductions/{pending[0].id}/approve", {})
    assert refused.status_code == 403
    figures = {
        ("provider_clearing", 0): 100_000,
        ("deposits_held", shop): -90_000,
        ("commission_revenue", 0): -10_000,
    }
    assert await ledger(db) == figures
    await switch_to(client, app, second.user_id)
    listing = await client.get("/console/deposit-deductions")
    assert f'id="approve-{pending[0].id}"' in listing.text
    approved = await post_form(client, f"/console/deposit-deductions/{pending[0].id}/approve", {})
    assert approved.headers["location"] == f"{path}?done=approved"
    again = await post_form(client, f"/console/deposit-deductions/{pending[0].id}/approve", {})
    assert again.status_code == 409
    figures |= {("deposits_held", shop): -40_000, ("refunds", 0): -50_000}
    assert await ledger(db) == figures
    await switch_to(client, app, user_id)
    seller = await client.get(f"/seller/shops/{shop}/deposit", headers={"Accept-Language": "en"})
    assert "Deducted: penalty" in seller.text
    assert "Deducted: compensation to a buyer" in seller.text
    assert 'id="deposit-deadline"' in seller.text  # 400.00 of 1,000.00: top up within 15 days
    await set_preferred_language(db, user_id=user_id, language="fr", now=clock.now())
    french = await client.get(f"/seller/shops/{shop}/deposit")
    assert "Montant manquant" in french.text
