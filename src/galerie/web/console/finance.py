"""The console's finance view (operators with the finance role): money in escrow, owed to
sellers and held as deposits now; captured, commission earned and paid out over a range of
days (30 by default, at most MAX_DAYS), per day and per shop, with server-drawn charts and
the same figures in tables (galerie.payments.finance reads them from the ledger)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from litestar import Request, get
from litestar.params import FromQuery
from litestar.response import Template

from galerie.identity import Permission
from galerie.payments import finance_overview
from galerie.web.auth import galerie_of, requires
from galerie.web.console import finance_charts
from galerie.web.i18n import N_
from galerie.web.rendering import render
from galerie.web.seller.common import money_text

FINANCE = requires(Permission.CONSOLE_FINANCE)
DEFAULT_DAYS = 30
MAX_DAYS = 366
BAD_DATE = N_("Give the dates as YYYY-MM-DD.")
BAD_RANGE = N_("The range runs forward and covers at most 366 days.")


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip()) if len(text) == 10 else None
    except ValueError:
        return None


def date_range(start: str, end: str, today: date) -> tuple[date, date] | str:
    """The days asked for (blank: the last DEFAULT_DAYS to today), or the error's msgid."""
    last = _date(end) if end.strip() else today
    first = _date(start) if start.strip() else (last or today) - timedelta(DEFAULT_DAYS - 1)
    if first is None or last is None:
        return BAD_DATE
    if not 0 <= (last - first).days < MAX_DAYS:
        return BAD_RANGE
    return first, last


@get("/console/finance", opt=FINANCE, include_in_schema=False)
async def finance_page(
    request: Request[Any, Any, Any], start: FromQuery[str] = "", end: FromQuery[str] = ""
) -> Template:
    galerie = galerie_of(request)
    currency = galerie.settings.default_currency
    span = date_range(start[:20], end[:20], galerie.clock.now().date())
    if isinstance(span, str):
        return render(
            "console/finance.html", status=400, error=span, overview=None,
            start=start[:20], end=end[:20],
        )  # fmt: skip
    overview = await finance_overview(galerie.db, currency=currency, start=span[0], end=span[1])

    def money(minor: int) -> str:
        return money_text(request, minor, currency)

    points = {
        "captured": [(d.day.isoformat(), d.captured) for d in overview.days],
        "commission": [(d.day.isoformat(), d.commission) for d in overview.days],
        "escrow": [(s.name, s.in_escrow) for s in overview.shops],
    }
    return render(
        "console/finance.html", error=None, overview=overview, money=money,
        charts=finance_charts, points=points, start=span[0].isoformat(),
        end=span[1].isoformat(),
    )  # fmt: skip


CONSOLE_FINANCE_PAGES = [finance_page]
