"""The access matrix, generated from the route table: a new route is covered automatically.

For every route that is not public: an anonymous caller is refused (401 on the API, a
redirect to the sign-in page on pages); for every permission rule, signed-in callers whose
roles lack it (a shopper, an operator of another role, a seller staff member) get 403 and the
refusal is audited. Nothing is changed by a refused call."""

from __future__ import annotations

import re
from dataclasses import dataclass

import httpx
import pytest
from litestar import Litestar, get
from sqlalchemy import func, select

from galerie.audit import AuditRecord
from galerie.config import Settings
from galerie.db import Database
from galerie.identity import OperatorRole, Permission, SellerRole, load_principal
from galerie.identity.rules import SELLER_SCOPED
from galerie.kernel import FixedClock
from galerie.web.app import all_handlers, create_app
from galerie.web.auth import PUBLIC, SIGNED_IN
from tests.factories import make_token, make_user
from tests.web.sessions import csrf_token, sign_in_as

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
_PARAM = re.compile(r"\{(\w+)(?::(\w+))?\}")


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    rule: object


def calls(app: Litestar) -> list[Call]:
    found = []
    for path, handler in all_handlers(app):
        for method in sorted(getattr(handler, "http_methods", ())):
            if method in {"OPTIONS", "HEAD"}:
                continue
            concrete = _PARAM.sub(lambda m: "1" if m.group(2) == "int" else "x", path)
            found.append(Call(method, concrete, handler.opt.get("access")))
    return found


async def send(client: httpx.AsyncClient, call: Call, token: str | None = None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    data = None
    if call.method in UNSAFE and not call.path.startswith("/api/"):
        data = {"_csrf_token": await csrf_token(client)}
    return await client.request(call.method, call.path, headers=headers, data=data)


async def audit_count(db: Database) -> int:
    async with db.reading() as session:
        return await session.scalar(select(func.count()).select_from(AuditRecord)) or 0


def test_every_route_declares_an_access_rule(app: Litestar) -> None:
    rules = {call.path: call.rule for call in calls(app)}
    assert rules, "no routes found"
    assert all(rule is not None for rule in rules.values())


def test_a_route_without_a_rule_stops_the_app(db: Database, settings: Settings) -> None:
    @get("/forgotten", sync_to_thread=False)
    def forgotten() -> str:
        return "open"

    with pytest.raises(RuntimeError, match="routes without an access rule"):
        create_app(settings, db=db, extra_handlers=[forgotten])


async def test_anonymous_callers_are_refused_everywhere_but_public_routes(
    app: Litestar, client: httpx.AsyncClient, db: Database
) -> None:
    protected = [c for c in calls(app) if c.rule != PUBLIC]
    assert protected, "expected protected routes"
    before = await audit_count(db)
    wrong = []
    for call in protected:
        response = await send(client, call)
        if call.path.startswith("/api/"):
            ok = response.status_code == 401
        else:
            ok = response.status_code in {302, 303} and response.headers["location"].startswith(
                "/signin"
            )
        if not ok:
            wrong.append((call, response.status_code))
    assert wrong == []
    assert await audit_count(db) == before  # anonymous refusals are not privileged actions


async def test_signed_in_callers_without_the_permission_get_403(
    app: Litestar, client: httpx.AsyncClient, db: Database, clock: FixedClock
) -> None:
    now = clock.now()
    people = {
        "shopper": await make_user(db, now=now),
        "vetting operator": await make_user(db, now=now, operator_roles=(OperatorRole.VETTING,)),
        "seller staff": await make_user(db, now=now, seller_role=SellerRole.STAFF),
    }
    guarded = [c for c in calls(app) if isinstance(c.rule, Permission)]
    checked, wrong = 0, []
    for label, person in people.items():
        async with db.reading() as session:
            principal = await load_principal(session, person.user_id)
        assert principal is not None
        token = await make_token(
            db, user_id=person.user_id, now=now, permissions=[p.value for p in Permission]
        )
        client.cookies.clear()
        await sign_in_as(client, app, person.user_id)
        for call in guarded:
            assert isinstance(call.rule, Permission)
            org = person.organisation_id if call.rule in SELLER_SCOPED else None
            if principal.can(call.rule, organisation_id=org):
                continue
            before = await audit_count(db)
            api = call.path.startswith("/api/")
            response = await send(client, call, token if api else None)
            checked += 1
            if response.status_code != 403 or await audit_count(db) != before + 1:
                wrong.append((label, call, response.status_code))
    assert wrong == []
    assert checked > 0 or not guarded


async def test_signed_in_routes_accept_any_signed_in_user(
    app: Litestar, client: httpx.AsyncClient, db: Database, clock: FixedClock
) -> None:
    person = await make_user(db, now=clock.now())
    token = await make_token(
        db, user_id=person.user_id, now=clock.now(), permissions=["account.view"]
    )
    response = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.json()["user_id"] == person.user_id
    assert response.json()["permissions"] == ["account.view"]
    assert any(c.rule == SIGNED_IN for c in calls(app))


async def test_a_forged_form_on_a_privileged_path_is_audited_once_with_its_actor(
    app: Litestar, client: httpx.AsyncClient, db: Database, clock: FixedClock
) -> None:
    person = await make_user(db, now=clock.now())
    await sign_in_as(client, app, person.user_id)
    await csrf_token(client)
    response = await client.post("/account/tokens", data={"_csrf_token": "f" * 64, "name": "x"})
    assert response.status_code == 403
    async with db.reading() as session:
        rows = list(
            await session.scalars(select(AuditRecord).where(AuditRecord.action == "access.refused"))
        )
    assert [(r.actor_user_id, r.target_id, r.details["rule"]) for r in rows] == [
        (person.user_id, "/account/tokens", "csrf")
    ]
