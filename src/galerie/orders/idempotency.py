"""Idempotency keys with Stripe's semantics, for requests that must run once (placing an
order, later paying it).

- The first request with a key claims it (a row `in_progress`, committed at once), runs its
  work in one transaction that also stores the response (`done`), and returns it.
- The same key with the same request (same fingerprint) replays the stored response.
- The same key with a different request is refused: IdempotencyKeyReused
  (`idempotency_key_reused`), whatever the state.
- While the first is still running, a duplicate is refused: IdempotencyInProgress
  (`idempotency_in_progress`, retry later). A claim whose lease (1 minute) ran out, its
  process gone, may be taken over; the fenced `attempt` then stops the old run from
  storing its result.
- A request whose work failed changed nothing (its transaction rolled back), so its claim
  is dropped and a retry with the same key runs it again.
- Keys are kept 24 hours at least; `purge_idempotency_keys` deletes older ones (a timer).

The claim is `INSERT ... ON CONFLICT DO NOTHING` on the unique (scope, key): two
concurrent first requests cannot both claim it, on either database."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import CursorResult, delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.db import Database
from galerie.kernel import ValidationFailed
from galerie.orders.errors import IdempotencyInProgress, IdempotencyKeyReused
from galerie.orders.models import IdempotencyKey

KEEP_FOR = timedelta(hours=24)
LEASE = timedelta(minutes=1)
MAX_KEY = 255
IN_PROGRESS, DONE = "in_progress", "done"


@dataclass(frozen=True, slots=True)
class StoredResponse:
    """What a request answered (an HTTP status and a JSON body); `replayed` is True when
    it comes from an earlier run of the same key."""

    status: int
    body: Any
    replayed: bool = False


Work = Callable[[AsyncSession], Awaitable[StoredResponse]]


def fingerprint_of(request: bytes | Mapping[str, Any] | Sequence[Any]) -> str:
    """SHA-256 of the raw body, or of the canonical JSON of a parsed request."""
    data = (
        request
        if isinstance(request, bytes)
        else json.dumps(request, sort_keys=True, separators=(",", ":"), default=str).encode()
    )
    return hashlib.sha256(data).hexdigest()


def checked_key(key: str | None) -> str:
    text = (key or "").strip()
    if not text or len(text) > MAX_KEY or not text.isprintable():
        raise ValidationFailed(
            f"Send an Idempotency-Key of 1 to {MAX_KEY} printable characters.",
            field="idempotency_key",
            code="bad_idempotency_key",
        )
    return text


async def _insert_claim(
    session: AsyncSession, scope: str, key: str, fingerprint: str, now: datetime
) -> bool:
    """Claim a new key (True), or find it taken (False): the unique key decides."""
    dialect = (await session.connection()).dialect.name
    maker = pg_insert if dialect == "postgresql" else sqlite_insert
    inserted = await session.scalar(
        maker(IdempotencyKey)
        .values(
            scope=scope,
            key=key,
            fingerprint=fingerprint,
            state=IN_PROGRESS,
            attempt=1,
            locked_until=now + LEASE,
            created_at=now,
            expires_at=now + KEEP_FOR,
        )
        .on_conflict_do_nothing(index_elements=["scope", "key"])
        .returning(IdempotencyKey.id)
    )
    return inserted is not None


async def _claim(
    session: AsyncSession, scope: str, key: str, fingerprint: str, now: datetime
) -> StoredResponse | int:
    """The attempt number this run holds, or the stored response to replay."""
    if await _insert_claim(session, scope, key, fingerprint, now):
        return 1
    row = (
        await session.execute(
            select(IdempotencyKey)
            .where(IdempotencyKey.scope == scope, IdempotencyKey.key == key)
            .with_for_update()
        )
    ).scalar_one()
    expired = row.expires_at <= now
    if not expired and row.fingerprint != fingerprint:
        raise IdempotencyKeyReused(
            "This Idempotency-Key was used for a different request.", field="idempotency_key"
        )
    if not expired and row.state == DONE:
        return StoredResponse(int(row.response_status or 200), row.response_body, True)
    if not expired and row.locked_until > now:
        raise IdempotencyInProgress("A request with this key is still running; retry later.")
    # An expired key starts afresh; a lease run out (its process gone) is taken over.
    await session.execute(
        update(IdempotencyKey)
        .where(IdempotencyKey.id == row.id)
        .values(
            fingerprint=fingerprint,
            state=IN_PROGRESS,
            attempt=row.attempt + 1,
            locked_until=now + LEASE,
            response_status=None,
            response_body=None,
            created_at=now if expired else row.created_at,
            expires_at=now + KEEP_FOR if expired else row.expires_at,
        )
        .execution_options(synchronize_session=False)
    )
    return row.attempt + 1


async def _finish(
    session: AsyncSession, scope: str, key: str, attempt: int, response: StoredResponse
) -> None:
    result = await session.execute(
        update(IdempotencyKey)
        .where(
            IdempotencyKey.scope == scope,
            IdempotencyKey.key == key,
            IdempotencyKey.state == IN_PROGRESS,
            IdempotencyKey.attempt == attempt,
        )
        .values(state=DONE, response_status=response.status, response_body=response.body)
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    if result.rowcount != 1:  # our lease ran out and another run took the key over
        raise IdempotencyInProgress("A request with this key is still running; retry later.")


async def _release(db: Database, scope: str, key: str, attempt: int) -> None:
    async with db.transaction() as session:
        await session.execute(
            delete(IdempotencyKey).where(
                IdempotencyKey.scope == scope,
                IdempotencyKey.key == key,
                IdempotencyKey.state == IN_PROGRESS,
                IdempotencyKey.attempt == attempt,
            )
        )


async def run_once(
    db: Database,
    *,
    scope: str,
    key: str | None,
    request: bytes | Mapping[str, Any] | Sequence[Any],
    now: datetime,
    work: Work,
) -> StoredResponse:
    """Run `work` (in one transaction, which also stores its response) once per
    (`scope`, `key`) and `request`; see the module's rules. `scope` keeps callers apart
    (e.g. "checkout:<buyer id>"), so one buyer's key never meets another's."""
    key = checked_key(key)
    fingerprint = fingerprint_of(request)
    async with db.transaction() as session:
        claim = await _claim(session, scope, key, fingerprint, now)
    if isinstance(claim, StoredResponse):
        return claim
    try:
        async with db.transaction() as session:
            response = await work(session)
            await _finish(session, scope, key, claim, response)
    except Exception:
        await _release(db, scope, key, claim)
        raise
    return response


async def purge_idempotency_keys(db: Database, *, now: datetime) -> int:
    """Delete the keys kept for 24 hours or more (a timer); returns how many."""
    async with db.transaction() as session:
        result = await session.execute(
            delete(IdempotencyKey).where(IdempotencyKey.expires_at <= now)
        )
    assert isinstance(result, CursorResult)
    return int(result.rowcount)
