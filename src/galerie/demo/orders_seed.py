"""Seeding the demo's orders: every demo shopper has a handful of checkouts, one in each
state an order can be in, placed "days ago" and moved on through the real services.

Each story is one checkout ("buy now" items, placed through galerie.checkout's
`place_checkout` to the shopper's default address with express shipping), then, at its own
moments relative to the clock's now: paid through the sandbox provider, as a shopper
pays (demo.payments: hosted page, signed webhook, capture into escrow), shipped in parcels from the
lines' warehouse (galerie.fulfilment's `ship_parcel`, tracking numbers from the fake
carrier, whose events follow from the shipment time: a parcel shipped 30 hours ago is in
transit, one shipped a week ago delivered), confirmed by the buyer (`confirm_receipt`) or
by the timer at its deadline (`confirm_overdue_orders`) and its escrow released to the
shop minus commission, cancelled (`cancel_order`) or
left unpaid past its deadline (`close_unpaid_groups`). Stock is reserved, committed,
released and shipped by those services, so the stock accounting stays whole.

The checkouts still awaiting payment get DEMO_PAY_WITHIN to pay, so that the demo shows
them for a few days; the others had the usual half hour.

Deterministic: the items are each shop's first live SKUs with stock (one per product, by
id), the same on a fresh database. Idempotent: nothing is done if a demo shopper already
has an order, or if the shops have no stock (a catalog not written to the database)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Final

from sqlalchemy import select

from galerie.cart.models import ShopperAddress
from galerie.catalog.product_models import Product, Sku
from galerie.checkout import place_checkout
from galerie.db import Database
from galerie.demo.payments import pay_demo_group, release_demo_order
from galerie.fulfilment import FAKE_CARRIER, confirm_overdue_orders, confirm_receipt, ship_parcel
from galerie.fulfilment import receipt_timer as read_receipt_timer
from galerie.identity.models import SellerMembership, User
from galerie.inventory.models import StockLevel
from galerie.kernel import Clock
from galerie.orders import (
    DEFAULT_PAY_WITHIN,
    Actor,
    cancel_order,
    close_unpaid_groups,
)
from galerie.orders.models import OrderLine, PaymentGroup
from galerie.sellers.models import Shop

DEMO_PAY_WITHIN: Final = timedelta(days=3)
PAID_AFTER: Final = timedelta(minutes=10)
SHIPPED_AFTER: Final = timedelta(days=1)  # after placing
CONFIRMED_AFTER: Final = timedelta(days=3)  # after shipping (delivered after 2 days 6 hours)
CANCELLED_AFTER: Final = timedelta(hours=5)
TIMER_LAG: Final = timedelta(minutes=1)  # the timers run just after a deadline
MIN_AVAILABLE: Final = 10  # a SKU with fewer units left is not ordered
CANDIDATES: Final = 12  # SKUs per shop the stories draw from, in turn
CURRENCY: Final = "CNY"
METHOD: Final = "express"


class Fate(StrEnum):
    """What became of one shop's order in a story."""

    AWAITING = "awaiting"  # unpaid, still within its deadline
    CLOSED = "closed"  # unpaid past its deadline
    WITHDRAWN = "withdrawn"  # cancelled by the buyer before paying
    PAID = "paid"  # waiting for the seller to ship
    CANCELLED = "cancelled"  # paid, then cancelled by the buyer
    PARTLY = "partly"  # the first line shipped, the rest waiting
    IN_TRANSIT = "in_transit"  # shipped in full, the parcel on its way
    CONFIRMED = "confirmed"  # received, confirmed by the buyer
    AUTO_CONFIRMED = "auto_confirmed"  # confirmed by the timer at the deadline


UNPAID: Final = frozenset({Fate.AWAITING, Fate.CLOSED, Fate.WITHDRAWN})
SHIPPED: Final = frozenset({Fate.PARTLY, Fate.IN_TRANSIT, Fate.CONFIRMED, Fate.AUTO_CONFIRMED})


@dataclass(frozen=True, slots=True)
class Part:
    """One shop's share of a checkout: its slug, how many lines, and what became of it."""

    slug: str
    fate: Fate
    lines: int = 1


@dataclass(frozen=True, slots=True)
class Story:
    shopper: str
    days_ago: float
    parts: tuple[Part, ...]


CHEN, AMELIE, SAM = "chen.wei@example.test", "amelie@example.test", "sam@example.test"
SABOTS, XIAOMEI, LINDQVIST, AURORA = (
    "atelier-des-sabots",
    "xiaomei-crafts",
    "lindqvist",
    "aurora-toys",
)
PANDA, ZHANG, KIDDO, RETRO = "panda-home", "zhang-wei-tea", "kiddo-toy-box", "retro-pixel"
F = Fate

