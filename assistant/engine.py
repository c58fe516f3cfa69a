"""One conversation turn: parse → route → act → reply, in the user's language.

Nothing is written until the user presses Confirm on a preview; text from documents, feedback and transcripts
only ever fills previews and answers. A low-confidence reading gets a second opinion from the LLM when one is
configured, else a clarifying question with the top two readings instead of a guess."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Literal

from assistant.answers import Answers
from assistant.cards import TurnResponse
from assistant.context import Deps, Reply, Turn
from assistant.feedback_flow import FeedbackFlow
from assistant.llm_fallback import second_opinion
from assistant.replies import INTENT_LABELS, intent_label, say
from assistant.session import Message, Session
from assistant.task_flow import TaskFlow, merge
from errors import InvalidInput
from intents.language import reply_language
from intents.parser import clean_text
from intents.types import Intent, ParseResult, Slots
from knowledge.enums import Source
from knowledge.schemas import Actor, Member

CLARIFY_BELOW = 0.55
_CORRECTION = re.compile(
    r"^\s*(?:不是|不对|错了|应该是?|改|换|no\b|nope|not\b|actually|change|make it|instead|wait)", re.I
)


class Assistant:
    """Conversations over the workspace, the help docs and the feedback."""

    def __init__(
        self, deps: Deps, clock: Callable[[], dt.datetime] | None = None, clarify_below: float = CLARIFY_BELOW
    ) -> None:
        self.deps = deps
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self.clarify_below = clarify_below
        self.tasks = TaskFlow(deps)
        self.feedback = FeedbackFlow(deps)
        self.answers = Answers(deps, self.feedback)

    # entry points --------------------------------------------------------------------------------------
    def turn(
        self,
        text: str,
        *,
        session_id: str | None = None,
        lang: Literal["zh", "en"] | None = None,
        user: str | None = None,
        actor: Actor,
        source: Source = Source.chat,
    ) -> TurnResponse:
        """Handle one message; raises InvalidInput for empty or overlong text or an unknown user."""
        text = clean_text(text)
        caller = self._member(user)
        now = self.clock().astimezone(self.deps.tz)
        parsed = self.deps.understanding.parse(text, now, caller_id=caller.id if caller else None)
        language = lang or reply_language(parsed.language)
        session = self.deps.sessions.open(session_id, caller.id if caller else None, language, actor)
        if session.member_id is not None and caller is None:
            caller = self._member(str(session.member_id))
        session.language = language
        turn = Turn(session, language, caller, now, actor, source)
        reply = self._route(turn, text, parsed)
        return self._finish(turn, reply, user_text=text)

    def act(self, session_id: str, action_id: str, *, actor: Actor) -> TurnResponse:
        """Press a button of the last preview: confirm writes (once, however often pressed), edit, cancel."""
        session = self.deps.sessions.get(session_id, actor)
        caller = self._member(str(session.member_id)) if session.member_id else None
        turn = Turn(session, session.language, caller, self.clock().astimezone(self.deps.tz), actor)
        state = session.state
        if action_id in state.done_actions:
            reply = Reply(say("already_done", turn.lang, id=state.done_actions[action_id]))
        elif state.pending is None or action_id not in state.pending.actions:
            reply = Reply(say("unknown_action", turn.lang))
        else:
            kind = state.pending.actions[action_id]
            if kind == "cancel":
                state.pending = None
                reply = Reply(say("cancelled", turn.lang))
            elif kind == "edit":
                reply = Reply(say("edit", turn.lang))
            elif state.pending.kind in ("create", "update"):
                reply = self.tasks.confirm(turn, action_id)
            else:
                reply = self.feedback.confirm(turn, action_id)
        return self._finish(turn, reply, user_text=None, action=action_id)

    def history(self, session_id: str, actor: Actor | None = None) -> list[Message]:
        """The conversation so far; raises NotFound when it is missing or not `actor`'s to see."""
        return self.deps.sessions.history(session_id, actor)

    # routing -------------------------------------------------------------------------------------------
    def _route(self, turn: Turn, text: str, parsed: ParseResult) -> Reply:
        state = turn.session.state
        answered = self.tasks.answer(turn, text)
        if answered is not None:
            return answered
        if state.clarify_text and (chosen := self._chosen(state.clarify_options, text)) is not None:
            original = state.clarify_text
            state.clarify_text, state.clarify_options = None, []
            return self._handle(turn, original, chosen, self._fill(turn, original, chosen))
        state.clarify_text, state.clarify_options = None, []
        pending = state.pending
        if pending is not None and pending.draft is not None and pending.kind in ("create", "update"):
            intent = Intent.create_task if pending.kind == "create" else Intent.update_task
            slots = self._fill(turn, text, Intent.update_task)
            changes = any((slots.assignee, slots.due, slots.priority, slots.project, slots.status))
            fresh = parsed.intent is intent and parsed.slots.title and not _CORRECTION.match(text)
            if changes and not fresh:
                pending.draft = merge(pending.draft, slots, text, update=pending.kind == "update")
                return self.tasks.next_step(turn)
        top = parsed.alternatives[0] if parsed.alternatives else None
        if (
            parsed.intent is not Intent.out_of_scope
            and parsed.confidence < self.clarify_below
            and top is not None
            and top.intent is not Intent.out_of_scope
        ):
            if self.deps.chat is not None and (reading := second_opinion(self.deps.chat, text)) is not None:
                slots = self._fill(turn, text, reading.intent)
                if reading.title and not slots.title and reading.intent in (Intent.create_task, Intent.update_task):
                    slots = slots.model_copy(update={"title": reading.title})
                return self._handle(turn, text, reading.intent, slots)
            state.clarify_text = text
            state.clarify_options = [parsed.intent.value, top.intent.value]
            first, second = (intent_label(i, turn.lang) for i in state.clarify_options)
            return Reply(say("clarify", turn.lang, first=first, second=second), suggestions=[first, second])
        return self._handle(turn, text, parsed.intent, parsed.slots)

    def _handle(self, turn: Turn, text: str, intent: Intent, slots: Slots) -> Reply:
        if intent is Intent.create_task:
            return self.tasks.start_create(turn, slots)
        if intent is Intent.update_task:
            return self.tasks.start_update(turn, slots, text)
        turn.session.state.pending = None  # a new topic drops an unconfirmed preview; nothing was written
        if intent is Intent.query_progress:
            return self.answers.progress(turn, slots)
        if intent is Intent.report_issue:
            return self.feedback.start_report(turn, text, slots)
        if intent is Intent.ask_howto:
            return self.answers.howto(turn, text)
        if intent is Intent.chitchat:
            return self.answers.chitchat(turn, text)
        return self.answers.out_of_scope(turn)

    def _fill(self, turn: Turn, text: str, intent: Intent) -> Slots:
        return self.deps.understanding.fill(text, intent, turn.now, turn.caller.id if turn.caller else None)

    @staticmethod
    def _chosen(options: list[str], text: str) -> Intent | None:
        folded = text.casefold().strip()
        for option in options:
            if any(name.casefold() in folded for name in INTENT_LABELS[option]):
                return Intent(option)
        return None

    # helpers -------------------------------------------------------------------------------------------
    def _member(self, user: str | None) -> Member | None:
        if user is None:
            return None
        ref = user.strip()
        for member in self.deps.tasks.list_members():
            if ref in (member.key, str(member.id)):
                return member
        raise InvalidInput(
            f"user {ref!r} is not a member: send a member key or id (GET /api/v1/members)",
            f"用户 {ref!r} 不是成员：请传成员标识或 id（见 GET /api/v1/members）",
        )

    def _finish(self, turn: Turn, reply: Reply, *, user_text: str | None, action: str | None = None) -> TurnResponse:
        response = TurnResponse(
            session_id=turn.session.id,
            reply=reply.text,
            intent=reply.intent,
            language=turn.lang,
            cards=reply.cards,
            actions=reply.actions,
            suggestions=reply.suggestions,
        )
        messages = []
        if user_text is not None:
            messages.append(("user", user_text, {"source": turn.source.value}))
        elif action is not None:
            messages.append(("user", f"[{action}]", {"action": action}))
        messages.append(("assistant", reply.text, response.model_dump(mode="json")))
        self.deps.sessions.save(turn.session, messages)
        return response


__all__ = ["Assistant", "Session"]
