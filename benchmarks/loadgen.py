"""A small HTTP/1.1 keep-alive load generator on raw asyncio sockets: the fallback when wrk
is not installed. It prints one JSON object with the figures `benchmarks.load` expects.

    python -m benchmarks.loadgen http://127.0.0.1:8000/api/v1/ping --duration 10 --connections 64

It handles what the benchmarked endpoints send: a status line, headers, and a body with a
Content-Length or chunked. Being Python, it costs far more CPU per request than wrk.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    non_2xx: int = 0
    socket_errors: int = 0


@dataclass(frozen=True)
class Template:
    """Requests that vary (benchmarks.load.Varying): `{n}` and `{item}` in the body and the
    header values are filled per request; each connection counts in its own range."""

    method: str
    body: str
    first_item: int
    items: int
    connections: int


def build_request(
    host: str,
    port: int,
    path: str,
    headers: list[tuple[str, str]],
    method: str = "GET",
    body: bytes = b"",
) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}:{port}", "Connection: keep-alive"]
    lines += [f"{name}: {value}" for name, value in headers]
    if body or method != "GET":
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def requests_of(
    host: str, port: int, path: str, headers: list[tuple[str, str]], template: Template, index: int
) -> Iterator[bytes]:
    """The requests of connection `index`, one after the other, for ever."""
    offset = index * template.items // template.connections
    for i in itertools.count(1):
        values = {
            "{n}": str(index * 1_000_000_000 + i),
            "{item}": str(template.first_item + (offset + i) % template.items),
        }

        def fill(text: str, values: dict[str, str] = values) -> str:
            for name, value in values.items():
                text = text.replace(name, value)
            return text

        filled = [(name, fill(value)) for name, value in headers]
        body = fill(template.body).encode()
        yield build_request(host, port, path, filled, template.method, body)


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
    host: str, port: int, requests: Iterator[bytes], deadline: float, tally: Tally
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
                writer.write(next(requests))
                status = await read_response(reader)
                tally.latencies.append(clock() - started)
                if not 200 <= status < 400:
                    tally.non_2xx += 1
        except (OSError, asyncio.IncompleteReadError, ValueError):
            tally.socket_errors += 1
        finally:
            writer.close()


async def run(
    url: str,
    duration: float,
    connections: int,
    headers: list[tuple[str, str]],
    template: Template | None = None,
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
        *(
            connection_loop(
                host,
                port,
                itertools.repeat(request)
                if template is None
                else requests_of(host, port, path, headers, template, index),
                deadline,
                tally,
            )
            for index in range(connections)
        )
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
    parser.add_argument("--method", help="vary the requests: this method (POST...)")
    parser.add_argument("--body", default="", help="body template: {n}, {item} filled")
    parser.add_argument("--items", default="1:1", help="FIRST:COUNT, the range of {item}")
    args = parser.parse_args(argv)
    headers = [(n.strip(), v.strip()) for n, _, v in (h.partition(":") for h in args.header)]
    template = None
    if args.method:
        first, _, count = args.items.partition(":")
        template = Template(args.method, args.body, int(first), int(count), args.connections)
    work = run(args.url, args.duration, args.connections, headers, template)
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvicorn[standard] brings it
        figures = asyncio.run(work)
    else:
        figures = uvloop.run(work)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
