"""Pages: registering, signing in and out, sessions and CSRF, through the real app."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta

import httpx
import pyotp
import pytest
from sqlalchemy import select

from galerie.audit import AuditRecord
from galerie.config import Settings
from galerie.db import Database
from galerie.identity import OperatorRole, begin_totp_enrolment, confirm_totp_enrolment
from galerie.identity.models import ApiToken, User
from galerie.kernel import FixedClock
from galerie.web.app import create_app
from galerie.web.refusals import is_privileged_path
from tests.web.test_pages_support import (
    PASSWORD,
    SESSION_COOKIE,
    SYSTEM,
    count,
    operator,
    post_form,
    shopper,
    sign_in,
)


async def test_register_creates_the_account_and_signs_in(
    client: httpx.AsyncClient, db: Database
) -> None:
    form = await client.get("/register")
    assert form.status_code == 200
    assert 'name="_csrf_token"' in form.text
    response = await post_form(
        client,
        "/register",
        {"display_name": "Bea", "email": "Bea@Example.com", "password": PASSWORD},
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/account"
    account = await client.get("/account")
    assert account.status_code == 200
    assert "bea@example.com" in account.text
    assert await count(db, User) == 1


async def test_register_errors_are_inline_and_create_nothing(
    client: httpx.AsyncClient, db: Database
) -> None:
    response = await post_form(
        client, "/register", {"display_name": "", "email": "not-an-email", "password": "short"}
    )
    assert response.status_code == 422
    assert 'id="display_name-error"' in response.text
    assert 'aria-invalid="true"' in response.text
    assert "short" not in response.text  # the password is never echoed
    assert 'value="not-an-email"' in response.text
    weak = await post_form(
        client, "/register", {"display_name": "B", "email": "b@example.com", "password": "short"}
    )
    assert weak.status_code == 422
    assert 'id="password-error"' in weak.text
    assert await count(db, User) == 0


async def test_register_with_a_taken_email_is_refused_inline(
    client: httpx.AsyncClient, db: Database, clock: FixedClock
) -> None:
    await shopper(db, clock, "ana@example.com")
    response = await post_form(
        client,
        "/register",
        {"display_name": "Other", "email": "ana@example.com", "password": PASSWORD},
    )
    assert response.status_code == 422
    assert "An account already uses this e-mail address." in response.text
    assert await count(db, User) == 1
    assert client.cookies.get(SESSION_COOKIE) in (None, "null") or (
        (await client.get("/account")).status_code == 302
    )


async def test_wrong_password_and_unknown_email_look_the_same(
    client: httpx.AsyncClient, db: Database, clock: FixedClock
) -> None:
    await shopper(db, clock, "ana@example.com")
    wrong = await post_form(
        client, "/signin", {"email": "ana@example.com", "password": "Wrong-Password-1"}
    )
    unknown = await post_form(
        client, "/signin", {"email": "zed@example.com", "password": "Wrong-Password-1"}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.text.replace("ana@example.com", "X") == unknown.text.replace(
        "zed@example.com", "X"
    )
    assert "The e-mail address or the password is wrong." in wrong.text
    assert "Wrong-Password-1" not in wrong.text


async def test_sign_in_rotates_the_session_and_honours_a_safe_next(
    client: httpx.AsyncClient, db: Database, clock: FixedClock
) -> None:
    await shopper(db, clock, "ana@example.com")
    planted = "attacker-chosen-session-id"
    client.cookies.set(SESSION_COOKIE, planted, domain="127.0.0.1")
    response = await sign_in(client, "ana@example.com", next_path="/account/tokens")
    assert response.headers["location"] == "/account/tokens"
    first = client.cookies.get(SESSION_COOKIE)
    assert first
    assert first not in (planted, "null")
    again = await sign_in(client, "ana@example.com")
    assert again.headers["location"] == "/account"
    second = client.cookies.get(SESSION_COOKIE)
    assert second
    assert second != first
    # The id from before the second sign-in is worth nothing now.
    stale = httpx.AsyncClient(transport=client._transport, base_url=str(client.base_url))
    stale.cookies.set(SESSION_COOKIE, first or "", domain="127.0.0.1")
    assert (await stale.get("/account")).status_code == 302
    await stale.aclose()


@pytest.mark.parametrize("target", ["https://evil.example/x", "//evil.example", "/\\evil.example"])
async def test_sign_in_refuses_an_off_site_next(
    client: httpx.AsyncClient, db: Database, clock: FixedClock, target: str
) -> None:
    await shopper(db, clock, "ana@example.com")
    response = await sign_in(client, "ana@example.com", next_path=target)
    assert response.headers["location"] == "/account"


async def test_sign_out_clears_the_session(
    client: httpx.AsyncClient, db: Database, clock: FixedClock
) -> None:
    await shopper(db, clock, "ana@example.com")
    await sign_in(client, "ana@example.com")
    signed_in_id = client.cookies.get(SESSION_COOKIE)
    response = await post_form(client, "/signout", {})
    assert response.status_code == 303
    assert client.cookies.get(SESSION_COOKIE) in (None, "null")
    assert (await client.get("/account")).status_code == 302
    client.cookies.set(SESSION_COOKIE, signed_in_id or "", domain="127.0.0.1")
    assert (await client.get("/account")).status_code == 302


async def test_anonymous_account_pages_redirect_to_sign_in(client: httpx.AsyncClient) -> None:
    for path in ("/account", "/account/security", "/account/tokens"):
        response = await client.get(path)
        assert response.status_code == 302
        assert response.headers["location"] == f"/signin?next={path}"


async def test_the_second_factor_is_asked_before_the_session_is_signed_in(
    client: httpx.AsyncClient, db: Database, clock: FixedClock
) -> None:
    user_id = await shopper(db, clock, "ana@example.com")
    enrolment = await begin_totp_enrolment(db, user_id=user_id, now=clock.now())
    totp = pyotp.TOTP(enrolment.secret)
    await confirm_totp_enrolment(
        db, user_id=user_id, code=totp.at(clock.now()), now=clock.now(), audit=SYSTEM
    )
    response = await sign_in(client, "ana@example.com", next_path="/account/tokens")
    assert response.headers["location"] == "/signin/second-factor"
    assert (await client.get("/account")).status_code == 302  # not signed in yet
    page = await client.get("/signin/second-factor")
    assert page.status_code == 200
    bad = await post_form(client, "/signin/second-factor", {"code": "000000"})
    assert bad.status_code == 401
    assert "This code is not valid." in bad.text
    clock.advance(timedelta(seconds=30))
    good = await post_form(client, "/signin/second-factor", {"code": totp.at(clock.now())})
    assert good.status_code == 303
    assert good.headers["location"] == "/account/tokens"
    assert (await client.get("/account")).status_code == 200


async def test_second_factor_without_a_pending_sign_in_goes_back(
    client: httpx.AsyncClient,
) -> None:
    assert (await client.get("/signin/second-factor")).headers["location"] == "/signin"
    response = await post_form(client, "/signin/second-factor", {"code": "123456"})
    assert response.status_code == 303
    assert response.headers["location"] == "/signin"


async def test_an_operator_must_enrol_before_anything_else(
    app_requiring_totp: httpx.AsyncClient, db: Database, clock: FixedClock
) -> None:
    client = app_requiring_totp
    await operator(db, clock, [OperatorRole.SUPPORT])
    response = await sign_in(client, "op@example.com")
    assert response.headers["location"] == "/account/security"
    for path in ("/", "/console", "/account", "/account/tokens"):
        blocked = await client.get(path)
        assert blocked.status_code == 303, path
        assert blocked.headers["location"] == "/account/security"
    page = await client.get("/account/security")
    assert "Your role requires two-step sign-in" in page.text
    begun = await post_form(client, "/account/security/begin", {})
    assert begun.status_code == 200
    secret = re.search(r'<code class="secret">([A-Z2-7]{16,})</code>', begun.text)
    assert secret is not None
    code = pyotp.TOTP(secret.group(1)).at(clock.now())
    confirmed = await post_form(client, "/account/security/confirm", {"code": code})
    assert confirmed.status_code == 303
    assert (await client.get("/console")).status_code == 200


@pytest.fixture
async def app_requiring_totp(
    db: Database, clock: FixedClock, settings: Settings
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(replace(settings, require_totp=True), db=db, clock=clock)
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 50000))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as c:
        yield c


POSTS = [
    ("/register", {"display_name": "Eve", "email": "eve@example.com", "password": PASSWORD}),
    ("/signin", {"email": "ana@example.com", "password": PASSWORD}),
    ("/signout", {}),
    ("/language", {"language": "fr", "next": "/"}),
    ("/account/security/begin", {}),
    ("/account/security/confirm", {"code": "123456"}),
    ("/account/tokens", {"name": "ci", "audience": "shopper", "expires": "30"}),
    ("/account/tokens/1/revoke", {}),
    ("/seller/organisation", {"organisation_id": "1"}),
]


@pytest.mark.parametrize(("path", "data"), POSTS, ids=[p for p, _ in POSTS])
@pytest.mark.parametrize("token", [None, "wrong", "forged"])
async def test_every_form_refuses_a_missing_or_wrong_csrf_token(
    client: httpx.AsyncClient,
    db: Database,
    clock: FixedClock,
    path: str,
    data: dict[str, str],
    token: str | None,
) -> None:
    await shopper(db, clock, "ana@example.com")
    await sign_in(client, "ana@example.com")
    session_before = client.cookies.get(SESSION_COOKIE)
    before = (await count(db, User), await count(db, ApiToken), await _audit_count(db))
    sent = {"wrong": "0" * 128, "forged": "a" * 64 + "b" * 64}.get(token or "", None)
    fields = [*data.items(), ("permissions", "account.view")]
    response = await post_form(client, path, fields, csrf=sent)
    assert response.status_code == 403
    assert "You cannot do this" in response.text
    after = (await count(db, User), await count(db, ApiToken), await _audit_count(db))
    audited = 1 if is_privileged_path(path) else 0  # forged forms on privileged paths
    assert after == (before[0], before[1], before[2] + audited)
    assert client.cookies.get(SESSION_COOKIE) == session_before
    assert "galerie_lang" not in client.cookies
    assert (await client.get("/account")).status_code == 200  # still signed in


async def _audit_count(db: Database) -> int:
    async with db.reading() as session:
        return len(list(await session.scalars(select(AuditRecord.id))))
