"""The money commands of the `galerie` command line, run in-process (click's CliRunner) on a
migrated database of their own, SQLite and PostgreSQL, with the sandbox provider:

- `galerie payout-run` pays every shop holding the minimum, once per run key (a replay pays
  nothing more and says so); without --key it runs the current period's key; a malformed
  key or no payment provider is refused with a clear error, changing nothing;
- `galerie annual-fees --year` charges each shop's fee once per shop, category and year;
  a year that is not a number or out of range is refused before anything is charged;
- `galerie reconcile` exits 0 on what those commands did, 1 with the discrepancy when a
  cached balance is tampered; without a provider its checks against it are skipped."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import text

from galerie.cli import main
from galerie.db import Database
from galerie.kernel import FixedClock
from galerie.workers.timers import payout_run_key
from tests.integration.orders.factories import Market, make_market
from tests.integration.settlement.support import fund, ledger, payouts, sandbox_payouts

FEE = 3_000_000  # each factory shop's annual fee (Home & Garden), CNY


@dataclass
class Cli:
    """The command line against one database, and that database."""

    url: str
    var_dir: Path
    db: Database
    market: Market

    async def __call__(self, *args: str, provider: str = "sandbox") -> Result:
        env = {
            "GALERIE_DATABASE_URL": self.url,
            "GALERIE_SECRET_KEY": "money-cli-test-secret-0123456789abcdef",
            "GALERIE_VAR_DIR": str(self.var_dir),
            "GALERIE_PAYMENT_PROVIDER": provider,
            "GALERIE_PAYOUT_MINIMUM_MINOR": "10000",
            "GALERIE_PAYOUT_EVERY_DAYS": "1",
        }
        # asyncio.run inside the command needs a thread without a running loop
        return await asyncio.to_thread(CliRunner().invoke, main, list(args), env=env)

    async def rows(self, sql: str) -> list[tuple[object, ...]]:
        async with self.db.reading() as session:
            return [tuple(row) for row in (await session.execute(text(sql))).all()]


@pytest.fixture
async def cli(fresh_url: str, tmp_path: Path, clock: FixedClock) -> AsyncIterator[Cli]:
    db = Database.from_url(fresh_url)
    try:
        market = await make_market(db, clock.now(), tmp_path)
        yield Cli(fresh_url, tmp_path, db, market)
    finally:
        await db.dispose()


async def test_a_payout_run_pays_once_per_key_and_reconciles(cli: Cli, clock: FixedClock) -> None:
    a, b, _ = (shop.shop_id for shop in cli.market.shops)
    await fund(cli.db, a, 50_000, clock.now(), "test:fund:a")
    await fund(cli.db, b, 9_999, clock.now(), "test:fund:b")  # below the minimum

    first = await cli("payout-run", "--key", "CNY:cli-1")
    assert (first.exit_code, first.output) == (0, "payout run CNY:cli-1: 1 payouts, 500.00 CNY\n")
    assert await payouts(cli.db) == [(a, 50_000, "sent")]
    await fund(cli.db, a, 20_000, clock.now(), "test:fund:a2")
    again = await cli("payout-run", "--key", "CNY:cli-1")
    assert (again.exit_code, again.output) == (
        0, "payout run CNY:cli-1: 1 payouts, 500.00 CNY (already run)\n",
    )  # fmt: skip
    assert await payouts(cli.db) == [(a, 50_000, "sent")]  # the run paid nothing more
    assert await sandbox_payouts(cli.db) == 1

    before = payout_run_key(datetime.now(UTC), 1, "CNY")
    period = await cli("payout-run")  # the current period's run pays what came since
    keys = {before, payout_run_key(datetime.now(UTC), 1, "CNY")}
    assert period.exit_code == 0, period.output
    assert period.output in {f"payout run {k}: 1 payouts, 200.00 CNY\n" for k in keys}
    assert await payouts(cli.db) == [(a, 50_000, "sent"), (a, 20_000, "sent")]
    assert await ledger(cli.db) == {
        ("provider_clearing", 0): 79_999,
        ("seller_payable", b): -9_999,
        ("payouts_in_transit", 0): -70_000,
    }

    clean = await cli("reconcile")
    assert clean.exit_code == 0, clean.output
    assert clean.output.startswith("0 discrepancies")
    account = (await cli.rows("SELECT id FROM ledger_accounts WHERE kind = 'payouts_in_transit'"))[0][0]  # fmt: skip
    async with cli.db.transaction() as session:
        await session.execute(
            text("UPDATE ledger_accounts SET balance_minor = -60000 WHERE id = :id"),
            {"id": account},
        )
    drifted = await cli("reconcile", "--json")
    assert drifted.exit_code == 1
    report = json.loads(drifted.output)
    assert report["ok"] is False
    assert report["counts"] == {"balance_differs": 1, "currency_not_zero": 1}
    assert report["discrepancies"][0] == {
        "kind": "balance_differs", "subject": f"account:{account} payouts_in_transit",
        "expected": -70_000, "actual": -60_000,
    }  # fmt: skip


async def test_a_payout_run_refuses_a_bad_key_or_no_provider_and_changes_nothing(
    cli: Cli, clock: FixedClock
) -> None:
    a = cli.market.shops[0].shop_id
    await fund(cli.db, a, 50_000, clock.now(), "test:fund:a")
    for key in ("", "CNY 2026-11-30", "x" * 61, "CNY:2026/11/30"):
        refused = await cli("payout-run", "--key", key)
        assert refused.exit_code == 2, (key, refused.output)
        assert "Invalid value for '--key': a run key is 1 to 60 letters" in refused.output
    none = await cli("payout-run", "--key", "CNY:cli-2", provider="none")
    assert (none.exit_code, none.output) == (1, "Error: no payment provider is configured\n")
    assert await payouts(cli.db) == []
    assert await cli.rows("SELECT key FROM payout_runs") == []
    assert await ledger(cli.db) == {
        ("provider_clearing", 0): 50_000,
        ("seller_payable", a): -50_000,
    }


async def test_annual_fees_are_charged_once_per_shop_category_and_year(
    cli: Cli, clock: FixedClock
) -> None:
    a, b, c = (shop.shop_id for shop in cli.market.shops)
    await fund(cli.db, a, 5_000_000, clock.now(), "test:fund:a")
    year = datetime.now(UTC).year
    charged = await cli("annual-fees", "--year", str(year))
    assert (charged.exit_code, charged.output) == (
        0, f"3 annual fees charged for {year}, 0 rebates granted for {year - 1}\n",
    )  # fmt: skip
    once = {
        ("provider_clearing", 0): 5_000_000,
        ("seller_payable", a): -(5_000_000 - FEE),  # from the payable
        ("fees_receivable", b): FEE,  # owed: nothing on the payable
        ("fees_receivable", c): FEE,
        ("commission_revenue", 0): -3 * FEE,
    }
    assert await ledger(cli.db) == once
    again = await cli("annual-fees", "--year", str(year))
    assert (again.exit_code, again.output) == (
        0, f"0 annual fees charged for {year}, 0 rebates granted for {year - 1}\n",
    )  # fmt: skip
    assert await ledger(cli.db) == once
    earlier = await cli("annual-fees", "--year", str(year - 1))  # another year: its own fee
    assert earlier.output.startswith(f"3 annual fees charged for {year - 1}")
    keys = await cli.rows("SELECT key FROM journal_entries WHERE key LIKE 'annual-fee:%'")
    categories = await cli.rows("SELECT shop_id, category_id FROM shop_categories")
    assert len(categories) == 3
    assert sorted(str(key) for (key,) in keys) == sorted(
        f"annual-fee:{shop}:{category}:{y}"
        for shop, category in categories
        for y in (year, year - 1)
    )


async def test_annual_fees_refuse_a_year_that_is_not_one(cli: Cli) -> None:
    latest = datetime.now(UTC).year + 1
    for year in ("twenty", "2026.5", ""):
        refused = await cli("annual-fees", "--year", year)
        assert refused.exit_code == 2, (year, refused.output)
        assert f"Invalid value for '--year': {year!r} is not a valid integer." in refused.output
    for year in ("1999", "-5", str(latest + 1), "99999"):
        refused = await cli("annual-fees", "--year", year)
        assert refused.exit_code == 2, (year, refused.output)
        assert f"Invalid value for '--year': give a year from 2000 to {latest}" in refused.output
    missing = await cli("annual-fees")
    assert missing.exit_code == 2
    assert "Missing option '--year'" in missing.output
    assert await ledger(cli.db) == {}  # nothing charged


async def test_reconcile_without_a_provider_skips_its_checks(cli: Cli) -> None:
    report = await cli("reconcile", provider="none")
    assert report.exit_code == 0, report.output
    lines = report.output.splitlines()
    assert "skipped payments_at_provider: no payment provider is configured" in lines
    assert "skipped refunds_at_provider: no payment provider is configured" in lines
    assert lines[-1].startswith("0 discrepancies")
