"""Answers that write nothing: progress, how-to from the help docs, small talk, and polite refusals."""

from __future__ import annotations

from typing import Literal

from assistant.cards import Action, Card, CitationsCard, TaskListCard
from assistant.context import Deps, Reply, Turn, all_tasks
from assistant.feedback_flow import FeedbackFlow
from assistant.progress import progress_card
from assistant.replies import label, say, suggestions
from intents.types import Slots
from knowledge.enums import TaskStatus
from retrieval.ask import AskRequest

_THANKS = ("谢", "thank", "thx", "辛苦", "多谢")


class Answers:
    def __init__(self, deps: Deps, feedback: FeedbackFlow) -> None:
        self.deps = deps
        self.feedback = feedback

    def progress(self, turn: Turn, slots: Slots) -> Reply:
        tasks_store = self.deps.tasks
        # Members and widget visitors count only their own tasks (assigned to or created by them).
        viewer = turn.actor.viewer
        scope: Literal["project", "person", "workspace"]
        if slots.assignee == "me" or (slots.assignee is None and slots.project_id is None and turn.caller):
            if turn.caller is None:
                return Reply(say("who_are_you", turn.lang), intent="query_progress")
            scope, scope_id, name = "person", turn.caller.id, f"{turn.caller.name}（{label('me', turn.lang)}）"
            tasks = all_tasks(tasks_store, viewer, assignee=str(turn.caller.id))
        elif slots.assignee_id is not None:
            member = next(m for m in tasks_store.list_members() if m.id == slots.assignee_id)
            scope, scope_id, name = "person", member.id, member.name
            tasks = all_tasks(tasks_store, viewer, assignee=str(member.id))
        elif slots.project_id is not None:
            project = next(p for p in tasks_store.list_projects() if p.id == slots.project_id)
            name = project.name_en if turn.lang == "en" and project.name_en else project.name
            scope, scope_id = "project", project.id
            tasks = all_tasks(tasks_store, viewer, project=str(project.id))
        elif slots.assignee or slots.project:
            missing = slots.assignee or slots.project
            return Reply(say("no_task", turn.lang, title=missing), intent="query_progress")
        else:
            scope, scope_id, name = "workspace", None, label("workspace", turn.lang)
            tasks = all_tasks(tasks_store, viewer)
        if viewer is not None and not (scope == "person" and scope_id == viewer):
            name += label("visible_only", turn.lang)
        card = progress_card(
            tasks,
            today=turn.today,
            tz=self.deps.tz,
            scope=scope,
            scope_id=scope_id,
            name=name,
            lang=turn.lang,
        )
        if not tasks:
            return Reply(say("progress_none", turn.lang, name=name), intent="query_progress", cards=[card])
        text = say(
            "progress",
            turn.lang,
            name=name,
            **card.model_dump(
                include={"total", "done", "in_progress", "blocked", "overdue", "due_this_week", "at_risk"}
            ),
        )
        open_tasks = [t for t in tasks if t.status is not TaskStatus.done]
        urgent = sorted(
            (t for t in open_tasks if t.id in set(card.tasks["overdue"]) | set(card.tasks["at_risk"])),
            key=lambda t: (t.due is None, t.due),
        )
        cards: list[Card] = [card]
        if urgent:
            cards.append(TaskListCard(title=label("attention", turn.lang), tasks=urgent[:10]))
        return Reply(text, intent="query_progress", cards=cards)

    def howto(self, turn: Turn, question: str) -> Reply:
        answer = self.deps.asker.ask(AskRequest(question=question, lang=turn.lang))
        card = CitationsCard(grounded=answer.grounded, citations=answer.citations)
        if answer.grounded:
            return Reply(answer.answer, intent="ask_howto", cards=[card])
        self.feedback.offer_filing(turn, question)
        pending = turn.session.state.pending
        assert pending is not None
        actions = [
            Action(id=i, kind=k, label=label("file_question" if k == "confirm" else k, turn.lang))
            for i, k in pending.actions.items()
        ]
        return Reply(say("idk", turn.lang), intent="ask_howto", cards=[card], actions=actions)

    def chitchat(self, turn: Turn, text: str) -> Reply:
        key = "thanks" if any(w in text.casefold() for w in _THANKS) else "greeting"
        return Reply(say(key, turn.lang), intent="chitchat", suggestions=suggestions("start", turn.lang))

    def out_of_scope(self, turn: Turn) -> Reply:
        return Reply(say("out_of_scope", turn.lang), intent="out_of_scope", suggestions=suggestions("start", turn.lang))
