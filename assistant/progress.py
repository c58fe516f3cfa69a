"""Progress of a set of tasks: the numbers a progress card shows and the tasks behind each.

At risk, by a rule anyone can check: not done, and either overdue, or due within three days with progress
behind the share of time already elapsed since the task was created (e.g. created 20 days ago, due in 2,
only 20% done)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal

from assistant.cards import ProgressCard
from knowledge.enums import TaskStatus
from knowledge.schemas import Task

SOON_DAYS = 3
RULE = {
    "zh": "有风险：未完成，且已逾期；或 3 天内到期、进度落后于已用时间占比。",
    "en": "At risk: not done, and overdue, or due within 3 days with progress behind the share of time elapsed.",
}


def week_end(today: dt.date) -> dt.date:
    """Sunday of `today`'s week (weeks start on Monday)."""
    return today + dt.timedelta(days=6 - today.weekday())


def is_overdue(task: Task, today: dt.date) -> bool:
    return task.status is not TaskStatus.done and task.due is not None and task.due < today


def is_at_risk(task: Task, today: dt.date, tz: dt.tzinfo) -> bool:
    """The at-risk rule (see module docstring)."""
    if task.status is TaskStatus.done or task.due is None:
        return False
    if task.due < today:
        return True
    if (task.due - today).days > SOON_DAYS:
        return False
    start = task.created_at.astimezone(tz).date()
    span = max((task.due - start).days, 1)
    elapsed = min(max((today - start).days / span, 0.0), 1.0)
    return task.progress < elapsed * 100


def progress_card(
    tasks: Sequence[Task],
    *,
    today: dt.date,
    tz: dt.tzinfo,
    scope: Literal["project", "person", "workspace"],
    scope_id: int | None,
    name: str,
    lang: Literal["zh", "en"],
) -> ProgressCard:
    """Count `tasks` into a progress card."""
    sunday = week_end(today)
    groups: dict[str, list[int]] = {
        "done": [t.id for t in tasks if t.status is TaskStatus.done],
        "in_progress": [t.id for t in tasks if t.status is TaskStatus.in_progress],
        "blocked": [t.id for t in tasks if t.status is TaskStatus.blocked],
        "todo": [t.id for t in tasks if t.status is TaskStatus.todo],
        "overdue": [t.id for t in tasks if is_overdue(t, today)],
        "due_this_week": [
            t.id for t in tasks if t.status is not TaskStatus.done and t.due is not None and today <= t.due <= sunday
        ],
        "at_risk": [t.id for t in tasks if is_at_risk(t, today, tz)],
    }
    return ProgressCard(
        scope=scope,
        scope_id=scope_id,
        name=name,
        total=len(tasks),
        tasks={"total": [t.id for t in tasks], **groups},
        rule=RULE[lang],
        **{k: len(v) for k, v in groups.items()},
    )
