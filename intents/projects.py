"""Which project a message names: any known spelling (name, English name, alias, key), a close misspelling
of a Latin name ("Appolo"), or an unknown project as said ("Orion", "CRM升级项目")."""

from __future__ import annotations

import difflib
import re

from intents.directory import Directory
from intents.given_names import is_given_name
from intents.mention import CALENDAR_WORDS, TOOL_WORDS, Mention, find_spelling

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
_EN_NOT_PROJECTS = CALENDAR_WORDS | TOOL_WORDS | frozenset("I Me EOD Qiao ".split())
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z-]{3,}")
_ZH_TRIGGER = r"(?:在|到|给|往|把|关于)?\s*$"
_EN_TRIGGER = r"(?:\b(?:in|to|for|on|under|into|of)\s+(?:the\s+)?)$"


# An unknown project's name: a code name ("Atlas"), a system's acronym with the work on it ("ERP迁移", "CRM
# upgrade"), or a platform ("数据中台"). A code name needs a cue around it, since a person's name reads the same.
_CODE = r"[A-Z][a-z]+(?![A-Za-z])\d*"
_ACRO_EN = r"[A-Z]{2,}\d?\s(?:upgrade|migration|rollout|revamp|rebuild|redesign|rewrite|integration|implementation)"
_ACRO_ZH = r"[A-Z]{2,}\d?(?:升级|迁移|改造|重构|二期|一期|三期|平台|系统|中台|上线)"
_HAN_HUB = r"[\u4e00-\u9fff]{2,4}(?:中台|平台)"
_ZH_AFTER = r"这个|这周|本周|现在|目前|最近|那边|推进|进度|有没有|还有|整体|这个月|本月|上线|今天"
_CUES = (
    # Clause start in Chinese: "Atlas的客户数据导入脚本…", "把数据中台的…", "ERP迁移有没有…", "Nebula现在…"
    re.compile(
        rf"(?:^|(?<=[:：,，;；。]))\s*(?P<cut>(?:把|帮我把|请把)?\s*(?P<name>{_ACRO_ZH}|{_HAN_HUB}|{_CODE})"
        rf"(?:\s*的(?=\s*[\w\u4e00-\u9fff])|(?=\s*(?:{_ZH_AFTER}))))"
    ),
    # "add a task to the Nebula board", "status check on Orion please", "what's Kevin doing in the CRM upgrade"
    re.compile(
        rf"\b(?P<cut>(?:to|into)\s+(?:the\s+)?(?P<name>{_CODE})\s+(?:board|sprint|backlog|roadmap|repo|workstream))\b"
        rf"|\b(?P<cut2>(?:in|on|for|under|about)\s+(?:the\s+)?(?P<name2>{_ACRO_EN}|{_CODE})"
        r"(?:\s+(?:board|sprint|backlog|roadmap|repo|workstream|team|release))?)"
        r"(?=\s+(?:please|this|right|today|now|for|is|was|has|are|stand)\b|\s*[?.!:,]|\s*$)"
    ),
    re.compile(
        rf"\bhow(?:'s| is| are)\s+(?:the\s+)?(?P<cut>(?P<name>{_CODE}))(?:\s+[a-z]+)?\s+(?:looking|going|coming)"
    ),
    re.compile(rf"\bwhere (?:does|do|is|are) (?:the\s+)?(?P<cut>(?P<name>{_CODE}))\s+stand"),
    # "Orion's Kafka upgrade wrapped up" (but not "Howard Wu's progress")
    re.compile(rf"(?<![A-Za-z])(?<![A-Za-z]\s)(?P<cut>(?P<name>{_CODE})'s\s+)(?=[A-Za-z0-9])"),
)
# A list after the command: "新增任务：ERP迁移 物料编码映射表 邓丽 12月12号前", "add task: Atlas - decommission … - Ahmed".
_LIST_HEAD = re.compile(
    r"^\s*(?:(?:新增|新建|创建|建|加|添加|add|create|new)\s*(?:一?个|a|an)?\s*(?:新)?(?:任务|task|to-?do|待办)"
    r"|新任务)\s*(?:[:：-]\s*|\s+)",
    re.I,
)
_LIST_ITEM = rf"(?P<name>{_ACRO_ZH}|{_HAN_HUB}|{_ACRO_EN}|{_CODE}|[\u4e00-\u9fff]{{2,6}}(?:中台|平台|系统|项目))"


def _is_code_name(name: str, directory: Directory) -> bool:
    """A capitalised word that names a project, not a person, a tool or a sentence's first word."""
    first = name.split()[0]
    if first in _EN_GENERIC or first in _EN_NOT_PROJECTS or first.capitalize() in TOOL_WORDS:
        return False
    return not is_given_name(first) and all(spelling != name.casefold() for spelling, _ in directory.people_index)


def _from_list(text: str, directory: Directory) -> Mention | None:
    head = _LIST_HEAD.match(text)
    if head is None:
        return None
    item = re.compile(_LIST_ITEM + r"(?:\s+-\s+|\s+)(?=\S+(?:\s+-\s+|\s+)\S)")
    found = item.match(text, head.end())
    if found is None or not _is_code_name(found.group("name"), directory):
        return None
    return Mention(found.group("name"), None, found.start(), found.end())


def _from_cues(text: str, directory: Directory) -> Mention | None:
    hits = [_named(m) for cue in _CUES for m in cue.finditer(text)]
    for name, start, end in sorted(hits, key=lambda h: h[1]):
        if _is_code_name(name, directory):
            return Mention(name, None, start, end)
    return None


def _named(m: re.Match[str]) -> tuple[str, int, int]:
    group = "2" if m.groupdict().get("name2") else ""
    return m.group("name" + group), m.start("cut" + group), m.end("cut" + group)


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
        generic = first in _EN_GENERIC or first in _EN_NOT_PROJECTS or is_given_name(first)
        if not generic and not is_person and not name.isupper():
            return Mention(name, None, *_with_trigger(text, en.start(group), en.end(group)))
    if cued := _from_cues(text, directory):
        return cued
    return _from_list(text, directory) if new_task else None
