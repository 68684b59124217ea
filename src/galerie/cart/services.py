"""Cart use cases, each one transaction: add a SKU, change a line's quantity, remove a line,
and merge a guest's cart into the shopper's on sign-in.

Every change is one conditional statement on the owner's cart (a line of another cart is
NotFound, like one that does not exist) and bad input changes nothing. Adding is at most
three statements: the SKU's facts, the cart (upserted), the line (upserted; the quantity
grows in the database, never read-modify-write)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.cart.models import Cart, CartLine
from galerie.cart.owners import CartOwner, dialect_insert
from galerie.cart.rules import MAX_LINES, above_limit, line_limit, quantity_of
from galerie.catalog import is_public
from galerie.catalog.product_models import Sku
from galerie.db import Database, RawSQL
from galerie.inventory import available_sql
from galerie.kernel import Conflict, NotFound

SKU_FACTS_SQL: Final = """
SELECT k.shop_id, k.price_minor, k.currency, k.is_active, k.per_buyer_limit, p.status, s.status,
       {available},
       (SELECT l.quantity FROM cart_lines l JOIN carts c ON c.id = l.cart_id
        WHERE c.{owner} = $2 AND l.sku_id = k.id),
       (SELECT COUNT(*) FROM cart_lines l JOIN carts c ON c.id = l.cart_id WHERE c.{owner} = $2)
FROM skus k
JOIN products p ON p.id = k.product_id
JOIN shops s ON s.id = k.shop_id
WHERE k.id = $1
"""

LINE_FACTS_SQL: Final = """
SELECT l.quantity, k.per_buyer_limit, {available}
FROM cart_lines l
JOIN carts c ON c.id = l.cart_id
JOIN skus k ON k.id = l.sku_id
WHERE l.id = $1 AND c.{owner} = $2
"""


def sku_not_available() -> NotFound:
    return NotFound("This item cannot be bought.", code="sku_not_available")


def line_not_found() -> NotFound:
    return NotFound("No such line in your cart.", code="cart_line_not_found")


def not_enough_stock(available: int) -> Conflict:
    return Conflict("Not enough stock.", code="not_enough_stock", available=available)


@dataclass(frozen=True, slots=True)
class _Sku:
    shop_id: int
    price_minor: int
    currency: str
    limit: int
    available: int
    in_cart: int
    lines: int


async def _sku_facts(raw: RawSQL, owner: CartOwner, sku_id: int) -> _Sku:
    sql = SKU_FACTS_SQL.format(available=available_sql("k.id"), owner=owner.column)
    row = await raw.fetchrow(sql, sku_id, owner.key)
    if row is None or not (bool(row[3]) and is_public(row[5], row[6])):
        raise sku_not_available()
    return _Sku(
        int(row[0]), int(row[1]), row[2], line_limit(row[4]), int(row[7]), int(row[8] or 0),
        int(row[9] or 0),
    )  # fmt: skip


async def owner_cart_id(session: AsyncSession, owner: CartOwner, now: datetime) -> int:
    """The owner's cart, created if need be: one upsert, safe under concurrency."""
    insert = dialect_insert(session, Cart).values(
        {owner.column: owner.key, "created_at": now, "updated_at": now}
    )
    statement = insert.on_conflict_do_update(
        index_elements=[owner.column], set_={"updated_at": now}
    ).returning(Cart.id)
    return int((await session.execute(statement)).scalar_one())


async def add_to_cart(
    db: Database, *, owner: CartOwner, sku_id: int, quantity: object, now: datetime
) -> int:
    """Add `quantity` units of a buyable SKU (a live product of a live shop) to the owner's
    cart; the line's id. Refused, changing nothing: a bad quantity (422), more than the
    line's limit in all (422), more than the stock available (409), a full cart (409)."""
    wanted = quantity_of(quantity)
    async with db.transaction() as session:
        raw = await RawSQL.of(session)
        sku = await _sku_facts(raw, owner, sku_id)
        total = sku.in_cart + wanted
        if total > sku.limit:
            raise above_limit(total, sku.limit)
        if total > sku.available:
            raise not_enough_stock(sku.available)
        if sku.in_cart == 0 and sku.lines >= MAX_LINES:
            raise Conflict(f"A cart holds at most {MAX_LINES} items.", code="cart_full")
        cart_id = await owner_cart_id(session, owner, now)
        insert = dialect_insert(session, CartLine).values(
            cart_id=cart_id, sku_id=sku_id, shop_id=sku.shop_id, quantity=wanted,
            price_seen_minor=sku.price_minor, currency=sku.currency, added_at=now,
            updated_at=now,
        )  # fmt: skip
        grown = CartLine.quantity + insert.excluded.quantity
        statement = insert.on_conflict_do_update(
            index_elements=["cart_id", "sku_id"],
            set_={
                "quantity": grown,
                "price_seen_minor": insert.excluded.price_seen_minor,
                "currency": insert.excluded.currency,
                "updated_at": now,
            },
            where=grown <= sku.limit,
        ).returning(CartLine.id)
        line_id = (await session.execute(statement)).scalar_one_or_none()
        if line_id is None:  # another request grew the line meanwhile
            raise above_limit(total, sku.limit)
        return int(line_id)


