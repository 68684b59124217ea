"""With GALERIE_REDIS_URL set, sessions and login counters live in Redis, so several app
processes share them. Runs when a Redis server answers on 127.0.0.1:6379."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from dataclasses import replace

import httpx
import pytest
import redis.asyncio as redis

from galerie.audit import AuditContext
from galerie.config import Settings
from galerie.db import Database
from galerie.identity import register_shopper
from galerie.kernel import FixedClock
from galerie.web.app import SESSION_COOKIE, create_app
from tests.web.sessions import csrf_token

REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
async def redis_client() -> AsyncIterator[redis.Redis]:
    client = redis.Redis.from_url(REDIS_URL)
    try:
        await client.ping()
    except (redis.ConnectionError, OSError):
        pytest.skip("no Redis server on 127.0.0.1:6379")
    yield client
    await client.aclose()


async def test_sessions_and_login_counters_are_kept_in_redis(
    db: Database, settings: Settings, clock: FixedClock, redis_client: redis.Redis
) -> None:
    email = f"redis-{secrets.token_hex(4)}@example.test"
    password = "amber-lantern-5521"
    await register_shopper(
        db, email=email, password=password, display_name="R", language="en",
        now=clock.now(), audit=AuditContext(),
    )  # fmt: skip
    app = create_app(replace(settings, redis_url=REDIS_URL), db=db, clock=clock)
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as client:
        token = await csrf_token(client)
        wrong = await client.post(
            "/signin", data={"_csrf_token": token, "email": email, "password": "nope-nope-nope"}
        )
        assert wrong.status_code == 401
        counters = [k async for k in redis_client.scan_iter("galerie_counters*")]
        assert counters, "the failed sign-in was not counted in Redis"
        right = await client.post(
            "/signin", data={"_csrf_token": token, "email": email, "password": password}
        )
        assert right.status_code == 303
        session_id = client.cookies.get(SESSION_COOKIE)
        assert session_id
        stored = [k async for k in redis_client.scan_iter(f"*{session_id}*")]
        assert len(stored) == 1
        assert (await client.get("/account")).status_code == 200
        await redis_client.delete(*stored, *counters)
