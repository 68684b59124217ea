"""The JSON API, version 1. Wire types (msgspec Structs) live beside their handlers."""

from litestar import Router

from galerie.web.api.v1.cart import CART_CONTROLLERS
from galerie.web.api.v1.catalog import CatalogController
from galerie.web.api.v1.checkout import CHECKOUT_CONTROLLERS
from galerie.web.api.v1.console_category_tree import CATEGORY_TREE_CONTROLLERS
from galerie.web.api.v1.fulfilment import FULFILMENT_CONTROLLERS
from galerie.web.api.v1.invitations import INVITATION_CONTROLLERS
from galerie.web.api.v1.operators import CONSOLE_CONTROLLERS
from galerie.web.api.v1.orders import ORDERS_CONTROLLERS
from galerie.web.api.v1.search import SearchController
from galerie.web.api.v1.seller_catalog import SellerProductsController
from galerie.web.api.v1.seller_catalog_console import CATALOG_CONSOLE_CONTROLLERS
from galerie.web.api.v1.seller_imports import IMPORT_CONTROLLERS
from galerie.web.api.v1.seller_inventory import SELLER_INVENTORY_CONTROLLERS
from galerie.web.api.v1.seller_shipping import SellerShippingController
from galerie.web.api.v1.seller_shop_pictures import SellerShopPicturesController
from galerie.web.api.v1.seller_webhooks import SellerWebhooksController
from galerie.web.api.v1.sellers import SELLER_CONTROLLERS
from galerie.web.api.v1.shops import ShopDirectoryController
from galerie.web.api.v1.system import SystemController

api_v1 = Router(
    path="/api/v1",
    route_handlers=[
        SystemController,
        *SELLER_CONTROLLERS,
        *SELLER_INVENTORY_CONTROLLERS,
        *IMPORT_CONTROLLERS,
        *INVITATION_CONTROLLERS,
        *CONSOLE_CONTROLLERS,
        SellerProductsController,
        *CATALOG_CONSOLE_CONTROLLERS,
        *CATEGORY_TREE_CONTROLLERS,
        ShopDirectoryController,
        SellerShopPicturesController,
        SellerWebhooksController,
        CatalogController,
        SearchController,
        SellerShippingController,
        *CART_CONTROLLERS,
        *ORDERS_CONTROLLERS,
        *CHECKOUT_CONTROLLERS,
        *FULFILMENT_CONTROLLERS,
    ],
    tags=["v1"],
)

__all__ = ["api_v1"]
