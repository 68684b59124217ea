"""A per-process cache of resolved principals (ADR 0019): an API call's bearer token, or a
page's signed-in user, resolved once and then answered from memory, for at most `ttl`.

It serves only while it hears every change: on PostgreSQL each statement that changes a
principal's rows (api_tokens, users, operator role grants, seller memberships and
organisations: migration 0028) sends NOTIFY `CHANNEL` at its commit, and
`galerie.db.notices.listening` tells the cache `listening()`, `notice()` (forget
everything) and `not_listening()` (forget everything and stop serving until listening
again). So a revoked token, a deactivated user or a removed role stops working in every
process once the notification arrives, normally milliseconds after the commit; if the
listening connection is lost unnoticed, after at most twice notices.PING_SECONDS, and never
later than `ttl`. A cache that is not listening (SQLite, tests on one connection, a lost
connection) reads every time, as before.

- Only principals are kept, never refusals: an unknown, revoked or expired token is read
  every time (no memory for an attacker to fill with junk).
- A token's principal is kept until the token expires, if that is sooner than `ttl`.
- A read that began before a notice is not kept (the `_generation` check): its rows may
  predate the change the notice announced.
- Kept principals are frozen (rules.Principal) and shared by the requests that use them.
- Keys: a token's digest (text) or a signed-in user's id (a number)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Hashable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from galerie.db import Database
from galerie.db.notices import listening
from galerie.identity.rules import Principal
from galerie.kernel.lru import Lru

CHANNEL = "galerie_principals"
DEFAULT_TTL = timedelta(seconds=30)
CAPACITY = 10_000

# What a read gives: the principal and when it stops being valid on its own (a token's
# expiry; None: never), or None for a refusal.
Resolved = tuple[Principal, datetime | None] | None
Read = Callable[[], Awaitable[Resolved]]


@dataclass(frozen=True, slots=True)
class _Kept:
    principal: Principal
    until: datetime


class PrincipalCache:
    """Principals by key (a token's digest, a user's id), while listening for changes."""

    def __init__(self, *, ttl: timedelta = DEFAULT_TTL, capacity: int = CAPACITY) -> None:
        if ttl < timedelta(0) or capacity < 1:
            raise ValueError("the cache's ttl is not negative and its capacity at least 1")
        self.ttl = ttl
        self._kept: Lru[Hashable, _Kept] = Lru(capacity)
        self._listening = False
        self._generation = 0  # one more at every change heard, and when (not) listening

    @property
    def serving(self) -> bool:
        return self._listening and self.ttl > timedelta(0)

    def __len__(self) -> int:
        return len(self._kept)

    async def resolve(self, key: Hashable, now: datetime, read: Read) -> Principal | None:
        """The principal kept under `key` while it is valid, else `read()`'s, kept if the
        cache is serving and heard no change while it read."""
        if not self.serving:
            found = await read()
            return None if found is None else found[0]
        kept = self._kept.recall(key)
        if kept is not None and now < kept.until:
            return kept.principal
        generation = self._generation
        found = await read()
        if found is None:
            self._kept.pop(key, None)
            return None
        principal, expires_at = found
        if self.serving and generation == self._generation:
            until = now + self.ttl if expires_at is None else min(now + self.ttl, expires_at)
            self._kept.keep(key, _Kept(principal, until))
        return principal

    def forget_all(self) -> None:
        self._generation += 1
        self._kept.clear()

    # galerie.db.notices.NoticeSubscriber
    def listening(self) -> None:
        self.forget_all()
        self._listening = True

    def not_listening(self) -> None:
        self._listening = False
        self.forget_all()

    def notice(self, payload: str) -> None:
        self.forget_all()


@asynccontextmanager
async def principal_notices(db: Database, cache: PrincipalCache) -> AsyncIterator[None]:
    """While the block runs, `cache` hears the principals' change notices and so serves
    (on PostgreSQL, a Database with its own engine, a ttl above 0); otherwise it reads
    every time."""
    engine = db.engine
    if engine is None or db.dialect != "postgresql" or cache.ttl <= timedelta(0):
        yield
        return
    async with listening(engine, CHANNEL, cache):
        yield
