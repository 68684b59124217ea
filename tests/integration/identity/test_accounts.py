"""Registering shoppers, choosing a language, finding a user by e-mail."""

from __future__ import annotations

import pytest

from galerie.audit import AuditContext
from galerie.db import Database
from galerie.identity import (
    find_user_by_email,
    register_shopper,
    set_preferred_language,
    verify_password,
)
from galerie.kernel import Conflict, FixedClock, NotFound, ValidationFailed
from tests.integration.identity.factories import (
    PASSWORD,
    audit_records,
    make_user,
    outbox,
    snapshot,
    user_row,
)


async def register(db: Database, clock: FixedClock, audit: AuditContext, **changes: str) -> int:
    fields = {
        "email": "  Alice.Martin@Example.COM ",
        "password": PASSWORD,
        "display_name": "  Alice Martin ",
        "language": "fr",
    }
    fields.update(changes)
    return await register_shopper(db, now=clock.now(), audit=audit, **fields)


async def test_a_shopper_registers_with_a_normalised_email_and_an_argon2id_hash(
    db: Database, clock: FixedClock, audit: AuditContext
) -> None:
    user_id = await register(db, clock, audit)

    user = await user_row(db, user_id)
    assert user.email == "alice.martin@example.com"
    assert user.display_name == "Alice Martin"
    assert user.preferred_language == "fr"
    assert user.is_active is True
    assert user.created_at == clock.now()
    assert user.totp_secret is None
    assert user.totp_enabled_at is None
    assert user.password_hash.startswith("$argon2id$")
    assert verify_password(user.password_hash, PASSWORD)
    assert not verify_password(user.password_hash, PASSWORD + "x")


async def test_registration_writes_one_audit_record_and_one_event(
    db: Database, clock: FixedClock, audit: AuditContext
) -> None:
    user_id = await register(db, clock, audit)

    records = await audit_records(db)
    assert [
        (r.action, r.outcome, r.actor_user_id, r.target_type, r.target_id) for r in records
    ] == [("identity.shopper_registered", "succeeded", user_id, "user", str(user_id))]
    assert (records[0].ip_address, records[0].request_id) == ("203.0.113.7", "req-1")
    assert await outbox(db) == [
        (
            "ShopperRegistered",
            {"user_id": user_id, "email": "alice.martin@example.com", "language": "fr"},
        )
    ]


@pytest.mark.parametrize("email", ["alice.martin@example.com", " ALICE.MARTIN@example.com"])
async def test_an_email_already_in_use_is_a_conflict_and_changes_nothing(
    db: Database, clock: FixedClock, audit: AuditContext, email: str
) -> None:
    await register(db, clock, audit)
    before = await snapshot(db)

    with pytest.raises(Conflict) as caught:
        await register(db, clock, audit, email=email, display_name="Someone Else")

    assert caught.value.code == "email_taken"
    assert caught.value.details == {"field": "email"}
    assert await snapshot(db) == before


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"email": ""}, "email", "bad_email"),
        ({"email": "   "}, "email", "bad_email"),
        ({"email": "alice"}, "email", "bad_email"),
        ({"email": "alice@localhost"}, "email", "bad_email"),
        ({"email": "a b@example.com"}, "email", "bad_email"),
        ({"email": "a@@example.com"}, "email", "bad_email"),
        ({"email": "a" * 243 + "@example.com"}, "email", "bad_email"),
        ({"display_name": ""}, "display_name", "bad_display_name"),
        ({"display_name": "   "}, "display_name", "bad_display_name"),
        ({"display_name": "x" * 81}, "display_name", "bad_display_name"),
        ({"display_name": "Alice\x00"}, "display_name", "bad_display_name"),
        ({"language": "de"}, "language", "unsupported_language"),
        ({"language": "zh-cn"}, "language", "unsupported_language"),
        ({"language": ""}, "language", "unsupported_language"),
        ({"password": "Sh0rt-pw!"}, "password", "weak_password"),
        ({"password": "password123"}, "password", "common_password"),
        ({"password": "QWERTYUIOP"}, "password", "common_password"),
        ({"password": "x1y2z3" * 22}, "password", "password_too_long"),
        ({"password": "alice.martin"}, "password", "weak_password"),
        ({"password": "my-alice.martin-2026"}, "password", "weak_password"),
    ],
)
async def test_bad_input_is_refused_with_its_field_and_changes_nothing(
    db: Database,
    clock: FixedClock,
    audit: AuditContext,
    changes: dict[str, str],
    field: str,
    code: str,
) -> None:
    before = await snapshot(db)

    with pytest.raises(ValidationFailed) as caught:
        await register(db, clock, audit, **changes)

    assert (caught.value.field, caught.value.code) == (field, code)
    assert caught.value.message
    assert await snapshot(db) == before


async def test_the_longest_allowed_email_is_accepted(
    db: Database, clock: FixedClock, audit: AuditContext
) -> None:
    email = "a" * 242 + "@example.com"
    assert len(email) == 254
    user_id = await register(db, clock, audit, email=email)
    async with db.reading() as session:
        found = await find_user_by_email(session, email.upper())
    assert found is not None
    assert found.id == user_id


async def test_find_user_by_email(db: Database, clock: FixedClock, audit: AuditContext) -> None:
    user_id = await register(db, clock, audit)

    async with db.reading() as session:
        found = await find_user_by_email(session, " Alice.Martin@example.com")
        missing = await find_user_by_email(session, "bob@example.com")
        blank = await find_user_by_email(session, "")

    assert found is not None
    assert (found.id, found.email, found.display_name, found.preferred_language) == (
        user_id,
        "alice.martin@example.com",
        "Alice Martin",
        "fr",
    )
    assert (found.is_active, found.totp_enabled, found.created_at) == (True, False, clock.now())
    assert missing is None
    assert blank is None


async def test_a_person_changes_their_language(db: Database, clock: FixedClock) -> None:
    user_id = await make_user(db, clock.now(), "li@example.com", language="en")

    await set_preferred_language(db, user_id=user_id, language="zh-CN", now=clock.now())

    assert (await user_row(db, user_id)).preferred_language == "zh-CN"


async def test_an_unsupported_language_changes_nothing(db: Database, clock: FixedClock) -> None:
    user_id = await make_user(db, clock.now(), "li@example.com", language="en")
    before = await snapshot(db)

    with pytest.raises(ValidationFailed) as caught:
        await set_preferred_language(db, user_id=user_id, language="es", now=clock.now())

    assert (caught.value.field, caught.value.code) == ("language", "unsupported_language")
    assert await snapshot(db) == before


async def test_changing_the_language_of_an_unknown_user_is_not_found(
    db: Database, clock: FixedClock
) -> None:
    before = await snapshot(db)
    with pytest.raises(NotFound) as caught:
        await set_preferred_language(db, user_id=987654, language="fr", now=clock.now())
    assert caught.value.code == "user_not_found"
    assert await snapshot(db) == before
