"""Catalog: the category tree (Google's product taxonomy, keeping Google's ids) and the
products shops sell (SPU with texts, SKUs, images), their listing machine and moderation.
Public surface.

Categories: services (taxonomy import), queries, category_settings (attributes, terms).
Products: product_rules (pure), products (validate, save), listing (the machine),
moderation (operators; submit and withdraw), images, product_queries."""

from galerie.catalog.category_settings import (
    VALUE_TYPES,
    AttributeForm,
    AttributeView,
    category_attributes,
    define_category_attribute,
    review_required,
    set_category_terms,
)
from galerie.catalog.drafts import ImageDraft, ProductDraft, VariantDraft
from galerie.catalog.errors import DraftProblem, InvalidProduct
from galerie.catalog.events import ProductChanged
from galerie.catalog.images import (
    MAX_IMAGE_BYTES,
    add_product_image,
    check_image,
    remove_product_image,
    reorder_product_images,
)
from galerie.catalog.listing import (
    LISTING_TRANSITIONS,
    ListingAction,
    ListingActor,
    ListingStatus,
    ListingStep,
)
from galerie.catalog.moderation import (
    approve_listing,
    delist_product,
    reject_listing,
    submit_listing,
    withdraw_listing,
)
from galerie.catalog.product_queries import (
    HistoryEntry,
    ImageView,
    ProductDetail,
    ProductFilter,
    ProductSummary,
    SkuView,
    is_product_visible,
    load_draft,
    moderation_queue,
    product_detail,
    product_shop_id,
    shop_products,
)
from galerie.catalog.product_rules import (
    LANGUAGES,
    LISTING_FINDINGS,
    PROHIBITED_WORDS,
    RETURN_EXCLUSIONS,
    AttributeSpec,
    check_draft,
    content_hash,
    gtin_valid,
)
from galerie.catalog.products import SavedProduct, save_product, validate_product_draft
from galerie.catalog.queries import (
    CategoryView,
    categories_by_ids,
    get_category,
    localised_name,
    required_qualification,
    top_level_categories,
    top_level_of,
)
from galerie.catalog.services import import_google_taxonomy
from galerie.catalog.shop_rights import (
    ShopFacts,
    shop_brand_choices,
    shop_category_choices,
    shop_facts,
)

__all__ = [
    "LANGUAGES",
    "LISTING_FINDINGS",
    "LISTING_TRANSITIONS",
    "MAX_IMAGE_BYTES",
    "PROHIBITED_WORDS",
    "RETURN_EXCLUSIONS",
    "VALUE_TYPES",
    "AttributeForm",
    "AttributeSpec",
    "AttributeView",
    "CategoryView",
    "DraftProblem",
    "HistoryEntry",
    "ImageDraft",
    "ImageView",
    "InvalidProduct",
    "ListingAction",
    "ListingActor",
    "ListingStatus",
    "ListingStep",
    "ProductChanged",
    "ProductDetail",
    "ProductDraft",
    "ProductFilter",
    "ProductSummary",
    "SavedProduct",
    "ShopFacts",
    "SkuView",
    "VariantDraft",
    "add_product_image",
    "approve_listing",
    "categories_by_ids",
    "category_attributes",
    "check_draft",
    "check_image",
    "content_hash",
    "define_category_attribute",
    "delist_product",
    "get_category",
    "gtin_valid",
    "import_google_taxonomy",
    "is_product_visible",
    "load_draft",
    "localised_name",
    "moderation_queue",
    "product_detail",
    "product_shop_id",
    "reject_listing",
    "remove_product_image",
    "reorder_product_images",
    "required_qualification",
    "review_required",
    "save_product",
    "set_category_terms",
    "shop_brand_choices",
    "shop_category_choices",
    "shop_facts",
    "shop_products",
    "submit_listing",
    "top_level_categories",
    "top_level_of",
    "validate_product_draft",
    "withdraw_listing",
]
