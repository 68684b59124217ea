"""The operator console's pages."""

from litestar.types import ControllerRouterHandler

from galerie.web.console.categories import (
    categories_page,
    category_page,
    change_terms,
    define_attribute,
)
from galerie.web.console.category_tree import add_child, add_root, move, rename, switch
from galerie.web.console.deposits import CONSOLE_DEPOSIT_PAGES
from galerie.web.console.finance import CONSOLE_FINANCE_PAGES
from galerie.web.console.moderation import decide_listing, listing_page, listings_page
from galerie.web.console.orders import CONSOLE_ORDER_PAGES
from galerie.web.console.pages import console_audit, console_home
from galerie.web.console.payouts import CONSOLE_PAYOUT_PAGES  # settlement (issue 6)
from galerie.web.console.shops import (
    change_status,
    deposit_paid,
    deposits_page,
    shop_page,
    shops_page,
)
from galerie.web.console.vetting import (
    application_document,
    application_page,
    assign_application,
    decide_application,
    review_queue_page,
)


def console_pages() -> list[ControllerRouterHandler]:
    return [
        console_home,
        console_audit,
        *CONSOLE_ORDER_PAGES,
        review_queue_page,
        application_page,
        application_document,
        decide_application,
        assign_application,
        shops_page,
        shop_page,
        change_status,
        deposits_page,
        deposit_paid,
        listings_page,
        listing_page,
        decide_listing,
        categories_page,
        category_page,
        define_attribute,
        change_terms,
        add_root,
        add_child,
        rename,
        move,
        switch,
        *CONSOLE_FINANCE_PAGES,
        *CONSOLE_DEPOSIT_PAGES,  # galerie.deposits
        *CONSOLE_PAYOUT_PAGES,
    ]
