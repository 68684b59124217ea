"""Recent search results (and, for the storefront, rendered product pages), per process,
dropped whenever the index changes.

Like Elasticsearch's request cache, which is invalidated when a shard refreshes: a result is
kept under the index generation it was computed at (`search_state.generation`, raised by
every index write), and the whole cache is dropped as soon as a new generation is seen. The
generation is read at most once per `refresh_seconds` (0: before every search), so a change
shows within that interval plus the outbox's delivery delay, as the index itself already
lags the catalog. Entries are few and bounded (least recently used dropped first)."""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar
from weakref import WeakKeyDictionary

from galerie.db import Database, RawSQL
from galerie.kernel.lru import Lru
from galerie.search.ports import SearchResult

CAPACITY = 1024  # results kept per process; a page of cards and its facets is a few KB
GENERATION = "SELECT generation FROM search_state WHERE id = 1"
BUMP = "UPDATE search_state SET generation = generation + 1 WHERE id = 1"

V = TypeVar("V")


class GenerationCache(Generic[V]):
    """Values computed from the catalog as indexed, kept while the index generation holds."""

    def __init__(
        self,
        *,
        refresh_seconds: float = 0.0,
        capacity: int = CAPACITY,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if refresh_seconds < 0 or capacity < 0:
            raise ValueError("refresh_seconds and capacity are not negative")
        self.refresh_seconds = refresh_seconds
        self.capacity = capacity
        self.clock = clock
        self.generation: int | None = None
        self.checked_at = 0.0
        self.entries: Lru[Hashable, V] = Lru(capacity)

    @property
    def enabled(self) -> bool:
        return self.capacity > 0

    def due(self) -> bool:
        """Whether the generation must be read again before trusting the entries."""
        return (
            self.generation is None
            or self.refresh_seconds == 0
            or self.clock() - self.checked_at >= self.refresh_seconds
        )

    async def sync(self, sql: RawSQL) -> int:
        """Read the index generation; a new one drops every entry. Returns it."""
        checked_at = self.clock()
        row = await sql.fetchrow(GENERATION)
        generation = 0 if row is None else int(row[0])
        if generation != self.generation:
            self.entries.clear()
            self.generation = generation
        self.checked_at = checked_at
        return generation

    async def current(self, db: Database) -> int:
        """The generation to tag a new value with, read only when due."""
        if self.due():
            async with db.hot_reads() as sql:
                return await self.sync(sql)
        assert self.generation is not None
        return self.generation

    def get(self, key: Hashable) -> V | None:
        return self.entries.recall(key)

    def put(self, key: Hashable, value: V, generation: int) -> None:
        """Keep `value`, computed after reading `generation`, unless a newer one was seen
        meanwhile (the value might then predate it)."""
        if generation != self.generation or not self.enabled:
            return
        self.entries.keep(key, value)


ResultCache = GenerationCache[SearchResult]

_caches: WeakKeyDictionary[Database, ResultCache] = WeakKeyDictionary()


def result_cache_of(db: Database) -> ResultCache:
    found = _caches.get(db)
    if found is None:
        found = _caches[db] = ResultCache()
    return found


def configure_result_cache(
    db: Database, *, refresh_seconds: float, capacity: int = CAPACITY
) -> ResultCache:
    """Give `db`'s searches a cache of `capacity` results (0: no cache) reading the generation
    at most every `refresh_seconds` (the composition root does, from
    GALERIE_SEARCH_REFRESH_SECONDS and GALERIE_SEARCH_CACHE_SIZE)."""
    cache = _caches[db] = ResultCache(refresh_seconds=refresh_seconds, capacity=capacity)
    return cache


async def bump_generation(sql: RawSQL) -> None:
    """Tell every process's cache that the index changed (in the writer's transaction)."""
    await sql.execute(BUMP)
