"""Request ids, Prometheus metrics and structured access logs, as one small ASGI middleware.

Every request gets an id (a sane incoming X-Request-ID is kept, otherwise a new one), echoed
in the response header, stored in the scope state and in a context variable that the log
formatter adds to every record. Each request is counted and timed per route template (not per
concrete path, so ids in URLs do not explode the metrics). Log records are formatted and
written by a background thread (QueueHandler), so the event loop never waits on stderr.

Litestar's own Prometheus middleware cost about 25 us per request here (measured in
benchmarks/), a fifth of our whole budget, hence these few lines of our own. The metrics are
plain numbers updated on the event loop and turned into Prometheus samples only when /metrics
is scraped: prometheus_client's Counter and Histogram take a lock per value (three per request),
which cost several times more than the counting itself."""

from __future__ import annotations

import itertools
import json
import logging
import logging.handlers
import queue
import re
import secrets
import sys
import time
from bisect import bisect_left
from collections.abc import Iterator
from contextvars import ContextVar
from itertools import accumulate
from typing import Any

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from prometheus_client import REGISTRY
from prometheus_client.metrics_core import CounterMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector
from prometheus_client.utils import floatToGoString

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
# Request ids: a random per-process prefix and a counter, 16 hex digits. Unique without a
# system call per request (os.urandom cost more than the rest of the middleware); not secret,
# not guessable across processes, which is all an id for correlating logs needs.
_ID_PREFIX = secrets.randbits(32) << 32
_id_counter = itertools.count(1)


def next_request_id() -> str:
    return (_ID_PREFIX | next(_id_counter) & 0xFFFFFFFF).to_bytes(8).hex()


access_log = logging.getLogger("galerie.access")

DURATION_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)


class RequestMetrics(Collector):
    """`galerie_requests_total{method, path, status_code}` and the histogram
    `galerie_request_duration_seconds{method, path}`, per route template. Each series is
    [count, sum of seconds, count per bucket (the last one above every bound)], updated by
    the event loop only; `collect()` (the scrape, also on the event loop) makes the samples."""

    def __init__(self, buckets: tuple[float, ...] = DURATION_BUCKETS) -> None:
        self.buckets = buckets
        self.series: dict[tuple[str, str, int], list[Any]] = {}

    def observe(self, method: str, path: str, status: int, seconds: float) -> None:
        series = self.series.get((method, path, status))
        if series is None:
            series = self.series[method, path, status] = [0, 0.0, [0] * (len(self.buckets) + 1)]
        series[0] += 1
        series[1] += seconds
        series[2][bisect_left(self.buckets, seconds)] += 1  # bucket "le": seconds <= bound

    def collect(self) -> Iterator[Metric]:
        requests = CounterMetricFamily(
            "galerie_requests", "HTTP requests answered", labels=["method", "path", "status_code"]
        )
        per_route: dict[tuple[str, str], list[Any]] = {}
        for (method, path, status), (count, seconds, buckets) in list(self.series.items()):
            requests.add_metric([method, path, str(status)], count)
            route = per_route.setdefault((method, path), [0.0, [0] * len(buckets)])
            route[0] += seconds
            route[1] = [a + b for a, b in zip(route[1], buckets, strict=True)]
        duration = HistogramMetricFamily(
            "galerie_request_duration_seconds",
            "Time to answer HTTP requests",
            labels=["method", "path"],
        )
        bounds = [*map(floatToGoString, self.buckets), "+Inf"]
        for (method, path), (seconds, buckets) in per_route.items():
            cumulative = list(zip(bounds, accumulate(buckets), strict=True))
            duration.add_metric([method, path], buckets=cumulative, sum_value=seconds)
        yield requests
        yield duration


METRICS = RequestMetrics()
REGISTRY.register(METRICS)
observe = METRICS.observe


ACCESS_LOG_MODES = ("all", "errors", "off")
SLOW_SECONDS = 1.0


class RequestIdMiddleware:
    """`access_log`: "all" logs every request; "errors" (the default) logs answers of 400 and
    above and requests slower than a second; "off" logs none. Metrics count every request."""

    def __init__(self, app: ASGIApp, access_log: str = "errors") -> None:
        if access_log not in ACCESS_LOG_MODES:
            raise ValueError(f"access_log must be one of {ACCESS_LOG_MODES}")
        self.app = app
        self.log_all = access_log == "all"
        self.log_errors = access_log != "off"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        request_id = None
        for name, value in scope["headers"]:
            if name == b"x-request-id":
                incoming = value.decode("latin-1")
                request_id = incoming if _SANE_ID.match(incoming) else None
                break
        if request_id is None:
            request_id = next_request_id()
        scope.setdefault("state", {})["request_id"] = request_id
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status_holder = [0]
        header_value = request_id.encode()

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder[0] = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", header_value)]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            method = scope["method"]
            status = status_holder[0]
            observe(method, scope.get("path_template", "unmatched"), status, elapsed)
            wanted = self.log_all or (
                self.log_errors and (status >= 400 or status == 0 or elapsed >= SLOW_SECONDS)
            )
            if wanted and access_log.isEnabledFor(logging.INFO):
                access_log.info(
                    "request",
                    extra={
                        "method": method,
                        "path": logged_path(scope["path"]),
                        "status": status,
                        "duration_ms": round(elapsed * 1000, 2),
                    },
                )
            request_id_var.reset(token)


# Paths that carry a secret (an invitation's token) are logged without it.
SECRET_PATH_PREFIXES = ("/invitations/",)


def logged_path(path: str) -> str:
    """The path as the access log writes it: a secret segment is replaced by "***"."""
    for prefix in SECRET_PATH_PREFIXES:
        if path.startswith(prefix):
            rest = path[len(prefix) :].split("/", 1)
            return prefix + "***" + ("/" + rest[1] if len(rest) > 1 else "")
    return path


_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "color_message"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line, with the request id and any `extra` fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and value is not None:
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, default=str, ensure_ascii=False)


class ConsoleFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        extras = " ".join(
            f"{k}={v}"
            for k, v in record.__dict__.items()
            if k not in _STANDARD and k != "request_id"
        )
        request_id = getattr(record, "request_id", None)
        prefix = f"[{request_id}] " if request_id else ""
        line = f"{record.levelname.lower():7} {record.name}: {prefix}{record.getMessage()} {extras}"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        elif record.exc_text:
            line += "\n" + record.exc_text
        return line.rstrip()


class _ContextQueueHandler(logging.handlers.QueueHandler):
    """Hands records to the writer thread with the request id attached, formatting nothing
    on the event loop but an exception's traceback (which cannot cross threads as is)."""

    def prepare(self, record: logging.LogRecord) -> logging.LogRecord:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.exc_info = None
        return record


_listener: logging.handlers.QueueListener | None = None


def configure_logging(log_format: str, level: int = logging.INFO) -> None:
    global _listener
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else ConsoleFormatter())
    records: queue.SimpleQueue[logging.LogRecord] = queue.SimpleQueue()
    if _listener is not None:
        _listener.stop()
    _listener = logging.handlers.QueueListener(records, handler, respect_handler_level=False)
    _listener.start()
    # The logging HOWTO's optimisations: we log no caller, thread or process information.
    logging._srcfile = None
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    root = logging.getLogger()
    root.handlers[:] = [_ContextQueueHandler(records)]
    root.setLevel(level)
    logging.getLogger("uvicorn.access").disabled = True
