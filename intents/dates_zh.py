"""Chinese due-date expressions: 周五前, 下周三之前, 三天后, 月底, 十二月十五号, 2027年1月5日, 12.15前.

Explicit rules for the conventions in `intents.dates`; Chinese numerals (十五, 二十三, 廿三, 两) are read here too."""

from __future__ import annotations

import datetime as dt
import re

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

_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_PART_DAY = {"初": 1, "上旬": 10, "中": 15, "中旬": 20}  # 底, 末, 下旬 and 内 mean the month's last day
_HAN_NUM = "零〇一二两三四五六七八九十廿"
_NUM = rf"(?:\d{{1,2}}|[{_HAN_NUM}]{{1,3}})"
_YEAR = r"(?:(\d{4}|\d{2}|[〇零一二三四五六七八九]{4})年|([今明后])年)"
_MONTH_PREFIX = r"(下下个?|下个?|本|这个?)"
# A number or 上/每 just before: last week's Friday, every Friday, 两周三次 are not deadlines.
_NO_NUMBER_BEFORE = rf"(?<![上每个第\d{_HAN_NUM}])"
_NOT_INSIDE = r"(?![容部存网测置核])"  # 内 of 内容, 内测
_NOT_FRONT = r"(?![端台期面后天])"  # 前 of 前端, 前后


def zh_number(token: str) -> int | None:
    """12, 十二, 二十三, 廿三, 两, 二〇二七 → int; None when the token is not a number."""
    if token.isdigit():
        return int(token)
    if len(token) == 1 and token in _DIGIT:
        return _DIGIT[token]
    if len(token) == 4 and all(ch in _DIGIT for ch in token):  # a year read digit by digit
        value = 0
        for ch in token:
            value = value * 10 + _DIGIT[ch]
        return value
    for ten, base in (("十", 10), ("廿", 20)):
        tens, found, ones = token.partition(ten)
        if found:
            if len(tens) > 1 or len(ones) > 1 or any(ch not in _DIGIT for ch in tens + ones):
                return None
            return (_DIGIT[tens] if tens else 1) * base + (_DIGIT[ones] if ones else 0)
    return None


def _ahead(prefix: str | None) -> int:
    """Weeks or months on: 下下 two, 下 one, 这/本/nothing none."""
    return 2 if prefix and prefix.startswith("下下") else 1 if prefix and prefix.startswith("下") else 0


def _year(digits: str | None, relative: str | None, today: dt.date) -> int | None:
    if digits:
        year = zh_number(digits)
        return None if year is None else year + 2000 if year < 100 else year
    return today.year + "今明后".index(relative) if relative else None


def _rough_count(token: str) -> int | None:
    """一两, 三五: a rough count, whose upper end is the deadline; otherwise the number."""
    if len(token) == 2 and all(ch in _DIGIT for ch in token) and _DIGIT[token[0]] < _DIGIT[token[1]]:
        return _DIGIT[token[1]]
    return zh_number(token)


def _relative_day(m: re.Match[str], now: dt.datetime) -> dt.date:
    word = m.group(0)
    days = 3 if word[0] == "大" else 2 if word[0] == "后" else 1 if word[0] == "明" or word[:2] == "今明" else 0
    return now.date() + dt.timedelta(days=days)


# "订周六部门聚餐的包间": a day right after a verb of arranging names the event arranged, unless 前 makes it a deadline.
_EVENT_VERB = re.compile(r"(?:订|预订|预定|约|准备|筹备|安排|组织|策划|彩排|布置|参加)$")
_DEADLINE_AFTER = re.compile(r"(?:的?(?:早上|上午|中午|下午|晚上))?(?:之前|以前|前|为止|截止)")
# "李娜这周请假": the week someone is away, not when the task is due.
_AWAY = r"(?!请假|休假|休息|出差|不在|年假|调休)"


def _weekday(m: re.Match[str], now: dt.datetime) -> dt.date | None:
    if _EVENT_VERB.search(m.string, lookback(m), m.start()) and not _DEADLINE_AFTER.match(m.string, m.end()):
        return None
    today, weekday, ahead = now.date(), _WEEKDAY[m.group(2)], _ahead(m.group(1))
    return week_day(today, weekday, ahead) if ahead else coming_weekday(today, weekday)


def _week(m: re.Match[str], now: dt.datetime) -> dt.date | None:
    if _EVENT_VERB.search(m.string, lookback(m), m.start()) and not _DEADLINE_AFTER.match(m.string, m.end()):
        return None
    today, ahead = now.date(), _ahead(m.group(1))
    if (m.group(2) or m.group(3)) and not m.group(4):
        return weekend(today, ahead)  # 周末, 下周末: the Saturday; 周末前 is the Friday like 本周
    return end_of_week(today, ahead)


