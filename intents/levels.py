"""Priority and status words, in both languages. Each table lists patterns in the order they are tried, the
most specific first. `<` and `>` in a pattern mark an ASCII word edge, which unlike `\\b` also holds next to a
Chinese character ("改成P2", "blocked了")."""

from __future__ import annotations

import re

from intents.mention import Mention
from knowledge.enums import Priority, TaskStatus


def _compile(pattern: str) -> re.Pattern[str]:
    marked = pattern.replace("(?<", "\0")  # keep real lookbehinds apart from the edge markers
    marked = marked.replace("<", r"(?<![A-Za-z0-9])").replace(">", r"(?![A-Za-z0-9])")
    return re.compile(marked.replace("\0", "(?<"), re.I)


_LEVEL = r"(?:优先级|优先度|级别)\s*(?:设为|设成|改为|改成|调到|调成|降到|升到|提到|是|为|:|：)?\s*"
_PRIORITY: tuple[tuple[Priority, re.Pattern[str]], ...] = (
    (
        Priority.low,
        _compile(
            _LEVEL + r"低|低优先级|低优|不着急|不急|<P3>|<low(?:[- ]priority)?>(?!-end)|<whenever>|<no rush>"
            r"|<not urgent>|<(?:isn'?t|is not|no longer) (?:super |that |so )?urgent(?: any ?more)?>|<can wait>|<lowest priority>"
        ),
    ),
    (
        Priority.urgent,
        _compile(
            _LEVEL + r"(?:紧急|最高)|十万火急|特急|加急|紧急|火急|<P0>|<asap>|<urgent(?:ly)?>|<critical>"
            r"|<highest priority>|<top priority>|<right away>|<immediately>"
        ),
    ),
    (
        Priority.high,
        _compile(
            _LEVEL
            + r"(?:高|重要)|(?:调到|调成|调为|提到|升到|改成|改为)\s*(?:高|最高)(?![\u4e00-\u9fff])|高优先级|高优|重要|<P1>|<high?t?(?:[- ]prio(?:rity)?)?>|<important>"
        ),
    ),
    (
        Priority.medium,
        _compile(
            _LEVEL + r"(?:中|中等|普通|一般|正常)|中优先级|中等优先级|普通优先级|改成普通|调成普通|<P2>"
            r"|<medium(?:[- ]priority)?>|<normal priority>|<priority (?:medium|normal)>"
            r"|(?:改成|改为|调成|调到|降到|降为|设成|设为|<back to |<to |<as )\s*<normal>|(?:普通|<normal>)(?=就行|就好|即可|就够)"
        ),
    ),
)

_PERCENT = (
    r"(?:\d+\s*[%％]|百分之[\d一二三四五六七八九十百]+|[一二三四五六七八九]成|一半|大半|[一二三四]分之[一二三]|half(?:way)?"
    r"|(?:two|a|one) thirds?|(?:three |a |one )?quarters?|mostly|almost|nearly|partly|partially)"
)
_STATUS: tuple[tuple[TaskStatus, re.Pattern[str]], ...] = (
    (
        TaskStatus.todo,
        _compile(
            r"重新打开|重开|改回待办|回到待办|改成待办|待办|还没开始|未开始|没开始|先不做|<re-?open\w*>"
            r"|还没人动|没人动|没人碰|重新\s*<open>|<back (?:to|in|into|on) (?:the )?(?:to-?do|todo|backlog)>"
            r"|<not started>|<to-?do>(?= status)|<mark (?:it )?as to-?do>"
        ),
    ),
    (
        TaskStatus.blocked,
        _compile(
            r"卡住|卡在|卡着|阻塞|被卡|受阻|搁置|停滞|挂起|暂停|还在等|在等|<block(?:ed|er)?>|<stuck>|<waiting (?:on|for)>"
            r"|<on hold>|<pending>|<paused>|<on pause>|<parked>|先放一放|放一放|<can'?t proceed>|<cannot proceed>"
        ),
    ),
    (
        TaskStatus.done,
        _compile(
            r"已完成|完成了|做完了|搞定了|搞定|弄完了|写完了|改完了|[弄做搞]好了|已经?上线了"
            r"|已经?做完|已经?完成|结束了|解决了|可以关了|关闭|关掉|完工|标记[为成]?完成|[改设]成完成|设为完成|标完成|完成啦|close掉"
            r"|(?<![开机])关了吧?(?![\u4e00-\u9fff])"
            r"|(?:整理|处理|审核|[交测审写改弄搞做看收填读])完了|(?<=\s)完成$|<done>"
            r"|<finish(?:ed)?>(?=\s*了)|<finished>|<completed?>|<fixed>|<resolved>|<close (?:it|this|out)>|<wrapped up>|<shipped>"
            r"|<(?:can|could) be closed>|已完城"
        ),
    ),
    (
        TaskStatus.in_progress,
        _compile(
            r"进行中|在做|正在做|还在(?:弄|搞|写|改|跟进?|处理|整理)|开始(?:做|弄|搞|写|跟进?|处理|整理)|开始了|已开始|开工|跟进中|处理中"
            r"|<in progress>|<started>|<start>(?=\s*了)|已经\s*<start>"
            r"|<working on>|<underway>|<start(?:ing)? on>|^\s*<on it>|<(?:i'm|we're) on it>|<WIP>|^\s*<starting>"
            r"|(?:已经|正)?在(?:处理|写|弄|改|搞|跟)(?!完)"
        ),
    ),
)
_NEGATED = re.compile(
    r"(?:(?<![识区告分类级性派辨鉴差离])别|不要|不用|无需|取消|去掉|不是|不再|不该|不应该|(?<![自打])从"
    r"|\b(?:don't|do not|no longer|not|shouldn't|should not|isn't|is not|doesn't need|does not need|no need for|instead of|from)(?:\s+(?:super|so|that|very|really|too))?)\s*(?:再)?(?:标|设|改|调|mark|set|(?:to\s+)?be|have|make)?\s*(?:成|为|it|as)?\s*$",
    re.I,
)
# "done - no wait, it's still in progress": a correction, so the later value is the one meant.
_SET_TO = re.compile(
    r"(?:\b(?:make|set|change|mark|move|bump|lower|raise)\s+it\s+(?:to\s+|as\s+)?|改成|改为|调成|调到|设为|设成)\s*$",
    re.I,
)
_CORRECTION = re.compile(
    r"no wait|no sorry|sorry no|not quite|actually|scratch that|i mean|不对|说错了|其实|算了", re.I
)


