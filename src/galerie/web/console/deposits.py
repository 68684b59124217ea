"""Deposits in the console (CONSOLE_FINANCE): one shop's deposit with its movements and
deductions, the form to deduct (with a reason; above GALERIE_DEPOSIT_DEDUCTION_APPROVAL_MINOR
it waits for a second operator), and the deductions awaiting approval, each approved or
rejected by an operator who did not propose it. Handlers translate; galerie.deposits decides."""

from __future__ import annotations

from typing import Any, Final

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from galerie.deposits import (
    DeductionNotFound,
    DeductionPurpose,
    approve_deduction,
    deposit_overview,
    find_deduction,
    pending_deductions,
    propose_deduction,
    reject_deduction,
)
from galerie.identity import Permission
from galerie.kernel import Conflict, DomainError, Forbidden, Money, ValidationFailed
from galerie.web.auth import galerie_of, requires
from galerie.web.console.labels import CONSOLE_LABELS
from galerie.web.console.shops import amount
from galerie.web.errors import status_for
from galerie.web.forms import BoundForm, Field, Form, read_form
from galerie.web.rendering import audit_context, current_principal, render, see_other
from galerie.web.seller.deposit_labels import DEPOSIT_LABELS, deposit_message

FINANCE = requires(Permission.CONSOLE_FINANCE)
PURPOSES: Final = tuple(p.value for p in DeductionPurpose)
DEDUCTION_FORM: Final = Form(
    (
        Field("amount", max_length=20),
        Field("purpose", max_length=20, choices=PURPOSES),
        Field("reason", max_length=2000),
    )
)
REJECT_FORM: Final = Form((Field("note", max_length=2000),))


async def _page(
    request: Request[Any, Any, Any], shop_id: int, *, form: BoundForm | None = None,
    error: str | None = None, status: int = 200, done: str = "",
) -> Template:  # fmt: skip
    galerie = galerie_of(request)
    async with galerie.db.reading() as session:
        overview = await deposit_overview(session, shop_id=shop_id)
    return render(
        "console/deposit.html",
        status=status,
        deposit=overview,
        form=form or DEDUCTION_FORM.empty(),
        error=error,
        done=(done in {"proposed", "executed", "approved", "rejected"} and done) or "",
        me=current_principal(request).user_id,
        threshold=amount(
            galerie.settings.deposit_deduction_approval_minor, overview.required.currency
        ),
        console_labels=CONSOLE_LABELS,
        deposit_labels=DEPOSIT_LABELS,
        amount=amount,
    )


@get("/console/shops/{shop_id:int}/deposit", opt=FINANCE, include_in_schema=False)
async def deposit_page(request: Request[Any, Any, Any], shop_id: FromPath[int]) -> Template:
    return await _page(request, shop_id, done=request.query_params.get("done", ""))


@post("/console/shops/{shop_id:int}/deposit/deductions", opt=FINANCE, include_in_schema=False)
async def deduct(request: Request[Any, Any, Any], shop_id: FromPath[int]) -> Template | Redirect:
    form = await read_form(request, DEDUCTION_FORM)
    if not form.valid:
        return await _page(request, shop_id, form=form, status=422)
    galerie = galerie_of(request)
    try:
        async with galerie.db.reading() as session:
            currency = (await deposit_overview(session, shop_id=shop_id)).required.currency
        outcome = await propose_deduction(
            galerie.db, actor=current_principal(request), shop_id=shop_id,
            amount_minor=Money.parse(form["amount"], currency).minor,
            purpose=DeductionPurpose(form["purpose"]), reason=form["reason"],
            approval_threshold_minor=galerie.settings.deposit_deduction_approval_minor,
            now=galerie.clock.now(), audit=audit_context(request),
        )  # fmt: skip
    except (Conflict, ValidationFailed) as error:
        form.add_error(getattr(error, "field", None) or "form", deposit_message(error))
        return await _page(request, shop_id, form=form, status=status_for(error))
    done = "executed" if outcome.status == "executed" else "proposed"
    return see_other(f"/console/shops/{shop_id}/deposit?done={done}")


async def _decided(
    request: Request[Any, Any, Any], deduction_id: int, shop_id: int, approve: bool
) -> Template | Redirect:
    galerie = galerie_of(request)
    try:
        if approve:
            await approve_deduction(
                galerie.db, actor=current_principal(request), deduction_id=deduction_id,
                now=galerie.clock.now(), audit=audit_context(request),
            )  # fmt: skip
        else:
            form = await read_form(request, REJECT_FORM)
            await reject_deduction(
                galerie.db, actor=current_principal(request), deduction_id=deduction_id,
                note=form["note"], now=galerie.clock.now(), audit=audit_context(request),
            )  # fmt: skip
    except (Conflict, ValidationFailed, Forbidden) as error:
        return await _refused(request, shop_id, error)
    done = "approved" if approve else "rejected"
    return see_other(f"/console/shops/{shop_id}/deposit?done={done}")


async def _refused(request: Request[Any, Any, Any], shop_id: int, error: DomainError) -> Template:
    return await _page(request, shop_id, error=deposit_message(error), status=status_for(error))


async def _shop_of(request: Request[Any, Any, Any], deduction_id: int) -> int:
    async with galerie_of(request).db.reading() as session:
        found = await find_deduction(session, deduction_id=deduction_id)
    if found is None:
        raise DeductionNotFound()
    return found.shop_id


@post("/console/deposit-deductions/{deduction_id:int}/approve", opt=FINANCE,
      include_in_schema=False)  # fmt: skip
async def approve(
    request: Request[Any, Any, Any], deduction_id: FromPath[int]
) -> Template | Redirect:
    return await _decided(request, deduction_id, await _shop_of(request, deduction_id), True)


@post("/console/deposit-deductions/{deduction_id:int}/reject", opt=FINANCE,
      include_in_schema=False)  # fmt: skip
async def reject(
    request: Request[Any, Any, Any], deduction_id: FromPath[int]
) -> Template | Redirect:
    return await _decided(request, deduction_id, await _shop_of(request, deduction_id), False)


@get("/console/deposit-deductions", opt=FINANCE, include_in_schema=False)
async def pending_page(request: Request[Any, Any, Any]) -> Template:
    async with galerie_of(request).db.reading() as session:
        pending = await pending_deductions(session)
    return render(
        "console/deposit_deductions.html", pending=pending, me=current_principal(request).user_id,
        deposit_labels=DEPOSIT_LABELS, amount=amount,
    )  # fmt: skip


CONSOLE_DEPOSIT_PAGES = [deposit_page, deduct, approve, reject, pending_page]
