"""The org file format (``version: 1``): pydantic models, the one source of truth for validation,
documentation and ``orgflow schema``."""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PrivateAttr,
    SerializationInfo,
    StringConstraints,
    WithJsonSchema,
    field_validator,
    model_serializer,
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
#: Dates an absence may have: from 1900 (a simulation counts days from its start back to
#: them) to the last date there is (9999-12-31 stands for "until further notice").
FIRST_DATE = dt.date(1900, 1, 1)
LAST_DATE = dt.date.max
#: Largest coefficient of variation of a lognormal effort.
MAX_CV = 10.0
#: Exclusive alternatives' shares must sum to 1 within this (then they are scaled to sum to 1
#: exactly): [0.333, 0.333, 0.333] is accepted, [0.3, 0.6] is not.
SHARES_TOLERANCE = 0.005
#: The twelve multipliers of ``demand_by_month`` must average 1 within this.
MONTH_MEAN_TOLERANCE = 0.01
#: Most loops a ``rework`` may bound itself to with ``max``.
MAX_REWORK_LOOPS = 100
#: The keys of ``demand_by_month``, January first.
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

_HINT = " || hint: "


def problem(message: str, *, key: str | None = None, hint: str | None = None) -> ValueError:
    """A validation error that names the key it is about (the loader points at that key's
    value) and carries its hint."""
    text = f"[{key}] {message}" if key is not None else message
    return ValueError(text + (_HINT + hint if hint else ""))


def split_problem(text: str) -> tuple[str, str | None, str | None]:
    """``(message, key, hint)`` of a :func:`problem`'s text (any other text: no key, no hint)."""
    message, _, hint = text.partition(_HINT)
    key = None
    found = re.match(r"\[([A-Za-z_]+)\] ", message)
    if found:
        key, message = found.group(1), message[found.end() :]
    return message, key, hint or None


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

    @model_serializer(mode="wrap")
    def _dump(self, handler: Any, info: SerializationInfo) -> Any:
        # Written back as it is read: ``3h`` (``{mean: 3h}`` alone is refused on reading).
        if info.mode == "json" and info.exclude_defaults:
            return str(self.mean)
        return handler(self)

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


def _month_field(month: str) -> Any:
    return Field(
        ge=0,
        le=12,
        allow_inf_nan=False,
        description=f"Multiplier of every customer's rate in {month}, 0 to 12.",
    )


class MonthlyDemand(_Strict):
    """``demand_by_month``: a multiplier of every customer's rate for each calendar month, the
    twelve averaging 1 (the customers' rates are the average month)."""

    jan: float = _month_field("January")
    feb: float = _month_field("February")
    mar: float = _month_field("March")
    apr: float = _month_field("April")
    may: float = _month_field("May")
    jun: float = _month_field("June")
    jul: float = _month_field("July")
    aug: float = _month_field("August")
    sep: float = _month_field("September")
    oct: float = _month_field("October")
    nov: float = _month_field("November")
    dec: float = _month_field("December")

    @model_validator(mode="after")
    def _mean_one(self) -> MonthlyDemand:
        mean = sum(self.factors) / 12
        if abs(mean - 1) > MONTH_MEAN_TOLERANCE:
            pairs = zip(MONTHS, self.factors, strict=True)
            scaled = ", ".join(f"{m}: {f / mean:.2f}" for m, f in pairs)
            raise problem(
                f"the twelve multipliers average {mean:.3g}, not 1 (within "
                f"{MONTH_MEAN_TOLERANCE:g}): the customers' rates are the average month",
                hint=f"divide each by their mean: {{{scaled}}}",
            )
        return self

    @property
    def factors(self) -> tuple[float, ...]:
        """The twelve multipliers, January first."""
        return tuple(float(getattr(self, m)) for m in MONTHS)


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
    demand_by_month: MonthlyDemand | None = Field(
        None,
        description="Seasons: a multiplier of every customer's rate per calendar month "
        "(jan ... dec, averaging 1); default: the same rate all year.",
    )

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
    will_not_learn: list[Id] = Field(
        [],
        description="Activities this person will not learn: a proposal gives them no work "
        "in those activities unless they hold the skill already.",
    )

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


class Rework(_Strict):
    """``rework: {to, probability, max}``: after its step, the request goes back to ``to`` and
    the steps from there to this one are done again."""

    to: Id = Field(description="The step the request goes back to: this step or one it waits for.")
    probability: float = Field(
        gt=0,
        le=1,
        allow_inf_nan=False,
        description="Share of the passes through the step that go back, more than 0 to 1.",
    )
    max: int | None = Field(
        None,
        ge=1,
        le=MAX_REWORK_LOOPS,
        description=f"At most this many loops back (1 to {MAX_REWORK_LOOPS}); default: no "
        "limit (the number of loops is geometric).",
    )


