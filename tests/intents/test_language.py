"""Language detection: Chinese, English, or mixed."""

from __future__ import annotations

import pytest

from intents.language import detect_language, reply_language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("凤凰项目现在进度怎么样了", "zh"),
        ("甘特图导出PDF中文乱码", "zh"),
        ("app老是闪退", "zh"),
        ("move the billing migration deadline to December 10", "en"),
        ("book me a flight", "en"),
        ("帮我建个task，明天之前review一下PRD", "mixed"),
        ("把 onboarding deck 更新一下 by Friday", "mixed"),
        ("ok", "en"),
        ("12345 !!!", "en"),
        ("👍👍", "en"),
        ("", "en"),
        ("Phoenix 项目进度", "zh"),
    ],
)
def test_detect_language(text: str, expected: str) -> None:
    assert detect_language(text) == expected


def test_default_applies_when_no_letters() -> None:
    assert detect_language("😀", default="zh") == "zh"


@pytest.mark.parametrize(("tag", "reply"), [("zh", "zh"), ("mixed", "zh"), ("en", "en")])
def test_reply_language(tag: str, reply: str) -> None:
    assert reply_language(tag) == reply  # type: ignore[arg-type]
