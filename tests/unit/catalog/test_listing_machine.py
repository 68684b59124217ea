"""The listing machine's table, exhaustively: every (status, action, actor) triple."""

from __future__ import annotations

import itertools

from galerie.catalog import LISTING_TRANSITIONS, ListingAction, ListingActor, ListingStatus
from galerie.catalog.listing import listing_step

S, A, B = ListingStatus, ListingAction, ListingActor
EXPECTED = {
    (S.DRAFT, A.SUBMIT, B.SELLER): S.PENDING,
    (S.REJECTED, A.SUBMIT, B.SELLER): S.PENDING,
    (S.PENDING, A.PASS_CHECKS, B.SYSTEM): S.LIVE,
    (S.PENDING, A.FAIL_CHECKS, B.SYSTEM): S.REJECTED,
    (S.LIVE, A.FAIL_CHECKS, B.SYSTEM): S.REJECTED,
    (S.LIVE, A.HOLD_FOR_REVIEW, B.SYSTEM): S.PENDING,
    (S.PENDING, A.APPROVE, B.OPERATOR): S.LIVE,
    (S.PENDING, A.REJECT, B.OPERATOR): S.REJECTED,
    (S.LIVE, A.DELIST, B.OPERATOR): S.DELISTED,
    (S.PENDING, A.WITHDRAW, B.SELLER): S.DRAFT,
    (S.LIVE, A.WITHDRAW, B.SELLER): S.DRAFT,
    (S.REJECTED, A.WITHDRAW, B.SELLER): S.DRAFT,
}


def test_every_triple_is_allowed_exactly_as_listed() -> None:
    for status, action, actor in itertools.product(S, A, B):
        step = listing_step(status, action, actor)
        expected = EXPECTED.get((status, action, actor))
        assert (None if step is None else step.to) == expected, (status, action, actor)


def test_reasons_are_required_exactly_for_operator_refusals() -> None:
    required = {key for key, step in LISTING_TRANSITIONS.items() if step.reason_required}
    assert required == {(S.PENDING, A.REJECT), (S.LIVE, A.DELIST)}


def test_delisted_is_left_by_nobody_and_unknown_statuses_by_nothing() -> None:
    assert all(listing_step(S.DELISTED, a, b) is None for a, b in itertools.product(A, B))
    assert listing_step("archived", A.SUBMIT, B.SELLER) is None
