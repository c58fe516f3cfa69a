"""What speech scoring compares: Mandarin characters for CER, English words for WER, and the edit distance.

Both sides of a comparison (reference and hypothesis) go through the same function, so a number counts once
however it was written. English writes number words as digits ("one two three" = "1, 2, 3"). Mandarin goes the
other way, digits as read aloud (`read_numerals`), because the references are mostly written in characters
and Whisper writes either (7点半 or 七点半):

| written | read as | rule |
|---|---|---|
| 7 · 15 · 60 · 120 · 2026 · 10005 | 七 · 十五 · 六十 · 一百二十 · 二千零二十六 · 一万零五 | positional |
| 007 · 13800138000 | 零零七 · 一三八…  | digit by digit: a leading zero or more than 8 digits (codes, phones) |
| 92年 · 2026年 | 九二年 · 二零二六年 | a 2- or 4-digit year, digit by digit |
| 80年代 · 20年前 · 10年来 | 八十年代 · 二十年前 · 十年来 | a span of years, not a year: positional |
| 3.5 · 60% · 3.5% · 1,200 | 三点五 · 百分之六十 · 百分之三点五 · 一千二百 | decimals, percent, thousands |
| 7:30 · 7:05 · 8:00 | 七点三十 · 七点零五 · 八点 | clock times |

两 and 二 are the same number, chosen by grammar (两个, 二号, 两千 = 二千), and a digit does not say which, so
两 becomes 二 on both sides; 〇 becomes 零 likewise. "20年" alone stays a year (二零年): when a speaker meant
twenty years, that costs one character.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from assistant.speech_text import english_number, to_simplified

_NUMBER_WORD = re.compile(
    r"^(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
    r"|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)$"
)
_DIGITS = "零一二三四五六七八九"
_FULLWIDTH = str.maketrans("０１２３４５６７８９．％：，", "0123456789.%:,")
_SAME_NUMBER = str.maketrans("两〇", "二零")
_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d,])")
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%")
_CLOCK = re.compile(r"(?<![\d.:])([01]?\d|2[0-3]):([0-5]\d)(?![\d:])")
# A year is read digit by digit; 年代, 年前, 年来 ... after it make it a number of years.
_YEAR = re.compile(r"(?<![\d.])(\d{4}|\d{2})(?=年(?!代|前|后|来|内|多|间|左右|半))")
_DECIMAL = re.compile(r"(\d+)\.(\d+)")
_INTEGER = re.compile(r"\d+")


def zh_units(text: str) -> list[str]:
    """Characters scored for CER: simplified, numbers read aloud, case-folded, without punctuation, symbols or
    spaces."""
    text = read_numerals(to_simplified(text)).casefold()
    return [ch for ch in text if not unicodedata.category(ch).startswith(("P", "S", "Z"))]


def en_units(text: str) -> list[str]:
    """Words scored for WER: lower case, no punctuation (apostrophes kept inside words), number words as digits."""
    words = re.sub(r"[^\w']+", " ", text.casefold().replace("’", "'")).split()
    words = [w.strip("'") for w in words if w.strip("'")]
    out: list[str] = []
    tens_word = False  # the last unit was a tens word ("forty"), so a following "five" makes 45, not "40 5"
    for word in words:
        value = english_number(word) if _NUMBER_WORD.match(word) else None
        if value is not None and 1 <= value <= 9 and tens_word:
            out[-1] = str(int(out[-1]) + value)
        else:
            out.append(word if value is None else str(value))
        tens_word = value is not None and value >= 20 and value % 10 == 0
    return out


def edit_distance(reference: Sequence[str], hypothesis: Sequence[str]) -> int:
    """Levenshtein distance: substitutions, deletions and insertions turning one sequence into the other."""
    previous = list(range(len(hypothesis) + 1))
    for i, ref in enumerate(reference, start=1):
        current = [i]
        for j, hyp in enumerate(hypothesis, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ref != hyp)))
        previous = current
    return previous[-1]


def read_numerals(text: str) -> str:
    """`text` with Arabic numerals (ASCII or full width) written as read aloud in Mandarin, 两 as 二 and 〇 as 零
    (the table in the module docstring). Pure; other characters unchanged."""
    text = text.translate(_FULLWIDTH)
    text = _THOUSANDS.sub(lambda m: m.group(0).replace(",", ""), text)
    text = _PERCENT.sub(lambda m: "百分之" + _number(m.group(1)), text)
    text = _CLOCK.sub(lambda m: _clock(int(m.group(1)), m.group(2)), text)
    text = _YEAR.sub(lambda m: _spell(m.group(1)), text)
    text = _DECIMAL.sub(lambda m: _integer(m.group(1)) + "点" + _spell(m.group(2)), text)
    text = _INTEGER.sub(lambda m: _integer(m.group(0)), text)
    return text.translate(_SAME_NUMBER)


def _number(digits: str) -> str:
    whole, _, fraction = digits.partition(".")
    return _integer(whole) + ("点" + _spell(fraction) if fraction else "")


def _clock(hour: int, minutes: str) -> str:
    if minutes == "00":
        return _positional(hour) + "点"
    return _positional(hour) + "点" + ("零" + _DIGITS[int(minutes[1])] if minutes[0] == "0" else _integer(minutes))


def _spell(digits: str) -> str:
    return "".join(_DIGITS[int(d)] for d in digits)


def _integer(digits: str) -> str:
    if len(digits) > 8 or (len(digits) > 1 and digits.startswith("0")):
        return _spell(digits)
    return _positional(int(digits))


def _positional(n: int) -> str:
    """0 ≤ n < 10**8 as counted: 十五, 一百零五, 二千零二十六, 一万零五, 十二万."""
    if n == 0:
        return "零"
    high, low = divmod(n, 10_000)
    text = _below_10_000(high) + "万" if high else ""
    if low:
        text += ("零" if high and low < 1000 else "") + _below_10_000(low)
    return text[1:] if text.startswith("一十") else text  # 十五, not 一十五 (but 一百一十五)


def _below_10_000(n: int) -> str:
    parts: list[str] = []
    gap = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit == 0:
            gap = bool(parts)
            continue
        parts.append(("零" if gap else "") + _DIGITS[digit] + unit)
        gap = False
    return "".join(parts)
