"""The application state machine, exhaustively: every (state, action, role) cell either does
the documented thing (the state, its history, audit and outbox rows) or is refused with no
change. Expected outcomes are written here independently of the implementation."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from galerie.audit import AuditContext
from galerie.db import Database
from galerie.identity import Principal
from galerie.kernel import Conflict, FixedClock, Forbidden, NotFound
from galerie.sellers import (
    approve_application,
    reject_application,
    request_changes,
    submit_application,
)
from galerie.sellers.models import SellerApplication
from tests.integration.sellers.factories import (
    ROLES,
    People,
    counts,
    delta,
    insert_application,
    status_of,
)

STATES = ("draft", "submitted", "under_review", "changes_requested", "approved", "rejected")
APPLICANTS = {"owner", "manager", "agency"}
VETTERS = {"vetting", "admin"}
# action -> (who may, from which states, resulting state, the rows one success adds)
EXPECTED: dict[str, tuple[set[str], dict[str, str], dict[str, int]]] = {
    "submit": (
        APPLICANTS,
        {"draft": "under_review", "changes_requested": "under_review"},
        {"history": 2, "audit_succeeded": 2, "outbox": 2},  # submit, then the checks' verdict
    ),
    "request_changes": (
        VETTERS,
        {"under_review": "changes_requested"},
        {"history": 1, "audit_succeeded": 1, "outbox": 1},
    ),
    "approve": (
        VETTERS,
        {"under_review": "approved"},
        {"history": 1, "audit_succeeded": 1, "outbox": 1, "shops": 1},
    ),
    "reject": (
        VETTERS,
        {"under_review": "rejected"},
        {"history": 1, "audit_succeeded": 1, "outbox": 1},
    ),
}

Call = Callable[[Database, Principal, int, FixedClock, AuditContext], Awaitable[Any]]


def _call(action: str) -> Call:
    async def run(
        db: Database, actor: Principal, app: int, clock: FixedClock, audit: AuditContext
    ) -> Any:
        common: dict[str, Any] = {
            "actor": actor,
            "application_id": app,
            "now": clock.now(),
            "audit": audit,
        }
        if action == "submit":
            return await submit_application(db, **common)
        services: dict[str, Callable[..., Awaitable[Any]]] = {
            "request_changes": request_changes,
            "approve": approve_application,
            "reject": reject_application,
        }
        service = services[action]
        return await service(db, reason="Checked against the documents.", **common)

    return run


@pytest.mark.parametrize("state", STATES)
async def test_every_cell_of_the_application_table(
    db: Database, clock: FixedClock, people: People, audit: AuditContext, state: str
) -> None:
    for action, (allowed, moves, adds) in EXPECTED.items():
        for role in ROLES:
            app = await insert_application(
                db, clock.now(), organisation_id=people.org, status=state
            )
            before = await counts(db)
            cell = (state, action, role)
            if role in ("rival", "shopper"):
                with pytest.raises(NotFound):
                    await _call(action)(db, people[role], app, clock, audit)
                expected: dict[str, int] = {}
            elif role not in allowed:
                with pytest.raises(Forbidden):
                    await _call(action)(db, people[role], app, clock, audit)
                expected = {"audit_refused": 1}
            elif state not in moves:
                with pytest.raises(Conflict) as refused:
                    await _call(action)(db, people[role], app, clock, audit)
                assert refused.value.code == "transition_not_allowed", cell
                expected = {}
            else:
                await _call(action)(db, people[role], app, clock, audit)
                expected = adds
            assert delta(before, await counts(db)) == expected, cell
            wanted = moves.get(state, state) if expected == adds else state
            assert await status_of(db, SellerApplication, app) == wanted, cell
