"""DomainError -> HTTP, in one table. API errors are application/problem+json with a stable
code; pages get a friendly error page. No stack trace or SQL ever leaves the server."""

from __future__ import annotations

import logging
from typing import Any

from litestar import MediaType, Request, Response
from litestar.background_tasks import BackgroundTask
from litestar.exceptions import HTTPException, NotAuthorizedException, ValidationException
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR
from litestar.types import Receive, Scope, Send

from galerie.kernel import (
    Conflict,
    DomainError,
    Forbidden,
    NotFound,
    RateLimited,
    Unauthenticated,
    ValidationFailed,
)
from galerie.web.refusals import is_privileged_path, record_refusal, refusal_already_audited

log = logging.getLogger("galerie.web")

STATUS_BY_ERROR: dict[type[DomainError], int] = {
    ValidationFailed: 422,
    NotFound: 404,
    Conflict: 409,
    Unauthenticated: 401,
    Forbidden: 403,
    RateLimited: 429,
    DomainError: 400,
}

HTTP_CODES: dict[int, str] = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "body_too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    429: "rate_limited",
    500: "internal_error",
}

PROBLEM_JSON = "application/problem+json"


def status_for(error: DomainError) -> int:
    for cls in type(error).__mro__:
        if cls in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[cls]
    return 400


def wants_json(request: Request[Any, Any, Any]) -> bool:
    """Machines' paths (the API, providers' webhooks, health, metrics) get problem+json."""
    path = request.url.path
    return path.startswith(("/api/", "/webhooks/")) or path in {"/healthz", "/metrics"}


def problem(
    request: Request[Any, Any, Any],
    *,
    status: int,
    code: str,
    title: str,
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response[Any]:
    body: dict[str, Any] = {
        "type": f"urn:galerie:problem:{code}",
        "title": title,
        "status": status,
        "code": code,
        "instance": request.url.path,
    }
    request_id = request.scope.get("state", {}).get("request_id")
    if request_id:
        body["request_id"] = request_id
    if extra:
        body.update(extra)
    return Response(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def error_page(
    request: Request[Any, Any, Any], *, status: int, code: str, message: str
) -> Response[Any]:
    return Template(
        "errors/error.html",
        context={"status": status, "code": code, "message": message},
        status_code=status,
        media_type=MediaType.HTML,
    )


def _respond(
    request: Request[Any, Any, Any],
    status: int,
    code: str,
    message: str,
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response[Any]:
    if wants_json(request):
        return problem(
            request, status=status, code=code, title=message, extra=extra, headers=headers
        )
    return error_page(request, status=status, code=code, message=message)


def handle_domain_error(request: Request[Any, Any, Any], exc: DomainError) -> Response[Any]:
    status = status_for(exc)
    extra: dict[str, Any] = {}
    headers: dict[str, str] = {}
    if isinstance(exc, ValidationFailed) and exc.field:
        extra["field"] = exc.field
    if isinstance(exc, ValidationFailed) and isinstance(exc.details.get("problems"), list):
        extra["problems"] = exc.details["problems"]  # every problem of a refused draft
    if isinstance(exc, RateLimited):
        headers["Retry-After"] = str(exc.retry_after)
    return _respond(request, status, exc.code, exc.message, extra, headers)


def handle_http_exception(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    status = exc.status_code
    response = _http_error_response(request, exc)
    privileged = status == 403 and is_privileged_path(request.url.path)
    if privileged and not refusal_already_audited(request):  # e.g. a forged CSRF token
        response.background = BackgroundTask(record_refusal, request, "csrf")
    return response


def _http_error_response(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    status = exc.status_code
    if isinstance(exc, NotAuthorizedException) and not wants_json(request):
        return Redirect(f"/signin?next={request.url.path}")
    code = HTTP_CODES.get(status, "http_error")
    extra: dict[str, Any] = {}
    if isinstance(exc, ValidationException) and isinstance(exc.extra, list):
        extra["errors"] = [
            {"message": str(item.get("message", "")), "key": str(item.get("key", ""))}
            for item in exc.extra
            if isinstance(item, dict)
        ]
    detail = exc.detail if status < 500 else "Something went wrong on our side."
    return _respond(request, status, code, detail, extra, dict(exc.headers or {}))


async def render_http_error(scope: Scope, receive: Receive, send: Send, exc: HTTPException) -> None:
    """Answer `exc` from inside a middleware, as Litestar's exception middleware would."""
    request: Request[Any, Any, Any] = Request(scope, receive, send)
    response = handle_http_exception(request, exc)
    await response.to_asgi_response(app=None, request=request)(scope, receive, send)


def handle_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.exception("unhandled error", exc_info=exc)
    return _respond(
        request,
        HTTP_500_INTERNAL_SERVER_ERROR,
        "internal_error",
        "Something went wrong on our side.",
    )


EXCEPTION_HANDLERS: dict[type[Exception] | int, Any] = {
    DomainError: handle_domain_error,
    HTTPException: handle_http_exception,
    Exception: handle_unexpected,
}
