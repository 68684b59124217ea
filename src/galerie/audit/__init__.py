"""The audit log of privileged actions: public surface."""

from galerie.audit.models import AuditRecord
from galerie.audit.queries import list_audit_records
from galerie.audit.services import AuditContext, Outcome, record_audit

__all__ = ["AuditContext", "AuditRecord", "Outcome", "list_audit_records", "record_audit"]
