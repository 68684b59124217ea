"""The seller centre's finance pages: the owner sees the shop's balance, statement and CSV
and requests a payout (one audit record, sent to the sandbox bank); above the balance, a
bad amount or a forged form is refused and changes nothing; another organisation's owner
gets 404 on every route, staff, shoppers and operators 403, in both languages."""

from __future__ import annotations

import httpx
import pytest
from litestar import Litestar
from sqlalchemy import func, select, update

from galerie.audit.models import AuditRecord
from galerie.config import Settings
from galerie.db import Database
from galerie.identity.models import User
from galerie.kernel import FixedClock, Money
from galerie.payments.sandbox import SandboxWebhookSender
from galerie.settlement import run_payouts
from galerie.web.app import all_handlers
from galerie.workers.timers import send_sandbox_webhooks
from tests.integration.payments.support import make_provider
from tests.integration.sellers.factories import insert_shop
from tests.integration.settlement.support import fund, ledger, payouts
from tests.web.sessions import sign_in_as
from tests.web.storefront_catalog_factories import Shops, make_shops
from tests.web.test_pages_support import post_form
from tests.web.test_payment_flow import IntoTheApp

ROUTES = ("", "/statement", "/statement.csv")


def test_every_id_bearing_route_is_tried(app: Litestar) -> None:
    found = {
        (method, path)
        for path, handler in all_handlers(app)
        for method in getattr(handler, "http_methods", ())
        if handler.fn.__module__ == "galerie.web.seller.finance"
    }
    base = "/seller/shops/{shop_id:int}/finance"
    assert found == {("GET", base + route) for route in ROUTES} | {("POST", base + "/payouts")}


@pytest.fixture
async def shops(db: Database, clock: FixedClock, tmp_path: object) -> Shops:
    made = await make_shops(db, clock, tmp_path)  # type: ignore[arg-type]
    await fund(db, made.live, 50_000, clock.now(), "test:fund")
    return made


async def _audits(db: Database) -> list[tuple[str, str]]:
    async with db.reading() as session:
        rows = await session.execute(
            select(AuditRecord.action, AuditRecord.outcome)
            .where(AuditRecord.action.like("settlement.%"))
            .order_by(AuditRecord.id)
        )
        return [(a, o) for a, o in rows]


async def test_the_owner_sees_the_balance_and_requests_a_payout(
    app: Litestar, client: httpx.AsyncClient, db: Database, shops: Shops
) -> None:
    await sign_in_as(client, app, shops.people["owner"].user_id)
    base = f"/seller/shops/{shops.live}/finance"
    page = await client.get(base, headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert 'id="balance-available">CN¥500.00<' in page.text
    assert f'href="{base}"' in (await client.get(f"/seller/shops/{shops.live}")).text
    made = await post_form(client, base + "/payouts", {"amount": "120.50", "token": "abc123"})
    assert (made.status_code, made.headers["location"]) == (303, base)
    again = await post_form(client, base + "/payouts", {"amount": "120.50", "token": "abc123"})
    assert again.status_code == 303  # the same form sent twice pays once
    assert await payouts(db) == [(shops.live, 12_050, "sent")]
    assert await _audits(db) == [("settlement.payout.request", "succeeded")]
    page = await client.get(base, headers={"Accept-Language": "en"})
    assert 'id="balance-available">CN¥379.50<' in page.text
    assert 'id="balance-transit">CN¥120.50<' in page.text
    assert "Sent to the bank" in page.text
    statement = await client.get(base + "/statement", headers={"Accept-Language": "en"})
    assert statement.status_code == 200
    assert "Payout to your bank" in statement.text
    assert "-CN¥120.50" in statement.text
    csv = await client.get(base + "/statement.csv?day_from=2026-11-01&day_to=2026-11-30")
    assert csv.status_code == 200
    assert csv.headers["content-type"].startswith("text/csv")
    rows = csv.text.splitlines()
    assert rows[0] == (
        "date,entry,account,kind,reference,description,gross,commission,amount,balance,currency"
    )
    assert [r.split(",")[3:] for r in rows[1:]] == [
        ["adjustment", "test:fund", "test funds", "", "", "500.00", "500.00", "CNY"],
        ["payout", rows[2].split(",")[4], rows[2].split(",")[5], "", "", "-120.50", "379.50",
         "CNY"],
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("500.01", "The amount is above your available balance."),
        ("0", "Enter an amount above zero."),
        ("abc", "Enter an amount such as 120.50."),
        ("1.001", "Enter an amount such as 120.50."),
    ],
)
async def test_a_refused_payout_changes_nothing(
    app: Litestar, client: httpx.AsyncClient, db: Database, shops: Shops, amount: str,
    message: str,
) -> None:  # fmt: skip
    await sign_in_as(client, app, shops.people["owner"].user_id)
    before = await ledger(db)
    answer = await post_form(
        client, f"/seller/shops/{shops.live}/finance/payouts", {"amount": amount},
        headers={"Accept-Language": "en"},
    )  # fmt: skip
    assert answer.status_code == 409
    assert message in answer.text
    assert (await ledger(db), await payouts(db)) == (before, [])


