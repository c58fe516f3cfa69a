"""English due-date expressions: tmrw, by Friday, next Monday, end of the week, in 2 weeks, EOM, Dec 15th.

Explicit rules for the conventions in `intents.dates`; dateparser reads the long tail of written-out dates
("15th of December", "Thursday, Dec. 10th, '27"), and only on a span a rule has already found, so words like
"may", "march" or "sun" are never read as dates without a day number or a preposition beside them."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from typing import Protocol

from intents.dates import (
    DueMatch,
    Rule,
    add_business_days,
    add_months,
    bare_month_day,
    coming_weekday,
    day_of_month_ahead,
    end_of_week,
    lookback,
    month_day_ahead,
    month_end,
    safe_date,
    scan,
    week_day,
    weekend,
)

# ASCII word boundaries, so "提醒我tomorrow跟进" still has one between 我 and tomorrow.
_FLAGS = re.I | re.A
# Each day's name, its short forms and its common misspellings ("wendesday", "thrusday").
_DAY_NAMES = (
    "monday mon",
    "tuesday tues tue tuseday teusday",
    "wednesday weds wed wendesday wednsday wedensday wensday",
    "thursday thurs thur thu thrusday thursay",
    "friday fri firday",
)
_WEEKDAYS = {name: i for i, names in enumerate((*_DAY_NAMES, "saturday sat", "sunday sun")) for name in names.split()}
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_COUNTS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}
_COUNTS |= {"nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fourteen": 14, "fifteen": 15, "twenty": 20, "thirty": 30}
_WD = "|".join(sorted(_WEEKDAYS, key=len, reverse=True))
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_COUNT = rf"(?:\d{{1,3}}|{'|'.join(_COUNTS)}|(?:a\s+)?couple(?:\s+of)?)"
_UNIT = r"(business\s+days?|working\s+days?|days?|weeks?|months?|years?|hours?|hrs?)"
_PART = r"(early|beginning\s+of|start\s+of|mid|middle\s+of|late|end\s+of)"
_TIME = (
    r"(?:\d{1,2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)|\d{1,2}:\d{2}|noon|midnight|eod|cob"
    r"|end\s+of\s+(?:the\s+)?(?:day|business)|close\s+of\s+business)"
)
# Short weekday and month words that are also English words ("we sat", "you may", "march on") need a preposition.
# … or to stand as one item of a dash-separated list ("draft Q1 plan - Sam - fri - p1").
_PREPOSITION_BEFORE = re.compile(r"\b(?:by|on|before|until|till|til|due|from|for)\s+$|\s-\s+$", _FLAGS)
_LAST_ITEM_BEFORE = re.compile(r"[,，]\s*$")
_END = re.compile(r"\s*[.!?]*\s*$")
_SAFE_SHORT = frozenset({"Mon", "Tue", "Tues", "Thu", "Thur", "Thurs", "Fri"})
_WORDLIKE_MONTHS = frozenset({"may", "march", "mar"})


def _after_preposition(m: re.Match[str]) -> bool:
    return _PREPOSITION_BEFORE.search(m.string, lookback(m), m.start()) is not None


def _relative_day(m: re.Match[str], now: dt.datetime) -> dt.date:
    word = m.group(0).lower()
    days = 2 if "day after" in word else 1 if word.startswith(("tom", "tm", "2m")) else 0
    return now.date() + dt.timedelta(days=days)


def _weekday(m: re.Match[str], now: dt.datetime) -> dt.date | None:
    word, modifier, after = m.group(2), (m.group(1) or "").lower(), (m.group(3) or "").lower()
    last_item = _LAST_ITEM_BEFORE.search(m.string, lookback(m), m.start()) and _END.match(m.string, m.end())
    if not modifier and len(word) <= 5 and word not in _SAFE_SHORT and not _after_preposition(m) and not last_item:
        return None  # "sat", "sun", "wed" alone are words, not days ("…, fri" ending a list is one)
    weekday, today = _WEEKDAYS[word.lower()], now.date()
    ahead = 2 if "after next" in after else 1 if "next" in after or modifier in ("next", "following") else 0
    return week_day(today, weekday, ahead) if ahead else coming_weekday(today, weekday)


def _duration(m: re.Match[str], now: dt.datetime) -> dt.date:
    count, unit = m.group(1).lower(), m.group(2).lower()
    n = int(count) if count.isdigit() else 2 if "couple" in count else _COUNTS[count]
    if unit.startswith(("business", "working")):
        return add_business_days(now.date(), n)
    if unit.startswith(("month", "year")):
        return add_months(now.date(), n * (1 if unit.startswith("month") else 12))
    hours = 1 if unit.startswith("h") else 24 * (7 if unit.startswith("week") else 1)
    return (now + dt.timedelta(hours=n * hours)).date()


def _part_day(part: str, year: int, month: int) -> int:
    """Early or the start of a month is its 1st, mid its 15th, late or the end its last day."""
    part = part.lower()
    if part.startswith(("early", "beg", "start")):
        return 1
    return 15 if part.startswith("mid") else month_end(year, month).day


def _month_part(m: re.Match[str], now: dt.datetime) -> dt.date | None:
    today, which = now.date(), (m.group(2) or m.group(3) or "").lower()
    first = add_months(today.replace(day=1), 1 if which == "next" else 0)
    day = _part_day(m.group(1) or "end", first.year, first.month)
    if not which and day < today.day:
        return day_of_month_ahead(today, day)  # "mid-month" on the 24th is next month's
    return safe_date(first.year, first.month, day)


def _named_month_part(m: re.Match[str], now: dt.datetime) -> dt.date | None:
    today, month = now.date(), _MONTHS.index(m.group(2)[:3].lower()) + 1
    year = int(m.group(3)) if m.group(3) else None
    return month_day_ahead(today, month, _part_day(m.group(1), year or today.year, month), year)


def _year_part(m: re.Match[str], now: dt.datetime) -> dt.date:
    today, which, part = now.date(), (m.group(2) or m.group(3) or "").lower(), (m.group(1) or "end").lower()
    year = today.year + (which == "next")
    month = 1 if part.startswith(("early", "beg", "start")) else 6 if part.startswith("mid") else 12
    day = dt.date(year, month, month_end(year, month).day if month > 1 else 1)
    return day if day >= today or which else day.replace(year=year + 1)


def _quarter_end(m: re.Match[str], now: dt.datetime) -> dt.date:
    today, which = now.date(), (m.group(1) or m.group(2) or "").lower()
    last = add_months(today.replace(day=1), 2 - (today.month - 1) % 3 + (3 if which == "next" else 0))
    return month_end(last.year, last.month)


class _DateData(Protocol):
    """The part of dateparser's DateData used here."""

    date_obj: dt.datetime | None


