"""Transcript post-processing: traditional → simplified, and spoken numbers the date parser misses → digits."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from assistant.speech_text import normalize_spoken, ordinal_suffix, to_simplified
from intents.dates import parse_due

NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Tuesday


@pytest.mark.parametrize(
    ("heard", "simplified"),
    [
        ("帶著全部家當去景德鎮", "带着全部家当去景德镇"),
        ("三天後提醒我跟進報價", "三天后提醒我跟进报价"),
        ("下週五前把登錄頁改版做完，交給張三", "下周五前把登录页改版做完，交给张三"),
        ("後臺出現了錯誤", "后台出现了错误"),
        ("把衣服晾乾", "把衣服晾干"),
        ("乾隆皇帝是著名的人物", "乾隆皇帝是著名的人物"),  # 乾 and 著 stay where simplified keeps them
        ("這隻貓只會睡覺", "这只猫只会睡觉"),
        ("請把Bug修復後通知QA", "请把Bug修复后通知QA"),
        ("凤凰项目现在进度怎么样了", "凤凰项目现在进度怎么样了"),  # simplified text is left alone
        ("Move the deadline to Friday.", "Move the deadline to Friday."),
    ],
)
def test_traditional_becomes_simplified(heard: str, simplified: str) -> None:
    assert to_simplified(heard) == simplified


@pytest.mark.parametrize(
    ("heard", "normalised", "due"),
    [
        # English ordinals in words next to a date: not read by intents/dates_en.py as said.
        ("Remind me to call the bank by the twenty fifth", "Remind me to call the bank by the 25th", "2026-11-25"),
        ("pay the invoice by the twenty-fifth", "pay the invoice by the 25th", "2026-11-25"),
        ("ship it on December twenty first", "ship it on December 21st", "2026-12-21"),
        ("the twenty fifth of December", "the 25th of December", "2026-12-25"),
        ("renew it by November thirtieth", "renew it by November 30th", "2026-11-30"),
        ("on the third of January", "on the 3rd of January", "2027-01-03"),
        ("by the fifth", "by the 5th", "2026-12-05"),
        ("by December twenty five", "by December 25", "2026-12-25"),
        # Number words in a span of time beyond the parser's small table.
        ("renew the certificate in thirteen days", "renew the certificate in 13 days", "2026-12-07"),
        ("in twenty one days", "in 21 days", "2026-12-15"),
        ("sixteen days from now", "16 days from now", "2026-12-10"),
        # Chinese: 百/千 numbers before a date unit; full-width digits.
        ("一百天后提醒我续费", "100天后提醒我续费", "2027-03-04"),
        ("两千零二十七年一月五号前交", "2027年一月五号前交", "2027-01-05"),
        ("２０号前交报告", "20号前交报告", "2026-12-20"),
        # Already read by the parser: unchanged.
        ("二十号前交报告", "二十号前交报告", "2026-12-20"),
        ("十二月二十五号之前", "十二月二十五号之前", "2026-12-25"),
        ("by December 25th", "by December 25th", "2026-12-25"),
        ("in three days", "in 3 days", "2026-11-27"),
        # Not dates: left as said.
        ("finish the first draft", "finish the first draft", None),
        ("you may one day win", "you may one day win", None),
        ("千万别忘了", "千万别忘了", None),
        ("转化率提高百分之二十", "转化率提高百分之二十", None),
    ],
)
def test_spoken_numbers_become_digits_the_date_parser_reads(heard: str, normalised: str, due: str | None) -> None:
    assert normalize_spoken(heard) == normalised
    found = parse_due(normalised, NOW)
    assert (found.due.isoformat() if found else None) == due


@pytest.mark.parametrize(("n", "text"), [(1, "1st"), (2, "2nd"), (3, "3rd"), (11, "11th"), (13, "13th"), (22, "22nd")])
def test_ordinal_suffix(n: int, text: str) -> None:
    assert ordinal_suffix(n) == text
