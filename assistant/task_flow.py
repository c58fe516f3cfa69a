"""Creating and updating tasks in conversation: drafts, missing slots, previews, corrections, and the write on
Confirm. Nothing is written before the user confirms; a confirm is idempotent."""

from __future__ import annotations

import difflib
import re
import unicodedata

from assistant.cards import TaskCard, TaskListCard, TaskPreviewCard
from assistant.context import Deps, Reply, Turn, all_tasks, buttons
from assistant.replies import label, say, suggestions
from assistant.session import Draft, Pending
from errors import InvalidInput
from intents.types import Slots
from knowledge.enums import Priority, Source, TaskStatus
from knowledge.schemas import Task, TaskCreate, TaskPatch

_PERCENT = re.compile(r"(\d{1,3})\s*[%％]|百分之(\d{1,3})")
_CHANGES = ("due", "status", "priority", "assignee", "progress", "project")


def draft_from(slots: Slots) -> Draft:
    return Draft(
        title=slots.title,
        project_id=slots.project_id,
        project=slots.project,
        assignee_id=slots.assignee_id,
        assignee=slots.assignee,
        due=slots.due,
        priority=slots.priority.value if slots.priority else None,
        status=slots.status.value if slots.status else None,
    )


def merge(draft: Draft, slots: Slots, text: str, *, update: bool) -> Draft:
    """The draft with whatever the message says ("no, give it to 李娜", "改到下周三"); for an update, the
    fields it changes are tracked in `changes`."""
    data = draft.model_dump()
    new = draft_from(slots).model_dump(exclude_none=True, exclude={"changes", "title"})
    if slots.title and not update and not new:
        new["title"] = slots.title  # a bare new title replaces the old one
    if update and (percent := _percent(text)) is not None:
        new["progress"] = percent
    data.update(new)
    merged = Draft.model_validate(data)
    if update:
        merged.changes = sorted(set(draft.changes) | {_field(k) for k in new if _field(k) in _CHANGES})
    return merged


def _field(key: str) -> str:
    return {"assignee_id": "assignee", "project_id": "project"}.get(key, key)


def _percent(text: str) -> int | None:
    found = _PERCENT.search(text)
    if not found:
        return None
    value = int(found.group(1) or found.group(2))
    return value if 0 <= value <= 100 else None


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"^(the|a|an)\s+", "", text)
    return re.sub(r"[\s\W_]+", "", re.sub(r"\b(task|任务)\b|任务", "", text))


def match_tasks(tasks: list[Task], title: str) -> list[tuple[float, Task]]:
    """Tasks whose title resembles `title`, best first, with a 0-1 score."""
    query = _norm(title)
    scored = []
    for task in tasks:
        name = _norm(task.title)
        if not query or not name:
            continue
        score = difflib.SequenceMatcher(None, query, name).ratio()
        if query in name or name in query:
            score = max(score, 0.75 + 0.25 * min(len(query), len(name)) / max(len(query), len(name)))
        if score >= 0.6:
            scored.append((round(score, 3), task))
    return sorted(scored, key=lambda pair: (-pair[0], pair[1].id))


