"""Database access: metadata, engines, sessions, raw SQL for hot paths, migrations."""

from galerie.db.base import Base, BigId, IdPK, Timestamp, UTCDateTime, metadata
from galerie.db.engine import Database
from galerie.db.raw import RawSQL

__all__ = ["Base", "BigId", "Database", "IdPK", "RawSQL", "Timestamp", "UTCDateTime", "metadata"]
