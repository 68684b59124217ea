"""Benchmark "search": a search with a facet filter over a 100,000-product catalog.

Three targets answer GET /api/v1/search?q=<word>&category=<root>&lang=en (about 75 matches):
  (a) floor: bare Starlette running ONE raw FTS5 statement (the first page of 24 by
      relevance, the category filter) on sqlite3 (benchmarks/targets/search_floor.py);
  (b) Galerie without its result cache (GALERIE_SEARCH_CACHE_SIZE=0): the whole app and
      `search_products` doing the work every time: the typo check, the page of cards and
      every facet count (category tree, brand, shop, shop type, price, rating, stock);
  (c) Galerie as configured by default: the same query repeated is answered from the
      per-process result cache (search.result_cache), checked against the index generation
      once a second: what a popular query costs.
Goals (issue 4): (b) >= 30% of (a)'s requests/second (the search work itself); p99 <= 50 ms
at 64 connections, reported for (c) and, as a figure, for (b).
The catalog is generated into a fresh SQLite file (benchmarks/search_catalog.py); the
PostgreSQL adapter has no floor here yet, so --database-url is refused."""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from contextlib import ExitStack
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

from benchmarks.harness import BenchmarkError, Server, http_get
from benchmarks.load import LoadSettings, Measurement, measure
from benchmarks.search_catalog import PRODUCTS, Catalog, generate
from benchmarks.stats import paired_ratios, summarise
from benchmarks.suite import BenchmarkResult, Goal, Row, RunOptions

NAME = "search"
GOAL_RATIO = 0.30
GOAL_P99_MS = 50.0
PLAN = (
    ("floor", "raw FTS5 query, bare Starlette (floor)"),
    ("uncached", "Galerie search + facets, no result cache"),
    ("galerie", "Galerie search + facets, result cache on"),
)


def _path(catalog: Catalog) -> str:
    query = {"q": catalog.query_word, "category": catalog.category, "lang": "en"}
    return "/api/v1/search?" + urlencode(query)


def _check(servers: Mapping[str, Server], catalog: Catalog) -> None:
    """Both answer 200 with the same first page; Galerie counts the expected matches."""
    pages: dict[str, list[int]] = {}
    for key, server in servers.items():
        status, body = http_get(server.port, _path(catalog))
        if status != 200:
            raise BenchmarkError(
                f"{server.name}: {_path(catalog)} answered {status}: {body[:300]!r}"
            )
        answer: Any = json.loads(body)
        pages[key] = [item["product_id"] for item in answer["items"]]
        if key != "floor" and answer["total"] != catalog.expected_total:
            raise BenchmarkError(
                f"Galerie counted {answer['total']} matches, expected {catalog.expected_total}"
            )
    first = pages["floor"]
    if any(page != first for page in pages.values()) or len(first) != min(
        24, catalog.expected_total
    ):
        raise BenchmarkError(f"the two targets disagree on the first page: {pages}")


def run(options: RunOptions) -> BenchmarkResult:
    import asyncio

    from galerie.config import normalise_database_url
    from galerie.schema import upgrade_database

    if options.database_url is not None:
        raise BenchmarkError("the search benchmark runs on its own SQLite catalog only")
    path = options.work_dir / "search-bench.sqlite3"
    url = normalise_database_url(f"sqlite:///{path}")
    options.progress(f"[{NAME}] generating {PRODUCTS:,} products into {path.name}")
    asyncio.run(upgrade_database(url))
    catalog = generate(str(path))
    options.progress(
        f"[{NAME}] query {catalog.query_word!r} in category {catalog.category}: "
        f"{catalog.expected_total} matches"
    )
    logs = options.work_dir / "logs"
    servers = {
        "floor": Server(
            "search floor",
            "benchmarks.targets.search_floor:app",
            log_path=logs / "search-floor.log",
            env={"GALERIE_BENCH_SQLITE": str(path)},
        ),
        "uncached": _galerie_server("Galerie (no result cache)", url, options, cache_size=0),
        "galerie": _galerie_server("Galerie", url, options, cache_size=1024),
    }
    with ExitStack() as stack:
        for server in servers.values():
            options.progress(f"[{NAME}] starting {server.name}")
            stack.enter_context(server)
        _check(servers, catalog)
        return _measure(options, servers, catalog)


