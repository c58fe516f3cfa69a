"""Which project a message names: any known spelling (name, English name, alias, key), a close misspelling
of a Latin name ("Appolo"), or an unknown project as said ("Orion", "CRM升级项目")."""

from __future__ import annotations

import difflib
import re

from intents.directory import Directory
from intents.given_names import is_given_name
from intents.mention import CALENDAR_WORDS, TOOL_WORDS, Mention, find_spelling
from intents.people import SURNAMES

_ZH_UNKNOWN = re.compile(r"([A-Za-z0-9\u4e00-\u9fff]{2,12})(?:这个)?项目")
# A project name starts after the last of these: a verb, pronoun or particle is not part of it.
_ZH_NAME_START = re.compile(r".*[我你他她在把给到对从开做建了的要和与跟让请帮看查下上个些问说是有吗呢吧去]")
_ZH_GENERIC = re.compile(r"^(这个|那个|哪个|哪些|所有|整个|全部|各个|每个|新|该|本|我的|我们的?|他们的?|你们的?|.*的)$")
_EN_UNKNOWN = re.compile(
    r"\b(?:[Pp]roject|[Pp]roj\.?)\s+([A-Z][\w-]+)|(?<![A-Za-z])([A-Z][\w-]*(?:\s+[A-Za-z][\w-]*)?)\s+project\b"
    r"|\b(?:in|on|under)\s+(?:the\s+)?([A-Z][a-zA-Z0-9-]+)(?=\s+(?:redesign|rollout|launch|project|team|board"
    r"|is|was|looking)\b|[?.!:]|\s*$)"
    r"|(?<![A-Za-z])([A-Z][a-zA-Z0-9-]+)(?=\s?(?:现在|这周|推进|进度|那边|项目|的\s?(?:milestone|进度|风险|risk|排期|上线|overdue|items|tasks|backlog)))"
    r"|\bhow(?:'s| is) (?:the\s+)?([A-Z][\w-]+(?:\s+upgrade)?)\s+(?:looking|going|coming)"
)
_EN_GENERIC = frozenset(
    {"The", "This", "That", "Which", "Each", "Every", "My", "Our", "A", "New", "Whole", "Any", "All"}
)
_EN_NOT_PROJECTS = CALENDAR_WORDS | TOOL_WORDS | frozenset("I Me EOD Qiao ".split())
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z-]{3,}")
_ZH_TRIGGER = r"(?:在|到|给|往|把|关于|挂)?\s*$"


def _not_project(word: str) -> bool:
    """A calendar word, a tool or the like, also in the plural ("on Sundays")."""
    return word in _EN_NOT_PROJECTS or (word.endswith("s") and word[:-1] in _EN_NOT_PROJECTS)


_EN_TRIGGER = r"(?:\b(?:in|to|for|on|under|into|of)\s+(?:the\s+)?)$"


