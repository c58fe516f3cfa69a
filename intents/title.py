"""The title of a task, from what is left once the other slots (with their trigger words) are cut.

A new task: the content clause after the command ("帮我建个任务：周五前把登录页改版做完，交给张三" → "登录页改版";
"remind me to send the invoice tomorrow" → "send the invoice"). An existing task: its name, which comes before
the change ("把数据看板首页开发的截止日改成本周内" → "数据看板首页开发"; "move the billing migration deadline to
December 10" → "the billing migration"). Chinese drops the 把…做完 wrapper; English keeps articles."""

from __future__ import annotations

import re
from collections.abc import Iterable

_HAN = r"\u4e00-\u9fff"
_ZH_COMMAND = re.compile(
    r"(?:请|麻烦|帮忙|帮我|给我|替我|你|我想|我要|我需要|需要|嗯|那个|在)?\s*"
    r"(?:新建|创建|新增|建立|建|加|添加|增加|(?<![登标笔日])记|记录|开|录|安排|派|列|create|add|new)\s*(?:一下|一?个|一条|条|下)?\s*"
    r"(?:新的?|空的?|空白的?)?(?:任务|待办事项|待办|事项|事|todo|to-?do|task|ticket|reminder|提醒|工作项|卡片|活儿?)(?:吧|哈|哦|吗)?"
    r"|^\s*(?:新任务|new task|任务|待办)\s*(?=[：:，,\s])|提醒(?:一下)?我|记得|别忘了|不要忘了|帮我记(?:一下)?|(?<![登标笔日])记一下"
    r"|(?:需要|要|有|来)(?:一个|一条|个|条)?新的?(?:任务|待办|task|to-?do)(?:要建|要开|要加)?"
    r"|有空的?时候|有空再|有时间的?时候"
    rf"|remind\s*我|帮我|(?<![{_HAN}])(?:我要|我得|我需要)",
    re.I,
)
_ZH_LEAD = re.compile(
    r"^(?:请|麻烦|帮忙|就是|那个|嗯|呃|好的?|对了|哦|喂|吧|谢谢|内容是|内容为|标题是|题目是|叫做|名字叫|叫|是|把|要|得|去|来|让|的)+"
)
_ZH_FINISH = re.compile(
    r"^(?:完成|做完|搞定)|(?:给)?(?:做完|完成|搞定|弄完|写完|更新完|改完|处理完|做好|弄好|准备好|整理好|搞好|落实)(?:了|掉)?$"
)
_ZH_FILLER = re.compile(
    r"^(?:负责|来做|来负责|来弄|来跟|跟进|做|弄|完成|要完成|前完成|之前完成|deadline|截止|到期|谢谢|吧|啊|哈|好的|就是|那个|"
    r"啥时候弄都行|什么时候都行|有空再弄|不着急|交|的|了|一下|之前|前|以前|内|due|吧谢谢|是|它|帮|给|让|替|下|里|中|建个|加个|能|吗|"
    r"有个事|有件事|再|那边|到|名下|内容我待会儿告诉你|先帮我建上|先帮我开个空的|要建|你|先|建上|开个空的?|这个|具体|我|我们|我这边|建一个|开一个|"
    r"细节|详情|内容|稍后|待会儿?|回头|再说|再发你|发你|告诉你|补充|给你)+$",
    re.I,
)
_EN_COMMAND = re.compile(
    r"^\s*(?:(?:hey|hi|ok|okay|so|um|uh|yo|please|pls|plz|qiao|(?:whenever )?you get a chance)[,\s]+)*"
    r"(?:(?:can|could|would|will) (?:you|u)\s+|i wanna\s+|i need you to\s+|i want you to\s+|i'd like to\s+|i want to\s+|let's\s+"
    r"|i need to\s+(?=(?:create|add|make|open|log|set up|start)\b))?"
    r"(?:please\s+)?(?:go ahead and\s+)?"
    r"(?:(?:create|add|make|open|log|set up|put together|put in|put|start|file|record|schedule|set|jot down|write down)\s+"
    r"(?:(?:me|us)\s+)?(?:the following\s+|a|an|one)?\s*(?:(?:new|blank|empty)\s+)?"
    r"(?:task|to[- ]?do|todo item|item|ticket|card|reminder|action item)s?(?:\s+(?:for me|for us|on my list|to my list))?(?:\s*(?:to|called|titled|named|about|:|-)\s*)?"
    r"|add to (?:my|the) to-?do(?: list)?:?|(?:task|to-?do)\s*[:：-]"
    r"|(?:i|we) (?:need|want) (?:a|an) (?:new )?(?:task|to-?do)(?:\s+(?:for|to))?|new task(?:\s*[:：-])?"
    r"|(?:\w+\s+){0,2}(?:needs?|wants?|should get|gets?) (?:a|an|one) (?:new |blank |empty )?(?:task|to-?do)\b"
    r"|remind me(?:\s+to|\s+about)?|don't let me forget to|i need to remember to|i need to|i have to|i must|i should"
    r"|note to self:?|todo:|task:)\s*",
    re.I,
)
_EN_FILLER = re.compile(
    r"^(?:owns it|will do it|is on it|should do it|it'?s|its|please|thanks?|thank you|whenever is fine|no rush"
    r"|needs to be done|due|deadline|asap|and|to|by|before|for|it|on my list|is fine|ok|okay|assign|new|pls|plz"
    r"|on\s*'s\s+(?:plate|list)|can you help|can you|help|content tbd|tbd|too|also|as well|details to follow|to follow|start one|make one|set one up|for me|later|details|the details"
    r"|i'll send|i will send|send|you|(?:[a-z]*'s |[a-z]+ is |s )?the owner|owner|\s)+$",
    re.I,
)
_QUOTES = "\"'“”「」『』‘’"
_EDGE = re.compile(r"^[\s，,。.:：;；!！?？、\-—~～" + _QUOTES + r"]+|[\s，,。.:：;；!！?？、\-—~～" + _QUOTES + r"]+$")
_ZH_TAIL = re.compile(r"(?:一下|吧|哦|啊|呢|呀|哈|嘛|了|的|啦|掉|给|交给|并|和|跟|然后)+$")
_EN_TAIL = re.compile(
    r"\s+(?:by|before|until|till|due|on|at|for|to|and|with|please|pls|thanks|thx|the|is|are|in)$", re.I
)
_CLAUSE = re.compile(r"[，,；;。!！?？]|\s+-\s+|(?<=[" + _HAN + r"）)])\s+(?=[" + _HAN + r"（(])")

