"""The seller shipping API: a shop's shipping templates (list, create, read, replace,
delete). Routes act for the organisation of their path; a shop of another organisation is
404, and so is another shop's template. Amounts are integer minor units of the template's
currency; the free-shipping threshold names its currency and must match. Handlers
translate; galerie.shipping decides (bad input: 422 with a stable code, nothing written)."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, delete, get, post, put
from litestar.params import FromPath, JSONBody

from galerie.identity import Permission
from galerie.kernel import Money as DomainMoney
from galerie.shipping import (
    METHODS,
    Rate,
    Region,
    RegionRate,
    ShippingTemplate,
    TemplateSpec,
    create_shipping_template,
    delete_shipping_template,
    shop_shipping_template,
    shop_shipping_templates,
    update_shipping_template,
)
from galerie.web.api.v1.seller_inventory import own_shop
from galerie.web.api.v1.wire import Money
from galerie.web.auth import galerie_of, requires

VIEW = requires(Permission.SELLER_CENTRE_VIEW)
EDIT = requires(Permission.SELLER_CATALOG_MANAGE)
Code = Annotated[str, msgspec.Meta(max_length=6)]
Codes = Annotated[list[Code], msgspec.Meta(max_length=300)]


class RateBody(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    first_minor: int
    additional_minor: int


class RegionBody(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    first_minor: int
    additional_minor: int
    countries: Codes = msgspec.field(default_factory=list)
    provinces: Codes = msgspec.field(default_factory=list)


class TemplateBody(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(max_length=80)]
    method: Annotated[str, msgspec.Meta(max_length=10)]
    charge_by: Annotated[str, msgspec.Meta(max_length=10)]
    currency: Annotated[str, msgspec.Meta(max_length=3)]
    regions: Annotated[list[RegionBody], msgspec.Meta(max_length=50)] = msgspec.field(
        default_factory=list
    )
    rest_of_world: RateBody | None = None
    free_above: Money | None = None

    def spec(self) -> TemplateSpec:
        return TemplateSpec(
            name=self.name,
            method=self.method,
            charge_by=self.charge_by,
            currency=self.currency,
            region_rates=tuple(
                RegionRate(
                    Region(frozenset(r.countries), frozenset(r.provinces)),
                    Rate(r.first_minor, r.additional_minor),
                )
                for r in self.regions
            ),
            rest_of_world=None
            if self.rest_of_world is None
            else Rate(self.rest_of_world.first_minor, self.rest_of_world.additional_minor),
            free_above=None
            if self.free_above is None
            else DomainMoney(self.free_above.minor, self.free_above.currency),
        )


class RegionOut(msgspec.Struct, frozen=True):
    countries: list[str]
    provinces: list[str]
    first_minor: int
    additional_minor: int


class TemplateOut(msgspec.Struct, frozen=True):
    id: int
    shop_id: int
    name: str
    method: str
    auto_confirm_days: int
    charge_by: str
    currency: str
    regions: list[RegionOut]
    rest_of_world: RateBody | None
    free_above: Money | None


def template_out(t: ShippingTemplate) -> TemplateOut:
    spec = t.spec
    rest = spec.rest_of_world
    return TemplateOut(
        id=t.id, shop_id=t.shop_id, name=spec.name, method=str(spec.method),
        auto_confirm_days=METHODS[spec.method].auto_confirm_days,  # type: ignore[index]
        charge_by=str(spec.charge_by), currency=spec.currency,
        regions=[
            RegionOut(sorted(r.region.countries), sorted(r.region.provinces), r.rate.first,
                      r.rate.additional)
            for r in spec.region_rates
        ],
        rest_of_world=None if rest is None else RateBody(rest.first, rest.additional),
        free_above=None if spec.free_above is None
        else Money(spec.free_above.minor, spec.free_above.currency),
    )  # fmt: skip


async def _template(request: Request[Any, Any, Any], shop_id: int, template_id: int) -> TemplateOut:
    async with galerie_of(request).db.reading() as session:
        found = await shop_shipping_template(session, shop_id=shop_id, template_id=template_id)
    return template_out(found)


class SellerShippingController(Controller):
    path = "/organisations/{organisation_id:int}/shops/{shop_id:int}/shipping-templates"
    tags = ["seller: shipping"]  # noqa: RUF012 - Litestar's API

    @get("", opt=VIEW, summary="The shop's shipping templates, by name")
    async def list_templates(
        self, request: Request[Any, Any, Any], organisation_id: FromPath[int],
        shop_id: FromPath[int],
    ) -> list[TemplateOut]:  # fmt: skip
        await own_shop(request, organisation_id, shop_id)
        async with galerie_of(request).db.reading() as session:
            found = await shop_shipping_templates(session, shop_id=shop_id)
        return [template_out(t) for t in found]

    @post("", opt=EDIT, status_code=201, summary="Add a shipping template")
    async def create(
        self, request: Request[Any, Any, Any], organisation_id: FromPath[int],
        shop_id: FromPath[int], data: JSONBody[TemplateBody],
    ) -> TemplateOut:  # fmt: skip
        await own_shop(request, organisation_id, shop_id)
        galerie = galerie_of(request)
        template_id = await create_shipping_template(
            galerie.db, shop_id=shop_id, spec=data.spec(), now=galerie.clock.now()
        )
        return await _template(request, shop_id, template_id)

    @get("/{template_id:int}", opt=VIEW, summary="One of the shop's shipping templates")
    async def read(
        self, request: Request[Any, Any, Any], organisation_id: FromPath[int],
        shop_id: FromPath[int], template_id: FromPath[int],
    ) -> TemplateOut:  # fmt: skip
        await own_shop(request, organisation_id, shop_id)
        return await _template(request, shop_id, template_id)

    @put("/{template_id:int}", opt=EDIT, summary="Replace a shipping template whole")
    async def replace(
        self, request: Request[Any, Any, Any], organisation_id: FromPath[int],
        shop_id: FromPath[int], template_id: FromPath[int], data: JSONBody[TemplateBody],
    ) -> TemplateOut:  # fmt: skip
        await own_shop(request, organisation_id, shop_id)
        galerie = galerie_of(request)
        await update_shipping_template(
            galerie.db, shop_id=shop_id, template_id=template_id, spec=data.spec(),
            now=galerie.clock.now(),
        )  # fmt: skip
        return await _template(request, shop_id, template_id)

    @delete("/{template_id:int}", opt=EDIT, status_code=204, summary="Delete a shipping template")
    async def remove(
        self, request: Request[Any, Any, Any], organisation_id: FromPath[int],
        shop_id: FromPath[int], template_id: FromPath[int],
    ) -> None:  # fmt: skip
        await own_shop(request, organisation_id, shop_id)
        await delete_shipping_template(
            galerie_of(request).db, shop_id=shop_id, template_id=template_id
        )