# An unknown project's name: a code name ("Atlas"), a system's acronym with the work on it ("ERP迁移", "CRM
# upgrade"), or a platform ("数据中台"). A code name needs a cue around it, since a person's name reads the same.
_CODE = r"[A-Z][a-z]+(?![A-Za-z])\d*(?:\s+(?:v\d+(?:\.\d+)*|\d+\.\d+)(?![\w.]))?"
_ACRO_EN = r"[A-Z]{2,}\d?\s(?:upgrade|migration|rollout|revamp|rebuild|redesign|rewrite|integration|implementation)"
_ACRO_ZH = r"[A-Z]{2,}\d?(?:升级|迁移|改造|重构|二期|一期|三期|平台|系统|中台|上线)"
_HAN_HUB = r"[\u4e00-\u9fff]{2,4}(?:中台|平台|系统|一期|二期|三期)"
_ZH_AFTER = (
    r"那个|卡在|到底|还要|能不能|这个|这周|本周|现在|目前|最近|那边|推进|进度|有没有|还有|整体|这个月|本月|上线|今天"
)
_CUES = (
    # Clause start in Chinese: "Atlas的客户数据导入脚本…", "把数据中台的…", "ERP迁移有没有…", "Nebula现在…"
    re.compile(
        rf"(?:^|(?<=[:：,，;；。]))\s*(?:(?:帮我|请|麻烦)?(?:看看|查查?|看一下|查一下|check一下)\s*)?"
        rf"(?P<cut>(?:把|帮我把|请把|给)?\s*(?P<name>{_ACRO_ZH}|{_HAN_HUB}|{_CODE})"
        rf"(?:\s*的(?=\s*[\w\u4e00-\u9fff])|(?=\s*(?:{_ZH_AFTER}|建|加|新建|开|目前|完成度|还要|有什么))))"
    ),
    # "add a task to the Nebula board", "status check on Orion please", "what's Kevin doing in the CRM upgrade"
    re.compile(
        rf"\b(?P<cut>(?:to|into)\s+(?:the\s+)?(?P<name>{_CODE})\s+(?:board|sprint|backlog|roadmap|repo|workstream))\b"
        rf"|\b(?P<cut2>(?:in|on|for|under|about)\s+(?:the\s+)?(?P<name2>{_ACRO_EN}|{_CODE})"
        r"(?:\s+(?:board|sprint|backlog|roadmap|repo|workstream|team|release))?)"
        r"(?=\s+(?:please|this|right|today|now|for|is|was|has|are|stand|due|by)\b|\s*[?.!:,]|\s*$)"
        # "add a task to Bluebird: clean up …"
        rf"|\b(?P<cut3>to\s+(?:the\s+)?(?P<name3>{_CODE}))(?=\s*:)"
    ),
    re.compile(
        rf"\bhow(?:'s| is| are)\s+(?:the\s+)?(?P<cut>(?P<name>{_CODE}))(?:\s+[a-z]+)?\s+(?:looking|going|coming)"
        rf"|\bhow\s+(?:the\s+)?(?P<cut2>(?P<name2>{_CODE}))\s+(?:is|are)\s+(?:looking|going|coming|doing|tracking)"
    ),
    # A Chinese platform named in an English sentence: "any progress on 数据中台 since last week?"
    re.compile(
        rf"\b(?:on|in|for|of|with|about)\s+(?P<cut>(?P<name>{_HAN_HUB}|{_ACRO_ZH}))"
        r"(?=\s*(?:[?.!,;]|$|\s+(?:since|this|today|now|right|yet|so far|lately|recently|going|looking)\b))"
    ),
    # Where a new task goes: "在会员中心下面建个任务", "帮我在Falcon下面建个任务", "在Hermes项目下加一个".
    re.compile(
        r"(?P<cut>在\s*(?P<name>[A-Za-z][\w-]{1,20}|[\u4e00-\u9fff]{2,8}?)\s*(?:项目)?\s*(?:下面|下边|下|里面|里))"
        r"(?=\s*(?:帮我|给我)?\s*(?:建|加|新建|开|创建|添加|记))"
    ),
    # "项目是供应链二期", "【官网】首页视频压缩": the project said as a field or a tag.
    re.compile(r"(?P<cut>项目(?:是|为|[:：])\s*(?P<name>[\w\u4e00-\u9fff-]{2,12}?))(?=\s*(?:[，,。；;！!]|$))"),
    re.compile(r"(?P<cut>【(?P<name>[^】\s]{1,12})】)"),
    # "春熙路店这边搞个任务", "三号线整一个任务", "挂《龙渊》下面", "在《星海余烬》项目下", "Project: \"Ember Tides\""
    re.compile(
        r"(?:^|(?<=[:：,，;；。\s]))(?P<cut>(?P<name>(?!帮|给|麻烦|请|你|我|那个|嗯|就是)"
        r"(?:[\u4e00-\u9fffA-Za-z0-9]{2,8}?(?<![长员师理管总])(?=这边|那边)|[\u4e00-\u9fffA-Za-z0-9]{1,6}(?:店|线|车间|仓|中心|系统|平台|中台|期)))"
        r"(?:这边|那边)?)"
        r"(?=\s*(?:帮我)?(?:整|搞|弄|建|加|开|新建|创建|添加)(?:一|一个|个)(?:新的?)?(?:任务|待办|task|todo|to-?do))"
    ),
    re.compile(
        r"(?P<cut>(?:挂|在|放到|加到)\s*《(?P<name>[^》\s]{1,12})》\s*(?:项目)?\s*(?:下面|下边|下|里面|里)?)"
        r"|(?P<cut2>(?<![“\"'「])《(?P<name2>[^》\s]{1,12})》\s*(?:项目\s*)?(?:下面|下边|下|里面|里))"
        r"|(?:^|(?<=[:：,，;；。]))(?P<cut3>《(?P<name3>[^》\s]{1,12})》)(?=\s*[^\s的”\"'」])"
    ),
    re.compile(r"(?P<cut>\bproject\s*[:：]\s*[\"'“]?(?P<name>[^\"'”.,;]{2,30}?)[\"'”]?)(?=\s*[.,;]|\s*$)", re.I),
    re.compile(rf"\bwhere (?:does|do|is|are) (?:the\s+)?(?P<cut>(?P<name>{_CODE}))\s+stand"),
    # "Orion's Kafka upgrade wrapped up" (but not "Howard Wu's progress")
    re.compile(rf"(?<![A-Za-z])(?<![A-Za-z]\s)(?<![A-Za-z]\.\s)(?P<cut>(?P<name>{_CODE})'s\s+)(?=[A-Za-z0-9])"),
)
# A list after the command: "新增任务：ERP迁移 物料编码映射表 邓丽 12月12号前", "add task: Atlas - decommission … - Ahmed".
_LIST_HEAD = re.compile(
    r"^\s*(?:(?:新增|新建|创建|建|加|添加|add|create|new)\s*(?:一?个|a|an)?\s*(?:新)?(?:任务|task|to-?do|待办)"
    r"|新任务|新建(?=\s*[:：]))\s*(?:[:：-]\s*|\s+)",
    re.I,
)
_LIST_ITEM = rf"(?P<name>{_ACRO_ZH}|{_HAN_HUB}|{_ACRO_EN}|{_CODE}|[\u4e00-\u9fff]{{2,6}}(?:中台|平台|系统|中心|项目))"


