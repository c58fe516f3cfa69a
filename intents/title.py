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
    r"(?:能不能|可不可以|可以|请|麻烦|劳驾|帮忙|帮我|给我|替我|你|我想|我要|我需要|需要|嗯|那个|在|先)*\s*"
    r"(?:新建|创建|新增|建立|建|加|添加|增加|(?<![登标笔日])记|记录|开|录|安排|派|列|挂|整|搞|弄|set|create|add|new)\s*(?:一下|一?个|一条|条|下)?\s*"
    r"(?:新的?|空的?|空白的?)?(?:任务|待办事项|待办|事项|事儿?|todo|to-?do|task|ticket|reminder|follow[- ]?up|action\s*item|提醒|工作项|卡片|活儿?)"
    r"(?:吧|哈|哦|吗|啊|呗)?"
    r"|^\s*(?:新任务|new task|任务|待办|新建|新增|添加|todo|to-?do|task)\s*(?=[：:，,\s])|提醒(?:一下)?我|记得|别忘了|不要忘了|帮我记(?:一下|着|上|下来)?|(?<![登标笔日])记一下"
    r"|(?:需要|要|有|来)(?:一个|一条|个|条)?新的?(?:任务|待办|task|to-?do)(?:要建|要开|要加)?"
    r"|(?<![登标笔日])记(?:上|着|下来)|^\s*(?:开单|建|新建)\s*(?=[:：])"
    r"|有空的?时候|有空再|有时间的?时候|新需求(?:来了)?(?=\s*[：:])|(?:加|建|新建|添加|开|整|搞|弄)一?个(?=\s*[：:])"
    rf"|remind\s*我|帮我|(?<![{_HAN}])(?:我要|我得|我需要)",
    re.I,
)
# What people say before the request itself, in new and existing tasks alike: asides, politeness, meeting notes.
_ZH_ASIDE = (
    r"(?:甲方|客户|老板|领导)说|请问一下|请问|不好意思(?:打扰(?:一下|了)?)?|温馨提示(?:一下)?|对了|哎|请|麻烦|劳驾"
)
_ZH_MEETING = r"(?:会上|会议上?|例会上?)\s*(?:定了|决定了?|说了|align\s*了|对齐了)"
_ZH_LEAD = re.compile(
    r"^(?:[\u4e00-\u9fff]{1,4}交代的|"
    + _ZH_ASIDE
    + r"|新需求来了|新需求|清单|待办清单|"
    + _ZH_MEETING
    + r"|(?:客户|老板|领导)(?:要求|说|让)|帮忙|就是说|就是|然后|那个|嗯|呃|好的?|对了|哦|喂|吧|谢谢|内容是|内容为|标题是|题目是|叫做|名字叫|叫|是|要|得|去|来|让|的)+"
)
_ZH_FINISH = re.compile(
    r"^(?:完成|做完|搞定)|(?:给)?(?:做完|完成|搞定|弄完|写完|更新完|改完|处理完|做好|弄好|准备好|整理好|搞好|落实)(?:了|掉)?$"
)
_ZH_FILLER = re.compile(
    r"^(?:负责|来做|来负责|来弄|来跟|跟进|做|弄|完成|要完成|前完成|之前完成|deadline|截止|到期|谢谢|吧|啊|哈|好的|就是|那个|"
    r"啥时候弄都行|什么时候都行|有空再弄|不着急|交|的|了|一下|之前|前|以前|内|due|吧谢谢|是|它|帮|给|让|替|下|里|中|建个|加个|能|吗|"
    r"有个事|有件事|再|那边|到|名下|内容我待会儿告诉你|先帮我建上|先帮我开个空的|要建|你|先|建上|开个空的?|这个|具体|我|我们|我这边|建一个|开一个|"
    r"细节|详情|内容|稍后|待会儿?|晚点|回头|再说|再填|填上?|空着|要做(?:啥|什么)|做啥|啥|我?想想|让我想想|那啥|啊|负责人(?:写|是|填|为)?|再发你|发你|告诉你|补充|给你|标题|题目|名字|再补|补上|补|自己|"
    r"跟你说(?:一?下|一声)|说一声|先说一声|知会一声|等下|等会儿?|一会儿?|来出|来接|说|然后|不|占个坑|先占个坑|能的话|可以的话|的话)+$",
    re.I,
)
_EN_COMMAND = re.compile(
    r"^\s*(?:(?:hey|hi|ok|okay|so|yeah|well|alright|right|actually|yo|please|pls|plz|qiao|(?:whenever )?you get a chance"
    r"|i was thinking|i think|i guess|maybe)[,\s]+)*"
    r"(?:(?:can|could|would|will) (?:you|u)\s+(?:(?:please|pls|kindly)\s+)?|would you mind\s+|i wanna\s+|help me\s+"
    r"|would you be so kind as to\s+|(?:would|is) it ok(?:ay)? (?:if i |to )|would it be ok(?:ay)? (?:if i |to )"
    r"|is it possible to\s+|(?:pls|please)\s+|i need you to\s+|i want you to\s+|i'd like to\s+|i want to\s+|let's\s+"
    r"|i need to\s+(?=(?:create|add|make|open|log|set up|start)\b))?"
    r"(?:please\s+)?(?:go ahead and\s+)?"
    r"(?:(?:create|add|make|open|log|set up|put together|put in|put down|put|throw in|start|file|record|schedule|set|jot down|write down"
    r"|adding|creating|making|opening|setting up|logging|filing|(?:(?<=can we )|(?<=could we )|(?<=can i )|(?<=could i ))(?:get|have)"
    r"|(?:assign|assing)(?=\s+(?:a|an)\s+(?:new\s+)?(?:task|to-?do|ticket)\s+to\b))\s+"
    r"(?:(?:me|us)\s+)?(?:the following\s+|a|an|one)?\s*(?:(?:new|blank|empty)\s+)?"
    r"(?:task|to[- ]?do|todo item|item|ticket|card|reminder|action item)s?(?:\s+(?:for me|for us|on my list|to my list))?"
    r"(?:\s*(?:to|called|titled|named|about|:|-|for(?=\s+(?:the\s|\w+ing\b)))\s*)?"
    r"|add (?:this |it )?to (?:my|the) (?:to-?do )?(?:list|plate)\s*[:：—–-]?|(?:could|can) a (?:new )?(?:task|to-?do|ticket) (?:please )?be (?:created|made|added|set up)(?: for)?"
    r"|add to (?:my|the) to-?do(?: list)?:?|add(?=\s+.{3,80}?\s+to (?:my|the) (?:to-?do )?list\b)|(?<=\bok to )add\b|(?<=\bokay to )add\b|(?:task|to-?do)(?:\s+(?:pls|please|plz))?\s*[:：-]"
    r"|(?:(?:i|we)\s+)?(?:need|want) (?:a|an) (?:new )?(?:task|to-?do|ticket)(?:\s+(?:created|made|set up|opened))?(?:\s+(?:for|to))?"
    r"|(?:reminder|to-?do|task)\s+(?:pls|please)\s*[:：]"
    r"|new task(?:\s+(?:pls|please|plz))?(?:\s*[:：-])?"
    # "we should probably have someone draft the postmortem": the work is what someone should do.
    r"|(?:(?:we|i)\s+)?(?:need|want|should|must|have to|gotta)\s+(?:(?:probably|maybe|also|really)\s+)*"
    r"(?:(?:have|get|find)\s+)?(?:someone|somebody)\s+(?:to\s+)?"
    r"|(?:\w+\s+){0,2}(?:needs?|wants?|should get|gets?) (?:a|an|one) (?:new |blank |empty )?(?:task|to-?do)\b"
    r"|remind me(?:\s+to|\s+about)?|don't let me forget to|i need to remember to|i need to|i have to|i must|i should"
    r"|note to self:?|todo:|task:)\s*",
    re.I,
)
_EN_FILLER = re.compile(
    r"^(?:owns it|will do it|is on it|should do it|it'?s|its|please|thanks?|thank you|whenever is fine|no rush"
    r"|needs to be done|due|deadline|asap|and|to|by|before|for|it|on my list|is fine|ok|okay|assign|new|pls|plz"
    r"|on\s*'s\s+(?:plate|list)|can you help|can you|help|content tbd|tbd|too|also|as well|details to follow|to follow|start one|make one|set one up|for me|later|details|the details"
    r"|i'll send|i will send|send|you|(?:[a-z]*'s |[a-z]+ is |s )?the owner|owner|set up|created|made|opened|task|to-?do"
    r"|new task|add|lah|leh|lor|can\?|so yeah|yeah|do the needful|i'?ll tell you[^,]*|i will tell you[^,]*|i'll fill (?:in|it in)|i will fill (?:in|it in)|fill (?:in|it in)|(?:the )?(?:title|name|description)|\s)+$",
    re.I,
)
_QUOTES = "\"'“”「」『』‘’"
_EDGE = re.compile(r"^[\s，,。.:：;；!！?？、\-—~～" + _QUOTES + r"]+|[\s，,。.:：;；!！?？、\-—~～" + _QUOTES + r"]+$")
_ZH_TAIL = re.compile(r"(?:一下|吧|哦|啊|呢|呀|哈|嘛|了|的|啦|掉|给|交给|并|和|跟|然后)+$")
_EN_TAIL = re.compile(
    r"\s+(?:by|before|until|till|due|on|at|for|to|and|with|please|pls|thanks|thx|the|is|are|in)$", re.I
)
# "建一个那个就是说服务器续费的任务": the content said inside the command, before 的任务.
_ZH_INNER = re.compile(
    r"(?:新建|创建|建|加|添加|开|挂)(?:一)?个\s*(?:(?:那个|就是说?|嗯|呃)\s*)*"
    r"(?!新的?|空白?的?)([^，,。；;\s的]{2,30})的(?:任务|待办|todo|task)"
)
_OWNER_TAIL = re.compile(r"\s*(?:owner|assignee|负责人|负责)\s*(?:是|为|[:：])$", re.I)
# Spoken hesitations: "um add a task uh for Beatriz to like redo the emails".
_EN_HESITATION = re.compile(r"(?<![\w'])(?:um+|uh+|uhm+|erm+|hmm+|you know)(?![\w'])[,\s]*", re.I)
_EN_LIKE = re.compile(r"\b(to|for|so|yeah|and|just|is|it's|was|uh|um|then|you|can|please)\s+like,?\s+", re.I)
# A reason is not part of the work: "redo the onboarding emails because nobody reads them".
_REASON = re.compile(r"\s+(?:because|'?cause|cuz|coz|since)\b[^,;]*|(?:因为|由于)[^，,。；;]*", re.I)
# The request to file it, said after the work: "…, can you put it on Ray's plate", "make it a task for Olivia".
_EN_FILE_IT = re.compile(
    r"(?:[,\s]+(?:(?:so\s+)?(?:can|could|would|will) (?:you|u|we)\s+|please\s+|pls\s+|and\s+|just\s+)*"
    r"(?:put|add|make|turn|create|log|stick|throw|file)\s+(?:it|that|this)\b[^:：]*)$",
    re.I,
)
# A full stop that ends a sentence, not a title ("Dr. Okafor", "Prof. Lin").
_SENTENCE_DOT = r"(?<!\b[Mm]r)(?<!\b[Mm]rs)(?<!\b[Mm]s)(?<!\b[Dd]r)(?<!\b[Pp]rof)(?<!\bvs)\."
_CLAUSE = re.compile(
    r"[，,；;。!！?？]|\s+-\s+|\s*[—–]+\s*|\s*->\s*|(?<=[A-Za-z0-9)])"
    + _SENTENCE_DOT
    + r"(?:\s+|$)|(?<=["
    + _HAN
    + r"）)])\s+(?=["
    + _HAN
    + r"（(])"
)