STORIES: Final = (
    Story(CHEN, 0.1, (Part(XIAOMEI, F.AWAITING), Part(ZHANG, F.AWAITING, 2))),
    Story(CHEN, 0.8, (Part(PANDA, F.PAID),)),
    Story(CHEN, 2.0, (Part(KIDDO, F.PARTLY, 2),)),
    Story(CHEN, 2.25, (Part(LINDQVIST, F.IN_TRANSIT), Part(ZHANG, F.IN_TRANSIT))),
    Story(CHEN, 9, (Part(XIAOMEI, F.CONFIRMED),)),
    Story(CHEN, 16, (Part(RETRO, F.AUTO_CONFIRMED),)),
    Story(CHEN, 6, (Part(AURORA, F.CLOSED),)),
    Story(CHEN, 4, (Part(PANDA, F.CANCELLED),)),
    Story(AMELIE, 0.05, (Part(SABOTS, F.AWAITING),)),
    Story(AMELIE, 1.2, (Part(SABOTS, F.PAID), Part(LINDQVIST, F.PAID))),
    Story(AMELIE, 2.2, (Part(AURORA, F.IN_TRANSIT),)),
    Story(AMELIE, 12, (Part(SABOTS, F.CONFIRMED), Part(XIAOMEI, F.CONFIRMED))),
    Story(AMELIE, 18, (Part(LINDQVIST, F.AUTO_CONFIRMED), Part(PANDA, F.CANCELLED))),
    Story(AMELIE, 7, (Part(ZHANG, F.CLOSED),)),
    Story(SAM, 0.2, (Part(RETRO, F.AWAITING), Part(KIDDO, F.AWAITING))),
    Story(SAM, 0.5, (Part(RETRO, F.PAID),)),
    Story(SAM, 1.9, (Part(AURORA, F.PARTLY, 2),)),
    Story(SAM, 2.3, (Part(KIDDO, F.IN_TRANSIT),)),
    Story(SAM, 10, (Part(RETRO, F.CONFIRMED),)),
    Story(SAM, 3, (Part(SABOTS, F.WITHDRAWN),)),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class _World:
    """What the stories need from the database: shops, their owners and SKUs; shoppers and
    their default addresses."""

    shops: dict[str, int]
    owners: dict[int, int]  # shop id -> its organisation owner's user id
    skus: dict[int, list[int]]  # shop id -> candidate SKU ids
    buyers: dict[str, tuple[int, int]]  # e-mail -> (user id, default address id)


async def _candidates(db: Database, shop_id: int) -> list[int]:
    """The shop's first live SKUs with stock enough, one per product, by id."""
    async with db.reading() as session:
        rows = await session.execute(
            select(Sku.id, Sku.product_id)
            .join(Product, Product.id == Sku.product_id)
            .join(StockLevel, StockLevel.sku_id == Sku.id)
            .where(
                Sku.shop_id == shop_id,
                Sku.is_active,
                Product.status == "live",
                StockLevel.available >= MIN_AVAILABLE,
            )
            .order_by(Sku.id)
            .limit(CANDIDATES * 8)
        )
    chosen: dict[int, int] = {}
    for sku_id, product_id in rows.tuples():
        chosen.setdefault(product_id, sku_id)
    return list(chosen.values())[:CANDIDATES]


async def _world(db: Database) -> _World:
    slugs = {part.slug for story in STORIES for part in story.parts}
    emails = {story.shopper for story in STORIES}
    async with db.reading() as session:
        shops = dict((await session.execute(
            select(Shop.slug, Shop.id).where(Shop.slug.in_(slugs), Shop.status == "live")
        )).tuples().all())  # fmt: skip
        owners = dict((await session.execute(
            select(Shop.id, SellerMembership.user_id)
            .join(SellerMembership, SellerMembership.organisation_id == Shop.organisation_id)
            .where(Shop.id.in_(shops.values()), SellerMembership.role == "owner")
        )).tuples().all())  # fmt: skip
        buyers = {
            email: (user_id, address_id)
            for email, user_id, address_id in (await session.execute(
                select(User.email, User.id, ShopperAddress.id)
                .join(ShopperAddress, ShopperAddress.user_id == User.id)
                .where(User.email.in_(emails), ShopperAddress.is_default)
            )).tuples()
        }  # fmt: skip
    skus = {shop_id: await _candidates(db, shop_id) for shop_id in shops.values()}
    return _World(shops, owners, skus, buyers)


async def _already_ordered(db: Database, world: _World) -> bool:
    buyer_ids = [user_id for user_id, _ in world.buyers.values()]
    async with db.reading() as session:
        found = await session.scalar(
            select(PaymentGroup.id).where(PaymentGroup.buyer_id.in_(buyer_ids)).limit(1)
        )
    return found is not None


def _playable(story: Story, world: _World) -> bool:
    return story.shopper in world.buyers and all(
        world.skus.get(world.shops.get(part.slug, 0)) and world.shops[part.slug] in world.owners
        for part in story.parts
    )


class _Picker:
    """Hands out each shop's candidate SKUs in turn, so the stories order different items."""

    def __init__(self, world: _World) -> None:
        self.world = world
        self.used: dict[int, int] = {}

    def items(self, story: Story) -> list[tuple[int, int]]:
        items = []
        for part in story.parts:
            shop_id = self.world.shops[part.slug]
            candidates = self.world.skus[shop_id]
            for n in range(part.lines):
                turn = self.used.get(shop_id, 0)
                self.used[shop_id] = turn + 1
                items.append((candidates[turn % len(candidates)], 1 + n % 2))
        return items


async def _place(db: Database, story: Story, number: int, world: _World, picker: _Picker,
                 placed_at: datetime) -> dict[str, Any]:  # fmt: skip
    buyer_id, address_id = world.buyers[story.shopper]
    items = picker.items(story)
    fates = {part.fate for part in story.parts}
    response = await place_checkout(
        db, buyer_id=buyer_id, address_id=address_id,
        methods={world.shops[part.slug]: METHOD for part in story.parts},
        idempotency_key=f"demo-order-{number}", raw_body={"demo": number, "items": items},
        now=placed_at, currency=CURRENCY, items=items,
        pay_within=DEMO_PAY_WITHIN if Fate.AWAITING in fates else DEFAULT_PAY_WITHIN,
    )  # fmt: skip
    body: dict[str, Any] = response.body
    return body


async def _order_lines(db: Database, order_id: int) -> list[tuple[int, int]]:
    async with db.reading() as session:
        rows = await session.execute(
            select(OrderLine.id, OrderLine.quantity)
            .where(OrderLine.order_id == order_id)
            .order_by(OrderLine.id)
        )
        return [(line_id, quantity) for line_id, quantity in rows.tuples()]


async def _ship(db: Database, order_id: int, seller: Actor, fate: Fate, at: datetime) -> None:
    lines = (await _order_lines(db, order_id))[:1] if fate == Fate.PARTLY else None
    await ship_parcel(
        db, order_id=order_id, actor=seller, carrier=FAKE_CARRIER, tracking_number=None,
        now=at, lines=lines,
    )  # fmt: skip


async def _confirm(db: Database, order_id: int, buyer: Actor, fate: Fate, at: datetime) -> None:
    if fate == Fate.CONFIRMED:
        await confirm_receipt(db, order_id=order_id, actor=buyer, now=at + CONFIRMED_AFTER)
        await release_demo_order(db, order_id=order_id, at=at + CONFIRMED_AFTER)
    elif fate == Fate.AUTO_CONFIRMED:
        async with db.reading() as session:
            timer = await read_receipt_timer(session, order_id=order_id)
        assert timer is not None
        await confirm_overdue_orders(db, now=timer.confirm_by + TIMER_LAG)
        await release_demo_order(db, order_id=order_id, at=timer.confirm_by + TIMER_LAG)


async def _follow(db: Database, order: dict[str, Any], fate: Fate, buyer: Actor, world: _World,
                  placed_at: datetime) -> None:  # fmt: skip
    """One shop's order after payment (or before it, for a withdrawn one)."""
    order_id, shop_id = int(order["id"]), int(order["shop_id"])
    if fate in (Fate.WITHDRAWN, Fate.CANCELLED):
        reason = "Ordered by mistake" if fate == Fate.WITHDRAWN else "Found it cheaper nearby"
        await cancel_order(
            db, order_id=order_id, actor=buyer, reason=reason, now=placed_at + CANCELLED_AFTER
        )
    elif fate in SHIPPED:
        shipped_at = placed_at + SHIPPED_AFTER
        seller = Actor.seller(world.owners[shop_id], shop_id)
        await _ship(db, order_id, seller, fate, shipped_at)
        await _confirm(db, order_id, buyer, fate, shipped_at)


async def _play(db: Database, story: Story, number: int, world: _World, picker: _Picker,
                now: datetime) -> None:  # fmt: skip
    placed_at = now - timedelta(days=story.days_ago)
    body = await _place(db, story, number, world, picker, placed_at)
    group_id = int(body["payment_group_id"])
    if not {part.fate for part in story.parts} & UNPAID:
        await pay_demo_group(
            db, buyer_id=world.buyers[story.shopper][0], group_id=group_id,
            paid_at=placed_at + PAID_AFTER,
        )  # fmt: skip
    buyer = Actor.buyer(world.buyers[story.shopper][0])
    by_shop = {int(order["shop_id"]): order for order in body["orders"]}
    for part in story.parts:
        await _follow(db, by_shop[world.shops[part.slug]], part.fate, buyer, world, placed_at)
    if any(part.fate == Fate.CLOSED for part in story.parts):
        await close_unpaid_groups(db, now=placed_at + DEFAULT_PAY_WITHIN + TIMER_LAG)


async def seed_demo_orders(db: Database, clock: Clock) -> int:
    """The demo shoppers' orders (see the module); returns how many checkouts were placed."""
    world = await _world(db)
    if not world.buyers or await _already_ordered(db, world):
        return 0
    now = clock.now()
    picker = _Picker(world)
    played = 0
    ordered = sorted(enumerate(STORIES), key=lambda pair: (-pair[1].days_ago, pair[0]))
    for number, story in ordered:  # the oldest first: ids follow the time of placing
        if _playable(story, world):
            await _play(db, story, number, world, picker, now)
            played += 1
    return played
