"""Dates as health sites write them: ISO, US and European numbers, month names, month-year.

Returns the date and how precise it was, so "August 2026" is compared as a month and never
reported as in the future during August.
"""

from __future__ import annotations

import calendar
import datetime as _dt
from dataclasses import dataclass
from typing import Literal

import regex

Precision = Literal["day", "month", "year"]

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_MONTH = r"(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"

DATE_PATTERN = regex.compile(
    rf"""(?ix)
    (?P<iso>(?P<iy>\d{{4}})[-/.](?P<im>\d{{1,2}})[-/.](?P<id>\d{{1,2}}))
        (?:[T\ ]\d{{1,2}}:\d{{2}}(?::\d{{2}}(?:\.\d+)?)?(?:Z|[+-]\d{{2}}:?\d{{2}})?)?
    | (?P<num>(?P<n1>\d{{1,2}})[/.-](?P<n2>\d{{1,2}})[/.-](?P<ny>\d{{4}}|\d{{2}}))
    | (?P<mdy>(?P<mm>{_MONTH})\s+(?P<md>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<my>\d{{4}}))
    | (?P<dmy>(?P<dd>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<dm>{_MONTH}),?\s+(?P<dy>\d{{4}}))
    | (?P<my_only>(?P<om>{_MONTH}),?\s+(?P<oy>\d{{4}}))
    """
)


@dataclass(frozen=True)
class ParsedDate:
    value: _dt.date | None  # None: looked like a date but is not a real one (31/02/2026)
    precision: Precision
    text: str
    start: int = 0
    end: int = 0
    error: str = ""

    def latest(self) -> _dt.date | None:
        """The last day the date can mean (end of the month for "August 2026")."""
        if self.value is None:
            return None
        if self.precision == "month":
            last = calendar.monthrange(self.value.year, self.value.month)[1]
            return self.value.replace(day=last)
        if self.precision == "year":
            return self.value.replace(month=12, day=31)
        return self.value


def _make(year: int, month: int, day: int, precision: Precision, text: str, start: int,
          end: int) -> ParsedDate:
    if year < 100:
        year += 2000 if year < 70 else 1900
    try:
        return ParsedDate(_dt.date(year, month, day), precision, text, start, end)
    except ValueError:
        return ParsedDate(None, precision, text, start, end, f"{text!r} is not a real date")


def _month(name: str) -> int:
    return _MONTHS[name.lower().rstrip(".")]


def from_match(m: regex.Match[str], day_first: bool = False) -> ParsedDate:
    text, start, end = m.group(), m.start(), m.end()
    if m.group("iso"):
        return _make(int(m["iy"]), int(m["im"]), int(m["id"]), "day", text, start, end)
    if m.group("num"):
        a, b, year = int(m["n1"]), int(m["n2"]), int(m["ny"])
        if a > 12 >= b or (day_first and b <= 12):
            a, b = b, a  # European day/month
        return _make(year, a, b, "day", text, start, end)
    if m.group("mdy"):
        return _make(int(m["my"]), _month(m["mm"]), int(m["md"]), "day", text, start, end)
    if m.group("dmy"):
        return _make(int(m["dy"]), _month(m["dm"]), int(m["dd"]), "day", text, start, end)
    return _make(int(m["oy"]), _month(m["om"]), 1, "month", text, start, end)


def find_dates(text: str, day_first: bool = False) -> list[ParsedDate]:
    """Every date written in ``text``, in order."""
    return [from_match(m, day_first) for m in DATE_PATTERN.finditer(text)]


def parse_date(value: object, day_first: bool = False) -> ParsedDate:
    """A date from front matter or structured data: a date object or a string in any shape.
    An unparseable value gives ``value=None`` with an error."""
    if isinstance(value, _dt.datetime):
        value = value.date()
    if isinstance(value, _dt.date):
        return ParsedDate(value, "day", value.isoformat())
    text = str(value).strip()
    m = DATE_PATTERN.search(text)
    if m and not text[: m.start()].strip(" ,:") and not text[m.end():].strip(" .,"):
        return from_match(m, day_first)
    year = regex.fullmatch(r"(\d{4})", text)
    if year:
        return ParsedDate(_dt.date(int(year[1]), 1, 1), "year", text)
    return ParsedDate(None, "day", text, error=f"cannot read {text!r} as a date")


def today_from(value: str | None) -> _dt.date:
    """The run's "today" from ``--today`` (YYYY-MM-DD), or the real date when not given."""
    if not value:
        return _dt.date.today()
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"invalid date {value!r}: use YYYY-MM-DD") from None
