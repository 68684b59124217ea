"""Running import jobs in the background.

A runner claims the oldest queued job (or a running one whose heartbeat stopped) with one
conditional UPDATE (`FOR UPDATE SKIP LOCKED` in a MATERIALIZED CTE on PostgreSQL; SQLite
serialises writers), then handles the file product by product: mapping problems and the
catalog's validation become row-numbered errors; a dry run saves nothing; apply saves each
product with the catalog writer in its own transaction, so a bad product never half-writes
and good ones still land. Counters and errors are flushed every few products, which is what
the progress bar shows. Re-running a file is harmless: saving is an upsert on seller_ref.
A dry run asks the catalog to validate each product; apply only saves (save_product
validates in its own transaction and raises with every problem, which become the rows'
errors), so each product is checked once."""

from __future__ import annotations

import asyncio
import logging
import re
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Update, delete, or_, select, update

from galerie.db import Database
from galerie.imports.mapping import ProductGroup, build_groups
from galerie.imports.models import ImportJob, ImportRowError
from galerie.imports.parsing import parse_feed
from galerie.imports.ports import CatalogWriter, DraftProblemLike
from galerie.imports.queries import lookups_for
from galerie.imports.rows import FileRefused, ImportFormat, ImportMode, RowProblem
from galerie.kernel import Clock, DomainError
from galerie.storage import FileStorage

log = logging.getLogger("galerie.imports.runner")
FLUSH_EVERY = 20  # products
FLUSH_SECONDS = 0.5
_VARIANT = re.compile(r"variants\[(\d+)\]")


def _claim_statement(dialect: str, now: datetime, stale: datetime) -> Update:
    due = (
        select(ImportJob.id)
        .where(
            or_(
                ImportJob.status == "queued",
                (ImportJob.status == "running") & (ImportJob.heartbeat_at < stale),
            )
        )
        .order_by(ImportJob.id)
        .limit(1)
    )
    if dialect == "postgresql":
        locked = due.with_for_update(skip_locked=True).cte("claimed").prefix_with("MATERIALIZED")
        condition = ImportJob.id == locked.c.id
    else:
        condition = ImportJob.id.in_(due.scalar_subquery())
    return (
        update(ImportJob)
        .where(condition)
        .values(
            status="running",
            started_at=now,
            heartbeat_at=now,
            total=0,
            processed=0,
            created=0,
            updated=0,
            unchanged=0,
            failed=0,
        )
        .returning(ImportJob.id)
        .execution_options(synchronize_session=False)
    )


@dataclass
class _Progress:
    total: int = 0
    processed: int = 0
    outcomes: dict[str, int] = field(
        default_factory=lambda: {"created": 0, "updated": 0, "unchanged": 0, "failed": 0}
    )
    errors: list[RowProblem] = field(default_factory=list)


def problem_row(group: ProductGroup, problem_field: str) -> int:
    """The row a catalog problem belongs to: its variant's row, else the product's first."""
    match = _VARIANT.search(problem_field)
    if match and int(match.group(1)) < len(group.row_numbers):
        return group.row_numbers[int(match.group(1))]
    return group.first_row


def _catalog_problems(group: ProductGroup, found: tuple[DraftProblemLike, ...]) -> list[RowProblem]:
    return [RowProblem(problem_row(group, p.field), p.field, p.code, p.message) for p in found]


def refusal_problems(group: ProductGroup, error: DomainError) -> list[RowProblem]:
    """The rows of a refused save: each of the error's `problems` (the catalog's
    InvalidProduct carries them) on its variant's row, else the error itself."""
    found = getattr(error, "problems", None)
    if (
        isinstance(found, tuple | list)
        and found
        and all(hasattr(p, "field") and hasattr(p, "code") and hasattr(p, "message") for p in found)
    ):
        return _catalog_problems(group, tuple(found))
    field_name = str(getattr(error, "field", None) or "product")
    return [RowProblem(problem_row(group, field_name), field_name, error.code, error.message)]


