"""Login throttling: failed attempts counted per account and per address in a Litestar
store (Redis when configured, memory otherwise)."""

from __future__ import annotations

import hashlib

from litestar.stores.base import Store

from galerie.kernel import Clock, RateLimited, SystemClock

TOO_MANY = "Too many attempts. Try again later."


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.encode("utf-8")).hexdigest()
    return f"login:{kind}:{digest}"


class LoginThrottle:
    """Counts failures in a fixed window that starts at the first failure.

    Keys are SHA-256 digests of the normalised e-mail and of the address, so the store holds
    no e-mail. Each value is b"<count>:<window end, epoch seconds>"; the store's expiry only
    cleans up, the window end in the value decides. The same limits apply whether the
    account exists or not, so the throttle reveals nothing about which e-mails are registered.

    Counting is read-then-write, not atomic (the Store interface has no increment):
    processes that fail at the same instant can lose an increment, letting a few attempts
    more than the limit through. That is accepted; the per-address limit and argon2's cost
    bound the damage.

    `reset` clears only the account counter after a success: clearing the address counter
    would let someone holding one valid account keep guessing others from the same address.
    """

    def __init__(
        self,
        store: Store,
        *,
        account_limit: int = 5,
        address_limit: int = 20,
        window_seconds: int = 900,
        clock: Clock | None = None,
    ) -> None:
        if account_limit < 1 or address_limit < 1 or window_seconds < 1:
            raise ValueError("throttle limits and window must be positive")
        self._store = store
        self._account_limit = account_limit
        self._address_limit = address_limit
        self._window = window_seconds
        self._clock = clock or SystemClock()

    @staticmethod
    def _account_key(email: str) -> str:
        return _key("account", email.strip().lower())

    @staticmethod
    def _address_key(ip_address: str) -> str:
        return _key("address", ip_address.strip())

    def _now(self) -> int:
        return int(self._clock.now().timestamp())

    async def check(self, *, email: str, ip_address: str) -> None:
        """Raise RateLimited(code="too_many_attempts") when either counter is at its limit."""
        for key, limit in (
            (self._account_key(email), self._account_limit),
            (self._address_key(ip_address), self._address_limit),
        ):
            count, window_end = await self._read(key)
            if count >= limit:
                retry_after = max(1, window_end - self._now())
                raise RateLimited(TOO_MANY, code="too_many_attempts", retry_after=retry_after)

    async def record_failure(self, *, email: str, ip_address: str) -> None:
        await self._increment(self._account_key(email))
        await self._increment(self._address_key(ip_address))

    async def reset(self, *, email: str) -> None:
        await self._store.delete(self._account_key(email))

    async def _read(self, key: str) -> tuple[int, int]:
        """(failures, window end) of a live window; (0, 0) for none or a corrupt value."""
        value = await self._store.get(key)
        if value is None:
            return 0, 0
        try:
            count, _, end = value.decode("ascii").partition(":")
            failures, window_end = int(count), int(end)
        except (UnicodeDecodeError, ValueError):
            return 0, 0
        if window_end <= self._now():
            return 0, 0
        return failures, window_end

    async def _increment(self, key: str) -> None:
        failures, window_end = await self._read(key)
        now = self._now()
        if failures == 0:
            window_end = now + self._window
        value = f"{failures + 1}:{window_end}".encode("ascii")
        await self._store.set(key, value, expires_in=max(1, window_end - now))
