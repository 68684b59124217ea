"""Every table of every domain, so migrations and `db check` see the whole schema.

Only entry points (cli, tests, migrations tooling) import this module."""

from galerie.audit import models as audit_models
from galerie.cart import models as cart_models
from galerie.catalog import models as catalog_models
from galerie.catalog import product_models as catalog_product_models
from galerie.db import metadata
from galerie.db import outbox as outbox_models
from galerie.deposits import models as deposits_models
from galerie.fulfilment import models as fulfilment_models
from galerie.identity import models as identity_models
from galerie.imports import models as imports_models
from galerie.inventory import models as inventory_models
from galerie.ledger import models as ledger_models
from galerie.orders import models as orders_models
from galerie.payments import models as payments_models
from galerie.payments import refund_models as payments_refund_models
from galerie.payments.sandbox import models as sandbox_models
from galerie.search import models as search_models
from galerie.sellers import models as sellers_models
from galerie.settlement import models as settlement_models
from galerie.shipping import models as shipping_models
from galerie.webhooks import models as webhooks_models

__all__ = [
    "audit_models",
    "cart_models",
    "catalog_models",
    "catalog_product_models",
    "deposits_models",
    "fulfilment_models",
    "identity_models",
    "imports_models",
    "inventory_models",
    "ledger_models",
    "metadata",
    "orders_models",
    "outbox_models",
    "payments_models",
    "payments_refund_models",
    "sandbox_models",
    "search_models",
    "sellers_models",
    "settlement_models",
    "shipping_models",
    "webhooks_models",
]