# Where an existing task's name ends and the change to it begins.
_ZH_CHANGE = re.compile(
    r"(?:的|那个|这个)?(?:任务|活儿?|事)?(?:的)?(?:进度|完成度|截止(?:日期|时间|日)?|日期|时间|deadline|due|优先级|负责人|状态|status"
    r"|owner|assignee|progress)|(?:的|那个|这个)\s*(?:任务|活儿?|task|ticket|问题|bug|事儿?)|我这边|我们这边|那个(?=\s*(?:[改调推换转交标设挪]|别|不用|不要))|分给|现在是谁|改成|改为|改到|调成|调到|调整|推迟|往后|延期|延后|提前|挪到|转给|交给|换成|标记|标成|设为|设成"
    r"|已经|已|还没|完成|做完|(?:[收交测审做弄写改搞看读填]|整理|处理)完|搞定|卡着|stuck|postpone|push|delay|move|解决|卡住|卡在|被卡|阻塞|在做|正在|开始|重新打开|重开|先不做|做到|别标|弄了|可以关|进行中|审批通过|通过了|修好|定好|造了|不用|不再|截至|assign|blocked|done|reopen|\d+\s*[%％]"
    r"|(?:写|做|弄|搞|改|测)了?\s*(?:大概|大约|差不多|约)?\s*(?:百分之|一半|大半|[一二三四五六七八九]成|\d+\s*[%％])|百分之",
    re.I,
)
_ZH_OWNER_LEAD = re.compile(r"^.{1,6}?(?:手上的|手里的|手头的|名下的|负责的|的那个|那边说|说|的)(?=.)")
_EN_UPDATE_LEAD = re.compile(
    r"^(?:(?:please|can you|could you|hey|ok|so)\s+)*(?:i\s+(?:just\s+)?|i'm\s+|i am\s+|i've\s+|i have\s+|we've\s+|we're\s+|we are\s+)?"
    r"(?:(?:move|push|change|set|update|mark|make|bump|deprioritize|prioritize|reassign|assign|put|shift|postpone|pull in|extend|close|reopen|re-open|flag|give|hand|swap|switch|lower|raise|reschedule"
    r"|started(?: working on)?|finished|completed|am working on|'m working on|working on)\s+)?"
    r"(?:(?:the\s+)?(?:owner|assignee|due date|deadline|priority|status|progress)\s+(?:on|of|for)\s+)?",
    re.I,
)
_EN_CHANGE = re.compile(
    r"\s+(?:to|is|are|was|were|has|have|as|from|by|until|deadline|due|priority|status|owner|assignee|task|got|just|now"
    r"|already|isn't|shouldn't|should|needs|went|no longer|doesn't|wrapped)\b|\s+\d+\s*%|[,;:!?]|\.(?=\s|$)|\s*->|\s+-\s+",
    re.I,
)


