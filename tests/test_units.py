"""Durations, rates and capacities: the arithmetic of the office calendar and the error hints."""

from __future__ import annotations

import pytest

from orgflow.units import (
    Calendar,
    Capacity,
    Duration,
    Rate,
    UnitError,
    parse_capacity,
    parse_duration,
    parse_rate,
)

OFFICE = Calendar()  # 8 h/day, 5 days/week: 40 h/week
SHORT_DAYS = Calendar(hours_per_day=7.5, days_per_week=5)  # 37.5 h/week
FOUR_DAYS = Calendar(hours_per_day=8, days_per_week=4)  # 32 h/week


def test_calendar_defaults() -> None:
    assert OFFICE.hours_per_day == 8.0
    assert OFFICE.days_per_week == 5.0
    assert OFFICE.hours_per_week == 40.0  # 8 * 5
    assert SHORT_DAYS.hours_per_week == 37.5  # 7.5 * 5


@pytest.mark.parametrize(
    ("period", "hours"),
    [
        ("hour", 1.0),
        ("day", 8.0),
        ("week", 40.0),  # 8 * 5
        ("month", 40.0 * 52 / 12),  # 2080 / 12 = 173.33...
        ("year", 2080.0),  # 40 * 52 working weeks
    ],
)
def test_period_hours(period: str, hours: float) -> None:
    assert OFFICE.period_hours(period) == pytest.approx(hours)


def test_unknown_period_hours() -> None:
    with pytest.raises(UnitError, match="unknown period 'fortnight'"):
        OFFICE.period_hours("fortnight")


# --- durations -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount", "unit", "hours"),
    [
        ("90m", 90.0, "m", 1.5),  # 90 / 60
        ("45 min", 45.0, "m", 0.75),  # 45 / 60
        ("3h", 3.0, "h", 3.0),
        ("2 hours", 2.0, "h", 2.0),
        ("1.5d", 1.5, "d", 12.0),  # 1.5 * 8
        ("2 days", 2.0, "d", 16.0),  # 2 * 8
        ("1w", 1.0, "w", 40.0),  # 1 * 40
        ("0.5 weeks", 0.5, "w", 20.0),  # 0.5 * 40
        (".5h", 0.5, "h", 0.5),
        ("3.h", 3.0, "h", 3.0),
        ("  4H  ", 4.0, "h", 4.0),  # units are case-insensitive, spaces ignored
    ],
)
def test_parse_duration(text: str, amount: float, unit: str, hours: float) -> None:
    duration = parse_duration(text)
    assert duration == Duration(amount, unit)
    assert duration.hours(OFFICE) == pytest.approx(hours)


def test_duration_days_and_weeks_follow_the_calendar() -> None:
    # 1.5 working days of 7.5 h = 11.25 h; of 8 h = 12 h.
    assert parse_duration("1.5d").hours(SHORT_DAYS) == pytest.approx(11.25)
    assert parse_duration("1.5d").hours(OFFICE) == pytest.approx(12.0)
    # 1 working week of 4 days of 8 h = 32 h; minutes and hours do not depend on it.
    assert parse_duration("1w").hours(FOUR_DAYS) == pytest.approx(32.0)
    assert parse_duration("90m").hours(FOUR_DAYS) == pytest.approx(1.5)


@pytest.mark.parametrize("zero", ["0", "0.0", 0, " 0 "])
def test_zero_alone_is_no_time(zero: object) -> None:
    assert parse_duration(zero) == Duration(0.0, "h")


def test_duration_passes_through_and_prints() -> None:
    d = Duration(1.5, "d")
    assert parse_duration(d) is d
    assert str(d) == "1.5d"
    assert str(parse_duration("90m")) == "90m"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("3", "'3' is not a duration; write a number and a unit, e.g. 90m, 3h, 1.5d or 1w"),
        ("h", "'h' is not a duration"),
        ("-1h", "'-1h' is not a duration"),
        ("1e3h", "'1e3h' is not a duration"),
        ("3 h 20 m", "'3 h 20 m' is not a duration"),
        ("3x", "unknown time unit 'x' in '3x'; use m (minutes), h (hours), d (working days)"),
        ("2mo", "unknown time unit 'mo' in '2mo'"),
        ("1" + "0" * 400 + "h", "is 401 characters long; write a number from 0.0001 to"),
        ("1" + "0" * 160 + "h", "is 161 characters long"),  # 1e160 hours: issue 11
        ("1000001h", "'1000001h' is out of range: write 0 or a number from 0.0001 to 1,000,000"),
        ("0.00009h", "'0.00009h' is out of range"),
    ],
)
def test_bad_durations(text: str, fragment: str) -> None:
    with pytest.raises(UnitError) as info:
        parse_duration(text)
    assert fragment in str(info.value)


