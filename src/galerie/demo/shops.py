"""The demo's applications and shops: a dozen shops of every type in every state, the
foreign retailer's flagship approved and `preparing`, and applications waiting in each state
of the operator's queue. Each goes through the sellers services with the `now` it happened
at, so the queue shows its ageing and the history reads like a real one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from galerie.demo.accounts import (
    BRIGHT_STAR,
    KIDDO,
    LEA,
    LINDQVIST,
    LUMIERE,
    NORDHAVN,
    OLIVE,
    PANDA,
    RETRO,
    SABOTS,
    XIAOMEI,
    ZHANG,
)
from galerie.demo.applicants import LEGAL
from galerie.demo.brands import (
    AURORA,
    BRIGHT,
    KERAMIK,
    LINDQVIST_BRAND,
    LUMIERE_BRAND,
    NORDHAVN_BRAND,
    OLIVE_BRAND,
    TINY_TIN,
    Cast,
)
from galerie.demo.brands import SABOTS as SABOTS_BRAND
from galerie.demo.documents import upload_document
from galerie.demo.payments import pay_demo_deposit
from galerie.demo.storefronts import DECORATIONS
from galerie.deposits import record_deposit_transfer
from galerie.identity import Principal
from galerie.sellers import (
    ApplicationStatus,
    DocumentKind,
    ShopAction,
    ShopType,
    approve_application,
    assign_reviewer,
    change_shop_status,
    decorate_shop,
    reject_application,
    request_changes,
    start_application,
    submit_application,
)

# Google product taxonomy ids
SHOES, CLOTHING, CRAFTS, FOOD_ITEMS, TEA = 187, 1604, 16, 422, 2073
TOYS, GAMES, KITCHEN, COOKWARE, DECOR = 1253, 3793, 638, 6070, 696
AUDIO, CONSOLES = 223, 1294
FOOD_LICENCE = "food_business_licence"

_D = DocumentKind
BUSINESS_DOCUMENTS = (_D.BUSINESS_LICENCE, _D.TAX_REGISTRATION, _D.LEGAL_REPRESENTATIVE_ID,
                      _D.BANK_ACCOUNT_PROOF)  # fmt: skip
INDIVIDUAL_DOCUMENTS = (_D.LEGAL_REPRESENTATIVE_ID, _D.BANK_ACCOUNT_PROOF)
VALIDITY = {_D.BUSINESS_LICENCE: 3 * 365, _D.LEGAL_REPRESENTATIVE_ID: 5 * 365}


@dataclass(frozen=True, slots=True)
class Plan:
    organisation: str
    shop_type: ShopType
    categories: tuple[int, ...]
    outcome: str  # an application status, or the shop's final state
    age: int  # days since it was submitted (started the day before)
    brands: tuple[str, ...] = ()
    licensed: tuple[str, ...] = ()  # brands with an authorisation letter (not owned)
    qualification_days: int | None = None  # a food licence valid that many more days
    late_qualification: bool = False  # uploaded only after the checks asked for it
    assigned: bool = False  # to vetting@galerie.test
    reason: str | None = None  # the operator's reason: decision, suspension or closing
    reinstate: str | None = None  # the suspension was lifted since, with this reason
    slug: str | None = None  # the shop's decoration (storefronts.DECORATIONS)


SHOP_STATES = ("preparing", "live", "suspended", "closed")
PLANS = (
    # the dozen shops
    Plan(SABOTS, ShopType.FLAGSHIP, (SHOES,), "live", 320, (SABOTS_BRAND,),
         slug="atelier-des-sabots"),
    Plan(XIAOMEI, ShopType.INDIVIDUAL, (CRAFTS,), "live", 300, slug="xiaomei-crafts"),
    Plan(LINDQVIST, ShopType.FLAGSHIP, (COOKWARE,), "live", 260, (LINDQVIST_BRAND,),
         slug="lindqvist"),
    Plan(KIDDO, ShopType.FLAGSHIP, (TOYS,), "live", 240, (AURORA,), (AURORA,),
         slug="aurora-toys"),
    Plan(PANDA, ShopType.MULTI_BRAND, (COOKWARE, DECOR), "live", 200, (LINDQVIST_BRAND, KERAMIK),
         (LINDQVIST_BRAND, KERAMIK), slug="panda-home"),
    Plan(ZHANG, ShopType.INDIVIDUAL, (TEA,), "live", 150, qualification_days=700,
         slug="zhang-wei-tea"),
    Plan(KIDDO, ShopType.MULTI_BRAND, (TOYS, GAMES), "live", 90, (AURORA, TINY_TIN),
         (AURORA, TINY_TIN), slug="kiddo-toy-box"),
    Plan(RETRO, ShopType.INDIVIDUAL, (CONSOLES,), "live", 120,
         reason="Three buyers received refurbished consoles sold as new.",
         reinstate="Listings relabelled as refurbished; the buyers were refunded.",
         slug="retro-pixel"),
    Plan(PANDA, ShopType.AUTHORISED, (TOYS,), "suspended", 110, (AURORA,), (AURORA,),
         reason="Buyers report toys without the CCC safety mark; under investigation.",
         slug="panda-aurora-toys"),
    Plan(LUMIERE, ShopType.AUTHORISED, (SHOES,), "suspended", 180, (SABOTS_BRAND,),
         (SABOTS_BRAND,),
         reason="The brand owner reports clogs not made by Atelier des Sabots.",
         slug="lumiere-sabots"),
    Plan(LEA, ShopType.INDIVIDUAL, (CLOTHING,), "closed", 280,
         reason="Closed at the seller's request.", slug="lea-vintage"),
    Plan(NORDHAVN, ShopType.FLAGSHIP, (FOOD_ITEMS, SHOES, TOYS, KITCHEN), "preparing", 9,
         (NORDHAVN_BRAND,), qualification_days=900, late_qualification=True, slug="nordhavn"),
    # the operator's queue
    Plan(LEA, ShopType.INDIVIDUAL, (CLOTHING, SHOES), "draft", 1),
    Plan(BRIGHT_STAR, ShopType.AUTHORISED, (TOYS,), "rejected", 20, (AURORA,), (AURORA,),
         reason="The authorisation letter is not signed by the trademark owner, "
                "Aurora Leksaker AB."),
    Plan(BRIGHT_STAR, ShopType.FLAGSHIP, (AUDIO,), "under_review", 6, (BRIGHT,), assigned=True),
    Plan(OLIVE, ShopType.FLAGSHIP, (FOOD_ITEMS,), "under_review", 4, (OLIVE_BRAND,),
         qualification_days=20),
    Plan(LINDQVIST, ShopType.AUTHORISED, (DECOR,), "under_review", 1, (KERAMIK,), (KERAMIK,),
         assigned=True),
    # no licence for Nordhavn's brand nor a food licence: the automatic checks send it back
    Plan(PANDA, ShopType.AUTHORISED, (FOOD_ITEMS,), "changes_requested", 2, (NORDHAVN_BRAND,)),
    Plan(LUMIERE, ShopType.FLAGSHIP, (CLOTHING,), "changes_requested", 5, (LUMIERE_BRAND,),
         reason="The trademark filing receipt is in another company's name: upload the "
                "receipt issued to Boutique Lumière SAS."),
)  # fmt: skip


def _days(at: datetime, days: float) -> datetime:
    return at + timedelta(days=days)


async def _documents(cast: Cast, plan: Plan, app_id: int, at: datetime) -> None:
    owner, legal = cast.owner(plan.organisation), LEGAL[plan.organisation]
    kinds = INDIVIDUAL_DOCUMENTS if legal.individual else BUSINESS_DOCUMENTS
    uploads: list[tuple[DocumentKind, tuple[int, str] | None]] = [(k, None) for k in kinds]
    for brand in plan.brands:
        uploads.append((_D.TRADEMARK_CERTIFICATE, (cast.brands[brand], brand)))
    uploads += [(_D.BRAND_AUTHORISATION, (cast.brands[b], b)) for b in plan.licensed]
    if plan.outcome == "draft":
        uploads = uploads[:1]  # half-way through the wizard
    for kind, named in uploads:
        days = VALIDITY.get(kind)
        await upload_document(
            cast.db, storage=cast.storage, actor=owner, application_id=app_id, kind=kind,
            holder=legal.legal_name, now=at, audit=cast.audit(owner), brand=named,
            valid_until=None if days is None else _days(cast.now, days).date(),
        )  # fmt: skip
    if plan.qualification_days is not None and not plan.late_qualification:
        await _qualification(cast, plan, app_id, at)


async def _qualification(cast: Cast, plan: Plan, app_id: int, at: datetime) -> None:
    assert plan.qualification_days is not None
    owner = cast.owner(plan.organisation)
    await upload_document(
        cast.db, storage=cast.storage, actor=owner, application_id=app_id,
        kind=_D.CATEGORY_QUALIFICATION, qualification=FOOD_LICENCE,
        holder=LEGAL[plan.organisation].legal_name, now=at, audit=cast.audit(owner),
        valid_until=_days(cast.now, plan.qualification_days).date(),
    )  # fmt: skip


async def _submit(cast: Cast, plan: Plan, app_id: int, at: datetime) -> ApplicationStatus:
    owner = cast.owner(plan.organisation)
    status = await submit_application(
        cast.db, actor=owner, application_id=app_id, now=at, audit=cast.audit(owner)
    )
    if plan.late_qualification:  # the checks asked for the food licence: upload, resubmit
        assert status is ApplicationStatus.CHANGES_REQUESTED
        await _qualification(cast, plan, app_id, _days(at, 1))
        status = await submit_application(
            cast.db, actor=owner, application_id=app_id, now=_days(at, 1), audit=cast.audit(owner)
        )
    return status


async def seed_application(cast: Cast, plan: Plan) -> int | None:
    """Take one application as far as its plan says; returns its shop's id, if any."""
    submitted = _days(cast.now, -plan.age)
    owner, legal = cast.owner(plan.organisation), LEGAL[plan.organisation]
    form = legal.form(plan.shop_type, plan.categories, tuple(cast.brands[b] for b in plan.brands))
    app_id = await start_application(
        cast.db, actor=owner, organisation_id=cast.organisations[plan.organisation], form=form,
        now=_days(submitted, -1), audit=cast.audit(owner),
    )  # fmt: skip
    await _documents(cast, plan, app_id, _days(submitted, -1))
    if plan.outcome == "draft":
        return None
    status = await _submit(cast, plan, app_id, submitted)
    if plan.outcome == "changes_requested" and plan.reason is None:
        assert status is ApplicationStatus.CHANGES_REQUESTED  # the automatic checks said so
        return None
    assert status is ApplicationStatus.UNDER_REVIEW, (plan, status)
    return await _vet(cast, plan, app_id, submitted)


