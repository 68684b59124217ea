"""Endpoint use cases on both databases: a secret per endpoint, at most ten per organisation,
everything scoped by organisation (another's id is NotFound and changes nothing), audited."""

from __future__ import annotations

from datetime import timedelta

import pytest

from galerie.db import Database
from galerie.kernel import Conflict, FixedClock, NotFound, ValidationFailed
from galerie.webhooks import (
    MAX_ENDPOINTS,
    delete_endpoint,
    organisation_endpoint,
    organisation_endpoints,
    retry_delivery,
    rotate_endpoint_secret,
    send_test_event,
    update_endpoint,
)
from tests.integration.webhooks.support import (
    AUDIT,
    audit_actions,
    count_rows,
    deliveries,
    endpoint,
    endpoint_row,
    last_audit_id,
    organisation,
)


async def test_an_endpoint_gets_its_own_secret_and_is_audited(
    db: Database, clock: FixedClock
) -> None:
    start = await last_audit_id(db)
    org = await organisation(db, clock.now())
    first = await endpoint(db, clock.now(), org, "order.shipped", "order.placed")
    second = await endpoint(db, clock.now(), org)
    assert first.secret.startswith("whsec_")
    assert len(first.secret) > 40
    assert first.secret != second.secret
    assert first.event_types == ("order.placed", "order.shipped")
    assert first.is_active
    async with db.reading() as session:
        listed = await organisation_endpoints(session, organisation_id=org)
    assert [e.id for e in listed] == [first.id, second.id]
    assert await audit_actions(db, start) == ["webhooks.endpoint.created"] * 2


async def test_an_organisation_has_at_most_ten_endpoints(db: Database, clock: FixedClock) -> None:
    org = await organisation(db, clock.now())
    for n in range(MAX_ENDPOINTS):
        await endpoint(db, clock.now(), org, url=f"https://erp.example.com/{n}")
    before = await count_rows(db)
    with pytest.raises(Conflict) as refused:
        await endpoint(db, clock.now(), org)
    assert refused.value.code == "too_many_webhook_endpoints"
    assert await count_rows(db) == before
    other = await organisation(db, clock.now())
    await endpoint(db, clock.now(), other)  # the limit is per organisation


async def test_bad_input_creates_nothing(db: Database, clock: FixedClock) -> None:
    start = await last_audit_id(db)
    org = await organisation(db, clock.now())
    before = await count_rows(db)
    with pytest.raises(ValidationFailed):
        await endpoint(db, clock.now(), org, url="http://erp.example.com/hook")
    with pytest.raises(ValidationFailed):
        await endpoint(db, clock.now(), org, "order.refunded")
    assert await count_rows(db) == before
    assert await audit_actions(db, start) == []


async def test_update_rotate_and_disable(db: Database, clock: FixedClock) -> None:
    start = await last_audit_id(db)
    org = await organisation(db, clock.now())
    made = await endpoint(db, clock.now(), org)
    clock.advance(timedelta(minutes=5))
    changed = await update_endpoint(
        db, organisation_id=org, endpoint_id=made.id, url="https://erp.example.com/v2",
        event_types=["order.cancelled"], is_active=False, allow_local_http=False,
        audit=AUDIT, now=clock.now(),
    )  # fmt: skip
    assert (changed.url, changed.event_types, changed.is_active) == (
        "https://erp.example.com/v2",
        ("order.cancelled",),
        False,
    )
    assert changed.updated_at == clock.now()
    rotated = await rotate_endpoint_secret(
        db, organisation_id=org, endpoint_id=made.id, audit=AUDIT, now=clock.now()
    )
    assert rotated.secret != made.secret
    row = await endpoint_row(db, made.id)
    assert row is not None
    assert row.secret == rotated.secret
    assert await audit_actions(db, start) == [
        "webhooks.endpoint.created",
        "webhooks.endpoint.updated",
        "webhooks.endpoint.secret_rotated",
    ]


