"""What understanding produces: the intent, its confidence and alternatives, the language, and the slots."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from intents.language import LanguageTag
from knowledge.enums import FeedbackKind, Priority, TaskStatus


class Intent(StrEnum):
    create_task = "create_task"
    update_task = "update_task"
    query_progress = "query_progress"
    report_issue = "report_issue"
    ask_howto = "ask_howto"
    chitchat = "chitchat"
    out_of_scope = "out_of_scope"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Slots(_Frozen):
    """Normalised details; null where the text doesn't say."""

    title: str | None = Field(None, description="The work item, without command words or other slots.")
    assignee: str | None = Field(None, description="The person as said ('老张', 'Tom', 'me').")
    assignee_id: int | None = Field(None, description="The matched member; null if nobody matches.")
    project: str | None = Field(None, description="The project as said.")
    project_id: int | None = None
    due: dt.date | None = Field(None, description="ISO date, resolved from relative expressions.")
    priority: Priority | None = None
    status: TaskStatus | None = None
    kind: FeedbackKind | None = None


class Alternative(_Frozen):
    intent: Intent
    confidence: float


class ParseResult(_Frozen):
    text: str
    intent: Intent
    confidence: float = Field(description="Calibrated probability of `intent`, 0-1.")
    language: LanguageTag
    slots: Slots
    alternatives: list[Alternative] = Field(description="The other readings, most likely first.")


class Classification(_Frozen):
    """The classifier's verdict before slots are filled."""

    intent: Intent
    confidence: float
    ranked: list[Alternative]
    rejected_by_threshold: bool = False
