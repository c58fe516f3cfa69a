"""From what Whisper wrote to what Qiao parses. Pure: text in, text out.

`to_simplified`: Whisper often answers Mandarin in traditional characters (Taiwan usage: 帶著, 週, 後臺); OpenCC's
`tw2s` table turns them into simplified ones, character variants only (no vocabulary swaps such as 資料庫 → 数据库),
and leaves simplified text and Latin letters as they are.

`normalize_spoken`: spoken numbers that the due-date parser in `intents.dates_*` does not read become digits.
It already reads 二十号, 十二月二十五号, 二〇二七年, "December 25th", "by the 25th" and "in three days", so only
these change: English ordinals said in words next to a date ("the twenty fifth of December" → "the 25th of
December", "by the fifth"), number words in a span of time or after a month ("in twenty one days",
"thirteen days from now", "December twenty five"), and Chinese numbers with 百 or 千 before a date unit
(一百天后, 两千零二十七年).
"""

from __future__ import annotations

import functools
import re
import threading

import opencc

_ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen"
_ONES += " seventeen eighteen nineteen"
_CARDINALS = {word: n for n, word in enumerate(_ONES.split())}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_ORD_ONES = "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth"
_ORD_ONES += " fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth"
_ORDINALS = {word: n for n, word in enumerate(_ORD_ONES.split(), start=1)} | {"twentieth": 20, "thirtieth": 30}

# Capitalised as Whisper writes them, so "you may one day" or "march on" are not dates.
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?"
    r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_UNIT = r"(?:business\s+days?|working\s+days?|days?|weeks?|months?|years?|hours?)"
_ORD_ONES_RE = "|".join(sorted((w for w, n in _ORDINALS.items() if n < 10), key=len, reverse=True))
_ORDINAL = rf"(?:(?:twenty|thirty)[\s-]+(?:{_ORD_ONES_RE})|{'|'.join(sorted(_ORDINALS, key=len, reverse=True))})"
_CARD_ONES_RE = "|".join(w for w, n in _CARDINALS.items() if 0 < n < 10)
_CARDINAL = (
    rf"(?:(?:{'|'.join(_TENS)})(?:[\s-]+(?:{_CARD_ONES_RE}))?|{'|'.join(sorted(_CARDINALS, key=len, reverse=True))})"
)
_I = "(?i:{})"
# An ordinal is a day of the month only beside a month or after "by the", "on the" ...: "the first draft" stays.
_ORDINAL_RULES = (
    re.compile(rf"\b(?P<pre>{_MONTH}\.?\s+(?:the\s+)?)(?P<n>{_I.format(_ORDINAL)})\b", re.A),
    re.compile(rf"\b(?P<pre>)(?P<n>{_I.format(_ORDINAL)})(?=\s+of\s+{_MONTH}\b)", re.A),
    re.compile(rf"\b(?P<pre>(?i:by|on|before|until|till|due)\s+the\s+)(?P<n>{_I.format(_ORDINAL)})\b", re.A),
)
_CARDINAL_RULES = (
    re.compile(rf"\b(?P<pre>(?i:in|within|next)\s+)(?P<n>{_I.format(_CARDINAL)})(?=\s+{_I.format(_UNIT)}\b)", re.A),
    re.compile(rf"\b(?P<pre>)(?P<n>{_I.format(_CARDINAL)})(?=\s+{_I.format(_UNIT)}\s+from\s+(?i:now|today)\b)", re.A),
    re.compile(rf"\b(?P<pre>{_MONTH}\.?\s+)(?P<n>{_I.format(_CARDINAL)})\b(?!\s+{_I.format(_UNIT)}\b)", re.A),
)

_ZH_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
# A digit, then 百 or 千, then more of the number, then a date unit: 百分之 and 千万 (by all means) are left alone.
_ZH_BIG = re.compile(
    r"[一二两三四五六七八九][百千][零〇一二两三四五六七八九十百]*(?=天|日|周|星期|礼拜|个|月|年|小时|号|工作日)"
)
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_lock = threading.Lock()


@functools.cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("tw2s.json")


def to_simplified(text: str) -> str:
    """`text` with traditional Chinese characters turned simplified; other characters unchanged."""
    with _lock:  # one shared C++ converter; a conversion takes microseconds
        converted: str = _converter().convert(text)
    return converted


def normalize_spoken(text: str) -> str:
    """`text` with the spoken numbers the date parser misses written as digits (see the module docstring)."""
    text = text.translate(_FULLWIDTH_DIGITS)
    text = _ZH_BIG.sub(lambda m: _zh_big(m.group(0)), text)
    for rule in _ORDINAL_RULES:
        text = rule.sub(lambda m: m.group("pre") + ordinal_suffix(english_number(m.group("n"))), text)
    for rule in _CARDINAL_RULES:
        text = rule.sub(lambda m: m.group("pre") + str(english_number(m.group("n"))), text)
    return text


def english_number(words: str) -> int:
    """0-99 said in words ("seven", "twenty one", "thirty-first") → int. Raises KeyError for other words."""
    total = 0
    for word in re.split(r"[\s-]+", words.lower()):
        total += _TENS.get(word) or _CARDINALS.get(word) or _ORDINALS[word]
    return total


def ordinal_suffix(n: int) -> str:
    """1 → "1st", 22 → "22nd", 13 → "13th"."""
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th') }"


def _zh_big(token: str) -> str:
    """一百 → 100, 三百六十五 → 365, 两千零二十七 → 2027; the token unchanged when it is not a number."""
    total, current = 0, 0
    for ch in token:
        if ch in _ZH_DIGITS:
            current = _ZH_DIGITS[ch]
        elif ch in "十百千":
            total += (current or 1) * {"十": 10, "百": 100, "千": 1000}[ch]
            current = 0
    return str(total + current)
