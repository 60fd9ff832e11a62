"""Reference checks on a schema-valid org: ids, known references, cycles and the bounds that
depend on the calendar. What only the resolved office shows (coverage, skills, overload) is the
lint pass over the :class:`~orgflow.office.Office`, :mod:`orgflow.analysis.lint`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from orgflow.diagnostics import Diagnostic, Level
from orgflow.graph import find_cycle, step_predecessors
from orgflow.model import Activity, Customer, Org, Person, Process
from orgflow.source import Path_, SourceMap
from orgflow.suggest import Suggestions

#: Reference problems reported per code; the rest are counted in one more diagnostic.
MAX_PER_CODE = 20
_WHAT = {
    "unknown-activity": "unknown activities",
    "unknown-customer": "unknown customers",
    "unknown-person": "unknown people",
    "unknown-process": "unknown processes",
    "unknown-step": "unknown steps",
    "duplicate-id": "duplicate ids",
    "duplicate-step": "repeated steps",
    "cycle": "cycles",
    "rule-never-matches": "regions no customer is in",
    "pinned-without-owner": "pinned customers without an owner",
}


Hint = str | Callable[[], str | None] | None


def _lazy(index: Suggestions, name: str, fallback: Callable[[], str]) -> Callable[[], str]:
    """A hint worked out only if the diagnostic is shown: a suggestion, else ``fallback``."""

    def hint() -> str:
        return index.hint(name) or fallback()

    return hint


class _Capped:
    """Diagnostics, at most :data:`MAX_PER_CODE` of each code, then one that counts the rest
    (``and 19,990 more unknown people``); hints are only worked out for those shown."""

    def __init__(self, smap: SourceMap) -> None:
        self.smap = smap
        self.out: list[Diagnostic] = []
        self.shown: dict[str, int] = {}
        self.hidden: dict[str, tuple[int, Path_, Level]] = {}

    def add(
        self,
        path: tuple[str | int, ...],
        message: str,
        code: str,
        hint: Hint,
        *,
        level: Level = "error",
        key: bool = False,
    ) -> None:
        if self.shown.get(code, 0) >= MAX_PER_CODE:
            count, first, first_level = self.hidden.get(code, (0, path, level))
            self.hidden[code] = (count + 1, first, first_level)
            return
        self.shown[code] = self.shown.get(code, 0) + 1
        text = hint() if callable(hint) else hint
        self.out.append(
            self.smap.diagnostic(path, message, code=code, hint=text, level=level, key=key)
        )

    def error(self, path: tuple[str | int, ...], message: str, code: str, hint: Hint) -> None:
        self.add(path, message, code, hint)

    def warning(self, path: tuple[str | int, ...], message: str, code: str, hint: Hint) -> None:
        self.add(path, message, code, hint, level="warning")

    def finish(self) -> list[Diagnostic]:
        for code, (count, path, level) in self.hidden.items():
            what = _WHAT.get(code, f"[{code}] problems")
            self.out.append(
                self.smap.diagnostic(
                    path,
                    f"and {count:,} more {what} (the first {MAX_PER_CODE} are reported; "
                    "this is the next one)",
                    code=code,
                    level=level,
                    hint="fix the ones above first; so many often means a wrong or missing "
                    "section, or a file written by a broken script",
                )
            )
        return self.out


def check_references(org: Org, smap: SourceMap) -> list[Diagnostic]:
    """Every reference problem in ``org``: errors first make the file unusable, warnings do not.

    The checks run in this order (the first :data:`MAX_PER_CODE` of each code are shown):
    bounds, duplicate ids, processes, customers' demand, assignment rules.
    """
    capped = _Capped(smap)
    capped.out += _bounds(org, smap)
    _duplicate_ids(org, smap, capped)
    names = _Names.of(org)
    _process_references(org, names, capped)
    _demand_references(org, names, capped)
    _rule_references(org, names, capped)
    _proposal_references(org, names, capped)
    return capped.finish()


def _duplicate_ids(org: Org, smap: SourceMap, capped: _Capped) -> None:
    """Duplicate ids within each kind."""
    sections: tuple[tuple[str, Sequence[Person | Activity | Process | Customer]], ...] = (
        ("people", org.people),
        ("activities", org.activities),
        ("processes", org.processes),
        ("customers", org.customers),
    )
    for section, items in sections:
        first: dict[str, int] = {}
        for i, item in enumerate(items):
            if item.id in first:
                line = smap.at((section, first[item.id]))[0]
                capped.error(
                    (section, i, "id"),
                    f"duplicate id '{item.id}' in {section} (first at line {line})",
                    "duplicate-id",
                    "ids must be unique within their kind",
                )
            else:
                first[item.id] = i


@dataclass(frozen=True)
class _Names:
    """The ids of each kind, with their did-you-mean indexes."""

    people: dict[str, Person]
    activities: dict[str, Activity]
    processes: dict[str, Process]
    customers: dict[str, Customer]
    regions: set[str]
    activity_names: Suggestions
    process_names: Suggestions
    customer_names: Suggestions
    person_names: Suggestions
    region_names: Suggestions

    @classmethod
    def of(cls, org: Org) -> _Names:
        people = {p.id: p for p in org.people}
        activities = {a.id: a for a in org.activities}
        processes = {p.id: p for p in org.processes}
        customers = {c.id: c for c in org.customers}
        regions = {c.region for c in org.customers if c.region is not None}
        return cls(
            people,
            activities,
            processes,
            customers,
            regions,
            Suggestions(activities),
            Suggestions(processes),
            Suggestions(customers),
            Suggestions(people),
            Suggestions(regions),
        )


def _process_references(org: Org, names: _Names, capped: _Capped) -> None:
    """Processes: known activities, unique step ids, known and acyclic ``after``."""
    # Processes: known activities, unique step ids, known and acyclic `after`.
    for pi, process in enumerate(org.processes):
        seen: dict[str, int] = {}
        for si, step in enumerate(process.steps):
            path = ("processes", pi, "steps", si)
            if step.activity not in names.activities:
                capped.error(
                    (*path, "activity"),
                    f"unknown activity '{step.activity}' in process '{process.id}'",
                    "unknown-activity",
                    _lazy(
                        names.activity_names,
                        step.activity,
                        lambda: "define it under activities:",
                    ),
                )
            if step.step_id in seen:
                capped.error(
                    path,
                    f"step '{step.step_id}' appears twice in process '{process.id}'",
                    "duplicate-step",
                    "give repeated activities distinct ids: {id: check_2, activity: check}",
                )
            seen[step.step_id] = si
        step_ids = {s.step_id for s in process.steps}
        step_names = Suggestions(step_ids)
        bad_after = False
        for si, step in enumerate(process.steps):
            for ai, ref in enumerate(step.after or []):
                if ref not in step_ids:
                    bad_after = True
                    capped.error(
                        ("processes", pi, "steps", si, "after", ai),
                        f"step '{step.step_id}' waits for unknown step '{ref}'",
                        "unknown-step",
                        _lazy(step_names, ref, _steps_of(process.id, step_ids)),
                    )
                elif ref == step.step_id:
                    bad_after = True
                    capped.error(
                        ("processes", pi, "steps", si, "after", ai),
                        f"step '{ref}' waits for itself",
                        "cycle",
                        "remove it from its own after:",
                    )
        if not bad_after and len(seen) == len(process.steps):
            cycle = find_cycle(step_predecessors(process))
            if cycle:
                si = next(i for i, s in enumerate(process.steps) if s.step_id == cycle[0])
                capped.error(
                    ("processes", pi, "steps", si),
                    f"steps of '{process.id}' wait for each other in a cycle: "
                    + " -> ".join([*cycle, cycle[0]]),
                    "cycle",
                    "a step can only wait for steps that finish before it; break the cycle",
                )


def _demand_references(org: Org, names: _Names, capped: _Capped) -> None:
    """Customers: demand on known processes."""
    # Customers: demand on known processes.
    for ci, customer in enumerate(org.customers):
        for pid in customer.demand:
            if pid not in names.processes:
                capped.add(
                    ("customers", ci, "demand", pid),
                    f"customer '{customer.id}' has demand for unknown process '{pid}'",
                    "unknown-process",
                    _lazy(names.process_names, pid, lambda: "define it under processes:"),
                    key=True,
                )


def _rule_references(org: Org, names: _Names, capped: _Capped) -> None:
    """Rules: known activities, customers and people; regions some customer is in."""
    for ri, rule in enumerate(org.assignments):
        for key, known, index, kind in (
            ("activity", names.activities, names.activity_names, "activity"),
            ("customers", names.customers, names.customer_names, "customer"),
        ):
            for i, ref in enumerate(getattr(rule, key) or []):
                if ref not in known:
                    capped.error(
                        ("assignments", ri, key, i),
                        f"unknown {kind} '{ref}' in assignment rule",
                        f"unknown-{kind}",
                        _lazy(index, ref, _fixed(f"check the {kind} ids")),
                    )
        for key in ("people", "pool"):
            for i, ref in enumerate(getattr(rule, key) or []):
                if ref not in names.people:
                    capped.error(
                        ("assignments", ri, key, i),
                        f"unknown person '{ref}' in assignment rule",
                        "unknown-person",
                        _lazy(names.person_names, ref, lambda: "define them under people:"),
                    )
        for i, region in enumerate(rule.region or []):
            if region not in names.regions:
                capped.warning(
                    ("assignments", ri, "region", i),
                    f"no customer is in region '{region}', so this rule never matches",
                    "rule-never-matches",
                    _lazy(names.region_names, region, _regions(names.regions)),
                )


def _proposal_references(org: Org, names: _Names, capped: _Capped) -> None:
    """What proposals read (issue 15): a customer's ``owner`` is a person, ``pinned`` has an
    owner, and the activities in ``will_not_learn`` exist."""
    for ci, customer in enumerate(org.customers):
        if customer.owner is not None and customer.owner not in names.people:
            capped.error(
                ("customers", ci, "owner"),
                f"unknown person '{customer.owner}' as owner of customer '{customer.id}'",
                "unknown-person",
                _lazy(names.person_names, customer.owner, lambda: "define them under people:"),
            )
        if customer.pinned and customer.owner is None:
            capped.error(
                ("customers", ci, "pinned"),
                f"customer '{customer.id}' is pinned but has no owner",
                "pinned-without-owner",
                "name the person it is pinned to: owner: PERSON",
            )
    for pi, person in enumerate(org.people):
        for i, ref in enumerate(person.will_not_learn):
            if ref not in names.activities:
                capped.error(
                    ("people", pi, "will_not_learn", i),
                    f"unknown activity '{ref}' in will_not_learn of '{person.id}'",
                    "unknown-activity",
                    _lazy(names.activity_names, ref, _fixed("check the activity ids")),
                )


def _fixed(text: str) -> Callable[[], str]:
    return lambda: text


def _steps_of(process: str, step_ids: set[str]) -> Callable[[], str]:
    return lambda: f"steps of '{process}': {', '.join(sorted(step_ids))}"


def _regions(regions: set[str]) -> Callable[[], str]:
    return lambda: f"customer regions: {', '.join(sorted(regions)) or 'none'}"


def _bounds(org: Org, smap: SourceMap) -> list[Diagnostic]:
    """Bounds that depend on the office calendar: durations in working hours, demand per week,
    capacity per week, the absence spell (README: Bounds of the format)."""
    from orgflow.units import (
        MAX_CAPACITY_HOURS_PER_WEEK,
        MAX_DURATION_HOURS,
        MIN_ABSENCE_SPELL_HOURS,
        MIN_CAPACITY_HOURS_PER_WEEK,
        Duration,
    )

    cal = org.calendar
    out: list[Diagnostic] = []

    def duration(path: tuple[str | int, ...], what: str, value: Duration) -> None:
        hours = value.hours(cal)
        if hours > MAX_DURATION_HOURS:
            out.append(
                smap.diagnostic(
                    path,
                    f"{what} of {value} is {hours:,.0f} working hours, more than the "
                    f"{MAX_DURATION_HOURS:,.0f} hours a duration may be",
                    code="bounds",
                    hint="check the unit (m, h, d, w); see README: Bounds of the format",
                )
            )

    settings = org.org
    duration(("org", "handoff_delay"), "handoff_delay", settings.handoff_delay)
    duration(("org", "absence_spell"), "absence_spell", settings.absence_spell)
    spell = settings.absence_spell.hours(cal)
    if spell < MIN_ABSENCE_SPELL_HOURS:
        out.append(
            smap.diagnostic(
                ("org", "absence_spell"),
                f"absence_spell of {settings.absence_spell} is shorter than "
                f"{MIN_ABSENCE_SPELL_HOURS:g} working hour",
                code="bounds",
                hint="an absence spell is the mean length of one absence, e.g. 2d; "
                "it must be at least 1h",
            )
        )
    for ai, activity in enumerate(org.activities):
        effort = activity.effort
        for name in ("mean", "min", "likely", "max"):
            value = getattr(effort, name, None)
            if isinstance(value, Duration):
                duration(("activities", ai, "effort", name), f"effort {name}", value)
    for pi, person in enumerate(org.people):
        if person.capacity is None:
            continue
        per_week = person.capacity.hours_per_week(cal)
        if not MIN_CAPACITY_HOURS_PER_WEEK <= per_week <= MAX_CAPACITY_HOURS_PER_WEEK:
            out.append(
                smap.diagnostic(
                    ("people", pi, "capacity"),
                    f"capacity {person.capacity} is {per_week:,.4g} hours a week; a capacity "
                    f"is from {MIN_CAPACITY_HOURS_PER_WEEK:g} to "
                    f"{MAX_CAPACITY_HOURS_PER_WEEK:g} hours a week",
                    code="bounds",
                    hint="write the hours a person works when present, e.g. 40h/week or 6h/day",
                )
            )
    return out + _demand_bounds(org, smap)


def _demand_bounds(org: Org, smap: SourceMap) -> list[Diagnostic]:
    """Demand of at most :data:`~orgflow.units.MAX_RATE_PER_WEEK` requests a week."""
    from orgflow.units import MAX_RATE_PER_WEEK

    cal = org.calendar
    out: list[Diagnostic] = []
    period_hours = {
        period: cal.period_hours(period) for period in ("hour", "day", "week", "month", "year")
    }
    week = cal.hours_per_week
    for ci, customer in enumerate(org.customers):
        for pid, rate in customer.demand.items():
            per_week = rate.amount / period_hours[rate.period] * week
            if per_week > MAX_RATE_PER_WEEK:
                out.append(
                    smap.diagnostic(
                        ("customers", ci, "demand", pid),
                        f"demand {rate} of customer '{customer.id}' is {per_week:,.0f} requests "
                        f"a week, more than {MAX_RATE_PER_WEEK:,.0f}",
                        code="bounds",
                        hint="split the customer, or check the period (hour, day, week, "
                        "month, year)",
                    )
                )
    return out
