"""Shipping use cases, each one transaction: create, update and delete a shop's templates,
and the reads that go with them. A template of another shop is NotFound, like one that does
not exist; a duplicate name in the shop is a Conflict (a constraint, never check-then-insert)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.db import Database
from galerie.db.raw import json_of
from galerie.kernel import Conflict, Money, NotFound
from galerie.shipping.models import ShippingTemplateRow
from galerie.shipping.rules import (
    Destination,
    Rate,
    Region,
    RegionRate,
    ShippingOption,
    ShippingTemplate,
    TemplateSpec,
    quote_shop_shipping,
)

MAX_TEMPLATES_PER_SHOP = 100


def template_not_found() -> NotFound:
    return NotFound("No such shipping template.", code="shipping_template_not_found")


def _name_taken() -> Conflict:
    return Conflict("This shop already has a template with this name.", code="template_name_taken")


def _rate_json(rate: Rate) -> dict[str, int]:
    return {"first": rate.first, "additional": rate.additional}


def _columns(spec: TemplateSpec) -> dict[str, Any]:
    return {
        "name": spec.name,
        "method": str(spec.method),
        "charge_by": str(spec.charge_by),
        "currency": spec.currency,
        "rates": [
            {
                "countries": sorted(r.region.countries),
                "provinces": sorted(r.region.provinces),
                **_rate_json(r.rate),
            }
            for r in spec.region_rates
        ],
        "rest_of_world": None if spec.rest_of_world is None else _rate_json(spec.rest_of_world),
        "free_above_minor": None if spec.free_above is None else spec.free_above.minor,
    }


TEMPLATE_COLUMNS = (
    "id", "shop_id", "name", "method", "charge_by", "currency", "rates", "rest_of_world",
    "free_above_minor",
)  # fmt: skip


def template_of(row: ShippingTemplateRow) -> ShippingTemplate:
    return _template(*(getattr(row, name) for name in TEMPLATE_COLUMNS))


def _template(
    id: int, shop_id: int, name: str, method: str, charge_by: str, currency: str,
    rates: list[Any] | None, rest: dict[str, Any] | None, free_above: int | None,
) -> ShippingTemplate:  # fmt: skip
    spec = TemplateSpec(
        name=name,
        method=method,
        charge_by=charge_by,
        currency=currency,
        region_rates=tuple(
            RegionRate(
                Region(frozenset(r.get("countries", ())), frozenset(r.get("provinces", ()))),
                Rate(int(r["first"]), int(r["additional"])),
            )
            for r in rates or []
        ),
        rest_of_world=None if rest is None else Rate(int(rest["first"]), int(rest["additional"])),
        free_above=None if free_above is None else Money(int(free_above), currency),
    )
    return ShippingTemplate(int(id), int(shop_id), spec)


def template_read(row: Sequence[Any]) -> ShippingTemplate:
    """A template read on the driver connection as TEMPLATE_COLUMNS (in that order). A row
    whose values are all hashable (SQLite gives the rates as JSON text) is parsed once:
    every checkout reads its shops' templates, and the same row gives the same template."""
    values = tuple(row)
    try:
        return _template_of_text(values)
    except TypeError:  # decoded JSON (PostgreSQL): lists and dicts
        return _template(*_decoded(values))


@lru_cache(maxsize=1024)
def _template_of_text(values: tuple[Any, ...]) -> ShippingTemplate:
    return _template(*_decoded(values))


def _decoded(values: tuple[Any, ...]) -> list[Any]:
    decoded = list(values)
    decoded[6], decoded[7] = json_of(decoded[6]), json_of(decoded[7])
    return decoded


async def create_shipping_template(
    db: Database, *, shop_id: int, spec: TemplateSpec, now: datetime
) -> int:
    """Add a template to the shop (validated first: nothing is written on bad input)."""
    clean = spec.checked()
    async with db.transaction() as session:
        count = await session.scalar(
            select(func.count()).where(ShippingTemplateRow.shop_id == shop_id)
        )
        if (count or 0) >= MAX_TEMPLATES_PER_SHOP:
            raise Conflict("At most 100 templates per shop.", code="too_many_templates")
        row = ShippingTemplateRow(
            shop_id=shop_id, created_at=now, updated_at=now, **_columns(clean)
        )
        session.add(row)
        try:
            await session.flush()
        except IntegrityError as exc:
            raise _name_taken() from exc
        return row.id


async def update_shipping_template(
    db: Database, *, shop_id: int, template_id: int, spec: TemplateSpec, now: datetime
) -> None:
    """Replace one of the shop's templates whole."""
    clean = spec.checked()
    async with db.transaction() as session:
        statement = (
            update(ShippingTemplateRow)
            .where(ShippingTemplateRow.id == template_id, ShippingTemplateRow.shop_id == shop_id)
            .values(updated_at=now, **_columns(clean))
            .returning(ShippingTemplateRow.id)
        )
        try:
            changed = (await session.execute(statement)).scalar_one_or_none()
        except IntegrityError as exc:
            raise _name_taken() from exc
        if changed is None:
            raise template_not_found()


async def delete_shipping_template(db: Database, *, shop_id: int, template_id: int) -> None:
    async with db.transaction() as session:
        result = await session.execute(
            delete(ShippingTemplateRow)
            .where(ShippingTemplateRow.id == template_id, ShippingTemplateRow.shop_id == shop_id)
            .returning(ShippingTemplateRow.id)
        )
        if result.scalar_one_or_none() is None:
            raise template_not_found()


async def shop_shipping_templates(session: AsyncSession, *, shop_id: int) -> list[ShippingTemplate]:
    """The shop's templates by name (one query): what the quote and the pages read."""
    rows = await session.scalars(
        select(ShippingTemplateRow)
        .where(ShippingTemplateRow.shop_id == shop_id)
        .order_by(ShippingTemplateRow.name, ShippingTemplateRow.id)
    )
    return [template_of(row) for row in rows]


async def shop_shipping_template(
    session: AsyncSession, *, shop_id: int, template_id: int
) -> ShippingTemplate:
    row = await session.scalar(
        select(ShippingTemplateRow).where(
            ShippingTemplateRow.id == template_id, ShippingTemplateRow.shop_id == shop_id
        )
    )
    if row is None:
        raise template_not_found()
    return template_of(row)


async def quote_shop_order(
    session: AsyncSession,
    *,
    shop_id: int,
    lines: Sequence[tuple[int, int | None]],
    goods_total: Money,
    destination: Destination,
) -> list[ShippingOption]:
    """The shop's shipping options for one order (its templates read in one query, then
    `quote_shop_shipping`); ShippingRefused when the shop does not ship there."""
    templates = await shop_shipping_templates(session, shop_id=shop_id)
    return quote_shop_shipping(templates, lines, goods_total, destination)
