"""BM25 tokens: stemmed English words and their compound parts, jieba words for Chinese, no function words."""

from __future__ import annotations

import pytest

from retrieval.tokens import tokenize


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("How do I install Kanboard?", ["instal", "kanboard"]),
        ("installing the installation", ["instal", "instal"]),
        ("getTaskByReference", ["gettaskbyrefer", "get", "task", "refer"]),
        ("addSwimlane", ["addswimlan", "add", "swimlan"]),
        ("two-factor authentication", ["two-factor", "two", "factor", "authent"]),
        ("config.php", ["config.php", "config", "php"]),
        ("LDAP_USER_FILTER", ["ldap", "user", "filter"]),
        ("date_due", ["date", "due"]),
        ("HTTPServer", ["httpserver", "http", "server"]),
        # A number stays with its letters: 2FA is one word, not "2" and "fa"; bare digits are never parts.
        ("2FA", ["2fa"]),
        ("v1.2.8", ["v1.2.8", "v1"]),
        ("X-Forwarded-User", ["x-forwarded-us", "forward", "user"]),
        ("what's the API for it", ["api"]),
        ("甘特图怎么导出", ["甘特图", "导出"]),
        ("怎么用 API 添加泳道", ["用", "api", "添加", "泳道"]),
        ("子任务的计时器", ["子", "任务", "计时", "计时器"]),
    ],
)
def test_tokens(text: str, expected: list[str]) -> None:
    assert tokenize(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "的 了 吗", "what is the", "？！。"])
def test_function_words_and_punctuation_give_no_tokens(text: str) -> None:
    assert tokenize(text) == []


def test_a_question_meets_a_compound_in_a_page() -> None:
    page = set(tokenize("Users with two-factor authentication enabled must use API keys (getMe, addSwimlane)."))
    assert set(tokenize("two factor")) <= page
    assert set(tokenize("add a swimlane")) <= page