async def set_line_quantity(
    db: Database, *, owner: CartOwner, line_id: int, quantity: object, now: datetime
) -> None:
    """Set a line of the owner's cart to `quantity` units (within its limit; more than the
    available stock only if it is no more than before)."""
    wanted = quantity_of(quantity)
    async with db.transaction() as session:
        raw = await RawSQL.of(session)
        sql = LINE_FACTS_SQL.format(available=available_sql("k.id"), owner=owner.column)
        row = await raw.fetchrow(sql, line_id, owner.key)
        if row is None:
            raise line_not_found()
        current, limit, available = int(row[0]), line_limit(row[1]), int(row[2])
        if wanted > limit:
            raise above_limit(wanted, limit)
        if wanted > current and wanted > available:
            raise not_enough_stock(available)
        changed = await session.execute(
            update(CartLine)
            .where(CartLine.id == line_id, CartLine.cart_id.in_(_owner_carts(owner)))
            .values(quantity=wanted, updated_at=now)
            .returning(CartLine.id)
        )
        if changed.scalar_one_or_none() is None:
            raise line_not_found()


def _owner_carts(owner: CartOwner) -> Any:
    return select(Cart.id).where(getattr(Cart, owner.column) == owner.key)


async def remove_cart_line(db: Database, *, owner: CartOwner, line_id: int) -> None:
    async with db.transaction() as session:
        removed = await session.execute(
            delete(CartLine)
            .where(CartLine.id == line_id, CartLine.cart_id.in_(_owner_carts(owner)))
            .returning(CartLine.id)
        )
        if removed.scalar_one_or_none() is None:
            raise line_not_found()


async def remove_ordered_lines(
    on: AsyncSession | RawSQL, *, owner: CartOwner, lines: Sequence[tuple[int, int]]
) -> int:
    """In the caller's transaction (the checkout's), remove the owner's lines that were
    just ordered: each (sku_id, quantity) as ordered; a line changed meanwhile stays. One
    statement; the number of lines removed."""
    if not lines:
        return 0
    raw = await RawSQL.over(on)
    return await raw.execute(*_removal(owner, lines))


async def forget_ordered_lines(
    raw: RawSQL, *, owner: CartOwner, lines: Sequence[tuple[int, int]]
) -> None:
    """`remove_ordered_lines` when nobody needs the count: `defer`red (it travels with the
    transaction's next statement on PostgreSQL, see RawSQL)."""
    if lines:
        await raw.defer(*_removal(owner, lines))


def _removal(owner: CartOwner, lines: Sequence[tuple[int, int]]) -> tuple[Any, ...]:
    pairs = " OR ".join(
        f"(sku_id = ${2 * i + 2} AND quantity = ${2 * i + 3})" for i in range(len(lines))
    )
    sql = (
        "DELETE FROM cart_lines WHERE cart_id IN (SELECT id FROM carts "  # noqa: S608 - fixed fragments, bound values
        f"WHERE {owner.column} = $1) AND ({pairs})"
    )
    return (sql, owner.key, *(value for line in lines for value in line))


async def merge_guest_cart(db: Database, *, guest_token: str, user_id: int, now: datetime) -> int:
    """Move a guest's lines into the shopper's cart (quantities added, capped by each line's
    limit; lines beyond the cart's size are left out) and delete the guest's cart. The
    number of lines merged; 0 when the guest has no cart."""
    guest = CartOwner.guest(guest_token)
    async with db.transaction() as session:
        guest_cart = await session.scalar(_owner_carts(guest))
        if guest_cart is None:
            return 0
        rows = (
            await session.execute(
                select(CartLine, func.coalesce(_per_buyer_limit(), 0))
                .where(CartLine.cart_id == guest_cart)
                .order_by(CartLine.added_at, CartLine.id)
            )
        ).all()
        cart_id = await owner_cart_id(session, CartOwner.user(user_id), now)
        merged = await _merge_lines(session, cart_id, [(r[0], r[1]) for r in rows], now)
        await session.execute(delete(CartLine).where(CartLine.cart_id == guest_cart))
        await session.execute(delete(Cart).where(Cart.id == guest_cart))
        return merged


def _per_buyer_limit() -> Any:
    return select(Sku.per_buyer_limit).where(Sku.id == CartLine.sku_id).scalar_subquery()


async def _merge_lines(
    session: AsyncSession, cart_id: int, lines: Sequence[tuple[CartLine, int]], now: datetime
) -> int:
    present = set(await session.scalars(select(CartLine.sku_id).where(CartLine.cart_id == cart_id)))
    smaller = func.least if session.get_bind().dialect.name == "postgresql" else func.min
    merged = 0
    for line, per_buyer in lines:
        if line.sku_id not in present and len(present) >= MAX_LINES:
            continue
        limit = line_limit(per_buyer or None)
        insert = dialect_insert(session, CartLine).values(
            cart_id=cart_id, sku_id=line.sku_id, shop_id=line.shop_id,
            quantity=min(line.quantity, limit), price_seen_minor=line.price_seen_minor,
            currency=line.currency, added_at=line.added_at, updated_at=now,
        )  # fmt: skip
        await session.execute(
            insert.on_conflict_do_update(
                index_elements=["cart_id", "sku_id"],
                set_={
                    "quantity": smaller(CartLine.quantity + insert.excluded.quantity, limit),
                    "updated_at": now,
                },
            )
        )
        present.add(line.sku_id)
        merged += 1
    return merged


async def purge_guest_carts(db: Database, *, older_than: datetime) -> int:
    """Delete the guest carts (and their lines) nobody added to since `older_than`, as a
    timer would, daily: 30 days matches the cookie's life. The number of carts deleted."""
    stale = select(Cart.id).where(Cart.guest_digest.is_not(None), Cart.updated_at < older_than)
    async with db.transaction() as session:
        await session.execute(delete(CartLine).where(CartLine.cart_id.in_(stale)))
        removed = await session.execute(
            delete(Cart).where(Cart.id.in_(stale.scalar_subquery())).returning(Cart.id)
        )
        return len(removed.all())
