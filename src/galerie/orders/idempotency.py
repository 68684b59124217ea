"""Idempotency keys with Stripe's semantics, for requests that must run once (placing an
order, later paying it).

- The first request with a key claims it and runs its work in the SAME transaction, which
  also stores the response (`done`): one transaction, two statements of its own (the claim
  and the stored response). A run that fails or dies (a crash, SIGKILL) rolls back with its
  claim, so the key is free at once for a retry; no lease to wait out.
- The same key with the same request (same fingerprint) replays the stored response.
- The same key with a different request is refused: IdempotencyKeyReused
  (`idempotency_key_reused`), whatever the state.
- While the first is still running, a duplicate is refused: IdempotencyInProgress
  (`idempotency_in_progress`, retry later). On PostgreSQL the claim takes a transaction-level
  advisory lock on the (scope, key) without waiting, so a duplicate sees at once that a run
  holds it; SQLite's writers are serialised, so there a duplicate runs after the first and
  replays its response.
- Keys are kept 24 hours at least; `purge_idempotency_keys` deletes older ones (a timer); a
  key met after that starts afresh.

The claim is `INSERT ... ON CONFLICT DO NOTHING` on the unique (scope, key): two
concurrent first requests cannot both claim it, on either database."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import CursorResult, delete

from galerie.db import Database, NeedsTransaction, RawSQL
from galerie.kernel import DomainError, ValidationFailed
from galerie.orders.errors import IdempotencyInProgress, IdempotencyKeyReused
from galerie.orders.models import IdempotencyKey

KEEP_FOR = timedelta(hours=24)
MAX_KEY = 255
IN_PROGRESS, DONE = "in_progress", "done"

_COLUMNS = (
    "INSERT INTO idempotency_keys (scope, key, fingerprint, state, attempt, locked_until, "
    "created_at, expires_at) "
)
CLAIM_SQL = {
    "postgresql": _COLUMNS + "SELECT $1::varchar, $2::varchar, $3, 'in_progress', 1, $4, $4, $5 "
    "WHERE pg_try_advisory_xact_lock(hashtextextended($1::varchar || ' ' || $2::varchar, 0)) "
    "ON CONFLICT (scope, key) DO NOTHING RETURNING id",
    "sqlite": _COLUMNS + "VALUES ($1, $2, $3, 'in_progress', 1, $4, $4, $5) "
    "ON CONFLICT (scope, key) DO NOTHING RETURNING id",
}
STORE_SQL = (  # a single statement's key, stored done with its response (ADR 0015)
    "INSERT INTO idempotency_keys (scope, key, fingerprint, state, attempt, locked_until, "
    "created_at, expires_at, response_status, response_body) "
    "VALUES ($1, $2, $3, 'done', 1, $4, $4, $5, $6, $7)"
)
FIND_SQL = (
    "SELECT id, fingerprint, state, response_status, response_body, expires_at "
    "FROM idempotency_keys WHERE scope = $1 AND key = $2"
)
RESTART_SQL = (  # an expired key starts afresh (unless another run restarted it first)
    "UPDATE idempotency_keys SET fingerprint = $2, state = 'in_progress', "
    "attempt = attempt + 1, locked_until = $3, response_status = NULL, "
    "response_body = NULL, created_at = $3, expires_at = $4 WHERE id = $1 AND expires_at <= $3"
)
FINISH_SQL = (
    "UPDATE idempotency_keys SET state = 'done', response_status = $2, response_body = $3 "
    "WHERE id = $1"
)


@dataclass(frozen=True, slots=True)
class StoredResponse:
    """What a request answered (an HTTP status and a JSON body); `replayed` is True when
    it comes from an earlier run of the same key."""

    status: int
    body: Any
    replayed: bool = False


Work = Callable[[RawSQL], Awaitable[StoredResponse]]


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


def _in_progress() -> IdempotencyInProgress:
    return IdempotencyInProgress("A request with this key is still running; retry later.")


class _Replay(Exception):
    def __init__(self, stored: StoredResponse) -> None:
        super().__init__("replay")
        self.stored = stored


async def _claim(raw: RawSQL, scope: str, key: str, fingerprint: str, now: datetime) -> list[int]:
    """Claim the key as the `lead` of the transaction's first read (on PostgreSQL it
    travels with it: one round trip fewer). The returned list receives the id of the key
    this run holds; the read raises _Replay with the stored response to replay, or
    IdempotencyKeyReused / IdempotencyInProgress."""
    held: list[int] = []

    async def then(claimed: Sequence[Any] | None) -> None:
        if claimed is not None:
            held.append(int(claimed[0]))
            return
        found = await _not_claimed(raw, scope, key, fingerprint, now)
        if isinstance(found, StoredResponse):
            raise _Replay(found)
        held.append(found)

    at, expires = raw.at(now), raw.at(now + KEEP_FOR)
    await raw.lead(CLAIM_SQL[raw.dialect], scope, key, fingerprint, at, expires, then=then)
    return held


async def _not_claimed(
    raw: RawSQL, scope: str, key: str, fingerprint: str, now: datetime
) -> StoredResponse | int:
    """The claim inserted nothing: the stored response to replay, or the id of an expired
    key restarted for this run."""
    at, expires = raw.at(now), raw.at(now + KEEP_FOR)
    row = await raw.fetchrow(FIND_SQL, scope, key)
    if row is None:  # claimed by a transaction not yet committed (PostgreSQL)
        raise _in_progress()
    key_id, stored_fingerprint, state, status, body, expires_at = row
    expired = raw.datetime_of(expires_at) <= now
    if not expired and stored_fingerprint != fingerprint:
        raise IdempotencyKeyReused(
            "This Idempotency-Key was used for a different request.", field="idempotency_key"
        )
    if not expired and state == DONE:
        return StoredResponse(int(status or 200), raw.json_of(body), True)
    if not expired or not await raw.execute(RESTART_SQL, key_id, fingerprint, at, expires):
        raise _in_progress()  # our own transaction's claim, or another restart won
    return int(key_id)


async def run_once(
    db: Database,
    *,
    scope: str,
    key: str | None,
    request: bytes | Mapping[str, Any] | Sequence[Any],
    now: datetime,
    work: Work,
    claim_with_first_read: bool = False,
    single_statement: bool = False,
) -> StoredResponse:
    """Run `work` once per (`scope`, `key`) and `request`, in ONE raw transaction
    (`Database.raw_transaction`) that also claims the key and stores the response; see the
    module's rules. `scope` keeps callers apart (e.g. "checkout:<buyer id>"), so one
    buyer's key never meets another's.

    `claim_with_first_read`: the claim travels with the work's first read (RawSQL.lead, one
    round trip fewer on PostgreSQL), so the work is called before the claim is known and a
    duplicate's first read raises (its transaction rolls back, the stored response is
    replayed or IdempotencyInProgress / IdempotencyKeyReused raised). Only for a work whose
    every effect is in the transaction; otherwise the key is claimed before `work` runs.

    `single_statement`: on PostgreSQL, first try `work` as ONE statement
    (`Database.single_statement`, ADR 0015) that also stores the key done with its
    response; a key already there fails it (its unique index) like anything else the
    statement cannot decide alone, and then, as on SQLite, the transaction above decides:
    a replay, a refusal, or the work done. Only a success is ever answered from the
    single statement; a work raising a DomainError is done again in the transaction,
    which gives the error its answer (or replays a stored response)."""
    key = checked_key(key)
    fingerprint = fingerprint_of(request)
    if single_statement and db.dialect == "postgresql":
        try:
            return await _in_one_statement(db, scope, key, fingerprint, now, work)
        except (NeedsTransaction, DomainError):
            pass  # nothing was written: the transaction below decides
    try:
        async with db.raw_transaction() as raw:
            held = await _claim(raw, scope, key, fingerprint, now)
            if not claim_with_first_read:
                await raw.settle_lead()
            response = await work(raw)
            await raw.settle_lead()  # a work that read nothing
            await raw.defer(FINISH_SQL, held[0], response.status, raw.json(response.body))
    except _Replay as replay:  # the transaction rolled back; it changed nothing
        return replay.stored
    return response


async def _in_one_statement(
    db: Database, scope: str, key: str, fingerprint: str, now: datetime, work: Work
) -> StoredResponse:
    async with db.single_statement() as raw:
        response = await work(raw)
        at, expires = raw.at(now), raw.at(now + KEEP_FOR)
        body = raw.json(response.body)
        await raw.defer(STORE_SQL, scope, key, fingerprint, at, expires, response.status, body)
    return response


async def purge_idempotency_keys(db: Database, *, now: datetime) -> int:
    """Delete the keys kept for 24 hours or more (a timer); returns how many."""
    async with db.transaction() as session:
        result = await session.execute(
            delete(IdempotencyKey).where(IdempotencyKey.expires_at <= now)
        )
    assert isinstance(result, CursorResult)
    return int(result.rowcount)
