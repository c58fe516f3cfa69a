"""The audit log: every write records who did what, with the row before and after, in the same transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import DeclarativeBase, Session

from knowledge.models import AuditEntry
from knowledge.schemas import Actor


def snapshot(row: DeclarativeBase) -> dict[str, Any]:
    """The row's columns as JSON-safe values."""
    out: dict[str, Any] = {}
    for column in inspect(row).mapper.column_attrs:
        value = getattr(row, column.key)
        out[column.key] = value.isoformat() if isinstance(value, dt.date | dt.datetime) else value
    return out


def record(
    session: Session,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: object,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    """Add one audit entry to the session's transaction (it commits or rolls back with the write)."""
    session.add(
        AuditEntry(
            actor=actor.name,
            key_id=actor.key_id,
            action=action,
            entity=entity,
            entity_id=str(entity_id),
            before=before,
            after=after,
        )
    )
