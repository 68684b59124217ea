"""The seller centre's applications: the list, the wizard's first two steps (legal entity,
contacts and bank; shop type, categories and brands), the review page with the automatic
checks' findings and the history, and submission (or resubmission after changes)."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from galerie.catalog import localised_name, top_level_categories
from galerie.identity import Permission
from galerie.kernel import Conflict, ValidationFailed
from galerie.sellers import (
    ApplicationDetail,
    ApplicationStatus,
    organisation_applications,
    start_application,
    submit_application,
    update_application,
)
from galerie.sellers.models import SellerApplication
from galerie.sellers.organisation_queries import organisation_brands
from galerie.web.auth import galerie_of, requires
from galerie.web.forms import BoundForm, read_choices, read_form
from galerie.web.i18n import language_of
from galerie.web.rendering import audit_context, current_principal, render, see_other, session_data
from galerie.web.seller.common import acting_org, may_manage, own_application
from galerie.web.seller.labels import LABELS, STEPS, seller_message
from galerie.web.seller.wizard import (
    ENTITY_FORM,
    MAX_CHOICES,
    SESSION_AUTOSAVE,
    SESSION_DRAFT,
    SHOP_FORM,
    ShopChoice,
    application_form,
    autosaved_of,
    check_entity,
    draft_of,
    entity_values,
    expiry,
    ids_of,
    inline_error,
    progress,
    shop_choice,
)

VIEW = requires(Permission.SELLER_CENTRE_VIEW)
MANAGE = requires(Permission.SELLER_CATALOG_MANAGE)
EDITABLE = (ApplicationStatus.DRAFT, ApplicationStatus.CHANGES_REQUESTED)


def _page(template: str, *, status: int = 200, **context: Any) -> Template:
    return render(template, status=status, seller_labels=LABELS, steps=STEPS, **context)


@get("/seller/applications", opt=VIEW, include_in_schema=False)
async def applications_list(request: Request[Any, Any, Any]) -> Template:
    galerie = galerie_of(request)
    async with galerie.db.reading() as session:
        found = await organisation_applications(
            session,
            actor=current_principal(request),
            organisation_id=acting_org(request),
            now=galerie.clock.now(),
        )
    return _page("seller/applications.html", applications=found, can_manage=may_manage(request))


# Step 1: legal entity, contacts and bank ------------------------------------------------


def _entity_page(bound: BoundForm, app: SellerApplication | None, status: int = 200) -> Template:
    return _page(
        "seller/application_entity.html",
        status=status,
        form=bound,
        app=app,
        done=progress(app, 0),
        current="entity",
    )


@get("/seller/applications/new", opt=MANAGE, include_in_schema=False)
async def new_application(request: Request[Any, Any, Any]) -> Template:
    data = session_data(request)
    draft = draft_of(data) or autosaved_of(data)
    return _entity_page(ENTITY_FORM.bind(draft) if draft else ENTITY_FORM.empty(), None)


@post("/seller/applications/new", opt=MANAGE, include_in_schema=False, status_code=303)
async def save_new_entity(request: Request[Any, Any, Any]) -> Template | Redirect:
    bound = await read_form(request, ENTITY_FORM)
    if bound.valid:
        check_entity(bound)
    if not bound.valid:
        return _entity_page(bound, None, status=422)
    session_data(request)[SESSION_DRAFT] = dict(bound.values)
    return see_other("/seller/applications/new/shop")


@get("/seller/applications/{application_id:int}/entity", opt=MANAGE, include_in_schema=False)
async def edit_entity(request: Request[Any, Any, Any], application_id: FromPath[int]) -> Template:
    detail = await own_application(request, application_id)
    bound = ENTITY_FORM.bind(entity_values(detail.application))
    return _entity_page(bound, detail.application)


@post(
    "/seller/applications/{application_id:int}/entity",
    opt=MANAGE,
    include_in_schema=False,
    status_code=303,
)
async def save_entity(
    request: Request[Any, Any, Any], application_id: FromPath[int]
) -> Template | Redirect:
    detail = await own_application(request, application_id)
    bound = await read_form(request, ENTITY_FORM)
    if bound.valid:
        form = application_form(bound.values, shop_choice(detail.application))
        await _update(request, application_id, form, bound)
    if not bound.valid:
        return _entity_page(bound, detail.application, status=422)
    return see_other(f"/seller/applications/{application_id}/shop")


async def _update(
    request: Request[Any, Any, Any], application_id: int, form: Any, bound: BoundForm
) -> None:
    galerie = galerie_of(request)
    try:
        await update_application(
            galerie.db,
            actor=current_principal(request),
            application_id=application_id,
            form=form,
            now=galerie.clock.now(),
            audit=audit_context(request),
        )
    except ValidationFailed as error:
        inline_error(bound, error)


# Step 2: shop type, top-level categories and brands -------------------------------------


async def _shop_page(
    request: Request[Any, Any, Any],
    bound: BoundForm,
    choice: ShopChoice,
    app: SellerApplication | None,
    status: int = 200,
) -> Template:
    language = language_of(request)
    async with galerie_of(request).db.reading() as session:
        tops = await top_level_categories(session)
        brands = await organisation_brands(session, organisation_id=acting_org(request))
    categories = [(c.id, localised_name(c, language)) for c in tops]
    return _page(
        "seller/application_shop.html",
        status=status,
        form=bound,
        choice=choice,
        categories=categories,
        brands=brands,
        app=app,
        done=progress(app, 0),
        current="shop",
    )


async def _read_shop_step(request: Request[Any, Any, Any]) -> tuple[BoundForm, ShopChoice]:
    bound = await read_form(request, SHOP_FORM)
    categories = ids_of(
        await read_choices(request, "category_ids", limit=MAX_CHOICES), bound, "category_ids"
    )
    brands = ids_of(await read_choices(request, "brand_ids", limit=MAX_CHOICES), bound, "brand_ids")
    return bound, ShopChoice(bound["shop_type"], categories, brands)


@get("/seller/applications/new/shop", opt=MANAGE, include_in_schema=False)
async def new_shop_step(request: Request[Any, Any, Any]) -> Template | Redirect:
    if draft_of(session_data(request)) is None:
        return see_other("/seller/applications/new")
    return await _shop_page(request, SHOP_FORM.empty(), ShopChoice("", (), ()), None)


@post("/seller/applications/new/shop", opt=MANAGE, include_in_schema=False, status_code=303)
async def save_new_shop_step(request: Request[Any, Any, Any]) -> Template | Redirect:
    draft = draft_of(session_data(request))
    if draft is None:
        return see_other("/seller/applications/new")
    bound, choice = await _read_shop_step(request)
    if bound.valid:
        galerie = galerie_of(request)
        try:
            created = await start_application(
                galerie.db,
                actor=current_principal(request),
                organisation_id=acting_org(request),
                form=application_form(draft, choice),
                now=galerie.clock.now(),
                audit=audit_context(request),
            )
        except ValidationFailed as error:
            inline_error(bound, error)
        else:
            session_data(request).pop(SESSION_DRAFT, None)
            session_data(request).pop(SESSION_AUTOSAVE, None)
            return see_other(f"/seller/applications/{created}/documents")
    return await _shop_page(request, bound, choice, None, status=422)


@get("/seller/applications/{application_id:int}/shop", opt=MANAGE, include_in_schema=False)
async def edit_shop_step(
    request: Request[Any, Any, Any], application_id: FromPath[int]
) -> Template:
    app = (await own_application(request, application_id)).application
    bound = SHOP_FORM.bind({"shop_type": app.shop_type})
    return await _shop_page(request, bound, shop_choice(app), app)


@post(
    "/seller/applications/{application_id:int}/shop",
    opt=MANAGE,
    include_in_schema=False,
    status_code=303,
)
async def save_shop_step(
    request: Request[Any, Any, Any], application_id: FromPath[int]
) -> Template | Redirect:
    app = (await own_application(request, application_id)).application
    bound, choice = await _read_shop_step(request)
    if bound.valid:
        form = application_form(entity_values(app), choice)
        await _update(request, application_id, form, bound)
    if not bound.valid:
        return await _shop_page(request, bound, choice, app, status=422)
    return see_other(f"/seller/applications/{application_id}/documents")


# Step 4: review and submit ----------------------------------------------------------------


def review_page(
    request: Request[Any, Any, Any],
    detail: ApplicationDetail,
    *,
    error: str | None = None,
    status: int = 200,
) -> Template:
    app = detail.application
    today = galerie_of(request).clock.now().date()
    return _page(
        "seller/application.html",
        expiry={doc.id: expiry(doc, today) for doc in detail.documents},
        status=status,
        detail=detail,
        app=app,
        done=progress(app, len(detail.documents)),
        current="review",
        editable=app.status in EDITABLE,
        can_manage=may_manage(request),
        error=error,
    )


@get("/seller/applications/{application_id:int}", opt=VIEW, include_in_schema=False)
async def application_page(
    request: Request[Any, Any, Any], application_id: FromPath[int]
) -> Template:
    return review_page(request, await own_application(request, application_id))


@post(
    "/seller/applications/{application_id:int}/submit",
    opt=MANAGE,
    include_in_schema=False,
    status_code=303,
)
async def submit(
    request: Request[Any, Any, Any], application_id: FromPath[int]
) -> Template | Redirect:
    await own_application(request, application_id)
    galerie = galerie_of(request)
    try:
        await submit_application(
            galerie.db,
            actor=current_principal(request),
            application_id=application_id,
            now=galerie.clock.now(),
            audit=audit_context(request),
        )
    except (Conflict, ValidationFailed) as error:
        detail = await own_application(request, application_id)
        return review_page(request, detail, error=seller_message(error), status=409)
    return see_other(f"/seller/applications/{application_id}")
