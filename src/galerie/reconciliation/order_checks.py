"""Orders against the ledger, for the orders a payment paid (an order marked paid without
one, through the development hook, holds no money and is not checked):

- every paid shop order's escrow received exactly its total (`capture_differs`);
- a completed order holds nothing in escrow any more (`escrow_not_released`);
- a released order's seller share + commission (+ what left its escrow otherwise: refunds)
  is its total (`release_differs`), and the commission kept on its lines is the
  commission posted (`line_commission_differs`).

Each is a few aggregate statements, whatever the number of orders."""

from __future__ import annotations

from galerie.reconciliation.context import Context
from galerie.reconciliation.findings import Discrepancy

CAPTURED_SQL = """
SELECT o.id, o.total_minor,
       COALESCE(SUM(CASE WHEN l.amount_minor < 0 THEN -l.amount_minor ELSE 0 END), 0)
FROM orders o
LEFT JOIN ledger_accounts a ON a.kind = 'escrow' AND a.owner_kind = 'shop_order'
  AND a.owner_id = o.id AND a.currency = o.currency
LEFT JOIN journal_lines l ON l.account_id = a.id
WHERE o.paid_at IS NOT NULL AND EXISTS (SELECT 1 FROM payments p WHERE p.payment_group_id = o.payment_group_id
  AND p.status = 'succeeded')
GROUP BY o.id, o.total_minor
HAVING COALESCE(SUM(CASE WHEN l.amount_minor < 0 THEN -l.amount_minor ELSE 0 END), 0)
       <> o.total_minor
ORDER BY o.id
"""
HELD_SQL = """
SELECT o.id, -a.balance_minor
FROM orders o JOIN ledger_accounts a ON a.kind = 'escrow' AND a.owner_kind = 'shop_order'
  AND a.owner_id = o.id AND a.currency = o.currency
WHERE o.status = 'completed' AND a.balance_minor <> 0
  AND NOT EXISTS (SELECT 1 FROM order_money m WHERE m.order_id = o.id AND m.release_holds > 0)
ORDER BY o.id
"""
RELEASED_SQL = """
SELECT o.id, o.total_minor,
       COALESCE(SUM(CASE WHEN a.kind = 'seller_payable' THEN -l.amount_minor ELSE 0 END), 0),
       COALESCE(SUM(CASE WHEN a.kind = 'commission_revenue' THEN -l.amount_minor ELSE 0 END), 0)
FROM orders o
JOIN journal_entries e ON e.key = 'release:' || CAST(o.id AS TEXT)
JOIN journal_lines l ON l.entry_id = e.id
JOIN ledger_accounts a ON a.id = l.account_id
WHERE o.status = 'completed'
GROUP BY o.id, o.total_minor
ORDER BY o.id
"""
# Money out of escrow by anything but the release (refunds before release), per order.
OTHER_OUT_SQL = """
SELECT o.id, SUM(l.amount_minor)
FROM orders o
JOIN ledger_accounts a ON a.kind = 'escrow' AND a.owner_kind = 'shop_order'
  AND a.owner_id = o.id AND a.currency = o.currency
JOIN journal_lines l ON l.account_id = a.id AND l.amount_minor > 0
JOIN journal_entries e ON e.id = l.entry_id
WHERE o.status = 'completed' AND e.key <> 'release:' || CAST(o.id AS TEXT)
GROUP BY o.id
"""
LINE_COMMISSION_SQL = """
SELECT o.id, COALESCE(SUM(ol.commission_minor), 0)
FROM orders o JOIN order_lines ol ON ol.order_id = o.id
WHERE o.status = 'completed'
  AND EXISTS (SELECT 1 FROM journal_entries e WHERE e.key = 'release:' || CAST(o.id AS TEXT))
GROUP BY o.id
"""


async def paid_orders_captured(ctx: Context) -> list[Discrepancy]:
    rows = await ctx.rows(CAPTURED_SQL)
    return [
        Discrepancy("capture_differs", f"order:{order}", int(total), int(captured))
        for order, total, captured in rows
    ]


async def completed_orders_released(ctx: Context) -> list[Discrepancy]:
    rows = await ctx.rows(HELD_SQL)
    return [
        Discrepancy("escrow_not_released", f"order:{order}", 0, int(held)) for order, held in rows
    ]


async def release_splits(ctx: Context) -> list[Discrepancy]:
    released = await ctx.rows(RELEASED_SQL)
    other_out = {int(order): int(out) for order, out in await ctx.rows(OTHER_OUT_SQL)}
    on_lines = {int(order): int(c) for order, c in await ctx.rows(LINE_COMMISSION_SQL)}
    found: list[Discrepancy] = []
    for order, total, seller, commission in released:
        order_id = int(order)
        accounted = int(seller) + int(commission) + other_out.get(order_id, 0)
        if accounted != int(total):
            found.append(Discrepancy("release_differs", f"order:{order_id}", int(total), accounted))
        if on_lines.get(order_id, 0) != int(commission):
            found.append(
                Discrepancy(
                    "line_commission_differs", f"order:{order_id}", int(commission),
                    on_lines.get(order_id, 0),
                )
            )  # fmt: skip
    return found
