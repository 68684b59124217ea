"""Load generation: `wrk --latency` when it is installed (Debian package `wrk`), otherwise the
small asyncio generator of `benchmarks.loadgen`. Both hold a fixed number of keep-alive
connections for a fixed duration and report requests/second and latency percentiles."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from benchmarks.harness import BenchmarkError


@dataclass(frozen=True, slots=True)
class LoadSettings:
    duration: float
    connections: int
    threads: int
    generator: str  # "wrk" or "python"


@dataclass(frozen=True, slots=True)
class Varying:
    """Requests that differ one from the next (POST bodies, idempotency keys): in `body` and
    in the header values, `{n}` becomes a counter unique within the run (each wrk thread, or
    each connection of the Python generator, counts in its own range: `index * 10**9 + i`)
    and `{item}` becomes `first_item + (offset + i) % items`, where each thread or connection
    starts at its own offset, so that concurrent requests use different items."""

    method: str = "POST"
    body: str = ""
    first_item: int = 1
    items: int = 1


@dataclass(frozen=True, slots=True)
class Measurement:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx: int
    socket_errors: int
    # server process CPU (user + system, all threads) per completed request, when known
    server_cpu_us_per_request: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def choose_generator(requested: str) -> tuple[str, str | None]:
    """(generator, note): wrk if asked for or available, the Python one otherwise."""
    have_wrk = shutil.which("wrk") is not None
    if requested == "wrk" and not have_wrk:
        raise BenchmarkError("--loadgen wrk: wrk is not installed (apt-get install wrk)")
    if requested == "python":
        return "python", "the Python load generator was requested (--loadgen python)"
    if have_wrk:
        return "wrk", None
    return "python", (
        "wrk is not installed: using the asyncio load generator of benchmarks/loadgen.py, "
        "which needs far more CPU per request than wrk and so takes more of the shared cores "
        "from the server; figures are lower than wrk's and not comparable with them"
    )


def measure(
    url: str,
    headers: Mapping[str, str],
    settings: LoadSettings,
    varying: Varying | None = None,
) -> Measurement:
    if settings.generator == "wrk":
        return _run_wrk(url, headers, settings, varying)
    return _run_python(url, headers, settings, varying)


def _lua(text: str) -> str:
    return json.dumps(text)  # a JSON string of ASCII text is a valid Lua string literal


def wrk_script(headers: Mapping[str, str], varying: Varying, threads: int) -> str:
    """The `wrk -s` script sending `varying`'s requests (see Varying)."""
    table = ", ".join(f"[{_lua(k)}] = {_lua(v)}" for k, v in headers.items())
    return f"""\
local started = 0
function setup(thread)
  thread:set("tid", started)
  started = started + 1
end
local METHOD, BODY, HEADERS = {_lua(varying.method)}, {_lua(varying.body)}, {{{table}}}
local FIRST, ITEMS, THREADS = {varying.first_item}, {varying.items}, {threads}
local counter = 0
local function fill(text, n, item)
  return (text:gsub("{{n}}", n):gsub("{{item}}", item))
end
function request()
  counter = counter + 1
  local n = string.format("%d", tid * 1000000000 + counter)
  local item = string.format("%d", FIRST + (math.floor(tid * ITEMS / THREADS) + counter) % ITEMS)
  local headers = {{}}
  for name, value in pairs(HEADERS) do headers[name] = fill(value, n, item) end
  return wrk.format(METHOD, nil, headers, fill(BODY, n, item))
end
"""


def _run_wrk(
    url: str, headers: Mapping[str, str], settings: LoadSettings, varying: Varying | None
) -> Measurement:
    if varying is None:
        return _wrk(url, headers, settings, None)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", prefix="bench-") as script:
        script.write(wrk_script(headers, varying, settings.threads))
        script.flush()
        return _wrk(url, {}, settings, script.name)


def _wrk(
    url: str, headers: Mapping[str, str], settings: LoadSettings, script: str | None
) -> Measurement:
    command = [
        "wrk",
        f"--threads={settings.threads}",
        f"--connections={settings.connections}",
        f"--duration={max(1, round(settings.duration))}s",
        "--timeout=5s",
        "--latency",
        *(["--script", script] if script else []),
    ]
    for name, value in headers.items():
        command += ["--header", f"{name}: {value}"]
    command.append(url)
    completed = subprocess.run(
        command, capture_output=True, text=True, timeout=settings.duration + 60, check=False
    )
    if completed.returncode != 0:
        raise BenchmarkError(f"wrk failed ({completed.returncode}): {completed.stderr.strip()}")
    return parse_wrk(completed.stdout)


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
_PERCENTILE = re.compile(r"^\s*(50|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s|m|h)\s*$", re.MULTILINE)
_RPS = re.compile(r"^Requests/sec:\s+([\d.]+)", re.MULTILINE)
_TOTAL = re.compile(r"^\s*(\d+) requests in ", re.MULTILINE)
_NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
_SOCKET = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")


def parse_wrk(output: str) -> Measurement:
    """Figures from the text `wrk --latency` prints."""
    rps = _RPS.search(output)
    total = _TOTAL.search(output)
    percentiles = {m[1]: float(m[2]) * _UNITS_MS[m[3]] for m in _PERCENTILE.finditer(output)}
    if rps is None or total is None or set(percentiles) != {"50", "99"}:
        raise BenchmarkError(f"cannot read wrk's output:\n{output}")
    non_2xx = _NON_2XX.search(output)
    socket = _SOCKET.search(output)
    return Measurement(
        requests_per_second=float(rps[1]),
        p50_ms=percentiles["50"],
        p99_ms=percentiles["99"],
        requests=int(total[1]),
        non_2xx=int(non_2xx[1]) if non_2xx else 0,
        socket_errors=sum(int(n) for n in socket.groups()) if socket else 0,
    )


def _run_python(
    url: str, headers: Mapping[str, str], settings: LoadSettings, varying: Varying | None
) -> Measurement:
    command = [
        sys.executable,
        "-m",
        "benchmarks.loadgen",
        url,
        f"--duration={settings.duration}",
        f"--connections={settings.connections}",
    ]
    for name, value in headers.items():
        command += ["--header", f"{name}: {value}"]
    if varying is not None:
        command += [
            f"--method={varying.method}",
            f"--body={varying.body}",
            f"--items={varying.first_item}:{varying.items}",
        ]
    completed = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=settings.duration + 60,
        check=False,
        cwd=Path(__file__).resolve().parent.parent,
    )
    if completed.returncode != 0:
        raise BenchmarkError(f"load generator failed: {completed.stderr.strip()}")
    figures = json.loads(completed.stdout)
    return Measurement(**figures)
