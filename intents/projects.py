"""Which project a message names: any known spelling (name, English name, alias, key), a close misspelling
of a Latin name ("Appolo"), or an unknown project as said ("Orion", "CRM升级项目")."""

from __future__ import annotations

import difflib
import re

from intents.directory import Directory
from intents.mention import CALENDAR_WORDS, Mention, find_spelling

_ZH_UNKNOWN = re.compile(r"([A-Za-z0-9\u4e00-\u9fff]{2,12})(?:这个)?项目")
# A project name starts after the last of these: a verb, pronoun or particle is not part of it.
_ZH_NAME_START = re.compile(r".*[我你他她在把给到对从开做建了的要和与跟让请帮看查下上个些问说是有吗呢吧去]")
_ZH_GENERIC = re.compile(r"^(这个|那个|哪个|哪些|所有|整个|全部|各个|每个|新|该|本|我的|我们的?|他们的?|你们的?|.*的)$")
_EN_UNKNOWN = re.compile(
    r"\b(?:project|proj\.?)\s+([A-Z][\w-]+)|(?<![A-Za-z])([A-Z][\w-]*(?:\s+[a-z][\w-]*)?)\s+project\b"
    r"|\b(?:in|on|under)\s+(?:the\s+)?([A-Z][a-zA-Z0-9-]+)(?=\s+(?:redesign|rollout|launch|project|team|board"
    r"|is|was|looking)\b|[?.!:]|\s*$)"
    r"|(?<![A-Za-z])([A-Z][a-zA-Z0-9-]+)(?=现在|这周|推进|进度|那边|项目)"
    r"|\bhow(?:'s| is) (?:the\s+)?([A-Z][\w-]+(?:\s+upgrade)?)\s+(?:looking|going|coming)"
)
_EN_GENERIC = frozenset(
    {"The", "This", "That", "Which", "Each", "Every", "My", "Our", "A", "New", "Whole", "Any", "All"}
)
_EN_NOT_PROJECTS = CALENDAR_WORDS | frozenset("I Me EOD Qiao ".split())
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z-]{3,}")
_ZH_TRIGGER = r"(?:在|到|给|往|把|关于)?\s*$"
_EN_TRIGGER = r"(?:\b(?:in|to|for|on|under|into|of)\s+(?:the\s+)?)$"


def _with_trigger(text: str, start: int, end: int) -> tuple[int, int]:
    before = re.search(_EN_TRIGGER, text[:start], re.I) or re.search(_ZH_TRIGGER, text[:start])
    suffix = re.match(
        r"\s*(?:这个)?(?:项目|project\b)(?:那边|这边)?|\s*(?:那边|这边)(?=\s*(?:加|建|新建|有|的))", text[end:], re.I
    )
    return (before.start() if before and before.group() else start), end + (suffix.end() if suffix else 0)


def _modifies_title(text: str, start: int, end: int) -> bool:
    """'prepare the Apollo steering committee report': the name qualifies the work, it doesn't file it."""
    return bool(
        re.search(r"\bthe\s+$", text[:start], re.I)
        and re.match(r"\s+(?!project\b|team\b|board\b|tasks?\b)[a-z]", text[end:])
    )


def find_project(text: str, directory: Directory, *, new_task: bool = False) -> Mention | None:
    """The project the message names, or None. In a new task's description ("prepare the Apollo steering
    committee report") a name that qualifies the work stays in the title."""
    known = find_spelling(text, directory.project_index)
    if known is not None and new_task and _modifies_title(text, known[2], known[3]):
        known = None
    if known is not None:
        said, project_id, start, _end = known
        said = re.sub(r"\s*(项目|project)$", "", said, flags=re.I)
        span = _with_trigger(text, start, start + len(said))
        return Mention(said, project_id, *span)
    latin = [(s, i) for s, i in directory.project_index if s.isascii() and len(s) >= 5]
    for word in _LATIN_WORD.finditer(text):
        close = difflib.get_close_matches(word.group().casefold(), [s for s, _ in latin], n=1, cutoff=0.8)
        if close and not (new_task and _modifies_title(text, word.start(), word.end())):
            project_id = dict(latin)[close[0]]
            return Mention(word.group(), project_id, *_with_trigger(text, word.start(), word.end()))
    for zh in _ZH_UNKNOWN.finditer(text):
        name = zh.group(1)
        cut = _ZH_NAME_START.match(name)
        start = zh.start(1) + (cut.end() if cut else 0)
        name = text[start : zh.end(1)]
        if len(name) >= 2 and not _ZH_GENERIC.match(name):
            return Mention(name, None, *_with_trigger(text, start, zh.end(1)))
    for en in _EN_UNKNOWN.finditer(text):
        group = next(g for g in (1, 2, 3, 4, 5) if en.group(g))
        name = en.group(group)
        first = name.split()[0]
        is_person = any(spelling == name.casefold() for spelling, _ in directory.people_index)
        if first not in _EN_GENERIC and first not in _EN_NOT_PROJECTS and not is_person and not name.isupper():
            return Mention(name, None, *_with_trigger(text, en.start(group), en.end(group)))
    return None
