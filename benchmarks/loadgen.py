"""A small HTTP/1.1 keep-alive load generator on raw asyncio sockets: the fallback when wrk
is not installed. It prints one JSON object with the figures `benchmarks.load` expects.

    python -m benchmarks.loadgen http://127.0.0.1:8000/api/v1/ping --duration 10 --connections 64

It handles what the benchmarked endpoints send: a status line, headers, and a body with a
Content-Length or chunked. Being Python, it costs far more CPU per request than wrk.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    non_2xx: int = 0
    socket_errors: int = 0


def build_request(host: str, port: int, path: str, headers: list[tuple[str, str]]) -> bytes:
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}:{port}", "Connection: keep-alive"]
    lines += [f"{name}: {value}" for name, value in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def read_response(reader: asyncio.StreamReader) -> int:
    """Read one response; return its status."""
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    chunked = False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
    if chunked:
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif length:
        await reader.readexactly(length)
    return status


async def connection_loop(
    host: str, port: int, request: bytes, deadline: float, tally: Tally
) -> None:
    clock = time.perf_counter
    while clock() < deadline:
        try:
            reader, writer = await asyncio.open_connection(host, port)
        except OSError:
            tally.socket_errors += 1
            await asyncio.sleep(0.01)
            continue
        try:
            while clock() < deadline:
                started = clock()
                writer.write(request)
                status = await read_response(reader)
                tally.latencies.append(clock() - started)
                if not 200 <= status < 400:
                    tally.non_2xx += 1
        except (OSError, asyncio.IncompleteReadError, ValueError):
            tally.socket_errors += 1
        finally:
            writer.close()


async def run(
    url: str, duration: float, connections: int, headers: list[tuple[str, str]]
) -> dict[str, float | int]:
    parts = urlsplit(url)
    host = parts.hostname or "127.0.0.1"
    port = parts.port or 80
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    request = build_request(host, port, path, headers)
    tally = Tally()
    started = time.perf_counter()
    deadline = started + duration
    await asyncio.gather(
        *(connection_loop(host, port, request, deadline, tally) for _ in range(connections))
    )
    elapsed = time.perf_counter() - started
    latencies = sorted(tally.latencies)
    if not latencies:
        raise SystemExit("no request completed")

    def percentile(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000

    return {
        "requests_per_second": len(latencies) / elapsed,
        "p50_ms": percentile(50),
        "p99_ms": percentile(99),
        "requests": len(latencies),
        "non_2xx": tally.non_2xx,
        "socket_errors": tally.socket_errors,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.loadgen")
    parser.add_argument("url")
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--header", action="append", default=[], help="'Name: value'")
    args = parser.parse_args(argv)
    headers = [(n.strip(), v.strip()) for n, _, v in (h.partition(":") for h in args.header)]
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvicorn[standard] brings it
        figures = asyncio.run(run(args.url, args.duration, args.connections, headers))
    else:
        figures = uvloop.run(run(args.url, args.duration, args.connections, headers))
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
