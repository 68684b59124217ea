"""PATCH /api/v1/me: validated at the edge; bad input gets a clear 4xx and changes nothing."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from galerie.db import Database
from galerie.identity.models import User
from galerie.kernel import FixedClock
from tests.factories import make_token, make_user


async def _language(db: Database, user_id: int) -> str:
    async with db.reading() as session:
        value = await session.scalar(select(User.preferred_language).where(User.id == user_id))
        assert value is not None
        return value


async def _caller(
    db: Database, clock: FixedClock, permissions: list[str]
) -> tuple[int, dict[str, str]]:
    person = await make_user(db, now=clock.now())
    token = await make_token(db, user_id=person.user_id, now=clock.now(), permissions=permissions)
    return person.user_id, {"Authorization": f"Bearer {token}"}


async def test_a_person_changes_their_language(
    client: httpx.AsyncClient, db: Database, clock: FixedClock
) -> None:
    user_id, auth = await _caller(db, clock, ["account.view", "account.manage"])
    response = await client.patch("/api/v1/me", json={"language": "fr"}, headers=auth)
    assert response.status_code == 200
    assert response.json()["language"] == "fr"
    assert await _language(db, user_id) == "fr"


async def test_a_token_without_account_manage_is_refused(
    client: httpx.AsyncClient, db: Database, clock: FixedClock
) -> None:
    user_id, auth = await _caller(db, clock, ["account.view"])
    response = await client.patch("/api/v1/me", json={"language": "fr"}, headers=auth)
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert await _language(db, user_id) == "en"


async def test_bad_bodies_get_problem_json_and_change_nothing(
    client: httpx.AsyncClient, db: Database, clock: FixedClock
) -> None:
    user_id, auth = await _caller(db, clock, ["account.view", "account.manage"])
    bad_bodies: list[tuple[bytes, int, str]] = [
        (b"{not json", 400, "bad_request"),
        (b'{"language": 7}', 400, "bad_request"),
        (b'{"language": "de"}', 422, "unsupported_language"),
        (b'{"language": "fr", "email": "x@evil.test"}', 400, "bad_request"),
        (b'{"language": "fr", "operator_roles": ["admin"]}', 400, "bad_request"),
        (b"{}", 400, "bad_request"),
        (b'{"language": "' + b"f" * 2_000_000 + b'"}', 413, "body_too_large"),
    ]
    seen = []
    for body, _status, _code in bad_bodies:
        response = await client.patch(
            "/api/v1/me", content=body, headers={**auth, "Content-Type": "application/json"}
        )
        assert response.headers["content-type"].startswith("application/problem+json")
        assert "Traceback" not in response.text
        seen.append((response.status_code, response.json()["code"]))
    assert seen == [(status, code) for _body, status, code in bad_bodies]
    assert await _language(db, user_id) == "en"


async def test_ping_tells_a_token_caller_from_an_anonymous_one(
    client: httpx.AsyncClient, db: Database, clock: FixedClock
) -> None:
    _, auth = await _caller(db, clock, ["account.view"])
    signed_in = await client.get("/api/v1/ping", headers=auth)
    anonymous = await client.get("/api/v1/ping")  # the same task: nothing carried over
    assert signed_in.status_code == 200
    assert signed_in.json() == {"ok": True, "signed_in": True}
    assert anonymous.status_code == 200
    assert anonymous.json() == {"ok": True, "signed_in": False}
