"""A small SQL helper shared by identity's use cases (never commits)."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, Executable
from sqlalchemy.ext.asyncio import AsyncSession


async def changed_rows(session: AsyncSession, statement: Executable) -> int:
    """Run an UPDATE or DELETE in the session's transaction; the number of rows it changed."""
    result = cast("CursorResult[Any]", await session.execute(statement))
    return result.rowcount