def _said(table: tuple[tuple[str, re.Pattern[str]], ...], text: str) -> list[tuple[str, Mention]]:
    """Every value said and not negated, in text order. A match inside the span of a more specific rule's match
    ("urgent" of "not urgent") is part of that match, not a value of its own."""
    found: list[tuple[str, Mention]] = []
    for value, pattern in table:
        for m in pattern.finditer(text):
            # "别标紧急了" names the level being removed, not the new one.
            if _NEGATED.search(text[max(0, m.start() - 24) : m.start()]):
                continue
            if not any(m.start() < other.end and other.start < m.end() for _, other in found):
                found.append((value, Mention(m.group(), None, m.start(), m.end())))
    return sorted(found, key=lambda pair: pair[1].start)


def _first(table: tuple[tuple[str, re.Pattern[str]], ...], text: str) -> tuple[str, Mention] | None:
    """The most specific value said; when a correction follows it, the value said after the correction."""
    said = _said(table, text)
    if not said:
        return None
    ranked = min(said, key=lambda pair: [value for value, _ in table].index(pair[0]))
    # "it's not urgent anymore, make it medium": a value set outright beats a different one described.
    chosen = [pair for pair in said if _SET_TO.search(text[max(0, pair[1].start - 20) : pair[1].start])]
    if chosen and chosen[-1][0] != ranked[0]:
        return chosen[-1]
    corrected = [pair for pair in said if _CORRECTION.search(text, ranked[1].end, pair[1].start)]
    return corrected[-1] if corrected else ranked


def find_priority(text: str) -> tuple[Priority, Mention] | None:
    """The priority the text asks for, with its span."""
    found = _first(tuple((p.value, pat) for p, pat in _PRIORITY), text)
    return None if found is None else (Priority(found[0]), found[1])


_REQUIRED = re.compile(r"\b(?:needs?|has|have|got|must|should|is)\s+to\s+be\s*$|\b(?:must|should|will)\s+be\s*$", re.I)


def find_status(text: str) -> tuple[TaskStatus, Mention] | None:
    """The status the text sets, with its span. A share of work done ("75% done", "完成了百分之四十") is
    progress, not the done status."""
    if re.search(
        _PERCENT + r"\s*(?:done|complete|finished)|完成(?:了|度)?\s*(?:大概|约|差不多)?\s*" + _PERCENT, text, re.I
    ):
        text = re.sub(_PERCENT + r"\s*(?:done|complete|finished)|完成(?:了|度)?", lambda m: " " * len(m.group()), text)
    found = _first(tuple((st.value, pat) for st, pat in _STATUS), text)
    if (
        found is not None
        and found[0] == TaskStatus.done.value
        and _REQUIRED.search(text[max(0, found[1].start - 20) : found[1].start])
        and re.match(r"\s+(?:by|before|until|on|no later)\b", text[found[1].end :], re.I)
    ):
        return None
    return None if found is None else (TaskStatus(found[0]), found[1])
