"""The sandbox provider's hosted payment page, through the app on both databases: it shows
the amount and three buttons; Pay and Fail record the outcome, queue one webhook and send
the shopper back to the return URL; Abandon goes to the cancel URL and queues nothing; a
repeated click changes nothing; another button after an outcome, an expired page, a form
without the CSRF token and an unknown session are refused and change nothing; the page
does not exist unless the sandbox is the configured provider."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import httpx
import pytest
from litestar import Litestar

from galerie.config import Settings
from galerie.db import Database
from galerie.kernel import FixedClock, Money
from galerie.payments import CheckoutSession
from galerie.payments.sandbox import SESSION_LIFE
from galerie.storage import InMemoryStorage
from galerie.web.app import create_app
from tests.integration.payments.support import make_provider, payment_row, queued
from tests.web.test_pages_support import post_form

RETURN = "https://market.example/account/orders/groups/5?paid=1"
CANCEL = "https://market.example/checkout"


@pytest.fixture
async def checkout(db: Database, clock: FixedClock) -> CheckoutSession:
    return await make_provider(db, clock).create_checkout_session(
        reference="pg-5", amount=Money(12_345, "CNY"), return_url=RETURN, cancel_url=CANCEL
    )


def path_of(checkout: CheckoutSession) -> str:
    return checkout.url.removeprefix("http://127.0.0.1:8000")


async def status_of(db: Database, checkout: CheckoutSession) -> str:
    return (await payment_row(db, checkout.provider_payment_id)).status


async def test_the_page_shows_the_amount_and_three_buttons(
    client: httpx.AsyncClient, checkout: CheckoutSession
) -> None:
    page = await client.get(path_of(checkout), headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    assert '<dd id="sandbox-amount">CN¥123.45</dd>' in page.text
    assert "pg-5" in page.text
    for action in ("pay", "fail", "abandon"):
        assert f'name="action" value="{action}"' in page.text
    assert 'name="_csrf_token"' in page.text


async def test_the_page_speaks_the_visitors_language(
    client: httpx.AsyncClient, checkout: CheckoutSession
) -> None:
    page = await client.get(path_of(checkout), headers={"Accept-Language": "fr"})
    assert "Payer" in page.text
    assert "Faire échouer le paiement" in page.text


@pytest.mark.parametrize(
    ("action", "status", "target", "events"),
    [
        ("pay", "succeeded", RETURN, [("payment.succeeded", "pending")]),
        ("fail", "failed", RETURN, [("payment.failed", "pending")]),
        ("abandon", "abandoned", CANCEL, []),
    ],
)
async def test_a_button_records_the_outcome_and_sends_the_shopper_back(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, checkout: CheckoutSession,
    action: str, status: str, target: str, events: list[tuple[str, str]],
) -> None:  # fmt: skip
    answer = await post_form(client, path_of(checkout), {"action": action})
    assert (answer.status_code, answer.headers["location"]) == (303, target)
    row = await payment_row(db, checkout.provider_payment_id)
    assert (row.status, row.completed_at) == (status, clock.now())
    assert await queued(db) == events
    again = await post_form(client, path_of(checkout), {"action": action})  # a double click
    assert (again.status_code, again.headers["location"]) == (303, target)
    assert await queued(db) == events
    page = await client.get(path_of(checkout))
    assert 'value="pay"' not in page.text
    assert f'href="{target}"' in page.text


async def test_another_button_after_the_outcome_is_refused(
    client: httpx.AsyncClient, db: Database, checkout: CheckoutSession
) -> None:
    await post_form(client, path_of(checkout), {"action": "fail"})
    refused = await post_form(client, path_of(checkout), {"action": "pay"})
    assert refused.status_code == 409
    assert await status_of(db, checkout) == "failed"
    assert await queued(db) == [("payment.failed", "pending")]


async def test_an_expired_page_cannot_be_paid(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, checkout: CheckoutSession
) -> None:
    clock.advance(SESSION_LIFE + timedelta(seconds=1))
    page = await client.get(path_of(checkout), headers={"Accept-Language": "en"})
    assert "This payment page has expired." in page.text
    assert 'value="pay"' not in page.text
    refused = await post_form(client, path_of(checkout), {"action": "pay"})
    assert refused.status_code == 409
    assert (await status_of(db, checkout), await queued(db)) == ("open", [])


@pytest.mark.parametrize("csrf", [None, "forged-token"])
async def test_a_form_without_the_csrf_token_changes_nothing(
    client: httpx.AsyncClient, db: Database, checkout: CheckoutSession, csrf: str | None
) -> None:
    refused = await post_form(client, path_of(checkout), {"action": "pay"}, csrf=csrf)
    assert refused.status_code == 403
    assert (await status_of(db, checkout), await queued(db)) == ("open", [])


@pytest.mark.parametrize("action", ["", "refund", "PAY"])
async def test_an_unknown_button_changes_nothing(
    client: httpx.AsyncClient, db: Database, checkout: CheckoutSession, action: str
) -> None:
    refused = await post_form(client, path_of(checkout), {"action": action})
    assert refused.status_code == 422
    assert (await status_of(db, checkout), await queued(db)) == ("open", [])


async def test_an_unknown_session_is_not_found(client: httpx.AsyncClient, db: Database) -> None:
    assert (await client.get("/sandbox/pay/sbcs_nope")).status_code == 404
    assert (await client.get("/sandbox/pay/" + "x" * 200)).status_code == 404
    assert (await post_form(client, "/sandbox/pay/sbcs_nope", {"action": "pay"})).status_code == 404
    assert await queued(db) == []


async def test_without_the_sandbox_the_page_does_not_exist(
    db: Database, settings: Settings, clock: FixedClock, checkout: CheckoutSession
) -> None:
    app: Litestar = create_app(
        replace(settings, payment_provider="none"), db=db, clock=clock, storage=InMemoryStorage()
    )
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 50000))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as client:
        assert (await client.get(path_of(checkout))).status_code == 404
        refused = await post_form(client, path_of(checkout), {"action": "pay"})
        assert refused.status_code == 404
    assert (await status_of(db, checkout), await queued(db)) == ("open", [])
