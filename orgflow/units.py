"""Durations, rates and capacities as users write them ("3h", "6/week", "40h/week")."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

#: Working weeks in a year. Holidays are not taken out here: they are part of
#: a person's ``availability``, so a year is 52 working weeks of the office calendar.
WEEKS_PER_YEAR = 52.0
MONTHS_PER_YEAR = 12.0

#: Bounds on the number written in a duration, rate or capacity ("3h", "6/week", "40h/week"):
#: 0, or from MIN_AMOUNT to MAX_AMOUNT. Calendar-dependent bounds (a duration in hours, a rate
#: per week) are checked with the office calendar by :mod:`orgflow.references`.
MIN_AMOUNT = 0.0001
MAX_AMOUNT = 1_000_000.0
#: Longest duration, in working hours: 100,000 h is 48 working years of 40 hours a week.
MAX_DURATION_HOURS = 100_000.0
#: Shortest absence spell, in working hours: shorter spells only slow a simulation down.
MIN_ABSENCE_SPELL_HOURS = 1.0
#: Highest demand of one customer for one process.
MAX_RATE_PER_WEEK = 1_000_000.0
#: A person's capacity, in hours a week when present: from 6 minutes to every hour of the week.
MIN_CAPACITY_HOURS_PER_WEEK = 0.1
MAX_CAPACITY_HOURS_PER_WEEK = 168.0

_DURATION_UNITS = {
    "m": "m",
    "min": "m",
    "mins": "m",
    "minute": "m",
    "minutes": "m",
    "h": "h",
    "hr": "h",
    "hrs": "h",
    "hour": "h",
    "hours": "h",
    "d": "d",
    "day": "d",
    "days": "d",
    "w": "w",
    "wk": "w",
    "week": "w",
    "weeks": "w",
}

_PERIOD_UNITS = {
    "h": "hour",
    "hr": "hour",
    "hour": "hour",
    "d": "day",
    "day": "day",
    "w": "week",
    "wk": "week",
    "week": "week",
    "mo": "month",
    "month": "month",
    "y": "year",
    "yr": "year",
    "year": "year",
}

_NUMBER = r"(?P<amount>[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"
_DURATION_RE = re.compile(rf"^\s*{_NUMBER}\s*(?P<unit>[A-Za-z]+)\s*$")
_RATE_RE = re.compile(rf"^\s*{_NUMBER}\s*/\s*(?P<period>[A-Za-z]+)\s*$")
_CAPACITY_RE = re.compile(rf"^\s*{_NUMBER}\s*(?P<unit>[A-Za-z]+)\s*/\s*(?P<period>[A-Za-z]+)\s*$")


class UnitError(ValueError):
    """A duration, rate or capacity that cannot be read; the message says what is expected."""


@dataclass(frozen=True)
class Calendar:
    """The office's working calendar: every figure in orgflow is in working hours."""

    hours_per_day: float = 8.0
    days_per_week: float = 5.0

    @property
    def hours_per_week(self) -> float:
        return self.hours_per_day * self.days_per_week

    def period_hours(self, period: str) -> float:
        """Working hours in one ``hour``, ``day``, ``week``, ``month`` or ``year``."""
        if period == "hour":
            return 1.0
        if period == "day":
            return self.hours_per_day
        if period == "week":
            return self.hours_per_week
        if period == "year":
            return self.hours_per_week * WEEKS_PER_YEAR
        if period == "month":
            return self.hours_per_week * WEEKS_PER_YEAR / MONTHS_PER_YEAR
        raise UnitError(f"unknown period {period!r}")


@dataclass(frozen=True)
class Duration:
    """An amount of working time, kept in the unit the user wrote (days depend on the calendar)."""

    amount: float
    unit: str  # "m", "h", "d" or "w"

    def hours(self, cal: Calendar) -> float:
        if self.unit == "m":
            return self.amount / 60.0
        if self.unit == "h":
            return self.amount
        if self.unit == "d":
            return self.amount * cal.hours_per_day
        return self.amount * cal.hours_per_week

    def __str__(self) -> str:
        return f"{format_amount(self.amount)}{self.unit}"


@dataclass(frozen=True)
class Rate:
    """A count per period, e.g. 6 requests a week."""

    amount: float
    period: str  # "hour", "day", "week", "month" or "year"

    def per_hour(self, cal: Calendar) -> float:
        return self.amount / cal.period_hours(self.period)

    def per_week(self, cal: Calendar) -> float:
        return self.per_hour(cal) * cal.hours_per_week

    def __str__(self) -> str:
        return f"{format_amount(self.amount)}/{self.period}"


