"""The principal cache's rules (ADR 0019), without a database: it serves only while
listening, forgets everything at a notice or when it stops listening, keeps principals
(never refusals) for at most its ttl or until the token expires, and never keeps a read
that overlapped a notice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from galerie.identity import Principal, PrincipalCache
from galerie.identity.principal_cache import Resolved

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
ANA = Principal(user_id=1, email="ana@example.com", display_name="Ana", language="en")
BEN = Principal(user_id=2, email="ben@example.com", display_name="Ben", language="en")


class Source:
    """The database's answer, and how often it was asked."""

    def __init__(self, answer: Resolved) -> None:
        self.answer = answer
        self.reads = 0

    async def read(self) -> Resolved:
        self.reads += 1
        return self.answer


def listening_cache(ttl: float = 30, capacity: int = 100) -> PrincipalCache:
    cache = PrincipalCache(ttl=timedelta(seconds=ttl), capacity=capacity)
    cache.listening()
    return cache


async def test_a_cache_that_is_not_listening_reads_every_time_and_keeps_nothing() -> None:
    cache = PrincipalCache()
    source = Source((ANA, None))
    for _ in range(3):
        assert await cache.resolve("t", NOW, source.read) == ANA
    assert (source.reads, len(cache), cache.serving) == (3, 0, False)


async def test_a_listening_cache_reads_once_until_the_ttl_has_passed() -> None:
    cache = listening_cache(ttl=30)
    source = Source((ANA, None))
    assert await cache.resolve("t", NOW, source.read) == ANA
    assert await cache.resolve("t", NOW + timedelta(seconds=29), source.read) == ANA
    assert source.reads == 1
    source.answer = (BEN, None)
    assert await cache.resolve("t", NOW + timedelta(seconds=30), source.read) == BEN
    assert source.reads == 2


async def test_a_token_expiring_before_the_ttl_is_read_again_once_expired() -> None:
    cache = listening_cache(ttl=30)
    source = Source((ANA, NOW + timedelta(seconds=5)))
    await cache.resolve("t", NOW, source.read)
    await cache.resolve("t", NOW + timedelta(seconds=4), source.read)
    assert source.reads == 1
    source.answer = None  # the database refuses it once expired
    assert await cache.resolve("t", NOW + timedelta(seconds=5), source.read) is None
    assert source.reads == 2


async def test_a_notice_forgets_every_principal() -> None:
    cache = listening_cache()
    first, second = Source((ANA, None)), Source((BEN, None))
    await cache.resolve("a", NOW, first.read)
    await cache.resolve(2, NOW, second.read)
    cache.notice("api_tokens")
    assert len(cache) == 0
    first.answer = None  # revoked
    assert await cache.resolve("a", NOW, first.read) is None
    assert await cache.resolve(2, NOW, second.read) == BEN
    assert (first.reads, second.reads) == (2, 2)


async def test_refusals_are_never_kept_and_drop_what_was_kept() -> None:
    cache = listening_cache()
    source = Source(None)
    for _ in range(3):
        assert await cache.resolve("junk", NOW, source.read) is None
    assert (source.reads, len(cache)) == (3, 0)
    source.answer = (ANA, None)
    await cache.resolve("t", NOW, source.read)
    assert len(cache) == 1
    # expired, then refused: forgotten at once
    source.answer = None
    assert await cache.resolve("t", NOW + timedelta(minutes=1), source.read) is None
    assert len(cache) == 0


async def test_a_read_that_overlapped_a_notice_is_answered_but_not_kept() -> None:
    cache = listening_cache()

    async def read_then_hear_a_change() -> Resolved:
        cache.notice("users")  # committed while this read ran: its rows may predate it
        return (ANA, None)

    assert await cache.resolve("t", NOW, read_then_hear_a_change) == ANA
    assert len(cache) == 0


async def test_not_listening_forgets_everything_and_stops_serving_until_listening() -> None:
    cache = listening_cache()
    source = Source((ANA, None))
    await cache.resolve("t", NOW, source.read)
    cache.not_listening()
    assert (len(cache), cache.serving) == (0, False)
    await cache.resolve("t", NOW, source.read)
    await cache.resolve("t", NOW, source.read)
    assert (source.reads, len(cache)) == (3, 0)
    cache.listening()
    await cache.resolve("t", NOW, source.read)
    await cache.resolve("t", NOW, source.read)
    assert source.reads == 4


async def test_the_least_recently_used_principal_goes_first_beyond_the_capacity() -> None:
    cache = listening_cache(capacity=2)
    sources = {key: Source((ANA, None)) for key in ("a", "b", "c")}
    await cache.resolve("a", NOW, sources["a"].read)
    await cache.resolve("b", NOW, sources["b"].read)
    await cache.resolve("a", NOW, sources["a"].read)  # a is now the most recent
    await cache.resolve("c", NOW, sources["c"].read)  # b goes
    assert len(cache) == 2
    await cache.resolve("a", NOW, sources["a"].read)
    await cache.resolve("b", NOW, sources["b"].read)
    assert (sources["a"].reads, sources["b"].reads) == (1, 2)


async def test_a_ttl_of_zero_never_serves() -> None:
    cache = listening_cache(ttl=0)
    source = Source((ANA, None))
    await cache.resolve("t", NOW, source.read)
    await cache.resolve("t", NOW, source.read)
    assert (source.reads, cache.serving) == (2, False)


@pytest.mark.parametrize(("ttl", "capacity"), [(-1, 10), (30, 0)])
def test_a_negative_ttl_or_no_capacity_is_refused(ttl: float, capacity: int) -> None:
    with pytest.raises(ValueError, match="ttl"):
        PrincipalCache(ttl=timedelta(seconds=ttl), capacity=capacity)
