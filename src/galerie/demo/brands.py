"""The demo's brands, trademarks ("R" registered, "TM" filed) and the authorisation chain:
licences from brand owners outside the platform, from organisations on it, one exclusive
licence and one sub-licence under it. Registered as the sellers would, through the services."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from galerie.audit import AuditContext
from galerie.db import Database
from galerie.demo.accounts import BRIGHT_STAR, KIDDO, LINDQVIST, LUMIERE, NORDHAVN, OLIVE, PANDA
from galerie.demo.accounts import SABOTS as SABOTS_ORG
from galerie.identity import Principal
from galerie.sellers import (
    AuthorisationForm,
    TrademarkForm,
    record_brand_authorisation,
    register_brand,
)
from galerie.storage import FileStorage

NORDHAVN_BRAND, SABOTS, LINDQVIST_BRAND, AURORA = "Nordhavn", "Sabots", "Lindqvist", "Aurora Toys"
KERAMIK, TINY_TIN, BRIGHT, OLIVE_BRAND = "Keramik Lund", "Tiny Tin", "Bright Star", "Olive & Thyme"
LUMIERE_BRAND = "Lumière Paris"


@dataclass(frozen=True, slots=True)
class Mark:
    number: str
    kind: str  # "R" or "TM"
    owner_name: str
    country: str
    years_ago: int  # filed that many years before today
    years_valid: int | None = 10  # None: no end date yet (a filing)


@dataclass(frozen=True, slots=True)
class BrandPlan:
    name: str
    registered_by: str  # the organisation that brings it to the platform
    owned: bool
    marks: tuple[Mark, ...]


@dataclass(frozen=True, slots=True)
class LicencePlan:
    key: str
    brand: str
    licensee: str
    licensor: str | None  # None: the brand's owner, outside the platform
    exclusive: bool
    days: tuple[int, int] = (-600, 900)  # valid from / to, in days from today
    parent: str | None = None


BRANDS = (
    BrandPlan(NORDHAVN_BRAND, NORDHAVN, True, (
        Mark("VR 2009 01234", "R", "Nordhavn Foods A/S", "DK", 17),
        Mark("CN 16420931", "R", "Nordhavn Foods A/S", "CN", 9),
    )),
    BrandPlan(SABOTS, SABOTS_ORG, True, (Mark("FR 4512778", "R", "Atelier des Sabots", "FR", 8),)),
    BrandPlan(LINDQVIST_BRAND, LINDQVIST, True, (
        Mark("SE 2025-04417", "TM", "Lindqvist Kitchenware AB", "SE", 1, None),
    )),
    BrandPlan(AURORA, KIDDO, False, (Mark("EU 017893452", "R", "Aurora Leksaker AB", "SE", 6),)),
    BrandPlan(KERAMIK, PANDA, False, (Mark("DK VR 2015 00871", "R", "Keramik Lund ApS", "DK", 11),)),
    BrandPlan(TINY_TIN, KIDDO, False, (Mark("DE 302019104455", "R", "Tiny Tin Spielwaren GmbH", "DE", 7),)),
    BrandPlan(BRIGHT, BRIGHT_STAR, True, (Mark("CN 58120044", "TM", "深圳明星电子有限公司", "CN", 1, None),)),
    BrandPlan(OLIVE_BRAND, OLIVE, True, (Mark("UK 00003512209", "R", "Olive & Thyme Ltd", "GB", 5),)),
    BrandPlan(LUMIERE_BRAND, LUMIERE, True, (Mark("FR 5021347", "TM", "Boutique Lumière SAS", "FR", 1, None),)),
)  # fmt: skip

LICENCES = (
    LicencePlan("kiddo-aurora", AURORA, KIDDO, None, True, (-700, 1400)),
    LicencePlan("panda-aurora", AURORA, PANDA, KIDDO, False, (-500, 800), parent="kiddo-aurora"),
    LicencePlan("panda-lindqvist", LINDQVIST_BRAND, PANDA, LINDQVIST, False),
    LicencePlan("panda-keramik", KERAMIK, PANDA, None, False),
    LicencePlan("lumiere-sabots", SABOTS, LUMIERE, SABOTS_ORG, False),
    LicencePlan("kiddo-tiny-tin", TINY_TIN, KIDDO, None, False),
    LicencePlan("lindqvist-keramik", KERAMIK, LINDQVIST, None, False, (-40, 730)),
    LicencePlan("bright-star-aurora", AURORA, BRIGHT_STAR, None, False, (-60, 700)),
)


@dataclass
class Cast:
    """Who is who in the demo, and what has been made so far."""

    db: Database
    storage: FileStorage
    now: datetime
    principals: dict[str, Principal]  # by e-mail
    organisations: dict[str, int]  # by name
    owners: dict[str, str]  # organisation name -> owner's e-mail
    brands: dict[str, int] = field(default_factory=dict)
    licences: dict[str, int] = field(default_factory=dict)

    @property
    def today(self) -> date:
        return self.now.date()

    def owner(self, organisation: str) -> Principal:
        return self.principals[self.owners[organisation]]

    def operator(self, role: str) -> Principal:
        return self.principals[f"{role}@galerie.test"]

    def audit(self, actor: Principal) -> AuditContext:
        return AuditContext(actor_user_id=actor.user_id, extra={"source": "demo seed"})


def _trademark(mark: Mark, today: date) -> TrademarkForm:
    filed = today.replace(month=1, day=15) - timedelta(days=365 * mark.years_ago)
    until = None if mark.years_valid is None else filed + timedelta(days=365 * mark.years_valid)
    return TrademarkForm(mark.number, mark.kind, mark.owner_name, filed, until, mark.country)


async def seed_brands(cast: Cast, *, at: datetime) -> None:
    """Register every brand, then record every licence (parents before sub-licences)."""
    for plan in BRANDS:
        actor = cast.owner(plan.registered_by)
        cast.brands[plan.name] = await register_brand(
            cast.db,
            actor=actor,
            organisation_id=cast.organisations[plan.registered_by],
            name=plan.name,
            owned=plan.owned,
            trademarks=tuple(_trademark(mark, cast.today) for mark in plan.marks),
            now=at,
            audit=cast.audit(actor),
        )
    for licence in LICENCES:
        actor = cast.owner(licence.licensee)
        form = AuthorisationForm(
            brand_id=cast.brands[licence.brand],
            licensor_organisation_id=(
                None if licence.licensor is None else cast.organisations[licence.licensor]
            ),
            exclusive=licence.exclusive,
            valid_from=cast.today + timedelta(days=licence.days[0]),
            valid_to=cast.today + timedelta(days=licence.days[1]),
            parent_authorisation_id=(
                None if licence.parent is None else cast.licences[licence.parent]
            ),
        )
        cast.licences[licence.key] = await record_brand_authorisation(
            cast.db,
            actor=actor,
            organisation_id=cast.organisations[licence.licensee],
            form=form,
            now=at,
            audit=cast.audit(actor),
        )
