"""Database access: metadata, engines, sessions, raw SQL for hot paths, migrations."""

from galerie.db.base import Base, BigId, IdPK, Timestamp, UTCDateTime, metadata
from galerie.db.engine import Database
from galerie.db.raw import NeedsTransaction, RawSQL

__all__ = [
    "Base",
    "BigId",
    "Database",
    "IdPK",
    "NeedsTransaction",
    "RawSQL",
    "Timestamp",
    "UTCDateTime",
    "metadata",
]
