"""Bulk shipping from a CSV file: one row per parcel (order number, carrier, tracking
number[, warehouse id]), each row shipping everything the order has left (from that
warehouse when given) in its own transaction. A bad row does not stop the others; the
report is row-numbered like the imports' error reports (row 1 is the header). A row whose
carrier and tracking number already belong to a parcel of that order is reported as
already shipped, so uploading the same file again ships nothing twice."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Final

from sqlalchemy import select

from galerie.db import Database
from galerie.fulfilment.models import Parcel
from galerie.fulfilment.parcels import DEFAULT_CARRIERS, Carriers, ship_parcel
from galerie.fulfilment.rules import carrier_of, tracking_number_of
from galerie.kernel import DomainError, ValidationFailed
from galerie.orders import Actor
from galerie.orders.models import Order

MAX_BYTES: Final = 1_000_000
MAX_ROWS: Final = 2_000
COLUMNS: Final = ("order_number", "carrier", "tracking_number")


class Outcome(StrEnum):
    SHIPPED = "shipped"
    ALREADY_SHIPPED = "already_shipped"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class RowResult:
    row: int
    order_number: str
    outcome: Outcome
    code: str | None = None
    message: str | None = None


@dataclass(frozen=True, slots=True)
class BulkReport:
    rows: list[RowResult]

    def count(self, outcome: Outcome) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)


def read_rows(content: bytes) -> list[dict[str, str]]:
    """The CSV's rows as dicts keyed by the header. Raises ValidationFailed (too big, not
    UTF-8, a required column missing, too many rows)."""
    if len(content) > MAX_BYTES:
        raise ValidationFailed("The file is too large.", field="file", code="file_too_large")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed(
            "The file is not UTF-8 text.", field="file", code="bad_file"
        ) from exc
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    if any(column not in header for column in COLUMNS):
        raise ValidationFailed(
            "The header needs order_number, carrier and tracking_number.",
            field="file",
            code="missing_columns",
        )
    reader.fieldnames = header
    rows = [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]
    if len(rows) > MAX_ROWS:
        raise ValidationFailed("Too many rows.", field="file", code="too_many_rows")
    return rows


def _warehouse(value: str) -> int | None:
    if not value:
        return None
    if not value.isdigit():
        raise ValidationFailed(
            "A warehouse is its number.", field="warehouse", code="bad_warehouse"
        )
    return int(value)


async def _order_id(db: Database, shop_id: int, number: str) -> int | None:
    async with db.reading() as session:
        found: int | None = await session.scalar(
            select(Order.id).where(Order.number == number, Order.shop_id == shop_id)
        )
        return found


async def _already(db: Database, order_id: int, carrier: str, tracking: str) -> bool:
    async with db.reading() as session:
        found = await session.scalar(
            select(Parcel.id).where(
                Parcel.order_id == order_id,
                Parcel.carrier == carrier,
                Parcel.tracking_number == tracking,
            )
        )
        return found is not None


async def _ship_row(
    db: Database, row: dict[str, str], actor: Actor, carriers: Carriers, now: datetime
) -> Outcome:
    assert actor.shop_id is not None
    carrier = carrier_of(row.get("carrier"))
    tracking = tracking_number_of(row.get("tracking_number"))
    warehouse_id = _warehouse(row.get("warehouse", ""))
    order_id = await _order_id(db, actor.shop_id, row.get("order_number", ""))
    if order_id is None:
        raise ValidationFailed("No such order in this shop.", code="order_not_found")
    if await _already(db, order_id, carrier, tracking):
        return Outcome.ALREADY_SHIPPED
    await ship_parcel(
        db,
        order_id=order_id,
        actor=actor,
        carrier=carrier,
        tracking_number=tracking,
        warehouse_id=warehouse_id,
        now=now,
        carriers=carriers,
    )
    return Outcome.SHIPPED


async def bulk_ship(
    db: Database,
    *,
    actor: Actor,
    content: bytes,
    now: datetime,
    carriers: Carriers = DEFAULT_CARRIERS,
) -> BulkReport:
    """Ship every row of the CSV for the actor's shop (a seller actor). Raises
    ValidationFailed for a file that cannot be read at all; row refusals go in the report."""
    results = []
    for index, row in enumerate(read_rows(content), start=2):
        number = row.get("order_number", "")[:24]
        try:
            outcome = await _ship_row(db, row, actor, carriers, now)
        except DomainError as exc:
            results.append(RowResult(index, number, Outcome.ERROR, exc.code, exc.message))
            continue
        results.append(RowResult(index, number, outcome))
    return BulkReport(results)
