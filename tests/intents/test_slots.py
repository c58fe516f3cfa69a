"""Slot rules, one table per finder, in both languages."""

from __future__ import annotations

import pytest

from intents.directory import Directory, Entry
from intents.levels import find_priority, find_status
from intents.people import find_person
from intents.projects import find_project
from intents.title import extract_title
from intents.types import Intent

DIRECTORY = Directory(
    people=(
        Entry(1, "张三", ("zhangsan", "Sam Zhang", "Sam", "老张")),
        Entry(2, "李娜", ("lina", "Lina Li", "Lina", "娜娜")),
        Entry(11, "Emily Carter", ("emily", "艾米莉", "Emily")),
        Entry(12, "Tom Becker", ("tom", "汤姆", "Tom")),
    ),
    projects=(
        Entry(1, "凤凰", ("Phoenix", "phoenix", "凤凰项目", "Phoenix project")),
        Entry(2, "阿波罗", ("Apollo", "apollo", "阿波罗项目", "计费项目")),
        Entry(3, "移动端", ("Mobile App", "mobile", "App项目")),
    ),
    caller_id=7,
)


@pytest.mark.parametrize(
    ("text", "intent", "value", "member_id"),
    [
        ("帮我建个任务：周五前把登录页改版做完，交给张三，优先级高", Intent.create_task, "张三", 1),
        ("建个任务给老张，下周三前补齐接口文档", Intent.create_task, "老张", 1),
        ("帮我建个任务明天下午之前把周报发给赵敏", Intent.create_task, None, None),
        ("提醒我明早九点给张三打电话", Intent.create_task, None, None),
        ("给孙悦建个任务 整理竞品分析报告", Intent.create_task, "孙悦", None),
        ("把员工手册更新那个活儿转给娜娜", Intent.update_task, "娜娜", 2),
        ("帮我把小王的那个接口联调改成已完成", Intent.update_task, None, None),
        ("王伟请假了，把对账脚本转给李娜", Intent.update_task, "李娜", 2),
        ("张三手上有哪些任务", Intent.query_progress, "张三", 1),
        ("马超的任务都按时完成了吗", Intent.query_progress, "马超", None),
        ("我这周有什么要做的", Intent.query_progress, "me", 7),
        ("add a task for Lina to update the onboarding deck by Monday", Intent.create_task, "Lina", 2),
        ("can you make a task for Kevin to renew the SSL certificates asap", Intent.create_task, "Kevin", None),
        ("remind me to ping Tom about the design review", Intent.create_task, None, None),
        ("add a to-do: review Sam's pull request by EOD", Intent.create_task, None, None),
        ("reassign the API docs task to Tom", Intent.update_task, "Tom", 12),
        ("move the landing page design from Lina to Emily", Intent.update_task, "Emily", 11),
        ("what's on my plate this week", Intent.query_progress, "me", 7),
        ("what's Marcus got on his plate", Intent.query_progress, "Marcus", None),
        ("how is Emily doing on Apollo", Intent.query_progress, "Emily", 11),
        ("remind me tomorrow to send the invoice", Intent.create_task, None, None),
    ],
)
def test_find_person(text: str, intent: Intent, value: str | None, member_id: int | None) -> None:
    found = find_person(text, DIRECTORY, intent)
    assert (found.value if found else None, found.id if found else None) == (value, member_id)


@pytest.mark.parametrize(
    ("text", "value", "project_id"),
    [
        ("凤凰项目现在进度怎么样了", "凤凰", 1),
        ("在阿波罗项目下建个任务：核对10月账单数据", "阿波罗", 2),
        ("how's the Phoenix project going", "Phoenix", 1),
        ("any blockers in Appolo?", "Appolo", 2),
        ("CRM升级项目还剩多少任务", "CRM升级", None),
        ("give me a status update on Orion", "Orion", None),
        ("提醒我下周一开项目复盘会", None, None),
        ("现在所有项目的状态怎么样", None, None),
        ("add a task for Tom to fix the login page", None, None),
    ],
)
def test_find_project(text: str, value: str | None, project_id: int | None) -> None:
    found = find_project(text, DIRECTORY)
    assert (found.value if found else None, found.id if found else None) == (value, project_id)


