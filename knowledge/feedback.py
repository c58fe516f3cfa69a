"""Feedback: every bug report, wish, complaint, question and word of praise, with its SLA and resolution."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from errors import Conflict, InvalidInput, NotFound
from intents.feedback_kind import guess_kind
from intents.language import detect_language
from knowledge import audit
from knowledge import models as m
from knowledge.db import Database
from knowledge.enums import FeedbackKind, FeedbackStatus, Severity
from knowledge.paging import paginate
from knowledge.schemas import Actor, Feedback, FeedbackCreate, FeedbackPatch, FeedbackQuery, Page
from knowledge.sla import sla_due


class FeedbackStore:
    """Feedback in Qiao's database. Writes are atomic and audited."""

    def __init__(
        self,
        db: Database,
        *,
        simple_hours: int,
        complex_hours: int,
        max_page_size: int,
        clock: Callable[[], dt.datetime] | None = None,
        on_created: Callable[[Feedback], None] | None = None,
    ) -> None:
        self.db = db
        self.simple_hours = simple_hours
        self.complex_hours = complex_hours
        self.max_page_size = max_page_size
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        # Called with each new item after its transaction commits (the wiring uses it to embed feedback).
        self.on_created = on_created

    def create(self, data: FeedbackCreate, actor: Actor, idempotency_key: str | None = None) -> tuple[Feedback, bool]:
        """Store one item; returns (item, created). A repeated idempotency key returns the first item."""
        created_at = data.created_at or self.clock()
        if created_at.tzinfo is None:
            raise InvalidInput(
                "created_at needs a time zone offset, e.g. 2026-11-24T10:00:00+08:00",
                "created_at 需要带时区，例如 2026-11-24T10:00:00+08:00",
            )
        kind = data.kind or guess_kind(data.text)
        row = m.Feedback(
            text=data.text,
            language=data.language or detect_language(data.text),
            kind=kind.value,
            severity=data.severity.value,
            status=FeedbackStatus.open.value,
            reporter=data.reporter,
            reporter_id=actor.member_id,
            department=data.department,
            source=data.source.value,
            idempotency_key=idempotency_key,
            created_at=created_at,
            updated_at=self.clock(),
            sla_due=sla_due(created_at, kind, data.severity, self.simple_hours, self.complex_hours),
        )
        try:
            with self.db.write() as s:
                if idempotency_key and (existing := self._by_key(s, idempotency_key, data.text)) is not None:
                    return existing, False
                s.add(row)
                s.flush()
                audit.record(s, actor, "create", "feedback", row.id, None, audit.snapshot(row))
                item = Feedback.model_validate(row)
        except IntegrityError:
            if not idempotency_key:
                raise
            with self.db.read() as s:
                existing = self._by_key(s, idempotency_key, data.text)
            if existing is None:
                raise
            return existing, False
        if self.on_created is not None:
            self.on_created(item)
            item = self.get(item.id)  # the callback may have filed it under a theme
        return item, True

    def _by_key(self, s: Session, key: str, text: str) -> Feedback | None:
        row = s.scalar(select(m.Feedback).where(m.Feedback.idempotency_key == key))
        if row is None:
            return None
        if row.text != text:
            raise Conflict(
                "Idempotency-Key was already used for different feedback: use a new key",
                "该 Idempotency-Key 已用于另一条反馈：请使用新的 key",
            )
        return Feedback.model_validate(row)

    def get(self, feedback_id: int, viewer: int | None = None) -> Feedback:
        """One item; `viewer` set: only if that member reported it (else NotFound)."""
        with self.db.read() as s:
            return Feedback.model_validate(self._row(s, feedback_id, viewer))

    def _row(self, s: Session, feedback_id: int, viewer: int | None = None) -> m.Feedback:
        row = s.get(m.Feedback, feedback_id)
        if row is None or (viewer is not None and row.reporter_id != viewer):
            raise NotFound(f"feedback {feedback_id} does not exist", f"反馈 {feedback_id} 不存在")
        return row

    def list(self, query: FeedbackQuery) -> Page[Feedback]:
        with self.db.read() as s:
            stmt: Select[tuple[m.Feedback]] = select(m.Feedback)
            if query.kind:
                stmt = stmt.where(m.Feedback.kind.in_([k.value for k in query.kind]))
            if query.status:
                stmt = stmt.where(m.Feedback.status.in_([st.value for st in query.status]))
            if query.theme is not None:
                stmt = stmt.where(m.Feedback.theme_id == query.theme)
            if query.visible_to is not None:
                stmt = stmt.where(m.Feedback.reporter_id == query.visible_to)
            if query.since is not None:
                since = query.since if query.since.tzinfo else query.since.replace(tzinfo=dt.UTC)
                stmt = stmt.where(m.Feedback.created_at >= since)
            rows, total, next_cursor = paginate(
                s,
                stmt,
                m.Feedback.id,
                limit=query.limit,
                offset=query.offset,
                cursor=query.cursor,
                max_limit=self.max_page_size,
            )
            return Page[Feedback](
                items=[Feedback.model_validate(r[0]) for r in rows],
                total=total,
                limit=query.limit,
                offset=query.offset,
                next_cursor=next_cursor,
            )

    def update(self, feedback_id: int, patch: FeedbackPatch, actor: Actor) -> Feedback:
        changes = patch.model_dump(exclude_unset=True)
        for required in ("kind", "severity", "status"):
            if required in changes and changes[required] is None:
                raise InvalidInput(f"{required} cannot be null", f"{required} 不能为空")
        with self.db.write() as s:
            row = self._row(s, feedback_id)
            before = audit.snapshot(row)
            if changes.get("duplicate_of") is not None:
                if changes["duplicate_of"] == feedback_id:
                    raise InvalidInput("an item cannot duplicate itself", "反馈不能标记为自身的重复")
                self._row(s, changes["duplicate_of"])
            if changes.get("theme_id") is not None and s.get(m.Theme, changes["theme_id"]) is None:
                raise InvalidInput(
                    f"theme {changes['theme_id']} does not exist: GET /api/v1/themes lists them",
                    f"主题 {changes['theme_id']} 不存在",
                )
            resolution = changes.get("resolution", row.resolution)
            if changes.get("status") == FeedbackStatus.resolved and not resolution:
                raise InvalidInput(
                    "a resolved item needs a resolution: send `resolution` with the answer or fix",
                    "标记为已解决时需要填写 `resolution`（解决办法或答复）",
                )
            for field, value in changes.items():
                setattr(row, field, value)
            if "kind" in changes or "severity" in changes:
                row.sla_due = sla_due(
                    row.created_at,
                    FeedbackKind(row.kind),
                    Severity(row.severity),
                    self.simple_hours,
                    self.complex_hours,
                )
            row.updated_at = self.clock()
            s.flush()
            audit.record(s, actor, "update", "feedback", row.id, before, audit.snapshot(row))
            return Feedback.model_validate(row)
