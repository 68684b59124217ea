"""`python -m benchmarks.instructions`: instructions per request of the middleware
benchmark's servers (uvicorn included), counted by valgrind's callgrind.

Unlike req/s and CPU time, an instruction count does not depend on what else the machine is
doing, so it can compare two versions of the code on a busy machine. It ignores the kernel's
work (system calls) and the cost of cache misses, so its ratios run higher than the CPU
ratios of `make bench`; compare counts with counts. Each server runs under callgrind (50 to
100 times slower: start-up takes a minute or two), answers `--warmup` requests, then the
counters are zeroed, `--requests` keep-alive requests are sent one after the other, and the
counters are dumped. Needs `valgrind` (Debian package) on the PATH.

    .venv/bin/python -m benchmarks.instructions                 # every target
    .venv/bin/python -m benchmarks.instructions --only galerie_ping
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

from benchmarks.harness import HOST, BenchmarkError, Server
from benchmarks.middleware import PING, production_env, seed_database, targets

APPS = {
    "starlette": "benchmarks.targets.starlette_hello:app",
    "litestar": "benchmarks.targets.litestar_hello:app",
    "galerie": "benchmarks.targets.galerie_app:app",
}


def send(port: int, headers: Mapping[str, str], count: int) -> None:
    connection = http.client.HTTPConnection(HOST, port, timeout=300)
    try:
        for _ in range(count):
            connection.request("GET", PING, headers=dict(headers))
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise BenchmarkError(f"GET {PING} answered {response.status}")
    finally:
        connection.close()


def summary(dump: Path, timeout: float = 120.0) -> int:
    """The `summary:` line of a callgrind dump (written a moment after the request). The
    dump's `totals:` line is higher for reasons not pinned down (55 million more for Galerie,
    8 million for Starlette, whatever the code measured); `summary:` agrees with an
    in-process count of the app alone plus uvicorn's share, so it is the one used."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if dump.exists():
            for line in dump.read_text(encoding="utf-8", errors="replace").splitlines():
                if line.startswith("summary:"):
                    return int(line.split()[1])
        time.sleep(0.5)
    raise BenchmarkError(f"no callgrind dump in {dump}")


def count(
    app: str,
    env: Mapping[str, str],
    headers: Mapping[str, str],
    work: Path,
    requests: int,
    warmup: int,
) -> int:
    out = work / f"callgrind.{time.monotonic_ns()}.out"
    server = Server(
        app,
        app,
        log_path=work / "server.log",
        env=env,
        start_timeout=600.0,
        wrapper=["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"],
    )
    with server:
        send(server.port, headers, warmup)
        subprocess.run(
            ["callgrind_control", "--zero", str(server.pid)], check=True, capture_output=True
        )
        send(server.port, headers, requests)
        subprocess.run(
            ["callgrind_control", "--dump", str(server.pid)], check=True, capture_output=True
        )
        return summary(Path(f"{out}.1"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.instructions")
    parser.add_argument("--requests", type=int, default=1000, help="counted requests (1000)")
    parser.add_argument("--warmup", type=int, default=300, help="requests before counting (300)")
    parser.add_argument("--only", action="append", help="target key (repeatable)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="galerie-instructions-") as tmp:
        work = Path(tmp)
        from galerie.config import normalise_database_url

        # a fresh SQLite file, removed with the directory
        url = normalise_database_url(f"sqlite:///{work / 'galerie-bench.sqlite3'}")
        token, _ = asyncio.run(seed_database(url))
        env = production_env(url, work)
        floor = None
        for target in targets(token):
            if args.only and target.key not in args.only:
                continue
            print(f"counting {target.label} ...", file=sys.stderr, flush=True)
            app = APPS[target.server]
            per_request = (
                count(
                    app,
                    env if target.server == "galerie" else {},
                    target.headers,
                    work,
                    args.requests,
                    args.warmup,
                )
                / args.requests
            )
            floor = floor or (per_request if target.key == "starlette" else None)
            ratio = f"  {floor / per_request:4.0%} of bare Starlette" if floor else ""
            print(f"{target.label:40} {per_request:>10,.0f} instructions/request{ratio}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