async def test_a_forged_form_changes_nothing(
    app: Litestar, client: httpx.AsyncClient, db: Database, shops: Shops
) -> None:
    await sign_in_as(client, app, shops.people["owner"].user_id)
    answer = await post_form(
        client, f"/seller/shops/{shops.live}/finance/payouts", {"amount": "10"}, csrf="forged"
    )
    assert answer.status_code == 403
    assert await payouts(db) == []


@pytest.mark.parametrize(("role", "status"), [("rival", 404), ("staff", 403), ("shopper", 403),
                                              ("finance", 403)])  # fmt: skip
async def test_only_the_shops_own_owners_and_managers_get_in(
    app: Litestar, client: httpx.AsyncClient, db: Database, shops: Shops, clock: FixedClock,
    role: str, status: int,
) -> None:  # fmt: skip
    await insert_shop(db, clock.now(), organisation_id=shops.people.rival_org, status="live")
    await sign_in_as(client, app, shops.people[role].user_id)
    base = f"/seller/shops/{shops.live}/finance"
    for route in ROUTES:
        assert (await client.get(base + route)).status_code == status, route
    before = await ledger(db)
    assert (await post_form(client, base + "/payouts", {"amount": "10"})).status_code == status
    assert (await ledger(db), await payouts(db)) == (before, [])
    client.cookies.clear()
    await sign_in_as(client, app, shops.people["manager"].user_id)
    assert (await client.get(base)).status_code == 200


async def test_anonymous_callers_are_sent_to_sign_in(
    client: httpx.AsyncClient, db: Database, shops: Shops
) -> None:
    for route in ROUTES:
        answer = await client.get(f"/seller/shops/{shops.live}/finance{route}")
        assert answer.status_code in {302, 303, 401}, route
    assert await payouts(db) == []


async def test_the_pages_speak_french_and_chinese(
    app: Litestar, client: httpx.AsyncClient, db: Database, shops: Shops
) -> None:
    owner = shops.people["owner"].user_id
    await sign_in_as(client, app, owner)
    for language, expected in (("fr", "Disponible pour un versement"), ("zh-CN", "可提现金额")):
        async with db.transaction() as session:
            await session.execute(
                update(User).where(User.id == owner).values(preferred_language=language)
            )
        page = await client.get(f"/seller/shops/{shops.live}/finance")
        assert expected in page.text
    async with db.reading() as session:
        assert await session.scalar(select(func.count()).select_from(AuditRecord).where(
            AuditRecord.action.like("settlement.%"))) == 0  # fmt: skip


async def test_the_banks_payout_webhook_marks_the_payout_paid_once(
    app: Litestar, client: httpx.AsyncClient, db: Database, shops: Shops, clock: FixedClock,
    settings: Settings,
) -> None:  # fmt: skip
    await sign_in_as(client, app, shops.people["owner"].user_id)
    made = await post_form(client, f"/seller/shops/{shops.live}/finance/payouts", {"amount": "100"})
    assert made.status_code == 303
    sent: list[tuple[dict[str, str], bytes, int]] = []
    sender = SandboxWebhookSender(
        db, IntoTheApp(client, sent), clock, secret=settings.sandbox_webhook_secret
    )
    assert await send_sandbox_webhooks(sender) == 1
    assert [status for _, _, status in sent] == [200]
    assert await payouts(db) == [(shops.live, 10_000, "paid")]
    paid = await ledger(db)
    held = {key: minor for key, minor in paid.items() if key[0] == "deposits_held"}
    deposits = sum(held.values())  # the preparing shop's deposit, recorded as a transfer
    assert paid == {
        ("provider_clearing", 0): 40_000 - deposits,
        ("seller_payable", shops.live): -40_000,
        **held,
    }
    headers, body, _ = sent[0]
    again = await client.post("/webhooks/payments/sandbox", content=body, headers=headers)
    assert (again.status_code, again.json()) == (200, {"outcome": "duplicate"})
    assert await ledger(db) == paid


async def test_finance_operators_see_the_payout_runs(
    app: Litestar, client: httpx.AsyncClient, db: Database, shops: Shops, clock: FixedClock
) -> None:
    await run_payouts(
        db, make_provider(db, clock), key="CNY:2026-11-11", minimum=Money(10_000, "CNY"),
        now=clock.now(),
    )  # fmt: skip
    await sign_in_as(client, app, shops.people["finance"].user_id)
    page = await client.get("/console/payout-runs", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert "CNY:2026-11-11" in page.text
    assert "CN¥500.00" in page.text
    assert 'href="/console/payout-runs"' in (await client.get("/console")).text
    client.cookies.clear()
    await sign_in_as(client, app, shops.people["owner"].user_id)
    assert (await client.get("/console/payout-runs")).status_code == 403
