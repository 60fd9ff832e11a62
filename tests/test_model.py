"""The pydantic models of the org file: short forms, defaults, effort distributions, checks."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import ValidationError

from orgflow.model import (
    Absence,
    Activity,
    ExponentialEffort,
    FixedEffort,
    LognormalEffort,
    Org,
    OrgSettings,
    Person,
    PertEffort,
    Process,
    Rule,
    Step,
    TriangularEffort,
    UniformEffort,
)
from orgflow.units import Calendar, Duration

CAL = Calendar()  # 8 h/day, 40 h/week


def effort_of(effort: Any) -> Any:
    """The effort model read from what a user writes after ``effort:``."""
    return Activity.model_validate({"id": "a", "effort": effort}).effort


# --- efforts ---------------------------------------------------------------------------------


def test_fixed_effort_short_form() -> None:
    effort = effort_of("3h")
    assert isinstance(effort, FixedEffort)
    assert effort.mean == Duration(3.0, "h")
    assert effort.mean_hours(CAL) == 3.0
    assert effort.scv(CAL) == 0.0
    assert effort.variance_hours(CAL) == 0.0


def test_fixed_effort_in_days_uses_the_calendar() -> None:
    # 1.5 working days of 6 h = 9 h.
    assert effort_of("1.5d").mean_hours(Calendar(hours_per_day=6)) == pytest.approx(9.0)


def test_exponential_effort() -> None:
    effort = effort_of({"dist": "exponential", "mean": "1d"})
    assert isinstance(effort, ExponentialEffort)
    assert effort.mean_hours(CAL) == 8.0  # 1 day of 8 h
    assert effort.scv(CAL) == 1.0
    assert effort.variance_hours(CAL) == pytest.approx(64.0)  # 1 * 8^2


def test_lognormal_effort_from_cv() -> None:
    effort = effort_of({"mean": "1.5h", "cv": "0.6"})
    assert isinstance(effort, LognormalEffort)
    assert effort.mean_hours(CAL) == 1.5
    assert effort.scv(CAL) == pytest.approx(0.36)  # 0.6^2
    assert effort.variance_hours(CAL) == pytest.approx(0.81)  # 0.36 * 1.5^2


def test_pert_effort_from_three_points() -> None:
    effort = effort_of({"min": "2h", "likely": "3h", "max": "6h"})
    assert isinstance(effort, PertEffort)
    # mean = (2 + 4*3 + 6) / 6 = 20/6 = 10/3
    assert effort.mean_hours(CAL) == pytest.approx(10 / 3)
    # variance = (10/3 - 2)(6 - 10/3) / 7 = (4/3)(8/3) / 7 = 32/63
    assert effort.variance_hours(CAL) == pytest.approx(32 / 63)
    # scv = (32/63) / (10/3)^2 = (32/63) * (9/100) = 288/6300
    assert effort.scv(CAL) == pytest.approx(288 / 6300)


def test_triangular_effort() -> None:
    effort = effort_of({"dist": "triangular", "min": "1h", "likely": "2h", "max": "6h"})
    assert isinstance(effort, TriangularEffort)
    assert effort.mean_hours(CAL) == pytest.approx(3.0)  # (1 + 2 + 6) / 3
    # variance = (1 + 36 + 4 - 6 - 2 - 12) / 18 = 21/18 = 7/6; scv = (7/6) / 9 = 7/54
    assert effort.scv(CAL) == pytest.approx(7 / 54)
    assert effort.variance_hours(CAL) == pytest.approx(7 / 6)


def test_uniform_effort() -> None:
    effort = effort_of({"dist": "uniform", "min": "60m", "max": "3h"})
    assert isinstance(effort, UniformEffort)
    assert effort.mean_hours(CAL) == pytest.approx(2.0)  # (1 + 3) / 2
    # variance = (3 - 1)^2 / 12 = 1/3; scv = (1/3) / 4 = 1/12
    assert effort.scv(CAL) == pytest.approx(1 / 12)


@pytest.mark.parametrize(
    "effort",
    [
        "0",
        {"min": "0h", "likely": "0h", "max": "0h"},
        {"dist": "triangular", "min": "0h", "likely": "0h", "max": "0h"},
        {"dist": "uniform", "min": "0h", "max": "0h"},
    ],
)
def test_zero_efforts_have_zero_scv(effort: Any) -> None:
    model = effort_of(effort)
    assert model.mean_hours(CAL) == 0.0
    assert model.scv(CAL) == 0.0


@pytest.mark.parametrize(
    ("effort", "fragment"),
    [
        ({"mean": "3h"}, "an effort given as {mean: ...} needs a distribution"),
        ({"min": "3h", "likely": "2h", "max": "4h"}, "PERT effort needs min <= likely <= max"),
        (
            {"dist": "triangular", "min": "1h", "likely": "5h", "max": "4h"},
            "triangular effort needs min <= likely <= max",
        ),
        ({"dist": "uniform", "min": "1d", "max": "4h"}, "uniform effort needs min <= max"),
        ({"dist": "gamma", "mean": "3h"}, "does not match any of the expected tags"),
        ({"mean": "3h", "cv": "-1"}, "greater than or equal to 0"),
        ("3", "'3' is not a duration"),
    ],
)
def test_bad_efforts(effort: Any, fragment: str) -> None:
    with pytest.raises(ValidationError) as info:
        effort_of(effort)
    assert fragment in str(info.value)


# --- sections ---------------------------------------------------------------------------------


def test_org_settings_defaults() -> None:
    settings = OrgSettings()
    assert settings.name == "Unnamed office"
    assert settings.calendar == Calendar(8.0, 5.0)
    assert settings.handoff_delay == Duration(0.0, "h")
    assert settings.absence_spell == Duration(2.0, "d")


def test_org_calendar() -> None:
    org = Org.model_validate({"version": "1", "org": {"hours_per_day": "7.5"}})
    assert org.version == 1
    assert org.calendar.hours_per_week == pytest.approx(37.5)  # 7.5 * 5
    assert org.source is None  # not loaded from a file


def test_person_defaults_and_capacity() -> None:
    ann = Person.model_validate({"id": "ann"})
    assert ann.skills == []
    assert ann.availability == 1.0
    assert ann.capacity_hours_per_week(CAL) == 40.0  # the office week
    part_timer = Person.model_validate({"id": "bob", "capacity": "6h/day"})
    assert part_timer.capacity_hours_per_week(CAL) == pytest.approx(30.0)  # 6/8 of 40 h


def test_absence_reads_from_and_to() -> None:
    absence = Absence.model_validate({"from": "2026-08-03", "to": "2026-08-21"})
    assert absence.from_ == dt.date(2026, 8, 3)
    assert absence.to == dt.date(2026, 8, 21)
    one_day = Absence.model_validate({"from": "2026-08-03", "to": "2026-08-03"})
    assert one_day.from_ == one_day.to


def test_absence_must_not_end_before_it_starts() -> None:
    with pytest.raises(ValidationError, match="must end on or after its start"):
        Absence.model_validate({"from": "2026-08-21", "to": "2026-08-03"})


def test_activity_skill_defaults_to_its_id() -> None:
    a = Activity.model_validate({"id": "quotation", "effort": "3h"})
    assert a.skill_id == "quotation"
    assert a.customer_facing is False
    assert a.specialist is False
    b = Activity.model_validate({"id": "confirmation", "effort": "30m", "skill": "order_entry"})
    assert b.skill_id == "order_entry"


def test_step_short_forms() -> None:
    process = Process.model_validate(
        {
            "id": "p",
            "steps": [
                "intake",
                {"activity": "check", "after": "intake"},
                {"id": "check_2", "activity": "check", "after": ["intake", "check"]},
            ],
        }
    )
    first, second, third = process.steps
    assert first == Step(activity="intake")
    assert first.after is None  # "the previous step", resolved later
    assert first.step_id == "intake"
    assert second.after == ["intake"]  # one id becomes a list
    assert second.step_id == "check"
    assert third.step_id == "check_2"


def test_process_needs_a_step() -> None:
    with pytest.raises(ValidationError, match="at least 1 item"):
        Process.model_validate({"id": "p", "steps": []})


def test_rule_selectors_accept_one_or_many() -> None:
    rule = Rule.model_validate(
        {"activity": "intake", "customers": "rossi", "region": "no", "people": ["ann", "bob"]}
    )
    assert rule.activity == ["intake"]
    assert rule.customers == ["rossi"]
    assert rule.region == ["no"]
    assert rule.members == ["ann", "bob"]
    assert rule.is_pool is False
    pool = Rule.model_validate({"pool": ["ann", "bob"]})
    assert pool.is_pool is True
    assert pool.activity is None


@pytest.mark.parametrize(
    ("rule", "fragment"),
    [
        (
            {"activity": "a"},
            "a rule needs exactly one of 'people' (primary then backups) or 'pool'",
        ),
        ({"people": ["a"], "pool": ["b"]}, "a rule needs exactly one of 'people'"),
        ({"people": ["ann", "bob", "ann"]}, "a rule lists the same person twice"),
        ({"people": []}, "at least 1 item"),
    ],
)
def test_bad_rules(rule: dict[str, Any], fragment: str) -> None:
    with pytest.raises(ValidationError) as info:
        Rule.model_validate(rule)
    assert fragment in str(info.value)


@pytest.mark.parametrize(
    "ident", ["a", "A-1", "order_entry", "v1.2", "007", "no", "1e3", "2026-08-03", "x" * 200]
)
def test_good_ids(ident: str) -> None:
    assert Person.model_validate({"id": ident}).id == ident


@pytest.mark.parametrize("ident", ["", "ann smith", "anna/b", "zoë", "a:b", "x" * 201])
def test_bad_ids(ident: str) -> None:
    with pytest.raises(ValidationError):
        Person.model_validate({"id": ident})


@pytest.mark.parametrize("version", [1, "1", " 1 "])
def test_version_one(version: object) -> None:
    assert Org.model_validate({"version": version}).version == 1


@pytest.mark.parametrize("version", [2, "2", "one", None])
def test_other_versions(version: object) -> None:
    with pytest.raises(ValidationError):
        Org.model_validate({"version": version})


def test_models_are_frozen_and_strict() -> None:
    ann = Person.model_validate({"id": "ann"})
    with pytest.raises(ValidationError):
        ann.id = "bob"  # type: ignore[misc]
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        Person.model_validate({"id": "ann", "skils": []})


def test_units_serialize_as_written() -> None:
    a = Activity.model_validate({"id": "a", "effort": "1.5d"})
    assert a.model_dump()["effort"] == {"dist": "fixed", "mean": "1.5d"}
    c = Person.model_validate({"id": "p", "capacity": "6h/day"})
    assert c.model_dump()["capacity"] == "6h/day"


@pytest.mark.parametrize(
    ("model", "data"),
    [
        ("Person", {"id": "a", "availability": 0.0099}),
        ("Person", {"id": "a", "availability": 5e-324}),
        ("OrgSettings", {"hours_per_day": 0.99}),
        ("OrgSettings", {"days_per_week": 5e-324}),
        ("LognormalEffort", {"mean": "1h", "cv": 10.01}),
        ("Absence", {"from": "2026-01-01", "to": "9999-12-31"}),
        ("Absence", {"from": "1899-12-31", "to": "2026-01-01"}),
        ("Org", {"version": "1" * 5000}),
    ],
)
def test_bounds_of_the_format(model: str, data: dict[str, Any]) -> None:
    import orgflow.model

    with pytest.raises(ValidationError) as info:
        getattr(orgflow.model, model).model_validate(data)
    assert "digits" not in str(info.value)  # never Python's own int() limit


@pytest.mark.parametrize(
    ("model", "data"),
    [
        ("Person", {"id": "a", "availability": 0.01}),
        ("OrgSettings", {"hours_per_day": 1, "days_per_week": 1}),
        ("OrgSettings", {"hours_per_day": 24, "days_per_week": 7}),
        ("LognormalEffort", {"mean": "1h", "cv": 10}),
        ("Absence", {"from": "1900-01-01", "to": "2199-12-31"}),
    ],
)
def test_values_on_the_bounds_are_accepted(model: str, data: dict[str, Any]) -> None:
    import orgflow.model

    getattr(orgflow.model, model).model_validate(data)