def _is_code_name(name: str, directory: Directory) -> bool:
    """A capitalised word that names a project, not a person, a tool or a sentence's first word."""
    first = name.split()[0]
    if not first.isascii():
        return first not in _ZH_PARTIES and not _ZH_GENERIC.match(first)
    if first in _EN_GENERIC or _not_project(first) or first.capitalize() in TOOL_WORDS:
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
    # "Create task: Migrate the wiki …" is a sentence: a Latin code name heads a list only before a dash.
    if re.fullmatch(_CODE, found.group("name")) and "-" not in text[found.end("name") : found.end()]:
        return None
    return Mention(found.group("name"), None, found.start(), found.end())


_ASSIGNING = re.compile(r"\b(?:assign|assing|give|hand|pass)\b", re.I)
_FOR_OWNER = re.compile(r"\b(?:task|to-?do|item|ticket|reminder|card|something)\s+(?:\w+\s+)?$", re.I)


def _from_cues(text: str, directory: Directory, new_task: bool) -> Mention | None:
    hits = [_named(m) for cue in _CUES for m in cue.finditer(text)]
    for name, start, end in sorted(hits, key=lambda h: h[1]):
        # "create a task for Aisha": the one a task is for is its owner, not its project.
        owner = new_task and text[start:end].lower().startswith("for") and _FOR_OWNER.search(text[:start])
        # "assign a task to Nguyen: audit …": the one it goes to is a person.
        owner = owner or (text[start:end].lower().startswith("to") and _ASSIGNING.search(text[:start]))
        if _is_code_name(name, directory) and not owner:
            return Mention(name, None, start, end)
    return None


