"""What every step of a turn needs: the services it calls, the session, the caller, the language and `now`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal
from zoneinfo import ZoneInfo

from assistant.cards import Action, Card
from assistant.replies import label
from assistant.session import Session, SessionStore, new_action_id
from intents.service import Understanding
from knowledge.enums import Source
from knowledge.feedback import FeedbackStore
from knowledge.feedback_memory import FeedbackMemory
from knowledge.schemas import Actor, Member, Task, TaskQuery
from knowledge.workspace import TaskStore
from retrieval.ask import AskService
from retrieval.llm import ChatModel

Lang = Literal["zh", "en"]


@dataclass
class Deps:
    """The services a conversation uses (wired once per app)."""

    tasks: TaskStore
    feedback: FeedbackStore
    memory: FeedbackMemory
    asker: AskService
    understanding: Understanding
    sessions: SessionStore
    tz: ZoneInfo
    chat: ChatModel | None = None


@dataclass
class Turn:
    """One user message or button press being handled."""

    session: Session
    lang: Lang
    caller: Member | None
    now: dt.datetime
    actor: Actor
    source: Source = Source.chat

    @property
    def today(self) -> dt.date:
        return self.now.date()


@dataclass
class Reply:
    """What a step answers; the engine adds the session id and stores it."""

    text: str
    intent: str | None = None
    cards: list[Card] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)


def buttons(turn: Turn, *kinds: str) -> list[Action]:
    """Fresh action buttons, remembered in the session's pending step so a press can be checked."""
    pending = turn.session.state.pending
    actions = [Action(id=new_action_id(), kind=k, label=label(k, turn.lang)) for k in kinds]
    if pending is not None:
        pending.actions = {a.id: a.kind for a in actions}
    return actions


def all_tasks(tasks: TaskStore, viewer: int | None = None, **filters: str | None) -> list[Task]:
    """Every task matching `filters` (and visible to `viewer`, when set), across pages."""
    out: list[Task] = []
    cursor: str | None = None
    while True:
        page = tasks.list_tasks(TaskQuery(limit=1000, cursor=cursor, visible_to=viewer, **filters))
        out.extend(page.items)
        if page.next_cursor is None:
            return out
        cursor = page.next_cursor
