"""The zh → en glossary BM25 uses to read English pages for a Chinese question."""

from __future__ import annotations

import re

import pytest

from retrieval.glossary import GLOSSARY, english_terms


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("子任务的计时器会自动开始吗", {"subtask", "timer", "automatic", "start"}),
        ("用 API 怎么添加一个新泳道", {"add", "swimlane"}),
        ("怎么开启两步验证", {"enable", "two", "factor", "authentication", "2fa"}),
        ("看板上的列能隐藏吗", {"board", "column", "hide"}),
        ("甘特图导出", {"gantt", "export"}),
        ("定时任务怎么配置", {"cron", "cronjob", "configuration"}),
        ("邮件通知发不出去", {"email", "notification"}),
        ("插件怎么安装", {"plugin", "install"}),
        ("忘记密码了，能重置吗", {"password", "reset"}),
        ("逾期任务能发提醒吗", {"overdue", "task", "notification"}),
    ],
)
def test_chinese_terms_give_english_words(question: str, expected: set[str]) -> None:
    assert expected <= set(english_terms(question))


@pytest.mark.parametrize(
    ("question", "absent"),
    [
        # Longest match first: a compound is not also read as its parts.
        ("子任务", {"task"}),
        ("自动化动作", {"automatically"}),
        ("截止日期", {"time"}),
    ],
)
def test_the_longest_term_wins(question: str, absent: set[str]) -> None:
    assert not absent & set(english_terms(question))


@pytest.mark.parametrize("question", ["How do I add a swimlane?", "", "2FA 123", "!!!"])
def test_text_without_chinese_gives_nothing(question: str) -> None:
    assert english_terms(question) == ()


def test_words_come_once_and_in_order() -> None:
    assert english_terms("任务任务泳道") == ("task", "swimlane")


def test_every_entry_is_a_chinese_term_with_english_words() -> None:
    han = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+$")
    assert len(GLOSSARY) > 300
    for term, words in GLOSSARY.items():
        assert han.match(term), term
        assert words and all(re.fullmatch(r"[a-z0-9]+", w) for w in words), (term, words)