# "for the data platform project", "status of the checkout revamp project": a lower-case name before "project".
_EN_LOWER = re.compile(r"\bthe\s+(?P<name>(?:(?:[a-z][\w-]*|[A-Z]{2,})\s+){0,2}[a-z][\w-]*)\s+project\b")
_EN_LOWER_GENERIC = frozenset("whole entire same new old other current next last first big main this that".split())
# Naming an existing task or asking about a project: "where are we with Hermes",
# "her Polaris tasks", "那个 Hermes 现在…".
_EXISTING_CUES = (
    re.compile(
        rf"\b(?:with|of|against|on|for|about)\s+(?:the\s+)?['\"“]?(?P<cut>(?P<name>{_CODE}))['\"”]?"
        r"(?=\s*[?.!,]|\s*$|\s+[-—–]|\s+(?:rn|right now|so far|this week|yet)\b)"
    ),
    re.compile(rf"\b(?:check|status|update|progress)\s*[:：]\s*(?P<cut>(?P<name>{_CODE}))(?=\s*[?.!,]|\s*$)", re.I),
    # A store, a production line or a system at a clause's start: "春熙路店冬季陈列搞定了", "二号线这礼拜还有啥没做"
    re.compile(
        r"(?:^|(?<=[:：,，;；。]))\s*(?P<cut>(?P<name>[一二三四五六七八九十\d]{1,2}号?线|[\u4e00-\u9fff]{3,5}店))(?=[\u4e00-\u9fff])"
    ),
    re.compile(rf"(?P<cut>(?P<name>{_ACRO_ZH}))"),
    # A quoted code name qualifying a task: "move the 'Moonlit Harbor' boss fight tuning to Kenji"
    re.compile(r"\bthe\s+(?P<cut>['\"“](?P<name>[A-Z][\w]*(?:\s[A-Z][\w]*){0,2})['\"”])(?=\s+[a-z])"),
    re.compile(rf"\b(?:his|her|their|my|our|your)\s+(?P<cut>(?P<name>{_CODE}))(?=\s+(?:tasks?|work|items|tickets))"),
    # A code name qualifying an existing task: "the Hermes DNS cutover is done", "the Nebula logging cleanup".
    re.compile(rf"\bthe\s+(?P<cut>(?P<name>{_CODE}))(?=\s+(?:[a-z]{{2}}|[A-Z]{{2,}}\b))"),
    re.compile(rf"(?<![A-Za-z])(?P<cut>(?P<name>{_CODE}))(?=\s*(?:{_ZH_AFTER}|是什么|什么|怎么|到底|还要|卡在))"),
)


# Business words written capitalised at the head of a task's name ("the Payment gateway integration"): code names
# are rarely these.
_WORK_NOUNS = frozenset(
    "Payment Payments Billing Invoice Invoicing Login Checkout Pricing Search Onboarding Security Data Customer "
    "Customers User Users Web Email Support Report Reports Budget Hiring Office Partner Vendor Sales Marketing "
    "Finance Legal Compliance Audit Account Accounts Order Orders Inventory Shipping Training Recruiting".split()
)


def _from_existing(text: str, directory: Directory) -> Mention | None:
    hits = [_named(m) for cue in _EXISTING_CUES for m in cue.finditer(text)]
    for name, start, end in sorted(hits, key=lambda h: h[1]):
        # "the stocktake at the Harbourfront store": after a preposition the name is a place, not a project.
        place = re.search(r"\b(?:at|from|for|in|near)\s+the\s+$", text[:start], re.I)
        if _is_code_name(name, directory) and name.split()[0] not in _WORK_NOUNS and not place:
            return Mention(name, None, start, end)
    return None


