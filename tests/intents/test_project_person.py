"""Unknown projects and people told apart by the words around them, in both languages."""

from __future__ import annotations

import pytest

from intents.directory import Directory, Entry
from intents.given_names import is_given_name
from intents.parser import clean_text
from intents.people import find_person
from intents.projects import find_project
from intents.types import Intent

DIRECTORY = Directory(
    people=(
        Entry(1, "张三", ("zhangsan", "Sam Zhang", "Sam", "老张")),
        Entry(2, "李娜", ("lina", "Lina Li", "Lina", "娜娜")),
        Entry(12, "Tom Becker", ("tom", "汤姆", "Tom")),
    ),
    projects=(
        Entry(1, "凤凰", ("Phoenix", "phoenix", "凤凰项目", "Phoenix project")),
        Entry(2, "阿波罗", ("Apollo", "apollo", "阿波罗项目")),
    ),
    caller_id=7,
)


@pytest.mark.parametrize(
    ("text", "new_task", "value", "cut"),
    [
        ("Vega的支付对账脚本截止日改到周四", False, "Vega", "Vega的"),
        ("把Helix的接口压测改成进行中", False, "Helix", "把Helix的"),
        ("Vega这周还有几个任务没关", False, "Vega", "Vega"),
        ("Helix最近推进得怎么样", False, "Helix", "Helix"),
        ("OA迁移有没有卡住的任务", False, "OA迁移", "OA迁移"),
        ("会员中台的标签接口改到下周一", False, "会员中台", "会员中台的"),
        ("新建任务：HR系统 考勤规则梳理 马丽 周五前", True, "HR系统", "HR系统 "),
        ("add task: Vega - archive the old invoices - Priya - next Monday", True, "Vega", "Vega - "),
        ("put a task on the Helix backlog for Omar to draft the FAQ", True, "Helix", "on the Helix backlog"),
        ("quick status check on Vega please", False, "Vega", "on Vega"),
        ("how's the Helix rollout going", False, "Helix", "Helix"),
        ("where does Vega stand after the demo", False, "Vega", "Vega"),
        ("Helix's load test is done, close it", False, "Helix", "Helix's "),
        ("what's Omar working on in the CRM upgrade", False, "CRM upgrade", "in the CRM upgrade"),
        ("玄武的灰度开关配置改到下周三", False, "玄武", "玄武的"),
        ("那个 启明星那边的压测报告写完了吗", False, "启明星", "启明星那边的"),
        ("新建：客服中心 工单分类规则 陈晨 周五", True, "客服中心", "客服中心 "),
        ("add a task to Kestrel: rotate the staging certs, Omar, Friday", True, "Kestrel", "to Kestrel"),
        ("create a new task in Kestrel due monday", True, "Kestrel", "in Kestrel"),
        (
            "add task archive the old invoices for the billing cleanup project",
            True,
            "billing cleanup",
            "for the billing cleanup project",
        ),
        ("how is the billing cleanup project going", False, "billing cleanup", "billing cleanup project"),
        ("where are we with Kestrel", False, "Kestrel", "Kestrel"),
        ("how is Omar doing on his Kestrel tasks", False, "Kestrel", "Kestrel"),
        ("帮我看看 那个 Kestrel 现在卡在哪", False, "Kestrel", "Kestrel"),
        # Given names, tools, places and languages are not projects.
        ("create a task for Zeynep", True, None, None),
        ("新建任务，复核阿波罗结算差异，王强", True, None, None),
        ("登录页的文案改好了", False, None, None),
        ("财务那边的发票流程卡住了", False, None, None),
        ("Hannah那边还有几个任务", False, None, None),
        ("Kafka的升级改到下周", False, None, None),
        ("what's still pending for Hannah", False, None, None),
        ("check on Carlos Diaz's progress", False, None, None),
        ("book the flights to Berlin for the sales trip", True, None, None),
        ("translate the FAQ into Spanish by Friday", True, None, None),
        ("give the CMS migration to Tom", False, None, None),
        ("set the Payment gateway integration to blocked", False, None, None),
        ("把数据迁移的截止日期推到周五", False, None, None),
        ("建任务 写周报 周五 张三", True, None, None),
    ],
)
def test_unknown_project_by_context(text: str, new_task: bool, value: str | None, cut: str | None) -> None:
    found = find_project(text, DIRECTORY, new_task=new_task)
    assert (found.value if found else None, text[found.start : found.end] if found else None) == (value, cut)


