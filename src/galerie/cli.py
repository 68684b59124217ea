"""The `galerie` command line."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import click

from galerie.cli_money import (
    check_fee_year,
    check_run_key,
    run_annual_fees,
    run_payout_run,
    run_reconciliation,
)
from galerie.config import ConfigError, Settings, load_settings

T = TypeVar("T")


def _settings() -> Settings:
    try:
        return load_settings()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc


def _run(factory: Callable[[], Awaitable[T]]) -> T:
    return asyncio.run(factory())  # type: ignore[arg-type]


@click.group()
def main() -> None:
    """Galerie: an open-source marketplace platform."""


@main.group()
def db() -> None:
    """Database schema: migrations and checks."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    """Apply migrations up to REVISION."""
    from galerie.schema import upgrade_database

    settings = _settings()
    _run(lambda: upgrade_database(settings.database_url, revision))
    click.echo(f"database at {revision}")


@db.command("check")
def db_check() -> None:
    """Exit non-zero unless the models and the migrations agree."""
    from galerie.schema import schema_differences

    settings = _settings()
    diffs = _run(lambda: schema_differences(settings.database_url))
    if diffs:
        for diff in diffs:
            click.echo(f"  {diff}", err=True)
        raise click.ClickException(f"{len(diffs)} differences between models and migrations")
    click.echo("models and migrations agree")


@db.command("revision")
@click.option("-m", "--message", required=True)
def db_revision(message: str) -> None:
    """Write a new migration from the difference between models and database."""
    from galerie.schema import write_revision

    settings = _settings()
    _run(lambda: write_revision(settings.database_url, message))


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int)
def serve(host: str, port: int, workers: int) -> None:
    """Serve the marketplace (the database must be migrated)."""
    from galerie.server import serve as run_server

    run_server(_settings(), host=host, port=port, workers=workers)


@main.command()
def seed() -> None:
    """Write the deterministic demo data (does nothing if it is already there)."""
    settings = _settings()
    created = _run(lambda: _seed(settings))
    click.echo("demo data written" if created else "demo data already present")


async def _seed(settings: Settings) -> bool:
    from galerie.db import Database
    from galerie.demo import seed_demo
    from galerie.kernel import SystemClock
    from galerie.storage import LocalDiskStorage

    db = Database.from_url(settings.database_url)
    assert db.engine is not None
    try:
        # One outer transaction (every use case a savepoint inside it): one commit, one
        # fsync, instead of thousands; and an interrupted seed leaves nothing behind.
        async with db.engine.connect() as connection, connection.begin():
            return await seed_demo(
                Database.bound_to(connection),
                SystemClock(),
                storage=LocalDiskStorage(settings.var_dir / "files"),
                var_dir=settings.var_dir,
            )
    finally:
        await db.dispose()


def _print_logins() -> None:
    from galerie.demo import DEMO_PASSWORD, demo_accounts

    click.echo("\nDemo accounts (password for all: " + DEMO_PASSWORD + ")")
    for account in demo_accounts():
        click.echo(f"  {account.email:28} {account.notes}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
def demo(host: str, port: int) -> None:
    """Create the database, migrate, seed the demo data and serve it."""
    import os

    from galerie.schema import upgrade_database
    from galerie.server import serve as run_server

    os.environ.setdefault("GALERIE_ENV", "demo")
    settings = _settings()
    if settings.production:
        raise click.ClickException("the demo refuses to run with GALERIE_ENV=production")
    _run(lambda: upgrade_database(settings.database_url))
    _run(lambda: _seed(settings))
    _print_logins()
    click.echo(
        f"\nGalerie demo on http://{host}:{port}/  (seller centre /seller, console /console,"
        " API docs /api/docs)\n"
    )
    run_server(settings, host=host, port=port)


@main.command("create-operator")
@click.option("--email", required=True)
@click.option("--name", "display_name", required=True)
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    type=click.Choice(["vetting", "moderation", "finance", "support", "admin"]),
)
@click.option(
    "--language", default="en", show_default=True, type=click.Choice(["zh-CN", "en", "fr"])
)
@click.password_option()
def create_operator(
    email: str, display_name: str, roles: tuple[str, ...], language: str, password: str
) -> None:
    """Create a platform operator with one or more roles (audited)."""
    from galerie.kernel import DomainError

    settings = _settings()
    try:
        user_id = _run(
            lambda: _create_operator(settings, email, display_name, roles, language, password)
        )
    except DomainError as exc:
        raise click.ClickException(f"{exc.message} ({exc.code})") from exc
    click.echo(f"operator {email} created (user {user_id}) with roles: {', '.join(roles)}")


async def _create_operator(
    settings: Settings,
    email: str,
    display_name: str,
    roles: tuple[str, ...],
    language: str,
    password: str,
) -> int:
    from galerie.audit import AuditContext
    from galerie.db import Database
    from galerie.identity import OperatorRole, create_operator
    from galerie.kernel import SystemClock

    db = Database.from_url(settings.database_url)
    try:
        return await create_operator(
            db,
            email=email,
            password=password,
            display_name=display_name,
            roles=[OperatorRole(role) for role in roles],
            language=language,
            now=SystemClock().now(),
            audit=AuditContext(extra={"source": "cli"}),
        )
    finally:
        await db.dispose()


@main.command()
@click.option("--once", is_flag=True, help="Deliver what is pending, then exit.")
@click.option("--poll-seconds", default=1.0, show_default=True, type=float)
def worker(once: bool, poll_seconds: float) -> None:
    """Deliver outbox events, run import jobs, send seller webhooks and the timers
    (document deadlines, hourly; the sandbox provider's webhooks, every second, when it is
    the payment provider); run one or more of these in production."""
    from galerie.web.observability import configure_logging

    settings = _settings()
    configure_logging(settings.log_format)
    delivered = _run(lambda: _work(settings, once=once, poll_seconds=poll_seconds))
    if once:
        click.echo(f"{delivered} events claimed")


async def _work(settings: Settings, *, once: bool, poll_seconds: float) -> int:
    import signal

    from galerie.db import Database
    from galerie.kernel import SystemClock
    from galerie.payments import send_pending_refunds
    from galerie.storage import LocalDiskStorage
    from galerie.workers.runtime import (
        make_dispatcher,
        make_import_runner,
        make_payment_provider,
        make_sandbox_sender,
        make_settlement_timers,
        make_webhook_sender,
    )
    from galerie.workers.timers import (
        run_pending_refunds_until,
        run_sandbox_webhooks_until,
        run_settlement_until,
        run_timers,
        run_timers_until,
        send_sandbox_webhooks,
    )

    db = Database.from_url(settings.database_url)
    dispatcher = make_dispatcher(settings, db, SystemClock())
    storage = LocalDiskStorage(settings.var_dir / "files")
    runner = make_import_runner(settings, db, storage, SystemClock())
    sender = make_webhook_sender(db, SystemClock())
    sandbox = make_sandbox_sender(settings, db, SystemClock())
    provider = make_payment_provider(settings, db, SystemClock())
    try:
        if once:
            await run_timers(db, SystemClock())
            total = 0
            while claimed := await dispatcher.dispatch_pending():
                total += claimed
            await runner.run_pending()
            await sender.send_pending()
            if sandbox is not None:
                await send_sandbox_webhooks(sandbox)
            if provider is not None:
                await send_pending_refunds(db, provider, now=SystemClock().now())
            return total
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await asyncio.gather(
            dispatcher.run(stop, poll_seconds=poll_seconds),
            runner.run(stop, poll_seconds=poll_seconds),
            run_timers_until(stop, db, SystemClock()),
            sender.run(stop, poll_seconds=max(poll_seconds, 1.0)),
            *([run_sandbox_webhooks_until(stop, sandbox)] if sandbox is not None else []),
            *(
                [run_pending_refunds_until(stop, db, provider, SystemClock())]
                if provider is not None
                else []
            ),
            run_settlement_until(
                stop, db, SystemClock(), make_settlement_timers(settings, db, SystemClock())
            ),
        )
        return 0
    finally:
        await sender.aclose()
        if sandbox is not None:
            await sandbox.aclose()
        await db.dispose()


# --- settlement and reconciliation (issue 6; the work is in cli_money.py) -------------------
@main.command("payout-run")
@click.option("--key", callback=check_run_key, help="The run's key; default: the period's.")
def payout_run(key: str | None) -> None:
    """Pay every shop holding at least GALERIE_PAYOUT_MINIMUM_MINOR, once per run key."""
    settings = _settings()
    done = _run(lambda: run_payout_run(settings, key))
    click.echo(
        f"payout run {done.key}: {done.payouts} payouts, {done.total}"
        + (" (already run)" if done.replayed else "")
    )


@main.command("annual-fees")
@click.option("--year", type=int, required=True)
def annual_fees(year: int) -> None:
    """Charge the annual fees of YEAR and grant the rebates of YEAR - 1 (each once)."""
    check_fee_year(year)
    settings = _settings()
    charged, granted = _run(lambda: run_annual_fees(settings, year))
    click.echo(
        f"{charged} annual fees charged for {year}, {granted} rebates granted for {year - 1}"
    )


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def reconcile(as_json: bool) -> None:
    """Recompute every balance from the journal and compare it, the orders and our payments
    with the ledger and the payment provider's records; print each discrepancy and exit 1
    when there is any."""
    import json

    settings = _settings()
    report = _run(lambda: run_reconciliation(settings))
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2, sort_keys=True))
    else:
        for line in report.lines():
            click.echo(line)
    if not report.ok:
        raise click.exceptions.Exit(1)


def entry(argv: list[str] | None = None) -> Any:
    return main.main(args=argv, standalone_mode=False)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
