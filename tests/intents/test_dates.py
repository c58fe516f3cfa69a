"""Due dates in Chinese, English and mixed sentences: the date and the span the title is cut from.

Reference day: Tuesday 2026-11-24, 10:00 in Asia/Shanghai; weeks start on Monday."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from intents.dates import DueMatch, add_months, parse_due
from intents.dates_zh import zh_number

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=SHANGHAI)

# (sentence, due date or None, the expression text[start:end] or None when only the date is checked)
ZH_CASES: list[tuple[str, str | None, str | None]] = [
    ("帮我建个任务：周五前把登录页改版做完，交给张三", "2026-11-27", "周五前"),
    ("下周三之前把周报发给赵敏", "2026-12-02", "下周三之前"),
    ("提醒我明天交报告", "2026-11-25", "明天"),
    ("明日上午把合同发给法务", "2026-11-25", "明日上午"),
    ("明天下午三点开会前把材料准备好", "2026-11-25", "明天下午三点"),
    ("帮我建个任务明天下午之前把周报发给赵敏", "2026-11-25", "明天下午之前"),
    ("后天之前给供应商回电话", "2026-11-26", "后天之前"),
    ("大后天上线新版本", "2026-11-27", "大后天"),
    ("今天下班前把合同发给法务", "2026-11-24", "今天下班前"),
    ("下班前提交日报", "2026-11-24", "下班前"),
    ("今日内回复客户邮件", "2026-11-24", "今日内"),
    ("今天之内把这个问题解决", "2026-11-24", "今天之内"),
    ("明早九点前把周报发我", "2026-11-25", "明早九点前"),
    ("最晚明天要给客户回复", "2026-11-25", "最晚明天"),
    ("周一要交的方案记一下", "2026-11-30", "周一"),
    ("这周五把预算表给我", "2026-11-27", "这周五"),
    ("本周三之前完成代码评审", "2026-11-25", "本周三之前"),
    ("星期四前把测试用例补齐", "2026-11-26", "星期四前"),
    ("礼拜五前跟客户确认需求", "2026-11-27", "礼拜五前"),
    ("周日前整理好会议纪要", "2026-11-29", "周日前"),
    ("星期天之前把PPT发群里", "2026-11-29", "星期天之前"),
    ("周三下午开会讨论排期", "2026-11-25", "周三下午"),
    ("在周五之前把发布说明写好", "2026-11-27", "在周五之前"),
    ("截止到周四，把数据导出来", "2026-11-26", "截止到周四"),
    ("下周一之前更新新人培训PPT", "2026-11-30", "下周一之前"),
    ("下周五交季度总结", "2026-12-04", "下周五"),
    ("下周二前和王芳对一下需求", "2026-12-01", "下周二前"),
    ("下个星期二和设计评审", "2026-12-01", "下个星期二"),
    ("下礼拜三之前把合同寄出去", "2026-12-02", "下礼拜三之前"),
    ("下下周一启动二期", "2026-12-07", "下下周一"),
    ("下周把接口文档补完", "2026-12-04", "下周"),
    ("这周内把bug都修掉", "2026-11-27", "这周内"),
    ("本周内完成上线前的回归测试", "2026-11-27", "本周内"),
    ("本周把需求文档定稿", "2026-11-27", "本周"),
    ("周末前把周报写完", "2026-11-27", "周末前"),
    ("周末加班把数据迁移做完", "2026-11-28", "周末"),
    ("三天后提醒我跟进报价", "2026-11-27", "三天后"),
    ("3天内给出排查结论", "2026-11-27", "3天内"),
    ("十天之内完成验收", "2026-12-04", "十天之内"),
    ("两天后跟进一下张伟", "2026-11-26", "两天后"),
    ("一周后复盘", "2026-12-01", "一周后"),
    ("一周内把简历筛完", "2026-12-01", "一周内"),
    ("一个星期后再看数据", "2026-12-01", "一个星期后"),
    ("两周后交付第一版", "2026-12-08", "两周后"),
    ("两个星期后上线", "2026-12-08", "两个星期后"),
    ("3个月后续签合同", "2027-02-24", "3个月后"),
    ("两个月后做年度审计", "2027-01-24", "两个月后"),
    ("五个工作日内回复客户", "2026-12-01", "五个工作日内"),
    ("半个月内把文档翻译完", "2026-12-09", "半个月内"),
    ("月底前完成对账", "2026-11-30", "月底前"),
    ("本月底交付验收报告", "2026-11-30", "本月底"),
    ("这个月底之前把报销单交了", "2026-11-30", "这个月底之前"),
    ("月末盘点库存", "2026-11-30", "月末"),
    ("下个月底前完成招聘", "2026-12-31", "下个月底前"),
    ("下月底把预算报上去", "2026-12-31", "下月底"),
    ("下个月初发布新版本", "2026-12-01", "下个月初"),
    ("月中之前把供应商名单定下来", "2026-12-15", "月中之前"),
    ("年底前完成系统迁移", "2026-12-31", "年底前"),
    ("今年年底要完成等保测评", "2026-12-31", "今年年底"),
    ("12月底前清理过期账号", "2026-12-31", "12月底前"),
    ("2027年3月底前完成", "2027-03-31", "2027年3月底前"),
    ("下季度末之前完成迁移", "2027-03-31", "下季度末之前"),
    ("12月15号之前提交年终总结", "2026-12-15", "12月15号之前"),
    ("12月15日前完成安全整改", "2026-12-15", "12月15日前"),
    ("十二月十五号交设计稿", "2026-12-15", "十二月十五号"),
    ("截止日期改到12.15", "2026-12-15", "12.15"),
    ("12/15前把发票寄出", "2026-12-15", "12/15前"),
    ("把截止时间改成2026-12-15", "2026-12-15", "2026-12-15"),
    ("3月1号前完成年度规划", "2027-03-01", "3月1号前"),
    ("11月20号前把复盘会议纪要补一下", "2027-11-20", "11月20号前"),
    ("准备周四的客户演示，明天前把提纲发我", "2026-11-25", "明天前"),
    ("2027年1月5日前交材料", "2027-01-05", "2027年1月5日前"),
    ("明年3月1号之前续费", "2027-03-01", "明年3月1号之前"),
    ("二十三号之前把发票开好", "2026-12-23", "二十三号之前"),
    ("三十一号前结项", "2026-12-31", "三十一号前"),
    ("下个月5号开评审会", "2026-12-05", "下个月5号"),
    ("本月30号之前完成绩效自评", "2026-11-30", "本月30号之前"),
    ("于12月1日前提交申请", "2026-12-01", "于12月1日前"),
    ("请李娜明天把测试报告发出来", "2026-11-25", "明天"),
    ("元旦前把年终总结交了", "2027-01-01", "元旦前"),
    ("国庆节前交付二期", "2027-10-01", "国庆节前"),
    ("圣诞节前把礼物买好", "2026-12-25", "圣诞节前"),
    ("第四季度末完成预算执行", "2026-12-31", "第四季度末"),
    ("Q1结束前上线新计费", "2027-03-31", "Q1结束前"),
    ("一个半月后复查", "2027-01-08", "一个半月后"),
    ("一两天内给答复", "2026-11-26", "一两天内"),
    ("今明两天把数据跑完", "2026-11-25", "今明两天"),
    # Not due dates: numbers, versions, ranks, past days, places and words that only look like them.
    ("进度80%了", None, None),
    ("3.0版本发布", None, None),
    ("2.1版本什么时候上线", None, None),
    ("v2.3.1的问题修复了吗", None, None),
    ("第2轮面试安排好了吗", None, None),
    ("还有10个bug没修", None, None),
    ("这个需求排第一", None, None),
    ("iOS 17上闪退", None, None),
    ("P0问题优先处理", None, None),
    ("上周五的会议纪要发一下", None, None),
    ("上个月底的数据不对", None, None),
    ("三天前提交的工单还没人处理", None, None),
    ("周报模板在哪里", None, None),
    ("1号楼会议室订了吗", None, None),
    ("5号线地铁停运了", None, None),
    ("每周一开例会", None, None),
    ("前端页面加载太慢", None, None),
    ("完成了1/3", None, None),
    ("内容审核规则调整一下", None, None),
    ("凤凰项目现在进度怎么样了", None, None),
    ("建任务：准备周四的客户演示，黄磊负责", None, None),
    ("国庆后再启动二期", None, None),
    ("给市场部准备双十二活动方案", None, None),
    ("比分是3/2", None, None),
]

EN_CASES: list[tuple[str, str | None, str | None]] = [
    ("move the billing migration deadline to December 10", "2026-12-10", "December 10"),
    ("remind me to send the invoice tmrw", "2026-11-25", "tmrw"),
    ("finish the onboarding deck by Friday", "2026-11-27", "by Friday"),
    ("send the slides to Maria tomorrow", "2026-11-25", "tomorrow"),
    ("fix the login bug today", "2026-11-24", "today"),
    ("I need the report by EOD", "2026-11-24", "by EOD"),
    ("get the contract reviewed by end of day", "2026-11-24", "by end of day"),
    ("ship the hotfix tonight", "2026-11-24", "tonight"),
    ("call the vendor tommorow morning", "2026-11-25", "tommorow morning"),
    ("tmr 3pm sync with design", "2026-11-25", "tmr 3pm"),
    ("need this by tomorrow night", "2026-11-25", "by tomorrow night"),
    ("submit the draft by 5pm tomorrow", "2026-11-25", "by 5pm tomorrow"),
    ("renew the SSL certificate the day after tomorrow", "2026-11-26", "the day after tomorrow"),
    ("review the PR on Friday", "2026-11-27", "on Friday"),
    ("this Friday we demo the new board", "2026-11-27", "this Friday"),
    ("update the roadmap Fri", "2026-11-27", "Fri"),
    ("move standup notes to Thu", "2026-11-26", "Thu"),
    ("submit the expense report before Thursday", "2026-11-26", "before Thursday"),
    ("book the meeting room for Monday", "2026-11-30", "Monday"),
    ("clean up the backlog by Sunday", "2026-11-29", "by Sunday"),
    ("fix the flaky tests by Friday at 5pm", "2026-11-27", "by Friday at 5pm"),
    ("update the status page by EOD Friday", "2026-11-27", "by EOD Friday"),
    ("plan the retro next Friday", "2026-12-04", "next Friday"),
    ("kick off phase two next Monday", "2026-11-30", "next Monday"),
    ("due next Wednesday: quarterly OKR draft", "2026-12-02", "due next Wednesday"),
    ("prepare the demo for Wednesday next week", "2026-12-02", "Wednesday next week"),
    ("hand over the keys the Friday after next", "2026-12-11", "Friday after next"),
    ("finish the API docs next week", "2026-12-04", "next week"),
    ("wrap up the migration this week", "2026-11-27", "this week"),
    ("close all P1 tickets by the end of the week", "2026-11-27", "by the end of the week"),
    ("send the newsletter by end of this week", "2026-11-27", "by end of this week"),
    ("deliver the mockups by the weekend", "2026-11-27", "by the weekend"),
    ("refactor the auth module this weekend", "2026-11-28", "this weekend"),
    ("follow up with the client in 3 days", "2026-11-27", "in 3 days"),
    ("resolve the incident within 2 days", "2026-11-26", "within 2 days"),
    ("get sign-off within the next 3 days", "2026-11-27", "within the next 3 days"),
    ("check back in a week", "2026-12-01", "in a week"),
    ("launch the beta in two weeks", "2026-12-08", "in two weeks"),
    ("run the load test in 2 weeks", "2026-12-08", "in 2 weeks"),
    ("renew the contract in 3 months", "2027-02-24", "in 3 months"),
    ("review the metrics two weeks from now", "2026-12-08", "two weeks from now"),
    ("reply to the auditor within 5 business days", "2026-12-01", "within 5 business days"),
    ("submit the timesheet by the end of the month", "2026-11-30", "by the end of the month"),
    ("close the books end of month", "2026-11-30", "end of month"),
    ("the budget is due EOM", "2026-11-30", "due EOM"),
    ("finalize vendors by month end", "2026-11-30", "by month end"),
    ("hire two engineers by end of next month", "2026-12-31", "by end of next month"),
    ("start the audit early next month", "2026-12-01", "early next month"),
    ("migrate the wiki by the end of the year", "2026-12-31", "by the end of the year"),
    ("archive old projects before year end", "2026-12-31", "before year end"),
    ("publish the release notes on Dec 15", "2026-12-15", "on Dec 15"),
    ("the design review is on December 15th", "2026-12-15", "on December 15th"),
    ("deadline for the grant is 15 Dec", "2026-12-15", "15 Dec"),
    ("send invites for the 15th of December", "2026-12-15", "the 15th of December"),
    ("pay the invoice by the 15th", "2026-12-15", "by the 15th"),
    ("the party is on the 1st of next month", "2026-12-01", "on the 1st of next month"),
    ("renew the domain Nov 20", "2027-11-20", "Nov 20"),
    ("the offsite is on March 3", "2027-03-03", "on March 3"),
    ("let's do the handover on May 5", "2027-05-05", "on May 5"),
    ("submit taxes by April 15, 2027", "2027-04-15", "by April 15, 2027"),
    ("schedule the board meeting for Thursday, December 10", "2026-12-10", "Thursday, December 10"),
    ("file the report by 12/15", "2026-12-15", "by 12/15"),
    ("release candidate due 2026-12-15", "2026-12-15", "due 2026-12-15"),
    ("book flights for the Berlin offsite mid December", "2026-12-15", "mid December"),
    ("ship v2 by end of December", "2026-12-31", "by end of December"),
    ("Tell Priya the security review is due Dec. 3rd", "2026-12-03", "due Dec. 3rd"),
    ("organize the year-end party, needs to be done by Dec 18", "2026-12-18", "by Dec 18"),
    ("prep slides for Friday's demo by tomorrow", "2026-11-25", "by tomorrow"),
    # Not due dates.
    ("is the sprint board up to date?", None, None),
    ("change the date format in exports", None, None),
    ("we may need more QA help", None, None),
    ("the team will march on regardless", None, None),
    ("we sat down while the sun was out", None, None),
    ("see you on the sun deck", None, None),
    ("iOS 17 crashes on launch", None, None),
    ("P0 incident in checkout", None, None),
    ("bump to v2.3.1", None, None),
    ("we are at 80% progress", None, None),
    ("release 3.0 is out", None, None),
    ("version 12.15 of the SDK is out", None, None),
    ("there are 10 bugs left", None, None),
    ("round 2 of interviews", None, None),
    ("the 24/7 support rotation", None, None),
    ("about 1/3 of users churned", None, None),
    ("what did we ship last Friday", None, None),
    ("earlier this week the build broke", None, None),
    ("next week's sprint planning agenda", None, None),
    ("the standup happens every Monday", None, None),
    ("the outage started 3 days ago", None, None),
    ("the year end party planning is at 40 percent", None, None),
    ("collect feedback on Friday's demo", None, None),
    ("migrate our boards from Monday.com", None, None),
    ("the printer by the 5th floor is jammed", None, None),
]


@pytest.mark.parametrize(("text", "due", "span"), ZH_CASES)
def test_chinese(text: str, due: str | None, span: str | None) -> None:
    _check(parse_due(text, NOW, "zh"), text, due, span)


@pytest.mark.parametrize(("text", "due", "span"), EN_CASES)
def test_english(text: str, due: str | None, span: str | None) -> None:
    _check(parse_due(text, NOW, "en"), text, due, span)


@pytest.mark.parametrize(("text", "due", "span"), ZH_CASES + EN_CASES)
def test_without_a_language_both_parsers_agree(text: str, due: str | None, span: str | None) -> None:
    _check(parse_due(text, NOW), text, due, span)


@pytest.mark.parametrize(
    ("text", "due", "span"),
    [
        ("帮我建个task，明天之前review一下PRD", "2026-11-25", "明天之前"),
        ("把 onboarding deck 更新一下 by Friday", "2026-11-27", "by Friday"),
        ("下周三 sync with 张伟 on the roadmap", "2026-12-02", "下周三"),
        ("ping Lisa about the 合同 tomorrow, 周五前要签完", "2026-11-25", "tomorrow"),
        ("code review EOD 今天", "2026-11-24", "EOD"),
        ("提醒我tomorrow morning跟Kevin sync一下", "2026-11-25", "tomorrow morning"),
    ],
)
def test_mixed(text: str, due: str, span: str) -> None:
    _check(parse_due(text, NOW, "mixed"), text, due, span)


@pytest.mark.parametrize(
    ("text", "due"),
    [
        # Corrections and moves: the later date is the due.
        ("发布说明周三，不对，周四再发", "2026-11-26"),
        ("设计评审从周四改到周五", "2026-11-27"),
        ("schedule the vendor call for wednesday, no wait, friday", "2026-11-27"),
        ("move the security review from thursday to monday", "2026-11-30"),
        # A deadline said outright wins over a period that describes the work.
        ("add a task to rent a car for the Berlin offsite next week, by friday", "2026-11-27"),
        # One item of a dash-separated list.
        ("new task: renew the domain - Omar - thu - p2", "2026-11-26"),
        # Not a deadline: the date of a trip inside the work, of something done or begun, or an unchanged one.
        ("添加待办：订下周去成都出差的酒店", None),
        ("权限改造已经完成了，今天上午验收通过", None),
        ("the data cleanup is back on, Omar picked it up this morning", None),
        ("Omar is away next week so the audit goes to Tom, deadline stays", None),
    ],
)
def test_corrections_moves_and_non_deadlines(text: str, due: str | None) -> None:
    found = parse_due(text, NOW)
    assert (found.due.isoformat() if found else None) == due


SATURDAY = dt.datetime(2026, 11, 28, 9, 0, tzinfo=SHANGHAI)
SUNDAY = dt.datetime(2026, 11, 29, 20, 0, tzinfo=SHANGHAI)
MONTH_END = dt.datetime(2026, 11, 30, 10, 0, tzinfo=SHANGHAI)
YEAR_END = dt.datetime(2026, 12, 31, 18, 0, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("now", "text", "due"),
    [
        (SATURDAY, "本周内把周报交了", "2026-11-29"),
        (SATURDAY, "wrap this up this week", "2026-11-29"),
        (SATURDAY, "by the weekend", "2026-11-29"),
        (SATURDAY, "周末把服务器升级做了", "2026-11-28"),
        (SATURDAY, "周五前交", "2026-12-04"),
        (SATURDAY, "周日前交", "2026-11-29"),
        (SATURDAY, "明天交", "2026-11-29"),
        (SATURDAY, "下周一开会", "2026-11-30"),
        (SATURDAY, "next week", "2026-12-04"),
        (SATURDAY, "next Friday", "2026-12-04"),
        (SUNDAY, "周末前", "2026-11-29"),
        (SUNDAY, "周末", "2026-11-29"),
        (SUNDAY, "周一", "2026-11-30"),
        (SUNDAY, "下周一", "2026-11-30"),
        (SUNDAY, "Friday", "2026-12-04"),
        (MONTH_END, "月底前对账", "2026-11-30"),
        (MONTH_END, "下个月底", "2026-12-31"),
        (MONTH_END, "下个月初", "2026-12-01"),
        (MONTH_END, "月初", "2026-12-01"),
        (MONTH_END, "end of next month", "2026-12-31"),
        (MONTH_END, "一个月后", "2026-12-30"),
        (MONTH_END, "周一前", "2026-11-30"),
        (YEAR_END, "明天", "2027-01-01"),
        (YEAR_END, "1月5号前", "2027-01-05"),
        (YEAR_END, "Jan 5", "2027-01-05"),
        (YEAR_END, "12月15号", "2027-12-15"),
        (YEAR_END, "下个月底", "2027-01-31"),
        (YEAR_END, "年底前", "2026-12-31"),
        (YEAR_END, "next Friday", "2027-01-08"),
        (YEAR_END, "下周一", "2027-01-04"),
        (YEAR_END, "in 2 months", "2027-02-28"),
        (YEAR_END, "3个月后", "2027-03-31"),
        (YEAR_END, "EOM", "2026-12-31"),
        (YEAR_END, "on the 5th", "2027-01-05"),
    ],
)
def test_other_reference_days(now: dt.datetime, text: str, due: str) -> None:
    match = parse_due(text, now)
    assert match is not None, text
    assert match.due.isoformat() == due


def test_now_counts_in_its_own_zone() -> None:
    new_york = dt.datetime(2026, 11, 24, 23, 30, tzinfo=ZoneInfo("America/New_York"))
    shanghai = new_york.astimezone(SHANGHAI)  # the same instant: already Wednesday 12:30 there
    assert _due("tomorrow", new_york) == "2026-11-25"
    assert _due("明天", shanghai) == "2026-11-26"
    assert _due("in 2 hours", new_york) == "2026-11-25"
    assert _due("周五前", dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)) == "2026-11-27"


def test_today_is_not_yet_past() -> None:
    # On a Tuesday, "by Tuesday" is today: a weekday rolls over only once it has passed.
    assert _due("due by Tuesday", NOW) == "2026-11-24"
    assert _due("周二前", NOW) == "2026-11-24"


def test_the_first_expression_wins() -> None:
    match = parse_due("明天先出初稿，周五前定稿", NOW, "zh")
    assert match == DueMatch(due=dt.date(2026, 11, 25), start=0, end=2, text="明天")


@pytest.mark.parametrize(
    ("token", "value"),
    [("十五", 15), ("二十三", 23), ("三十一", 31), ("两", 2), ("十", 10), ("廿三", 23), ("二〇二七", 2027), ("12", 12)],
)
def test_chinese_numerals(token: str, value: int) -> None:
    assert zh_number(token) == value


@pytest.mark.parametrize("token", ["", "百", "十二三", "二十十"])
def test_chinese_numerals_reject_non_numbers(token: str) -> None:
    assert zh_number(token) is None


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(dt.date(2027, 1, 31), 1) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2028, 1, 31), 1) == dt.date(2028, 2, 29)


def _due(text: str, now: dt.datetime) -> str | None:
    match = parse_due(text, now)
    return match.due.isoformat() if match else None


def _check(match: DueMatch | None, text: str, due: str | None, span: str | None) -> None:
    if due is None:
        assert match is None, f"{text!r} → {match}"
        return
    assert match is not None, text
    assert match.due.isoformat() == due, f"{text!r} → {match}"
    assert match.text == text[match.start : match.end]
    if span is not None:
        assert match.text == span, f"{text!r} → {match}"
