"""The payment provider's webhooks: POST /webhooks/payments/{provider}. Public (the
provider calls it), outside sessions and CSRF: the signature over the raw body is the
authentication. A missing, forged or stale signature is 400 and changes nothing; a valid
event is applied once (galerie.payments.apply_provider_event) and answered 200 with its
outcome, so the provider stops retrying; a duplicate is 200 `duplicate`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from litestar import Request, post
from litestar.params import FromPath

from galerie.db import Database
from galerie.kernel import Conflict, NotFound
from galerie.payments import ProviderEvent, apply_provider_event
from galerie.settlement import apply_payout_event
from galerie.web.auth import galerie_of, public


@post("/webhooks/payments/{provider_name:str}", opt=public(), include_in_schema=False,
      status_code=200)  # fmt: skip
async def payment_webhook(
    request: Request[Any, Any, Any], provider_name: FromPath[str]
) -> dict[str, str]:
    galerie = galerie_of(request)
    provider = galerie.payment_provider
    if provider is None or provider.name != provider_name:
        raise NotFound("Not found.", code="not_found")
    now = galerie.clock.now()
    event = provider.verify_webhook(await request.body(), dict(request.headers), now=now)
    payout = await _settle_payout(galerie.db, event, now)  # settlement (issue 6)
    outcome = await apply_provider_event(galerie.db, provider=provider.name, event=event, now=now)
    return {"outcome": payout if payout is not None and outcome != "duplicate" else outcome}


async def _settle_payout(db: Database, event: ProviderEvent, now: datetime) -> str | None:
    """A payout event confirms our payout (galerie.settlement.apply_payout_event, once).
    One we do not know yet (its provider id not stored: the webhook overtook the provider's
    answer) is a 409, so the provider delivers it again later; None for other events."""
    outcome = await apply_payout_event(db, event=event, now=now)
    if outcome == "unknown":
        raise Conflict("This payout is not known yet.", code="payout_not_known_yet")
    return outcome