# A Chinese code name at a clause's start, qualifying what follows: "天枢的deploy脚本…", "北极星那边的接口联调…".
# Only a single dictionary noun (or a word jieba has never seen) counts: "登录页的", "数据迁移的" are several words,
# "支付回调" a verb; teams and parties ("财务那边", "运营商的") are nouns too, so they are listed.
_ZH_CLAUSE_NAME = re.compile(
    r"(?:^|(?<=[:：,，;；。!！?？\s]))(?:那个\s*|把\s*|帮我把\s*)?(?P<cut>(?P<name>[\u4e00-\u9fff]{2,4}?)"
    r"(?:那边的|的(?=[\w\u4e00-\u9fff])|(?=这周|本周|现在|目前|最近|进度|进展|还差|整体|推进)))"
)
_ZH_PARTIES = frozenset(
    "财务 法务 运营 运营商 市场 销售 客服 人事 行政 技术 产品 设计 测试 研发 前端 后端 团队 老板 客户 对方 甲方 乙方 用户 "
    "供应商 领导 同事 大家 公司 我们 他们 你们 部门 合作方 厂商 业务 总部 门店 银行 物流 法院 政府 老师 同学 家里 "
    "支付宝 微信 腾讯 阿里 百度 字节 华为 苹果 谷歌 京东 美团 运维 IT".split()
)
_NOUN_FLAGS = frozenset({"n", "nr", "ns", "nt", "nz", "x", "b"})


def zh_code_name(text: str, directory: Directory) -> Mention | None:
    """A Chinese project code name at a clause's start, or None."""
    import logging

    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    for m in _ZH_CLAUSE_NAME.finditer(text):
        name = m.group("name")
        words = jieba.posseg.lcut(name)
        if len(words) != 1 or words[0].flag not in _NOUN_FLAGS or name in _ZH_PARTIES or _ZH_GENERIC.match(name):
            continue
        person = (
            (words[0].flag == "nr" and name[0] in SURNAMES)
            or (name[0] in "小老阿" and name[1] in SURNAMES)
            or (len(name) == 2 and name[1] in "哥姐总")  # 强哥, 谭总
            or (len(name) == 2 and name[0] in "小老阿")  # 小美, 老赵
        )
        if not person and all(not spelling.startswith(name.casefold()) for spelling, _ in directory.people_index):
            return Mention(name, None, m.start("cut"), m.end("cut"))
    return None


def _from_lower(text: str) -> Mention | None:
    for m in _EN_LOWER.finditer(text):
        if not _EN_LOWER_GENERIC & set(m.group("name").split()):
            before = re.search(_EN_TRIGGER, text[: m.start("name")], re.I)
            start = before.start() if before else m.start("name")
            return Mention(m.group("name"), None, start, m.end())
    return None


def _named(m: re.Match[str]) -> tuple[str, int, int]:
    group = next((g for g in ("2", "3") if m.groupdict().get("name" + g)), "")
    return m.group("name" + group), m.start("cut" + group), m.end("cut" + group)


def _with_trigger(text: str, start: int, end: int) -> tuple[int, int]:
    before = re.search(_EN_TRIGGER, text[:start], re.I) or re.search(_ZH_TRIGGER, text[:start])
    suffix = re.match(
        r"\s*(?:这个)?(?:项目|project\b)(?:那边|这边)?|\s*(?:那边|这边)(?=\s*(?:加|建|新建|有|的))", text[end:], re.I
    )
    return (before.start() if before and before.group().strip() else start), end + (suffix.end() if suffix else 0)


def _modifies_title(text: str, start: int, end: int) -> bool:
    """'prepare the Apollo steering committee report', '排查阿波罗对账差异': the name qualifies the work, it
    doesn't file it."""
    if re.match(r"[\u4e00-\u9fff]", text[start - 1 : start]) and re.match(r"[\u4e00-\u9fff]", text[end : end + 1]):
        return text[start - 1] not in "在到给往把于和跟为对从向里" and text[end] not in "的项那这下里上中组团"
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
        generic = first in _EN_GENERIC or _not_project(first) or is_given_name(first)
        if not generic and not is_person and not name.isupper():
            start = en.start() if group == 1 else en.start(group)  # "in Project Falcon" goes whole
            return Mention(name, None, *_with_trigger(text, start, en.end(group)))
    if cued := _from_cues(text, directory, new_task) or _from_lower(text) or zh_code_name(text, directory):
        return cued
    if not new_task:
        return _from_existing(text, directory)
    return _from_list(text, directory)
