"""Sellers and shops: applications and their vetting, brands and authorisations, shops and
their lifecycle. Public surface.

Use cases (each owns one transaction) live in applications, documents, vetting, brands and
shops; the two state machines in states (tables) and machine (the transition functions);
pure rules in rules (automatic checks) and fees (deposits, annual fees); reads in queries.
For galerie.deposits (inside its transaction): deposit_terms (required and held, the held
figure read from the ledger), restrict_shop and lift_shop_restriction (the system's steps of
the shop machine, live <-> restricted)."""

from galerie.sellers.applications import start_application, submit_application, update_application
from galerie.sellers.brands import (
    AuthorisationForm,
    TrademarkForm,
    record_brand_authorisation,
    register_brand,
)
from galerie.sellers.deadlines import announce_document_deadlines
from galerie.sellers.documents import add_application_document, document_file
from galerie.sellers.events import (
    ApplicationApproved,
    ApplicationChangesRequested,
    ApplicationChecksPassed,
    ApplicationDocumentAdded,
    ApplicationRejected,
    ApplicationReviewerAssigned,
    ApplicationSubmitted,
    BrandAuthorisationRecorded,
    BrandRegistered,
    DocumentExpired,
    DocumentExpiring,
    ShopClosed,
    ShopDecorated,
    ShopDepositPaid,
    ShopPublished,
    ShopReinstated,
    ShopRestricted,
    ShopRestrictionLifted,
    ShopSuspended,
)
from galerie.sellers.extensions import apply_for_extension
from galerie.sellers.fees import FeeSchedule, annual_fee, required_deposit
from galerie.sellers.follows import (
    follow_shop,
    followed_shops,
    follower_count,
    is_following,
    unfollow_shop,
)
from galerie.sellers.pictures import PICTURE_KINDS, set_shop_picture
from galerie.sellers.queries import (
    ApplicationDetail,
    ApplicationSummary,
    QueueFilter,
    ShopView,
    application_detail,
    may_sell,
    organisation_applications,
    review_queue,
    shop_by_slug,
    shop_directory,
)
from galerie.sellers.restriction import (
    DepositTerms,
    deposit_terms,
    lift_shop_restriction,
    restrict_shop,
)
from galerie.sellers.rules import (
    ApplicantKind,
    ApplicationKind,
    DocumentKind,
    Finding,
    Severity,
    ShopType,
)
from galerie.sellers.shops import Decoration, change_shop_status, decorate_shop
from galerie.sellers.states import (
    APPLICATION_TRANSITIONS,
    SHOP_TRANSITIONS,
    ApplicationAction,
    ApplicationStatus,
    ShopAction,
    ShopStatus,
)
from galerie.sellers.validation import ApplicationForm
from galerie.sellers.vetting import (
    approve_application,
    assign_reviewer,
    reject_application,
    request_changes,
)

__all__ = [
    "APPLICATION_TRANSITIONS",
    "PICTURE_KINDS",
    "SHOP_TRANSITIONS",
    "ApplicantKind",
    "ApplicationAction",
    "ApplicationApproved",
    "ApplicationChangesRequested",
    "ApplicationChecksPassed",
    "ApplicationDetail",
    "ApplicationDocumentAdded",
    "ApplicationForm",
    "ApplicationKind",
    "ApplicationRejected",
    "ApplicationReviewerAssigned",
    "ApplicationStatus",
    "ApplicationSubmitted",
    "ApplicationSummary",
    "AuthorisationForm",
    "BrandAuthorisationRecorded",
    "BrandRegistered",
    "Decoration",
    "DepositTerms",
    "DocumentExpired",
    "DocumentExpiring",
    "DocumentKind",
    "FeeSchedule",
    "Finding",
    "QueueFilter",
    "Severity",
    "ShopAction",
    "ShopClosed",
    "ShopDecorated",
    "ShopDepositPaid",
    "ShopPublished",
    "ShopReinstated",
    "ShopRestricted",
    "ShopRestrictionLifted",
    "ShopStatus",
    "ShopSuspended",
    "ShopType",
    "ShopView",
    "TrademarkForm",
    "add_application_document",
    "announce_document_deadlines",
    "annual_fee",
    "application_detail",
    "apply_for_extension",
    "approve_application",
    "assign_reviewer",
    "change_shop_status",
    "decorate_shop",
    "deposit_terms",
    "document_file",
    "follow_shop",
    "followed_shops",
    "follower_count",
    "is_following",
    "lift_shop_restriction",
    "may_sell",
    "organisation_applications",
    "record_brand_authorisation",
    "register_brand",
    "reject_application",
    "request_changes",
    "required_deposit",
    "restrict_shop",
    "review_queue",
    "set_shop_picture",
    "shop_by_slug",
    "shop_directory",
    "start_application",
    "submit_application",
    "unfollow_shop",
    "update_application",
]