def test_project_inside_a_new_tasks_description_stays_in_the_title() -> None:
    text = "prepare the Apollo steering committee report by next Wednesday"
    assert find_project(text, DIRECTORY, new_task=True) is None
    assert find_project("set the Apollo kickoff prep deadline to Friday", DIRECTORY) is not None


@pytest.mark.parametrize(
    ("text", "priority"),
    [
        ("优先级高", "high"),
        ("十万火急", "urgent"),
        ("把客户回访改成P2", "medium"),
        ("这个不急", "low"),
        ("设计稿外包这个任务别标紧急了，改成普通", "medium"),
        ("asap please", "urgent"),
        ("make it high priority", "high"),
        ("no rush on this one", "low"),
        ("把banner设计改成high priority", "high"),
        ("release v2.3.1 notes", None),
        ("the P10 form", None),
    ],
)
def test_find_priority(text: str, priority: str | None) -> None:
    found = find_priority(text)
    assert (found[0].value if found else None) == priority


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("登录页改版已经做完了", "done"),
        ("数据迁移卡住了，在等法务", "blocked"),
        ("SSO对接开始做了", "in_progress"),
        ("竞品分析报告重新打开", "todo"),
        ("公积金变更材料交完了", "done"),
        ("用户访谈记录整理 完成了百分之四十", None),
        ("the API docs are done", "done"),
        ("mark the billing migration as blocked", "blocked"),
        ("security audit那个任务blocked了", "blocked"),
        ("re-open the SSL certificates task", "todo"),
        ("the payment flow QA is about 75% done", None),
        ("I started working on the Q1 hiring plan", "in_progress"),
    ],
)
def test_find_status(text: str, status: str | None) -> None:
    found = find_status(text)
    assert (found[0].value if found else None) == status


@pytest.mark.parametrize(
    ("text", "cut", "update", "title"),
    [
        ("帮我建个任务：把登录页改版做完", [], False, "登录页改版"),
        ("新增待办：和法务确认合同条款", [], False, "和法务确认合同条款"),
        ("帮我创建个任务叫做“客户回访”", [], False, "客户回访"),
        ("帮我建个任务", [], False, None),
        ("remind me to send the invoice", [], False, "send the invoice"),
        ("create a task to clean up the billing tables", [], False, "clean up the billing tables"),
        ("add a to-do: review the PRD", [], False, "review the PRD"),
        ("把数据看板首页开发的截止日改成本周内", [], True, "数据看板首页开发"),
        ("登录页改版已经做完了", [], True, "登录页改版"),
        ("move the billing migration deadline to December 10", [], True, "the billing migration"),
        ("reassign the API docs task to Tom", [], True, "the API docs"),
        ("Zoom seat cleanup: push it to next Monday", [], True, "Zoom seat cleanup"),
    ],
)
def test_extract_title(text: str, cut: list[tuple[int, int]], update: bool, title: str | None) -> None:
    assert extract_title(text, cut, update=update) == title


def test_title_without_the_cut_slots() -> None:
    text = "帮我建个任务：周五前把登录页改版做完，交给张三，优先级高"
    spans = [(text.index("周五前"), text.index("周五前") + 3), (text.index("交给张三"), text.index("交给张三") + 4)]
    spans.append((text.index("优先级高"), text.index("优先级高") + 4))
    assert extract_title(text, spans) == "登录页改版"


def test_a_cut_project_leaves_no_particle_in_the_title() -> None:
    text = "帮我建个任务：周五前把凤凰项目的登录页改版做完"
    found = find_project(text, DIRECTORY, new_task=True)
    assert found is not None
    due = (text.index("周五前"), text.index("周五前") + 3)
    assert extract_title(text, [due, (found.start, found.end)]) == "登录页改版"
