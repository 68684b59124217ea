"""Payout runs: pay every shop whose available payable reaches the minimum, once per run
key (a period, e.g. the day `2026-11-30`).

`run_payouts` is safe to repeat and to resume after a crash: the run row is inserted once
(ON CONFLICT DO NOTHING), each shop's payout has the key `payout:run:<run key>:<shop>`, so
a shop already paid in the run is not paid again however its balance moved since, and the
payouts the run left `requested` are sent again under their own keys. A completed run
replays as it was. What a shop owes of its annual fees is taken from its payable first
(`fee-collection:<run key>:<shop>`). Each shop is reserved in its own transaction: one shop refused (its
balance taken meanwhile by a seller's request, no bank account) does not stop the others."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from galerie.db import Database
from galerie.kernel import DomainError, Money
from galerie.ledger import AccountKind
from galerie.ledger.models import LedgerAccount
from galerie.payments import PaymentProvider
from galerie.settlement.annual_fees import collect_owed_fees
from galerie.settlement.models import Payout, PayoutRun
from galerie.settlement.payouts import reserve_payout, send_payout
from galerie.settlement.rules import PayoutStatus, payout_key_for_run

log = logging.getLogger("galerie.settlement.runs")
RUNNING, COMPLETED = "running", "completed"


@dataclass(frozen=True, slots=True)
class RunOutcome:
    run_id: int
    key: str
    payouts: int  # payouts the run made (all of them, on a replay)
    total: Money
    replayed: bool


async def _start(db: Database, key: str, minimum: Money, now: datetime) -> tuple[int, str]:
    async with db.transaction() as session:
        dialect = (await session.connection()).dialect.name
        maker = pg_insert if dialect == "postgresql" else sqlite_insert
        await session.execute(
            maker(PayoutRun).values(
                key=key, currency=minimum.currency, minimum_minor=minimum.minor, status=RUNNING,
                payouts=0, total_minor=0, started_at=now,
            ).on_conflict_do_nothing(index_elements=["key"])
        )  # fmt: skip
        row = (
            await session.execute(
                select(PayoutRun.id, PayoutRun.status).where(PayoutRun.key == key)
            )
        ).one()
        return int(row[0]), str(row[1])


async def _eligible(db: Database, minimum: Money) -> list[tuple[int, int]]:
    """(shop id, available) of every payable in the currency holding at least `minimum`."""
    async with db.reading() as session:
        rows = await session.execute(
            select(LedgerAccount.owner_id, -LedgerAccount.balance_minor)
            .where(
                LedgerAccount.kind == AccountKind.SELLER_PAYABLE.value,
                LedgerAccount.currency == minimum.currency,
                -LedgerAccount.balance_minor >= minimum.minor,
            )
            .order_by(LedgerAccount.owner_id)
        )
        return [(int(shop), int(available)) for shop, available in rows]


async def _reserve_each(
    db: Database, provider: PaymentProvider, run_id: int, key: str, minimum: Money, now: datetime
) -> None:
    for shop_id, _available in await _eligible(db, minimum):
        try:
            async with db.transaction() as session:
                left = await collect_owed_fees(
                    session, shop_id=shop_id, currency=minimum.currency, now=now,
                    key=f"fee-collection:{key}:{shop_id}",
                )  # fmt: skip
                if left < minimum:
                    continue  # the fees owed took it below the minimum
                await reserve_payout(
                    session, shop_id=shop_id, amount=left,
                    key=payout_key_for_run(key, shop_id), provider=provider.name, now=now,
                    run_id=run_id,
                )  # fmt: skip
        except DomainError as exc:  # the balance moved meanwhile, or no bank account
            log.warning("payout run skipped a shop", extra={"shop": shop_id, "code": exc.code})


async def send_requested_payouts(
    db: Database, provider: PaymentProvider, *, now: datetime, run_id: int | None = None
) -> int:
    """Send again every payout left `requested` (of one run, or all); how many were tried."""
    async with db.reading() as session:
        query = select(Payout.id).where(Payout.status == PayoutStatus.REQUESTED.value)
        if run_id is not None:
            query = query.where(Payout.run_id == run_id)
        ids = list(await session.scalars(query.order_by(Payout.id)))
    for payout_id in ids:
        try:
            await send_payout(db, provider, payout_id=payout_id, now=now)
        except Exception:  # the provider unreachable: the next run tries again
            log.exception("payout not sent", extra={"payout": payout_id})
    return len(ids)


async def _finish(db: Database, run_id: int, now: datetime) -> tuple[int, int]:
    async with db.transaction() as session:
        count, total = (
            await session.execute(
                select(func.count(), func.coalesce(func.sum(Payout.amount_minor), 0)).where(
                    Payout.run_id == run_id
                )
            )
        ).one()
        result = await session.execute(
            update(PayoutRun)
            .where(PayoutRun.id == run_id, PayoutRun.status == RUNNING)
            .values(status=COMPLETED, payouts=count, total_minor=total, finished_at=now)
        )
        assert isinstance(result, CursorResult)
        return int(count), int(total)


async def run_payouts(
    db: Database, provider: PaymentProvider, *, key: str, minimum: Money, now: datetime
) -> RunOutcome:
    """Run (or resume, or replay) the payout run `key` in `minimum`'s currency."""
    if minimum.minor <= 0:
        raise ValueError("the payout minimum is a positive amount")
    run_id, status = await _start(db, key, minimum, now)
    if status == COMPLETED:
        async with db.reading() as session:
            run = await session.get(PayoutRun, run_id)
        assert run is not None
        return RunOutcome(run_id, key, run.payouts, Money(run.total_minor, run.currency), True)
    await _reserve_each(db, provider, run_id, key, minimum, now)
    await send_requested_payouts(db, provider, now=now, run_id=run_id)
    count, total = await _finish(db, run_id, now)
    return RunOutcome(run_id, key, count, Money(total, minimum.currency), False)


async def resume_unfinished_runs(db: Database, provider: PaymentProvider, *, now: datetime) -> int:
    """Finish every run a crash left `running`, each under its own key and minimum (the
    shops it had not reached are paid in it; its count and total are recorded): the timer
    runs only the current period's key, so a run killed as its period ended would stay
    `running` for ever. Safe beside a run still going (each shop once per key). How many
    runs were resumed."""
    async with db.reading() as session:
        rows = (
            await session.execute(
                select(PayoutRun.key, PayoutRun.currency, PayoutRun.minimum_minor)
                .where(PayoutRun.status == RUNNING)
                .order_by(PayoutRun.id)
            )
        ).all()
    for key, currency, minimum in rows:
        await run_payouts(db, provider, key=key, minimum=Money(minimum, currency), now=now)
    return len(rows)


@dataclass(frozen=True, slots=True)
class RunView:
    id: int
    key: str
    status: str
    payouts: int
    total: Money
    started_at: datetime
    finished_at: datetime | None


async def payout_runs(db: Database, *, limit: int = 50) -> list[RunView]:
    """The latest payout runs, newest first (the console's list)."""
    async with db.reading() as session:
        rows = await session.scalars(select(PayoutRun).order_by(PayoutRun.id.desc()).limit(limit))
        return [
            RunView(r.id, r.key, r.status, r.payouts, Money(r.total_minor, r.currency),
                    r.started_at, r.finished_at)
            for r in rows
        ]  # fmt: skip
