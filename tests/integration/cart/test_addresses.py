"""Saved addresses on both databases: one default at most (the first is it; switching is
atomic), at most 20, bad input refused with nothing written, another shopper's address
NotFound on every use case."""

from __future__ import annotations

import pytest

from galerie.cart import (
    MAX_ADDRESSES,
    AddressForm,
    add_address,
    delete_address,
    set_default_address,
    shopper_address,
    shopper_addresses,
    update_address,
)
from galerie.db import Database
from galerie.kernel import Conflict, FixedClock, NotFound, ValidationFailed
from tests.factories import make_user


def home(**changes: str) -> AddressForm:
    values = {
        "recipient": "Chen Wei",
        "phone": "+86 21 5555 0101",
        "country": "cn",
        "province": "Shanghai",
        "city": "Shanghai",
        "district": "Huangpu",
        "line1": "1 Nanjing Road",
        "postcode": "200001",
    }
    values.update(changes)
    return AddressForm(**values)


async def defaults(db: Database, user_id: int) -> list[tuple[int, bool]]:
    async with db.reading() as session:
        found = await shopper_addresses(session, user_id=user_id)
    return [(a.id, a.is_default) for a in found]


async def test_the_first_address_is_the_default_and_switching_keeps_exactly_one(
    db: Database, clock: FixedClock
) -> None:
    user = (await make_user(db, now=clock.now())).user_id
    first = await add_address(db, user_id=user, form=home(), make_default=False, now=clock.now())
    second = await add_address(
        db, user_id=user, form=home(city="Hangzhou"), make_default=False, now=clock.now()
    )
    assert await defaults(db, user) == [(first, True), (second, False)]
    await set_default_address(db, user_id=user, address_id=second, now=clock.now())
    assert await defaults(db, user) == [(second, True), (first, False)]
    third = await add_address(db, user_id=user, form=home(), make_default=True, now=clock.now())
    assert [d for d in await defaults(db, user) if d[1]] == [(third, True)]
    async with db.reading() as session:
        saved = await shopper_address(session, user_id=user, address_id=first)
    assert (saved.country, saved.district, saved.line2) == ("CN", "Huangpu", "")


async def test_another_shoppers_address_is_not_found_and_stays_as_it_was(
    db: Database, clock: FixedClock
) -> None:
    alice = (await make_user(db, now=clock.now())).user_id
    bob = (await make_user(db, now=clock.now())).user_id
    hers = await add_address(db, user_id=alice, form=home(), make_default=True, now=clock.now())
    his = await add_address(db, user_id=bob, form=home(), make_default=True, now=clock.now())
    with pytest.raises(NotFound):
        await set_default_address(db, user_id=bob, address_id=hers, now=clock.now())
    with pytest.raises(NotFound):
        await update_address(
            db, user_id=bob, address_id=hers, form=home(city="Elsewhere"), now=clock.now()
        )
    with pytest.raises(NotFound):
        await delete_address(db, user_id=bob, address_id=hers, now=clock.now())
    async with db.reading() as session:
        with pytest.raises(NotFound):
            await shopper_address(session, user_id=bob, address_id=hers)
        kept = await shopper_address(session, user_id=alice, address_id=hers)
    assert (kept.city, kept.is_default) == ("Shanghai", True)
    assert await defaults(db, bob) == [(his, True)]  # his default survived the failed switch


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"country": "XX"}, "unknown_country"),
        ({"country": ""}, "bad_country"),
        ({"recipient": "  "}, "bad_recipient"),
        ({"phone": "call me"}, "bad_phone"),
        ({"line1": "x" * 201}, "bad_line1"),
        ({"postcode": "1" * 21}, "bad_postcode"),
    ],
)
async def test_bad_addresses_are_refused_and_nothing_is_written(
    db: Database, clock: FixedClock, changes: dict[str, str], code: str
) -> None:
    user = (await make_user(db, now=clock.now())).user_id
    with pytest.raises(ValidationFailed) as refused:
        await add_address(
            db, user_id=user, form=home(**changes), make_default=True, now=clock.now()
        )
    assert refused.value.code == code
    assert await defaults(db, user) == []


async def test_at_most_twenty_and_deleting_the_default_promotes_the_newest(
    db: Database, clock: FixedClock
) -> None:
    user = (await make_user(db, now=clock.now())).user_id
    ids = [
        await add_address(db, user_id=user, form=home(), make_default=False, now=clock.now())
        for _ in range(MAX_ADDRESSES)
    ]
    with pytest.raises(Conflict):
        await add_address(db, user_id=user, form=home(), make_default=True, now=clock.now())
    assert len(await defaults(db, user)) == MAX_ADDRESSES
    await delete_address(db, user_id=user, address_id=ids[0], now=clock.now())
    assert [d for d in await defaults(db, user) if d[1]] == [(ids[-1], True)]
