"""Feedback kind rules, in both languages."""

from __future__ import annotations

import pytest

from intents.feedback_kind import guess_kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("甘特图导出PDF中文乱码", "bug"),
        ("app老是闪退", "bug"),
        ("提醒收不到", "bug"),
        ("the Gantt export garbles Chinese", "bug"),
        ("Excel import fails with an error on row 3", "bug"),
        ("能不能加个批量修改截止日期的功能", "feature_request"),
        ("希望看板支持按负责人分泳道", "feature_request"),
        ("it would be nice to have a dark mode", "feature_request"),
        ("please add bulk edit for due dates", "feature_request"),
        ("审批流程配置太麻烦了", "complaint"),
        ("搜索太慢了", "complaint"),
        ("too many notifications, it's annoying", "complaint"),
        ("新版看板太好用了，点赞", "praise"),
        ("love the new board view", "praise"),
        ("手机端的工时统计在哪看", "question"),
        ("why does the workload view count weekends?", "question"),
    ],
)
def test_guess_kind(text: str, kind: str) -> None:
    assert guess_kind(text) == kind