@pytest.mark.parametrize(
    ("text", "intent", "value"),
    [
        ("把季度预算复盘的负责人换成苏晴", Intent.update_task, "苏晴"),
        ("采购合同归档的负责人改成成刚", Intent.update_task, "成刚"),
        ("罗佳这个月完成了几个任务", Intent.query_progress, "罗佳"),
        ("高远手上还有多少没关的", Intent.query_progress, "高远"),
        ("建个任务吧，下周三之前，把展会物料清单整理好，邵婷", Intent.create_task, "邵婷"),
        ("建个task 周五前 把灰度发布脚本检查一遍 Omar 不着急", Intent.create_task, "Omar"),
        ("新任务：安全巡检报告 下周一 Priya", Intent.create_task, "Priya"),
        ("what's still open for Nadia", Intent.query_progress, "Nadia"),
        ("how are things with lina today", Intent.query_progress, "lina"),
        ("what's the status on Omar's expense report", Intent.query_progress, "Omar"),
        ("add a task to the Helix board for Omar to update the runbook", Intent.create_task, "Omar"),
        ("new task for Apollo, Omar's the owner, details to follow", Intent.create_task, "Omar"),
        ("给小许建个任务：整理合同模板，周五前", Intent.create_task, "小许"),
        ("先给邵婷挂一个任务 内容回头补", Intent.create_task, "邵婷"),
        ("在CRM升级项目建个任务叫线索去重，苏晴做，P1", Intent.create_task, "苏晴"),
        ("新建task 客服中心 工单报表 owner是Omar 月底", Intent.create_task, "Omar"),
        ("建个任务 就是 接口限流方案 给苏晴 下周五之前", Intent.create_task, "苏晴"),
        ("我下周得交哪些东西", Intent.query_progress, "me"),
        ("can you put the flaky test triage on Omar's plate", Intent.create_task, "Omar"),
        ("i need a task created for Zeynep to audit the dashboards", Intent.create_task, "Zeynep"),
        ("task: Omar - refresh the pricing page - next week", Intent.create_task, "Omar"),
        ("by friday Kofi Mensah needs to finish the vendor audit, make that a task", Intent.create_task, "Kofi Mensah"),
        ("Zeynep can take over the invoice cleanup from Tom", Intent.update_task, "Zeynep"),
        ("the audit log export should go to Zeynep instead of Tom", Intent.update_task, "Zeynep"),
        ("assign the search relevance review to me", Intent.update_task, "me"),
        ("task pls - write the retro notes - me - friday", Intent.create_task, "me"),
        ("what do i have due this sprint", Intent.query_progress, "me"),
        ("any news on the migration from Zeynep", Intent.query_progress, "Zeynep"),
        # Not an owner: priority words, thanks, and people the work is done to.
        ("提醒我今晚把测试结论同步给苏晴", Intent.create_task, None),
        ("把供应商评估改成高优先级", Intent.update_task, None),
        ("帮我建个任务，周四前交差旅报销，谢谢", Intent.create_task, None),
        ("提醒我明天跟进一下Nadia的合同", Intent.create_task, None),
        ("remind me to catch up with Priya about the budget", Intent.create_task, None),
    ],
)
def test_person_by_context(text: str, intent: Intent, value: str | None) -> None:
    text = clean_text(text)
    found = find_person(text, DIRECTORY, intent, (), find_project(text, DIRECTORY))
    assert (found.value if found else None) == value


@pytest.mark.parametrize(
    ("text", "intent", "project", "person"),
    [
        ("Vega那边的任务都按时吗", Intent.query_progress, "Vega", None),
        ("create a task: Helix 的 SDK 示例更新, Omar, 下周", Intent.create_task, "Helix", "Omar"),
        ("new task - Vega - rotate the API tokens - Tom - Friday", Intent.create_task, "Vega", "Tom"),
    ],
)
def test_a_project_name_is_not_also_the_person(text: str, intent: Intent, project: str, person: str | None) -> None:
    text = clean_text(text)
    found = find_project(text, DIRECTORY, new_task=intent is Intent.create_task)
    assert found is not None and found.value == project
    owner = find_person(text, DIRECTORY, intent, (), found)
    assert (owner.value if owner else None) == person


@pytest.mark.parametrize(
    ("word", "given"), [("Hannah", True), ("raj", True), ("Zeynep", True), ("Atlas", False), ("Kafka", False)]
)
def test_is_given_name(word: str, given: bool) -> None:
    assert is_given_name(word) is given
