"""The seller centre's pages."""

from litestar.types import ControllerRouterHandler

from galerie.web.seller.pages import seller_home, switch_organisation


def seller_pages() -> list[ControllerRouterHandler]:
    return [seller_home, switch_organisation]