# --- rates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount", "period", "per_hour", "per_week"),
    [
        ("6/week", 6.0, "week", 0.15, 6.0),  # 6 / 40 = 0.15
        ("2/day", 2.0, "day", 0.25, 10.0),  # 2 / 8; 0.25 * 40
        ("1/hour", 1.0, "hour", 1.0, 40.0),
        ("3 / weeks", 3.0, "week", 0.075, 3.0),  # 3 / 40
        ("1.5/wk", 1.5, "week", 0.0375, 1.5),  # 1.5 / 40
        # a month is 52/12 weeks: 20 / (40 * 52 / 12) = 240 / 2080 per hour; 20 * 12 / 52 a week
        ("20/month", 20.0, "month", 240 / 2080, 240 / 52),
        ("20/mo", 20.0, "month", 240 / 2080, 240 / 52),
        # a year is 52 weeks: 300 / 2080 per hour; 300 / 52 a week
        ("300/year", 300.0, "year", 300 / 2080, 300 / 52),
        ("300/yr", 300.0, "year", 300 / 2080, 300 / 52),
        ("0/week", 0.0, "week", 0.0, 0.0),
    ],
)
def test_parse_rate(
    text: str, amount: float, period: str, per_hour: float, per_week: float
) -> None:
    rate = parse_rate(text)
    assert rate == Rate(amount, period)
    assert rate.per_hour(OFFICE) == pytest.approx(per_hour)
    assert rate.per_week(OFFICE) == pytest.approx(per_week)


def test_rate_follows_the_calendar() -> None:
    # 6 a week of 37.5 h = 0.16 per hour; 2 a day of 7.5 h = 0.2666... per hour.
    assert parse_rate("6/week").per_hour(SHORT_DAYS) == pytest.approx(0.16)
    assert parse_rate("2/day").per_hour(SHORT_DAYS) == pytest.approx(2 / 7.5)
    # 2 a day over a 4-day week is 8 a week.
    assert parse_rate("2/day").per_week(FOUR_DAYS) == pytest.approx(8.0)
    # A year is 52 weeks whatever the week: 52 a year is 1 a week.
    assert parse_rate("52/year").per_week(FOUR_DAYS) == pytest.approx(1.0)


def test_rate_passes_through_and_prints() -> None:
    r = Rate(6.0, "week")
    assert parse_rate(r) is r
    assert str(r) == "6/week"
    assert str(parse_rate("1.5/day")) == "1.5/day"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("6", "'6' is not a rate; write a count per period, e.g. 6/week or 2/day"),
        ("6 per week", "'6 per week' is not a rate"),
        ("6h/week", "'6h/week' is not a rate"),
        ("/week", "'/week' is not a rate"),
        ("6/fortnight", "unknown period 'fortnight' in '6/fortnight'; use hour, day, week, month"),
        ("6/s", "unknown period 's' in '6/s'"),
    ],
)
def test_bad_rates(text: str, fragment: str) -> None:
    with pytest.raises(UnitError) as info:
        parse_rate(text)
    assert fragment in str(info.value)


# --- capacities ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "per_week"),
    [
        ("40h/week", 40.0),
        ("20h/week", 20.0),
        ("6h/day", 30.0),  # 6 h of an 8 h day = 0.75 of the 40 h week
        ("3d/week", 24.0),  # 3 * 8
        ("1w/week", 40.0),
        ("160h/month", 160 / (2080 / 12) * 40),  # 160 / 173.33 * 40 = 36.92
        ("1600 h / year", 1600 / 2080 * 40),  # 30.77
        ("30m/hour", 20.0),  # half of every hour
    ],
)
def test_parse_capacity(text: str, per_week: float) -> None:
    assert parse_capacity(text).hours_per_week(OFFICE) == pytest.approx(per_week)


def test_capacity_follows_the_calendar() -> None:
    # 6 h a day over a 4-day week is 24 h; over 5 days of 7.5 h it is 30 h.
    assert parse_capacity("6h/day").hours_per_week(FOUR_DAYS) == pytest.approx(24.0)
    assert parse_capacity("6h/day").hours_per_week(SHORT_DAYS) == pytest.approx(30.0)


def test_capacity_passes_through_and_prints() -> None:
    c = parse_capacity("20h/week")
    assert c == Capacity(Duration(20.0, "h"), "week")
    assert parse_capacity(c) is c
    assert str(c) == "20h/week"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("40/week", "'40/week' is not a capacity; write work time per period, e.g. 40h/week"),
        ("40h", "'40h' is not a capacity"),
        ("40x/week", "unknown time unit 'x' in '40x'"),
        ("40h/fortnight", "unknown period 'fortnight' in '40h/fortnight'"),
        ("0h/week", "a capacity must be more than zero, not '0h/week'"),
    ],
)
def test_bad_capacities(text: str, fragment: str) -> None:
    with pytest.raises(UnitError) as info:
        parse_capacity(text)
    assert fragment in str(info.value)


def test_unit_error_is_a_value_error() -> None:
    # pydantic turns ValueErrors raised by validators into validation errors.
    assert issubclass(UnitError, ValueError)
