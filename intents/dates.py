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


def first_date(text: str, now: dt.datetime, lang: Literal["zh", "en", "mixed"] | None = None) -> DueMatch | None:
    """The first date expression in `text`, or None.

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


# A deadline said outright ("by Thursday", "周五前", "截止…"): preferred over a date earlier in the message that
# describes the work ("book the hotel for the trip next week, by thursday").
_PERIOD = re.compile(r"(?:next|this|the)\s+(?:week|month)|下周|下个?月|这周|本周|这个?月|本月", re.I)
_DEADLINE = re.compile(r"\b(?:by|before|due|until|till|no later than|deadline)\b|前|之前|以前|截止|截至|deadline", re.I)
# A correction or a move: "周四，不对，周五", "thursday no wait friday", "from thursday to friday".
_CORRECTION = re.compile(
    r"\s*(?:吧|呃|啊|嗯)?\s*[,，]?\s*(?:不对|不是|no\s*,?\s*(?:wait|sorry)|sorry\s*,?\s*no|wait|actually|i mean|sorry"
    r"|我是说|应该是|改成|改到)\s*[,，]?\s*(?:呃|嗯|uh|um)?\s*",
    re.I,
)
# A range inside the work ("统计11月1号到20号的工单量"): neither end is a deadline.
_AWAY_BEFORE = re.compile(
    r"\b(?:out|off|away|on leave|on vacation|on holiday)\s+(?:from|starting)\s*$|(?:请假|休假|出差)(?:从)?\s*$", re.I
)
_RANGE_AFTER = re.compile(r"\s*(?:到|至|~|～|-|–|to|through|thru)\s*\d+\s*(?:号|日|st|nd|rd|th)?")
# Words that set the new date of a task: after them is the date meant, whatever dates the background gives
# ("对方说测试账号下周才能开好……帮我把它改到下周三").
_SET_BEFORE = re.compile(
    r"(?:改到|改成|改为|推迟到|推到|延期到|延后到|延到|顺延到|挪到|提前到|调到|截止到|截止日期?(?:改成|是|为)|deadline(?:改成|是)"
    r"|\b(?:push(?:ed)?|move[ds]?|bump(?:ed)?|pull(?:ed)?\s+in|change[ds]?|set|extend(?:ed)?|reschedule[ds]?)\b[^,，。;；]{0,40}?\b(?:to|until)\s*)$",
    re.I,
)
_FROM_BEFORE = re.compile(r"(?:\bfrom|从)\s*$", re.I)
_TO_AFTER = re.compile(r"\s*(?:to|until|改到|改成|挪到|推到|到)\s*", re.I)
# The date of something done or begun, not a deadline: "今天上午联调通过", "今天正式开工了", "started it this morning".
_PAST = re.compile(
    r"^[^,，。;；!！?？]{0,12}?(?:通过|开工|上线了|开始了|完成了|开始做|开始弄|开始搞)"
    r"|\b(?:started|began|kicked off|went live)\b|this morning",
    re.I,
)
# Words that say the deadline does not change: "due date stays", "截止日期不变".
_UNCHANGED = re.compile(
    r"\b(?:due date|deadline) (?:stays|remains|is unchanged|doesn't change)\b|截止(?:日期|时间)?不变", re.I
)
# A trip or event with its date inside the work: "买下周去深圳出差的高铁票".
_TRIP_AFTER = re.compile(r"(?:去|到|回|来)[\u4e00-\u9fff]{1,6}?(?:出差|旅游|旅行|参会|开会|度假|玩|培训)的")


def parse_due(text: str, now: dt.datetime, lang: Literal["zh", "en", "mixed"] | None = None) -> DueMatch | None:
    """The due date of the message, or None: its first date expression, unless that is corrected or moved
    ("周四，不对，周五", "from thursday to friday"), describes the work while a deadline follows, or dates
    something already done or begun. Arguments as for `first_date`."""
    if _UNCHANGED.search(text):
        return None
    found = first_date(text, now, lang)
    if found is None:
        return None
    if _AWAY_BEFORE.search(text[max(0, found.start - 30) : found.start]):
        return _after(text, found.end, now, lang)  # "I'm out from tomorrow": an absence, not a deadline
    if span := _RANGE_AFTER.match(text, found.end):
        return _after(text, span.end(), now, lang)
    later = _after(text, found.end, now, lang)
    if not _SET_BEFORE.search(text[max(0, found.start - 60) : found.start]):
        following = later
        while following is not None:
            if _SET_BEFORE.search(text[max(0, following.start - 60) : following.start]):
                return following
            following = _after(text, following.end, now, lang)
    if later is not None:
        gap = text[found.end : later.start]
        moved = _FROM_BEFORE.search(text[: found.start]) and _TO_AFTER.fullmatch(gap)
        if _CORRECTION.fullmatch(gap):
            # "thursday no wait friday": the whole correction goes, so none of it stays in the title.
            return DueMatch(due=later.due, start=found.start, end=later.end, text=text[found.start : later.end])
        if moved:
            return later
        if _DEADLINE.search(later.text) and not _DEADLINE.search(found.text) and _PERIOD.fullmatch(found.text):
            return later
    if _TRIP_AFTER.match(text, found.end) and not _DEADLINE.search(found.text):
        return later
    if found.due == now.date() and not _DEADLINE.search(found.text) and _PAST.search(text[found.start :]):
        return None
    return found


def _after(text: str, offset: int, now: dt.datetime, lang: Literal["zh", "en", "mixed"] | None) -> DueMatch | None:
    rest = first_date(text[offset:], now, lang)
    if rest is None:
        return None
    return DueMatch(due=rest.due, start=rest.start + offset, end=rest.end + offset, text=rest.text)
