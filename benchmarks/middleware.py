"""Benchmark "middleware": what Galerie's middleware stack costs on a trivial endpoint.

Four targets, each answering GET /api/v1/ping with {"ok": true, "signed_in": ...}:
  (a) bare Starlette hello-world: the floor every ratio is taken against;
  (b) bare Litestar hello-world: a second, informative floor (the framework alone);
  (c) Galerie, anonymous: the whole stack (request id + access log, Prometheus, session
      middleware (excluded on /api), principal resolution, access guard, error mapping);
  (d) Galerie with a valid bearer token: the same plus the token's database lookup.
Goal (QUALITY.md, Benchmarks): (c) >= 50% of (a)'s requests/second.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.harness import BenchmarkError, Server, http_get
from benchmarks.load import LoadSettings, Measurement, measure
from benchmarks.stats import paired_ratios, summarise
from benchmarks.suite import BenchmarkResult, Goal, Row, RunOptions

NAME = "middleware"
PING = "/api/v1/ping"
GOAL_RATIO = 0.5


@dataclass(frozen=True, slots=True)
class Target:
    key: str
    label: str
    server: str
    signed_in: bool
    headers: Mapping[str, str] = field(default_factory=dict)


def targets(token: str) -> list[Target]:
    """In the order of a round: floor, app, floor, app."""
    return [
        Target("starlette", "bare Starlette hello-world (floor)", "starlette", False),
        Target("galerie_ping", "Galerie ping, anonymous", "galerie", False),
        Target("litestar", "bare Litestar hello-world (2nd floor)", "litestar", False),
        Target(
            "galerie_ping_token",
            "Galerie ping, bearer token",
            "galerie",
            True,
            {"Authorization": f"Bearer {token}"},
        ),
    ]


async def seed_database(url: str) -> tuple[str, int]:
    """Migrate the database and add one shopper with one API token, by plain SQL inserts.
    Returns (token, user id)."""
    from sqlalchemy import insert
    from sqlalchemy.ext.asyncio import create_async_engine

    import galerie.models  # noqa: F401 - registers every table in the metadata
    from galerie.db import metadata
    from galerie.kernel import new_token, token_digest
    from galerie.schema import upgrade_database

    await upgrade_database(url)
    users, tokens = metadata.tables["users"], metadata.tables["api_tokens"]
    token = new_token()
    now = datetime.now(UTC)
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            result = await connection.execute(
                insert(users).values(
                    email=f"bench-{secrets.token_hex(6)}@example.invalid",
                    display_name="Benchmark shopper",
                    password_hash="!",  # no password can match: the token is the only way in
                    preferred_language="en",
                    is_active=True,
                    created_at=now,
                )
            )
            user_id = int(result.inserted_primary_key[0])
            await connection.execute(
                insert(tokens).values(
                    user_id=user_id,
                    name="benchmark",
                    digest=token_digest(token),
                    prefix=token[:8],
                    audience="shopper",
                    permissions=["account.view"],
                    created_at=now,
                )
            )
    finally:
        await engine.dispose()
    return token, user_id


async def remove_user(url: str, user_id: int) -> None:
    from sqlalchemy import delete
    from sqlalchemy.ext.asyncio import create_async_engine

    import galerie.models  # noqa: F401
    from galerie.db import metadata

    users, tokens = metadata.tables["users"], metadata.tables["api_tokens"]
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(delete(tokens).where(tokens.c.user_id == user_id))
            await connection.execute(delete(users).where(users.c.id == user_id))
    finally:
        await engine.dispose()


def production_env(url: str, work_dir: Path) -> dict[str, str]:
    """Galerie's environment in the benchmarks: as deployed (JSON access log, production
    checks), on the given database."""
    return {
        "GALERIE_ENV": "production",
        "GALERIE_SECRET_KEY": secrets.token_urlsafe(48),
        "GALERIE_DATABASE_URL": url,
        "GALERIE_VAR_DIR": str(work_dir),
        "GALERIE_BASE_URL": "http://127.0.0.1",
        "GALERIE_LOG_FORMAT": "json",
        "GALERIE_REDIS_URL": "",
    }


def check_answer(server: Server, target: Target) -> None:
    """Before measuring: the target answers 200 with the expected body (a token that the app
    refused would otherwise be measured as a fast 401)."""
    status, body = http_get(server.port, PING, target.headers)
    try:
        answer: Any = json.loads(body)
    except ValueError:
        answer = body[:200]
    expected = {"ok": True, "signed_in": target.signed_in}
    if status != 200 or answer != expected:
        raise BenchmarkError(
            f"{target.label}: GET {PING} answered {status} {answer!r}, expected 200 {expected}"
        )


def run(options: RunOptions) -> BenchmarkResult:
    from galerie.config import normalise_database_url

    external_db = options.database_url is not None
    url = normalise_database_url(
        options.database_url or f"sqlite:///{options.work_dir / 'galerie-bench.sqlite3'}"
    )
    options.progress(f"[{NAME}] preparing the database ({url.split(':', 1)[0]})")
    token, user_id = asyncio.run(seed_database(url))
    galerie_env = production_env(url, options.work_dir)
    logs = options.work_dir / "logs"
    servers = {
        "starlette": Server(
            "bare Starlette",
            "benchmarks.targets.starlette_hello:app",
            log_path=logs / "starlette.log",
        ),
        "litestar": Server(
            "bare Litestar",
            "benchmarks.targets.litestar_hello:app",
            log_path=logs / "litestar.log",
        ),
        "galerie": Server(
            "Galerie",
            "benchmarks.targets.galerie_app:app",
            log_path=logs / "galerie.log",
            env=galerie_env,
        ),
    }
    plan = targets(token)
    try:
        with ExitStack() as stack:
            for server in servers.values():
                options.progress(f"[{NAME}] starting {server.name}")
                stack.enter_context(server)
                options.progress(f"[{NAME}]   pid {server.pid}, port {server.port}")
            for target in plan:
                check_answer(servers[target.server], target)
            return _measure_all(options, servers, plan)
    finally:
        if external_db:
            asyncio.run(remove_user(url, user_id))


def _measure_all(
    options: RunOptions, servers: Mapping[str, Server], plan: list[Target]
) -> BenchmarkResult:
    notes: list[str] = []

    def one(target: Target, settings: LoadSettings) -> Measurement:
        server = servers[target.server]
        cpu_before = server.cpu_seconds()
        figures = measure(server.url(PING), target.headers, settings)
        cpu_after = server.cpu_seconds()
        if cpu_before is not None and cpu_after is not None and figures.requests:
            cpu_us = (cpu_after - cpu_before) / figures.requests * 1e6
            figures = replace(figures, server_cpu_us_per_request=cpu_us)
        if figures.non_2xx:
            raise BenchmarkError(
                f"{target.label}: {figures.non_2xx} of {figures.requests} answers were not 2xx"
                f"; server log:\n{server.log_tail()}"
            )
        if figures.socket_errors:
            notes.append(f"{target.label}: {figures.socket_errors} socket errors in one run")
        return figures

    if options.warmup > 0:
        warm = LoadSettings(
            duration=options.warmup,
            connections=options.load.connections,
            threads=options.load.threads,
            generator=options.load.generator,
        )
        for target in plan:
            options.progress(f"[{NAME}] warm-up  {target.label} ({options.warmup:g} s)")
            one(target, warm)

    measured: dict[str, list[Measurement]] = {t.key: [] for t in plan}
    for round_number in range(1, options.rounds + 1):
        for target in plan:
            figures = one(target, options.load)
            measured[target.key].append(figures)
            options.progress(
                f"[{NAME}] round {round_number}/{options.rounds}  {target.label:40} "
                f"{figures.requests_per_second:>10,.0f} req/s  p99 {figures.p99_ms:7.2f} ms"
                + (
                    f"  {figures.server_cpu_us_per_request:6.0f} us CPU/req"
                    if figures.server_cpu_us_per_request
                    else ""
                )
            )

    floor, second = measured["starlette"], measured["litestar"]
    floor_rps = summarise(floor).requests_per_second
    second_rps = summarise(second).requests_per_second
    floor_cpu = summarise(floor).cpu_us_per_request
    rows = []
    for target in plan:
        summary = summarise(measured[target.key])
        rows.append(
            Row(
                key=target.key,
                label=target.label,
                summary=summary,
                vs_floor=summary.requests_per_second / floor_rps,
                vs_second_floor=summary.requests_per_second / second_rps,
                paired_vs_floor=paired_ratios(measured[target.key], floor),
                cpu_vs_floor=(
                    floor_cpu / summary.cpu_us_per_request
                    if floor_cpu and summary.cpu_us_per_request
                    else None
                ),
            )
        )
    by_key = {row.key: row for row in rows}
    goals = [
        Goal(
            "Galerie ping (anonymous) >= 50% of bare Starlette req/s",
            by_key["galerie_ping"].vs_floor,
            GOAL_RATIO,
            cpu_ratio=by_key["galerie_ping"].cpu_vs_floor,
        )
    ]
    spread = max(row.summary.spread for row in rows)
    if options.rounds > 1 and spread > 0.15:
        notes.append(
            f"the rounds disagree by up to {spread:.0%} of the median: the machine was busy; "
            "run again, or with more --rounds"
        )
    return BenchmarkResult(
        name=NAME,
        title=f"middleware: GET {PING} through the whole stack vs hello-world floors",
        floor_label="bare Starlette",
        second_floor_label="bare Litestar",
        rows=rows,
        goals=goals,
        notes=notes,
        raw={key: [m.as_dict() for m in values] for key, values in measured.items()},
    )