# Where an existing task's name ends and the change to it begins. English words are matched whole, so "push"
# does not split "Renew Apple push certificate" and "assign" does not split "reassign".
_ZH_CHANGE = re.compile(
    r"(?:的|那个|这个)?(?:任务|活儿?|事)?(?:的)?(?:进度|完成度|截止(?:日期|时间|日)?|日期|时间|优先级|负责人|状态"
    r"|(?<![A-Za-z])(?:deadline|due|status|owner|assignee|progress|priority)(?![A-Za-z])"
    r"(?!\s*(?:report|page|meeting|review|update|check|call|list|board|email)))"
    r"|(?:的|那个|这个|那件|这件)\s*(?:任务|活儿?|task|ticket|todo|to-?do|问题|bug|事儿?|事情|需求)|先放一放|放一放|[那这](?:单|张卡片?|块)|在改|在写|在弄|在处理|我来|我不跟|升成|升为|升到|降成|降为|降到|由|我这边|我们这边|那个(?=\s*(?:[改调推换转交标设挪]|别|不用|不要))"
    r"|分给|现在是谁|改成|改为|改到|调成|调到|调整|推迟|往后|延期|延后|延到|延至|顺延|推到|放到|提前|挪到|转给|交给|换成|标记|标成|设为|设成"
    r"|已经|已|还没|还在|完成|做完|(?:[收交测审做弄写改搞看读填]|整理|处理)完|搞定|卡着|解决|卡住|卡在|被卡|被(?!子)|阻塞|暂停|在做|正在"
    r"|开始|开工|重新打开|重开|回到|先不做|做到|别标|弄了|可以关|进行中|审批通过|通过了|修好|定好|造了|不用|不再|截至|差不多|基本|剩下|只剩"
    r"|(?<![纪需概摘])要(?=\s*(?:[A-Za-z]|延期|延后|推迟|提前|改|调|换|转|交|标|暂停))"
    r"|快(?:要)?(?:[弄做写搞改测]|整理|处理)?(?:好|完)|没那么|不那么|不(?:太)?急|不着急|能不能|可不可以|能否"
    r"|(?<![A-Za-z])(?:stuck|postpone|blocked|done|reopen|pending|assign|start(?:ed)?|(?:push|move|delay)(?=\s*(?:到|至|一下|to\b|back)))"
    r"(?![A-Za-z])|\d+\s*[%％]"
    r"|(?:写|做|弄|搞|改|测)了?\s*(?:大概|大约|差不多|约)?\s*(?:百分之|一半|大半|[一二三四五六七八九]成|\d+\s*[%％])|百分之",
    re.I,
)
# Words that end a Chinese name without being part of it: "税率表更新那个", "库存同步任务", "开工日期今天正式".
_ZH_HEAD_TAIL = re.compile(
    r"(?:今天|昨天|刚刚?|刚才|正式|终于|总算|也|又|(?<!优)先|这个|那个|任务|task|我们?(?:这边)?|咱们?|俺|那边[^，,]{1,6}说)+$",
    re.I,
)
_ZH_OWNER_LEAD = re.compile(
    r"^.{1,6}?(?:手上的|手里的|手头的|名下的|负责的|跟的|那边的|的那个|那边说|手上那个|手里那个|手头那个|说|的)(?=.)"
)
# "小王那个看板数据接口", "Leo那个接口": a person's nickname or given name pointing at their task.
_ZH_NAME_LEAD = re.compile(r"^(?:[小老阿][\u4e00-\u9fff]|[A-Z][a-z]+)那个(?=.)")
_ZH_CHATTER = re.compile(r"^(?:跟你说(?:一?下|一声)|和你说(?:一?下|一声)|告诉你|说一下|通知一下|知会一声)$")
# An English sentence about a task whose name is Chinese: "mark 登录页改版 as done", "push 离线模式数据同步 to …".
_EN_FRAME = re.compile(
    r"^(?:(?:please|pls|can you|could you|hey|ok|so)\s+)*(?:mark|push|move|change|set|update|bump|reassign|assign|reopen"
    r"|re-open|give|hand|close|extend|postpone|reschedule|shift|put|make|the)\s",
    re.I,
)


