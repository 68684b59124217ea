"""`python -m benchmarks` (`make bench`): run the benchmarks, print a table, write the JSON.

Every benchmark measures its raw floor and the application in the same run and reports the
ratio; nothing here passes or fails on a time. See benchmarks/README.md."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType

from benchmarks import catalog, checkout, middleware, payments, search
from benchmarks.harness import BenchmarkError
from benchmarks.load import LoadSettings, choose_generator
from benchmarks.report import machine, table, write_json
from benchmarks.suite import BenchmarkResult, RunOptions

BENCHMARKS: dict[str, Callable[[RunOptions], BenchmarkResult]] = {
    middleware.NAME: middleware.run,
    **catalog.BENCHMARKS,
    search.NAME: search.run,
    **checkout.BENCHMARKS,
    payments.NAME: payments.run,
}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Galerie's benchmarks: ratios to raw floors measured in the same run.",
    )
    parser.add_argument(
        "--only", action="append", choices=sorted(BENCHMARKS), help="run only this benchmark"
    )
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per run (10)")
    parser.add_argument("--connections", type=int, default=64, help="keep-alive connections (64)")
    parser.add_argument(
        "--threads", type=int, default=1, help="wrk threads (1: the server needs the other core)"
    )
    parser.add_argument(
        "--rounds", type=int, default=3, help="measured runs per target, interleaved (3)"
    )
    parser.add_argument("--warmup", type=float, default=3.0, help="warm-up seconds per target (3)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 2 s, 1 round, 1 s warm-up")
    parser.add_argument("--loadgen", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument(
        "--database-url",
        help="benchmark against this database (migrated; one user and token added then removed)"
        " instead of a fresh SQLite file",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.duration, args.rounds, args.warmup = 2.0, 1, 1.0
    if args.duration < 1 or args.connections < 1 or args.threads < 1 or args.rounds < 1:
        parser.error("--duration, --connections, --threads and --rounds must be at least 1")
    if args.threads > args.connections:
        parser.error("--threads cannot exceed --connections")
    return args


def _stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)  # unwinds through the servers' context managers


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    started = datetime.now(UTC)
    try:
        generator, generator_note = choose_generator(args.loadgen)
    except BenchmarkError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    load = LoadSettings(args.duration, args.connections, args.threads, generator)
    host = machine()
    busy = host["load_average"][0] > 0.5 * (os.cpu_count() or 1)
    context = {
        "machine": host,
        "settings": {
            "duration_s": args.duration,
            "connections": args.connections,
            "threads": args.threads if generator == "wrk" else None,
            "rounds": args.rounds,
            "warmup_s": args.warmup,
            "load_generator": generator,
            "quick": args.quick,
            "database": "external" if args.database_url else "fresh SQLite",
        },
        "notes": [
            "server and load generator share the machine's "
            f"{os.cpu_count()} cores: the figures are for comparison within this run only",
            *([generator_note] if generator_note else []),
            *(
                [f"the machine was already busy at the start (load {host['load_average'][0]})"]
                if busy
                else []
            ),
        ],
    }
    print(
        f"load: {generator}"
        + (f" ({args.threads} thread)" if generator == "wrk" else "")
        + f", {args.connections} connections, {args.duration:g} s x {args.rounds} rounds"
        + f" after {args.warmup:g} s warm-up; medians reported",
    )
    for note in context["notes"]:
        print(f"note: {note}")
    results: list[BenchmarkResult] = []
    with tempfile.TemporaryDirectory(prefix="galerie-bench-") as work:
        options = RunOptions(
            load=load,
            rounds=args.rounds,
            warmup=args.warmup,
            work_dir=Path(work),
            database_url=args.database_url,
        )
        for name in args.only or list(BENCHMARKS):
            try:
                results.append(BENCHMARKS[name](options))
            except BenchmarkError as exc:
                print(f"error: benchmark {name}: {exc}", file=sys.stderr)
                return 2
    for result in results:
        print()
        print(table(result))
    path = write_json(results, context, started)
    print(f"\nfigures written to {path}")
    return 0
