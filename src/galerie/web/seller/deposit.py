"""The seller centre's deposit page of a shop: required, held, shortfall, the top-up
deadline or the restriction, a button to pay the shortfall on the provider's hosted page
(galerie.payments.start_deposit_payment), and the history of deposit movements (the
ledger's statement of the shop's deposits held account) and deductions."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from galerie.deposits import DepositOverview, deposit_overview
from galerie.identity import Permission
from galerie.kernel import Conflict, NotFound
from galerie.payments import start_deposit_payment
from galerie.web.auth import galerie_of, requires
from galerie.web.rendering import audit_context, current_principal, render
from galerie.web.seller.common import acting_org, may_manage, money_text
from galerie.web.seller.deposit_labels import DEPOSIT_LABELS, deposit_message
from galerie.web.seller.labels import LABELS

VIEW = requires(Permission.SELLER_CENTRE_VIEW)
MANAGE = requires(Permission.SELLER_CATALOG_MANAGE)


async def _overview(request: Request[Any, Any, Any], shop_id: int) -> DepositOverview:
    """The deposit of one of the acting organisation's shops (another's is NotFound)."""
    async with galerie_of(request).db.reading() as session:
        overview = await deposit_overview(session, shop_id=shop_id)
    if overview.organisation_id != acting_org(request):
        raise NotFound("No such shop.", code="shop_not_found")
    return overview


async def _page(
    request: Request[Any, Any, Any], shop_id: int, *, error: str | None = None, status: int = 200
) -> Template:
    overview = await _overview(request, shop_id)
    galerie = galerie_of(request)

    def money(minor: int, currency: str) -> str:
        return money_text(request, minor, currency)

    return render(
        "seller/deposit.html",
        status=status,
        seller_labels=LABELS,
        deposit_labels=DEPOSIT_LABELS,
        deposit=overview,
        money=money,
        can_pay=may_manage(request) and galerie.payment_provider is not None,
        returned=request.query_params.get("payment", ""),
        error=error,
    )


@get("/seller/shops/{shop_id:int}/deposit", opt=VIEW, include_in_schema=False)
async def deposit_page(request: Request[Any, Any, Any], shop_id: FromPath[int]) -> Template:
    return await _page(request, shop_id)


@post("/seller/shops/{shop_id:int}/deposit/pay", opt=MANAGE, include_in_schema=False,
      status_code=303)  # fmt: skip
async def pay_deposit(
    request: Request[Any, Any, Any], shop_id: FromPath[int]
) -> Template | Redirect:
    """Send the seller to the provider's hosted page for the shop's shortfall."""
    await _overview(request, shop_id)
    galerie = galerie_of(request)
    provider = galerie.payment_provider
    if provider is None:
        raise NotFound("Not found.", code="not_found")
    back = f"{galerie.settings.base_url.rstrip('/')}/seller/shops/{shop_id}/deposit"
    try:
        started = await start_deposit_payment(
            galerie.db, provider, actor=current_principal(request), shop_id=shop_id,
            return_url=f"{back}?payment=returned", cancel_url=f"{back}?payment=cancelled",
            now=galerie.clock.now(), audit=audit_context(request),
        )  # fmt: skip
    except Conflict as error:
        return await _page(request, shop_id, error=deposit_message(error), status=409)
    return Redirect(started.hosted_url, status_code=303)


SELLER_DEPOSIT_PAGES = [deposit_page, pay_deposit]
