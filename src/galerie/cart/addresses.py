"""Shoppers' saved delivery addresses: at most MAX_ADDRESSES each, at most one default (a
partial unique index). Every use case acts on the shopper's own rows only: another
shopper's address is NotFound, like one that does not exist."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, Final

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.cart.models import ShopperAddress
from galerie.db import Database, RawSQL
from galerie.kernel import Conflict, NotFound, ValidationFailed
from galerie.kernel.countries import country_code

MAX_ADDRESSES: Final = 20
_PHONE: Final = re.compile(r"^\+?[0-9][0-9 ()\-]{4,28}$")
# field -> (max length, required)
LIMITS: Final[dict[str, tuple[int, bool]]] = {
    "recipient": (100, True),
    "phone": (30, True),
    "country": (2, True),
    "province": (100, False),
    "city": (100, True),
    "district": (100, False),
    "line1": (200, True),
    "line2": (200, False),
    "postcode": (20, False),
}


@dataclass(frozen=True, slots=True)
class AddressForm:
    recipient: str
    phone: str
    country: str
    city: str
    line1: str
    province: str = ""
    district: str = ""
    line2: str = ""
    postcode: str = ""

    def cleaned(self) -> AddressForm:
        values: dict[str, str] = {}
        for name, (longest, required) in LIMITS.items():
            raw = getattr(self, name)
            value = " ".join(raw.split()) if isinstance(raw, str) else ""
            if (required and not value) or len(value) > longest or "\x00" in value:
                raise ValidationFailed(
                    f"Enter at most {longest} characters.", field=name, code=f"bad_{name}"
                )
            values[name] = value
        values["country"] = country_code(values["country"])
        if not _PHONE.match(values["phone"]):
            raise ValidationFailed("Enter a telephone number.", field="phone", code="bad_phone")
        return AddressForm(**values)


@dataclass(frozen=True, slots=True)
class AddressView:
    id: int
    recipient: str
    phone: str
    country: str
    province: str
    city: str
    district: str
    line1: str
    line2: str
    postcode: str
    is_default: bool


def address_not_found() -> NotFound:
    return NotFound("No such address.", code="address_not_found")


def _view(row: ShopperAddress) -> AddressView:
    return AddressView(**{f.name: getattr(row, f.name) for f in fields(AddressView)})


def _columns(form: AddressForm) -> dict[str, Any]:
    return {name: getattr(form, name) for name in LIMITS}


async def _clear_default(session: AsyncSession, user_id: int, now: datetime) -> None:
    # Lock every row of the shopper first, in primary-key order (PostgreSQL; SQLite writes
    # one at a time anyway): two concurrent switches then run one after the other instead
    # of deadlocking or meeting at the unique index.
    await session.execute(
        select(ShopperAddress.id)
        .where(ShopperAddress.user_id == user_id)
        .order_by(ShopperAddress.id)
        .with_for_update()
    )
    await session.execute(
        update(ShopperAddress)
        .where(ShopperAddress.user_id == user_id)
        .values(is_default=False, updated_at=now)
    )


async def _flush(session: AsyncSession) -> None:
    try:
        await session.flush()
    except IntegrityError as exc:
        raise Conflict("The default address changed meanwhile.", code="address_conflict") from exc


async def add_address(
    db: Database, *, user_id: int, form: AddressForm, make_default: bool, now: datetime
) -> int:
    """Save an address (the first one is the default whatever is asked)."""
    clean = form.cleaned()
    async with db.transaction() as session:
        count = await session.scalar(select(func.count()).where(ShopperAddress.user_id == user_id))
        if (count or 0) >= MAX_ADDRESSES:
            raise Conflict(
                f"At most {MAX_ADDRESSES} addresses; remove one first.", code="too_many_addresses"
            )
        default = make_default or not count
        if default:
            await _clear_default(session, user_id, now)
        row = ShopperAddress(
            user_id=user_id, is_default=default, created_at=now, updated_at=now, **_columns(clean)
        )
        session.add(row)
        await _flush(session)
        return row.id


async def update_address(
    db: Database,
    *,
    user_id: int,
    address_id: int,
    form: AddressForm,
    now: datetime,
    make_default: bool = False,
) -> None:
    """Replace an address (and make it the default, in the same transaction, if asked)."""
    clean = form.cleaned()
    async with db.transaction() as session:
        changed = await session.execute(
            update(ShopperAddress)
            .where(ShopperAddress.id == address_id, ShopperAddress.user_id == user_id)
            .values(updated_at=now, **_columns(clean))
            .returning(ShopperAddress.id)
        )
        if changed.scalar_one_or_none() is None:
            raise address_not_found()
        if make_default:
            await _switch_default(session, user_id, address_id, now)


async def set_default_address(
    db: Database, *, user_id: int, address_id: int, now: datetime
) -> None:
    """Make one of the shopper's addresses the default, in one transaction: the others stop
    being it in the same commit (never two defaults, never none in between)."""
    async with db.transaction() as session:
        await _switch_default(session, user_id, address_id, now)


async def _switch_default(
    session: AsyncSession, user_id: int, address_id: int, now: datetime
) -> None:
    await _clear_default(session, user_id, now)
    try:
        chosen = await session.execute(
            update(ShopperAddress)
            .where(ShopperAddress.id == address_id, ShopperAddress.user_id == user_id)
            .values(is_default=True, updated_at=now)
            .returning(ShopperAddress.id)
        )
    except IntegrityError as exc:  # a concurrent switch won: nothing changed here
        raise Conflict("The default address changed meanwhile.", code="address_conflict") from exc
    if chosen.scalar_one_or_none() is None:
        raise address_not_found()  # the transaction rolls back: the old default stays


async def delete_address(db: Database, *, user_id: int, address_id: int, now: datetime) -> None:
    """Remove an address; when it was the default, the most recent other one becomes it."""
    async with db.transaction() as session:
        removed = await session.execute(
            delete(ShopperAddress)
            .where(ShopperAddress.id == address_id, ShopperAddress.user_id == user_id)
            .returning(ShopperAddress.is_default)
        )
        was_default = removed.scalar_one_or_none()
        if was_default is None:
            raise address_not_found()
        if was_default:
            newest = await session.scalar(
                select(ShopperAddress.id)
                .where(ShopperAddress.user_id == user_id)
                .order_by(ShopperAddress.created_at.desc(), ShopperAddress.id.desc())
                .limit(1)
            )
            if newest is not None:
                await session.execute(
                    update(ShopperAddress)
                    .where(ShopperAddress.id == newest)
                    .values(is_default=True, updated_at=now)
                )


async def shopper_addresses(session: AsyncSession, *, user_id: int) -> list[AddressView]:
    """The shopper's addresses, the default first (one query)."""
    rows = await session.scalars(
        select(ShopperAddress)
        .where(ShopperAddress.user_id == user_id)
        .order_by(ShopperAddress.is_default.desc(), ShopperAddress.id)
    )
    return [_view(row) for row in rows]


ADDRESS_COLUMNS = (
    "id", "recipient", "phone", "country", "province", "city", "district", "line1", "line2",
    "postcode", "is_default",
)  # fmt: skip
ADDRESS_SQL = (
    f"SELECT {', '.join(ADDRESS_COLUMNS)} FROM shopper_addresses "  # noqa: S608 - fixed fragments, bound values
    "WHERE id = $1 AND user_id = $2"
)


def address_of(row: Sequence[Any]) -> AddressView:
    """An address read as ADDRESS_COLUMNS (in that order)."""
    values = dict(zip(ADDRESS_COLUMNS, row, strict=True))
    return AddressView(**{**values, "is_default": bool(values["is_default"])})


async def shopper_address(
    on: AsyncSession | RawSQL, *, user_id: int, address_id: int
) -> AddressView:
    """One of the shopper's own addresses (one statement on the driver connection: the
    checkout reads it); another's is NotFound `address_not_found`."""
    raw = await RawSQL.over(on)
    row = await raw.fetchrow(ADDRESS_SQL, address_id, user_id)
    if row is None:
        raise address_not_found()
    return address_of(row)