def _english_frame(text: str) -> bool:
    """Whether a message with Chinese names in it is built as an English sentence."""
    if _EN_FRAME.match(text):
        return True
    return bool(
        re.match(r"[A-Za-z]", text)
        and re.search(r"\s(?:is|are|was|as|from|to)\s", text, re.I)
        and not re.search(r"[了吧把呢吗啊]|那个|这个|已经", text)
    )


_EN_UPDATE_LEAD = re.compile(
    r"^(?:(?:please|pls|(?:can|could) (?:you|we)|hey|ok|so|any chance(?: (?:we|you) can)?|is it ok(?:ay)? (?:if|to)(?: we)?"
    r"|would it be ok(?:ay)? (?:if|to)(?: we)?|is it possible (?:to|for (?:us|you) to))\s+)*(?:i\s+(?:just\s+)?|i'm\s+|i am\s+|i've\s+|i have\s+|we've\s+|we're\s+|we are\s+)?"
    r"(?:(?:can|could|will|should|would|gonna)\s+)?(?:i'll\s+|we'll\s+)?"
    r"(?:(?:take (?:me|us) off|can'?t proceed with|cannot proceed with|move|push|change|set|update|mark|make|bump|deprioritize|prioritize|reassign|assign|put|shift|postpone|pull in|extend|close|reopen|re-open|flag|give|hand (?:off|over)|hand|swap|switch|lower|raise|reschedule"
    r"|take over|takes over|took over|pick up|picks up|picked up|handle|own"
    r"|started(?: working on)?|finished|completed|am working on|'m working on|working on)\s+(?:(?:me|us|him|her|them)\s+(?=the\b))?)?"
    r"(?:(?:the\s+)?(?:owner|assignee|due date|deadline|priority|status|progress)\s+(?:on|of|for)\s+)?",
    re.I,
)
# How far along someone is, said before the task: "almost done with the pricing page copy", "Leo's done with …",
# "i'm about halfway through …", "havent touched the churn dashboard yet", "Grace finished testing the refund …".
_EN_PROGRESS_LEAD = re.compile(
    r"^(?:[\w']+\s+){0,2}?(?:(?:is|am|are|'s|'m|'re|has|have|'ve)\s+)?"
    r"(?:(?:almost|nearly|about|like|just|finally|already|mostly|still|pretty much)\s+)*"
    r"(?:half ?way through|haven'?t even started|(?:(?:a|one|two) (?:third|quarter)s?|most|part|some) of the way through|(?:done|finished|through) with|haven'?t (?:touched|started(?: on)?|gotten to)"
    r"|havent (?:touched|started(?: on)?)|didn'?t (?:touch|start)|not started(?: on)?|(?<='s )with|(?<='m )through)\s+"
    r"|^[A-Z][a-z]+\s+(?:(?:testing|reviewing|writing|drafting|fixing|building)\s+)?(?=the\b)"
    # "Nurse Adaeze has (finished) the crash-cart audit", "Prof. Lin's lab report grading", "Mateo is now on the …"
    r"|^(?:[A-Z][\w.]*\s+){1,3}(?:has|have|had)\s+(?=the\b)|^(?:(?:Mr|Mrs|Ms|Dr|Prof)\.?\s+)?[A-Z][a-z]+'s\s+(?=[a-z])"
    r"|^\s*(?:is|are)\s+(?:now\s+)?(?:on|taking|handling|doing)\s+",
    re.I,
)
_EN_CHANGE = re.compile(
    r"\s+(?:to|is|are|was|were|has|have|as|from|by|until|task|got|just|now|goes|moves|yet|again"
    r"|already|isn't|shouldn't|should|needs|went|no longer|doesn't|wrapped|because|since|pls|please"
    r"|hasn't|haven't|hasnt|havent|wasn't|won't|can't|slip|slips|back|yeah|yep|that's|thats|off|onto)\b"
    r"|\s+(?:can|could|should|needs? to|has to) be\b"
    r"|\s+(?:can|could|would|will) (?:we|you|u|i)\b"
    r"|\s+(?:deadline|due(?: date)?|priority|status|owner|assignee|progress)"
    r"(?=\s*(?:$|[,;:.!?]|->|\b(?:to|is|was|from|for|on|of|by|until|till|should|needs|back|moved|changed|set|now|stays|goes)\b))"
    r"|\s+\d+\s*%|[,;:!?]|" + _SENTENCE_DOT + r"(?=\s|$)|\s*->|\s+-\s+|\s*[—–]"
    r"|\s+instead of\b",
    re.I,
)


