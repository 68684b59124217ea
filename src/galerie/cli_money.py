"""The work of the money commands of `galerie` (cli.py declares them): a payout run, the
annual fees and their rebates, reconciliation; and the checks of their options, which
refuse bad input before anything is read or written."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Final

import click

if TYPE_CHECKING:  # imported by each command when it runs: `galerie` starts fast
    from galerie.config import Settings
    from galerie.reconciliation import ReconciliationReport
    from galerie.settlement import RunOutcome

RUN_KEY: Final = re.compile(r"[A-Za-z0-9_.:-]{1,60}")  # payout_runs.key is String(60)
FIRST_FEE_YEAR: Final = 2000


def check_run_key(_ctx: click.Context, _param: click.Parameter, key: str | None) -> str | None:
    """--key of payout-run: None (the current period's) or a well-formed run key."""
    if key is None or RUN_KEY.fullmatch(key):
        return key
    raise click.BadParameter(
        "a run key is 1 to 60 letters, digits, '.', '_', ':' or '-' (e.g. CNY:2026-11-30)"
    )


def check_fee_year(year: int) -> None:
    """--year of annual-fees: from 2000 to next year (charged in advance at the latest)."""
    latest = datetime.now(UTC).year + 1
    if not FIRST_FEE_YEAR <= year <= latest:
        raise click.BadParameter(
            f"give a year from {FIRST_FEE_YEAR} to {latest}", param_hint="'--year'"
        )


async def run_payout_run(settings: Settings, key: str | None) -> RunOutcome:
    from galerie.db import Database
    from galerie.kernel import Money, SystemClock
    from galerie.payments import payment_provider_for
    from galerie.settlement import run_payouts
    from galerie.workers.timers import payout_run_key

    db, clock = Database.from_url(settings.database_url), SystemClock()
    try:
        provider = payment_provider_for(settings, db, clock)
        if provider is None:
            raise click.ClickException("no payment provider is configured")
        minimum = Money(settings.payout_minimum_minor, settings.default_currency)
        now = clock.now()
        run_key = key or payout_run_key(now, max(settings.payout_every_days, 1), minimum.currency)
        return await run_payouts(db, provider, key=run_key, minimum=minimum, now=now)
    finally:
        await db.dispose()


async def run_annual_fees(settings: Settings, year: int) -> tuple[int, int]:
    from galerie.db import Database
    from galerie.kernel import SystemClock
    from galerie.settlement import charge_annual_fees, grant_rebates

    db, now = Database.from_url(settings.database_url), SystemClock().now()
    try:
        return (
            await charge_annual_fees(db, year=year, now=now),
            await grant_rebates(db, year=year - 1, now=now),
        )
    finally:
        await db.dispose()


async def run_reconciliation(settings: Settings) -> ReconciliationReport:
    from galerie.db import Database
    from galerie.kernel import SystemClock
    from galerie.payments import payment_provider_for
    from galerie.reconciliation import reconcile

    db, clock = Database.from_url(settings.database_url), SystemClock()
    try:
        provider = payment_provider_for(settings, db, clock)
        return await reconcile(db, provider=provider, now=clock.now())
    finally:
        await db.dispose()
