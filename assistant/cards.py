"""What a conversation turn returns: the reply, structured cards for the widget to render, the actions the user
may take, and suggested next messages."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from knowledge.feedback_memory import SimilarFeedback
from knowledge.schemas import Task
from retrieval.ask import Citation


class Action(BaseModel):
    """A button: POST /api/v1/chat/{session_id}/actions with its id."""

    id: str
    kind: Literal["confirm", "edit", "cancel"]
    label: str


class TaskPreviewCard(BaseModel):
    """A task as it will be written on Confirm: a new one (no task_id) or changes to an existing one."""

    type: Literal["task_preview"] = "task_preview"
    task_id: int | None = None
    title: str | None
    project_id: int | None
    project: str | None
    assignee_id: int | None
    assignee: str | None
    due: dt.date | None
    priority: str | None
    status: str | None = None
    progress: int | None = None
    changes: list[str] = Field(default_factory=list, description="Fields an update changes.")


class TaskCard(BaseModel):
    type: Literal["task"] = "task"
    task: Task


class TaskListCard(BaseModel):
    type: Literal["task_list"] = "task_list"
    title: str
    tasks: list[Task]


class ProgressCard(BaseModel):
    """Counts of a project's or a person's tasks, and the task ids behind each number."""

    type: Literal["progress"] = "progress"
    scope: Literal["project", "person", "workspace"]
    scope_id: int | None
    name: str
    total: int
    done: int
    in_progress: int
    blocked: int
    todo: int
    overdue: int
    due_this_week: int
    at_risk: int
    tasks: dict[str, list[int]] = Field(description="For each number above, the ids of its tasks.")
    rule: str = Field(description="How at_risk is decided, in words.")


class FeedbackCard(BaseModel):
    """A feedback ticket (ticket_id null while it awaits Confirm), with similar earlier reports."""

    type: Literal["feedback"] = "feedback"
    ticket_id: int | None
    text: str
    kind: str
    severity: str
    status: str
    sla_due: dt.datetime | None
    duplicate_of: int | None = None
    similar: list[SimilarFeedback] = Field(default_factory=list)


class CitationsCard(BaseModel):
    type: Literal["citations"] = "citations"
    grounded: bool
    citations: list[Citation]


Card = Annotated[
    TaskPreviewCard | TaskCard | TaskListCard | ProgressCard | FeedbackCard | CitationsCard,
    Field(discriminator="type"),
]


class TurnResponse(BaseModel):
    session_id: str
    reply: str
    intent: str | None = Field(description="What Qiao understood, or null for an action or a follow-up.")
    language: Literal["zh", "en"]
    cards: list[Card] = Field(default_factory=list)
    actions: list[Action] = Field(default_factory=list)
    suggestions: list[str] = Field(default_factory=list, description="Messages the user may send next.")