class _DateParser(Protocol):
    """The part of dateparser's DateDataParser used here."""

    def get_date_data(self, date_string: str) -> _DateData: ...


@functools.cache
def _dateparser_class() -> Callable[..., _DateParser]:
    """dateparser's DateDataParser, imported on first use; its English data loads on the first parse, once."""
    from dateparser.date import DateDataParser  # type: ignore[import-untyped]

    parser_class: Callable[..., _DateParser] = DateDataParser
    return parser_class


def _written_date(m: re.Match[str], now: dt.datetime) -> dt.date | None:
    month_word = m.group("month1") or m.group("month2")
    if m.group("month2") and re.search(r"\bthe\s+$", m.string[: m.start()], re.I):
        return None  # "the Dec 12 parents' evening" names an event
    if month_word.islower() and month_word in _WORDLIKE_MONTHS and not _after_preposition(m):
        return None
    base = dt.datetime.combine(now.date(), dt.time())
    settings = {"PREFER_DATES_FROM": "future", "RELATIVE_BASE": base, "RETURN_AS_TIMEZONE_AWARE": False}
    settings["REQUIRE_PARTS"] = ["day", "month"]
    said = _ORDINAL_WORD.sub(lambda w: str(_ORDINALS[w.group(1).lower()]), m.group("date"))  # "the fifteenth of"
    found = _dateparser_class()(languages=["en"], settings=settings).get_date_data(said).date_obj
    if found is None:
        return None
    if m.group("year"):
        return found.date()
    # Without a year, today is still ahead ("Nov 24" on Nov 24), where dateparser's 'future' would skip a year.
    return month_day_ahead(now.date(), found.month, found.day)


def _day_only(m: re.Match[str], now: dt.datetime) -> dt.date | None:
    which = (m.group(2) or "").lower()
    return day_of_month_ahead(now.date(), int(m.group(1)), {"this": 0, "next": 1}.get(which))


