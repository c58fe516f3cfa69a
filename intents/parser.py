"""Understanding one message: intent, confidence, language, and the slots that intent takes. Pure: text,
`now` and a directory in; a ParseResult out. The only heavy parts, the embedder and spaCy, load lazily."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable

from errors import InvalidInput
from intents.classifier import IntentClassifier, KindClassifier
from intents.dates import parse_due
from intents.directory import Directory
from intents.language import detect_language
from intents.levels import find_priority, find_status
from intents.mention import Mention
from intents.people import find_person
from intents.projects import find_project
from intents.title import extract_title
from intents.types import Alternative, Classification, Intent, ParseResult, Slots

MAX_CHARS = 2000
_WORDLIKE = re.compile(r"[\w\u4e00-\u9fff]")
PersonFinder = Callable[[str], list[Mention]]


def clean_text(text: str) -> str:
    """Normalise width and spacing, drop control characters; raise InvalidInput for empty or overlong text."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        raise InvalidInput("text is empty: send what the user said or typed", "text 为空：请传入用户说的话或输入的内容")
    if len(text) > MAX_CHARS:
        raise InvalidInput(
            f"text is {len(text)} characters, more than {MAX_CHARS}: send one message at a time",
            f"text 长度为 {len(text)} 个字符，超过上限 {MAX_CHARS}：请一次只发一条消息",
        )
    return text


# A message written like a letter: "Hi team, … Thanks, Luis", "Dear Qiao, … Regards, Dr. Meyer", "@Qiao …".
_SALUTATION = re.compile(
    r"^\s*(?:(?:hi|hello|hey|dear|good (?:morning|afternoon|evening))\b[^,，:：!！.。]{0,24}[,，:：!！.。]"
    r"|@qiao\b[,，:：]?|(?:你好|您好|hi)\s*(?:qiao|团队|大家)?[,，:：!！])\s*",
    re.I,
)
_SIGN_OFF = re.compile(
    r"[\s,，.。!！]*(?:(?:many\s+)?thanks|thank you|thx|regards|best(?: regards)?|cheers|br|谢谢|多谢)[,，!！.。]?"
    r"\s*(?:[-–—]\s*)?(?:(?:Mr|Mrs|Ms|Dr|Prof)\.?\s+)?[A-Z\u4e00-\u9fff][\w\u4e00-\u9fff.-]{0,20}[.!]?\s*$",
    re.I,
)


def letter_body(text: str) -> str:
    """What a letter-like message asks, without its greeting and signature; the text itself when little else
    is left ("hi Qiao", "thanks, Leo", "hello Qiao，今天状态怎么样" are small talk)."""
    body = _SIGN_OFF.sub("", _SALUTATION.sub("", text, count=1), count=1).strip()
    return body if _WORDLIKE.search(body) and len(body) >= 15 else text


class Parser:
    """Classifier + slot rules. `english_people` is an optional NER fallback for unknown English names."""

    def __init__(
        self, classifier: IntentClassifier, kinds: KindClassifier, english_people: PersonFinder | None = None
    ) -> None:
        self.classifier = classifier
        self.kinds = kinds
        self.english_people = english_people

    def classify(self, text: str) -> Classification:
        if not _WORDLIKE.search(text):
            # Emoji, symbols or binary noise: nothing to act on.
            ranked = [Alternative(intent=Intent.out_of_scope, confidence=0.0)]
            return Classification(intent=Intent.out_of_scope, confidence=0.0, ranked=ranked, rejected_by_threshold=True)
        return self.classifier.classify(letter_body(text))

    def parse(self, text: str, now: dt.datetime, directory: Directory) -> ParseResult:
        """Understand `text` as of `now` (aware, in the user's zone). Raises InvalidInput for empty/overlong."""
        text = clean_text(text)
        language = detect_language(text)
        verdict = self.classify(text)
        slots = self.fill(text, verdict.intent, now, directory, language)
        alternatives = [a for a in verdict.ranked if a.intent is not verdict.intent][:3]
        return ParseResult(
            text=text,
            intent=verdict.intent,
            confidence=verdict.confidence,
            language=language,
            slots=slots,
            alternatives=alternatives,
        )

    def fill(self, text: str, intent: Intent, now: dt.datetime, directory: Directory, language: str) -> Slots:
        """The slots `intent` takes, found in `text`."""
        if intent in (Intent.create_task, Intent.update_task):
            return self._task_slots(text, intent, now, directory, language)
        if intent is Intent.query_progress:
            project = find_project(text, directory)
            person = self._person(text, directory, language, intent, project)
            return Slots(
                assignee=person.value if person else None,
                assignee_id=person.id if person else None,
                project=project.value if project else None,
                project_id=project.id if project else None,
            )
        if intent is Intent.report_issue:
            return Slots(kind=self.kinds.kind(letter_body(text)))
        return Slots()

    def _person(
        self, text: str, directory: Directory, language: str, intent: Intent, project: Mention | None
    ) -> Mention | None:
        extra = self.english_people(text) if self.english_people is not None and language != "zh" else []
        return find_person(text, directory, intent, extra, project)

    def _task_slots(self, text: str, intent: Intent, now: dt.datetime, directory: Directory, language: str) -> Slots:
        spans: list[tuple[int, int]] = []
        due = parse_due(text, now, language)  # type: ignore[arg-type]
        if due:
            spans.append((due.start, due.end))
        project = find_project(text, directory, new_task=intent is Intent.create_task)
        if project:
            spans.append((project.start, project.end))
        person = self._person(text, directory, language, intent, project)
        if person and not (project and project.start <= person.start < project.end):
            spans.append((person.start, person.end))
        else:
            person = None
        priority = find_priority(text)
        if priority:
            spans.append((priority[1].start, priority[1].end))
        status = find_status(text) if intent is Intent.update_task else None
        if status:
            spans.append((status[1].start, status[1].end))
        title = extract_title(text, _disjoint(spans), update=intent is Intent.update_task)
        return Slots(
            title=title,
            assignee=person.value if person else None,
            assignee_id=person.id if person else None,
            project=project.value if project else None,
            project_id=project.id if project else None,
            due=due.due if due else None,
            priority=priority[0] if priority else None,
            status=status[0] if status else None,
        )


def _disjoint(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
