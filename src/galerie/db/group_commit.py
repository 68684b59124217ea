"""Group commit of raw write transactions on SQLite (ADR 0013's addendum "group commit").

SQLite has one writer. A raw transaction (`Database.raw_transaction`) takes the writer's
*turn*; when it ends while others queue for the turn, it does not COMMIT: it releases its
SAVEPOINT and hands the still open transaction to the next, and the last of the queue
commits for all of them, once. Every transaction's COMMIT costs a WAL write of each page
it dirtied (two write calls per page) and an fsync; in a group, the pages that several
transactions dirty (an index's last leaf, the outbox's, the idempotency keys') are written
once and the fsync is shared. A transaction whose block fails rolls back to its SAVEPOINT
alone: the others are untouched. Every transaction is answered only after its group's
COMMIT (a failed block's error may rest on what earlier members wrote: a replayed response,
the last unit taken); if that COMMIT fails, every one raises the COMMIT's error and nothing
of the group stays. A transaction cancelled after its block still waits for its group's
COMMIT (the connection never goes back to the pool mid-COMMIT).

A transaction cancelled while it queues may have been handed the group; when it leaves the
turn free, the group open and nobody queued, it starts a "closer" (a task that takes the
turn and commits the group if it is still open), so no group is ever left open."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

MAX_GROUP = 16  # transactions per COMMIT at most: bounds how long a group holds the write lock


class GroupLost(sqlite3.OperationalError):
    """SQLite rolled the whole open transaction back (a disk full, an I/O error) during a
    member's block: none of the group's members was committed."""


class _Group:
    def __init__(self, driver: Any, release: AsyncExitStack) -> None:
        self.driver = driver
        self.sqlite: sqlite3.Connection = driver._conn
        self.release = release
        self.members = 0
        self.lost = False
        self.committed: asyncio.Future[None] = asyncio.get_running_loop().create_future()


class GroupCommitWriter:
    """The writer's turn and its open group. `open_writer()` checks the writer connection
    out of the pool and opens BEGIN IMMEDIATE (an AsyncExitStack gives it back);
    `commit(driver)` commits in aiosqlite's thread."""

    def __init__(
        self,
        open_writer: Callable[[AsyncExitStack], Awaitable[Any]],
        commit: Callable[[Any], Awaitable[None]],
    ) -> None:
        self._open_writer = open_writer
        self._commit = commit
        self._turn = asyncio.Lock()
        self._queued = 0
        self._group: _Group | None = None
        self._closers: set[asyncio.Future[None]] = set()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[sqlite3.Connection]:
        group = await self._join()
        member = False
        try:
            try:
                group.sqlite.execute("SAVEPOINT raw_write")
                yield group.sqlite
                group.sqlite.execute("RELEASE raw_write")
                member = True
            except BaseException:
                _undo(group)
                raise
        finally:
            await self._leave(group, member=member)

    async def _join(self) -> _Group:
        self._queued += 1
        try:
            await self._turn.acquire()
        except asyncio.CancelledError:
            self._queued -= 1
            self._close_if_abandoned()
            raise
        self._queued -= 1
        try:
            if self._group is None:
                self._group = await self._open_group()
            return self._group
        except BaseException:
            self._turn.release()
            raise

    async def _open_group(self) -> _Group:
        release = AsyncExitStack()
        try:
            return _Group(await self._open_writer(release), release)
        except BaseException:
            await release.aclose()
            raise

    def _close_if_abandoned(self) -> None:
        """A queued transaction was cancelled: if the open group was handed to it (the
        turn is free) and nobody else queues to take it, a closer commits it."""
        group = self._group
        if group is not None and not self._turn.locked() and not self._queued:
            closer = asyncio.ensure_future(self._close_if_left(group))
            self._closers.add(closer)
            closer.add_done_callback(self._closers.discard)

    async def _leave(self, group: _Group, *, member: bool) -> None:
        """Hand the open group to the next queued transaction, or commit it; then wait for
        the group's COMMIT and raise if it failed. A transaction whose block failed waits
        too: its error may rest on what earlier members wrote (a replayed response, the
        last unit taken), so it is answered only once that is committed."""
        group.members += member
        if self._queued and group.members < MAX_GROUP and not group.lost:
            self._turn.release()
        else:
            self._group = None
            try:
                await _wait(asyncio.ensure_future(self._close(group)))
            finally:
                self._turn.release()
        await _wait(group.committed)

    async def _close_if_left(self, group: _Group) -> None:
        async with self._turn:
            if self._group is group:
                self._group = None
                await _wait(asyncio.ensure_future(self._close(group)))

    async def _close(self, group: _Group) -> None:
        """COMMIT the group (or roll it back when lost), settle its members, give the
        connection back."""
        try:
            if group.lost:
                raise GroupLost("the write transaction was rolled back whole; retry")
            await self._commit(group.driver)
        except BaseException as failed:
            if group.sqlite.in_transaction:
                group.sqlite.execute("ROLLBACK")
            group.committed.set_exception(failed)
            group.committed.exception()  # retrieved here: members re-raise it themselves
        else:
            group.committed.set_result(None)
        finally:
            await group.release.aclose()


def _undo(group: _Group) -> None:
    """A member's block failed: its SAVEPOINT is rolled back; if SQLite rolled the whole
    transaction back already, the group is lost."""
    if not group.sqlite.in_transaction:
        group.lost = True
        return
    try:
        group.sqlite.execute("ROLLBACK TO raw_write")
        group.sqlite.execute("RELEASE raw_write")
    except sqlite3.Error:
        group.lost = True


async def _wait(committed: asyncio.Future[None]) -> None:
    """The group's COMMIT; a cancelled caller still waits for it to end (the turn and the
    connection are never given back mid-COMMIT)."""
    try:
        await asyncio.shield(committed)
    except asyncio.CancelledError:
        if not committed.done():
            await asyncio.wait([committed])
        raise