class ImportRunner:
    def __init__(
        self,
        db: Database,
        storage: FileStorage,
        writer: CatalogWriter,
        clock: Clock,
        *,
        currency: str = "CNY",
        lease_seconds: int = 300,
    ) -> None:
        self._db, self._storage, self._writer, self._clock = db, storage, writer, clock
        self.currency = currency
        self.lease = timedelta(seconds=lease_seconds)
        self._wake = asyncio.Event()

    async def claim(self) -> int | None:
        now = self._clock.now()
        statement = _claim_statement(self._db.dialect, now, now - self.lease)
        async with self._db.transaction() as session:
            job_id = (await session.execute(statement)).scalar_one_or_none()
            if job_id is not None:
                await session.execute(delete(ImportRowError).where(ImportRowError.job_id == job_id))
        return job_id

    async def run_pending(self) -> int:
        """Claim and run jobs until none is left; returns how many ran."""
        ran = 0
        while (job_id := await self.claim()) is not None:
            await self.run_job(job_id)
            ran += 1
        return ran

    async def run_job(self, job_id: int) -> None:
        async with self._db.reading() as session:
            job = await session.get(ImportJob, job_id)
            assert job is not None
            shop_id, mode, key = job.shop_id, ImportMode(job.mode), job.storage_key
            actor, import_format = job.created_by, ImportFormat(job.format)
        try:
            feed = parse_feed(await self._storage.get(key), import_format)
            async with self._db.reading() as session:
                lookups = await lookups_for(
                    session, shop_id=shop_id, rows=feed.rows, currency=self.currency
                )
            groups = build_groups(feed.rows, lookups)
        except (FileRefused, DomainError) as error:
            await self._fail(job_id, shop_id, error.code, error.message)
            return
        except Exception as error:  # the job ends failed rather than running for ever
            log.exception("import job %s failed", job_id)
            await self._fail(job_id, shop_id, "internal_error", type(error).__name__)
            return
        progress = _Progress(total=len(groups))
        try:
            await self._flush(job_id, shop_id, progress, final=False)
            last = time.monotonic()
            for n, group in enumerate(groups, start=1):
                await self._handle(group, shop_id, mode, actor, progress)
                if n % FLUSH_EVERY == 0 or time.monotonic() - last > FLUSH_SECONDS:
                    await self._flush(job_id, shop_id, progress, final=False)
                    last = time.monotonic()
            await self._flush(job_id, shop_id, progress, final=True)
        except Exception as error:  # saved products stay saved; the job says it stopped
            log.exception("import job %s stopped", job_id)
            await self._fail(job_id, shop_id, "internal_error", type(error).__name__)

    async def _handle(
        self,
        group: ProductGroup,
        shop_id: int,
        mode: ImportMode,
        actor: int | None,
        progress: _Progress,
    ) -> None:
        progress.processed += 1
        problems = list(group.problems)
        draft = group.draft
        if draft is not None and not problems and mode is ImportMode.DRY_RUN:
            found = await self._writer.validate_product_draft(
                self._db, shop_id=shop_id, draft=draft
            )
            problems = _catalog_problems(group, found)
        elif draft is not None and not problems:  # save_product validates in its transaction
            try:
                saved = await self._writer.save_product(
                    self._db, actor_user_id=actor, shop_id=shop_id, draft=draft,
                    now=self._clock.now(),
                )  # fmt: skip
            except DomainError as error:
                problems = refusal_problems(group, error)
            else:
                progress.outcomes[saved.outcome] = progress.outcomes.get(saved.outcome, 0) + 1
        if problems:
            progress.outcomes["failed"] += 1
            progress.errors.extend(problems)

    async def _flush(self, job_id: int, shop_id: int, progress: _Progress, *, final: bool) -> None:
        now = self._clock.now()
        values: dict[str, object] = {
            "total": progress.total, "processed": progress.processed, "heartbeat_at": now,
            **progress.outcomes,
        }  # fmt: skip
        if final:
            values.update(status="done", finished_at=now)
        async with self._db.transaction() as session:
            await session.execute(
                update(ImportJob).where(ImportJob.id == job_id).values(**values)
                .execution_options(synchronize_session=False)
            )  # fmt: skip
            session.add_all(_error_rows(job_id, shop_id, progress.errors))
        progress.errors = []

    async def _fail(self, job_id: int, shop_id: int, code: str, message: str) -> None:
        now = self._clock.now()
        async with self._db.transaction() as session:
            await session.execute(
                update(ImportJob).where(ImportJob.id == job_id)
                .values(status="failed", error_code=code[:60], error_message=message,
                        finished_at=now, heartbeat_at=now)
                .execution_options(synchronize_session=False)
            )  # fmt: skip
            problem = RowProblem(0, "file", code, message)
            session.add_all(_error_rows(job_id, shop_id, [problem]))

    def kick(self) -> None:
        self._wake.set()

    async def run(self, stop: asyncio.Event, poll_seconds: float = 1.0) -> None:
        """Run jobs until `stop` is set, waking every `poll_seconds` or on `kick()`."""
        while not stop.is_set():
            self._wake.clear()
            try:
                await self.run_pending()
            except Exception:
                log.exception("import runner pass failed")
            waiters = {asyncio.ensure_future(stop.wait()), asyncio.ensure_future(self._wake.wait())}
            try:
                await asyncio.wait(
                    waiters, timeout=poll_seconds, return_when=asyncio.FIRST_COMPLETED
                )
            finally:
                for waiter in waiters:
                    waiter.cancel()
                await asyncio.gather(*waiters, return_exceptions=True)


def _error_rows(job_id: int, shop_id: int, problems: list[RowProblem]) -> list[ImportRowError]:
    return [
        ImportRowError(job_id=job_id, shop_id=shop_id, row_number=p.row_number,
                       field=p.field[:100], code=p.code[:60], message=p.message[:1000])
        for p in problems
    ]  # fmt: skip
