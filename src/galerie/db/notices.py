"""PostgreSQL notifications (LISTEN/NOTIFY) on a connection of their own, for per-process
caches that must forget what another process changed (ADR 0019).

`listening(engine, channel, subscriber)` runs, while its block runs, a task that connects
(outside the pool: the connection is held for as long as the process runs), LISTENs on
`channel` and tells the subscriber:

- `listening()` once it listens: from then on every notification sent on the channel reaches
  it, as `notice(payload)`, in the order the transactions that sent them committed;
- `not_listening()` as soon as it may miss one: the connection closed, a ping (every PING_SECONDS)
  went unanswered for PING_SECONDS, or the block ended. It then connects again every RETRY_SECONDS.

A subscriber must take `not_listening` to mean "anything may have changed" (a cache stops
serving and forgets everything) and may trust what it keeps only while listening."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncEngine

log = logging.getLogger("galerie.db.notices")

PING_SECONDS = 5.0  # how long a lost connection may go unnoticed, at most twice this
RETRY_SECONDS = 1.0
NAME = "galerie notices"  # the listening connection's application_name (pg_stat_activity)


class NoticeSubscriber(Protocol):
    def listening(self) -> None: ...

    def not_listening(self) -> None: ...

    def notice(self, payload: str) -> None: ...


@asynccontextmanager
async def listening(
    engine: AsyncEngine, channel: str, subscriber: NoticeSubscriber
) -> AsyncIterator[None]:
    """Listen on `channel` (PostgreSQL engines only) while the block runs."""
    if engine.dialect.name != "postgresql":
        raise ValueError("LISTEN/NOTIFY is PostgreSQL's")
    task = asyncio.create_task(_listen_forever(engine, channel, subscriber))
    try:
        yield
    finally:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task
        subscriber.not_listening()


async def _listen_forever(engine: AsyncEngine, channel: str, subscriber: NoticeSubscriber) -> None:
    while True:
        try:
            await _listen_once(engine, channel, subscriber)
        except asyncio.CancelledError:
            raise
        except Exception as error:  # connection refused, lost, a ping timed out
            log.warning("not listening on %s (%s); retrying", channel, error)
        finally:
            subscriber.not_listening()
        await asyncio.sleep(RETRY_SECONDS)


async def _listen_once(engine: AsyncEngine, channel: str, subscriber: NoticeSubscriber) -> None:
    """Connect, listen, then ping until the connection fails (raises) or is cancelled."""
    import asyncpg

    args, kwargs = engine.dialect.create_connect_args(engine.url)
    kwargs["server_settings"] = {**kwargs.get("server_settings", {}), "application_name": NAME}
    kwargs.setdefault("timeout", PING_SECONDS)
    connection = await asyncpg.connect(*args, **kwargs)
    try:

        def deliver(_connection: Any, _pid: int, _channel: str, payload: str) -> None:
            subscriber.notice(payload)

        lost = asyncio.Event()
        connection.add_termination_listener(lambda _connection: lost.set())
        await connection.add_listener(channel, deliver)
        subscriber.listening()
        while True:
            with suppress(TimeoutError):
                await asyncio.wait_for(lost.wait(), PING_SECONDS)
            if lost.is_set():
                raise ConnectionError("the listening connection was closed")
            await asyncio.wait_for(connection.fetchval("SELECT 1"), PING_SECONDS)
    finally:
        subscriber.not_listening()
        with suppress(Exception):
            await asyncio.wait_for(connection.close(), PING_SECONDS)
