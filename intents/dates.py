"""Due dates in a message: the shared result type, the calendar arithmetic both languages use, and `parse_due`,
which picks the first due-date expression in Chinese, English or mixed text. Pure: text and `now` in, no I/O.

Conventions: weeks start on Monday; times of day are ignored; a date that has already passed this week, month or
year means the next one; "this week" as a deadline means its Friday (its Sunday once the weekend has begun)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

FRIDAY, SATURDAY, SUNDAY = 4, 5, 6
# Attached words ("no later than", "截止到") are short; searching further back only costs time on long texts.
LOOKBACK_CHARS = 40


@dataclass(frozen=True)
class DueMatch:
    """A due date and where it was said: `text[start:end]`, with attached words (前, 之前, by, before, on, due)."""

    due: dt.date
    start: int
    end: int
    text: str


Resolver = Callable[[re.Match[str], dt.datetime], dt.date | None]


@dataclass(frozen=True)
class Rule:
    """A pattern and how to turn one of its matches into a date (None: the match is not a date after all)."""

    pattern: re.Pattern[str]
    resolve: Resolver


def scan(
    text: str,
    now: dt.datetime,
    rules: Sequence[Rule],
    prefix: re.Pattern[str],
    suffix: re.Pattern[str],
    attributive: re.Pattern[str],
) -> DueMatch | None:
    """The earliest match of any rule, widened by `prefix` (searched up to the match) and `suffix` (matched after it).

    A match followed by `attributive` (的, 's) describes a thing rather than a deadline and is passed over.
    On the same start the longer span wins, then the earlier rule, so "大后天" beats "后天" and "下周五" beats "下周".
    """
    best: tuple[int, int, int, dt.date] | None = None
    for order, rule in enumerate(rules):
        for m in rule.pattern.finditer(text):
            if best is not None and lookback(m) > best[0]:
                break  # not even its attached words could reach back to the best match so far
            due = rule.resolve(m, now)
            if due is None:
                continue
            before = prefix.search(text, lookback(m), m.start())
            after = suffix.match(text, m.end())
            start = before.start() if before else m.start()
            end = after.end() if after else m.end()
            if attributive.match(text, end):
                continue
            if best is None or (start, -end, order) < (best[0], -best[1], best[2]):
                best = (start, end, order, due)
    if best is None:
        return None
    start, end, _, due = best
    return DueMatch(due=due, start=start, end=end, text=text[start:end])


def lookback(m: re.Match[str]) -> int:
    """Where to start looking for words attached before a match: a few words back, not the whole text."""
    return max(0, m.start() - LOOKBACK_CHARS)


def week_day(today: dt.date, weekday: int, weeks_ahead: int = 0) -> dt.date:
    """`weekday` (Monday = 0) of the week `weeks_ahead` weeks after today's."""
    return today + dt.timedelta(days=weekday - today.weekday() + 7 * weeks_ahead)


def coming_weekday(today: dt.date, weekday: int) -> dt.date:
    """`weekday` of this week, or of next week if it has already passed."""
    day = week_day(today, weekday)
    return day if day >= today else day + dt.timedelta(days=7)


def end_of_week(today: dt.date, weeks_ahead: int = 0) -> dt.date:
    """Friday of that week; this week's Sunday when today is already Saturday or Sunday."""
    if weeks_ahead == 0 and today.weekday() >= SATURDAY:
        return week_day(today, SUNDAY)
    return week_day(today, FRIDAY, weeks_ahead)


def weekend(today: dt.date, weeks_ahead: int = 0) -> dt.date:
    """Saturday of that week (today, if that Saturday is yesterday)."""
    return max(week_day(today, SATURDAY, weeks_ahead), today)


def month_end(year: int, month: int) -> dt.date:
    """The last day of the month."""
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the end of a shorter month (Jan 31 + 1 → Feb 28)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def add_business_days(day: dt.date, days: int) -> dt.date:
    """`days` working days (Monday to Friday) after `day`."""
    while days > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < SATURDAY:
            days -= 1
    return day


def safe_date(year: int, month: int, day: int) -> dt.date | None:
    """The date, or None when it does not exist (Feb 30, month 13)."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def month_day_ahead(today: dt.date, month: int, day: int, year: int | None = None) -> dt.date | None:
    """Month and day in `year`; without a year, this year's, or next year's once this year's has passed."""
    if year is not None:
        return safe_date(year, month, day)
    for candidate_year in (today.year, today.year + 1):
        found = safe_date(candidate_year, month, day)
        if found is not None and found >= today:
            return found
    return None


def day_of_month_ahead(today: dt.date, day: int, months_ahead: int | None = None) -> dt.date | None:
    """The `day` of this month (or of the month `months_ahead` away); without an offset, next month's once passed."""
    first = today.replace(day=1)
    if months_ahead is not None:
        month = add_months(first, months_ahead)
        return safe_date(month.year, month.month, day)
    for offset in (0, 1, 2):
        month = add_months(first, offset)
        found = safe_date(month.year, month.month, day)
        if found is not None and found >= today:
            return found
    return None


# What may stand right before and after a bare "12/9" that is a date: an edge, a pause or a Chinese word, never
# a number word, a sign or an English word that makes it a ratio ("3/4 done", "rated 7/10", "第1/3").
_BARE_BEFORE = re.compile(r"(?:^|[\s,，:：;；(（]|(?<=[\u4e00-\u9fff])(?<![第共约近]))$")
_BARE_AFTER = re.compile(
    r"(?:$|[\s,，。.;；!！)）]|[\u4e00-\u9fff])(?![\s]*(?:done|complete|finished|完成|的进度|份|页|个|人))", re.I
)


def bare_month_day(text: str, m: re.Match[str]) -> bool:
    """Whether a slash "month/day" with nothing attached reads as a date: a real month and day that is not
    two small numbers (a fraction, score or ratio: 3/4, 3/2, 7/10), standing apart from words that make a ratio."""
    numbers = [int(n) for n in re.findall(r"\d+", m.group(0))]
    if len(numbers) != 2:
        return False
    month, day = numbers
    if not (1 <= month <= 12 and 1 <= day <= 31) or max(month, day) <= 10:
        return False
    return bool(_BARE_BEFORE.search(text[: m.start()]) and _BARE_AFTER.match(text, m.end()))


def parse_due(text: str, now: dt.datetime, lang: Literal["zh", "en", "mixed"] | None = None) -> DueMatch | None:
    """The first due-date expression in `text`, or None.

    `now` is timezone-aware and already in the user's zone: only its date (and hour, for "in 3 hours") counts.
    For "zh" or "en" that language's parser goes first and the other is a fallback; for "mixed" or None both run
    and the expression that starts first wins.
    """
    # Imported here because both parsers import DueMatch and the calendar helpers from this module.
    from intents.dates_en import parse_due_en
    from intents.dates_zh import parse_due_zh

    if lang == "zh":
        return parse_due_zh(text, now) or parse_due_en(text, now)
    if lang == "en":
        return parse_due_en(text, now) or parse_due_zh(text, now)
    found = [m for m in (parse_due_zh(text, now), parse_due_en(text, now)) if m is not None]
    return min(found, key=lambda m: (m.start, -m.end), default=None)
