"""Operators: the platform's staff and their roles (vetting, moderation, finance, support,
admin). Creating one is a bootstrap action (command line, seeding); granting and revoking
roles needs CONSOLE_OPERATORS_MANAGE, and a refusal is audited (see guards)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.audit import AuditContext
from galerie.db import Database
from galerie.identity._sql import changed_rows
from galerie.identity.accounts import insert_user, prepare_account
from galerie.identity.events import OperatorCreated, OperatorRoleGranted, OperatorRoleRevoked
from galerie.identity.guards import record_privileged, require_permission
from galerie.identity.models import OperatorRoleGrant, User
from galerie.identity.rules import OperatorRole, Permission, Principal
from galerie.kernel import Conflict, NotFound, ValidationFailed


def _roles(roles: Iterable[str]) -> list[OperatorRole]:
    chosen = list(dict.fromkeys(roles))
    if not chosen:
        raise ValidationFailed("Choose at least one role.", field="roles", code="no_roles")
    return [_role(r) for r in chosen]


def _role(role: str) -> OperatorRole:
    if role not in OperatorRole._value2member_map_:
        raise ValidationFailed("Unknown operator role.", field="role", code="unknown_role")
    return OperatorRole(role)


async def create_operator(
    db: Database,
    *,
    email: str,
    password: str,
    display_name: str,
    roles: list[OperatorRole],
    language: str,
    now: datetime,
    audit: AuditContext,
) -> int:
    """Create an operator account with at least one role; returns its user id."""
    granted = _roles(roles)
    account = prepare_account(
        email=email, password=password, display_name=display_name, language=language
    )
    async with db.transaction() as session:
        user = await insert_user(session, account, now=now)
        for role in granted:
            session.add(
                OperatorRoleGrant(
                    user_id=user.id, role=role.value, granted_at=now, granted_by=audit.actor_user_id
                )
            )
        names = tuple(r.value for r in granted)
        record_privileged(
            session,
            context=audit,
            action="identity.operator_created",
            now=now,
            target_type="user",
            target_id=user.id,
            details={"roles": list(names)},
            event=OperatorCreated(user_id=user.id, email=user.email, roles=names),
        )
        return user.id


async def _may_manage_operators(
    db: Database, actor: Principal, audit: AuditContext, action: str, now: datetime, user_id: int
) -> AuditContext:
    return await require_permission(
        db,
        actor=actor,
        permission=Permission.CONSOLE_OPERATORS_MANAGE,
        audit=audit,
        action=action,
        now=now,
        target_type="user",
        target_id=user_id,
    )


async def grant_operator_role(
    db: Database,
    *,
    actor: Principal,
    user_id: int,
    role: OperatorRole,
    now: datetime,
    audit: AuditContext,
) -> None:
    """Give an active person an operator role (an already held role is a Conflict)."""
    action = "identity.operator_role_granted"
    context = await _may_manage_operators(db, actor, audit, action, now, user_id)
    granted = _role(role)
    async with db.transaction() as session:
        await _insert_grant(session, user_id, granted, now=now, granted_by=actor.user_id)
        record_privileged(
            session,
            context=context,
            action=action,
            now=now,
            target_type="user",
            target_id=user_id,
            details={"role": granted.value},
            event=OperatorRoleGranted(
                user_id=user_id, role=granted.value, granted_by=actor.user_id
            ),
        )


async def _insert_grant(
    session: AsyncSession, user_id: int, role: OperatorRole, *, now: datetime, granted_by: int
) -> None:
    """Grant `role` to an active user; the primary key (user, role) decides duplicates."""
    user = await session.get(User, user_id)
    if user is None or not user.is_active:
        raise NotFound("No such account.", code="user_not_found")
    session.add(
        OperatorRoleGrant(user_id=user_id, role=role.value, granted_at=now, granted_by=granted_by)
    )
    try:
        await session.flush()
    except IntegrityError as exc:
        raise Conflict("This person already has this role.", code="role_already_granted") from exc


async def revoke_operator_role(
    db: Database,
    *,
    actor: Principal,
    user_id: int,
    role: OperatorRole,
    now: datetime,
    audit: AuditContext,
) -> None:
    """Take an operator role away; the last administrator keeps theirs (Conflict)."""
    action = "identity.operator_role_revoked"
    context = await _may_manage_operators(db, actor, audit, action, now, user_id)
    revoked = _role(role)
    async with db.transaction() as session:
        if revoked is OperatorRole.ADMIN:
            await _lock_admin_grants(session)
        removed = await changed_rows(
            session,
            delete(OperatorRoleGrant).where(
                OperatorRoleGrant.user_id == user_id, OperatorRoleGrant.role == revoked.value
            ),
        )
        if removed != 1:
            raise NotFound("This person does not have this role.", code="role_not_granted")
        if revoked is OperatorRole.ADMIN and await _admin_count(session) == 0:
            raise Conflict("At least one administrator must remain.", code="last_admin")
        record_privileged(
            session,
            context=context,
            action=action,
            now=now,
            target_type="user",
            target_id=user_id,
            details={"role": revoked.value},
            event=OperatorRoleRevoked(
                user_id=user_id, role=revoked.value, revoked_by=actor.user_id
            ),
        )


async def _lock_admin_grants(session: AsyncSession) -> None:
    """On PostgreSQL, lock every admin grant (in key order) so that two administrators
    revoking each other cannot both succeed; SQLite's single writer already serialises."""
    await session.execute(
        select(OperatorRoleGrant.user_id)
        .where(OperatorRoleGrant.role == OperatorRole.ADMIN.value)
        .order_by(OperatorRoleGrant.user_id)
        .with_for_update()
    )


async def _admin_count(session: AsyncSession) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(OperatorRoleGrant)
        .where(OperatorRoleGrant.role == OperatorRole.ADMIN.value)
    )
    return count or 0
