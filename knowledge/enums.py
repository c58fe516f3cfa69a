"""The closed vocabularies of the workspace: task status and priority, feedback kind, severity and status."""

from __future__ import annotations

from enum import StrEnum


class TaskStatus(StrEnum):
    todo = "todo"
    in_progress = "in_progress"
    blocked = "blocked"
    done = "done"


class Priority(StrEnum):
    urgent = "urgent"
    high = "high"
    medium = "medium"
    low = "low"


class Source(StrEnum):
    chat = "chat"
    voice = "voice"
    api = "api"
    import_ = "import"


class FeedbackKind(StrEnum):
    bug = "bug"
    feature_request = "feature_request"
    complaint = "complaint"
    question = "question"
    praise = "praise"


class Severity(StrEnum):
    low = "low"
    medium = "medium"
    high = "high"
    critical = "critical"


class FeedbackStatus(StrEnum):
    open = "open"
    triaged = "triaged"
    resolved = "resolved"


class Role(StrEnum):
    """What an API key may do (docs/security.md). member < ops < admin; a site key only chats and speaks."""

    member = "member"
    ops = "ops"
    admin = "admin"
    site = "site"