def _cut(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """Remove the spans; a cut between Chinese words becomes a clause break, one inside English a space. The
    article of a cut name goes with it: "the Apollo status report" names the task "status report"."""
    out = text
    for start, end in sorted(spans, reverse=True):
        article = re.search(r"(?<![\w'])the\s*$", out[:start], re.I)
        if (
            article
            and (article.group().endswith(" ") or out[start:end].startswith(" "))
            and re.match(r"\s+[\w\u4e00-\u9fff]", out[end:])
        ):
            start = article.start()
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
        title = _OWNER_TAIL.sub("", title)
    return re.sub(r"\s{2,}", " ", title).strip()


def _clean_clause(clause: str) -> str:
    clause = re.sub(r"^\s*\d{1,2}\s*[.、)）]\s*(?=\S|$)", "", clause)  # "1. 整理差旅报销明细"
    said = _EDGE.sub("", _ZH_LEAD.sub("", _EDGE.sub("", clause)))
    clause = _tidy(_ZH_LEAD.sub("", _tidy(clause)))
    clause = _tidy(
        re.sub(
            r"^for\s+(?=\w+ing\s)|^(?:for\s+)?(?:to|that|which|called|titled|named|on\s*'s\s+(?:plate|list):?"
            r"|(?:needs?|has|have|is going|will need|wants?) to|(?:should|must|could)(?:\s+(?:probably|maybe|really|also))*)\s+",
            "",
            clause,
            flags=re.I,
        )
    )
    if _ZH_FILLER.match(clause) or _EN_FILLER.match(clause) or re.fullmatch(r"\d{1,2}", clause):
        return ""  # fillers, and the number of a list item ("清单：1. …")
    if re.search(f"[{_HAN}]", clause):
        unwrapped = _tidy(_ZH_FINISH.sub("", clause))
        if unwrapped != clause:  # "把登录页改版做完": the completion wrapper goes, 把 with it
            return _tidy(re.sub(r"^把", "", unwrapped))
        if clause.startswith("把") and said.endswith("一下"):  # "把旧电脑登记一下": other verbs stay as said
            return clause + "一下"
    return clause


def _unhesitate(text: str) -> str:
    return _EN_LIKE.sub(r"\1 ", _EN_HESITATION.sub("", _EMOJI.sub(" , ", text)))


# Words addressed to the assistant or announcing the message: "@Qiao", "hey Qiao", "just a heads up:".
_EN_LEAD = re.compile(
    r"^\s*(?:(?:so|yeah|well|ok|okay|alright|right|hey|hi|hello|dear|eh|@?qiao|kindly|basically|uh|um|fyi)\b[,!\s]*"
    r"|(?:sorry|apologies|i'?m (?:so )?sorry|one more thing|quick q(?:uestion)?|also)\b[^—–:]{0,40}[—–:]\s*"
    # meeting notes and requests passed on: "from the retro:", "my manager wants me to …"
    r"|(?:action items?|follow-?up|notes?|from)\b[^:：]{0,40}[:：]\s*"
    r"|(?:my (?:manager|boss|lead|team lead)|the client|(?:the |our )?customer)\s+(?:wants|asked|needs|told)\s+(?:me|us)\s+to\s+"
    r"|whatever (?:we|you|they) call(?:ed)?\s+"
    r"|(?:quick one|quick update|fyi|(?:just\s+)?(?:a\s+)?heads[- ]up|status update)\s*[,:：—–-]+\s*)+",
    re.I,
)


_QUOTED = re.compile(r"[“「『\"]([^”」』\"]{2,80})[”」』\"]|(?<![\w'])'([^']{2,80})'(?![\w'])")
# What may stand right before a quoted title ("叫“…”", "把“…”加到", "to-do: '…'", "put '…' on"); elsewhere quotes
# mark a name inside the work ("确认“双旦”礼盒的包材报价").
_TITLE_INTRO = re.compile(
    r"(?:^|叫做?|名为|标题是?|题目是?|(?:任务|待办|task|to-?do|ticket|item|reminder)\s*[:：]|把|\b(?:task|to-?do|ticket|item|reminder|put|add|called|titled|named))\s*$",
    re.I,
)
# Emoji and pictographs say nothing about the task ("帮我建个任务🙏", "wrapped up 🎉").
_EMOJI = re.compile(r"[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F\u200D]|(?<![\w])[:;]-?[)(DPp](?![\w])")
# Where the command is said after some background ("We lost the staging password again. Need a task: …").
_SENTENCE_START = re.compile(r"(?:[.!?;。！？；,，]|\s[—–-]+|\bso\b)\s*")
_EN_COMMAND_ANYWHERE = re.compile(_EN_COMMAND.pattern.removeprefix("^"), re.I)
# Marks where a command was cut, so the title is looked for after it first.
_AFTER_COMMAND = "\x00"


def new_task_title(text: str, spans: Iterable[tuple[int, int]]) -> str | None:
    """The title of a task being created, or None when the message gives none ("帮我建个任务")."""
    quoted = _QUOTED.search(text)
    if quoted and _TITLE_INTRO.search(text[: quoted.start()]):  # 把“更新安全培训课件”加到我的待办里
        return _tidy(quoted.group(1) or quoted.group(2))
    rest = _unhesitate(_cut(text, spans))
    rest = _EN_FILE_IT.sub("", _REASON.sub("", rest))
    rest = _EN_LEAD.sub("", rest)
    rest = _ZH_INNER.sub(r"，\1，", rest, count=1)
    rest = _en_command(rest)
    rest = _ZH_COMMAND.sub(_AFTER_COMMAND, rest)
    before, command, after = rest.partition(_AFTER_COMMAND)
    # The work is said after the command; what comes before it is background, unless nothing follows.
    for part in (after, before) if command else (rest,):
        clauses = [c for c in (_clean_clause(p) for p in _CLAUSE.split(part.replace(_AFTER_COMMAND, "，"))) if c]
        if clauses:
            return clauses[0]
    return None


def _en_command(text: str) -> str:
    """`text` with its English command ("can you add a task for …") replaced by the command mark: at the start,
    or at the start of a later sentence."""
    if found := _EN_COMMAND.match(text):
        return _AFTER_COMMAND + text[found.end() :]
    for boundary in _SENTENCE_START.finditer(text):
        if found := _EN_COMMAND_ANYWHERE.match(text, boundary.end()):
            return text[: found.start()] + _AFTER_COMMAND + text[found.end() :]
    return text


def existing_task_title(text: str, spans: Iterable[tuple[int, int]]) -> str | None:
    """How the message names the task it changes, or None."""
    rest = _EN_LEAD.sub("", _tidy(_unhesitate(_cut(text, spans))))
    rest = re.sub(r"^(?:pls|please|plz)\s*[:：]\s*", "", rest, flags=re.I)  # "on hold pls: the lease review"
    rest = re.sub(
        r"^(?:(?:俺|咱|" + _ZH_ASIDE + r"|帮我|帮忙|给我|那个|就是说?|嗯|呃|哦|那啥|可以|能不能|能否|可不可以|能(?=帮)"
        r"|" + _ZH_MEETING + r"\s*[:：]?)\s*)*(?:更新一下|更新下)?\s*",
        "",
        rest,
    )
    rest = re.sub(r"^(?:我|我们)(?:这边|已经|刚刚?)*(?=把)|^编号\s*", "", rest)
    if re.search(f"[{_HAN}]", rest) and not _english_frame(rest):
        return _zh_existing_title(rest)
    rest = _tidy(re.sub(r"^.*?\b(?:so|which means)\s+(?=the\b)", "", rest, count=1, flags=re.I))
    rest = _tidy(_EN_PROGRESS_LEAD.sub("", rest, count=1))
    rest = _tidy(_EN_UPDATE_LEAD.sub("", rest, count=1))
    # "the thing about the conference booth", "that ticket for the CSV import timeout": the name is what follows.
    rest = re.sub(
        r"^(?:the|that|this)\s+(?:thing|ticket|task|item|one)\s+(?:about|for|on|re|with)\s+", "", rest, flags=re.I
    )
    # "I'm stuck on the vendor review": the status word is cut already, its preposition is left over.
    rest = re.sub(r"^(?:on|with)\s+", "", rest, flags=re.I)
    head = _tidy(_EN_CHANGE.split(rest, maxsplit=1)[0])
    head = re.sub(r"\s+(?:task|ticket|thing|thingy|one|item|stuff|card)$", "", head, flags=re.I).strip()
    head = re.sub(r"^(?:ticket|task|card|item)\s+(?=#)", "", head, flags=re.I)  # "ticket #482"
    return head or None


def _zh_existing_title(rest: str) -> str | None:
    owner = re.match(
        r"^.{1,6}?(?:手上的|手里的|手头的|名下的|负责的|跟的|那边的|的那个|那边说|手上那个|手里那个|手头那个)", rest
    )
    rest = _ZH_OWNER_LEAD.sub("", rest) if owner else _ZH_NAME_LEAD.sub("", rest)
    clauses = [c for c in (_tidy(p) for p in _CLAUSE.split(rest)) if c and not _ZH_CHATTER.match(c)]
    # "王伟请假了，把对账脚本转给黄磊": the clause with 把 names the task.
    clauses = [re.sub(r"^(?:请|麻烦|帮我|帮忙|能不能帮我|可以帮我|你帮我)+(?=把)", "", c) for c in clauses]
    clauses.sort(key=lambda c: not c.startswith("把"))
    for clause in clauses:
        head = _tidy(_ZH_CHANGE.split(clause, maxsplit=1)[0])
        head = _tidy(re.sub(r"^(?:把|(?:那边|这边|里|下|中)?的)", "", head))
        head = _tidy(_ZH_HEAD_TAIL.sub("", head))
        if head and not _ZH_FILLER.match(head):
            return head
    return None


def extract_title(text: str, spans: Iterable[tuple[int, int]], *, update: bool = False) -> str | None:
    """The title once `spans` are cut: of the task changed when `update`, else of the task created."""
    return existing_task_title(text, spans) if update else new_task_title(text, spans)
