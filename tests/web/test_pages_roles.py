"""Pages per role: the seller centre and the console refuse the wrong people, render for the
right ones, and show what each role can do; people's text renders inert; tokens; errors."""

from __future__ import annotations

import httpx
import pytest

from galerie.db import Database
from galerie.identity import OperatorRole, SellerRole
from galerie.identity.models import ApiToken
from galerie.kernel import FixedClock
from tests.web.test_pages_support import (
    count,
    member,
    operator,
    organisation,
    post_form,
    shopper,
    sign_in,
)

SCRIPT = "<script>alert(1)</script>"


async def test_seller_and_console_send_anonymous_people_to_sign_in(
    client: httpx.AsyncClient,
) -> None:
    for path in ("/seller", "/console", "/console/audit"):
        response = await client.get(path)
        assert response.status_code == 302
        assert response.headers["location"] == f"/signin?next={path}"


async def test_a_shopper_is_refused_the_seller_centre_and_the_console(
    client: httpx.AsyncClient, db: Database, clock: FixedClock
) -> None:
    await shopper(db, clock, "ana@example.com")
    await sign_in(client, "ana@example.com")
    home = await client.get("/")
    assert 'href="/seller"' not in home.text
    assert 'href="/console"' not in home.text
    for path in ("/seller", "/console", "/console/audit"):
        response = await client.get(path)
        assert response.status_code == 403, path
        assert "You cannot do this" in response.text


async def test_the_owner_sees_the_organisation_members_and_can_switch(
    client: httpx.AsyncClient, db: Database, clock: FixedClock
) -> None:
    owner = await shopper(db, clock, "owner@example.com", name="Oscar")
    first = await organisation(db, clock, owner, "Maison Alpha")
    second = await organisation(db, clock, owner, "Beta Toys")
    await shopper(db, clock, "staff@example.com", name="Sam")
    await member(
        db, clock, owner_id=owner, org_id=first, email="staff@example.com", role=SellerRole.STAFF
    )
    await sign_in(client, "owner@example.com")
    assert 'href="/seller"' in (await client.get("/account")).text
    page = await client.get("/seller")
    assert page.status_code == 200
    assert "Maison Alpha" in page.text
    assert "Your role: Owner" in page.text
    assert "staff@example.com" in page.text  # members are listed for the owner
    assert 'action="/seller/organisation"' in page.text
    switched = await post_form(client, "/seller/organisation", {"organisation_id": str(second)})
    assert switched.status_code == 303
    after = await client.get("/seller")
    assert "<h1>Beta Toys</h1>" in after.text
    assert "staff@example.com" not in after.text


async def test_staff_see_the_centre_and_the_members_read_only(
    client: httpx.AsyncClient, db: Database, clock: FixedClock
) -> None:
    owner = await shopper(db, clock, "owner@example.com")
    org = await organisation(db, clock, owner, "Maison Alpha")
    await shopper(db, clock, "staff@example.com", name="Sam")
    await member(
        db, clock, owner_id=owner, org_id=org, email="staff@example.com", role=SellerRole.STAFF
    )
    await sign_in(client, "staff@example.com")
    page = await client.get("/seller")
    assert page.status_code == 200
    assert "Your role: Staff" in page.text
    assert "Orders: ship and answer refund requests" in page.text
    assert "Catalog: list and import products" not in page.text
    assert "owner@example.com" in page.text  # the members list, read-only
    assert 'action="/seller/members' not in page.text
    assert 'action="/seller/organisation"' not in page.text


async def test_switching_to_an_organisation_of_someone_else_is_refused(
    client: httpx.AsyncClient, db: Database, clock: FixedClock
) -> None:
    mine = await organisation(db, clock, await shopper(db, clock, "a@example.com"), "Mine")
    theirs = await organisation(db, clock, await shopper(db, clock, "b@example.com"), "Theirs")
    await sign_in(client, "a@example.com")
    for value in (str(theirs), "abc", "", "-1"):
        response = await post_form(client, "/seller/organisation", {"organisation_id": value})
        assert response.status_code == 403, value
    page = await client.get("/seller")
    assert "<h1>Mine</h1>" in page.text
    assert mine != theirs


async def test_the_console_shows_each_operator_what_their_roles_reach(
    client: httpx.AsyncClient, db: Database, clock: FixedClock
) -> None:
    await operator(db, clock, [OperatorRole.SUPPORT], email="support@example.com")
    await sign_in(client, "support@example.com")
    page = await client.get("/console")
    assert page.status_code == 200
    assert "Support: help shoppers and sellers" in page.text
    assert "Users: look up accounts" in page.text
    assert "Audit log: every privileged action" not in page.text
    assert 'href="/console"' in page.text
    assert (await client.get("/console/audit")).status_code == 403