@dataclass(frozen=True)
class Capacity:
    """Work time a person gives per period when present, e.g. 40h/week."""

    work: Duration
    period: str

    def hours_per_week(self, cal: Calendar) -> float:
        return self.work.hours(cal) / cal.period_hours(self.period) * cal.hours_per_week

    def __str__(self) -> str:
        return f"{self.work}/{self.period}"


def format_amount(value: float) -> str:
    """A number as the loader reads it back: digits and a point, never an exponent
    (``1e-05`` is ``0.00001``, ``1e+06`` is ``1000000``), shortest form that round-trips.

    >>> format_amount(1e6), format_amount(1e-05), format_amount(1.5), format_amount(3.0)
    ('1000000', '0.00001', '1.5', '3')
    """
    if value == int(value):
        return str(int(value))
    text = repr(float(value))
    if "e" in text or "E" in text:
        from decimal import Decimal

        text = format(Decimal(text), "f")
    return text


def _amount(text: str, whole: str) -> float:
    if len(text) > 40:
        raise UnitError(
            f"the number in {_shown(whole)!r} is {len(text):,} characters long; "
            f"write a number from {MIN_AMOUNT:g} to {MAX_AMOUNT:,.0f}"
        )
    value = float(text)
    if not math.isfinite(value) or value > MAX_AMOUNT or 0 < value < MIN_AMOUNT:
        raise UnitError(
            f"the number in {_shown(whole)!r} is out of range: write 0 or a number from "
            f"{MIN_AMOUNT:g} to {MAX_AMOUNT:,.0f}"
        )
    return value


def _shown(text: str) -> str:
    return text if len(text) <= 60 else f"{text[:60]}..."


def parse_duration(value: object) -> Duration:
    """Read ``"3h"``, ``"90m"``, ``"1.5d"`` or ``"2w"``; ``0`` alone means no time.

    >>> parse_duration("90m").hours(Calendar())
    1.5
    """
    if isinstance(value, Duration):
        return value
    text = str(value).strip()
    if text in ("0", "0.0"):
        return Duration(0.0, "h")
    match = _DURATION_RE.match(text)
    if not match:
        raise UnitError(
            f"{_shown(text)!r} is not a duration; write a number and a unit, "
            "e.g. 90m, 3h, 1.5d or 1w"
        )
    unit = _DURATION_UNITS.get(match["unit"].lower())
    if unit is None:
        raise UnitError(
            f"unknown time unit {_shown(match['unit'])!r} in {_shown(text)!r}; "
            "use m (minutes), h (hours), d (working days) or w (working weeks)"
        )
    return Duration(_amount(match["amount"], text), unit)


def parse_rate(value: object) -> Rate:
    """Read ``"6/week"``, ``"1.5/day"``, ``"20/month"`` or ``"300/year"``.

    >>> parse_rate("6/week").per_hour(Calendar())
    0.15
    """
    if isinstance(value, Rate):
        return value
    text = str(value).strip()
    match = _RATE_RE.match(text)
    if not match:
        raise UnitError(
            f"{_shown(text)!r} is not a rate; write a count per period, e.g. 6/week or 2/day"
        )
    period = _PERIOD_UNITS.get(match["period"].lower().rstrip("s") or match["period"])
    if period is None:
        raise UnitError(
            f"unknown period {_shown(match['period'])!r} in {_shown(text)!r}; "
            "use hour, day, week, month or year"
        )
    return Rate(_amount(match["amount"], text), period)


def parse_capacity(value: object) -> Capacity:
    """Read ``"40h/week"`` or ``"6h/day"``.

    >>> parse_capacity("6h/day").hours_per_week(Calendar())
    30.0
    """
    if isinstance(value, Capacity):
        return value
    text = str(value).strip()
    match = _CAPACITY_RE.match(text)
    if not match:
        raise UnitError(
            f"{_shown(text)!r} is not a capacity; write work time per period, "
            "e.g. 40h/week or 6h/day"
        )
    duration = parse_duration(f"{match['amount']}{match['unit']}")
    if duration.amount == 0:
        raise UnitError(
            f"a capacity must be more than zero, not {_shown(text)!r}; "
            "leave out people who do no work"
        )
    period = _PERIOD_UNITS.get(match["period"].lower().rstrip("s") or match["period"])
    if period is None:
        raise UnitError(
            f"unknown period {_shown(match['period'])!r} in {_shown(text)!r}; "
            "use day, week, month or year"
        )
    return Capacity(duration, period)
