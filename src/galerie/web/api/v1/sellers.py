"""The seller side of the API: an organisation's applications and their documents, its
shops (read, decorate, publish), its brands and brand authorisations.

Every route acts for the organisation of its path: the access middleware checks the
permission within it (a token bound to another organisation is refused), and a row of
another organisation is 404. Handlers translate; galerie.sellers decides."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post, put
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, JSONBody

from galerie.identity import Permission
from galerie.sellers import (
    Decoration,
    ShopAction,
    add_application_document,
    apply_for_extension,
    change_shop_status,
    decorate_shop,
    organisation_applications,
    record_brand_authorisation,
    register_brand,
    start_application,
    submit_application,
    update_application,
)
from galerie.sellers.organisation_queries import organisation_shops
from galerie.web.api.v1.support import (
    document_download,
    read_application,
    read_shop,
)
from galerie.web.api.v1.wire import (
    ApplicationBody,
    ApplicationOut,
    ApplicationSummaryOut,
    AuthorisationBody,
    BrandBody,
    Created,
    DecorationBody,
    DocumentOut,
    DocumentUpload,
    ExtensionBody,
    ShopOut,
    ShopStatusOut,
    shop_out,
    summary_out,
)
from galerie.web.auth import galerie_of, requires
from galerie.web.rendering import audit_context, current_principal

VIEW = requires(Permission.SELLER_CENTRE_VIEW)
MANAGE = requires(Permission.SELLER_CATALOG_MANAGE)
APPLICATION = "/applications/{application_id:int}"
MultipartUpload = Annotated[DocumentUpload, Body(media_type=RequestEncodingType.MULTI_PART)]


class SellerApplicationsController(Controller):
    path = "/organisations/{organisation_id:int}/applications"
    tags = ["seller: applications"]  # noqa: RUF012 - Litestar's API

    @get("", opt=VIEW, summary="The organisation's applications, newest first")
    async def list_applications(
        self, request: Request[Any, Any, Any], organisation_id: FromPath[int]
    ) -> list[ApplicationSummaryOut]:
        galerie, actor = galerie_of(request), current_principal(request)
        async with galerie.db.reading() as session:
            found = await organisation_applications(
                session, actor=actor, organisation_id=organisation_id, now=galerie.clock.now()
            )
        return [summary_out(s) for s in found]

    @post("", opt=MANAGE, summary="Start a draft application", status_code=201)
    async def create_application(
        self,
        request: Request[Any, Any, Any],
        organisation_id: FromPath[int],
        data: JSONBody[ApplicationBody],
    ) -> ApplicationOut:
        galerie = galerie_of(request)
        application_id = await start_application(
            galerie.db,
            actor=current_principal(request),
            organisation_id=organisation_id,
            form=data.form(),
            now=galerie.clock.now(),
            audit=audit_context(request),
        )
        return await read_application(request, application_id, organisation_id)

    @get(
        "/{application_id:int}",
        opt=VIEW,
        summary="An application with its documents, findings and history",
    )
    async def read(
        self,
        request: Request[Any, Any, Any],
        organisation_id: FromPath[int],
        application_id: FromPath[int],
    ) -> ApplicationOut:
        return await read_application(request, application_id, organisation_id)

    @put(
        "/{application_id:int}",
        opt=MANAGE,
        summary="Replace the fields of a draft or returned application",
    )
    async def update(
        self,
        request: Request[Any, Any, Any],
        organisation_id: FromPath[int],
        application_id: FromPath[int],
        data: JSONBody[ApplicationBody],
    ) -> ApplicationOut:
        await read_application(request, application_id, organisation_id)
        galerie = galerie_of(request)
        await update_application(
            galerie.db,
            actor=current_principal(request),
            application_id=application_id,
            form=data.form(),
            now=galerie.clock.now(),
            audit=audit_context(request),
        )
        return await read_application(request, application_id, organisation_id)

    @post(
        "/{application_id:int}/submit",
        opt=MANAGE,
        status_code=200,
        summary="Submit (or resubmit) the application; the automatic checks run at once",
    )
    async def submit(
        self,
        request: Request[Any, Any, Any],
        organisation_id: FromPath[int],
        application_id: FromPath[int],
    ) -> ApplicationOut:
        await read_application(request, application_id, organisation_id)
        galerie = galerie_of(request)
        await submit_application(
            galerie.db,
            actor=current_principal(request),
            application_id=application_id,
            now=galerie.clock.now(),
            audit=audit_context(request),
        )
        return await read_application(request, application_id, organisation_id)

    @get("/{application_id:int}/documents", opt=VIEW, summary="The application's documents")
    async def documents(
        self,
        request: Request[Any, Any, Any],
        organisation_id: FromPath[int],
        application_id: FromPath[int],
    ) -> list[DocumentOut]:
        return (await read_application(request, application_id, organisation_id)).documents

    @post(
        "/{application_id:int}/documents",
        opt=MANAGE,
        status_code=201,
        summary="Upload a document (PDF, JPEG or PNG, checked by content) as multipart/form-data",
    )
    async def upload(
        self,
        request: Request[Any, Any, Any],
        organisation_id: FromPath[int],
        application_id: FromPath[int],
        data: MultipartUpload,
    ) -> DocumentOut:
        await read_application(request, application_id, organisation_id)
        galerie = galerie_of(request)
        document_id = await add_application_document(
            galerie.db,
            actor=current_principal(request),
            application_id=application_id,
            kind=data.kind.value,
            filename=data.file.filename,
            data=await data.file.read(),
            valid_until=data.valid_until,
            qualification=data.qualification,
            brand_id=data.brand_id,
            storage=galerie.storage,
            now=galerie.clock.now(),
            audit=audit_context(request),
        )
        after = await read_application(request, application_id, organisation_id)
        return next(d for d in after.documents if d.id == document_id)

    @get(
        "/{application_id:int}/documents/{document_id:int}",
        opt=VIEW,
        summary="Download a document",
        media_type="application/octet-stream",
    )
    async def download(
        self,
        request: Request[Any, Any, Any],
        organisation_id: FromPath[int],
        application_id: FromPath[int],
        document_id: FromPath[int],
    ) -> Response[bytes]:
        return await document_download(
            request,
            application_id=application_id,
            document_id=document_id,
            organisation_id=organisation_id,
        )


class SellerShopsController(Controller):
    path = "/organisations/{organisation_id:int}/shops"
    tags = ["seller: shops"]  # noqa: RUF012 - Litestar's API

    @get("", opt=VIEW, summary="The organisation's shops, in any state, newest first")
    async def list_shops(
        self, request: Request[Any, Any, Any], organisation_id: FromPath[int]
    ) -> list[ShopOut]:
        async with galerie_of(request).db.reading() as session:
            found = await organisation_shops(session, organisation_id=organisation_id)
        return [shop_out(s) for s in found]

    @get("/{slug:str}", opt=VIEW, summary="One of the organisation's shops, in any state")
    async def read(
        self, request: Request[Any, Any, Any], organisation_id: FromPath[int], slug: FromPath[str]
    ) -> ShopOut:
        return shop_out(await read_shop(request, slug, organisation_id))

    @put(
        "/{slug:str}/decoration",
        opt=MANAGE,
        summary="Decorate the shop: name, address (slug), descriptions, navigation",
    )
    async def decorate(
        self,
        request: Request[Any, Any, Any],
        organisation_id: FromPath[int],
        slug: FromPath[str],
        data: JSONBody[DecorationBody],
    ) -> ShopOut:
        shop = await read_shop(request, slug, organisation_id)
        galerie = galerie_of(request)
        decoration = Decoration(
            name=data.name,
            slug=data.slug,
            descriptions=dict(data.descriptions),
            navigation=tuple(data.navigation),
            logo_key=shop.logo_key,
            banner_key=shop.banner_key,
        )
        await decorate_shop(
            galerie.db,
            actor=current_principal(request),
            shop_id=shop.id,
            decoration=decoration,
            now=galerie.clock.now(),
            audit=audit_context(request),
        )
        return shop_out(await read_shop(request, data.slug, organisation_id))

    @post(
        "/{slug:str}/publish",
        opt=MANAGE,
        status_code=200,
        summary="Open the shop to the public (the deposit must be paid)",
    )
    async def publish(
        self, request: Request[Any, Any, Any], organisation_id: FromPath[int], slug: FromPath[str]
    ) -> ShopStatusOut:
        shop = await read_shop(request, slug, organisation_id)
        galerie = galerie_of(request)
        status = await change_shop_status(
            galerie.db,
            actor=current_principal(request),
            shop_id=shop.id,
            action=ShopAction.PUBLISH,
            now=galerie.clock.now(),
            audit=audit_context(request),
        )
        return ShopStatusOut(shop_id=shop.id, status=status.value)

    @post(
        "/{slug:str}/extensions",
        opt=MANAGE,
        status_code=201,
        summary="Apply to add categories or brands to the shop (a draft extension application:"
        " upload its documents and submit it like any application)",
    )
    async def extend(
        self,
        request: Request[Any, Any, Any],
        organisation_id: FromPath[int],
        slug: FromPath[str],
        data: JSONBody[ExtensionBody],
    ) -> ApplicationOut:
        shop = await read_shop(request, slug, organisation_id)
        galerie = galerie_of(request)
        application_id = await apply_for_extension(
            galerie.db,
            actor=current_principal(request),
            shop_id=shop.id,
            category_ids=tuple(data.category_ids),
            brand_ids=tuple(data.brand_ids),
            now=galerie.clock.now(),
            audit=audit_context(request),
        )
        return await read_application(request, application_id, organisation_id)


class SellerBrandsController(Controller):
    path = "/organisations/{organisation_id:int}"
    tags = ["seller: brands"]  # noqa: RUF012 - Litestar's API

    @post("/brands", opt=MANAGE, status_code=201, summary="Register a brand and its trademarks")
    async def register(
        self,
        request: Request[Any, Any, Any],
        organisation_id: FromPath[int],
        data: JSONBody[BrandBody],
    ) -> Created:
        galerie = galerie_of(request)
        brand_id = await register_brand(
            galerie.db,
            actor=current_principal(request),
            organisation_id=organisation_id,
            name=data.name,
            owned=data.owned,
            trademarks=tuple(t.form() for t in data.trademarks),
            now=galerie.clock.now(),
            audit=audit_context(request),
        )
        return Created(id=brand_id)

    @post(
        "/brand-authorisations",
        opt=MANAGE,
        status_code=201,
        summary="Record a licence the organisation holds for a brand",
    )
    async def authorise(
        self,
        request: Request[Any, Any, Any],
        organisation_id: FromPath[int],
        data: JSONBody[AuthorisationBody],
    ) -> Created:
        galerie = galerie_of(request)
        authorisation_id = await record_brand_authorisation(
            galerie.db,
            actor=current_principal(request),
            organisation_id=organisation_id,
            form=data.form(),
            now=galerie.clock.now(),
            audit=audit_context(request),
        )
        return Created(id=authorisation_id)


SELLER_CONTROLLERS = (SellerApplicationsController, SellerShopsController, SellerBrandsController)