def _numeric(m: re.Match[str], now: dt.datetime) -> dt.date | None:
    if m.group(1):
        return safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    first, second, year = int(m.group(4)), int(m.group(5)), m.group(6)
    if _RATIO_AFTER.match(m.string, m.end()):
        return None  # "3/4 done", "7/10 of the slides"
    if not year:
        # A bare "3/4" is as often a fraction or a score: it needs a preposition before it, or to stand alone
        # in a way a fraction never does ("12/18提交", ", 12/9").
        if not (_NUMERIC_BEFORE.search(m.string, lookback(m), m.start()) or bare_month_day(m.string, m)):
            return None
        return month_day_ahead(now.date(), first, second)
    full_year = int(year) + 2000 if len(year) == 2 else int(year)
    return safe_date(full_year, second, first) if first > 12 else safe_date(full_year, first, second)


_RATIO_AFTER = re.compile(r"\s*(?:done|complete|finished|through|of\b)", _FLAGS)
_NUMERIC_BEFORE = re.compile(r"\b(?:by|on|before|until|till|due|to|for|from|is|date|deadline)\s*:?\s*$", _FLAGS)
_ORDINALS = {
    word: n
    for n, word in enumerate(
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth "
        "fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split(),
        start=1,
    )
}
_ORDINALS |= {f"twenty{sep}{w}": 20 + _ORDINALS[w] for w in list(_ORDINALS)[:9] for sep in ("-", " ")}
_ORDINALS |= {"thirtieth": 30, "thirty-first": 31, "thirty first": 31}
_ORDINAL_WORD = re.compile(r"\b(" + "|".join(sorted(_ORDINALS, key=len, reverse=True)) + r")\b", _FLAGS)
_DAY = r"(?:\d{1,2}(?:st|nd|rd|th)?|" + _ORDINAL_WORD.pattern.removeprefix(r"\b(").removesuffix(r")\b") + ")"
# "by the 5th floor" is a place: a bare ordinal followed by a word is a date only before a small word.
_NOT_A_NOUN = (
    r"(?!\s+(?!(?:at|and|or|please|pls|so|if|to|for|then|eod|cob|morning|afternoon|evening|of|itself)\b)[a-z])"
)
# "the year-end party" names a thing; "by year end" is a time.
_NO_ARTICLE = r"(?<!\bthe\s)(?<!\ba\s)(?<!\ban\s)(?<!\bour\s)(?<!\bthis\s)"

