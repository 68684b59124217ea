"""The `galerie` command line."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import click

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


def entry(argv: list[str] | None = None) -> Any:
    return main.main(args=argv, standalone_mode=False)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
