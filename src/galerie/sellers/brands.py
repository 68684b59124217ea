"""The brand registry: brands with their owner and trademarks, and the authorisation chain
owner -> licensee (-> one sub-licensee). Sellers register what they bring; operators verify
it against the documents during vetting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.audit import AuditContext, record_audit
from galerie.db import Database
from galerie.db.outbox import record_event
from galerie.identity import Principal
from galerie.kernel import Conflict, NotFound, ValidationFailed
from galerie.sellers.access import guard, visible_or_not_found
from galerie.sellers.events import BrandAuthorisationRecorded, BrandRegistered
from galerie.sellers.fees import FILED, REGISTERED
from galerie.sellers.models import Brand, BrandAuthorisation, Trademark
from galerie.sellers.states import APPLICANT
from galerie.sellers.validation import date_range, text


@dataclass(frozen=True, slots=True)
class TrademarkForm:
    number: str
    kind: str  # "R" registered, "TM" filed
    owner_name: str
    filed_on: date
    valid_until: date | None
    country: str

    def row(self) -> Trademark:
        if self.kind not in (REGISTERED, FILED):
            raise ValidationFailed(
                'A mark is "R" or "TM".', field="kind", code="bad_trademark_kind"
            )
        if self.valid_until is not None:
            date_range(self.filed_on, self.valid_until, field="valid_until")
        country = self.country.strip().upper()
        if len(country) != 2 or not country.isascii() or not country.isalpha():
            raise ValidationFailed(
                "Use the two-letter country code.", field="country", code="bad_country"
            )
        return Trademark(
            number=text(self.number, field="number", max_length=60),
            kind=self.kind,
            owner_name=text(self.owner_name, field="owner_name", max_length=200),
            filed_on=self.filed_on,
            valid_until=self.valid_until,
            country=country,
        )


async def register_brand(
    db: Database,
    *,
    actor: Principal,
    organisation_id: int,
    name: str,
    owned: bool,
    trademarks: tuple[TrademarkForm, ...],
    now: datetime,
    audit: AuditContext,
) -> int:
    """Register a brand on behalf of `organisation_id` (its owner when `owned`)."""
    visible_or_not_found(actor, organisation_id, "organisation")
    action = "sellers.brand.register"
    context = await guard(
        db,
        actor=actor,
        permission=APPLICANT,
        organisation_id=organisation_id,
        audit=audit,
        action=action,
        now=now,
        target=("seller_organisation", organisation_id),
    )
    label = text(name, field="name", max_length=120)
    marks = [t.row() for t in trademarks]
    owner = organisation_id if owned else None
    async with db.transaction() as session:
        brand = Brand(name=label, owner_organisation_id=owner, created_at=now)
        session.add(brand)
        await _flush(
            session, "A brand or trademark with this name or number exists.", "brand_exists"
        )
        for mark in marks:
            mark.brand_id = brand.id
        session.add_all(marks)
        await _flush(session, "This trademark number is already registered.", "trademark_exists")
        record_audit(
            session,
            context=context,
            action=action,
            now=now,
            target_type="brand",
            target_id=brand.id,
            details={"organisation_id": organisation_id, "owned": owned},
        )
        record_event(
            session,
            BrandRegistered(brand_id=brand.id, brand_name=label, owner_organisation_id=owner),
            now=now,
        )
        return brand.id


async def _flush(session: AsyncSession, message: str, code: str) -> None:
    try:
        await session.flush()
    except IntegrityError as exc:
        raise Conflict(message, code=code) from exc


@dataclass(frozen=True, slots=True)
class AuthorisationForm:
    brand_id: int
    licensor_organisation_id: int | None  # None: the brand's owner, outside the platform
    exclusive: bool
    valid_from: date
    valid_to: date
    parent_authorisation_id: int | None = None


async def record_brand_authorisation(
    db: Database,
    *,
    actor: Principal,
    organisation_id: int,
    form: AuthorisationForm,
    now: datetime,
    audit: AuditContext,
) -> int:
    """Record the licence `organisation_id` holds for a brand (from its letter). A
    sub-licence names its parent, which must be the licensor's own licence of the same
    brand and not itself a sub-licence, and cannot outlast it."""
    visible_or_not_found(actor, organisation_id, "organisation")
    action = "sellers.brand_authorisation.record"
    context = await guard(
        db,
        actor=actor,
        permission=APPLICANT,
        organisation_id=organisation_id,
        audit=audit,
        action=action,
        now=now,
        target=("seller_organisation", organisation_id),
    )
    date_range(form.valid_from, form.valid_to, field="valid_to")
    async with db.transaction() as session:
        brand = await session.get(Brand, form.brand_id)
        if brand is None:
            raise NotFound("No such brand.", code="brand_not_found")
        if form.parent_authorisation_id is not None:
            await _check_parent(session, form)
        row = BrandAuthorisation(organisation_id=organisation_id, created_at=now, **_values(form))
        session.add(row)
        await session.flush()
        record_audit(
            session,
            context=context,
            action=action,
            now=now,
            target_type="brand_authorisation",
            target_id=row.id,
            details={"organisation_id": organisation_id, "brand_id": form.brand_id},
        )
        record_event(
            session,
            BrandAuthorisationRecorded(
                authorisation_id=row.id,
                brand_id=form.brand_id,
                organisation_id=organisation_id,
                valid_to=form.valid_to.isoformat(),
            ),
            now=now,
        )
        return row.id


def _values(form: AuthorisationForm) -> dict[str, object]:
    return {
        "brand_id": form.brand_id,
        "licensor_organisation_id": form.licensor_organisation_id,
        "exclusive": form.exclusive,
        "valid_from": form.valid_from,
        "valid_to": form.valid_to,
        "parent_authorisation_id": form.parent_authorisation_id,
    }


async def _check_parent(session: AsyncSession, form: AuthorisationForm) -> None:
    parent = await session.get(BrandAuthorisation, form.parent_authorisation_id)
    if (
        parent is None
        or parent.brand_id != form.brand_id
        or parent.organisation_id != form.licensor_organisation_id
    ):
        raise ValidationFailed(
            "The parent licence is not the licensor's licence of this brand.",
            field="parent_authorisation_id",
            code="bad_parent_authorisation",
        )
    if parent.parent_authorisation_id is not None:
        raise ValidationFailed(
            "Only one level of sub-licensing is allowed.",
            field="parent_authorisation_id",
            code="sublicence_too_deep",
        )
    if form.valid_to > parent.valid_to or form.valid_from < parent.valid_from:
        raise ValidationFailed(
            "A sub-licence cannot outlast its parent.",
            field="valid_to",
            code="sublicence_outlasts_parent",
        )
