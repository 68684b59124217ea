"""The result cache's bookkeeping: generations, the refresh interval, the size bound."""

from __future__ import annotations

import pytest

from galerie.search.ports import Facets, SearchResult
from galerie.search.result_cache import ResultCache


def result(total: int) -> SearchResult:
    return SearchResult(items=(), total=total, page=1, per_page=24, facets=Facets(), corrections={})


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Generation:
    """Stands for the one-row `search_state` table: answers `fetchrow` like RawSQL."""

    def __init__(self) -> None:
        self.value = 7
        self.reads = 0

    async def fetchrow(self, sql: str, *args: object) -> tuple[int]:
        assert "search_state" in sql
        self.reads += 1
        return (self.value,)


async def test_a_new_generation_drops_every_entry() -> None:
    cache, table = ResultCache(), Generation()
    generation = await cache.sync(table)  # type: ignore[arg-type]
    cache.put("jam", result(3), generation)
    assert cache.get("jam") == result(3)
    await cache.sync(table)  # type: ignore[arg-type]
    assert cache.get("jam") == result(3)  # same generation: kept
    table.value += 1
    await cache.sync(table)  # type: ignore[arg-type]
    assert cache.get("jam") is None


async def test_a_result_computed_before_a_newer_generation_is_not_kept() -> None:
    cache, table = ResultCache(), Generation()
    old = await cache.sync(table)  # type: ignore[arg-type]
    table.value += 1
    await cache.sync(table)  # type: ignore[arg-type]  # another search saw the change meanwhile
    cache.put("jam", result(3), old)
    assert cache.get("jam") is None


async def test_the_generation_is_read_at_most_once_per_refresh_interval() -> None:
    clock, table = Clock(), Generation()
    cache = ResultCache(refresh_seconds=1.0, clock=clock)
    assert cache.due()  # never read
    await cache.sync(table)  # type: ignore[arg-type]
    assert not cache.due()
    clock.now += 0.999
    assert not cache.due()
    clock.now += 0.001
    assert cache.due()
    assert ResultCache(refresh_seconds=0).due()


async def test_the_least_recently_used_entry_goes_first() -> None:
    cache, table = ResultCache(capacity=2), Generation()
    generation = await cache.sync(table)  # type: ignore[arg-type]
    cache.put("a", result(1), generation)
    cache.put("b", result(2), generation)
    assert cache.get("a") is not None  # a is now the most recent
    cache.put("c", result(3), generation)
    assert cache.get("b") is None
    assert [cache.get("a"), cache.get("c")] == [result(1), result(3)]


async def test_a_cache_of_size_zero_keeps_nothing() -> None:
    cache, table = ResultCache(capacity=0), Generation()
    assert not cache.enabled
    cache.put("a", result(1), await cache.sync(table))  # type: ignore[arg-type]
    assert cache.get("a") is None


@pytest.mark.parametrize("arguments", [{"refresh_seconds": -1.0}, {"capacity": -1}])
def test_nonsense_settings_are_refused(arguments: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="not negative"):
        ResultCache(**arguments)  # type: ignore[arg-type]
