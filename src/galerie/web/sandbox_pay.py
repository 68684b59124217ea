"""The sandbox provider's hosted payment page, at /sandbox/pay/{session}: what a shopper
sees on a real provider's site, reduced to the amount and three buttons (Pay, Fail,
Abandon). The session token in the URL is the capability (no sign-in: the provider knows
nothing of our accounts); the buttons are CSRF-protected forms like every other page.

It answers only when the sandbox is the configured provider (GALERIE_PAYMENT_PROVIDER);
otherwise every path is a 404. Handlers translate; galerie.payments.sandbox decides."""

from __future__ import annotations

from typing import Any, Final

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from galerie.kernel import NotFound, ValidationFailed
from galerie.payments.sandbox import (
    NAME,
    HostedAction,
    HostedSession,
    SessionStatus,
    complete_session,
    hosted_session,
)
from galerie.web.auth import galerie_of, public
from galerie.web.i18n import N_
from galerie.web.rendering import render
from galerie.web.seller.common import money_text

NO_STORE: Final = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
STATUS_LABELS: Final = {
    SessionStatus.OPEN: N_("Waiting for payment"),
    SessionStatus.SUCCEEDED: N_("Paid"),
    SessionStatus.FAILED: N_("Payment failed"),
    SessionStatus.ABANDONED: N_("Payment abandoned"),
}


def _sandbox_only(request: Request[Any, Any, Any]) -> None:
    if galerie_of(request).settings.payment_provider != NAME:
        raise NotFound("Not found.", code="not_found")


def _page(request: Request[Any, Any, Any], hosted: HostedSession, status: int = 200) -> Template:
    now = galerie_of(request).clock.now()
    return render(
        "sandbox/pay.html", status=status, headers=NO_STORE, hosted=hosted,
        is_open=hosted.is_open(now), expired=hosted.status is SessionStatus.OPEN
        and not hosted.is_open(now), status_label=STATUS_LABELS[hosted.status],
        amount=money_text(request, hosted.amount.minor, hosted.amount.currency),
    )  # fmt: skip


class SandboxPaymentPage(Controller):
    path = "/sandbox/pay"
    include_in_schema = False

    @get("/{session_token:str}", opt=public())
    async def show(self, request: Request[Any, Any, Any], session_token: FromPath[str]) -> Template:
        _sandbox_only(request)
        hosted = await hosted_session(galerie_of(request).db, session_token=session_token)
        return _page(request, hosted)

    @post("/{session_token:str}", opt=public(), status_code=303)
    async def press(
        self, request: Request[Any, Any, Any], session_token: FromPath[str]
    ) -> Redirect:
        _sandbox_only(request)
        value = (await request.form()).get("action")
        try:
            action = HostedAction(value if isinstance(value, str) else "")
        except ValueError as exc:
            raise ValidationFailed("Choose pay, fail or abandon.", code="bad_action") from exc
        galerie = galerie_of(request)
        hosted = await complete_session(
            galerie.db, session_token=session_token, action=action, now=galerie.clock.now()
        )
        return Redirect(hosted.next_url, status_code=303)
