"""Helpers for the page tests (no tests here): users and organisations made through the
identity services, CSRF-carrying form posts, row counts."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import httpx
from sqlalchemy import func, select

from galerie.audit import AuditContext
from galerie.db import Database
from galerie.identity import (
    OperatorRole,
    SellerRole,
    add_seller_member,
    create_operator,
    create_seller_organisation,
    load_principal,
    register_shopper,
)
from galerie.identity.models import ApiToken, SellerMembership, User
from galerie.kernel import FixedClock

PASSWORD = "Velvet-Harbour-42"
CSRF_COOKIE = "galerie_csrf"
SESSION_COOKIE = "galerie_session"
SYSTEM = AuditContext()


async def shopper(
    db: Database, clock: FixedClock, email: str = "ana@example.com", name: str = "Ana"
) -> int:
    return await register_shopper(
        db,
        email=email,
        password=PASSWORD,
        display_name=name,
        language="en",
        now=clock.now(),
        audit=SYSTEM,
    )


async def operator(
    db: Database, clock: FixedClock, roles: list[OperatorRole], email: str = "op@example.com"
) -> int:
    return await create_operator(
        db,
        email=email,
        password=PASSWORD,
        display_name="Olga Operator",
        roles=roles,
        language="en",
        now=clock.now(),
        audit=SYSTEM,
    )


async def organisation(db: Database, clock: FixedClock, owner_id: int, name: str) -> int:
    return await create_seller_organisation(
        db, name=name, owner_user_id=owner_id, now=clock.now(), audit=SYSTEM
    )


async def member(
    db: Database, clock: FixedClock, *, owner_id: int, org_id: int, email: str, role: SellerRole
) -> None:
    async with db.reading() as session:
        actor = await load_principal(session, owner_id)
    assert actor is not None
    await add_seller_member(
        db,
        actor=actor,
        organisation_id=org_id,
        email=email,
        role=role,
        acting_for_brand=None,
        now=clock.now(),
        audit=SYSTEM,
    )


async def csrf_token(client: httpx.AsyncClient) -> str:
    """The CSRF cookie, fetched by a GET when the client has none yet."""
    token = client.cookies.get(CSRF_COOKIE)
    if token is None:
        await client.get("/signin")
        token = client.cookies.get(CSRF_COOKIE)
    assert token
    return token


async def post_form(
    client: httpx.AsyncClient,
    path: str,
    data: dict[str, Any] | list[tuple[str, str]],
    *,
    csrf: str | None = "auto",
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """POST urlencoded; csrf="auto" sends the right token, None sends none, else that value."""
    fields = list(data.items()) if isinstance(data, dict) else list(data)
    if csrf == "auto":
        fields.append(("_csrf_token", await csrf_token(client)))
    elif csrf is not None:
        await csrf_token(client)
        fields.append(("_csrf_token", csrf))
    body = urlencode(fields)
    sent = {"content-type": "application/x-www-form-urlencoded", **(headers or {})}
    return await client.post(path, content=body, headers=sent)


async def sign_in(
    client: httpx.AsyncClient, email: str, password: str = PASSWORD, next_path: str = ""
) -> httpx.Response:
    response = await post_form(
        client, "/signin", {"email": email, "password": password, "next": next_path}
    )
    assert response.status_code == 303, response.text
    return response


async def count(db: Database, model: Any) -> int:
    async with db.reading() as session:
        total = await session.scalar(select(func.count()).select_from(model))
    return int(total or 0)


COUNTED = (User, ApiToken, SellerMembership)
