"""The demo's history, delivered: every sellers event the seed wrote becomes mail to the
organisations' owners and managers, and nothing fails."""

from __future__ import annotations

from collections import defaultdict
from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path

from sqlalchemy import func, select

from galerie.db import Database
from galerie.db.outbox import OutboxEvent
from galerie.kernel import FixedClock
from galerie.notifications import OutboxFolderMailer
from galerie.sellers.models import SellerApplication
from galerie.workers import OutboxDispatcher, build_handlers
from tests.factories import BASE_URL, SECRET

NORDHAVN_MANAGEMENT = {"owner@nordhavn.test", "manager@nordhavn.test"}


async def test_the_demo_history_mails_owners_and_managers_only(
    base_db: Database, clock: FixedClock, tmp_path: Path
) -> None:
    db = base_db  # the run's seeded demo (tests/integration/demo_support.py), rolled back
    folder = tmp_path / "mail"
    dispatcher = OutboxDispatcher(
        db,
        build_handlers(mailer=OutboxFolderMailer(folder), secret_key=SECRET, base_url=BASE_URL),
        clock,
        batch_size=500,
    )
    while await dispatcher.dispatch_pending():
        pass
    async with db.reading() as session:
        failed = await session.scalar(
            select(func.count()).select_from(OutboxEvent).where(OutboxEvent.dispatched_at.is_(None))
        )
        rows = await session.execute(select(SellerApplication.legal_name, SellerApplication.id))
        ids = dict(rows.tuples().all())
    nordhavn, sabots = ids["Nordhavn Foods A/S"], ids["Atelier des Sabots SARL"]
    assert failed == 0
    received: dict[str, set[str]] = defaultdict(set)
    for path in folder.glob("seller-*.eml"):
        mail = message_from_bytes(path.read_bytes(), policy=default_policy)
        received[str(mail["Subject"])].add(str(mail["To"]))
    assert received[f"Application no. {nordhavn} approved"] == NORDHAVN_MANAGEMENT
    assert received[f"Application no. {nordhavn}: changes requested"] == NORDHAVN_MANAGEMENT
    everyone = set().union(*received.values())
    assert "staff@nordhavn.test" not in everyone
    assert "agency@partners.test" not in everyone
    assert received[f"Demande n° {sabots} reçue"] == {"owner@sabots.test"}  # Camille's French
