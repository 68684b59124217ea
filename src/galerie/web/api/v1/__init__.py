"""The JSON API, version 1. Wire types (msgspec Structs) live beside their handlers."""

from litestar import Router

from galerie.web.api.v1.invitations import INVITATION_CONTROLLERS
from galerie.web.api.v1.operators import CONSOLE_CONTROLLERS
from galerie.web.api.v1.sellers import SELLER_CONTROLLERS
from galerie.web.api.v1.shops import ShopDirectoryController
from galerie.web.api.v1.system import SystemController

api_v1 = Router(
    path="/api/v1",
    route_handlers=[
        SystemController,
        *SELLER_CONTROLLERS,
        *INVITATION_CONTROLLERS,
        *CONSOLE_CONTROLLERS,
        ShopDirectoryController,
    ],
    tags=["v1"],
)

__all__ = ["api_v1"]