_ALTERNATIVES_SCHEMA = {
    "anyOf": [
        {
            "type": "string",
            "pattern": ID_PATTERN,
            "minLength": 1,
            "maxLength": 200,
            "description": "The activity this step does.",
        },
        {
            "type": "array",
            "items": {"type": "string", "pattern": ID_PATTERN, "minLength": 1, "maxLength": 200},
            "minItems": 2,
            "description": "Exclusive alternatives: each request does one of them, in the "
            "proportions given by shares.",
        },
    ]
}


class Step(_Strict):
    """One step of a process. ``activity`` is one activity id, or a list of exclusive
    alternatives with their ``shares`` (then ``activity`` is the first alternative and
    :attr:`alternatives` lists them all)."""

    id: Id | None = Field(
        None, description="Step id; default: the activity id (the first alternative)."
    )
    activity: Annotated[Id, WithJsonSchema(_ALTERNATIVES_SCHEMA)]
    shares: list[Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]] | None = Field(
        None,
        description="With a list of activities: the share of requests doing each (each 0 to 1, "
        f"summing to 1 within {SHARES_TOLERANCE:g}).",
    )
    after: list[Id] | None = Field(
        None, description="Steps this one waits for; default: the previous step."
    )
    delay: Effort | None = Field(
        None,
        description="An external wait before the step (a supplier, a customer's answer, a "
        "timer): taken by nobody, in working time; any effort form.",
    )
    probability: float = Field(
        1.0,
        ge=0,
        le=1,
        allow_inf_nan=False,
        description="Share of requests for which the step is done, 0 to 1; the others skip it.",
    )
    stop: float = Field(
        0.0,
        ge=0,
        le=1,
        allow_inf_nan=False,
        description="Share of the requests doing this step that end after it, 0 to 1.",
    )
    rework: Rework | None = None

    _alternatives: tuple[str, ...] = PrivateAttr(default=())

    @model_validator(mode="wrap")
    @classmethod
    def _alternatives_form(cls, value: Any, handler: Any) -> Any:
        """``activity: [a, b], shares: [0.3, 0.7]``: validated with ``activity: a``, the list
        kept aside (every module that reads ``step.activity`` gets an id)."""
        listed = value.get("activity") if isinstance(value, dict) else None
        if not isinstance(listed, list):
            step = handler(value)
            if step.shares is not None:
                raise problem(
                    "shares are for exclusive alternatives, and this step has one activity",
                    key="shares",
                    hint="list the alternatives, activity: [a, b], or remove shares",
                )
            return step
        names = _alternative_ids(listed)
        step = handler({**value, "activity": names[0]})
        shares = step.shares
        if shares is None:
            even = ", ".join([f"{1 / len(names):.2g}"] * len(names))
            raise problem(
                "exclusive alternatives need their shares",
                key="activity",
                hint=f"add the share of requests doing each, e.g. shares: [{even}]",
            )
        if len(shares) != len(names):
            raise problem(
                f"{len(names)} alternatives but {len(shares)} shares",
                key="shares",
                hint="give one share per activity, in the same order",
            )
        total = sum(shares)
        if abs(total - 1) > SHARES_TOLERANCE:
            raise problem(
                f"the shares sum to {total:.4g}, not 1 (within {SHARES_TOLERANCE:g})",
                key="shares",
                hint="each request does exactly one of the alternatives: make the shares "
                "add up to 1",
            )
        step._alternatives = tuple(names)
        return step

    @model_validator(mode="after")
    def _loop_ends(self) -> Step:
        rework = self.rework
        always = self.probability >= 1
        if rework is not None and rework.probability >= 1 and rework.max is None and always:
            raise problem(
                "a rework of probability 1 on a step always done loops for ever",
                key="rework",
                hint="give max: N (at most N loops back), a probability below 1, or make "
                "the step optional (probability: below 1: the loop ends when it is skipped)",
            )
        return self

    @field_validator("after", mode="before", json_schema_input_type=Id | list[Id] | None)
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("shares", mode="before")
    @classmethod
    def _shares_list(cls, value: Any) -> Any:
        return [value] if isinstance(value, str | int | float) else value

    @model_serializer(mode="wrap")
    def _dump(self, handler: Any) -> Any:
        data = handler(self)
        if self._alternatives and isinstance(data, dict) and "activity" in data:
            data["activity"] = list(self._alternatives)
        return data

    @property
    def step_id(self) -> str:
        return self.id if self.id is not None else self.activity

    @property
    def alternatives(self) -> tuple[tuple[str, float], ...]:
        """(activity, share) of each exclusive alternative; one pair of share 1 for a step
        with one activity. Shares are scaled to sum to 1 exactly."""
        if not self._alternatives or self.shares is None:
            return ((self.activity, 1.0),)
        total = sum(self.shares)
        return tuple((a, x / total) for a, x in zip(self._alternatives, self.shares, strict=True))

    @property
    def activities(self) -> tuple[str, ...]:
        """Every activity the step may do: the alternatives, or the one activity."""
        return self._alternatives or (self.activity,)

    @property
    def is_random(self) -> bool:
        """Whether the step makes a request's route random (issue 13's additions)."""
        return bool(
            self._alternatives or self.probability < 1 or self.stop > 0 or self.rework is not None
        )


