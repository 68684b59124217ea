"""Signing a test client in: the same thing the sign-in page leaves behind, a server-side
session holding the user id, written to the app's session store."""

from __future__ import annotations

import secrets

import httpx
import msgspec
from litestar import Litestar

from galerie.web.app import CSRF_COOKIE, SESSION_COOKIE
from galerie.web.auth import galerie_of_app
from galerie.web.context import SESSION_USER


async def sign_in_as(client: httpx.AsyncClient, app: Litestar, user_id: int) -> None:
    session_id = secrets.token_hex(32)
    store = galerie_of_app(app).session_store
    await store.set(session_id, msgspec.json.encode({SESSION_USER: user_id}), expires_in=3600)
    client.cookies.set(SESSION_COOKIE, session_id)


async def csrf_token(client: httpx.AsyncClient) -> str:
    """Fetch a page so the CSRF middleware sets its cookie, and return the token."""
    await client.get("/")
    token = client.cookies.get(CSRF_COOKIE)
    assert token, "the CSRF middleware set no cookie"
    return token
