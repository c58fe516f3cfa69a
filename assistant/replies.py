"""Every sentence the assistant says, in Chinese and English. `say(key, lang, **values)` fills one in."""

from __future__ import annotations

from typing import Literal

Lang = Literal["zh", "en"]

_TEXT: dict[str, tuple[str, str]] = {
    # (Chinese, English)
    "greeting": (
        "你好！我是桥（Qiao），可以帮你建任务、改任务、查进度、反馈问题，也能回答系统怎么用。",
        "Hi! I'm Qiao. I can create and update tasks, tell you how a project or a person is doing, take bug "
        "reports and suggestions, and answer how-to questions.",
    ),
    "thanks": ("不客气！还有什么需要帮忙的吗？", "You're welcome! Anything else I can do?"),
    "out_of_scope": (
        "抱歉，这个我帮不上忙。我只处理项目管理相关的事，比如：“帮我建个任务：周五前提交周报”、“凤凰项目进度怎么样”、"
        "“导出PDF中文乱码”、“请假审批怎么配置”。",
        "Sorry, that's outside what I can help with. I handle project work, for example: \"create a task to send "
        'the weekly report by Friday", "how is Phoenix doing", "the PDF export garbles Chinese", "how do I '
        'set up leave approvals".',
    ),
    "ask_title": ("好的，这个任务的标题是什么？", "Sure. What should the task be called?"),
    "ask_project": ("要建在哪个项目下？{options}", "Which project should it go in? {options}"),
    "preview_create": ("请确认要创建的任务：", "Please confirm the task I'll create:"),
    "preview_update": ("请确认对「{title}」的修改：{changes}", 'Please confirm the changes to "{title}": {changes}'),
    "created": ("已创建任务 #{id}「{title}」。", 'Created task #{id} "{title}".'),
    "updated": ("已更新任务 #{id}「{title}」。", 'Updated task #{id} "{title}".'),
    "already_done": ("这个操作已经完成了（#{id}）。", "That's already done (#{id})."),
    "cancelled": ("好的，已取消，什么都没有写入。", "OK, cancelled. Nothing was written."),
    "edit": (
        "要改什么？直接告诉我，比如“改到下周三”、“交给李娜”、“优先级改成紧急”。",
        'What should I change? Just say it, e.g. "move it to next Wednesday", "give it to Lina", "make it urgent".',
    ),
    "nothing_pending": ("现在没有等待确认的操作。", "There's nothing waiting for confirmation."),
    "unknown_action": (
        "这个按钮已经失效了（可能已确认或取消），请重新告诉我要做什么。",
        "That button has expired (it was confirmed or cancelled already); tell me again what you'd like.",
    ),
    "which_task": (
        "找到多个可能的任务，是哪一个？回复序号或标题：",
        "I found several tasks that could match. Which one? Reply with its number or title:",
    ),
    "no_task": (
        "没找到叫「{title}」的任务。可以说得更完整一些，或先查一下任务列表。",
        'I couldn\'t find a task called "{title}". Try its full title, or ask for the task list first.',
    ),
    "ask_task": ("要修改哪个任务？", "Which task should I change?"),
    "ask_change": (
        "要对「{title}」做什么修改？比如改状态、截止日期、负责人或优先级。",
        'What should I change on "{title}"? Status, due date, owner or priority?',
    ),
    "progress": (
        "{name}：共 {total} 个任务，已完成 {done}，进行中 {in_progress}，受阻 {blocked}，"
        "逾期 {overdue}，本周到期 {due_this_week}，有风险 {at_risk}。",
        "{name}: {total} tasks, {done} done, {in_progress} in progress, {blocked} blocked, {overdue} overdue, "
        "{due_this_week} due this week, {at_risk} at risk.",
    ),
    "progress_none": ("{name} 目前没有任务。", "{name} has no tasks yet."),
    "who_are_you": (
        "我需要知道你是谁才能查“我的”任务：请在请求里带上 user（成员标识）。",
        'I need to know who you are to look up "your" tasks: send `user` (your member key) with the request.',
    ),
    "report_preview": (
        "我会把这条反馈记录为{kind}（{severity}），确认提交吗？",
        "I'll file this as a {kind} ({severity}). Submit it?",
    ),
    "report_duplicate": (
        "这个问题之前有人反馈过（#{id}），已解决：{resolution}",
        "This was reported before (#{id}) and resolved: {resolution}",
    ),
    "report_similar": (
        "类似的反馈已有 {count} 条，我会一并关联。",
        "There are {count} similar reports; I'll link them.",
    ),
    "reported": (
        "已提交反馈，工单号 #{id}，运营团队会在 {sla} 前回复。",
        "Filed as ticket #{id}; the ops team will answer by {sla}.",
    ),
    "idk": (
        "抱歉，帮助文档里没有找到答案。我已记录下这个问题；需要我转给运营团队吗？",
        "Sorry, I couldn't find that in the help docs. I've noted the question; shall I pass it to the ops team?",
    ),
    "filed_question": ("已转给运营团队，工单号 #{id}。", "Passed to the ops team as ticket #{id}."),
    "clarify": (
        "我不太确定你的意思，你是想{first}，还是{second}？",
        "I'm not sure what you mean: do you want to {first}, or {second}?",
    ),
    "ask_again": ("能换个说法再说一遍吗？", "Could you say that another way?"),
}

