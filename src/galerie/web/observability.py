"""Request ids, Prometheus metrics and structured access logs, as one small ASGI middleware.

Every request gets an id (a sane incoming X-Request-ID is kept, otherwise a new one), echoed
in the response header, stored in the scope state and in a context variable that the log
formatter adds to every record. Each request is counted and timed per route template (not per
concrete path, so ids in URLs do not explode the metrics). Log records are formatted and
written by a background thread (QueueHandler), so the event loop never waits on stderr.

Litestar's own Prometheus middleware cost about 25 us per request here (measured in
benchmarks/), a fifth of our whole budget, hence these few lines of our own."""

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
from contextvars import ContextVar
from typing import Any

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from prometheus_client import Counter, Histogram

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
# Request ids: a random per-process prefix and a counter. Unique without a system call per
# request (os.urandom cost more than the rest of the middleware); not secret, not guessable
# across processes, which is all an id for correlating logs needs.
_ID_PREFIX = secrets.token_hex(4)
_id_counter = itertools.count(1)


def next_request_id() -> str:
    return f"{_ID_PREFIX}{next(_id_counter) & 0xFFFFFFFF:08x}"


access_log = logging.getLogger("galerie.access")

REQUESTS = Counter("galerie_requests", "HTTP requests answered", ["method", "path", "status_code"])
DURATION = Histogram(
    "galerie_request_duration_seconds",
    "Time to answer HTTP requests",
    ["method", "path"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5),
)
_children: dict[tuple[str, str, int], tuple[Any, Any]] = {}


def observe(method: str, path: str, status: int, seconds: float) -> None:
    key = (method, path, status)
    pair = _children.get(key)
    if pair is None:
        pair = _children[key] = (
            REQUESTS.labels(method, path, str(status)),
            DURATION.labels(method, path),
        )
    pair[0].inc()
    pair[1].observe(seconds)


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
        incoming = _header(scope, b"x-request-id")
        request_id = incoming if incoming and _SANE_ID.match(incoming) else next_request_id()
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


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return str(value.decode("latin-1"))
    return None


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
