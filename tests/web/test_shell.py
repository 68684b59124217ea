"""The web shell: health, API docs, problem+json errors, request ids."""

from __future__ import annotations

import logging
from dataclasses import replace

import httpx
import pytest
from litestar import get

from galerie.config import Settings
from galerie.db import Database
from galerie.kernel import FixedClock
from galerie.web.app import create_app
from galerie.web.auth import public


async def test_health_reports_the_database(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "up"}


async def test_openapi_schema_and_docs_are_served(client: httpx.AsyncClient) -> None:
    schema = await client.get("/api/openapi.json")
    assert schema.status_code == 200
    assert "/api/v1/ping" in schema.json()["paths"]
    docs = await client.get("/api/docs")
    assert docs.status_code == 200
    assert "swagger" in docs.text.lower()


async def test_api_errors_are_problem_json(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == "unauthenticated"
    assert body["status"] == 401
    assert body["request_id"] == response.headers["x-request-id"]


async def test_blank_and_unknown_tokens_fail_closed(client: httpx.AsyncClient) -> None:
    for header in ("Bearer ", "Bearer    ", "Bearer gal_unknown", "Basic abc", "", "Token x"):
        response = await client.get("/api/v1/ping", headers={"Authorization": header})
        assert response.status_code == 401, header
        assert response.json()["code"] == "unauthenticated"


async def test_anonymous_ping_passes(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/ping")
    assert response.status_code == 200
    assert response.json() == {"ok": True, "signed_in": False}


async def test_a_sane_request_id_is_kept_and_a_bad_one_replaced(
    client: httpx.AsyncClient,
) -> None:
    kept = await client.get("/api/v1/ping", headers={"X-Request-ID": "abc-123-xyz"})
    assert kept.headers["x-request-id"] == "abc-123-xyz"
    replaced = await client.get("/api/v1/ping", headers={"X-Request-ID": "<script>"})
    assert replaced.headers["x-request-id"] != "<script>"
    assert len(replaced.headers["x-request-id"]) == 16


async def test_metrics_are_exposed(client: httpx.AsyncClient) -> None:
    await client.get("/api/v1/ping")
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert "galerie_requests_total" in response.text


async def test_anonymous_visits_store_no_session(client: httpx.AsyncClient) -> None:
    for _ in range(3):
        response = await client.get("/")
        assert response.status_code == 200
        assert "galerie_session" not in response.cookies
    assert client.cookies.get("galerie_session") is None


async def test_unexpected_errors_never_show_a_trace_or_sql(
    db: Database, settings: Settings, clock: FixedClock
) -> None:
    @get("/api/v1/explode", opt=public(), sync_to_thread=False)
    def explode_api() -> None:
        raise RuntimeError("SELECT password_hash FROM users")

    @get("/explode", opt=public(), sync_to_thread=False)
    def explode_page() -> None:
        raise RuntimeError("SELECT password_hash FROM users")

    app = create_app(settings, db=db, clock=clock, extra_handlers=[explode_api, explode_page])
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        api = await client.get("/api/v1/explode")
        page = await client.get("/explode")
    assert api.status_code == 500
    assert api.json()["code"] == "internal_error"
    assert page.status_code == 500
    assert page.headers["content-type"].startswith("text/html")
    for response in (api, page):
        assert "SELECT" not in response.text
        assert "Traceback" not in response.text
        assert "RuntimeError" not in response.text


@pytest.mark.parametrize(
    ("mode", "expected"),
    [("all", [200, 401]), ("errors", [401]), ("off", [])],
)
async def test_access_log_modes(
    db: Database,
    settings: Settings,
    clock: FixedClock,
    caplog: pytest.LogCaptureFixture,
    mode: str,
    expected: list[int],
) -> None:
    app = create_app(replace(settings, access_log=mode), db=db, clock=clock)
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    with caplog.at_level(logging.INFO, logger="galerie.access"):
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            await client.get("/api/v1/ping")
            refused = await client.get("/api/v1/me")
    records = [r for r in caplog.records if r.name == "galerie.access"]
    assert [getattr(r, "status", None) for r in records] == expected
    if 401 in expected:
        assert getattr(records[-1], "path", None) == "/api/v1/me"
    assert refused.headers["x-request-id"]
