"""Releasing many calls at once, for the race tests (separate connections, real databases)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def together(calls: list[Callable[[], Awaitable[T]]]) -> list[T | BaseException]:
    """Start every call at once: each task waits on one event, set when all are waiting."""
    start = asyncio.Event()

    async def one(call: Callable[[], Awaitable[T]]) -> T:
        await start.wait()
        return await call()

    tasks = [asyncio.create_task(one(call)) for call in calls]
    await asyncio.sleep(0)
    start.set()
    return await asyncio.gather(*tasks, return_exceptions=True)