def _alternative_ids(listed: list[Any]) -> list[str]:
    if len(listed) < 2:
        raise problem(
            f"a list of activities gives exclusive alternatives, and this one has {len(listed)}",
            key="activity",
            hint="name at least two, or write the one activity without brackets",
        )
    for name in listed:
        if not isinstance(name, str) or not re.fullmatch(ID_PATTERN, name) or len(name) > 200:
            raise problem(
                f"alternative {name!r} is not an activity id",
                key="activity",
                hint="ids use letters, digits, '.', '-' and '_' (at most 200 characters)",
            )
    if len(set(listed)) != len(listed):
        raise problem(
            "an activity is listed twice among the alternatives",
            key="activity",
            hint="list each alternative once, with its share",
        )
    return [str(n) for n in listed]


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
    owner: Id | None = Field(
        None,
        description="The named account owner (a person): continuity in proposals keeps "
        "the customer with them.",
    )
    pinned: bool = Field(
        False,
        description="Proposals keep the customer with its owner whatever the balance "
        "prefers (needs owner).",
    )


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
    pickup: Literal["same", "any"] = Field(
        "same",
        description="In a pool: 'same' (default), the member who has a request continues "
        "with its next steps at this desk; 'any', every step goes back to the shared queue.",
    )
    effort: Effort | None = Field(
        None,
        description="The effort of the work this rule matches, for its people, instead of "
        "the activity's effort; any effort form.",
    )
    shares: dict[Id, float] | None = Field(
        None,
        description="In a pool: each member's relative part of the pool's work while all are "
        "present (positive numbers, one per member); an absent member's part goes to the "
        "present ones in proportion to theirs. Without it, a pool shares its work in "
        "proportion to its members' present capacity.",
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
        if self.pickup == "any" and self.pool is None:
            raise problem(
                "pickup: any is for pools (a shared queue), and this rule lists people",
                key="pickup",
                hint="write pool: [...] instead of people: [...], or remove pickup",
            )
        if self.shares is not None:
            self._check_shares(self.shares)
        return self

    def _check_shares(self, shares: dict[str, float]) -> None:
        if self.pool is None:
            raise problem(
                "shares are for pools (a shared queue), and this rule lists people",
                key="shares",
                hint="write pool: [...] instead of people: [...], or remove shares",
            )
        unknown = [m for m in shares if m not in self.pool]
        if unknown:
            raise problem(
                f"shares name {unknown[0]!r}, who is not in the pool",
                key="shares",
                hint="give one share to each member of the pool: " + ", ".join(self.pool),
            )
        missing = [m for m in self.pool if m not in shares]
        if missing:
            raise problem(
                f"shares give no share to {missing[0]!r}, a member of the pool",
                key="shares",
                hint="give one share to each member of the pool: " + ", ".join(self.pool),
            )
        bad = [(m, v) for m, v in shares.items() if not (math.isfinite(v) and v > 0)]
        if bad:
            raise problem(
                f"the share of {bad[0][0]!r} is {bad[0][1]:g}; a share is a positive number",
                key="shares",
                hint="shares are relative weights, e.g. {ann: 2, bob: 1}: ann takes twice "
                "bob's part",
            )

    @property
    def pool_shares(self) -> tuple[float, ...]:
        """The pool members' ``shares`` in the pool's order; empty without them."""
        if self.shares is None or self.pool is None:
            return ()
        return tuple(float(self.shares[m]) for m in self.pool)

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
