"""Reference checks on a schema-valid org: ids, cycles, coverage, skills and overload."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from orgflow.diagnostics import Diagnostic
from orgflow.graph import step_predecessors
from orgflow.model import Activity, Customer, Org, Person, Process

if TYPE_CHECKING:
    from orgflow.loader import SourceMap


#: Reference problems reported per code; the rest are counted in one more diagnostic.
MAX_PER_CODE = 20
#: Similarity (rapidfuzz's ratio, 0-100, as difflib's ratio times 100) of a suggestion.
SUGGEST_CUTOFF = 60.0

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
}


class Suggestions:
    """Did-you-mean hints against one set of known names, indexed once: rapidfuzz compares a
    name with every candidate in C, so thousands of unknown names take milliseconds each."""

    def __init__(self, known: Iterable[str]) -> None:
        self._known = known
        self._choices: list[str] | None = None  # sorted on first use

    def best(self, name: str) -> str | None:
        """The closest known name, or ``None`` when nothing is close."""
        from rapidfuzz import fuzz, process

        if self._choices is None:
            self._choices = sorted(set(self._known))
        if not self._choices:
            return None
        found = process.extractOne(
            name, self._choices, scorer=fuzz.ratio, score_cutoff=SUGGEST_CUTOFF
        )
        return None if found is None else str(found[0])

    def hint(self, name: str) -> str | None:
        close = self.best(name)
        return f"did you mean '{close}'?" if close is not None else None


def _suggest(name: str, known: Iterable[str]) -> str | None:
    return Suggestions(known).hint(name)


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
        self.hidden: dict[str, tuple[int, tuple[str | int, ...], str]] = {}

    def add(
        self,
        path: tuple[str | int, ...],
        message: str,
        code: str,
        hint: Hint,
        *,
        level: str = "error",
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
    """Every reference problem in ``org``: errors first make the file unusable, warnings do not."""
    capped = _Capped(smap)
    out = capped.out

    def err(path: tuple[str | int, ...], message: str, code: str, hint: Hint) -> None:
        capped.add(path, message, code, hint)

    def warn(path: tuple[str | int, ...], message: str, code: str, hint: Hint) -> None:
        capped.add(path, message, code, hint, level="warning")

    out += _bounds(org, smap)

    # Duplicate ids within each kind.
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
                err(
                    (section, i, "id"),
                    f"duplicate id '{item.id}' in {section} (first at line {line})",
                    "duplicate-id",
                    "ids must be unique within their kind",
                )
            else:
                first[item.id] = i

    people = {p.id: p for p in org.people}
    activities = {a.id: a for a in org.activities}
    processes = {p.id: p for p in org.processes}
    customers = {c.id: c for c in org.customers}
    regions = {c.region for c in org.customers if c.region is not None}
    activity_names = Suggestions(activities)
    process_names = Suggestions(processes)
    customer_names = Suggestions(customers)
    person_names = Suggestions(people)
    region_names = Suggestions(regions)

    # Processes: known activities, unique step ids, known and acyclic `after`.
    for pi, process in enumerate(org.processes):
        seen: dict[str, int] = {}
        for si, step in enumerate(process.steps):
            path = ("processes", pi, "steps", si)
            if step.activity not in activities:
                err(
                    (*path, "activity"),
                    f"unknown activity '{step.activity}' in process '{process.id}'",
                    "unknown-activity",
                    _lazy(activity_names, step.activity, lambda: "define it under activities:"),
                )
            if step.step_id in seen:
                err(
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
                    err(
                        ("processes", pi, "steps", si, "after", ai),
                        f"step '{step.step_id}' waits for unknown step '{ref}'",
                        "unknown-step",
                        _lazy(step_names, ref, _steps_of(process.id, step_ids)),
                    )
                elif ref == step.step_id:
                    bad_after = True
                    err(
                        ("processes", pi, "steps", si, "after", ai),
                        f"step '{ref}' waits for itself",
                        "cycle",
                        "remove it from its own after:",
                    )
        if not bad_after and len(seen) == len(process.steps):
            cycle = _find_cycle(step_predecessors(process))
            if cycle:
                si = next(i for i, s in enumerate(process.steps) if s.step_id == cycle[0])
                err(
                    ("processes", pi, "steps", si),
                    f"steps of '{process.id}' wait for each other in a cycle: "
                    + " -> ".join([*cycle, cycle[0]]),
                    "cycle",
                    "a step can only wait for steps that finish before it; break the cycle",
                )

    # Customers: demand on known processes.
    for ci, customer in enumerate(org.customers):
        for pid in customer.demand:
            if pid not in processes:
                capped.add(
                    ("customers", ci, "demand", pid),
                    f"customer '{customer.id}' has demand for unknown process '{pid}'",
                    "unknown-process",
                    _lazy(process_names, pid, lambda: "define it under processes:"),
                    key=True,
                )

    # Rules: known ids.
    region_warned: set[int] = set()
    for ri, rule in enumerate(org.assignments):
        for key, known, names, kind in (
            ("activity", activities, activity_names, "activity"),
            ("customers", customers, customer_names, "customer"),
        ):
            for i, ref in enumerate(getattr(rule, key) or []):
                if ref not in known:
                    err(
                        ("assignments", ri, key, i),
                        f"unknown {kind} '{ref}' in assignment rule",
                        f"unknown-{kind}",
                        _lazy(names, ref, _fixed(f"check the {kind} ids")),
                    )
        for key in ("people", "pool"):
            for i, ref in enumerate(getattr(rule, key) or []):
                if ref not in people:
                    err(
                        ("assignments", ri, key, i),
                        f"unknown person '{ref}' in assignment rule",
                        "unknown-person",
                        _lazy(person_names, ref, lambda: "define them under people:"),
                    )
        for i, region in enumerate(rule.region or []):
            if region not in regions:
                region_warned.add(ri)
                warn(
                    ("assignments", ri, "region", i),
                    f"no customer is in region '{region}', so this rule never matches",
                    "rule-never-matches",
                    _lazy(region_names, region, _regions(regions)),
                )

    out = capped.finish()
    if any(d.level == "error" for d in out):
        return out
    out += _coverage(org, smap, region_warned)
    return out


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
        MAX_RATE_PER_WEEK,
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
    for ci, customer in enumerate(org.customers):
        for pid, rate in customer.demand.items():
            per_week = rate.per_week(cal)
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


def _find_cycle(preds: dict[str, list[str]]) -> list[str] | None:
    """A cycle among the steps, in order, or ``None`` (graphlib: no networkx import at load)."""
    import graphlib

    try:
        graphlib.TopologicalSorter(preds).prepare()
    except graphlib.CycleError as exc:
        # Each node is an immediate predecessor of the next; the first is repeated last.
        return list(exc.args[1])[:-1]
    return None


def _coverage(org: Org, smap: SourceMap, region_warned: set[int]) -> list[Diagnostic]:
    """Uncovered (customer, step) pairs, rules that never apply, work without the skill."""
    from orgflow.analysis.routes import build_routes
    from orgflow.assign import Resolver

    out: list[Diagnostic] = []
    resolver = Resolver(org)
    activities = {a.id: a for a in org.activities}
    skills = {p.id: set(p.skills) for p in org.people}
    missed: list[tuple[str, str, int]] = []
    applied: set[tuple[int, str]] = set()
    routes = build_routes(org, resolver, uncovered=missed, rules_used=applied)
    used = {index for index, _activity in applied}
    uncovered: dict[tuple[str, str], list[int]] = {}
    for pid, sid, ci in missed:
        cis = uncovered.setdefault((pid, sid), [])
        if not cis or cis[-1] != ci:
            cis.append(ci)
    rule_skills = dict.fromkeys(
        sorted({(index, activities[act].skill_id) for index, act in applied})
    )
    missing_skill: dict[tuple[int, str, str], None] = {}
    for index, skill in rule_skills:  # once per rule and skill, not per customer
        for person in org.assignments[index].members:
            if skill not in skills[person]:
                missing_skill[(index, person, skill)] = None

    for (pid, sid), cis in uncovered.items():
        first = org.customers[cis[0]]
        n = len(cis) - 1
        others = f" and {n} other customer{'' if n == 1 else 's'}" if n else ""
        out.append(
            smap.diagnostic(
                ("customers", cis[0], "demand", pid),
                f"no assignment rule covers step '{sid}' of '{pid}' for customer "
                f"'{first.id}'{others}",
                code="uncovered",
                hint=f"add a rule, e.g. {{activity: {sid}, people: [...]}}, or a catch-all "
                "{people: [...]} at the end of assignments:",
            )
        )
    for ri, _rule in enumerate(org.assignments):
        if ri not in used and ri not in region_warned:
            out.append(
                smap.diagnostic(
                    ("assignments", ri),
                    f"assignment rule {ri + 1} never applies: no (customer, step) with demand "
                    "matches it, or rules above it match first",
                    code="rule-never-matches",
                    level="warning",
                    hint="remove it, or move it above the rule that takes its work",
                )
            )
    for ri, person, skill in missing_skill:
        key = "pool" if org.assignments[ri].is_pool else "people"
        pos = org.assignments[ri].members.index(person)
        out.append(
            smap.diagnostic(
                ("assignments", ri, key, pos),
                f"'{person}' is assigned work that needs skill '{skill}', which they do not have",
                code="missing-skill",
                level="warning",
                hint=f"add {skill} to their skills once trained, or assign someone who has it",
            )
        )
    if any(d.level == "error" for d in out):
        return out

    from orgflow.analysis.workload import workload

    smap.routes = routes
    for load in workload(org, smap.routes):
        if load.utilization >= 1:
            pi = next(i for i, p in enumerate(org.people) if p.id == load.person)
            out.append(
                smap.diagnostic(
                    ("people", pi, "id"),
                    f"'{load.person}' is overloaded: {load.load_hours_per_week:.1f} h/week of work "
                    f"for {load.available_hours_per_week:.1f} h/week present "
                    f"(utilization {load.utilization:.0%})",
                    code="overloaded",
                    level="warning",
                    hint="their queue grows without bound: move work to others or add capacity",
                )
            )
    return out
