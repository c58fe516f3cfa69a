"""The typed records the workspace and feedback stores take and return (pydantic v2)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Generic, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from knowledge.enums import FeedbackKind, FeedbackStatus, Priority, Severity, Source, TaskStatus

T = TypeVar("T")

Key = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=20_000)]
FeedbackText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10_000)]
Language = Literal["zh", "en", "mixed"]
MAX_ID = 2**63 - 1
"""The largest id (or offset) a request may name: SQL's 64-bit INTEGER. A larger one cannot even be bound to a
query, so the schema says so and such a request is a 422, not a failed query."""


def as_id(ref: str) -> int | None:
    """`ref` as a row id when it is one (ASCII digits, at most MAX_ID), else None: then it can only be a key.

    `str.isdigit` alone lets '²' through, and `int('²')` raises."""
    return int(ref) if ref.isascii() and ref.isdigit() and int(ref) <= MAX_ID else None


def _clean_aliases(values: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for value in values:
        alias = value.strip()
        if alias and alias.casefold() not in seen:
            seen[alias.casefold()] = alias
    return list(seen.values())


Aliases = Annotated[list[Annotated[str, StringConstraints(max_length=200)]], AfterValidator(_clean_aliases)]


@dataclass(frozen=True)
class Actor:
    """Who performs a write: recorded in the audit log."""

    name: str
    key_id: str | None = None
    member_id: int | None = None
    # A member's own key or a widget visitor: sees and changes only their own tasks, feedback and conversations.
    own_only: bool = False

    @property
    def owner(self) -> str:
        """Whose conversations these are: the member's, else the key's (or the local process's)."""
        return f"member:{self.member_id}" if self.member_id is not None else f"key:{self.key_id or 'local'}"

    @property
    def viewer(self) -> int | None:
        """The member whose items alone this actor may see, or None when it may see everything."""
        return (self.member_id if self.member_id is not None else -1) if self.own_only else None


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class ProjectCreate(_In):
    key: Key = Field(description="Short ascii slug, unique, e.g. `phoenix`.")
    name: Name
    name_en: Name | None = None
    aliases: Aliases = Field(default_factory=list, max_length=50)
    description: LongText | None = None


class Project(_Out):
    id: int
    key: str
    name: str
    name_en: str | None
    aliases: list[str]
    description: str | None
    created_at: dt.datetime


class MemberCreate(_In):
    key: Key = Field(description="Short ascii slug, unique, e.g. `zhangsan`.")
    name: Name
    aliases: Aliases = Field(
        default_factory=list, max_length=50, description="Pinyin, English name, nicknames: 'zhangsan', 'Sam', '老张'."
    )
    department: Name | None = None
    role: Name | None = None
    email: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[^@\s]+@[^@\s]+$")] | None = None


class Member(_Out):
    id: int
    key: str
    name: str
    aliases: list[str]
    department: str | None
    role: str | None
    email: str | None
    created_at: dt.datetime


class TaskCreate(_In):
    title: Title
    description: LongText | None = None
    project_id: int = Field(ge=1, le=MAX_ID)
    assignee_id: int | None = Field(None, ge=1, le=MAX_ID)
    status: TaskStatus = TaskStatus.todo
    priority: Priority = Priority.medium
    due: dt.date | None = Field(None, description="Due date, ISO 8601 (YYYY-MM-DD).")
    progress: int = Field(0, ge=0, le=100, description="Percent done, 0-100.")
    source: Source = Source.api


class TaskPatch(_In):
    """Fields to change; absent fields stay as they are, `null` clears an optional one."""

    title: Title | None = None
    description: LongText | None = None
    project_id: int | None = Field(None, ge=1, le=MAX_ID)
    assignee_id: int | None = Field(None, ge=1, le=MAX_ID)
    status: TaskStatus | None = None
    priority: Priority | None = None
    due: dt.date | None = None
    progress: int | None = Field(None, ge=0, le=100)


class Task(_Out):
    id: int
    title: str
    description: str | None
    project_id: int
    project_key: str
    assignee_id: int | None
    assignee_name: str | None
    created_by_id: int | None = Field(None, description="The member who created the task, when known.")
    status: TaskStatus
    priority: Priority
    due: dt.date | None
    progress: int
    source: Source
    created_at: dt.datetime
    updated_at: dt.datetime
    completed_at: dt.datetime | None


class TaskQuery(BaseModel):
    """Filters for listing tasks; every filter narrows the result."""

    project: str | None = Field(None, description="Project id or key.")
    assignee: str | None = Field(None, description="Member id or key.")
    status: list[TaskStatus] | None = None
    overdue: bool | None = Field(None, description="Only tasks past due and not done (or only the others).")
    due_before: dt.date | None = Field(None, description="Only tasks due on or before this date.")
    visible_to: int | None = Field(None, description="Only tasks this member is assigned to or created.")
    limit: int = Field(100, ge=1)
    offset: int = Field(0, ge=0)
    cursor: str | None = None


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int = Field(description="How many items match the filters, over all pages.")
    limit: int
    offset: int
    next_cursor: str | None = Field(description="Pass as `cursor` to get the next page; null on the last page.")


class FeedbackCreate(_In):
    text: FeedbackText
    language: Language | None = Field(None, description="Detected from the text when absent.")
    kind: FeedbackKind | None = Field(None, description="Guessed from the text when absent.")
    severity: Severity = Severity.medium
    reporter: Name | None = None
    department: Name | None = None
    created_at: dt.datetime | None = Field(None, description="For imports of older feedback; default now.")
    source: Source = Source.api


class FeedbackPatch(_In):
    kind: FeedbackKind | None = None
    severity: Severity | None = None
    status: FeedbackStatus | None = None
    resolution: LongText | None = None
    theme_id: int | None = Field(None, ge=1, le=MAX_ID)
    duplicate_of: int | None = Field(None, ge=1, le=MAX_ID)


class Feedback(_Out):
    id: int
    text: str
    language: str
    kind: FeedbackKind
    severity: Severity
    status: FeedbackStatus
    resolution: str | None
    reporter: str | None
    reporter_id: int | None = Field(None, description="The member who reported it, when known.")
    department: str | None
    source: Source
    created_at: dt.datetime
    updated_at: dt.datetime
    sla_due: dt.datetime
    theme_id: int | None
    duplicate_of: int | None


class FeedbackQuery(BaseModel):
    kind: list[FeedbackKind] | None = None
    status: list[FeedbackStatus] | None = None
    theme: int | None = None
    since: dt.datetime | None = None
    visible_to: int | None = Field(None, description="Only items this member reported.")
    limit: int = Field(100, ge=1)
    offset: int = Field(0, ge=0)
    cursor: str | None = None
