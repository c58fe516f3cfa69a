"""Who a message is about: the assignee of a new task, the new owner of an existing one, or the person whose
progress is asked for. Every mention gets a role from the words around it:

- assign: "交给张三", "孙悦负责", "给杨帆建个任务", "assign it to Tom", "for Li Na:", "Emily owns it";
- object: the person is part of the work, not its owner ("把周报发给赵敏", "给张三打电话", "ping Leo", "Frank's PR");
- neutral: anything else ("张三，周五前…", "how is Priya doing").

A new task takes an assign or neutral mention; an update only an assign mention (the new owner: "小王的接口联调"
names the task, not a change); a progress question any non-object mention, else "me" when the asker speaks of
themselves. Members match by any spelling the directory knows; other names need a trigger to count."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from intents.directory import Directory
from intents.given_names import is_given_name
from intents.mention import CALENDAR_WORDS, TOOL_WORDS, Mention
from intents.types import Intent

_TEAMS = (
    "(?:财务|采购|HR|人事|行政|运营|市场|销售|客服|法务|技术|产品|设计|测试|研发|仓库|物流|前端|后端"
    "|店员|店长|班长|组长|主管|助理|实习生|同事|师傅|护士|医生|老师)"
)
_ASSIGN_BEFORE = re.compile(
    r"(?:交给|交由|分配给|指派给|指给|转给|转交给?|派给|分给|安排给|给到|移交给?|换成|改成|改为|让|assign给|负责人(?:是|为|填|写|改成|改为|换成|设为)?"
    r"|owner\s*(?:is|是|为|:)?|assign(?:ed)?(?: it| this| that| the \w+)? to|assing(?: it)? to|(?:go|goes|went) to|reassign(?:ed)?(?: it| this| that)? to"
    r"|give(?: it| this| that)? to|hand(?: it| this| that)?(?: over)? to|assignee|pass(?: it)? to|(?<!\w)@|->|assign\s*[:：]"
    r"|(?:assign|assing) (?:a|an) (?:new )?(?:task|ticket|to-?do) to|\b(?:is|are) (?:now )?on|被|由|换|[(（]"
    # "给采购的蒋涛", "安排给仓库的老刘", "给财务钱姐": the owner's team said before the name
    r"|(?:交给|给|安排给|分给|转给|转交给|负责人(?:是|为|[:：])?)\s*(?:[\u4e00-\u9fffA-Za-z]{1,4}(?:那边)?的|"
    + _TEAMS
    + r"(?:那边)?)"
    r"|^\s*" + _TEAMS + r"|(?<=[，,、\s])" + _TEAMS + r"(?=[\u4e00-\u9fff]{1,3}(?:负责|来弄|来做|来跟))"
    r"|\bassign|\bget|given to|handed (?:over )?to"
    r")[\s:：]*$",
    re.I,
)
_NOTE_BEFORE = re.compile(r"(?:^|[:：]|\s[-—–]|\bget)\s*$", re.I)
_ASSIGN_AROUND = re.compile(r"(?:给|帮|替|为)\s*$")
_PLATE = re.compile(r"\b(?:on|to|onto)\s+$", re.I)
_PLATE_AFTER = re.compile(r"^'s(?:\s+(?:plate|list|queue|to-?do list|backlog)|(?=\s*[?.!,]|\s*$))", re.I)
_GIVE_BEFORE = re.compile(r"(?:任务|task|to-?do|待办|活儿?|这个|那个|吧|的)?\s*给\s*$", re.I)
_GIVE_AFTER = re.compile(
    r"^\s*(?:[，,。:：！!;；]|的\s*[，,]|的$|吧|$)|^\s+(?=(?:下|本|这|明|后|今|月底|周|礼拜|星期|\d|P\d|优先))"
)
_TO_BEFORE = re.compile(r"\bto\s*$", re.I)
_TO_VERB = re.compile(r"\b(?:give|assign|reassign|hand|pass|transfer|move|swap|switch|owner|assignee)\b", re.I)
_TASK_GIVE = re.compile(r"(?:任务|task|to-?do|待办|活儿?)\s*给\s*$", re.I)
_ABOUT_BEFORE = re.compile(
    r"\b(?:did|does|has|is|how's|how is|what's|what is|about|check on|everything|(?:progress|status|update) on"
    r"|(?:status|progress|update) of|anything from|(?:things|it going|going|what's up) with|(?:update|news|word)\b[^.?!]{0,25}\bfrom|(?:open|left|pending|overdue|outstanding|remaining|assigned) for)\s+$",
    re.I,
)
_ABOUT_AFTER = re.compile(
    r"^\s*(?:的|手上|手头|那边|最近|入职|接了|在忙|在做|忙|这周|本周|这个月|本月|上个?月|上周|今天|昨天|现在|是不是|有没有|还有|'s\s+(?:list|plate|tasks?|work|progress|queue"
    r"|backlog|workload|to-?dos?)|\s*(?:doing|got|working|up to|busy|behind|on track|finish\w*|have|has|done|hasn'?t|still has"
    r"|getting on|getting along|coping)\b|那几个|那些)",
    re.I,
)
_ASSIGN_AFTER_AROUND = re.compile(r"^\s*(?:建|加|派|安排|创建|新建|开|记|添加|弄|整|挂)")
_ASSIGN_AFTER = re.compile(
    r"^\s*(?:负责|来做|来负责|来弄|来跟|来搞|来处理|跟进|做吧|做$|做(?=\s*[，,。;；])|去做|主责|牵头|名下"
    r"|(?:can|could|will|should) take (?:it )?over|takes over|is taking over|needs to|has to"
    r"|owns|will (?:do|own|handle|take)|should do|'s the owner|is the owner|'ll own it"
    r"|is on it|'s on it|is now on\b|needs? a (?:new )?(?:task|to-?do)|the owner\b|to (?:own|handle|do) it|should own|take (?:it |this )?over\b|(?:can|could|will) take (?:it|this)\b|is taking (?:it|this)"
    r"|接手|接过去|牵头|来跟|跟一下)",
    re.I,
)
_FOR_BEFORE = re.compile(
    r"(?:\b(?:task|to-?do|item|ticket|reminder|card|something)|['\"”])(?:\s+(?:uh|um|created|made|added|set up))?"
    r"(?:\s+(?:in|on|under|to|into)\s+(?:the\s+)?[\w-]+(?:\s+[\w-]+)?|\s+(?:in|under)\s+the\s+(?:[\w-]+\s+){1,3}project)?"
    r"\s+for(?:\s+like)?"
    r"(?:\s+(?:our|the|my)\s+(?:intern|colleague|new hire|teammate|designer|engineer|developer|assistant))?\s*$"
    r"|^\s*for\s*$|\b(?:it'?s|it is|this is|that'?s)\s+(?:for|on)\s*$|,\s*for\s*$|\bfor\s+(?:uh|um|like)\s*$",
    re.I,
)
_OBJECT_BEFORE = re.compile(
    r"(?:发给|发送给|寄给|给|跟|和|与|找|问问?|通知|告诉|联系|约|向|(?<![校核比面针相绝])对|提醒|催|抄送|邀请|请教|回复"
    r"|follow up(?:一下)?|跟进一下|send(?: it| this| that| the \w+)? to|email|e-mail|call|ping|with|to|about"
    r"|review|remind|ask|tell|meet|thank|cc|invite|send|forward|show)\s*$",
    re.I,
)
# Work done to someone, even when their name is followed by 的: "follow up一下Kevin的报价", "催一下张三的报销".
_ACT_ON_BEFORE = re.compile(
    r"(?:follow up|跟进|发给|发送给|寄给|联系|催|提醒|通知|告诉|ping|email|call|remind)(?:一下)?\s*$", re.I
)
_OBJECT_AFTER = re.compile(
    r"^\s*(?:'s\b(?!\s+(?:plate|tasks?|work|progress|to-?dos?|queue|backlog|workload))|打电话|开会|确认|沟通|对接)",
    re.I,
)

_ME_ASSIGN = re.compile(
    r"(?:交给|分配给|指派给|转给|安排给|改成|换成|负责人(?:是|为|填|写|改成|换成)?)\s*我(?!们)|我来(?:做|负责|弄|跟|接)|我自己来"
    r"|给我自己|给我[：:]|分给我|(?<![给让叫请])我负责(?=\s*(?:$|[，,。；;！!]))|(?:owner|assignee) to me\b|\bas+ign(?: it)? to me\b|\bfor myself\b"
    r"|\b(?:assign(?:ed)?(?: it| this)? to me|assign me|give (?:it|this) to me|to myself|on my (?:list|plate|to-?do)"
    r"|to my (?:to-?do )?(?:list|plate)|to my to-?dos?)\b|(?:加到|放到|放进|加进)我的(?:待办|任务|清单)"
    r"|(?<=task )for me\b|(?<=todo )for me\b|(?<=to-do )for me\b|(?<=item )for me\b"
    r"|\bI(?:'ll| will) take (?:it |this )?over\b|\bput it under my name\b|\bmy to-?do\b|(?<=\s-\s)me(?=\s+-\s)|\bassign\b[^.,;]{0,40}?\bto me\b|\bI(?:'ll| will) (?:do|take|own|handle) it\b",
    re.I,
)
_ME_ABOUT = re.compile(
    r"(?:我|俺)(?!们)(?:的|得|自己|手头上|负责|这周|本周|这礼拜|这个礼拜|这个\s*(?:sprint|迭代|星期|礼拜|月)|这个月|本月|今天|昨天|明天|下周|上周|还有|有|手上|手头|需要|该|要|最近|这边|名下|被)"
    r"|\b(?:I|i|my|mine|myself|I'm|i'm|I've|for me)\b"
)

# Common surnames: a two- or three-character name no member has must start with one.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金"
    "石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷"
    "詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓"
    "古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)
# A lookahead, so that "换成宋雨" also tries 宋雨 after 成宋雨 (成 is a surname too).
_ZH_NAME = re.compile(r"(?<![本这下上每前后当])(?=([" + SURNAMES + r"][\u4e00-\u9fff]{1,2}))")
_NOT_IN_NAME = set(
    "的了是在有个们这那哪谁任务项目进度到期周月年天号日点分钟时候吗呢吧啊呀么什怎样做来去负责给跟和把被让请帮建加派完成改最会"
    "一二三四五六七八九十两我你他她它优级谢前末底牵接"
)
# A nickname: 小周, 老王, 阿杰 (a surname after 小/老/阿), counted only in a clear role.
_NICKNAME = re.compile(
    r"([小老]["
    + SURNAMES
    + r"]|小[\u4e00-\u9fff]|阿[\u4e00-\u9fff]|["
    + SURNAMES
    + r"\u4e00-\u9fff][哥姐总](?![\u4e00-\u9fff]?[们部]))"
)
_NOT_NICKNAMES = frozenset(
    "小时 老师 小程 小组 小说 小米 小林 老家 小康 阿里 小于 老于 小白 小心 小区 小票 小样 小事 小店".split()
)
# A name standing alone as one item of a list: "建任务 CRM升级 客户标签体系设计 宋雨", "…, Ahmed, next Thursday".
_SEP = r"(?:^|$|\s+|\s*[，,、;；:：]\s*|\s+-\s+)"
_STANDALONE = re.compile(
    r"(?<=[\u4e00-\u9fff]\s)([\u4e00-\u9fff]{2,3})(?=\s|[，,、;；]|$)"
    r"|(?:(?<=[，,、;；：:])|(?<=[，,、;；：:]\s))([\u4e00-\u9fff]{2,3})(?=\s|[，,、;；]|$)"
    r"|(?:,\s*|\s[-—–]\s|(?<=[\u4e00-\u9fff])\s)([A-Z][a-z]+)(?=\s*,|\s+[-—–]\s|\s+[\u4e00-\u9fff]|\s*$)"
    r"|(?<=:\s)([A-Z][a-z]+)(?=\s+-\s)"
)
_EN_NAME = re.compile(
    r"(?<![A-Za-z])((?:(?:Mr|Mrs|Ms|Dr|Prof|Nurse|Coach|Sister)\.?\s)?[A-Z][a-zà-ÿ]+(?:-[A-Za-z][a-zà-ÿ]+)?(?:\s[A-Z][a-zà-ÿ]+)?)"
    r"(?![A-Za-zà-ÿ-])"
)
# A given name typed in lower case ("give it to lucia"), counted only right after an assigning word.
_LOWER_NAME = re.compile(r"(?<![\w'-])([a-z]{3,})(?![\w'-])")
_EN_NOT_NAMES = CALENDAR_WORDS | frozenset(
    "Next This The Phoenix Apollo Mobile Qiao Hey Hi Please Can Could Would What Whats How Is Are Am Do "
    "Does Did Add Create Make Put Remind Set Move Mark Change Assign Reassign Give Update Push New Task "
    "Any Which When Where Who Why Show List Tell Let Also Just Ok Okay Thanks It Its My Me Everyone Team "
    "Review Testing Release Launch Excel Gantt Slack Google Outlook Jira Orion Android Ios Sso Crm Api "
    "Pdf Ui Qa Uat Prd Hr Ops I ".split()
)


@dataclass(frozen=True)
class _Candidate:
    mention: Mention
    role: str


def _role(text: str, start: int, end: int) -> str:
    before, after = text[max(0, start - 30) : start], text[end : end + 30]
    if _ASSIGN_BEFORE.search(before) or _ASSIGN_AFTER.match(after) or _FOR_BEFORE.search(before):
        return "assign"
    # "from the retro: Tom to write up the postmortem", "Ms. Alvarez to email parents": notes name the doer first.
    if _NOTE_BEFORE.search(text[:start]) and re.match(r"\s+to\s+[a-z]", after):
        return "assign"
    if (  # "小美：周三前把价签核一遍": a name heading the message
        not text[:start].strip()
        and re.match(r"\s*[:：]", after)
        and re.fullmatch(r"[\u4e00-\u9fff]{2,4}|[A-Z][a-z]+(?:\s[A-Z][a-z]+)?", text[start:end])
    ):
        return "assign"
    if _ASSIGN_AROUND.search(before) and _ASSIGN_AFTER_AROUND.match(after):
        return "assign"
    if _PLATE.search(before) and _PLATE_AFTER.match(after):
        return "assign"
    if (
        _GIVE_BEFORE.search(before)
        and not re.search(r"(?:发|寄|送|交|递|传|同步|汇报|反馈|转发|分享|演示|展示|介绍)给\s*$", before)
        and _GIVE_AFTER.match(after)
    ):
        return "assign"
    if _TO_BEFORE.search(before) and _TO_VERB.search(text[:start]):
        return "assign"
    if _TASK_GIVE.search(before):
        return "assign"
    if _ABOUT_BEFORE.search(before):
        return "about"
    if _ABOUT_AFTER.match(after):
        return "object" if re.match(r"\s*的", after) and _ACT_ON_BEFORE.search(before) else "about"
    if _OBJECT_BEFORE.search(before) or _OBJECT_AFTER.match(after):
        return "object"
    return "neutral"


def _zh_name_forms(name: str) -> list[str]:
    """The three- then two-character readings of a surname-led run ("郑凯手" → 郑凯手, 郑凯), minus particles."""
    forms = [name[:n] for n in (3, 2) if len(name) >= n]
    return [f for f in forms if not any(ch in _NOT_IN_NAME for ch in f[1:])]


def _trigger_start(text: str, start: int) -> int:
    before = text[max(0, start - 30) : start]
    found = _ASSIGN_BEFORE.search(before) or re.search(r"\bfor(?:\s+(?:our|the|my)\s+[a-z]+)?\s*$|给\s*$", before, re.I)
    return start - len(before) + found.start() if found else start


def _candidates(text: str, directory: Directory, extra: Sequence[Mention]) -> list[_Candidate]:
    folded = text.casefold()
    taken: list[tuple[int, int]] = []
    found: list[_Candidate] = []

    def add(value: str, member_id: int | None, start: int, end: int) -> None:
        if any(s < end and start < e for s, e in taken):
            return
        taken.append((start, end))
        found.append(_Candidate(Mention(value, member_id, start, end), _role(text, start, end)))

    for spelling, member_id in directory.people_index:  # longest first, so "Li Na" wins over "Na"
        for hit in re.finditer(re.escape(spelling), folded):
            s, e = hit.span()
            latin = spelling[0].isascii() and spelling[0].isalnum()
            if latin and (
                (s and folded[s - 1].isalnum() and folded[s - 1].isascii())
                or (e < len(folded) and folded[e].isascii() and folded[e].isalnum())
            ):
                continue
            add(text[s:e], member_id, s, e)
    for hit in _ZH_NAME.finditer(text):
        s = hit.start(1)
        inside_word = s > 0 and "\u4e00" <= text[s - 1] <= "\u9fff"
        if hit.group(1)[0] in "成为" and text[s - 1 : s] in ("换", "改", "变", "升", "降"):
            continue  # "换成林峰": 成 ends the verb, the name starts after it
        for name in _zh_name_forms(hit.group(1)):
            role = _role(text, s, s + len(name))
            if role == "assign" or (role == "about" and not inside_word):
                add(name, None, s, s + len(name))
                break
    for hit in _NICKNAME.finditer(text):
        if hit.group(1) not in _NOT_NICKNAMES and _role(text, hit.start(1), hit.end(1)) in ("assign", "about"):
            add(hit.group(1), None, hit.start(1), hit.end(1))
    for hit in _STANDALONE.finditer(text):
        group = min(next(g for g in (1, 2, 3, 4) if hit.group(g)), 3)
        name = hit.group(group) if group < 3 else hit.group(3) or hit.group(4)
        if group < 3 and (name[0] not in SURNAMES or any(ch in _NOT_IN_NAME for ch in name[1:])):
            continue
        if group == 3 and (name in _EN_NOT_NAMES or name in TOOL_WORDS):
            continue
        start = text.index(name, hit.start())
        add(name, None, start, start + len(name))
    for hit in _EN_NAME.finditer(text):
        name = hit.group(1)
        if name.split()[0] not in _EN_NOT_NAMES and _role(text, hit.start(1), hit.end(1)) != "neutral":
            add(name, None, hit.start(1), hit.end(1))
    for hit in _LOWER_NAME.finditer(text):
        if is_given_name(hit.group(1).capitalize()) and _role(text, hit.start(1), hit.end(1)) == "assign":
            add(hit.group(1), None, hit.start(1), hit.end(1))
    for m in extra:  # names from NER: only in a clear role, since the small model guesses loosely
        if m.value.split()[0].capitalize() not in _EN_NOT_NAMES and _role(text, m.start, m.end) in ("assign", "about"):
            add(m.value, None, m.start, m.end)
    return sorted(found, key=lambda c: c.mention.start)


def find_person(
    text: str,
    directory: Directory,
    intent: Intent = Intent.create_task,
    extra: Sequence[Mention] = (),
    project: Mention | None = None,
) -> Mention | None:
    """The person `intent` is about, or None; the span includes the trigger words for cutting from a title.
    `extra` are names another recogniser found (spaCy), weighed by the same roles; a name inside the span of
    `project` (the project found in the same message, "Nebula那边…") is not a person."""
    candidates = _candidates(text, directory, extra)
    if project is not None:
        candidates = [c for c in candidates if not project.start <= c.mention.start < project.end]
    assign = [c for c in candidates if c.role == "assign"]
    neutral = [c for c in candidates if c.role in ("neutral", "about")]
    chosen: _Candidate | None = None
    if assign:
        chosen = assign[-1] if intent is Intent.update_task else assign[0]
    elif intent is not Intent.update_task and neutral:
        chosen = neutral[0]
    if chosen is not None:
        m = chosen.mention
        start = _trigger_start(text, m.start) if chosen.role == "assign" else m.start
        return Mention(m.value, m.id, start, m.end)
    if me := _ME_ASSIGN.search(text):
        return Mention("me", directory.caller_id, me.start(), me.end())
    if intent is Intent.query_progress and _ME_ABOUT.search(text):
        return Mention("me", directory.caller_id, 0, 0)
    return None
