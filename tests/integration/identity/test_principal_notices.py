"""The principal cache hears PostgreSQL's change notices (ADR 0019, migration 0028): on a
database of the test's own, through real connections that commit, a cached principal is
forgotten once a token is revoked, a user deactivated or a role revoked; a lost listening
connection stops the cache serving until it listens again. On SQLite nothing listens and
the cache reads every time."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, text, update

from galerie.audit import AuditContext
from galerie.db import Database
from galerie.db.notices import NAME
from galerie.identity import (
    Audience,
    OperatorRole,
    PrincipalCache,
    issue_api_token,
    principal_notices,
    revoke_api_token,
    token_principal,
)
from galerie.identity.models import OperatorRoleGrant, User
from galerie.identity.principal_cache import CHANNEL, Resolved
from tests.integration.identity.factories import make_operator, make_user

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
WAIT = 5.0  # seconds: a notice arrives in milliseconds; a reconnection within RETRY_SECONDS


async def eventually(condition: Callable[[], bool], what: str) -> None:
    deadline = asyncio.get_running_loop().time() + WAIT
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            pytest.fail(f"not within {WAIT} s: {what}")
        await asyncio.sleep(0.01)


@pytest.fixture
async def database(fresh_url: str) -> AsyncIterator[Database]:
    db = Database.from_url(fresh_url)
    yield db
    await db.dispose()


class HeardCache(PrincipalCache):
    """The cache, remembering the payloads of the notices it heard (for `quiet`)."""

    def __init__(self) -> None:
        super().__init__(ttl=timedelta(minutes=5))
        self.heard: list[str] = []

    def notice(self, payload: str) -> None:
        self.heard.append(payload)
        super().notice(payload)


async def quiet(database: Database, cache: HeardCache) -> None:
    """Every notice of the commits made so far heard: a notice of our own, committed now,
    arrives after them (one connection hears them in commit order)."""
    async with database.transaction() as session:
        await session.execute(text("SELECT pg_notify(:channel, 'quiet')"), {"channel": CHANNEL})
    await eventually(lambda: "quiet" in cache.heard, "the notices of earlier commits")


@pytest.fixture
async def cache(database: Database) -> AsyncIterator[HeardCache]:
    cache = HeardCache()
    async with principal_notices(database, cache):
        if database.dialect == "postgresql":
            await eventually(lambda: cache.serving, "the cache listens")
        yield cache
    assert not cache.serving


class Reads:
    """Resolving a token through the cache, counting the database's reads."""

    def __init__(self, db: Database, cache: PrincipalCache, token: str) -> None:
        self.db, self.cache, self.token, self.count = db, cache, token, 0

    async def read(self) -> Resolved:
        self.count += 1
        async with self.db.hot_reads() as raw:
            return await token_principal(raw, self.token, now=NOW)

    async def resolve(self) -> object:
        return await self.cache.resolve(self.token, NOW, self.read)


async def token_of(db: Database, user_id: int) -> tuple[int, str]:
    issued = await issue_api_token(
        db, user_id=user_id, name="script", audience=Audience.SHOPPER,
        permissions=["account.view"], organisation_id=None, expires_at=None, now=NOW,
        audit=AuditContext(ip_address="203.0.113.7", request_id="r"),
    )  # fmt: skip
    return issued.id, issued.token


async def heard_reads(database: Database, cache: HeardCache, user_id: int) -> Reads:
    """Reads of a new token of `user_id`, for the tests of PostgreSQL's notices alone; the
    notices of the user's and the token's commits are heard before it returns (a read
    overlapping one of them would be answered but not kept)."""
    if database.dialect != "postgresql":
        pytest.skip("notices are PostgreSQL's")
    _, token = await token_of(database, user_id)
    await quiet(database, cache)
    return Reads(database, cache, token)


async def test_a_revoked_token_is_forgotten_once_its_notice_arrives(
    database: Database, cache: HeardCache
) -> None:
    user_id = await make_user(database, NOW, "ana@example.com")
    token_id, token = await token_of(database, user_id)
    if database.dialect == "postgresql":
        await quiet(database, cache)
    reads = Reads(database, cache, token)
    first = await reads.resolve()
    assert first is not None
    assert await reads.resolve() == first
    cached = database.dialect == "postgresql"
    assert reads.count == (1 if cached else 2)

    await revoke_api_token(
        database, user_id=user_id, token_id=token_id, now=NOW,
        audit=AuditContext(ip_address="203.0.113.7", request_id="r"),
    )  # fmt: skip
    await eventually(lambda: len(cache) == 0, "the revocation's notice empties the cache")
    assert await reads.resolve() is None


async def test_deactivating_the_user_or_revoking_a_role_is_heard(
    database: Database, cache: HeardCache
) -> None:
    user_id = await make_operator(database, NOW, "ops@example.com", OperatorRole.SUPPORT)
    reads = await heard_reads(database, cache, user_id)
    changes = [
        delete(OperatorRoleGrant).where(OperatorRoleGrant.user_id == user_id),
        update(User).where(User.id == user_id).values(is_active=False),
    ]
    for change in changes:
        assert await reads.resolve() is not None
        assert len(cache) == 1
        async with database.transaction() as session:
            await session.execute(change)
        await eventually(lambda: len(cache) == 0, f"{change} empties the cache")
    assert await reads.resolve() is None


async def test_a_lost_listening_connection_stops_the_cache_until_it_listens_again(
    database: Database, cache: HeardCache
) -> None:
    reads = await heard_reads(database, cache, await make_user(database, NOW, "ben@example.com"))
    await reads.resolve()
    assert len(cache) == 1
    async with database.transaction() as session:
        ended = await session.scalar(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE application_name = :name AND datname = current_database()"
            ).bindparams(name=NAME)
        )
    assert ended == 1
    await eventually(lambda: not cache.serving, "the cache stops serving")
    assert len(cache) == 0
    await reads.resolve()
    assert (reads.count, len(cache)) == (2, 0)
    await eventually(lambda: cache.serving, "the cache listens again")
    await reads.resolve()
    await reads.resolve()
    assert reads.count == 3
