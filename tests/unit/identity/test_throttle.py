"""The login throttle on Litestar's memory store."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from litestar.stores.memory import MemoryStore

from galerie.identity import LoginThrottle
from galerie.kernel import FixedClock, RateLimited

IP = "198.51.100.4"
START = datetime(2026, 11, 11, 12, 0, tzinfo=UTC)


class RecordingStore(MemoryStore):
    """A memory store that remembers every key and value written to it."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[tuple[str, str | bytes, int | timedelta | None]] = []

    async def set(
        self, key: str, value: str | bytes, expires_in: int | timedelta | None = None
    ) -> None:
        self.writes.append((key, value, expires_in))
        await super().set(key, value, expires_in)


async def limited(throttle: LoginThrottle, email: str, ip: str = IP) -> RateLimited | None:
    try:
        await throttle.check(email=email, ip_address=ip)
    except RateLimited as exc:
        return exc
    return None


async def test_an_account_is_limited_at_its_fifth_failure() -> None:
    clock = FixedClock(START)
    throttle = LoginThrottle(MemoryStore(), clock=clock)
    for _ in range(4):
        await throttle.record_failure(email="ana@example.com", ip_address=IP)
        clock.advance(timedelta(seconds=10))
    assert await limited(throttle, "ana@example.com") is None

    await throttle.record_failure(email="ana@example.com", ip_address=IP)

    refused = await limited(throttle, "ana@example.com")
    assert refused is not None
    assert (refused.code, refused.message) == (
        "too_many_attempts",
        "Too many attempts. Try again later.",
    )
    assert refused.retry_after == 900 - 40  # the window opened at the first failure
    assert await limited(throttle, "ana@example.com", ip="192.0.2.1") is not None
    assert await limited(throttle, "bob@example.com") is None


async def test_the_account_key_is_the_normalised_email() -> None:
    throttle = LoginThrottle(MemoryStore(), account_limit=2)
    await throttle.record_failure(email="Ana@Example.com", ip_address=IP)
    await throttle.record_failure(email="  ana@example.com ", ip_address="192.0.2.1")
    assert await limited(throttle, "ANA@EXAMPLE.COM", ip="192.0.2.2") is not None


async def test_an_address_is_limited_across_accounts() -> None:
    throttle = LoginThrottle(MemoryStore(), address_limit=3)
    for name in ("a", "b", "c"):
        await throttle.record_failure(email=f"{name}@example.com", ip_address=IP)
    assert await limited(throttle, "d@example.com") is not None
    assert await limited(throttle, "d@example.com", ip="192.0.2.1") is None


async def test_reset_clears_the_account_but_not_the_address() -> None:
    throttle = LoginThrottle(MemoryStore(), account_limit=2, address_limit=3)
    for _ in range(3):
        await throttle.record_failure(email="ana@example.com", ip_address=IP)

    await throttle.reset(email="ana@example.com")

    assert await limited(throttle, "ana@example.com", ip="192.0.2.1") is None
    assert await limited(throttle, "ana@example.com") is not None  # the address still is


async def test_the_store_holds_bytes_and_digests_never_the_email() -> None:
    store = RecordingStore()
    clock = FixedClock(START)
    throttle = LoginThrottle(store, window_seconds=600, clock=clock)
    await throttle.record_failure(email="ana@example.com", ip_address=IP)
    clock.advance(timedelta(seconds=100))
    await throttle.record_failure(email="ana@example.com", ip_address=IP)

    email_digest = hashlib.sha256(b"ana@example.com").hexdigest()
    address_digest = hashlib.sha256(IP.encode()).hexdigest()
    end = int(START.timestamp()) + 600
    assert store.writes == [
        (f"login:account:{email_digest}", f"1:{end}".encode(), 600),
        (f"login:address:{address_digest}", f"1:{end}".encode(), 600),
        (f"login:account:{email_digest}", f"2:{end}".encode(), 500),
        (f"login:address:{address_digest}", f"2:{end}".encode(), 500),
    ]
    assert not any("ana" in key or IP in key for key, _, _ in store.writes)


async def test_the_window_expires_and_a_new_one_starts() -> None:
    clock = FixedClock(START)
    throttle = LoginThrottle(MemoryStore(), account_limit=2, window_seconds=60, clock=clock)
    await throttle.record_failure(email="ana@example.com", ip_address=IP)
    clock.advance(timedelta(seconds=59))
    await throttle.record_failure(email="ana@example.com", ip_address=IP)
    refused = await limited(throttle, "ana@example.com")
    assert refused is not None
    assert refused.retry_after == 1

    clock.advance(timedelta(seconds=1))
    assert await limited(throttle, "ana@example.com") is None
    await throttle.record_failure(email="ana@example.com", ip_address=IP)
    assert await limited(throttle, "ana@example.com") is None  # one failure in the new window


async def test_the_window_really_expires_in_the_store() -> None:
    throttle = LoginThrottle(MemoryStore(), account_limit=1, window_seconds=1)
    await throttle.record_failure(email="ana@example.com", ip_address=IP)
    assert await limited(throttle, "ana@example.com") is not None
    await asyncio.sleep(1.1)
    assert await limited(throttle, "ana@example.com") is None


async def test_a_corrupt_counter_counts_as_zero() -> None:
    store = MemoryStore()
    throttle = LoginThrottle(store, account_limit=1)
    key = "login:account:" + hashlib.sha256(b"ana@example.com").hexdigest()
    for corrupt in (b"not a number", b"7", b"7:soon", b"\xff\xfe"):
        await store.set(key, corrupt, expires_in=60)
        assert await limited(throttle, "ana@example.com") is None


@pytest.mark.parametrize(
    ("account", "address", "window"), [(0, 20, 900), (5, 0, 900), (5, 20, 0), (-1, 20, 900)]
)
def test_limits_must_be_positive(account: int, address: int, window: int) -> None:
    with pytest.raises(ValueError, match="positive"):
        LoginThrottle(
            MemoryStore(), account_limit=account, address_limit=address, window_seconds=window
        )
