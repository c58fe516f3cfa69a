"""Reports and questions for the ops team: a preview that shows similar earlier feedback (and the fix, when an
earlier report of the same problem was resolved), then the ticket on Confirm."""

from __future__ import annotations

import re

from assistant.cards import FeedbackCard
from assistant.context import Deps, Reply, Turn, buttons
from assistant.replies import label, say
from assistant.session import Pending, Report
from intents.language import detect_language
from intents.types import Slots
from knowledge.enums import FeedbackKind, Severity, Source
from knowledge.feedback_memory import SimilarFeedback
from knowledge.schemas import Feedback, FeedbackCreate, FeedbackPatch

# Reports this alike are taken for the same problem. Embeddings of one problem told in two languages score
# lower than in one language (demo data: ~0.6 across, ~0.8 within; unrelated export reports ~0.48).
DUPLICATE_SAME_LANGUAGE = 0.75
DUPLICATE_CROSS_LANGUAGE = 0.58
_CRITICAL = re.compile(
    r"全员|所有人|大家都|整个公司|宕机|挂了|无法登录|登不上|\b(everyone|nobody can|down for|outage|can't log in)\b",
    re.I,
)
_HIGH = re.compile(r"数据丢失|丢了|闪退|崩溃|报错|\b(data loss|lost|crash\w*|blocked|urgent)\b", re.I)


def severity(text: str, kind: FeedbackKind) -> Severity:
    """How bad it sounds: everyone blocked is critical; crashes and data loss high; praise and wishes low."""
    if _CRITICAL.search(text):
        return Severity.critical
    if kind is FeedbackKind.bug and _HIGH.search(text):
        return Severity.high
    return Severity.low if kind in (FeedbackKind.praise, FeedbackKind.feature_request) else Severity.medium


class FeedbackFlow:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def start_report(self, turn: Turn, text: str, slots: Slots) -> Reply:
        kind = slots.kind or FeedbackKind.question
        level = severity(text, kind)
        similar = self.deps.memory.similar(text, limit=3)
        duplicate = self._duplicate(text, similar)
        report = Report(
            text=text, kind=kind.value, severity=level.value, duplicate_of=duplicate.id if duplicate else None
        )
        turn.session.state.pending = Pending(kind="report", source=turn.source.value, report=report)
        lines = []
        if duplicate is not None and duplicate.resolution:
            lines.append(say("report_duplicate", turn.lang, id=duplicate.id, resolution=duplicate.resolution))
        elif similar:
            lines.append(say("report_similar", turn.lang, count=len(similar)))
        lines.append(
            say("report_preview", turn.lang, kind=label(kind.value, turn.lang), severity=label(level.value, turn.lang))
        )
        card = FeedbackCard(
            ticket_id=None,
            text=text,
            kind=kind.value,
            severity=level.value,
            status="draft",
            sla_due=None,
            duplicate_of=report.duplicate_of,
            similar=similar,
        )
        return Reply(
            "\n".join(lines), intent="report_issue", cards=[card], actions=buttons(turn, "confirm", "edit", "cancel")
        )

    def _duplicate(self, text: str, similar: list[SimilarFeedback]) -> Feedback | None:
        """The earlier report of the same problem (followed to the one it duplicates), or None."""
        language = detect_language(text)
        for match in similar:
            floor = DUPLICATE_SAME_LANGUAGE if match.language == language else DUPLICATE_CROSS_LANGUAGE
            if match.score >= floor:
                item = self.deps.feedback.get(match.id)
                seen = {item.id}
                while item.duplicate_of is not None and item.duplicate_of not in seen:
                    item = self.deps.feedback.get(item.duplicate_of)
                    seen.add(item.id)
                return item
        return None

    def offer_filing(self, turn: Turn, question: str) -> list[str]:
        """After "I don't know": keep the question so one press passes it to the ops team."""
        turn.session.state.pending = Pending(kind="file_question", source=turn.source.value, question=question)
        return [a.id for a in buttons(turn, "confirm", "cancel")]

    def confirm(self, turn: Turn, action_id: str) -> Reply:
        pending = turn.session.state.pending
        assert pending is not None
        key = f"chat:{turn.session.id}:{action_id}"
        reporter = turn.caller.name if turn.caller else None
        department = turn.caller.department if turn.caller else None
        if pending.kind == "file_question":
            assert pending.question is not None
            item, _ = self.deps.feedback.create(
                FeedbackCreate(
                    text=pending.question,
                    kind=FeedbackKind.question,
                    reporter=reporter,
                    department=department,
                    source=Source(pending.source),
                ),
                turn.actor,
                idempotency_key=key,
            )
            text = say("filed_question", turn.lang, id=item.id)
        else:
            report = pending.report
            assert report is not None
            item, created = self.deps.feedback.create(
                FeedbackCreate(
                    text=report.text,
                    kind=FeedbackKind(report.kind),
                    severity=Severity(report.severity),
                    reporter=reporter,
                    department=department,
                    source=Source(pending.source),
                ),
                turn.actor,
                idempotency_key=key,
            )
            if created and report.duplicate_of is not None:
                item = self.deps.feedback.update(item.id, FeedbackPatch(duplicate_of=report.duplicate_of), turn.actor)
            sla = item.sla_due.astimezone(self.deps.tz).strftime("%Y-%m-%d %H:%M")
            text = say("reported", turn.lang, id=item.id, sla=sla)
        turn.session.state.pending = None
        turn.session.state.done_actions[action_id] = item.id
        card = FeedbackCard(
            ticket_id=item.id,
            text=item.text,
            kind=item.kind.value,
            severity=item.severity.value,
            status=item.status.value,
            sla_due=item.sla_due,
            duplicate_of=item.duplicate_of,
        )
        return Reply(text, cards=[card])


__all__ = ["FeedbackFlow", "Source", "severity"]