def _duration(m: re.Match[str], now: dt.datetime) -> dt.date | None:
    count, unit = m.group(1), m.group(4)
    n = 0.5 if count == "半" else _rough_count(count)
    if n is None or (unit == "月" and not m.group(2)):  # 三月后 is "after March", not three months
        return None
    n += 0.5 if m.group(3) else 0  # 一个半月
    if unit in ("月", "年"):
        day = add_months(now.date(), int(n) * (1 if unit == "月" else 12))
        if n % 1:
            return add_months(day, 6) if unit == "年" else day + dt.timedelta(days=15)
        return day
    if unit == "工作日":
        return add_business_days(now.date(), int(n))
    hours = {"天": 24, "日": 24, "周": 168, "星期": 168, "礼拜": 168, "小时": 1, "钟头": 1, "分钟": 1 / 60}[unit]
    return (now + dt.timedelta(hours=n * hours)).date()


def _month_part(m: re.Match[str], now: dt.datetime) -> dt.date | None:
    today, part = now.date(), m.group(6)
    if m.group(3):  # a named month: 12月底, 2027年3月初
        month = zh_number(m.group(3))
        if month is None or not 1 <= month <= 12:
            return None
        year = _year(m.group(1), m.group(2), today)
        day = _PART_DAY.get(part, month_end(year or today.year, month).day)
        return month_day_ahead(today, month, day, year)
    first = add_months(today.replace(day=1), _ahead(m.group(4)))
    day = _PART_DAY.get(part, month_end(first.year, first.month).day)
    if m.group(5) and day < today.day:
        return day_of_month_ahead(today, day)  # a bare 月初 on the 24th is next month's
    return safe_date(first.year, first.month, day)


def _year_part(m: re.Match[str], now: dt.datetime) -> dt.date:
    today = now.date()
    year = int(m.group(2)) if m.group(2) else today.year + (m.group(1) == "明")
    month, day = {"初": (1, 1), "中": (6, 30)}.get(m.group(3), (12, 31))
    if m.group(1) or m.group(2) or dt.date(year, month, day) >= today:
        return dt.date(year, month, day)
    return dt.date(year + 1, month, day)  # a bare 年初 in November is next year's


def _quarter_end(m: re.Match[str], now: dt.datetime) -> dt.date:
    today = now.date()
    last = add_months(today.replace(day=1), 2 - (today.month - 1) % 3 + 3 * _ahead(m.group(1)))
    return month_end(last.year, last.month)


def _named_quarter_end(m: re.Match[str], now: dt.datetime) -> dt.date | None:
    quarter = zh_number(m.group(1) or m.group(2))
    return None if quarter is None else month_day_ahead(now.date(), 3 * quarter, 31 if quarter in (1, 4) else 30)


_HOLIDAYS = {"元旦": (1, 1), "五一": (5, 1), "劳动节": (5, 1), "国庆": (10, 1), "平安夜": (12, 24), "圣诞": (12, 25)}
_HOLIDAYS |= {"双十一": (11, 11), "双11": (11, 11), "双十二": (12, 12), "双12": (12, 12)}


def _date(m: re.Match[str], now: dt.datetime) -> dt.date | None:
    today = now.date()
    month, day = zh_number(m.group(3)), zh_number(m.group(4))
    if month is None or day is None:
        return None
    return month_day_ahead(today, month, day, _year(m.group(1), m.group(2), today))


def _day_only(m: re.Match[str], now: dt.datetime) -> dt.date | None:
    day = zh_number(m.group(2) or m.group(3))
    if day is None:
        return None
    return day_of_month_ahead(now.date(), day, _ahead(m.group(1)) if m.group(2) else None)


def _numeric(m: re.Match[str], now: dt.datetime) -> dt.date | None:
    if m.group(1):
        return safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    # A bare "12.15" or "12/15" is as often a version, a ratio or a score: it needs a date word beside it.
    context = _NUMERIC_BEFORE.search(m.string, lookback(m), m.start()) or _NUMERIC_AFTER.match(m.string, m.end())
    if not (context or ("/" in m.group(0) and bare_month_day(m.string, m))):
        return None
    return month_day_ahead(now.date(), int(m.group(4)), int(m.group(5)))


_NUMERIC_BEFORE = re.compile(
    r"(?:在|于|到|至|截止|截至|改成|改为|定在|(?:日期|时间|期限|ddl|deadline|due)(?:是|为|改为|定为)?)\s*[：:]?\s*$",
    re.I,
)
_NUMERIC_AFTER = re.compile(r"\s*(?:号|日|前|之前|以前|截止|为止)")