def _galerie_server(name: str, url: str, options: RunOptions, *, cache_size: int) -> Server:
    return Server(
        name,
        "benchmarks.targets.galerie_app:app",
        log_path=options.work_dir / "logs" / f"search-galerie-{cache_size}.log",
        env={
            "GALERIE_ENV": "production",
            "GALERIE_SECRET_KEY": secrets.token_urlsafe(48),
            "GALERIE_DATABASE_URL": url,
            "GALERIE_VAR_DIR": str(options.work_dir),
            "GALERIE_BASE_URL": "http://127.0.0.1",
            "GALERIE_LOG_FORMAT": "json",
            "GALERIE_REDIS_URL": "",
            "GALERIE_SEARCH_CACHE_SIZE": str(cache_size),
        },
    )


def _one(server: Server, url: str, settings: LoadSettings, notes: list[str]) -> Measurement:
    cpu_before = server.cpu_seconds()
    figures = measure(url, {}, settings)
    cpu_after = server.cpu_seconds()
    if cpu_before is not None and cpu_after is not None and figures.requests:
        cpu_us = (cpu_after - cpu_before) / figures.requests * 1e6
        figures = replace(figures, server_cpu_us_per_request=cpu_us)
    if figures.non_2xx:
        raise BenchmarkError(
            f"{server.name}: {figures.non_2xx} of {figures.requests} answers were not 2xx"
            f"; server log:\n{server.log_tail()}"
        )
    if figures.socket_errors:
        notes.append(f"{server.name}: {figures.socket_errors} socket errors in one run")
    return figures


def _measure(
    options: RunOptions, servers: Mapping[str, Server], catalog: Catalog
) -> BenchmarkResult:
    notes = [
        f"catalog: {PRODUCTS:,} products; query {catalog.query_word!r} + category "
        f"{catalog.category} (and descendants): {catalog.expected_total} matches"
    ]
    if options.warmup > 0:
        warm = replace(options.load, duration=options.warmup)
        for key, label in PLAN:
            options.progress(f"[{NAME}] warm-up  {label}")
            _one(servers[key], servers[key].url(_path(catalog)), warm, notes)
    measured: dict[str, list[Measurement]] = {key: [] for key, _ in PLAN}
    for round_number in range(1, options.rounds + 1):
        for key, label in PLAN:
            figures = _one(servers[key], servers[key].url(_path(catalog)), options.load, notes)
            measured[key].append(figures)
            options.progress(
                f"[{NAME}] round {round_number}/{options.rounds}  {label:40} "
                f"{figures.requests_per_second:>10,.0f} req/s  p99 {figures.p99_ms:7.2f} ms"
            )
    floor = summarise(measured["floor"])
    rows = []
    for key, label in PLAN:
        summary = summarise(measured[key])
        rows.append(
            Row(
                key=key,
                label=label,
                summary=summary,
                vs_floor=summary.requests_per_second / floor.requests_per_second,
                vs_second_floor=None,
                paired_vs_floor=paired_ratios(measured[key], measured["floor"]),
                cpu_vs_floor=(
                    floor.cpu_us_per_request / summary.cpu_us_per_request
                    if floor.cpu_us_per_request and summary.cpu_us_per_request
                    else None
                ),
            )
        )
    uncached, galerie = rows[1], rows[2]
    goals = [
        Goal(
            "Galerie search with a facet filter, no result cache, >= 30% of the raw FTS floor",
            uncached.vs_floor,
            GOAL_RATIO,
            cpu_ratio=uncached.cpu_vs_floor,
        ),
        Goal(
            f"Galerie search p99 <= {GOAL_P99_MS:g} ms at {options.load.connections} connections"
            f" (ratio = {GOAL_P99_MS:g} ms / p99 {galerie.summary.p99_ms:.1f} ms)",
            GOAL_P99_MS / galerie.summary.p99_ms,
            1.0,
        ),
    ]
    notes.append(
        f"p99 without the result cache: {uncached.summary.p99_ms:.1f} ms; the raw floor's own "
        f"p99: {floor.p99_ms:.1f} ms"
    )
    return BenchmarkResult(
        name=NAME,
        title="search: one word + a category filter over 100,000 products, with facets",
        floor_label="raw FTS5 query",
        second_floor_label=None,
        rows=rows,
        goals=goals,
        notes=notes,
        raw={key: [m.as_dict() for m in values] for key, values in measured.items()},
    )
