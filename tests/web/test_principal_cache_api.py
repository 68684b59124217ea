"""An API call's principal comes from the principal cache while the app hears the change
notices (ADR 0019, PostgreSQL; the app's lifespan starts the listening): a revoked token is
refused once the revocation's notice has arrived, without restarting anything."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import httpx
from sqlalchemy import update

from galerie.config import Settings
from galerie.db import Database
from galerie.identity.models import ApiToken
from galerie.kernel import FixedClock
from galerie.storage import InMemoryStorage
from galerie.web.app import create_app
from galerie.web.auth import galerie_of_app
from tests.factories import make_token
from tests.integration.identity.factories import make_user

WAIT = 5.0


async def test_a_revoked_token_is_refused_once_its_notice_has_arrived(
    fresh_url: str, settings: Settings, clock: FixedClock, tmp_path: Path
) -> None:
    database = Database.from_url(fresh_url)
    try:
        user_id = await make_user(database, clock.now(), "ana@example.com")
        token = await make_token(
            database, user_id=user_id, now=clock.now(), permissions=["account.view"],
            expires_at=clock.now() + timedelta(days=1),
        )  # fmt: skip
        app = create_app(settings, db=database, clock=clock, storage=InMemoryStorage())
        cache = galerie_of_app(app).principals
        headers = {"Authorization": f"Bearer {token}"}
        transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
        client = httpx.AsyncClient(transport=transport, base_url="http://t")
        async with app.lifespan(), client:  # what the server runs around its requests
            loop = asyncio.get_running_loop()
            deadline = loop.time() + WAIT
            serving = database.dialect == "postgresql"
            while serving and not cache.serving:
                assert loop.time() < deadline, "the app's cache never listened"
                await asyncio.sleep(0.01)
            for _ in range(2):
                answer = await client.get("/api/v1/cart", headers=headers)
                assert answer.status_code == 200, answer.text
            assert len(cache) == (1 if serving else 0)

            async with database.transaction() as session:
                await session.execute(update(ApiToken).values(revoked_at=clock.now()))
            while len(cache):
                assert loop.time() < deadline, "the revocation was never heard"
                await asyncio.sleep(0.01)
            refused = await client.get("/api/v1/cart", headers=headers)
            assert refused.status_code == 401
        assert not cache.serving
    finally:
        await database.dispose()


async def test_a_cache_of_zero_seconds_never_serves(
    fresh_url: str, settings: Settings, clock: FixedClock
) -> None:
    database = Database.from_url(fresh_url)
    try:
        unserved = replace(settings, principal_cache_seconds=0.0)
        app = create_app(unserved, db=database, clock=clock, storage=InMemoryStorage())
        transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
        client = httpx.AsyncClient(transport=transport, base_url="http://t")
        async with app.lifespan(), client:
            await asyncio.sleep(0.2)
            assert (await client.get("/healthz")).status_code == 200
            assert not galerie_of_app(app).principals.serving
    finally:
        await database.dispose()
