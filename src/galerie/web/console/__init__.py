"""The operator console's pages."""

from litestar.types import ControllerRouterHandler

from galerie.web.console.pages import console_audit, console_home


def console_pages() -> list[ControllerRouterHandler]:
    return [console_home, console_audit]
