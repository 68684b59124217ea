"""Settlement: what sellers are owed and how it reaches them. Public surface.

Balances and statements (reads):
    shop_balance(db, *, shop_id, currency) -> ShopBalance (available payable, in escrow
        for its orders, payouts in transit, deposit held)
    shop_statement(db, *, shop_id, currency, start, end) -> Statement: every journal line
        on the shop's payable and deposit, explained by its business key (KEY_KINDS) with a
        running balance; statement_csv(statement) -> its CSV (CSV_HEADER)
Payouts (rules.PAYOUT_TRANSITIONS: requested -> sent -> paid, or failed):
    request_payout(db, provider, *, shop_id, amount, now, token, requested_by) -> PayoutView
    run_payouts(db, provider, *, key, minimum, now) -> RunOutcome: every shop holding at
        least `minimum`, once per run key; send_requested_payouts retries the unsent;
        resume_unfinished_runs finishes the runs a crash left running (the timer)
    confirm_payout(db, *, provider_payout_id, amount, now) -> outcome (the provider's
        payout.paid; apply_payout_event(db, *, event, now) for any webhook event);
        fail_payout(db, *, payout_id, reason, now) (money back to payable)
    shop_payouts(db, *, shop_id), payout_runs(db) (reads)
Annual fees (fees: pure arithmetic; annual_fees: the entries):
    charge_annual_fees(db, *, year, now), grant_rebates(db, *, year, now, schedule); what
    the payable could not pay is owed (fees receivable, ShopBalance.fees_owed) and taken by
    the next payout run (fee-collection:<run key>:<shop>);
    RebateSchedule, RebateTier, rebate_amount, fee_key, rebate_key.
Ledger keys: payout:<id>, payout-paid:<id>, payout-failed:<id>, fee-collection:<run>:<shop>,
annual-fee:<shop>:<category>:<year>, annual-fee-rebate:<shop>:<category>:<year>."""

from galerie.settlement.annual_fees import (
    category_sales,
    charge_annual_fee,
    charge_annual_fees,
    grant_rebate,
    grant_rebates,
)
from galerie.settlement.balance import ShopBalance, available_payable, shop_balance
from galerie.settlement.errors import (
    BadPayoutAmount,
    BadStatementPeriod,
    NoPayoutDestination,
    PayoutExceedsBalance,
    PayoutNotFound,
)
from galerie.settlement.fees import (
    RebateSchedule,
    RebateTier,
    fee_key,
    rebate_amount,
    rebate_key,
    rebate_share_bp,
)
from galerie.settlement.payouts import (
    PayoutView,
    apply_payout_event,
    confirm_payout,
    fail_payout,
    request_payout,
    send_payout,
    shop_payouts,
)
from galerie.settlement.rules import KEY_KINDS, PAYOUT_TRANSITIONS, KeyKind, LineKind, PayoutStatus
from galerie.settlement.runs import (
    RunOutcome,
    RunView,
    payout_runs,
    resume_unfinished_runs,
    run_payouts,
    send_requested_payouts,
)
from galerie.settlement.statement import (
    CSV_HEADER,
    Statement,
    StatementLine,
    shop_statement,
    statement_csv,
)

__all__ = [
    "CSV_HEADER",
    "KEY_KINDS",
    "PAYOUT_TRANSITIONS",
    "BadPayoutAmount",
    "BadStatementPeriod",
    "KeyKind",
    "LineKind",
    "NoPayoutDestination",
    "PayoutExceedsBalance",
    "PayoutNotFound",
    "PayoutStatus",
    "PayoutView",
    "RebateSchedule",
    "RebateTier",
    "RunOutcome",
    "RunView",
    "ShopBalance",
    "Statement",
    "StatementLine",
    "apply_payout_event",
    "available_payable",
    "category_sales",
    "charge_annual_fee",
    "charge_annual_fees",
    "confirm_payout",
    "fail_payout",
    "fee_key",
    "grant_rebate",
    "grant_rebates",
    "payout_runs",
    "rebate_amount",
    "rebate_key",
    "rebate_share_bp",
    "request_payout",
    "resume_unfinished_runs",
    "run_payouts",
    "send_payout",
    "send_requested_payouts",
    "shop_balance",
    "shop_payouts",
    "shop_statement",
    "statement_csv",
]