async def test_another_organisations_endpoint_is_not_found_and_unchanged(
    db: Database, clock: FixedClock
) -> None:
    start = await last_audit_id(db)
    org = await organisation(db, clock.now())
    rival = await organisation(db, clock.now())
    theirs = await endpoint(db, clock.now(), rival)
    await send_test_event(db, organisation_id=rival, endpoint_id=theirs.id, now=clock.now())
    [queued] = await deliveries(db, endpoint_id=theirs.id)
    attempts = [
        update_endpoint(
            db,
            organisation_id=org,
            endpoint_id=theirs.id,
            is_active=False,
            allow_local_http=True,
            audit=AUDIT,
            now=clock.now(),
        ),
        rotate_endpoint_secret(
            db, organisation_id=org, endpoint_id=theirs.id, audit=AUDIT, now=clock.now()
        ),
        delete_endpoint(
            db, organisation_id=org, endpoint_id=theirs.id, audit=AUDIT, now=clock.now()
        ),
        send_test_event(db, organisation_id=org, endpoint_id=theirs.id, now=clock.now()),
        retry_delivery(
            db, organisation_id=org, endpoint_id=theirs.id, delivery_id=queued.id, now=clock.now()
        ),
    ]
    for attempt in attempts:
        with pytest.raises(NotFound):
            await attempt
    async with db.reading() as session:
        with pytest.raises(NotFound):
            await organisation_endpoint(session, organisation_id=org, endpoint_id=theirs.id)
        assert await organisation_endpoints(session, organisation_id=org) == []
    row = await endpoint_row(db, theirs.id)
    assert row is not None
    assert (row.is_active, row.secret) == (True, theirs.secret)
    assert len(await deliveries(db, endpoint_id=theirs.id)) == 1
    assert await audit_actions(db, start) == ["webhooks.endpoint.created"]  # the rival's


async def test_delete_removes_the_endpoint_and_its_log(db: Database, clock: FixedClock) -> None:
    org = await organisation(db, clock.now())
    made = await endpoint(db, clock.now(), org)
    await send_test_event(db, organisation_id=org, endpoint_id=made.id, now=clock.now())
    await delete_endpoint(
        db, organisation_id=org, endpoint_id=made.id, audit=AUDIT, now=clock.now()
    )
    assert await endpoint_row(db, made.id) is None
    assert await deliveries(db, endpoint_id=made.id) == []
    with pytest.raises(NotFound):
        await delete_endpoint(
            db, organisation_id=org, endpoint_id=made.id, audit=AUDIT, now=clock.now()
        )


async def test_a_test_event_goes_to_one_active_endpoint_only(
    db: Database, clock: FixedClock
) -> None:
    org = await organisation(db, clock.now())
    made = await endpoint(db, clock.now(), org, "order.placed")
    other = await endpoint(db, clock.now(), org, "webhook.test")
    event_id = await send_test_event(db, organisation_id=org, endpoint_id=made.id, now=clock.now())
    [queued] = await deliveries(db, event_id=event_id)
    assert (queued.endpoint_id, queued.event_type, queued.status) == (
        made.id,
        "webhook.test",
        "pending",
    )
    assert await deliveries(db, endpoint_id=other.id) == []
    await update_endpoint(
        db, organisation_id=org, endpoint_id=made.id, is_active=False, allow_local_http=True,
        audit=AUDIT, now=clock.now(),
    )  # fmt: skip
    with pytest.raises(Conflict) as refused:
        await send_test_event(db, organisation_id=org, endpoint_id=made.id, now=clock.now())
    assert refused.value.code == "webhook_endpoint_disabled"


async def test_only_a_failed_delivery_can_be_retried(db: Database, clock: FixedClock) -> None:
    org = await organisation(db, clock.now())
    made = await endpoint(db, clock.now(), org)
    await send_test_event(db, organisation_id=org, endpoint_id=made.id, now=clock.now())
    [queued] = await deliveries(db, endpoint_id=made.id)
    with pytest.raises(Conflict) as refused:
        await retry_delivery(
            db, organisation_id=org, endpoint_id=made.id, delivery_id=queued.id, now=clock.now()
        )
    assert refused.value.code == "webhook_delivery_not_failed"
    with pytest.raises(NotFound):
        await retry_delivery(
            db, organisation_id=org, endpoint_id=made.id, delivery_id=queued.id + 999,
            now=clock.now(),
        )  # fmt: skip
