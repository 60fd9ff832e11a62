"""The org file format (``version: 1``): pydantic models, the one source of truth for validation,
documentation and ``orgflow schema``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PrivateAttr,
    StringConstraints,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from orgflow.policy import Policy
from orgflow.units import (
    Calendar,
    Capacity,
    Duration,
    Rate,
    parse_capacity,
    parse_duration,
    parse_rate,
)

ID_PATTERN = r"^[A-Za-z0-9._-]+$"

#: Least availability: below 1% a person is not part of the office (and figures overflow).
MIN_AVAILABILITY = 0.01
#: Dates an absence may have (a simulation adds weeks to them; 9999-12-31 would overflow).
FIRST_DATE = dt.date(1900, 1, 1)
LAST_DATE = dt.date(2199, 12, 31)
#: Largest coefficient of variation of a lognormal effort.
MAX_CV = 10.0

Id = Annotated[
    str,
    StringConstraints(pattern=ID_PATTERN, min_length=1, max_length=200),
    Field(description="An identifier: letters, digits, '.', '-' and '_'."),
]

DurationField = Annotated[
    Duration,
    BeforeValidator(parse_duration),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\s*([0-9]+(\.[0-9]*)?|\.[0-9]+)\s*[A-Za-z]+\s*$",
            "description": "Working time: a number and a unit, e.g. 90m, 3h, 1.5d, 1w. The number "
            "is 0 or from 0.0001 to 1,000,000; the time at most 100,000 working hours.",
            "examples": ["90m", "3h", "1.5d"],
        }
    ),
]

RateField = Annotated[
    Rate,
    BeforeValidator(parse_rate),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\s*([0-9]+(\.[0-9]*)?|\.[0-9]+)\s*/\s*[A-Za-z]+\s*$",
            "description": "A count per period: hour, day, week, month (1/12 year) or year "
            "(52 working weeks). The number is 0 or from 0.0001 to 1,000,000; the rate at most "
            "1,000,000 a week.",
            "examples": ["6/week", "2/day", "20/month"],
        }
    ),
]

CapacityField = Annotated[
    Capacity,
    BeforeValidator(parse_capacity),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\s*([0-9]+(\.[0-9]*)?|\.[0-9]+)\s*[A-Za-z]+\s*/\s*[A-Za-z]+\s*$",
            "description": "Work time per period when present, e.g. 40h/week or 6h/day: "
            "from 0.1 to 168 hours a week.",
            "examples": ["40h/week", "6h/day"],
        }
    ),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


# --- efforts -------------------------------------------------------------------------------


class _Effort(_Strict):
    def mean_hours(self, cal: Calendar) -> float:
        raise NotImplementedError

    def scv(self, cal: Calendar) -> float:
        """Squared coefficient of variation: variance / mean^2 (0 when the mean is 0)."""
        raise NotImplementedError

    def variance_hours(self, cal: Calendar) -> float:
        return self.scv(cal) * self.mean_hours(cal) ** 2


class FixedEffort(_Effort):
    """Always the same touch time (``effort: 3h``)."""

    dist: Literal["fixed"] = "fixed"
    mean: DurationField

    def mean_hours(self, cal: Calendar) -> float:
        return self.mean.hours(cal)

    def scv(self, cal: Calendar) -> float:
        return 0.0


class ExponentialEffort(_Effort):
    """Exponentially distributed touch time (``{dist: exponential, mean: 3h}``), cv = 1."""

    dist: Literal["exponential"]
    mean: DurationField

    def mean_hours(self, cal: Calendar) -> float:
        return self.mean.hours(cal)

    def scv(self, cal: Calendar) -> float:
        return 1.0


class LognormalEffort(_Effort):
    """Lognormal touch time with the given mean and coefficient of variation."""

    dist: Literal["lognormal"] = "lognormal"
    mean: DurationField
    cv: float = Field(
        ge=0, le=MAX_CV, allow_inf_nan=False, description="Coefficient of variation, 0 to 10."
    )

    def mean_hours(self, cal: Calendar) -> float:
        return self.mean.hours(cal)

    def scv(self, cal: Calendar) -> float:
        return self.cv**2


class PertEffort(_Effort):
    """Beta-PERT three-point estimate: mean (min + 4 likely + max) / 6,
    variance (mean - min)(max - mean) / 7."""

    dist: Literal["pert"] = "pert"
    min: DurationField
    likely: DurationField
    max: DurationField

    @model_validator(mode="after")
    def _ordered(self) -> PertEffort:
        cal = Calendar()
        if not self.min.hours(cal) <= self.likely.hours(cal) <= self.max.hours(cal):
            raise ValueError("PERT effort needs min <= likely <= max")
        return self

    def mean_hours(self, cal: Calendar) -> float:
        return (self.min.hours(cal) + 4 * self.likely.hours(cal) + self.max.hours(cal)) / 6

    def scv(self, cal: Calendar) -> float:
        mean = self.mean_hours(cal)
        if mean == 0:
            return 0.0
        var = (mean - self.min.hours(cal)) * (self.max.hours(cal) - mean) / 7
        return var / mean**2


class TriangularEffort(_Effort):
    """Triangular distribution: mean (min + likely + max) / 3."""

    dist: Literal["triangular"]
    min: DurationField
    likely: DurationField
    max: DurationField

    @model_validator(mode="after")
    def _ordered(self) -> TriangularEffort:
        cal = Calendar()
        if not self.min.hours(cal) <= self.likely.hours(cal) <= self.max.hours(cal):
            raise ValueError("triangular effort needs min <= likely <= max")
        return self

    def mean_hours(self, cal: Calendar) -> float:
        return (self.min.hours(cal) + self.likely.hours(cal) + self.max.hours(cal)) / 3

    def scv(self, cal: Calendar) -> float:
        a, c, b = self.min.hours(cal), self.likely.hours(cal), self.max.hours(cal)
        mean = self.mean_hours(cal)
        if mean == 0:
            return 0.0
        var = (a * a + b * b + c * c - a * b - a * c - b * c) / 18
        return var / mean**2


class UniformEffort(_Effort):
    """Uniform between min and max."""

    dist: Literal["uniform"]
    min: DurationField
    max: DurationField

    @model_validator(mode="after")
    def _ordered(self) -> UniformEffort:
        cal = Calendar()
        if not self.min.hours(cal) <= self.max.hours(cal):
            raise ValueError("uniform effort needs min <= max")
        return self

    def mean_hours(self, cal: Calendar) -> float:
        return (self.min.hours(cal) + self.max.hours(cal)) / 2

    def scv(self, cal: Calendar) -> float:
        mean = self.mean_hours(cal)
        if mean == 0:
            return 0.0
        return (self.max.hours(cal) - self.min.hours(cal)) ** 2 / 12 / mean**2


def _effort_shape(value: Any) -> Any:
    """Fill in ``dist`` from the keys the user gave, so the short forms work."""
    if isinstance(value, str):
        return {"dist": "fixed", "mean": value}
    if isinstance(value, dict) and "dist" not in value:
        keys = set(value)
        if {"min", "likely", "max"} <= keys:
            return {"dist": "pert", **value}
        if "cv" in keys:
            return {"dist": "lognormal", **value}
        if keys == {"mean"}:
            raise ValueError(
                "an effort given as {mean: ...} needs a distribution: add dist: exponential, "
                "or write the fixed time directly, e.g. effort: 3h"
            )
    return value


Effort = Annotated[
    FixedEffort
    | ExponentialEffort
    | LognormalEffort
    | PertEffort
    | TriangularEffort
    | UniformEffort,
    Field(discriminator="dist"),
    BeforeValidator(
        _effort_shape,
        json_schema_input_type=DurationField
        | FixedEffort
        | ExponentialEffort
        | LognormalEffort
        | PertEffort
        | TriangularEffort
        | UniformEffort,
    ),
]


# --- the sections ---------------------------------------------------------------------------


class OrgSettings(_Strict):
    """The ``org:`` section: the office calendar and global timings."""

    name: str = "Unnamed office"
    hours_per_day: float = Field(
        8.0, ge=1, le=24, allow_inf_nan=False, description="Working hours a day, 1 to 24."
    )
    days_per_week: float = Field(
        5.0, ge=1, le=7, allow_inf_nan=False, description="Working days a week, 1 to 7."
    )
    handoff_delay: DurationField = Field(Duration(0.0, "h"), json_schema_extra={"default": "0h"})
    absence_spell: DurationField = Field(Duration(2.0, "d"), json_schema_extra={"default": "2d"})

    @property
    def calendar(self) -> Calendar:
        return Calendar(self.hours_per_day, self.days_per_week)


class Absence(_Strict):
    """A dated absence, both days included."""

    from_: dt.date = Field(alias="from")
    to: dt.date
    reason: str | None = None

    @field_validator("from_", "to")
    @classmethod
    def _in_range(cls, value: dt.date) -> dt.date:
        if not FIRST_DATE <= value <= LAST_DATE:
            raise ValueError(
                f"a date from {FIRST_DATE.isoformat()} to {LAST_DATE.isoformat()} is expected"
            )
        return value

    @model_validator(mode="after")
    def _ordered(self) -> Absence:
        if self.to < self.from_:
            raise ValueError("an absence must end on or after its start ('to' >= 'from')")
        return self


class Person(_Strict):
    id: Id
    name: str | None = None
    skills: list[Id] = []
    capacity: CapacityField | None = Field(
        None, description="Work hours per period when present; default: the office week."
    )
    availability: float = Field(
        1.0,
        ge=MIN_AVAILABILITY,
        le=1,
        allow_inf_nan=False,
        description="Share of working time present (holidays, trips, sickness), 0.01 to 1.",
    )
    region: str | None = None
    absences: list[Absence] = []

    def capacity_hours_per_week(self, cal: Calendar) -> float:
        if self.capacity is None:
            return cal.hours_per_week
        return self.capacity.hours_per_week(cal)


class Activity(_Strict):
    id: Id
    name: str | None = None
    effort: Effort
    skill: Id | None = Field(None, description="Skill needed; default: the activity id.")
    customer_facing: bool = False
    specialist: bool = False

    @property
    def skill_id(self) -> str:
        return self.skill if self.skill is not None else self.id


class Step(_Strict):
    id: Id | None = Field(None, description="Step id; default: the activity id.")
    activity: Id
    after: list[Id] | None = Field(
        None, description="Steps this one waits for; default: the previous step."
    )

    @field_validator("after", mode="before", json_schema_input_type=Id | list[Id] | None)
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @property
    def step_id(self) -> str:
        return self.id if self.id is not None else self.activity


def _step_shape(value: Any) -> Any:
    return {"activity": value} if isinstance(value, str) else value


class Process(_Strict):
    id: Id
    name: str | None = None
    steps: list[Annotated[Step, BeforeValidator(_step_shape, json_schema_input_type=Id | Step)]] = (
        Field(min_length=1)
    )


class Customer(_Strict):
    id: Id
    name: str | None = None
    region: str | None = None
    demand: dict[Id, RateField] = {}


def _list_of(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


class Rule(_Strict):
    """One assignment rule; the first rule that matches a (customer, activity) wins."""

    name: str | None = None
    activity: Annotated[
        list[Id] | None, BeforeValidator(_list_of, json_schema_input_type=Id | list[Id] | None)
    ] = None
    customers: Annotated[
        list[Id] | None, BeforeValidator(_list_of, json_schema_input_type=Id | list[Id] | None)
    ] = None
    region: Annotated[
        list[str] | None, BeforeValidator(_list_of, json_schema_input_type=str | list[str] | None)
    ] = None
    people: list[Id] | None = Field(
        None,
        description="Primary, then backups in order: each takes work while all before "
        "them are absent.",
        min_length=1,
    )
    pool: list[Id] | None = Field(
        None,
        description="A team sharing one queue: every present member takes the next item.",
        min_length=1,
    )

    @model_validator(mode="after")
    def _one_kind(self) -> Rule:
        if (self.people is None) == (self.pool is None):
            raise ValueError(
                "a rule needs exactly one of 'people' (primary then backups) or 'pool'"
            )
        members = self.members
        if len(set(members)) != len(members):
            raise ValueError("a rule lists the same person twice")
        return self

    @property
    def members(self) -> list[str]:
        return list(self.people if self.people is not None else self.pool or [])

    @property
    def is_pool(self) -> bool:
        return self.pool is not None


def _int_text(value: Any) -> Any:
    # Only short digit strings become numbers: int() of thousands of digits is refused by Python
    # with a message about its own limits; a long one is simply not 1.
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= 20:
        return int(value)
    return value


class Org(_Strict):
    """A whole org file."""

    version: Annotated[Literal[1], BeforeValidator(_int_text)] = Field(
        description="File format version; always 1."
    )
    org: OrgSettings = OrgSettings()
    people: list[Person] = []
    activities: list[Activity] = []
    processes: list[Process] = []
    customers: list[Customer] = []
    assignments: list[Rule] = []
    policy: Policy | None = Field(
        None, description="Limits checked by 'orgflow check' (see README: orgflow check)."
    )

    _source: Any = PrivateAttr(default=None)

    @property
    def calendar(self) -> Calendar:
        return self.org.calendar

    @property
    def source(self) -> Any:
        """The :class:`orgflow.loader.SourceMap` this org was loaded from, if any."""
        return self._source