class TaskFlow:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    # creating ------------------------------------------------------------------------------------------
    def start_create(self, turn: Turn, slots: Slots) -> Reply:
        turn.session.state.pending = Pending(kind="create", source=turn.source.value, draft=draft_from(slots))
        return self.next_step(turn)

    def next_step(self, turn: Turn) -> Reply:
        """Ask for what is missing, or show the preview with Confirm / Edit / Cancel."""
        pending = turn.session.state.pending
        assert pending is not None and pending.draft is not None
        draft = pending.draft
        if pending.kind == "create":
            if not draft.title:
                pending.awaiting = "title"
                return Reply(say("ask_title", turn.lang), intent="create_task")
            if draft.project_id is None:
                options = self._project_options(turn)
                if len(options) == 1:
                    draft.project_id, draft.project = options[0]
                else:
                    pending.awaiting, pending.options = "project", [pid for pid, _ in options]
                    names = "、".join(n for _, n in options) if turn.lang == "zh" else ", ".join(n for _, n in options)
                    return Reply(
                        say("ask_project", turn.lang, options=names),
                        intent="create_task",
                        suggestions=[n for _, n in options],
                    )
        elif draft.task_id is None:
            pending.awaiting = "task"
            return Reply(say("ask_task", turn.lang), intent="update_task")
        elif not draft.changes:
            pending.awaiting = "change"
            return Reply(say("ask_change", turn.lang, title=draft.title or ""), intent="update_task")
        pending.awaiting = None
        card = TaskPreviewCard(**draft.model_dump())
        if pending.kind == "create":
            text = say("preview_create", turn.lang)
        else:
            changes = (
                "、".join(label(c, turn.lang) for c in draft.changes)
                if turn.lang == "zh"
                else ", ".join(label(c, turn.lang) for c in draft.changes)
            )
            text = say("preview_update", turn.lang, title=draft.title or "", changes=changes)
        return Reply(
            text, intent=f"{pending.kind}_task", cards=[card], actions=buttons(turn, "confirm", "edit", "cancel")
        )

    def _project_options(self, turn: Turn) -> list[tuple[int, str]]:
        projects = {p.id: p.name for p in self.deps.tasks.list_projects()}
        if turn.caller is not None:
            mine = {t.project_id for t in all_tasks(self.deps.tasks, assignee=str(turn.caller.id))}
            if mine:
                projects = {pid: name for pid, name in projects.items() if pid in mine}
        return sorted(projects.items())

    def answer(self, turn: Turn, text: str) -> Reply | None:
        """The user's answer to a question this flow asked; None if the message isn't one."""
        pending = turn.session.state.pending
        if pending is None or pending.draft is None or pending.awaiting is None:
            return None
        if pending.awaiting == "title":
            pending.draft.title = text.strip()
        elif pending.awaiting == "project":
            projects = {p.id: p for p in self.deps.tasks.list_projects() if p.id in pending.options}
            chosen = [
                p
                for p in projects.values()
                if p.name in text or (p.name_en or "\0").casefold() in text.casefold() or p.key in text.casefold()
            ]
            if len(chosen) != 1:
                return None
            pending.draft.project_id, pending.draft.project = chosen[0].id, chosen[0].name
        elif pending.awaiting == "task" and not pending.options:
            return self._find_task(turn, text.strip())
        elif pending.awaiting == "task":
            task = self._choose(turn, pending.options, text)
            if task is None:
                return None
            pending.draft.task_id, pending.draft.title = task.id, task.title
        else:
            return None
        return self.next_step(turn)

    def _choose(self, turn: Turn, options: list[int], text: str) -> Task | None:
        tasks = [self.deps.tasks.get_task(i, turn.actor.viewer) for i in options]
        number = re.search(r"\d+", text)
        ordinals = {"第一": 1, "第二": 2, "第三": 3, "first": 1, "second": 2, "third": 3}
        index = int(number.group()) if number else next((n for w, n in ordinals.items() if w in text.casefold()), 0)
        if 1 <= index <= len(tasks):
            return tasks[index - 1]
        matched = match_tasks(tasks, text)
        return matched[0][1] if matched else None

    # updating ------------------------------------------------------------------------------------------
    def start_update(self, turn: Turn, slots: Slots, text: str) -> Reply:
        draft = merge(Draft(title=slots.title), slots, text, update=True)
        turn.session.state.pending = Pending(kind="update", source=turn.source.value, draft=draft)
        if not slots.title:
            turn.session.state.pending.awaiting = "task"
            return Reply(say("ask_task", turn.lang), intent="update_task")
        return self._find_task(turn, slots.title)

    def _find_task(self, turn: Turn, title: str) -> Reply:
        """Pick the task the user names: one match goes on, several are offered, none is said."""
        pending = turn.session.state.pending
        assert pending is not None and pending.draft is not None
        matches = match_tasks(all_tasks(self.deps.tasks, turn.actor.viewer), title)
        if not matches:
            turn.session.state.pending = None
            return Reply(say("no_task", turn.lang, title=title), intent="update_task")
        best = matches[0][0]
        close = [t for score, t in matches if score >= best - 0.05][:5]
        if len(close) > 1:
            pending.awaiting, pending.options = "task", [t.id for t in close]
            listing = TaskListCard(title=title, tasks=close)
            numbered = [f"{i}. {t.title}" for i, t in enumerate(close, 1)]
            return Reply(say("which_task", turn.lang), intent="update_task", cards=[listing], suggestions=numbered)
        pending.draft.task_id, pending.draft.title = close[0].id, close[0].title
        pending.awaiting = None
        return self.next_step(turn)

    # writing -------------------------------------------------------------------------------------------
    def confirm(self, turn: Turn, action_id: str) -> Reply:
        pending = turn.session.state.pending
        assert pending is not None and pending.draft is not None
        draft = pending.draft
        key = f"chat:{turn.session.id}:{action_id}"
        if pending.kind == "create":
            if not draft.title or draft.project_id is None:
                return self.next_step(turn)
            task, _ = self.deps.tasks.create_task(
                TaskCreate(
                    title=draft.title,
                    project_id=draft.project_id,
                    assignee_id=draft.assignee_id,
                    due=draft.due,
                    priority=Priority(draft.priority or "medium"),
                    status=TaskStatus(draft.status or "todo"),
                    source=Source(pending.source),
                ),
                turn.actor,
                idempotency_key=key,
            )
            text = say("created", turn.lang, id=task.id, title=task.title)
        else:
            if draft.task_id is None:
                raise InvalidInput("no task chosen yet", "尚未选择任务")
            patch = {c: getattr(draft, c) for c in draft.changes if c not in ("assignee", "project")}
            if "assignee" in draft.changes:
                patch["assignee_id"] = draft.assignee_id
            if "project" in draft.changes and draft.project_id is not None:
                patch["project_id"] = draft.project_id
            task = self.deps.tasks.update_task(draft.task_id, TaskPatch.model_validate(patch), turn.actor)
            text = say("updated", turn.lang, id=task.id, title=task.title)
        turn.session.state.pending = None
        turn.session.state.done_actions[action_id] = task.id
        return Reply(text, cards=[TaskCard(task=task)], suggestions=suggestions("after_task", turn.lang))