def _cut(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """Remove the spans; a cut between Chinese words becomes a clause break, one inside English a space."""
    out = text
    for start, end in sorted(spans, reverse=True):
        left, right = out[:start].rstrip(), out[end:].lstrip()
        english = (not left or left[-1].isascii()) and (not right or right[0].isascii())
        out = left + (" " if english else "，") + right
    return out


def _tidy(title: str) -> str:
    previous = None
    while previous != title:
        previous = title
        title = _EDGE.sub("", title)
        title = _ZH_TAIL.sub("", title)
        title = _EN_TAIL.sub("", title)
    return re.sub(r"\s{2,}", " ", title).strip()


def _clean_clause(clause: str) -> str:
    clause = _tidy(_ZH_LEAD.sub("", _tidy(clause)))
    clause = _tidy(
        re.sub(r"^(?:to|that|which|called|titled|named|on\s*'s\s+(?:plate|list):?)\s+", "", clause, flags=re.I)
    )
    if _ZH_FILLER.match(clause) or _EN_FILLER.match(clause):
        return ""
    if re.search(f"[{_HAN}]", clause):
        clause = _tidy(_ZH_FINISH.sub("", clause))
        if wrapped := re.match(r"^把(.+)$", clause):
            clause = wrapped.group(1)
    return clause


_QUOTED = re.compile(r"[“「『\"]([^”」』\"]{2,80})[”」』\"]")


def new_task_title(text: str, spans: Iterable[tuple[int, int]]) -> str | None:
    """The title of a task being created, or None when the message gives none ("帮我建个任务")."""
    if quoted := _QUOTED.search(text):  # 把“更新安全培训课件”加到我的待办里: the quotes mark the title
        return _tidy(quoted.group(1))
    rest = _cut(text, spans)
    rest = _EN_COMMAND.sub("，", rest, count=1)
    rest = _ZH_COMMAND.sub("，", rest)
    clauses = [c for c in (_clean_clause(part) for part in _CLAUSE.split(rest)) if c]
    return clauses[0] if clauses else None


def existing_task_title(text: str, spans: Iterable[tuple[int, int]]) -> str | None:
    """How the message names the task it changes, or None."""
    rest = _tidy(_cut(text, spans))
    rest = re.sub(r"^(?:请|麻烦|帮我|帮忙|给我|那个|就是|嗯|呃|哦|对了|那啥)*\s*(?:更新一下|更新下)?\s*", "", rest)
    rest = re.sub(r"^(?:我|我们)(?:这边|已经|刚刚?)*(?=把)", "", rest)
    if re.search(f"[{_HAN}]", rest):
        owner = re.match(r"^.{1,6}?(?:手上的|手里的|手头的|名下的|负责的|的那个|那边说)", rest)
        rest = _ZH_OWNER_LEAD.sub("", rest) if owner else rest
        clauses = [c for c in (_tidy(p) for p in _CLAUSE.split(rest)) if c]
        # "王伟请假了，把对账脚本转给黄磊": the clause with 把 names the task.
        clauses.sort(key=lambda c: not c.startswith("把"))
        for clause in clauses:
            head = _tidy(_ZH_CHANGE.split(clause, maxsplit=1)[0])
            head = _tidy(re.sub(r"^把", "", head))
            if head and not _ZH_FILLER.match(head):
                return head
        return None
    rest = _tidy(_EN_UPDATE_LEAD.sub("", rest, count=1))
    head = _tidy(_EN_CHANGE.split(rest, maxsplit=1)[0])
    head = re.sub(r"\s+task$", "", head, flags=re.I).strip()
    return head or None


def extract_title(text: str, spans: Iterable[tuple[int, int]], *, update: bool = False) -> str | None:
    """The title once `spans` are cut: of the task changed when `update`, else of the task created."""
    return existing_task_title(text, spans) if update else new_task_title(text, spans)