_RULES = (
    Rule(
        re.compile(r"今明两?天|大后天|(?<![之以然最落])后天|明天|明日|明早|明晚|明儿|今天|今日|今晚|今早|今儿|当天"),
        _relative_day,
    ),
    Rule(re.compile(r"下班(?:之前|以前|前)"), lambda m, now: now.date()),
    Rule(re.compile(rf"(?:(下下|下|这|本)个?|{_NO_NUMBER_BEFORE})(?:周|星期|礼拜)([一二三四五六日天])"), _weekday),
    Rule(
        re.compile(
            rf"(?:(下下|下|这|本)个?(?:周|星期|礼拜)(末)?|{_NO_NUMBER_BEFORE}(周末))(?![期刊年一二三四五六日天]){_AWAY}"
            rf"(?:之内|以内|内{_NOT_INSIDE}|(之前|以前|前{_NOT_FRONT}))?"
        ),
        _week,
    ),
    Rule(
        re.compile(
            rf"(?<![\d第每])(\d{{1,3}}|[{_HAN_NUM}]{{1,3}}|半)(个)?(半)?"
            r"(天|日|周|星期|礼拜|月|年|工作日|小时|钟头|分钟)"
            rf"(?:以后|之后|后|之内|以内|内{_NOT_INSIDE})"
        ),
        _duration,
    ),
    Rule(
        re.compile(
            rf"(?:{_YEAR}?(?<![上每个\d{_HAN_NUM}])(\d{{1,2}}|[一二三四五六七八九十]{{1,3}})月份?"
            rf"|(?<![上每])(?<!上个){_MONTH_PREFIX}月|(?<![上每个本这下\d{_HAN_NUM}])(月))"
            rf"(初|上旬|中旬|下旬|中(?![文心国间])|底|末|内{_NOT_INSIDE})"
        ),
        _month_part,
    ),
    Rule(
        re.compile(
            rf"(?:([今明])年|(\d{{4}})年|(?<![上去前每个半\d{_HAN_NUM}年])年)年?"
            rf"(初|中(?![文心国间])|底|末|内{_NOT_INSIDE})"
        ),
        _year_part,
    ),
    Rule(re.compile(rf"(?<![上第Qq\d{_HAN_NUM}])(?<!上个)(下个?|本|这个?)?(?:季度|季)(?:末|底|内)"), _quarter_end),
    Rule(re.compile(r"(?:第?([一二三四1-4])季度|(?<![A-Za-z])[Qq]([1-4]))(?:末|底|结束)"), _named_quarter_end),
    # Fixed-date holidays, only as a deadline: "双十二活动方案" names an event, "国庆后" is some day after it.
    Rule(
        re.compile(rf"(?<![\d{_HAN_NUM}])({'|'.join(_HOLIDAYS)})(?:节)?(?=之前|以前|前)"),
        lambda m, now: month_day_ahead(now.date(), *_HOLIDAYS[m.group(1)]),
    ),
    Rule(
        re.compile(
            rf"(?<![\d.]){_YEAR}?(\d{{1,2}}|[一二三四五六七八九十]{{1,3}})月"
            rf"(\d{{1,2}}(?!\d)|[{_HAN_NUM}]{{1,3}}(?=[号日]))(?:号|日)?(?!个)"
        ),
        _date,
    ),
    Rule(
        re.compile(
            rf"{_MONTH_PREFIX}月的?({_NUM})(?:号|日)"
            rf"|(?<![\d.第月号{_HAN_NUM}])({_NUM})号(?![楼线室栋座层位门窗床房机台车口店组桌院馆厅码]|会议室)"
        ),
        _day_only,
    ),
    Rule(
        re.compile(
            r"(?<![0-9A-Za-z.\-/])(?:(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})|(\d{1,2})[./](\d{1,2}))(?![0-9A-Za-z.%/\-])"
        ),
        _numeric,
    ),
)
_CLOCK = rf"(?:[\d{_HAN_NUM}]{{1,3}}(?:点|时)(?:半|一刻|三刻|[\d{_HAN_NUM}]{{1,3}}分?)?|\d{{1,2}}[:：]\d{{2}})"
_PERIOD = r"(?:早上|早晨|上午|中午|下午|晚上|傍晚|凌晨|夜里|下班|上班)"
_PREFIX = re.compile(
    r"(?:(?:截止到|截止至|截止|截至|最晚|最迟|不晚于|不迟于)\s*)?"
    r"(?:(?<![现存正实所好还内])在|(?<![关对由属等基鉴至处终])于)?$"
)
_SUFFIX = re.compile(
    rf"(?:的?(?:{_PERIOD}?{_CLOCK}|{_PERIOD}))?"
    rf"(?:之前|以前|前{_NOT_FRONT}|为止|截止|之内|以内|内{_NOT_INSIDE})?"
)


# "准备周四的客户演示": a date before 的 describes the thing to do; it is not when the task is due.
_ATTRIBUTIVE = re.compile(r"的")


def parse_due_zh(text: str, now: dt.datetime) -> DueMatch | None:
    """The first Chinese due-date expression in `text` as of `now` (aware, in the user's zone), or None."""
    return scan(text, now, _RULES, _PREFIX, _SUFFIX, _ATTRIBUTIVE)
