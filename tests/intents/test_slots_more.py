"""More slot rules, one table per finder, in both languages: corrections and negations of a level, progress
that is not a status, a date that names an event, slash dates, and titles with fillers or no content at all."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from intents.dates import parse_due
from intents.levels import find_priority, find_status
from intents.title import extract_title

NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.mark.parametrize(
    ("text", "priority"),
    [
        ("年会抽奖系统那个不用标紧急了，P2就行", "medium"),
        ("客户周报那个别标高优了，普通就行", "medium"),
        ("直播脚本那个别设成P0了，P1就够", "high"),
        ("门户改版从P1降到P3", "low"),
        ("发票OCR识别改成高优", "high"),
        ("预算表改成normal就行", "medium"),
        ("the tax form reminder doesn't need to be urgent, high is fine", "high"),
        ("the lease review shouldn't be low priority, make it high", "high"),
        ("vendor scorecard: downgrade from P0 to P2", "medium"),
        ("onboarding quiz priority back to normal", "medium"),
        ("log the refund bug, hight prio", "high"),
        ("this is not urgent at all", "low"),
        ("give the low-end Android adaptation to Tom", None),
        ("it's a normal day at the office", None),
    ],
)
def test_find_priority(text: str, priority: str | None) -> None:
    found = find_priority(text)
    assert (found[0].value if found else None) == priority


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("读书会书单定好了 关了吧", "done"),
        ("客户画像报告标成完成了，不对，还在做", "in_progress"),
        ("门店巡检表上线还是卡着 等IT开白名单", "blocked"),
        ("发票OCR识别阻塞了，样本数据一直没给到", "blocked"),
        ("年度预算表还没弄完，还在做", "in_progress"),
        ("展会物料清单还没搞完 还在弄", "in_progress"),
        ("员工手册修订写了一半", None),
        ("门禁系统对接完成了大概七成", None),
        ("the invoice PDF fix is done - no wait, it's still in progress", "in_progress"),
        ("the capacity plan is about two thirds done", None),
        ("pricing page copy is almost done", None),
        ("the churn analysis isn't finished yet, I'm still working on it", "in_progress"),
        ("it isn't blocked anymore, done", "done"),
        ("门店陈列指南先暂停，等新品到货", "blocked"),
        ("发票抬头校验还在pending，等税务回复", "blocked"),
        ("仓储标签重设计我这边开始弄了", "in_progress"),
        ("API网关迁移我已经start了", "in_progress"),
        ("帮我把年终盘点标记成完成", "done"),
        ("招聘漏斗看板我finish了", "done"),
        ("the partner payout report is pending legal review", "blocked"),
        ("push the start date of the vendor audit to monday", None),
    ],
)
def test_find_status(text: str, status: str | None) -> None:
    found = find_status(text)
    assert (found[0].value if found else None) == status


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("提醒我12/18提交年审材料", "2026-12-18"),
        ("记个待办 续签域名 12/20", "2026-12-20"),
        ("新建任务：订周六部门聚餐的包间", None),
        ("加个任务，预订周四客户参观的会议室", None),
        ("帮我加个任务：安排下周团建的大巴", None),
        ("准备下周二的董事会材料", None),
        ("准备周四前交", "2026-11-26"),
        ("提醒我周六去取快递", "2026-11-28"),
        ("李娜这周请假，把海报设计转给周婷", None),
        ("完成了3/4", None),
        ("比分是3/2", None),
        ("add a to-do: book the team photo session, 12/9", "2026-12-09"),
        ("remind me this afternoon to call the insurance broker", "2026-11-24"),
        ("move the pricing FAQ update to the 30th", "2026-11-30"),
        ("the survey is 3/4 done", None),
        ("rated 7/10 by users", None),
        ("the 24/7 support rota", None),
    ],
)
def test_parse_due(text: str, due: str | None) -> None:
    found = parse_due(text, NOW)
    assert (found.due.isoformat() if found else None) == due


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("孙悦那边需要一个新任务，你先帮我建上", None),
        ("有个新task要建，先帮我开个空的", None),
        ("给宋雨建个空任务吧", None),
        ("给蒋涛开个新任务，具体内容回头再说", None),
        ("加个待办，有空的时候把旧电脑登记一下", "把旧电脑登记一下"),
        ("Frank Yang needs a new task, can you start one", None),
        ("I need to set up a new task, can you help", None),
        ("open a new ticket for Marcus, details to follow", None),
        ("I need to call the bank about the wire fee", "call the bank about the wire fee"),
        ("I wanna create a task for Daniel", None),
        ("先新建个空任务 名字回头补", None),
        ("给蒋涛建个任务 具体要做啥我晚点再填", None),
        ("create a blank task for Marcus, I'll fill in the title later", None),
        ("need a new task opened", None),
    ],
)
def test_new_task_title(text: str, title: str | None) -> None:
    for name in ("孙悦", "宋雨", "蒋涛", "Frank Yang", "Marcus", "Daniel"):
        if name in text:
            start = text.index(name)
            assert extract_title(text, [(start, start + len(name))]) == title
            return
    assert extract_title(text, []) == title


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("嗯就是那个客户回访名单 我已经做完了 你帮我更新一下", "客户回访名单"),
        ("工单附件丢失那个问题修好了，任务可以关了", "工单附件丢失"),
        ("小王手上的对账服务迁移，转给黄磊", "对账服务迁移"),
        ("年终晚会邀请函写了百分之三十", "年终晚会邀请函"),
        ("门禁系统对接弄了大概七成", "门禁系统对接"),
        ("splash screen重做 progress 大概 60%", "splash screen重做"),
        ("我把访谈纪要整理完了", "访谈纪要"),
        ("竞品定价调研我这边做完了，关掉吧", "竞品定价调研"),
        ("直播脚本那个别设成P0了", "直播脚本"),
        ("I'm working on the customer journey map now", "the customer journey map"),
        ("I've completed the firewall rules review", "the firewall rules review"),
        ("vendor contract renewal blocked - legal still reviewing clause 7", "vendor contract renewal"),
        ("deprioritize the office furniture quotes", "the office furniture quotes"),
    ],
)
def test_existing_task_title(text: str, title: str) -> None:
    # The status and priority words are cut first, as the parser does.
    spans = [found[1] for found in (find_status(text), find_priority(text)) if found]
    cut = sorted((mention.start, mention.end) for mention in spans)
    assert extract_title(text, cut, update=True) == title


def _spans(text: str, cut: tuple[str, ...]) -> list[tuple[int, int]]:
    """The spans of `cut` in `text`, as the date, person, project and level finders would report them."""
    return sorted((text.index(part), text.index(part) + len(part)) for part in cut)


@pytest.mark.parametrize(
    ("text", "cut", "title"),
    [
        ("um so can you add a task for like Nadia to uh renew the domain names", ("Nadia",), "renew the domain names"),
        (
            "add a task for Owen to rebuild the pricing calculator because the old one rounds wrong, no rush",
            ("for Owen", "no rush"),
            "rebuild the pricing calculator",
        ),
        (
            "we should probably get someone to tidy up the shared drive, can you put it on Yusuf's plate",
            ("Yusuf",),
            "tidy up the shared drive",
        ),
        (
            "by friday Ingrid needs to send the audit samples, make that a task",
            ("by friday", "Ingrid"),
            "send the audit samples",
        ),
        (
            "put down a task for Marcus, order the conference badges, low prio",
            ("for Marcus", "low prio"),
            "order the conference badges",
        ),
        ("task pls - renew the parking permits - me - next monday", ("me", "next monday"), "renew the parking permits"),
        ("todo 给实习生开通邮箱账号 明天", ("明天",), "给实习生开通邮箱账号"),
        ("新建task 星河 渠道返利报表 owner是Nadia 下周一", ("星河", "Nadia", "下周一"), "渠道返利报表"),
        ("给老钱建个任务：盘点一下仓库的备用电脑，周五前", ("给老钱", "周五前"), "盘点一下仓库的备用电脑"),
        ("帮我新建一个那个就是说域名续费的任务 月底之前", ("月底之前",), "域名续费"),
        ("呃 我想想啊 帮我加个任务 把展台的报价单核对一下", (), "把展台的报价单核对一下"),
        ("能不能帮我建个任务啊 就是把内网首页的公告换成元旦的", (), "把内网首页的公告换成元旦"),
        ("新建任务 把年度述职材料写完 因为下周要交", (), "年度述职材料"),
    ],
)
def test_new_task_title_spoken_and_listed(text: str, cut: tuple[str, ...], title: str) -> None:
    assert extract_title(text, _spans(text, cut)) == title


@pytest.mark.parametrize(
    ("text", "cut", "title"),
    [
        ("push the Meridian launch checklist to next wed", ("Meridian", "to next wed"), "launch checklist"),
        ("the 海鸥 vendor review is blocked again, 老钱 is waiting on legal", ("海鸥", "blocked"), "vendor review"),
        ("mark 渠道返利核算 as done", ("done",), "渠道返利核算"),
        ("reassign the 仓储标签 from 小郑 to Owen", ("to Owen",), "the 仓储标签"),
        ("reopen the 发票模板 task, the footer is wrong again", ("reopen",), "the 发票模板"),
        ("almost done with the hiring scorecard, like 80%", (), "the hiring scorecard"),
        ("Nadia's done with the churn interviews", ("done",), "the churn interviews"),
        ("we're about a third of the way through the label redesign", (), "the label redesign"),
        ("Owen can take over the payroll export from Ingrid", ("Owen",), "the payroll export"),
        ("haven't touched the vendor scorecard yet, put it back to to-do", ("back to to-do",), "the vendor scorecard"),
        ("so the brand refresh, can we push it to friday", ("to friday",), "the brand refresh"),
        ("Yusuf is off next week so the tax filing goes to Nadia", ("next week", "to Nadia"), "the tax filing"),
        ("any chance we can hand the sitemap audit to Owen", ("to Owen",), "the sitemap audit"),
        ("the expense policy deck hasn't been started", (), "the expense policy deck"),
        ("Renew SSO signing cert这个搞定了", ("搞定了",), "Renew SSO signing cert"),
        ("把go-live runbook的priority调成high", ("high",), "go-live runbook"),
        ("老钱那个展会物料清单 你帮我标成已完成", ("已完成",), "展会物料清单"),
        ("海鸥项目的验收报告延到12月8日", ("海鸥项目", "12月8日"), "验收报告"),
        ("合同归档任务在等法务盖章，先标阻塞", ("在等", "阻塞"), "合同归档"),
        ("呃 渠道对账那个 嗯 财务又改口径了 重新打开吧", ("重新打开",), "渠道对账"),
        ("会员积分迁移差不多了 剩下一个脚本", (), "会员积分迁移"),
        ("小程序隐私弹窗被审核打回来了，重新打开", ("重新打开",), "小程序隐私弹窗"),
        ("门店巡检表那个先回到待办吧", ("回到待办",), "门店巡检表"),
        ("跟你说下 Meridian release notes要延期", ("Meridian",), "release notes"),
        ("客服话术库能不能先交给老钱", ("交给老钱",), "客服话术库"),
        ("积分规则配置快弄好了 还差两个接口", (), "积分规则配置"),
    ],
)
def test_existing_task_title_spoken_and_mixed(text: str, cut: tuple[str, ...], title: str) -> None:
    assert extract_title(text, _spans(text, cut), update=True) == title