async def _vet(cast: Cast, plan: Plan, app_id: int, submitted: datetime) -> int | None:
    vetting, admin = cast.operator("vetting"), cast.operator("admin")
    if plan.assigned:
        await assign_reviewer(
            cast.db, actor=admin, application_id=app_id, reviewer_user_id=vetting.user_id,
            now=_days(submitted, 0.1), audit=cast.audit(admin),
        )  # fmt: skip
    if plan.outcome == "under_review":
        return None
    decided, audit = _days(submitted, 2), cast.audit(vetting)
    if plan.outcome in ("changes_requested", "rejected"):
        decide = request_changes if plan.outcome == "changes_requested" else reject_application
        assert plan.reason is not None
        await decide(
            cast.db, actor=vetting, application_id=app_id, reason=plan.reason, now=decided,
            audit=audit,
        )  # fmt: skip
        return None
    shop_id = await approve_application(
        cast.db, actor=vetting, application_id=app_id, now=decided, audit=audit,
        reason="Documents verified against the originals; brand rights confirmed.",
    )  # fmt: skip
    await _open(cast, plan, shop_id, decided)
    return shop_id


async def _open(cast: Cast, plan: Plan, shop_id: int, approved: datetime) -> None:
    """Deposit, decoration, then publishing and whatever happened to the shop since."""
    finance, owner = cast.operator("finance"), cast.owner(plan.organisation)
    moderation = cast.operator("moderation")
    if shop_id % 2:  # half the shops pay on the provider's page, half by bank transfer
        await pay_demo_deposit(
            cast.db, owner=owner, shop_id=shop_id, audit=cast.audit(owner),
            paid_at=_days(approved, 1),
        )  # fmt: skip
    else:
        await record_deposit_transfer(
            cast.db, actor=finance, shop_id=shop_id, reference="Demo bank transfer",
            now=_days(approved, 1), audit=cast.audit(finance),
        )  # fmt: skip
    assert plan.slug is not None
    await decorate_shop(
        cast.db, actor=owner, shop_id=shop_id, decoration=DECORATIONS[plan.slug],
        now=_days(approved, 1.5), audit=cast.audit(owner),
    )  # fmt: skip
    if plan.outcome == "preparing":
        return
    await _status(cast, owner, shop_id, ShopAction.PUBLISH, None, _days(approved, 2))
    if plan.outcome == "closed":
        await _status(
            cast, moderation, shop_id, ShopAction.CLOSE, plan.reason, _days(approved, 200)
        )
    elif plan.reason is not None:  # suspended, and perhaps reinstated since
        await _status(
            cast, moderation, shop_id, ShopAction.SUSPEND, plan.reason, _days(approved, 30)
        )
        if plan.reinstate is not None:
            await _status(
                cast, moderation, shop_id, ShopAction.REINSTATE, plan.reinstate,
                _days(approved, 37),
            )  # fmt: skip


async def _status(
    cast: Cast,
    actor: Principal,
    shop_id: int,
    action: ShopAction,
    reason: str | None,
    at: datetime,
) -> None:
    await change_shop_status(
        cast.db, actor=actor, shop_id=shop_id, action=action, reason=reason, now=at,
        audit=cast.audit(actor),
    )  # fmt: skip


async def seed_shops(cast: Cast) -> dict[str, int]:
    """Every plan, in order; returns the shops' ids by slug."""
    shops: dict[str, int] = {}
    for plan in PLANS:
        shop_id = await seed_application(cast, plan)
        if shop_id is not None and plan.slug is not None:
            shops[plan.slug] = shop_id
    return shops
