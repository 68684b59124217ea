"""The seller centre's pages."""

from litestar.types import ControllerRouterHandler

from galerie.web.seller.applications import (
    application_page,
    applications_list,
    edit_entity,
    edit_shop_step,
    new_application,
    new_shop_step,
    save_entity,
    save_new_entity,
    save_new_shop_step,
    save_shop_step,
    submit,
)
from galerie.web.seller.autosave import (
    autosave_entity,
    autosave_new_entity,
    autosave_shop_step,
)
from galerie.web.seller.deposit import SELLER_DEPOSIT_PAGES
from galerie.web.seller.documents import documents_page, download_document, upload_document
from galerie.web.seller.extensions import apply_extension, extension_page

# settlement (issue 6): balance, statement, payouts
from galerie.web.seller.finance import FINANCE_PAGES
from galerie.web.seller.imports import IMPORT_PAGES
from galerie.web.seller.inventory import (
    add_warehouse,
    save_warehouse,
    switch_warehouse,
    warehouse_page,
    warehouses_page,
)
from galerie.web.seller.inventory_stock import (
    adjust,
    movements_page,
    receive,
    stock_page,
    threshold,
)
from galerie.web.seller.invitations import revoke_invitation, send_invitation
from galerie.web.seller.members import (
    change_member_role,
    invite_member,
    members_page,
    remove_member,
)
from galerie.web.seller.orders import SELLER_ORDER_PAGES
from galerie.web.seller.pages import seller_home, switch_organisation
from galerie.web.seller.products import (
    create_product,
    new_product,
    product_page,
    products_list,
    submit_product,
    update_product,
    withdraw_product,
)
from galerie.web.seller.products_images import (
    image_thumbnail,
    make_image_first,
    remove_image,
    upload_image,
)
from galerie.web.seller.shipping import SHIPPING_PAGES
from galerie.web.seller.shop_pictures import upload_shop_picture
from galerie.web.seller.shops import decorate, preview, publish, shop_page, shops_list
from galerie.web.seller.webhooks import WEBHOOK_PAGES


def seller_pages() -> list[ControllerRouterHandler]:
    return [
        seller_home,
        switch_organisation,
        applications_list,
        new_application,
        save_new_entity,
        new_shop_step,
        save_new_shop_step,
        application_page,
        edit_entity,
        save_entity,
        edit_shop_step,
        save_shop_step,
        submit,
        autosave_new_entity,
        autosave_entity,
        autosave_shop_step,
        documents_page,
        upload_document,
        download_document,
        shops_list,
        shop_page,
        upload_shop_picture,
        decorate,
        preview,
        publish,
        extension_page,
        apply_extension,
        members_page,
        invite_member,
        change_member_role,
        remove_member,
        products_list,
        new_product,
        create_product,
        product_page,
        update_product,
        submit_product,
        withdraw_product,
        upload_image,
        remove_image,
        make_image_first,
        image_thumbnail,
        warehouses_page,
        add_warehouse,
        warehouse_page,
        save_warehouse,
        switch_warehouse,
        stock_page,
        receive,
        adjust,
        threshold,
        movements_page,
        *IMPORT_PAGES,
        *SHIPPING_PAGES,
        *WEBHOOK_PAGES,
        *SELLER_ORDER_PAGES,
        send_invitation,
        revoke_invitation,
        *SELLER_DEPOSIT_PAGES,  # galerie.deposits
        *FINANCE_PAGES,
    ]
