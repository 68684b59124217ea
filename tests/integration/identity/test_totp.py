"""The TOTP second factor: enrolment, confirmation, verification, replay and throttling."""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlparse

import pyotp
import pytest

from galerie.audit import AuditContext
from galerie.db import Database
from galerie.identity import (
    LoginThrottle,
    authenticate,
    begin_totp_enrolment,
    confirm_totp_enrolment,
    verify_second_factor,
)
from galerie.identity.totp import _advance_step
from galerie.kernel import Conflict, FixedClock, NotFound, RateLimited, Unauthenticated
from tests.integration.identity.factories import (
    audit_records,
    make_user,
    outbox,
    snapshot,
    user_row,
)

IP = "198.51.100.4"


def code_at(secret: str, when: datetime) -> str:
    return str(pyotp.TOTP(secret).at(when))


def other_code(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


async def enrolled(
    db: Database, clock: FixedClock, audit: AuditContext, email: str
) -> tuple[int, str]:
    user_id = await make_user(db, clock.now(), email)
    enrolment = await begin_totp_enrolment(db, user_id=user_id, now=clock.now())
    await confirm_totp_enrolment(
        db,
        user_id=user_id,
        code=code_at(enrolment.secret, clock.now()),
        now=clock.now(),
        audit=audit,
    )
    clock.advance(timedelta(seconds=30))  # the confirming code's step is now used
    return user_id, enrolment.secret


async def verify(
    db: Database, clock: FixedClock, throttle: LoginThrottle, user_id: int, code: str
) -> None:
    await verify_second_factor(
        db, user_id=user_id, code=code, ip_address=IP, throttle=throttle, now=clock.now()
    )


async def test_beginning_enrolment_stores_a_pending_secret_and_audits_nothing(
    db: Database, clock: FixedClock
) -> None:
    user_id = await make_user(db, clock.now(), "ana@example.com")

    enrolment = await begin_totp_enrolment(db, user_id=user_id, now=clock.now())

    user = await user_row(db, user_id)
    assert (user.totp_secret, user.totp_enabled_at, user.totp_last_step) == (
        enrolment.secret,
        None,
        None,
    )
    assert len(enrolment.secret) == 32
    uri = urlparse(enrolment.provisioning_uri)
    assert (uri.scheme, uri.netloc, uri.path) == ("otpauth", "totp", "/Galerie:ana%40example.com")
    assert parse_qs(uri.query) == {"secret": [enrolment.secret], "issuer": ["Galerie"]}
    assert await audit_records(db) == []
    assert await outbox(db) == []


async def test_confirming_with_a_valid_code_turns_the_factor_on_with_one_audit_record(
    db: Database, clock: FixedClock, audit: AuditContext, throttle: LoginThrottle
) -> None:
    user_id = await make_user(db, clock.now(), "ana@example.com")
    enrolment = await begin_totp_enrolment(db, user_id=user_id, now=clock.now())

    await confirm_totp_enrolment(
        db,
        user_id=user_id,
        code=code_at(enrolment.secret, clock.now()),
        now=clock.now(),
        audit=audit,
    )

    user = await user_row(db, user_id)
    assert user.totp_enabled_at == clock.now()
    assert user.totp_last_step == int(clock.now().timestamp()) // 30
    records = await audit_records(db)
    assert [(r.action, r.outcome, r.actor_user_id, r.target_id) for r in records] == [
        ("identity.totp_enabled", "succeeded", user_id, str(user_id))
    ]
    assert await outbox(db) == [("TotpEnabled", {"user_id": user_id})]
    signed_in = await authenticate(
        db,
        email="ana@example.com",
        password="Lantern-orchid-4417",
        ip_address=IP,
        throttle=throttle,
        require_totp_setting=True,
        now=clock.now(),
    )
    assert signed_in.second_factor_enrolled is True


@pytest.mark.parametrize("bad", ["wrong", "", "12345", "1234567", "abcdef", "１２３４５６"])
async def test_confirming_with_a_wrong_code_changes_nothing(
    db: Database, clock: FixedClock, audit: AuditContext, bad: str
) -> None:
    user_id = await make_user(db, clock.now(), "ana@example.com")
    enrolment = await begin_totp_enrolment(db, user_id=user_id, now=clock.now())
    code = other_code(code_at(enrolment.secret, clock.now())) if bad == "wrong" else bad
    before = await snapshot(db)

    with pytest.raises(Unauthenticated) as caught:
        await confirm_totp_enrolment(db, user_id=user_id, code=code, now=clock.now(), audit=audit)

    assert (caught.value.code, caught.value.message) == ("invalid_code", "That code is not valid.")
    assert await snapshot(db) == before


async def test_confirming_without_enrolment_is_a_conflict(
    db: Database, clock: FixedClock, audit: AuditContext
) -> None:
    user_id = await make_user(db, clock.now(), "ana@example.com")
    before = await snapshot(db)
    with pytest.raises(Conflict) as caught:
        await confirm_totp_enrolment(
            db, user_id=user_id, code="123456", now=clock.now(), audit=audit
        )
    assert caught.value.code == "no_totp_enrolment"
    assert await snapshot(db) == before


async def test_an_enabled_factor_cannot_be_enrolled_or_confirmed_again(
    db: Database, clock: FixedClock, audit: AuditContext
) -> None:
    user_id, secret = await enrolled(db, clock, audit, "ana@example.com")
    before = await snapshot(db)

    with pytest.raises(Conflict) as began:
        await begin_totp_enrolment(db, user_id=user_id, now=clock.now())
    with pytest.raises(Conflict) as confirmed:
        await confirm_totp_enrolment(
            db, user_id=user_id, code=code_at(secret, clock.now()), now=clock.now(), audit=audit
        )

    assert began.value.code == confirmed.value.code == "totp_already_enabled"
    assert await snapshot(db) == before


async def test_enrolment_for_an_unknown_or_inactive_user_is_not_found(
    db: Database, clock: FixedClock
) -> None:
    gone = await make_user(db, clock.now(), "gone@example.com", active=False)
    before = await snapshot(db)
    for user_id in (gone, 987654):
        with pytest.raises(NotFound) as caught:
            await begin_totp_enrolment(db, user_id=user_id, now=clock.now())
        assert caught.value.code == "user_not_found"
    assert await snapshot(db) == before


async def test_a_valid_code_passes_once_and_its_replay_is_refused(
    db: Database, clock: FixedClock, audit: AuditContext, throttle: LoginThrottle
) -> None:
    user_id, secret = await enrolled(db, clock, audit, "ana@example.com")
    code = code_at(secret, clock.now())

    await verify(db, clock, throttle, user_id, f"{code[:3]} {code[3:]}")
    assert (await user_row(db, user_id)).totp_last_step == int(clock.now().timestamp()) // 30
    before = await snapshot(db)

    with pytest.raises(Unauthenticated) as caught:
        await verify(db, clock, throttle, user_id, code)

    assert (caught.value.code, caught.value.message) == ("invalid_code", "That code is not valid.")
    assert await snapshot(db) == before


async def test_codes_one_step_either_side_are_accepted_and_two_steps_are_not(
    db: Database, clock: FixedClock, audit: AuditContext, throttle: LoginThrottle
) -> None:
    user_id, secret = await enrolled(db, clock, audit, "ana@example.com")
    clock.advance(timedelta(minutes=5))
    now = clock.now()

    for stale in (now - timedelta(seconds=60), now + timedelta(seconds=60)):
        with pytest.raises(Unauthenticated):
            await verify(db, clock, throttle, user_id, code_at(secret, stale))
    await verify(db, clock, throttle, user_id, code_at(secret, now - timedelta(seconds=30)))
    await verify(db, clock, throttle, user_id, code_at(secret, now + timedelta(seconds=30)))
    # once a later step is used, an earlier step's code is refused
    with pytest.raises(Unauthenticated):
        await verify(db, clock, throttle, user_id, code_at(secret, now))


async def test_a_person_without_a_confirmed_factor_is_refused(
    db: Database, clock: FixedClock, throttle: LoginThrottle
) -> None:
    user_id = await make_user(db, clock.now(), "ana@example.com")
    enrolment = await begin_totp_enrolment(db, user_id=user_id, now=clock.now())
    before = await snapshot(db)

    for who in (user_id, 987654):
        with pytest.raises(Unauthenticated) as caught:
            await verify(db, clock, throttle, who, code_at(enrolment.secret, clock.now()))
        assert caught.value.code == "invalid_code"
    assert await snapshot(db) == before


async def test_wrong_codes_share_the_accounts_throttle_with_wrong_passwords(
    db: Database, clock: FixedClock, audit: AuditContext, throttle: LoginThrottle
) -> None:
    user_id, secret = await enrolled(db, clock, audit, "ana@example.com")
    for _ in range(3):
        await throttle.record_failure(email="ana@example.com", ip_address=IP)
    wrong = other_code(code_at(secret, clock.now()))
    for _ in range(2):
        with pytest.raises(Unauthenticated):
            await verify(db, clock, throttle, user_id, wrong)

    with pytest.raises(RateLimited) as caught:
        await verify(db, clock, throttle, user_id, code_at(secret, clock.now()))

    assert caught.value.code == "too_many_attempts"
    assert (await user_row(db, user_id)).totp_last_step == int(
        (clock.now() - timedelta(seconds=30)).timestamp()
    ) // 30


async def test_the_used_step_only_moves_forwards_in_the_database(
    db: Database, clock: FixedClock, audit: AuditContext
) -> None:
    """The conditional UPDATE is what stops two simultaneous uses of one code: whatever the
    earlier check saw, a step at or before the stored one changes no row."""
    user_id, _ = await enrolled(db, clock, audit, "ana@example.com")
    used = (await user_row(db, user_id)).totp_last_step
    assert used is not None

    assert await _advance_step(db, user_id=user_id, step=used) is False
    assert await _advance_step(db, user_id=user_id, step=used - 1) is False
    assert (await user_row(db, user_id)).totp_last_step == used
    assert await _advance_step(db, user_id=user_id, step=used + 1) is True
    assert (await user_row(db, user_id)).totp_last_step == used + 1
    assert await _advance_step(db, user_id=987654, step=used + 5) is False
