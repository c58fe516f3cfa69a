"""Loads `workspace.json` into the database in one transaction. Dates in the file are relative to the day of
loading, so the demo never goes stale. Loading again changes nothing: every row has a stable demo key."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge import audit
from knowledge import models as m
from knowledge.db import Database
from knowledge.enums import FeedbackKind, Severity
from knowledge.schemas import Actor
from knowledge.sla import sla_due

WORKSPACE_FILE = Path(__file__).with_name("workspace.json")
DEMO_ACTOR = Actor(name="demo-loader")


@dataclass(frozen=True)
class DemoSummary:
    """How many rows of each kind the load added (0 when already loaded)."""

    projects: int
    members: int
    tasks: int
    feedback: int


def _at(now: dt.datetime, days_ago: int | None) -> dt.datetime | None:
    return None if days_ago is None else now - dt.timedelta(days=days_ago)


def _add(s: Session, row: m.Base, entity: str) -> None:
    s.add(row)
    s.flush()
    audit.record(s, DEMO_ACTOR, "create", entity, getattr(row, "id"), None, audit.snapshot(row))  # noqa: B009


def load_demo(
    db: Database,
    *,
    now: dt.datetime,
    tz: ZoneInfo,
    simple_hours: int,
    complex_hours: int,
    path: Path = WORKSPACE_FILE,
) -> DemoSummary:
    """Add whatever part of the demo workspace is missing; returns what was added."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    today = now.astimezone(tz).date()
    added = {"projects": 0, "members": 0, "tasks": 0, "feedback": 0}
    with db.write() as s:
        projects = {p.key: p.id for p in s.scalars(select(m.Project))}
        for p in data["projects"]:
            if p["key"] not in projects:
                project = m.Project(**p, created_at=now, updated_at=now)
                _add(s, project, "project")
                projects[p["key"]] = project.id
                added["projects"] += 1
        members = {mem.key: mem.id for mem in s.scalars(select(m.Member))}
        names = {mem.key: mem.name for mem in s.scalars(select(m.Member))}
        for mem in data["members"]:
            if mem["key"] not in members:
                member = m.Member(**mem, created_at=now, updated_at=now)
                _add(s, member, "member")
                members[mem["key"]] = member.id
                names[mem["key"]] = member.name
                added["members"] += 1
        have_tasks = set(s.scalars(select(m.Task.idempotency_key).where(m.Task.idempotency_key.like("demo:%"))))
        for t in data["tasks"]:
            key = f"demo:{t['key']}"
            if key in have_tasks:
                continue
            created = _at(now, t["created_days_ago"]) or now
            task = m.Task(
                title=t["title"],
                description=t.get("description"),
                project_id=projects[t["project"]],
                assignee_id=members[t["assignee"]] if t.get("assignee") else None,
                status=t["status"],
                priority=t["priority"],
                due_date=None if t.get("due_in_days") is None else today + dt.timedelta(days=t["due_in_days"]),
                progress=t["progress"],
                source="import",
                idempotency_key=key,
                created_at=created,
                updated_at=_at(now, t.get("completed_days_ago")) or created,
                completed_at=_at(now, t.get("completed_days_ago")),
            )
            _add(s, task, "task")
            added["tasks"] += 1
        have_feedback = {
            k: i
            for i, k in s.execute(
                select(m.Feedback.id, m.Feedback.idempotency_key).where(m.Feedback.idempotency_key.like("demo:%"))
            ).all()
        }
        for f in data["feedback"]:
            key = f"demo:{f['key']}"
            if key in have_feedback:
                continue
            created = _at(now, f["created_days_ago"]) or now
            kind, severity = FeedbackKind(f["kind"]), Severity(f["severity"])
            item = m.Feedback(
                text=f["text"],
                language=f["lang"],
                kind=kind.value,
                severity=severity.value,
                status=f["status"],
                resolution=f.get("resolution"),
                reporter=names.get(f["reporter"], f["reporter"]) if f.get("reporter") else None,
                department=f.get("department"),
                source="import",
                idempotency_key=key,
                created_at=created,
                updated_at=created,
                sla_due=sla_due(created, kind, severity, simple_hours, complex_hours),
                duplicate_of=have_feedback[f"demo:{f['duplicate_of']}"] if f.get("duplicate_of") else None,
            )
            _add(s, item, "feedback")
            have_feedback[key] = item.id
            added["feedback"] += 1
    return DemoSummary(**added)
