"""What the seller centre's handlers share: the acting organisation, one's own application
(another organisation's is NotFound, like one that does not exist), money for display."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from babel.numbers import format_currency
from litestar import Request
from litestar.exceptions import PermissionDeniedException

from galerie.identity import Permission
from galerie.kernel import Money, NotFound
from galerie.sellers import ApplicationDetail, application_detail
from galerie.web.auth import acting_organisation, galerie_of
from galerie.web.i18n import catalog_dir_name, language_of
from galerie.web.rendering import current_principal


def acting_org(request: Request[Any, Any, Any]) -> int:
    organisation_id = acting_organisation(request)
    if organisation_id is None:  # pragma: no cover - the route's rule refused it first
        raise PermissionDeniedException("not a member of a seller organisation")
    return organisation_id


def may_manage(request: Request[Any, Any, Any]) -> bool:
    principal = current_principal(request)
    return principal.can(Permission.SELLER_CATALOG_MANAGE, organisation_id=acting_org(request))


async def own_application(
    request: Request[Any, Any, Any], application_id: int
) -> ApplicationDetail:
    """The application, if it belongs to the organisation the request acts for."""
    galerie = galerie_of(request)
    async with galerie.db.reading() as session:
        detail = await application_detail(
            session,
            actor=current_principal(request),
            application_id=application_id,
            now=galerie.clock.now(),
        )
    if detail.application.organisation_id != acting_org(request):
        raise NotFound("No such seller application.", code="seller_application_not_found")
    return detail


def money_text(request: Request[Any, Any, Any], minor: int, currency: str) -> str:
    """An amount in the page's language, with its currency (Babel)."""
    amount: Decimal = Money(minor, currency).to_decimal()
    locale = catalog_dir_name(language_of(request))
    return str(format_currency(amount, currency, locale=locale))
