"""The seller centre's finance pages for one shop: its balance (available, in escrow for
its orders, on the way to its bank, deposit) with its payouts and the form to request one;
its statement, filtered by period, and the same as CSV. Owners and managers of the shop's
organisation only (seller.finance.view); another organisation's shop is the same 404 as a
shop that does not exist. galerie.settlement decides; these handlers translate."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from litestar import Request, Response, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from galerie.identity import Permission
from galerie.kernel import DomainError, Money, NotFound
from galerie.settlement import (
    request_payout,
    shop_balance,
    shop_payouts,
    shop_statement,
    statement_csv,
)
from galerie.web.auth import galerie_of, requires
from galerie.web.rendering import audit_context, current_principal, render, see_other
from galerie.web.seller.common import money_text
from galerie.web.seller.finance_labels import (
    ACCOUNT_LABELS,
    FINANCE_MESSAGES,
    LINE_KIND_LABELS,
    PAYOUT_STATUS_LABELS,
    finance_message,
)
from galerie.web.seller.inventory import own_shop

FINANCE = requires(Permission.SELLER_FINANCE_VIEW)
BASE = "/seller/shops/{shop_id:int}/finance"


def _currency(request: Request[Any, Any, Any]) -> str:
    return galerie_of(request).settings.default_currency


def _day(value: str | None) -> datetime | None:
    try:
        return datetime.combine(date.fromisoformat(value or ""), time(), tzinfo=UTC)
    except ValueError:
        return None


def _period(day_from: str | None, day_to: str | None) -> tuple[datetime | None, datetime | None]:
    """[from's midnight, the day after `to`) in UTC; an unreadable day is no bound."""
    until = _day(day_to)
    return _day(day_from), until + timedelta(days=1) if until else None


async def _finance_page(
    request: Request[Any, Any, Any], shop_id: int, *, error: str | None = None,
    amount: str = "", status: int = 200,
) -> Template:  # fmt: skip
    shop = await own_shop(request, shop_id)
    db, currency = galerie_of(request).db, _currency(request)
    balance = await shop_balance(db, shop_id=shop_id, currency=currency)
    payouts = await shop_payouts(db, shop_id=shop_id)
    figures = {
        name: money_text(request, value.minor, value.currency)
        for name, value in (("available", balance.available), ("in_escrow", balance.in_escrow),
                            ("in_transit", balance.in_transit), ("deposit", balance.deposit),
                            ("fees_owed", balance.fees_owed))
    }  # fmt: skip
    amounts = {p.id: money_text(request, p.amount.minor, p.amount.currency) for p in payouts}
    return render(
        "seller/finance.html", status=status, shop=shop, figures=figures, payouts=payouts,
        amounts=amounts, status_labels=PAYOUT_STATUS_LABELS, error=error, amount=amount,
        token=secrets.token_hex(12), currency=currency, owes=balance.fees_owed.minor > 0,
    )  # fmt: skip


@get(BASE, opt=FINANCE, include_in_schema=False)
async def finance_page(request: Request[Any, Any, Any], shop_id: FromPath[int]) -> Template:
    return await _finance_page(request, shop_id)


@post(BASE + "/payouts", opt=FINANCE, include_in_schema=False, status_code=303)
async def ask_payout(
    request: Request[Any, Any, Any], shop_id: FromPath[int]
) -> Template | Redirect:
    await own_shop(request, shop_id)
    galerie = galerie_of(request)
    data = await request.form()
    raw = str(data.get("amount") or "").strip()[:20]
    token = "".join(c for c in str(data.get("token") or "") if c.isalnum())[:24] or None
    if galerie.payment_provider is None:
        raise NotFound("Payouts are not available.", code="not_found")
    try:
        await request_payout(
            galerie.db, galerie.payment_provider, shop_id=shop_id,
            amount=Money.parse(raw, _currency(request)), now=galerie.clock.now(), token=token,
            requested_by=current_principal(request).user_id, audit=audit_context(request),
        )  # fmt: skip
    except DomainError as error:
        if isinstance(error, NotFound):
            raise
        return await _finance_page(
            request, shop_id, error=finance_message(error), amount=raw, status=409
        )
    return see_other(f"/seller/shops/{shop_id}/finance")


@get(BASE + "/statement", opt=FINANCE, include_in_schema=False)
async def statement_page(
    request: Request[Any, Any, Any],
    shop_id: FromPath[int],
    day_from: FromQuery[str | None] = None,
    day_to: FromQuery[str | None] = None,
) -> Template:
    shop = await own_shop(request, shop_id)
    start, end = _period(day_from, day_to)
    error = None
    if start and end and end <= start:
        start, end, error = None, None, FINANCE_MESSAGES["bad_statement_period"]
    statement = await shop_statement(
        galerie_of(request).db, shop_id=shop_id, currency=_currency(request), start=start, end=end
    )

    def text(value: Money | None) -> str:
        return "" if value is None else money_text(request, value.minor, value.currency)

    return render(
        "seller/statement.html", shop=shop, statement=statement, text=text, error=error,
        query={"day_from": day_from or "", "day_to": day_to or ""},
        kind_labels=LINE_KIND_LABELS, account_labels=ACCOUNT_LABELS,
    )  # fmt: skip


@get(BASE + "/statement.csv", opt=FINANCE, include_in_schema=False)
async def statement_download(
    request: Request[Any, Any, Any],
    shop_id: FromPath[int],
    day_from: FromQuery[str | None] = None,
    day_to: FromQuery[str | None] = None,
) -> Response[str]:
    await own_shop(request, shop_id)
    start, end = _period(day_from, day_to)
    if start and end and end <= start:
        start, end = None, None
    statement = await shop_statement(
        galerie_of(request).db, shop_id=shop_id, currency=_currency(request), start=start, end=end
    )
    name = f"statement-shop-{shop_id}.csv"
    return Response(
        statement_csv(statement), media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )  # fmt: skip


FINANCE_PAGES = [finance_page, ask_payout, statement_page, statement_download]
