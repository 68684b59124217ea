"""`galerie reconcile`, run in-process on a database of its own (SQLite and PostgreSQL):
exit 0 and "0 discrepancies" on a clean ledger; a tampered cached balance and a provider
capture we never recorded are printed and exit 1; --json gives the same as data."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from click.testing import CliRunner, Result
from sqlalchemy import text

from galerie.cli import main
from galerie.db import Database
from galerie.kernel import FixedClock, Money
from galerie.ledger import credit, debit, post_entry
from galerie.reconciliation import CHECKS
from tests.integration.ledger.factories import make_chart
from tests.integration.payments.support import make_provider, paid_payment


async def _invoke(url: str, tmp_path: Path, *args: str) -> Result:
    env = {
        "GALERIE_DATABASE_URL": url,
        "GALERIE_SECRET_KEY": "reconcile-cli-test-secret-0123456789abcdef",
        "GALERIE_VAR_DIR": str(tmp_path),
    }
    # asyncio.run inside the command needs a thread without a running loop
    return await asyncio.to_thread(CliRunner().invoke, main, ["reconcile", *args], env=env)


async def test_the_command_exits_non_zero_on_any_discrepancy(
    fresh_url: str, tmp_path: Path, clock: FixedClock
) -> None:
    db = Database.from_url(fresh_url)
    try:
        chart = await make_chart(db, clock.now())
        async with db.transaction() as session:
            await post_entry(
                session, key="capture:1", memo="captured", now=clock.now(),
                lines=[debit(chart.clearing.id, Money(700, "CNY")),
                       credit(chart.escrow.id, Money(700, "CNY"))],
            )  # fmt: skip
        clean = await _invoke(fresh_url, tmp_path)
        assert (clean.exit_code, clean.output) == (0, f"0 discrepancies ({len(CHECKS)} checks)\n")

        async with db.transaction() as session:
            await session.execute(
                text("UPDATE ledger_accounts SET balance_minor = -650 WHERE id = :id"),
                {"id": chart.escrow.id},
            )
        stray = await paid_payment(make_provider(db, clock), db, clock, minor=990, ref="group:9")
        found = await _invoke(fresh_url, tmp_path)
        assert found.exit_code == 1
        assert found.output.splitlines() == [
            f"balance_differs\taccount:{chart.escrow.id} escrow of 1\texpected -700\tactual -650",
            "currency_not_zero\tcurrency:CNY\texpected 0\tactual 50",
            f"provider_payment_unknown\tpayment:{stray.provider_payment_id}\texpected absent"
            "\tactual 990",
            f"3 discrepancies ({len(CHECKS)} checks): balance_differs 1, currency_not_zero 1,"
            " provider_payment_unknown 1",
        ]

        as_json = await _invoke(fresh_url, tmp_path, "--json")
        assert as_json.exit_code == 1
        report = json.loads(as_json.output)
        assert report["ok"] is False
        assert report["counts"] == {
            "balance_differs": 1, "currency_not_zero": 1, "provider_payment_unknown": 1,
        }  # fmt: skip
        assert report["discrepancies"][0] == {
            "kind": "balance_differs", "subject": f"account:{chart.escrow.id} escrow of 1",
            "expected": -700, "actual": -650,
        }  # fmt: skip
        assert report["skipped"] == {}
        assert report["checks"] == [check.name for check in CHECKS]
    finally:
        await db.dispose()