INTENT_LABELS: dict[str, tuple[str, str]] = {
    "create_task": ("新建任务", "create a task"),
    "update_task": ("修改任务", "update a task"),
    "query_progress": ("查进度", "check progress"),
    "report_issue": ("反馈问题", "report a problem"),
    "ask_howto": ("问系统怎么用", "ask how to do something"),
    "chitchat": ("随便聊聊", "just chat"),
    "out_of_scope": ("问别的事", "ask about something else"),
}

LABELS: dict[str, tuple[str, str]] = {
    "confirm": ("确认", "Confirm"),
    "edit": ("修改", "Edit"),
    "cancel": ("取消", "Cancel"),
    "file_question": ("转给运营", "Pass to ops"),
    "bug": ("缺陷", "bug"),
    "feature_request": ("需求建议", "feature request"),
    "complaint": ("吐槽", "complaint"),
    "question": ("疑问", "question"),
    "praise": ("表扬", "praise"),
    "low": ("低", "low"),
    "medium": ("中", "medium"),
    "high": ("高", "high"),
    "critical": ("紧急", "critical"),
    "due": ("截止日期", "due"),
    "status": ("状态", "status"),
    "priority": ("优先级", "priority"),
    "assignee": ("负责人", "owner"),
    "progress": ("进度", "progress"),
    "attention": ("逾期与有风险的任务", "Overdue and at-risk tasks"),
    "title": ("标题", "title"),
    "project": ("项目", "project"),
    "me": ("我的任务", "My tasks"),
    "workspace": ("全部项目", "All projects"),
    "visible_only": ("（仅含你的任务）", " (your tasks only)"),
}

SUGGESTIONS: dict[str, tuple[list[str], list[str]]] = {
    "start": (
        ["帮我建个任务", "我的任务进度怎么样", "导出PDF中文乱码", "请假审批怎么配置"],
        ["Create a task", "How are my tasks doing?", "Report a problem", "How do I export to Excel?"],
    ),
    "after_task": (["查看我的任务", "再建一个任务"], ["Show my tasks", "Create another task"]),
}


def say(key: str, lang: Lang, **values: object) -> str:
    """The sentence `key` in `lang`, with `values` filled in."""
    zh, en = _TEXT[key]
    return (zh if lang == "zh" else en).format(**values)


def label(key: str, lang: Lang) -> str:
    zh, en = LABELS.get(key, (key, key))
    return zh if lang == "zh" else en


def intent_label(intent: str, lang: Lang) -> str:
    zh, en = INTENT_LABELS[intent]
    return zh if lang == "zh" else en


def suggestions(key: str, lang: Lang) -> list[str]:
    zh, en = SUGGESTIONS[key]
    return list(zh if lang == "zh" else en)
