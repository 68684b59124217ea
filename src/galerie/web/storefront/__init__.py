"""The storefront's pages: home, language, accounts and sign-in, personal API tokens,
the shops (directory, shop pages, following), categories and products, the cart and the
address book."""

from litestar.types import ControllerRouterHandler

from galerie.web.storefront.account import (
    account_page,
    begin_enrolment,
    confirm_enrolment,
    security_page,
)
from galerie.web.storefront.addresses import (
    address_page,
    addresses_page,
    create_address,
    make_default,
    remove_address,
    save_address,
)
from galerie.web.storefront.cart import add_line, cart_page, change_quantity, remove_line
from galerie.web.storefront.categories import categories_page, category_page
from galerie.web.storefront.checkout import checkout_page, place_order_form
from galerie.web.storefront.entry import (
    register,
    register_page,
    second_factor,
    second_factor_page,
    signin,
    signin_page,
    signout,
)
from galerie.web.storefront.invitations import accept_invitation, invitation_page
from galerie.web.storefront.order_detail import ORDER_DETAIL_PAGES
from galerie.web.storefront.orders import (
    cancel_group_order,
    dev_mark_paid,
    group_page,
    orders_page,
    pay_group,
)
from galerie.web.storefront.pages import home, switch_language
from galerie.web.storefront.products import product_cover, product_image, product_view
from galerie.web.storefront.search import search_page, suggest
from galerie.web.storefront.shops import (
    follow,
    following_page,
    shop_image,
    shop_page,
    shops_page,
    unfollow,
)
from galerie.web.storefront.tokens import issue_token, revoke_token, tokens_page


def storefront_pages() -> list[ControllerRouterHandler]:
    return [
        home,
        switch_language,
        register_page,
        register,
        invitation_page,
        accept_invitation,
        signin_page,
        signin,
        second_factor_page,
        second_factor,
        signout,
        account_page,
        security_page,
        begin_enrolment,
        confirm_enrolment,
        tokens_page,
        issue_token,
        revoke_token,
        search_page,
        suggest,
        shops_page,
        shop_page,
        shop_image,
        follow,
        unfollow,
        following_page,
        categories_page,
        category_page,
        product_view,
        product_image,
        product_cover,
        cart_page,
        add_line,
        change_quantity,
        remove_line,
        addresses_page,
        create_address,
        address_page,
        save_address,
        make_default,
        remove_address,
        checkout_page,
        place_order_form,
        orders_page,
        group_page,
        cancel_group_order,
        dev_mark_paid,
        pay_group,
        *ORDER_DETAIL_PAGES,
    ]
