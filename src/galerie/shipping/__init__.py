"""Shipping: per-shop shipping templates, the quote of one shop order's shipping fee, and the
carrier port with its shipped fake. Public surface.

Rules (pure): METHODS (method -> auto-confirmation days), check_template, quote_shop_shipping.
Use cases: create_shipping_template, update_shipping_template, delete_shipping_template.
Reads: shop_shipping_templates, shop_shipping_template, quote_shop_order (a shop's options);
TEMPLATE_COLUMNS and template_read for a raw read of templates (the checkout reads them with
the address, in one statement). Port: Carrier; fake: FakeCarrier."""

from galerie.kernel.countries import COUNTRY_CODES, country_code, subdivision_code
from galerie.shipping.carrier import (
    Carrier,
    FakeCarrier,
    TrackingEvent,
    TrackingStatus,
    UnknownTrackingNumber,
)
from galerie.shipping.rules import (
    MAX_FEE_MINOR,
    MAX_REGIONS,
    METHODS,
    ChargeBy,
    Destination,
    MethodSpec,
    Rate,
    Region,
    RegionRate,
    ShippingMethod,
    ShippingOption,
    ShippingRefused,
    ShippingTemplate,
    TemplateSpec,
    chargeable_units,
    check_template,
    quote_shop_shipping,
    rate_for,
)
from galerie.shipping.services import (
    TEMPLATE_COLUMNS,
    create_shipping_template,
    delete_shipping_template,
    quote_shop_order,
    shop_shipping_template,
    shop_shipping_templates,
    template_read,
    update_shipping_template,
)

__all__ = [
    "COUNTRY_CODES",
    "MAX_FEE_MINOR",
    "MAX_REGIONS",
    "METHODS",
    "TEMPLATE_COLUMNS",
    "Carrier",
    "ChargeBy",
    "Destination",
    "FakeCarrier",
    "MethodSpec",
    "Rate",
    "Region",
    "RegionRate",
    "ShippingMethod",
    "ShippingOption",
    "ShippingRefused",
    "ShippingTemplate",
    "TemplateSpec",
    "TrackingEvent",
    "TrackingStatus",
    "UnknownTrackingNumber",
    "chargeable_units",
    "check_template",
    "country_code",
    "create_shipping_template",
    "delete_shipping_template",
    "quote_shop_order",
    "quote_shop_shipping",
    "rate_for",
    "shop_shipping_template",
    "shop_shipping_templates",
    "subdivision_code",
    "template_read",
    "update_shipping_template",
]
