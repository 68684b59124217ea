"""Benchmarks of the storefront's catalog hot paths, each against its floor in the same run:

- `category_sqlite`: Galerie's category listing (GET /api/v1/categories/166/products, 24
  cards of a 3,000-product category tree, newest first) vs a raw-sqlite3 minimal ASGI
  endpoint running the same SQL (benchmarks/targets/raw_catalog.py). Goal: >= 60%.
  The HTML category page is measured beside it (informative).
- `category_postgres`: the same on PostgreSQL vs the raw asyncpg endpoint. Goal: >= 30%.
  Uses --database-url when it is PostgreSQL, else a throwaway database created on
  GALERIE_BENCH_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/postgres), dropped
  at the end; skipped with a note when no server answers.
- `product_page`: Galerie's product page (GET /products/{id}, HTML, anonymous) vs the bare
  Litestar hello-world. Goal: >= 25%. Measured beside it (informative): the home page (what
  the shared layout, sessions, CSRF and the language middleware cost on any page) and the
  product API.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
from collections.abc import Callable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, replace

from benchmarks.catalog_seed import Seeded, seed_catalog
from benchmarks.harness import BenchmarkError, Server, http_get
from benchmarks.load import LoadSettings, Measurement, measure
from benchmarks.stats import paired_ratios, summarise
from benchmarks.suite import BenchmarkResult, Goal, Row, RunOptions

PER_PAGE = 24
PG_ADMIN = os.environ.get(
    "GALERIE_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


@dataclass(frozen=True, slots=True)
class Target:
    key: str
    label: str
    server: str
    path: str
    check: Callable[[bytes], bool]


def _galerie_env(options: RunOptions, url: str) -> dict[str, str]:
    return {
        "GALERIE_ENV": "production",
        "GALERIE_SECRET_KEY": secrets.token_urlsafe(48),
        "GALERIE_DATABASE_URL": url,
        "GALERIE_VAR_DIR": str(options.work_dir),
        "GALERIE_BASE_URL": "http://127.0.0.1",
        "GALERIE_LOG_FORMAT": "json",
        "GALERIE_REDIS_URL": "",
    }


def _ids(body: bytes, *path: str) -> list[int]:
    data = json.loads(body)
    for key in path:
        data = data[key]
    return [int(item["id"]) for item in data]


def _check(servers: Mapping[str, Server], plan: list[Target]) -> None:
    for target in plan:
        status, body = http_get(servers[target.server].port, target.path)
        if status != 200 or not target.check(body):
            raise BenchmarkError(
                f"{target.label}: GET {target.path} answered {status} {body[:200]!r}"
            )


def _measure(
    options: RunOptions, name: str, servers: Mapping[str, Server], plan: list[Target]
) -> tuple[dict[str, list[Measurement]], list[str]]:
    """A warm-up per target, then interleaved rounds (floor, app, ...), as `middleware` does."""
    notes: list[str] = []

    def one(target: Target, settings: LoadSettings) -> Measurement:
        server = servers[target.server]
        before = server.cpu_seconds()
        figures = measure(server.url(target.path), {}, settings)
        after = server.cpu_seconds()
        if before is not None and after is not None and figures.requests:
            per_request = (after - before) / figures.requests * 1e6
            figures = replace(figures, server_cpu_us_per_request=per_request)
        if figures.non_2xx:
            raise BenchmarkError(
                f"{target.label}: {figures.non_2xx} answers were not 2xx; log:\n{server.log_tail()}"
            )
        if figures.socket_errors:
            notes.append(f"{target.label}: {figures.socket_errors} socket errors in one run")
        return figures

    if options.warmup > 0:
        warm = replace(options.load, duration=options.warmup)
        for target in plan:
            options.progress(f"[{name}] warm-up  {target.label} ({options.warmup:g} s)")
            one(target, warm)
    measured: dict[str, list[Measurement]] = {t.key: [] for t in plan}
    for round_number in range(1, options.rounds + 1):
        for target in plan:
            figures = one(target, options.load)
            measured[target.key].append(figures)
            options.progress(
                f"[{name}] round {round_number}/{options.rounds}  {target.label:44} "
                f"{figures.requests_per_second:>9,.0f} req/s  p99 {figures.p99_ms:7.2f} ms"
            )
    return measured, notes


def _result(
    options: RunOptions,
    name: str,
    title: str,
    plan: list[Target],
    measured: dict[str, list[Measurement]],
    goal: tuple[str, str, float],
    notes: list[str],
) -> BenchmarkResult:
    floor_key = plan[0].key
    floor = measured[floor_key]
    floor_summary = summarise(floor)
    rows = []
    for target in plan:
        summary = summarise(measured[target.key])
        cpu = summary.cpu_us_per_request
        rows.append(
            Row(
                key=target.key,
                label=target.label,
                summary=summary,
                vs_floor=summary.requests_per_second / floor_summary.requests_per_second,
                vs_second_floor=None,
                paired_vs_floor=paired_ratios(measured[target.key], floor),
                cpu_vs_floor=(
                    floor_summary.cpu_us_per_request / cpu
                    if floor_summary.cpu_us_per_request and cpu
                    else None
                ),
            )
        )
    by_key = {row.key: row for row in rows}
    description, key, threshold = goal
    goals = [Goal(description, by_key[key].vs_floor, threshold, by_key[key].cpu_vs_floor)]
    if options.rounds > 1 and max(row.summary.spread for row in rows) > 0.15:
        notes.append("the rounds disagree by more than 15%: the machine was busy; run again")
    return BenchmarkResult(
        name=name,
        title=title,
        floor_label=plan[0].label.split(" (")[0],
        second_floor_label=None,
        rows=rows,
        goals=goals,
        notes=notes,
        raw={k: [m.as_dict() for m in v] for k, v in measured.items()},
    )


def _listing_plan(seeded: Seeded, floor: str, *, html: bool) -> list[Target]:
    api = f"/api/v1/categories/{seeded.category_id}/products?per_page={PER_PAGE}&lang=en"
    expected: list[int] = []

    def floor_check(body: bytes) -> bool:
        expected[:] = _ids(body)
        return len(expected) == PER_PAGE

    plan = [
        Target("raw", floor, "raw", "/raw/categories", floor_check),
        Target(
            "galerie_api", "Galerie category listing (API, JSON)", "galerie", api,
            lambda body: _ids(body, "products", "items") == expected,
        ),
    ]  # fmt: skip
    if html:
        page = f"/categories/{seeded.category_id}"
        plan.append(
            Target(
                "galerie_page",
                "Galerie category page (HTML)",
                "galerie",
                page,
                lambda body: body.count(b'class="card product-card"') == PER_PAGE,
            )
        )
    return plan


def _listing_servers(
    options: RunOptions, url: str, raw_db: str, seeded: Seeded
) -> dict[str, Server]:
    logs = options.work_dir / "logs"
    raw_env = {"BENCH_DATABASE": raw_db, "BENCH_CATEGORIES": json.dumps(seeded.category_ids)}
    return {
        "raw": Server(
            "raw catalog floor", "benchmarks.targets.raw_catalog:app",
            log_path=logs / "raw_catalog.log", env=raw_env,
        ),
        "galerie": Server(
            "Galerie", "benchmarks.targets.galerie_app:app", log_path=logs / "galerie.log",
            env=_galerie_env(options, url),
        ),
    }  # fmt: skip


def _run_plan(
    options: RunOptions, name: str, servers: dict[str, Server], plan: list[Target]
) -> tuple[dict[str, list[Measurement]], list[str]]:
    with ExitStack() as stack:
        for server in servers.values():
            options.progress(f"[{name}] starting {server.name}")
            stack.enter_context(server)
        _check(servers, plan)
        return _measure(options, name, servers, plan)


def _sqlite_url(options: RunOptions) -> tuple[str, str]:
    path = options.work_dir / "catalog-bench.sqlite3"
    return f"sqlite+aiosqlite:///{path}", str(path)


def run_category_sqlite(options: RunOptions) -> BenchmarkResult:
    name = "category_sqlite"
    url, path = _sqlite_url(options)
    options.progress(f"[{name}] seeding the catalog (SQLite)")
    seeded = asyncio.run(seed_catalog(url))
    plan = _listing_plan(seeded, "raw sqlite3 endpoint, same SQL (floor)", html=True)
    measured, notes = _run_plan(options, name, _listing_servers(options, url, path, seeded), plan)
    goal = ("category listing (API) >= 60% of the raw sqlite3 endpoint", "galerie_api", 0.6)
    title = "category_sqlite: 24 cards of a 3,000-product category tree on SQLite"
    return _result(options, name, title, plan, measured, goal, notes)


async def _create_postgres() -> str | None:
    import asyncpg

    try:
        admin = await asyncpg.connect(PG_ADMIN, timeout=5)
    except (OSError, asyncpg.PostgresError):
        return None
    database = f"galerie_bench_{secrets.token_hex(4)}"
    try:
        await admin.execute(f'CREATE DATABASE "{database}"')
    finally:
        await admin.close()
    return PG_ADMIN.rsplit("/", 1)[0] + "/" + database


async def _drop_postgres(dsn: str) -> None:
    import asyncpg

    admin = await asyncpg.connect(PG_ADMIN, timeout=5)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{dsn.rsplit("/", 1)[1]}" WITH (FORCE)')
    finally:
        await admin.close()


def run_category_postgres(options: RunOptions) -> BenchmarkResult:
    name = "category_postgres"
    given = (
        options.database_url
        if options.database_url and "postgres" in options.database_url
        else None
    )
    dsn = (
        given.replace("postgresql+asyncpg://", "postgresql://")
        if given
        else asyncio.run(_create_postgres())
    )
    if dsn is None:
        raise BenchmarkError(f"no PostgreSQL server answers on {PG_ADMIN}")
    try:
        url = dsn.replace("postgresql://", "postgresql+asyncpg://", 1)
        options.progress(f"[{name}] seeding the catalog (PostgreSQL)")
        seeded = asyncio.run(seed_catalog(url))
        plan = _listing_plan(seeded, "raw asyncpg endpoint, same SQL (floor)", html=False)
        servers = _listing_servers(options, url, dsn, seeded)
        measured, notes = _run_plan(options, name, servers, plan)
    finally:
        if given is None:
            asyncio.run(_drop_postgres(dsn))
    goal = ("category listing (API) >= 30% of the raw asyncpg endpoint", "galerie_api", 0.3)
    title = "category_postgres: 24 cards of a 3,000-product category tree on PostgreSQL"
    return _result(options, name, title, plan, measured, goal, notes)


def run_product_page(options: RunOptions) -> BenchmarkResult:
    name = "product_page"
    url, _path = _sqlite_url(options)
    options.progress(f"[{name}] seeding the catalog (SQLite)")
    seeded = asyncio.run(seed_catalog(url))
    product = seeded.product_id
    title_bytes = f"en product {product} ".encode()
    logs = options.work_dir / "logs"
    servers = {
        "litestar": Server(
            "bare Litestar", "benchmarks.targets.litestar_hello:app",
            log_path=logs / "litestar.log",
        ),
        "galerie": Server(
            "Galerie", "benchmarks.targets.galerie_app:app", log_path=logs / "galerie.log",
            env=_galerie_env(options, url),
        ),
    }  # fmt: skip
    plan = [
        Target(
            "litestar", "bare Litestar hello-world (floor)", "litestar", "/api/v1/ping",
            lambda body: json.loads(body) == {"ok": True, "signed_in": False},
        ),
        Target(
            "galerie_page", "Galerie product page (HTML)", "galerie", f"/products/{product}",
            lambda body: title_bytes in body and body.count(b"<tr><td>") == 3,
        ),
        Target(
            "galerie_home", "Galerie home page (HTML: the shared layout alone)", "galerie",
            "/", lambda body: b"</html>" in body,
        ),
        Target(
            "galerie_api", "Galerie product (API, JSON)", "galerie",
            f"/api/v1/products/{product}?lang=en",
            lambda body: len(json.loads(body)["variants"]) == 3,
        ),
    ]  # fmt: skip
    measured, notes = _run_plan(options, name, servers, plan)
    goal = ("product page >= 25% of the bare Litestar hello-world", "galerie_page", 0.25)
    title = "product_page: GET /products/{id} (3 variants, 2 images) vs bare Litestar"
    return _result(options, name, title, plan, measured, goal, notes)


BENCHMARKS: dict[str, Callable[[RunOptions], BenchmarkResult]] = {
    "category_sqlite": run_category_sqlite,
    "category_postgres": run_category_postgres,
    "product_page": run_product_page,
}
