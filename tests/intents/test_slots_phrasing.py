"""Slots in the shapes real messages take, in both languages: background before the command, the assistant
addressed by name, @mentions, polite and key-value forms, owners named after the work, corrections, ranges,
project containers said as a place, a field or a tag, and code names qualifying an existing task.

Each row runs every slot finder together (`Parser.fill`), as a parse does once the intent is known."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from evals.intents import demo_directory
from intents.classifier import IntentClassifier, KindClassifier
from intents.parser import Parser, clean_text, letter_body
from intents.types import Intent, Slots

NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
DIRECTORY = demo_directory()
# Task slots need no model: the classifiers are only asked for intents and feedback kinds.
PARSER = Parser(IntentClassifier.__new__(IntentClassifier), KindClassifier.__new__(KindClassifier))


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def fill(text: str, intent: Intent) -> Slots:
    language = "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in text) else "en"
    return PARSER.fill(clean_text(text), intent, NOW, DIRECTORY, language)


@pytest.mark.parametrize(
    ("text", "title", "assignee", "due"),
    [
        # background first, then the request
        (
            "Printer jammed again this morning. Need a task: call the leasing company about a new printer",
            "call the leasing company about a new printer",
            None,
            None,
        ),
        (
            "客户说发票抬头又错了，我们查了下是模板的问题，所以帮我建个任务：修改发票模板，交给马超",
            "修改发票模板",
            "马超",
            None,
        ),
        # the assistant addressed, emoji, @mentions
        (
            "@Qiao new task for Olivia: renew the SSL certificate, by Friday",
            "renew the SSL certificate",
            "Olivia",
            "2026-11-27",
        ),
        (
            "Hey Qiao 👋 add a task for Daniel — book the offsite venue — before Dec 3rd",
            "book the offsite venue",
            "Daniel",
            "2026-12-03",
        ),
        ("@许晴 下周二前把培训签到表整理好", "培训签到表", "许晴", "2026-12-01"),
        ("帮我建个任务🙏 明天把样品寄给客户 交给林峰", "把样品寄给客户", "林峰", "2026-11-25"),
        # polite and key-value forms
        (
            "would you mind adding a ticket for updating the holiday calendar? no rush",
            "updating the holiday calendar",
            None,
            None,
        ),
        (
            "Create task: Migrate the wiki to the new host. Assign: Mia. Due: 12/18",
            "Migrate the wiki to the new host",
            "Mia",
            "2026-12-18",
        ),
        ("assign a task to Carlos: clean up the shared drive", "clean up the shared drive", "Carlos", None),
        ("todo: rotate the api keys -> Raj, fri", "rotate the api keys", "Raj", "2026-11-27"),
        ("劳驾帮我加个任务，整理展会名单，宋雨负责", "整理展会名单", "宋雨", None),
        ("新需求来了：会员积分规则梳理，交给何琳吧", "会员积分规则梳理", "何琳", None),
        # owners said after the work
        (
            "new task pls: order new badges for the interns. it's for Sofia, before the weekend",
            "order new badges for the interns",
            "Sofia",
            "2026-11-27",
        ),
        ("add a task to draft the press release, Jessica should own it", "draft the press release", "Jessica", None),
        (
            "add a task for the quarterly budget review and give it to priya",
            "the quarterly budget review",
            "priya",
            None,
        ),
        ("建个任务：核对门店库存，阿杰负责，周末前", "核对门店库存", "阿杰", "2026-11-27"),
        ("记个to-do：周四前约两家律所报价，我负责", "约两家律所报价", "me", "2026-11-26"),
        # dates: corrections, ordinal words, typos, a range inside the work
        ("remind me on wendesday to submit the expense report", "submit the expense report", None, "2026-11-25"),
        ("add a task to renew the lease thursday no wait friday", "renew the lease", None, "2026-11-27"),
        ("add a task to file the tax forms by the fifteenth of december", "file the tax forms", None, "2026-12-15"),
        ("帮我建个任务：汇总12月1号到15号的报销单，下周五前", "汇总12月1号到15号的报销单", None, "2026-12-04"),
        # fillers, leads, lists, quotes inside the work, the owner's team before the name
        ("帮忙开个新任务给许晴，具体内容我等下补", None, "许晴", None),
        (
            "那个就是说 下礼拜一之前要统一报名表格式 这个事让王老师负责 你帮我记一下",
            "统一报名表格式",
            "王老师",
            "2026-11-30",
        ),
        ("清单：\n1. 12月20日前整理好年度合同台账（小周）", "整理好年度合同台账", "小周", "2026-12-20"),
        ("帮我建个任务：确认“年货节”海报的印刷报价，给采购的蒋涛", "确认“年货节”海报的印刷报价", "蒋涛", None),
        ("记个事儿：这礼拜内跟物流那边谈下运价，我来跟", "跟物流那边谈下运价", "me", "2026-11-27"),
        ("今晚之前把合同扫描件发给法务，帮我记着", "把合同扫描件发给法务", None, "2026-11-24"),
        ("客户要求本周内补寄发票，安排给仓库的老刘", "补寄发票", "老刘", "2026-11-27"),
        # colloquial commands, names heading the message, roles before names
        ("你能直接建任务不？能的话帮我整一个：给新同事开邮箱，周四之前", "给新同事开邮箱", None, "2026-11-26"),
        ("小雅：周三前把前台的绿植浇一遍，帮她建个任务", "把前台的绿植浇一遍", "小雅", "2026-11-25"),
        ("王律师交代的：把合同附件的页码核一遍，12月15号前，分给我", "把合同附件的页码核一遍", "me", "2026-12-15"),
        ("开个task：重做官网首页banner，运营小雨负责，两周后", "重做官网首页banner", "小雨", "2026-12-08"),
        (
            "hi, sorry to bother you — would it be ok to add renew my parking permit to my to-do list, due Friday?",
            "renew my parking permit",
            "me",
            "2026-11-27",
        ),
        (
            "quick q — can you make a task for Nurse Adaeze to restock the crash cart?",
            "restock the crash cart",
            "Nurse Adaeze",
            None,
        ),
        (
            "new task, Priya — chase the forwarder for the bill of lading",
            "chase the forwarder for the bill of lading",
            "Priya",
            None,
        ),
        (
            "Could a task please be created for organising the Q1 rota for the weekend porters?",
            "organising the Q1 rota for the weekend porters",
            None,
            None,
        ),
        # notes, letters, requests passed on, honorifics
        (
            "Action item from the sync: Olga to refresh the supplier list by Friday",
            "refresh the supplier list",
            "Olga",
            "2026-11-27",
        ),
        (
            "Hi Qiao, could you please create a task for Ms. Park to book the venue by 12/15? Thanks, Raj",
            "book the venue",
            "Ms. Park",
            "2026-12-15",
        ),
        (
            "my manager wants me to redo the shift roster by end of the week - can you put that on my to-do list?",
            "redo the shift roster",
            "me",
            "2026-11-27",
        ),
        (
            "Since the audit failed, create a task to replace the fire extinguishers, critical",
            "replace the fire extinguishers",
            None,
            None,
        ),
        ("Remind me first thing tomorrow to sign the invoices", "sign the invoices", None, "2026-11-25"),
        (
            "Please add 'Cyber Monday banner swap' for Mia, it has to go live tonight!!",
            "Cyber Monday banner swap",
            "Mia",
            "2026-11-24",
        ),
        ("please open a task for our intern Lucas to scan the old contracts", "scan the old contracts", "Lucas", None),
        (
            "can you log a to-do: draft the cutover checklist, Howard's on it",
            "draft the cutover checklist",
            "Howard",
            None,
        ),
    ],
)
def test_new_task(text: str, title: str | None, assignee: str | None, due: str | None) -> None:
    slots = fill(text, Intent.create_task)
    assert (slots.title, slots.assignee, _iso(slots.due)) == (title, assignee, due)


@pytest.mark.parametrize(
    ("text", "title", "assignee", "due", "status"),
    [
        ("I'm stuck on the vendor contract review", "the vendor contract review", None, None, "blocked"),
        ("on it — the office move checklist", "the office move checklist", None, None, "in_progress"),
        ("we parked the referral program revamp until Q1", "the referral program revamp", None, None, "blocked"),
        ("put the help center rewrite back in the backlog", "the help center rewrite", None, None, "todo"),
        ("the thing about the trade show booth — Raj is taking it over", "the trade show booth", "Raj", None, None),
        ("reopen that ticket for the login timeout", "the login timeout", None, None, "todo"),
        ("the badge printing thingy — can Mia take over?", "the badge printing", "Mia", None, None),
        (
            "heads up: the payroll export fix is stuck on the bank's sandbox",
            "the payroll export fix",
            None,
            None,
            "blocked",
        ),
        ("kindly close the SEO audit, it is complete", "the SEO audit", None, None, "done"),
        ("the quarterly access review is now on Carlos", "the quarterly access review", "Carlos", None, None),
        ("move the vendor demo to wednesday no sorry thursday", "the vendor demo", None, "2026-11-26", None),
        ("展会物料那件事搞定了", "展会物料", None, None, "done"),
        ("官网改版那边林峰说已经全部搞定了", "官网改版", None, None, "done"),
        ("把老王手上那个合同审核纪要标记为已完成", "合同审核纪要", None, None, "done"),
        ("客户回访梳理被许晴接过去了", "客户回访梳理", "许晴", None, None),
        ("供应商对账那个活，蒋涛接手了", "供应商对账", "蒋涛", None, None),
        ("年度报告我已经在处理了", "年度报告", None, None, "in_progress"),
        ("门店海报已经弄好了", "门店海报", None, None, "done"),
        ("数据迁移演练 推迟到 呃 下周四吧 不对 下周五", "数据迁移演练", None, "2026-12-04", None),
        (
            "对方说测试账号下周才能开好，所以这周做不了了，帮我把联调测试改到下周三",
            "联调测试",
            None,
            "2026-12-02",
            None,
        ),
        ("能帮我把年会预算改成阻塞吗？场地还没定", "年会预算", None, None, "blocked"),
        ("报销单那单搞定了", "报销单", None, None, "done"),
        ("编号 T-2048 那个，改成进行中", "T-2048", None, None, "in_progress"),
        ("看板接口那张卡片顺延一周", "看板接口", None, None, None),
        ("退款流程设计我来接", "退款流程设计", "me", None, None),
        ("老刘跟的运费核算已经完成了", "运费核算", None, None, "done"),
        ("仓库搬迁那个事情 换成林峰来负责吧", "仓库搬迁", "林峰", None, None),
        ("会上定了：满意度调研推迟到下周五", "满意度调研", None, "2026-12-04", None),
        ("门店盘点那单不用等了，今天开始做", "门店盘点", None, None, "in_progress"),
        (
            "Mateo is now on the January inventory count instead of Bea",
            "the January inventory count",
            "Mateo",
            None,
            None,
        ),
        ("Nurse Adaeze has finished the crash-cart audit", "the crash-cart audit", None, None, "done"),
        ("Prof. Lin's lab report grading — move it to next Thursday", "lab report grading", None, "2026-12-03", None),
        ("on hold pls: the pop-up shop lease review", "the pop-up shop lease review", None, None, "blocked"),
        ("the courier booking can be closed, originals arrived", "the courier booking", None, None, "done"),
        (
            "Sorry, one more thing — the HACCP log digitisation, could it be given to Femi instead?",
            "the HACCP log digitisation",
            "Femi",
            None,
            None,
        ),
        ("俺那个车间安全标识换新的活，改成高优", "车间安全标识换新", None, None, None),
        ("门禁卡那个todo已经finished", "门禁卡", None, None, "done"),
        ("I'll take over the December rota item from Tina", "the December rota", "me", None, None),
        ("can you move the vendor onboarding off my plate onto Kevin's?", "the vendor onboarding", "Kevin", None, None),
        (
            "Is it possible to move the ISO document review to December 11th?",
            "the ISO document review",
            None,
            "2026-12-11",
            None,
        ),
        (
            "whatever we called the label reprint thing, set it to medium priority",
            "the label reprint",
            None,
            None,
            None,
        ),
        ("haven't even started the badge design, set it back to to-do", "the badge design", None, None, "todo"),
        ("ticket #512 is fixed, close it pls", "#512", None, None, "done"),
        ("the booth design card needs to be done by Thursday now", "the booth design", None, "2026-11-26", None),
        (
            "hand off the budget variance analysis to Marcus, I'm out from tomorrow",
            "the budget variance analysis",
            "Marcus",
            None,
            None,
        ),
    ],
)
def test_update(text: str, title: str, assignee: str | None, due: str | None, status: str | None) -> None:
    slots = fill(text, Intent.update_task)
    got = (slots.title, slots.assignee, _iso(slots.due), slots.status.value if slots.status else None)
    assert got == (title, assignee, due, status)


@pytest.mark.parametrize(
    ("text", "intent", "project", "title"),
    [
        (
            "Could we get a task in Project Falcon for drafting the launch FAQ?",
            Intent.create_task,
            "Falcon",
            "drafting the launch FAQ",
        ),
        (
            "I need a ticket for the CSV import bug in Billing v2, P1",
            Intent.create_task,
            "Billing v2",
            "the CSV import bug",
        ),
        (
            "create a ticket under the data lake project to fix the failing job on Sundays",
            Intent.create_task,
            "data lake",
            "fix the failing job on Sundays",
        ),
        ("在会员中心下面建个任务：等级页面评审", Intent.create_task, "会员中心", "等级页面评审"),
        ("帮我在Kepler下面建个任务，做一次压测", Intent.create_task, "Kepler", "做一次压测"),
        ("在Hermes项目下加一个：回调重试机制", Intent.create_task, "Hermes", "回调重试机制"),
        ("帮我建个任务叫“验收材料准备”，项目是供应链二期", Intent.create_task, "供应链二期", "验收材料准备"),
        ("新建任务：【官网】首页视频压缩", Intent.create_task, "官网", "首页视频压缩"),
        (
            "todo: translate the guide for 数据中台 users",
            Intent.create_task,
            None,
            "translate the guide for 数据中台 users",
        ),
        ("the Hermes DNS cutover is done", Intent.update_task, "Hermes", "DNS cutover"),
        ("lower the priority of the Nebula logging cleanup to P3", Intent.update_task, "Nebula", "logging cleanup"),
        ("the Stripe webhook retry is done", Intent.update_task, None, "the Stripe webhook retry"),
        ("Hermes那个灰度发布的事，卡在审批上了", Intent.update_task, "Hermes", "灰度发布"),
        ("二期的验收报告 在写了", Intent.update_task, "二期", "验收报告"),
        ("支付对接那个task还是blocked，支付宝那边没回", Intent.update_task, None, "支付对接"),
        ("status of Project Zephyr?", Intent.query_progress, "Zephyr", None),
        ("any progress on 数据中台 since last week?", Intent.query_progress, "数据中台", None),
        ("how Orion is tracking against the plan", Intent.query_progress, "Orion", None),
        ("青鸟这周有什么进展吗", Intent.query_progress, "青鸟", None),
        ("给招生系统建个任务：报名页面上线", Intent.create_task, "招生系统", "报名页面上线"),
        ("Nebula 项目新建任务：写对接文档", Intent.create_task, "Nebula", "写对接文档"),
        ("帮我看看仓储二期这周的进度", Intent.query_progress, "仓储二期", None),
        ("帮我 check 一下 Orion 的 milestone", Intent.query_progress, "Orion", None),
        ("春熙路店这边搞个任务，周六前把冬季陈列换完", Intent.create_task, "春熙路店", "把冬季陈列换完"),
        ("三号线整一个任务：模具保养", Intent.create_task, "三号线", "模具保养"),
        ("新建task：gacha概率公示文案，挂《龙渊》下面", Intent.create_task, "龙渊", "gacha概率公示文案"),
        ("新建任务“《用户手册》修订稿”", Intent.create_task, None, "《用户手册》修订稿"),
        ("班组长这边弄个待办：月底前完成叉车年检", Intent.create_task, None, "叉车年检"),
        ("三号线模具保养推到周六", Intent.update_task, "三号线", "模具保养"),
        ("离线模式数据同步还在等后端接口", Intent.update_task, None, "离线模式数据同步"),
        (
            "move the 'Moonlit Harbor' boss fight tuning to Kenji",
            Intent.update_task,
            "Moonlit Harbor",
            "boss fight tuning",
        ),
        (
            'Create task: balance the loot tables. Project: "Ember Tides". Assignee: Kofi.',
            Intent.create_task,
            "Ember Tides",
            "balance the loot tables",
        ),
        ("progress check: Orion", Intent.query_progress, "Orion", None),
        ("any blockers on Nebula rn?", Intent.query_progress, "Nebula", None),
        ("我们驻场这组在ERP迁移上还有哪些没收尾的", Intent.query_progress, "ERP迁移", None),
    ],
)
def test_project(text: str, intent: Intent, project: str | None, title: str | None) -> None:
    slots = fill(text, intent)
    assert (slots.project, slots.title) == (project, title)


@pytest.mark.parametrize(
    ("text", "assignee"),
    [
        ("强哥最近手上压了多少任务", "强哥"),
        ("谭总这周在忙什么", "谭总"),
        ("我这礼拜还有什么要交的", "me"),
        ("How many tasks does Dr. Mensah still have open?", "Dr. Mensah"),
        ("anything from Sofia still overdue?", "Sofia"),
        ("show me everything Tomasz hasn't closed", "Tomasz"),
        ("how's the new paralegal Marisol getting on with her caseload", "Marisol"),
        ("小何那几个待办做得咋样了", "小何"),
        ("俺手头上有没有已经过期的活儿", "me"),
        ("what's on Ji-woo's plate this week", "Ji-woo"),
    ],
)
def test_person_asked_about(text: str, assignee: str) -> None:
    assert fill(text, Intent.query_progress).assignee == assignee


@pytest.mark.parametrize(
    ("text", "priority"),
    [
        ("the SLA report — it's not super urgent anymore, make it medium", "medium"),
        ("把渠道复盘的优先级提一下，调到高", "high"),
        ("the badge printer replacement isn't urgent anymore", "low"),
    ],
)
def test_priority(text: str, priority: str) -> None:
    slots = fill(text, Intent.update_task)
    assert slots.priority is not None and slots.priority.value == priority


def test_recipient_is_not_the_owner() -> None:
    assert fill("remind me to send 孙悦 the signed contract tomorrow", Intent.create_task).assignee is None


@pytest.mark.parametrize(
    ("text", "body"),
    [
        ("Hi team, the export button does nothing on Safari. Thanks, Luis", "the export button does nothing on Safari"),
        (
            "Dear Qiao, please open a task for Lucas to scan the contracts. Regards, Dr. Meyer",
            "please open a task for Lucas to scan the contracts",
        ),
        ("你好，帮我建个任务：周五前交季度报告，谢谢", "帮我建个任务：周五前交季度报告，谢谢"),
        ("@Qiao what's on Priya's plate this week?", "what's on Priya's plate this week?"),
        # small talk stays what it is
        ("hi qiao", "hi qiao"),
        ("thanks, Leo", "thanks, Leo"),
        ("hello Qiao，今天状态怎么样", "hello Qiao，今天状态怎么样"),
    ],
)
def test_letter_body(text: str, body: str) -> None:
    assert letter_body(text) == body
