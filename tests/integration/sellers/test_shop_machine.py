"""The shop state machine, exhaustively: every (state, action, role) cell either does the
documented thing (one history row, one audit record, one outbox event) or is refused with
no change."""

from __future__ import annotations

import pytest

from galerie.audit import AuditContext
from galerie.db import Database
from galerie.kernel import Conflict, FixedClock, Forbidden, NotFound, ValidationFailed
from galerie.sellers import ShopAction, change_shop_status
from galerie.sellers.models import Shop
from tests.integration.sellers.factories import (
    ROLES,
    People,
    counts,
    delta,
    insert_shop,
    status_of,
)

STATES = ("preparing", "live", "suspended", "closed")
SELLERS = {"owner", "manager", "agency"}
MODERATORS = {"moderation", "admin"}
EXPECTED: dict[ShopAction, tuple[set[str], dict[str, str]]] = {
    ShopAction.PUBLISH: (SELLERS, {"preparing": "live"}),
    ShopAction.SUSPEND: (MODERATORS, {"live": "suspended"}),
    ShopAction.REINSTATE: (MODERATORS, {"suspended": "live"}),
    ShopAction.CLOSE: (
        MODERATORS,
        {"preparing": "closed", "live": "closed", "suspended": "closed"},
    ),
}
ONE_STEP = {"shop_history": 1, "audit_succeeded": 1, "outbox": 1}


@pytest.mark.parametrize("state", STATES)
async def test_every_cell_of_the_shop_table(
    db: Database, clock: FixedClock, people: People, audit: AuditContext, state: str
) -> None:
    for action, (allowed, moves) in EXPECTED.items():
        for role in ROLES:
            shop = await insert_shop(db, clock.now(), organisation_id=people.org, status=state)
            before = await counts(db)
            cell = (state, action, role)

            async def attempt(
                role: str = role, shop: int = shop, action: ShopAction = action
            ) -> None:
                await change_shop_status(
                    db,
                    actor=people[role],
                    shop_id=shop,
                    action=action,
                    reason="Policy 4.2.",
                    now=clock.now(),
                    audit=audit,
                )

            if role in ("rival", "shopper"):
                with pytest.raises(NotFound):
                    await attempt()
                expected: dict[str, int] = {}
            elif role not in allowed:
                with pytest.raises(Forbidden):
                    await attempt()
                expected = {"audit_refused": 1}
            elif state not in moves:
                with pytest.raises(Conflict) as refused:
                    await attempt()
                assert refused.value.code == "transition_not_allowed", cell
                expected = {}
            else:
                await attempt()
                expected = ONE_STEP
            assert delta(before, await counts(db)) == expected, cell
            wanted = moves[state] if expected == ONE_STEP else state
            assert await status_of(db, Shop, shop) == wanted, cell


async def test_publishing_needs_the_deposit_paid(
    db: Database, clock: FixedClock, people: People, audit: AuditContext
) -> None:
    shop = await insert_shop(db, clock.now(), organisation_id=people.org, deposit_paid=False)
    before = await counts(db)
    with pytest.raises(Conflict) as refused:
        await change_shop_status(
            db,
            actor=people["owner"],
            shop_id=shop,
            action=ShopAction.PUBLISH,
            now=clock.now(),
            audit=audit,
        )
    assert refused.value.code == "deposit_not_paid"
    assert delta(before, await counts(db)) == {}


@pytest.mark.parametrize("reason", [None, "", "   "])
async def test_sanctions_need_a_reason(
    db: Database, clock: FixedClock, people: People, audit: AuditContext, reason: str | None
) -> None:
    shop = await insert_shop(db, clock.now(), organisation_id=people.org, status="live")
    before = await counts(db)
    with pytest.raises(ValidationFailed) as refused:
        await change_shop_status(
            db,
            actor=people["moderation"],
            shop_id=shop,
            action=ShopAction.SUSPEND,
            reason=reason,
            now=clock.now(),
            audit=audit,
        )
    assert refused.value.code == "reason_required"
    assert delta(before, await counts(db)) == {}
    assert await status_of(db, Shop, shop) == "live"
