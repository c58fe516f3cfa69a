"""Per-session conversation state, kept in the database: what is awaiting the user's confirmation or answer,
and the history of messages."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import select

from errors import InvalidInput, NotFound
from knowledge import models as m
from knowledge.db import Database
from knowledge.schemas import Actor


class Draft(BaseModel):
    """A task being created, or the changes to one being updated."""

    task_id: int | None = None
    title: str | None = None
    project_id: int | None = None
    project: str | None = None
    assignee_id: int | None = None
    assignee: str | None = None
    due: dt.date | None = None
    priority: str | None = None
    status: str | None = None
    progress: int | None = None
    changes: list[str] = Field(default_factory=list)


class Report(BaseModel):
    """Feedback awaiting Confirm."""

    text: str
    kind: str
    severity: str
    duplicate_of: int | None = None


class Pending(BaseModel):
    """What the next message or button press completes."""

    kind: Literal["create", "update", "report", "file_question"]
    source: Literal["chat", "voice"] = Field("chat", description="How the request came: typed or spoken.")
    draft: Draft | None = None
    report: Report | None = None
    question: str | None = None
    awaiting: Literal["title", "project", "task", "change"] | None = None
    options: list[int] = Field(default_factory=list, description="Project or task ids offered to choose from.")
    actions: dict[str, str] = Field(default_factory=dict, description="Action id → confirm | edit | cancel.")


class State(BaseModel):
    pending: Pending | None = None
    clarify_text: str | None = None
    clarify_options: list[str] = Field(default_factory=list)
    done_actions: dict[str, int] = Field(default_factory=dict, description="Confirmed action id → written row id.")


class Message(BaseModel):
    role: Literal["user", "assistant"]
    text: str
    payload: dict[str, Any]
    created_at: dt.datetime


class Session(BaseModel):
    id: str
    member_id: int | None
    language: Literal["zh", "en"]
    state: State


def _missing(session_id: str) -> NotFound:
    return NotFound(f"conversation {session_id} does not exist", f"会话 {session_id} 不存在")


def _visible(row: m.Conversation | None, session_id: str | None, actor: Actor | None) -> m.Conversation | None:
    """`row`, unless it is someone else's and `actor` sees only their own: then NotFound (not 403, which would
    confirm that the id exists)."""
    if row is not None and actor is not None and actor.own_only and row.owner != actor.owner:
        raise _missing(session_id or "")
    return row


def new_action_id() -> str:
    return "act_" + secrets.token_urlsafe(9)


class SessionStore:
    """Conversations and their messages in Qiao's database."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def open(
        self, session_id: str | None, member_id: int | None, language: Literal["zh", "en"], actor: Actor | None = None
    ) -> Session:
        """The session `session_id` (created if new or None, owned by `actor`); raises NotFound when it belongs to
        someone else and `actor` sees only their own."""
        if session_id is not None and not (0 < len(session_id) <= 64 and session_id.replace("-", "").isalnum()):
            raise InvalidInput(
                "session_id must be 1-64 letters, digits or dashes: omit it to start a new conversation",
                "session_id 须为 1-64 位字母、数字或短横线：不传则开始新会话",
            )
        with self.db.write() as s:
            row = _visible(s.get(m.Conversation, session_id) if session_id else None, session_id, actor)
            if row is None:
                row = m.Conversation(
                    id=session_id or secrets.token_hex(12),
                    member_id=member_id,
                    owner=actor.owner if actor else None,
                    language=language,
                    state={},
                )
                s.add(row)
            elif member_id is not None and row.member_id is None:
                row.member_id = member_id
            s.flush()
            return Session(
                id=row.id,
                member_id=row.member_id,
                language=row.language,
                state=State.model_validate(row.state or {}),
            )

    def get(self, session_id: str, actor: Actor | None = None) -> Session:
        """The session; raises NotFound if it doesn't exist or `actor` may not see it."""
        with self.db.read() as s:
            row = _visible(s.get(m.Conversation, session_id), session_id, actor)
            if row is None:
                raise _missing(session_id)
            return Session(
                id=row.id,
                member_id=row.member_id,
                language=row.language,
                state=State.model_validate(row.state or {}),
            )

    def save(self, session: Session, messages: list[tuple[str, str, dict[str, Any]]]) -> None:
        """Store the new state and append (role, text, payload) messages, in one transaction."""
        with self.db.write() as s:
            row = s.get(m.Conversation, session.id)
            if row is None:
                raise _missing(session.id)
            row.state = session.state.model_dump(mode="json")
            row.language = session.language
            row.updated_at = dt.datetime.now(dt.UTC)
            for role, text, payload in messages:
                s.add(m.Message(conversation_id=session.id, role=role, text=text, payload=payload))

    def history(self, session_id: str, actor: Actor | None = None) -> list[Message]:
        """The messages so far; raises NotFound as `get` does."""
        self.get(session_id, actor)
        with self.db.read() as s:
            rows = s.scalars(
                select(m.Message).where(m.Message.conversation_id == session_id).order_by(m.Message.id)
            ).all()
            return [Message(role=r.role, text=r.text, payload=r.payload, created_at=r.created_at) for r in rows]