async def test_an_admin_reads_the_audit_log_page_by_page(
    client: httpx.AsyncClient, db: Database, clock: FixedClock
) -> None:
    await operator(db, clock, [OperatorRole.ADMIN], email="admin@example.com")
    await sign_in(client, "admin@example.com")
    page = await client.get("/console/audit")
    assert page.status_code == 200
    assert "identity.operator_created" in page.text
    assert "Page 1 of 1" in page.text
    assert (await client.get("/console/audit?page=0")).status_code == 400
    assert (await client.get("/console/audit?page=abc")).status_code == 400
    assert (await client.get("/console/audit?page=99999999")).status_code == 400


async def test_people_supplied_text_renders_escaped(
    client: httpx.AsyncClient, db: Database, clock: FixedClock
) -> None:
    owner = await shopper(db, clock, "x@example.com", name=SCRIPT)
    await organisation(db, clock, owner, f"Shop {SCRIPT}")
    await sign_in(client, "x@example.com")
    for path in ("/", "/account", "/seller"):
        body = (await client.get(path)).text
        assert SCRIPT not in body, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body, path
    echoed = await post_form(client, "/signin", {"email": SCRIPT, "password": "x"})
    assert SCRIPT not in echoed.text


async def test_tokens_are_shown_once_and_revoked(
    client: httpx.AsyncClient, db: Database, clock: FixedClock
) -> None:
    await shopper(db, clock, "ana@example.com")
    await sign_in(client, "ana@example.com")
    assert "You have no tokens yet." in (await client.get("/account/tokens")).text
    issued = await post_form(
        client,
        "/account/tokens",
        [
            ("name", "my script"),
            ("audience", "shopper"),
            ("expires", "30"),
            ("permissions", "account.view"),
        ],
    )
    assert issued.status_code == 201
    assert issued.headers["cache-control"] == "no-store"
    assert "it will not be shown again" in issued.text
    assert await count(db, ApiToken) == 1
    listing = await client.get("/account/tokens")
    assert "my script" in listing.text
    assert 'class="secret"' not in listing.text
    token_id = listing.text.split('id="token-')[1].split('"')[0]
    revoked = await post_form(
        client, f"/account/tokens/{token_id}/revoke", {}, headers={"HX-Request": "true"}
    )
    assert revoked.status_code == 200
    assert revoked.text.strip().startswith(f'<tr id="token-{token_id}">')
    assert "Revoked" in revoked.text
    again = await post_form(client, f"/account/tokens/{token_id}/revoke", {})
    assert again.status_code == 303
    assert again.headers["location"] == "/account/tokens"


async def test_a_token_form_with_problems_gets_inline_errors(
    client: httpx.AsyncClient, db: Database, clock: FixedClock
) -> None:
    await shopper(db, clock, "ana@example.com")
    await sign_in(client, "ana@example.com")
    no_perms = await post_form(
        client, "/account/tokens", {"name": "x", "audience": "shopper", "expires": "30"}
    )
    assert no_perms.status_code == 422
    assert "Choose at least one permission." in no_perms.text
    wrong_audience = await post_form(
        client,
        "/account/tokens",
        [
            ("name", "x"),
            ("audience", "operator"),
            ("expires", "30"),
            ("permissions", "console.view"),
        ],
    )
    assert wrong_audience.status_code == 422
    assert "Choose one of the options offered." in wrong_audience.text
    escalate = await post_form(
        client,
        "/account/tokens",
        [
            ("name", "x"),
            ("audience", "shopper"),
            ("expires", "30"),
            ("permissions", "console.audit.view"),
        ],
    )
    assert escalate.status_code == 422
    assert await count(db, ApiToken) == 0


async def test_revoking_someone_elses_token_is_not_found(
    client: httpx.AsyncClient, db: Database, clock: FixedClock
) -> None:
    await shopper(db, clock, "ana@example.com")
    await shopper(db, clock, "bob@example.com")
    await sign_in(client, "ana@example.com")
    await post_form(
        client,
        "/account/tokens",
        [
            ("name", "ana"),
            ("audience", "shopper"),
            ("expires", "30"),
            ("permissions", "account.view"),
        ],
    )
    page = await client.get("/account/tokens")
    token_id = page.text.split('id="token-')[1].split('"')[0]
    await post_form(client, "/signout", {})
    await sign_in(client, "bob@example.com")
    response = await post_form(client, f"/account/tokens/{token_id}/revoke", {})
    assert response.status_code == 404
    assert "Page not found" in response.text


@pytest.mark.parametrize("path", ["/no/such/page", "/static/none.css"])
async def test_unknown_pages_get_a_friendly_404(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(path)
    assert response.status_code == 404
    if path.startswith("/no"):
        assert "Page not found" in response.text
        assert "<html lang=" in response.text
