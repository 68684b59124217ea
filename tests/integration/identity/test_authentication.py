"""Signing in: one answer for every failure, throttling, the second-factor requirement."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher, Type
from litestar.stores.memory import MemoryStore
from sqlalchemy import update

from galerie.db import Database
from galerie.identity import (
    Authenticated,
    LoginThrottle,
    OperatorRole,
    SellerRole,
    authenticate,
    verify_password,
)
from galerie.identity.models import User
from galerie.kernel import FixedClock, RateLimited, Unauthenticated
from tests.integration.identity.factories import (
    PASSWORD,
    make_operator,
    make_organisation,
    make_user,
    snapshot,
    user_row,
)

IP = "198.51.100.4"


async def sign_in(
    db: Database,
    clock: FixedClock,
    throttle: LoginThrottle,
    email: str,
    password: str = PASSWORD,
    *,
    ip_address: str = IP,
    require_totp: bool = True,
) -> Authenticated:
    return await authenticate(
        db,
        email=email,
        password=password,
        ip_address=ip_address,
        throttle=throttle,
        require_totp_setting=require_totp,
        now=clock.now(),
    )


async def failure(
    db: Database, clock: FixedClock, throttle: LoginThrottle, email: str, password: str
) -> Unauthenticated:
    with pytest.raises(Unauthenticated) as caught:
        await sign_in(db, clock, throttle, email, password)
    return caught.value


async def test_the_right_password_signs_a_shopper_in(
    db: Database, clock: FixedClock, throttle: LoginThrottle
) -> None:
    user_id = await make_user(db, clock.now(), "ana@example.com")
    before = await snapshot(db)

    result = await sign_in(db, clock, throttle, "  ANA@example.com ")

    assert result == Authenticated(
        user_id=user_id, second_factor_enrolled=False, second_factor_required=False
    )
    assert await snapshot(db) == before


async def test_unknown_email_wrong_password_and_inactive_account_get_the_same_answer(
    db: Database, clock: FixedClock, throttle: LoginThrottle
) -> None:
    await make_user(db, clock.now(), "ana@example.com")
    await make_user(db, clock.now(), "gone@example.com", active=False)
    before = await snapshot(db)

    answers = [
        await failure(db, clock, throttle, "nobody@example.com", PASSWORD),
        await failure(db, clock, throttle, "ana@example.com", PASSWORD + "!"),
        await failure(db, clock, throttle, "gone@example.com", PASSWORD),
        await failure(db, clock, throttle, "not an e-mail", PASSWORD),
        await failure(db, clock, throttle, "ana@example.com", ""),
    ]

    assert [(type(a), a.code, a.message, a.details, str(a)) for a in answers] == [
        (
            Unauthenticated,
            "invalid_credentials",
            "Wrong e-mail or password.",
            {},
            "Wrong e-mail or password.",
        )
    ] * len(answers)
    assert await snapshot(db) == before


async def test_failures_are_throttled_per_account_the_same_way_for_unknown_accounts(
    db: Database, clock: FixedClock, throttle: LoginThrottle
) -> None:
    await make_user(db, clock.now(), "ana@example.com")
    for email in ("ana@example.com", "nobody@example.com"):
        for _ in range(5):
            await failure(db, clock, throttle, email, "Wrong-password-1")
        with pytest.raises(RateLimited) as caught:
            await sign_in(db, clock, throttle, email)  # even the right password
        assert caught.value.code == "too_many_attempts"
        assert 0 < caught.value.retry_after <= 900


async def test_a_success_clears_the_account_counter(
    db: Database, clock: FixedClock, throttle: LoginThrottle
) -> None:
    user_id = await make_user(db, clock.now(), "ana@example.com")
    for _ in range(4):
        await failure(db, clock, throttle, "ana@example.com", "Wrong-password-1")
    assert (await sign_in(db, clock, throttle, "ana@example.com")).user_id == user_id
    for _ in range(4):
        await failure(db, clock, throttle, "ana@example.com", "Wrong-password-1")
    assert (await sign_in(db, clock, throttle, "ana@example.com")).user_id == user_id


async def test_failures_are_throttled_per_address_across_accounts(
    db: Database, clock: FixedClock
) -> None:
    throttle = LoginThrottle(MemoryStore(), account_limit=5, address_limit=3)
    await make_user(db, clock.now(), "ana@example.com")
    for name in ("a", "b", "c"):
        await failure(db, clock, throttle, f"{name}@example.com", "Wrong-password-1")

    with pytest.raises(RateLimited):
        await sign_in(db, clock, throttle, "ana@example.com")
    other = await sign_in(db, clock, throttle, "ana@example.com", ip_address="192.0.2.9")
    assert other.second_factor_required is False


@pytest.mark.parametrize(
    ("kind", "setting", "required"),
    [
        ("shopper", True, False),
        ("operator", True, True),
        ("operator", False, False),
        ("owner", True, True),
        ("owner", False, False),
        ("manager", True, False),
        ("agency", True, False),
    ],
)
async def test_the_second_factor_is_required_for_operators_and_owners_when_the_setting_is_on(
    db: Database,
    clock: FixedClock,
    throttle: LoginThrottle,
    kind: str,
    setting: bool,
    required: bool,
) -> None:
    if kind == "operator":
        user_id = await make_operator(db, clock.now(), "op@example.com", OperatorRole.SUPPORT)
    else:
        user_id = await make_user(db, clock.now(), "op@example.com")
    if kind in ("owner", "manager", "agency"):
        await make_organisation(db, clock.now(), "Atelier", {user_id: SellerRole(kind)})

    result = await sign_in(db, clock, throttle, "op@example.com", require_totp=setting)

    assert result == Authenticated(
        user_id=user_id, second_factor_enrolled=False, second_factor_required=required
    )


async def test_an_enrolled_second_factor_is_reported(
    db: Database, clock: FixedClock, throttle: LoginThrottle
) -> None:
    user_id = await make_user(db, clock.now(), "ana@example.com")
    async with db.transaction() as session:
        await session.execute(
            update(User)
            .where(User.id == user_id)
            .values(totp_secret="JBSWY3DPEHPK3PXP", totp_enabled_at=clock.now())
        )

    result = await sign_in(db, clock, throttle, "ana@example.com")

    assert (result.second_factor_enrolled, result.second_factor_required) == (True, False)


@pytest.mark.usefixtures("production_password_hashing")
async def test_a_hash_with_old_parameters_is_upgraded_on_sign_in(
    db: Database, clock: FixedClock, throttle: LoginThrottle
) -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1, type=Type.ID)
    old_hash = weak.hash(PASSWORD)
    user_id = await make_user(db, clock.now(), "ana@example.com", password_hash_value=old_hash)

    await sign_in(db, clock, throttle, "ana@example.com")

    new_hash = (await user_row(db, user_id)).password_hash
    assert new_hash != old_hash
    assert new_hash.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert verify_password(new_hash, PASSWORD)
