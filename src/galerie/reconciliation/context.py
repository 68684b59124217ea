"""What every check receives: the database, the payment provider (None when none is
configured: the checks against its records are skipped) and the time of the run. The
provider's records are fetched once per run, however many checks read them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import text

from galerie.db import Database
from galerie.payments import PaymentProvider, ProviderRecord
from galerie.reconciliation.findings import Discrepancy

SINCE = datetime(2000, 1, 1, tzinfo=UTC)  # the provider's records from the beginning
AHEAD = timedelta(days=1)  # and a day past now (clocks differ)


@dataclass
class Context:
    db: Database
    provider: PaymentProvider | None
    now: datetime
    _records: list[ProviderRecord] | None = field(default=None, repr=False)
    _read: dict[str, Any] = field(default_factory=dict, repr=False)

    async def once(self, name: str, read: Callable[[], Awaitable[Any]]) -> Any:
        """`read()`'s result, read once per run however many checks ask for `name`."""
        if name not in self._read:
            self._read[name] = await read()
        return self._read[name]

    async def provider_records(self) -> list[ProviderRecord]:
        if self.provider is None:
            return []
        if self._records is None:
            self._records = await self.provider.list_records(
                created_from=SINCE, created_to=self.now + AHEAD
            )
        return self._records

    async def rows(self, sql: str, **params: Any) -> list[tuple[Any, ...]]:
        """One read statement's rows (named :params)."""
        async with self.db.reading() as session:
            return [tuple(row) for row in (await session.execute(text(sql), params)).all()]


Check = Callable[[Context], Awaitable[list[Discrepancy]]]


@dataclass(frozen=True, slots=True)
class CheckSpec:
    """A check by name; `needs_provider`: skipped when no provider is configured."""

    name: str
    run: Check
    needs_provider: bool = False
