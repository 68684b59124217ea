"""The console's payout runs (finance operators): the latest runs with their key, status,
number of payouts and total. Reads only; runs are made by the worker's timer or
`galerie payout-run`."""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.response import Template

from galerie.identity import Permission
from galerie.settlement import payout_runs
from galerie.web.auth import galerie_of, requires
from galerie.web.rendering import render
from galerie.web.seller.common import money_text

FINANCE = requires(Permission.CONSOLE_FINANCE)


@get("/console/payout-runs", opt=FINANCE, include_in_schema=False)
async def payout_runs_page(request: Request[Any, Any, Any]) -> Template:
    runs = await payout_runs(galerie_of(request).db)
    totals = {r.id: money_text(request, r.total.minor, r.total.currency) for r in runs}
    return render("console/payout_runs.html", runs=runs, totals=totals)


CONSOLE_PAYOUT_PAGES = [payout_runs_page]