_RULES = (
    Rule(
        re.compile(
            r"\b(?:(?:the\s+)?day\s+after\s+(?:tomorrow|tmrw?)|today|tonight|tonite"
            r"|this\s+(?:morning|afternoon|evening)|eod|eob|cob|end\s+of\s+(?:the\s+)?(?:day|today|business)"
            r"|close\s+of\s+business"
            r"|tomorrow|tomorow|tommorow|tommorrow|tmrw|tmr|tmw|2moro|2morrow)\b",
            _FLAGS,
        ),
        _relative_day,
    ),
    Rule(
        re.compile(
            r"(?<!last\s)(?<!past\s)(?<!every\s)(?<!black\s)(?<!cyber\s)"
            rf"\b(?:(this\s+coming|this|next|coming|the\s+coming|following|the\s+following)\s+)?({_WD})\b(?!\.\w)\.?"
            r"(?:\s+((?:of\s+)?next\s+week|(?:of\s+)?this\s+week|after\s+next))?",
            _FLAGS,
        ),
        _weekday,
    ),
    Rule(
        re.compile(
            r"\b(?:(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?week|eow|(?<!earlier\s)this\s+week(?!'s|\s+ago)"
            r"|within\s+(?:the\s+|this\s+)?week)\b",
            _FLAGS,
        ),
        lambda m, now: end_of_week(now.date()),
    ),
    Rule(
        re.compile(r"\b(?:(?:the\s+)?end\s+of\s+next\s+week|next\s+week(?!'s))\b", _FLAGS),
        lambda m, now: end_of_week(now.date(), 1),
    ),
    Rule(re.compile(r"\b(?:the\s+)?week\s+after\s+next\b", _FLAGS), lambda m, now: end_of_week(now.date(), 2)),
    Rule(
        re.compile(rf"\b(?:(by|before)\s+)?(?:(next)\s+|this\s+|the\s+)?weekend\b(?!'s){_NOT_A_NOUN}", _FLAGS),
        lambda m, now: (end_of_week if m.group(1) else weekend)(now.date(), 1 if m.group(2) else 0),
    ),
    Rule(
        re.compile(
            r"\b(?:in|within|inside\s+of|in\s+the\s+next|within\s+the\s+next|over\s+the\s+next)"
            rf"\s+({_COUNT})\s+{_UNIT}\b",
            _FLAGS,
        ),
        _duration,
    ),
    Rule(re.compile(rf"\b({_COUNT})\s+{_UNIT}\s+from\s+(?:now|today)\b", _FLAGS), _duration),
    Rule(
        re.compile(
            rf"\b(?:the\s+)?{_PART}[\s-]*(?:the\s+)?(?:(this|next)\s+)?month\b(?!'s)"
            rf"|{_NO_ARTICLE}\b(?:(this|next)\s+)?month[\s-]end\b|\beom\b",
            _FLAGS,
        ),
        _month_part,
    ),
    Rule(re.compile(rf"\b(?:the\s+)?{_PART}[\s-]*({_MONTH})\b\.?(?:,?\s+(\d{{4}}))?", _FLAGS), _named_month_part),
    Rule(
        re.compile(
            rf"\b(?:the\s+)?{_PART}[\s-]*(?:the\s+)?(?:(this|next)\s+)?year\b(?!'s)"
            rf"|{_NO_ARTICLE}\b(?:(this|next)\s+)?year[\s-]end\b|\beoy\b",
            _FLAGS,
        ),
        _year_part,
    ),
    Rule(
        re.compile(
            r"\b(?:the\s+)?end\s+of\s+(?:the\s+)?(?:(this|next)\s+)?quarter\b"
            r"|\b(?:(this|next)\s+)?quarter[\s-]end\b|\beoq\b",
            _FLAGS,
        ),
        _quarter_end,
    ),
    Rule(
        re.compile(
            rf"\b(?:(?:{_WD})\.?,?\s+)?(?P<date>(?:the\s+)?(?:{_DAY}(?:\s+of)?\s+(?P<month1>{_MONTH})\b\.?"
            rf"|(?P<month2>{_MONTH})\b\.?\s+(?:the\s+)?{_DAY}\b)(?:,?\s+(?P<year>\d{{4}}|'\d{{2}})\b)?)",
            _FLAGS,
        ),
        _written_date,
    ),
    Rule(
        re.compile(
            rf"\b(?:on|by|before|until|till|to|for|due(?:\s+on|\s+by)?)\s+the\s+(\d{{1,2}})(?:st|nd|rd|th)\b"
            rf"(?!\s+(?:of\s+)?{_MONTH}\b)(?:\s+of\s+(this|next)\s+month)?{_NOT_A_NOUN}",
            _FLAGS,
        ),
        _day_only,
    ),
    Rule(
        re.compile(
            r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b"
            r"|(?<![\d/.])(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?(?![\d/%])(?!\s+of\b)",
            re.A,
        ),
        _numeric,
    ),
)
_PREFIX = re.compile(
    r"(?:\b(?:due\s+(?:on\s+|by\s+|before\s+)?"
    r"|(?:by|before|until|till|til|on|no\s+later\s+than|not\s+later\s+than)\s+))?(?:first\s+thing\s+)?"
    rf"(?:(?:at\s+)?{_TIME}\s+(?:on\s+)?)?$",
    _FLAGS,
)
_SUFFIX = re.compile(
    rf"(?:,?\s*(?:at\s+|by\s+|before\s+|around\s+|@\s*)?(?:{_TIME}|morning|afternoon|evening|night)(?!\w))?"
    r"(?:\s+at\s+the\s+latest)?",
    _FLAGS,
)
# "Friday's demo", "tomorrow's standup": the date names a thing in the title, it is not when the task is due.
_ATTRIBUTIVE = re.compile(r"['’]s\b")


def parse_due_en(text: str, now: dt.datetime) -> DueMatch | None:
    """The first English due-date expression in `text` as of `now` (aware, in the user's zone), or None."""
    return scan(text, now, _RULES, _PREFIX, _SUFFIX, _ATTRIBUTIVE)
