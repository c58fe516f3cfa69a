"""Speech scoring units: numerals read the same way on both sides of a Mandarin comparison."""

from __future__ import annotations

import pytest

from evals.speech_units import edit_distance, en_units, read_numerals, zh_units


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("7点半", "七点半"),
        ("15号", "十五号"),
        ("60", "六十"),
        ("120个人", "一百二十个人"),
        ("2026", "二千零二十六"),
        ("105", "一百零五"),
        ("110", "一百一十"),
        ("1050", "一千零五十"),
        ("10005", "一万零五"),
        ("120000", "十二万"),
        ("0", "零"),
        ("92年回到中国", "九二年回到中国"),
        ("2026年春季", "二零二六年春季"),
        ("80年代", "八十年代"),
        ("20年前", "二十年前"),
        ("10年来", "十年来"),
        ("3.5天", "三点五天"),
        ("0.05", "零点零五"),
        ("增长了60%", "增长了百分之六十"),
        ("12.5％", "百分之十二点五"),
        ("1,200元", "一千二百元"),
        ("7:30出发", "七点三十出发"),
        ("7:05", "七点零五"),
        ("8:00", "八点"),
        ("007", "零零七"),
        ("13800138000", "一三八零零一三八零零零"),
        ("１５号", "十五号"),
        ("Q4的目标", "Q四的目标"),
        ("两个任务", "二个任务"),
        ("二〇二六年", "二零二六年"),
        ("千万别忘了", "千万别忘了"),
        ("No numbers here.", "No numbers here."),
    ],
)
def test_numerals_are_written_as_read_aloud(written: str, read: str) -> None:
    assert read_numerals(written) == read


@pytest.mark.parametrize(
    ("reference", "hypothesis"),
    [
        ("早晨七点半到九点半", "早晨7点半到9点半"),
        ("92年回到中国之后", "九二年回到中国之后"),
        ("过两天要带着全部家当", "过2天要带着全部家当"),
        ("增长了百分之六十", "增长了60%。"),
        ("大概要十五万左右", "大概要15万左右"),
        ("二零二六年春季活动", "2026年春季活动"),
        ("預算三點五萬", "预算3.5万"),  # traditional and digits together
    ],
)
def test_the_same_number_written_either_way_is_no_error(reference: str, hypothesis: str) -> None:
    assert zh_units(reference) == zh_units(hypothesis)
    assert edit_distance(zh_units(reference), zh_units(hypothesis)) == 0


@pytest.mark.parametrize(
    ("reference", "hypothesis", "errors"),
    [
        ("七点半", "8点半", 1),  # a different number is still an error
        ("九二年", "九十二年", 1),  # a year said digit by digit is not ninety-two
        ("二十年", "20年", 1),  # known limit: a bare "20年" is read as a year
    ],
)
def test_different_numbers_still_count(reference: str, hypothesis: str, errors: int) -> None:
    assert edit_distance(zh_units(reference), zh_units(hypothesis)) == errors


def test_english_number_words_are_digits() -> None:
    assert en_units("One two three, it's done.") == ["1", "2", "3", "it's", "done"]
    assert en_units("1, 2, 3 it’s done") == en_units("one two three, it's done")


@pytest.mark.parametrize(
    ("spoken", "written"),
    [
        ("forty five minutes", "45 minutes"),
        ("twenty-one days", "21 days"),
        ("ninety nine problems", "99 problems"),
        ("twenty twenty", "20 20"),
        ("thirty, five", "35"),  # punctuation is not scored, so the words meet
        ("the 20 five-star reviews", "the 20 5 star reviews"),  # digits in the text are never joined
        ("seven eight", "7 8"),
    ],
)
def test_english_number_words_read_as_a_transcript_writes_them(spoken: str, written: str) -> None:
    assert en_units(spoken) == written.split()
