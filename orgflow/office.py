"""The resolved office: an org as every command reads it, built once after loading.

:func:`resolve` turns a loaded :class:`~orgflow.model.Org` into an :class:`Office`: the
calendar, the routes (who does each step of each process, per group of customers) with each
step's owners and desk, each route's handoffs (the precedence edges whose two steps are done at
different desks) and each process's topological order, each person's speed and present
capacity, the absence spell and the handoff delay in hours, and each activity's effort in hours.
Every analysis, both simulation engines, ``propose`` and the check rules read these figures
here, so that each is worked out in one place.

The problems of an office (steps no rule covers, rules that never apply, work without the
skill, overloaded people) are found by the lint pass, :mod:`orgflow.analysis.lint`, over the
:class:`Office`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from orgflow.assign import Owners, Resolver
from orgflow.errors import OrgflowError
from orgflow.graph import descendants, step_predecessors, topological_order
from orgflow.model import Org, Person, Process
from orgflow.routing import RoutedStep, expected_visits, pool_change_probability, routed_steps
from orgflow.units import Calendar

if TYPE_CHECKING:
    from orgflow.diagnostics import Diagnostic


@dataclass(frozen=True)
class RouteStep:
    """One step of a route: the people it goes to, its desk, and the steps it waits for.

    ``handed_from`` are the predecessors done at another desk: the step is handed over from
    each of them (a handoff).
    """

    step: str
    activity: str
    owners: Owners
    after: tuple[str, ...]
    desk: str = ""
    handed_from: tuple[str, ...] = ()
    #: Expected executions per request (issue 13: optional steps, stops, reworks); 1 on a
    #: route without them.
    visits: float = 1.0
    #: Exclusive alternatives: (activity, share, owners) of each; empty for one activity
    #: (``activity`` and ``owners`` are then the step's, else the first alternative's).
    alternatives: tuple[tuple[str, float, Owners], ...] = ()

    @property
    def doings(self) -> tuple[tuple[str, float, Owners], ...]:
        """(activity, share, owners) of what the step does: its alternatives, or its one
        activity with share 1."""
        return self.alternatives or ((self.activity, 1.0, self.owners),)

    @property
    def handed_over(self) -> bool:
        """Whether the request reaches this step's desk from outside: from the customer (no
        predecessor) or from another desk."""
        return not self.after or bool(self.handed_from)


@dataclass
class Route:
    """A process as a group of customers sees it: the same desks in the same order.

    ``handoffs`` lists the precedence edges (predecessor, step) whose two steps are done at
    different desks, in step order.
    """

    number: int
    process: str
    steps: tuple[RouteStep, ...]
    customers: list[str] = field(default_factory=list)
    requests_per_hour: float = 0.0
    requests_per_week: float = 0.0
    handoffs: tuple[tuple[str, str], ...] = ()
    #: The process's steps as the random-route model reads them (:mod:`orgflow.routing`),
    #: when the process has delays, optional steps, stops, alternatives or reworks.
    routing: tuple[RoutedStep, ...] = ()

    @property
    def random(self) -> bool:
        """Whether the route has delays or random routing (issue 13's additions)."""
        return bool(self.routing)

    @property
    def desks(self) -> list[str]:
        """The desks a request visits, in the order it first reaches them."""
        return list(dict.fromkeys(step.desk for step in self.steps))

    def step(self, step_id: str) -> RouteStep:
        for s in self.steps:
            if s.step == step_id:
                return s
        raise KeyError(step_id)


@dataclass
class Routes:
    """All routes, and for each customer the routes of its processes with their rates."""

    routes: list[Route]
    by_customer: dict[str, list[tuple[Route, float]]]  # customer -> [(route, requests/week)]

    @property
    def total_per_week(self) -> float:
        return sum(r.requests_per_week for r in self.routes)


def _route_steps(
    process_steps: list[tuple[str, str]],
    owners: list[Owners],
    preds: dict[str, list[str]],
    alternatives: dict[str, tuple[tuple[str, float, Owners], ...]] | None = None,
    visits: Mapping[str, float] | None = None,
) -> tuple[tuple[RouteStep, ...], tuple[tuple[str, str], ...]]:
    """A route's steps with their desks, and its handoff edges (worked out here, once)."""
    desk = {sid: o.desk for (sid, _a), o in zip(process_steps, owners, strict=True)}
    steps = []
    handoffs: list[tuple[str, str]] = []
    for (sid, activity), o in zip(process_steps, owners, strict=True):
        after = tuple(preds[sid])
        handed = tuple(p for p in after if desk[p] != desk[sid])
        handoffs += [(p, sid) for p in handed]
        steps.append(
            RouteStep(
                sid,
                activity,
                o,
                after,
                desk[sid],
                handed,
                visits[sid] if visits is not None else 1.0,
                (alternatives or {}).get(sid, ()),
            )
        )
    return tuple(steps), tuple(handoffs)


def _is_random(process: Process) -> bool:
    return any(s.is_random or s.delay is not None for s in process.steps)


def _step_owners(
    process: Process,
    customer: str,
    ci: int,
    resolver: Resolver,
    of_activity: dict[str, Owners | None],
    uncovered: list[tuple[str, str, int]] | None,
    rules_used: set[tuple[int, str]] | None,
) -> tuple[list[Owners], dict[str, tuple[tuple[str, float, Owners], ...]]] | None:
    """The owners of each step of ``process`` for ``customer`` (the first alternative's), and
    every alternative's owners where a step has several; None when a step is not covered
    (listed in ``uncovered``, or :class:`UncoveredStepError` without it). ``of_activity``
    caches the customer's owners per activity."""
    owners: list[Owners] = []
    alternatives: dict[str, tuple[tuple[str, float, Owners], ...]] = {}
    complete = True  # else every uncovered step is still listed
    for step in process.steps:
        found_all: list[tuple[str, float, Owners]] = []
        for activity, share in step.alternatives:
            if activity not in of_activity:
                of_activity[activity] = resolver.owners(customer, activity)
            found = of_activity[activity]
            if found is None:
                if uncovered is None:
                    raise UncoveredStepError(customer, step.step_id)
                uncovered.append((process.id, step.step_id, ci))
                complete = False
                break
            found_all.append((activity, share, found))
            if rules_used is not None:
                rules_used.add((found.rule, activity))
        if len(found_all) == len(step.alternatives):
            owners.append(found_all[0][2])
            if len(found_all) > 1:
                alternatives[step.step_id] = tuple(found_all)
    return (owners, alternatives) if complete else None


def build_routes(
    org: Org,
    resolver: Resolver | None = None,
    *,
    uncovered: list[tuple[str, str, int]] | None = None,
    rules_used: set[tuple[int, str]] | None = None,
) -> Routes:
    """Group (customer, process) demand into routes; routes are numbered from 1 in process
    order, busiest first within a process.

    A (customer, step) that no rule covers raises :class:`UncoveredStepError`, or, with
    ``uncovered`` given, is listed there as (process, step, customer index) and its demand left
    out. ``rules_used`` collects (rule index, activity) for every rule that applies to some step
    with demand.

    Examples
    --------
    >>> from orgflow.loader import load_text
    >>> org = load_text('''
    ... version: 1
    ... people: [{id: ann, skills: [a]}, {id: bob, skills: [b]}]
    ... activities: [{id: a, effort: 1h}, {id: b, effort: 1h}]
    ... processes: [{id: p, steps: [a, b]}]
    ... customers: [{id: c, demand: {p: 2/week}}, {id: d, demand: {p: 1/week}}]
    ... assignments: [{activity: a, people: [ann]}, {activity: b, people: [bob]}]
    ... ''')
    >>> [(r.number, r.desks, r.customers, r.handoffs) for r in build_routes(org).routes]
    [(1, ['ann', 'bob'], ['c', 'd'], (('a', 'b'),))]
    """
    # A little over 80 lines with its doctest: grouping by (process, owners, alternatives)
    # and building each route once read best in one loop.
    resolver = resolver or Resolver(org)
    cal = org.calendar
    processes = {p.id: p for p in org.processes}
    preds = {p.id: step_predecessors(p) for p in org.processes}
    # The random-route model, for processes with issue 13's additions, and for every route
    # through a ``pickup: any`` pool (its handoffs and waits are per step).
    routing = {p.id: tuple(routed_steps(p, cal)) for p in org.processes}
    random = {p.id for p in org.processes if _is_random(p)}
    any_rules = {i for i, r in enumerate(org.assignments) if r.pickup == "any"}
    visits = {pid: expected_visits(routing[pid]).steps for pid in random}
    grouped: dict[tuple[Any, ...], Route] = {}
    by_customer: dict[str, list[tuple[Route, float]]] = {}
    for ci, customer in enumerate(org.customers):
        of_activity: dict[str, Owners | None] = {}
        for pid, rate in customer.demand.items():
            process = processes[pid]
            found = _step_owners(
                process, customer.id, ci, resolver, of_activity, uncovered, rules_used
            )
            if found is None:
                continue
            owners, alternatives = found
            key = (pid, tuple(owners), tuple(sorted(alternatives.items())))
            route = grouped.get(key)
            if route is None:
                steps, handoffs = _route_steps(
                    [(s.step_id, s.activity) for s in process.steps],
                    owners,
                    preds[pid],
                    alternatives,
                    visits.get(pid),
                )
                pickup_any = any(o.rule in any_rules for o in owners) or any(
                    o.rule in any_rules for alts in alternatives.values() for _a, _s, o in alts
                )
                route = grouped[key] = Route(
                    0,
                    pid,
                    steps,
                    handoffs=handoffs,
                    routing=routing[pid] if pid in random or pickup_any else (),
                )
            per_hour = rate.per_hour(cal)
            route.customers.append(customer.id)
            route.requests_per_hour += per_hour
            route.requests_per_week += per_hour * cal.hours_per_week
            by_customer.setdefault(customer.id, []).append((route, per_hour * cal.hours_per_week))
    order = {p.id: i for i, p in enumerate(org.processes)}
    routes = sorted(grouped.values(), key=lambda r: (order[r.process], -r.requests_per_week))
    for number, route in enumerate(routes, start=1):
        route.number = number
    return Routes(routes, by_customer)


class UncoveredStepError(OrgflowError):
    """A (customer, step) with demand that no assignment rule covers."""

    def __init__(self, customer: str, step: str) -> None:
        super().__init__(f"no rule covers {customer}/{step}")
        self.customer = customer
        self.step = step


@dataclass(frozen=True)
class ProcessShape:
    """A process's steps in topological order (step order where the ``after`` lists leave a
    choice), and each step's descendants (the steps that wait for it, directly or not)."""

    order: tuple[str, ...]
    reach: Mapping[str, frozenset[str]]


def process_shape(preds: dict[str, list[str]]) -> ProcessShape:
    """The :class:`ProcessShape` of a process given each step's predecessors (in step order).

    Examples
    --------
    >>> shape = process_shape({"a": [], "b": ["a"], "c": []})
    >>> shape.order, sorted(shape.reach["a"])
    (('a', 'b', 'c'), ['b'])
    """
    index = {sid: i for i, sid in enumerate(preds)}
    order = topological_order(preds, key=index.__getitem__)
    assert order is not None, "the loader refuses steps that wait for each other in a cycle"
    return ProcessShape(tuple(order), descendants(order, preds))


def _frozen(mapping: dict[str, Any]) -> Mapping[str, Any]:
    """A mapping the office hands out read-only (typed ``Mapping``: mypy refuses a write).
    A plain dict, not a ``MappingProxyType``, so that an office can be pickled to worker
    processes."""
    return mapping


@dataclass(frozen=True)
class Office:
    """An org resolved once: everything the analyses, the simulation, ``propose`` and the
    check rules read, in working hours.

    Build it with :func:`resolve`. ``speed`` is the share of the office's working hours a person
    works when present (capacity / the calendar's hours per week); ``present_capacity`` is their
    capacity times their availability, the hours per week they are expected to work.
    ``uncovered`` and ``rules_used`` are what the lint pass reports on
    (:mod:`orgflow.analysis.lint`); ``warnings`` are the loader's and the lint pass's.
    """

    org: Org
    calendar: Calendar
    routes: Routes
    shapes: Mapping[str, ProcessShape]
    people: Mapping[str, Person]
    capacity: Mapping[str, float]  # hours per week when present
    availability: Mapping[str, float]
    present_capacity: Mapping[str, float]  # capacity * availability
    speed: Mapping[str, float]  # capacity / the calendar's hours per week
    efforts: Mapping[str, tuple[float, float]]  # activity -> (mean, variance), hours
    absence_spell: float  # hours
    handoff_delay: float  # hours
    uncovered: tuple[tuple[str, str, int], ...] = ()  # (process, step, customer index)
    rules_used: frozenset[tuple[int, str]] = frozenset()  # (rule index, activity)
    warnings: tuple[Diagnostic, ...] = ()

    @property
    def file(self) -> str | None:
        """The file the org was loaded from, if any."""
        source = self.org.source
        return source.file if source is not None else None

    @property
    def source(self) -> Any:
        """The :class:`orgflow.loader.SourceMap` of the file, if any (positions)."""
        return self.org.source

    def order(self, process: str) -> tuple[str, ...]:
        """The steps of ``process`` in topological order."""
        return self.shapes[process].order

    def effort(self, activity: str) -> float:
        """Mean effort of ``activity`` in hours."""
        return self.efforts[activity][0]

    def effort_of(self, owners: Owners, activity: str) -> tuple[float, float]:
        """(mean, variance) in hours of ``activity`` done under the rule that gave
        ``owners``: the rule's ``effort`` where it has one, else the activity's."""
        rule = (
            self.org.assignments[owners.rule] if owners.rule < len(self.org.assignments) else None
        )
        if rule is not None and rule.effort is not None:
            cal = self.calendar
            return rule.effort.mean_hours(cal), rule.effort.variance_hours(cal)
        return self.efforts[activity]

    def change_probability(self, owners: Owners) -> float:
        """Probability that two consecutive steps at this desk are done by two different
        people: a ``pickup: any`` pool's 1 - sum of its members' squared shares of its work
        (:meth:`~orgflow.assign.Owners.pool_weights`:
        :func:`orgflow.routing.pool_change_probability`); 0 elsewhere."""
        rules = self.org.assignments
        if not owners.pool or owners.rule >= len(rules) or rules[owners.rule].pickup != "any":
            return 0.0
        return pool_change_probability(
            owners.pool_weights(self.availability, self.present_capacity)
        )

    def scaled(self, factor: float) -> Office:
        """The same office with every customer's rate multiplied by ``factor`` (a month of
        ``demand_by_month``)."""
        new = {
            id(r): replace(
                r,
                customers=list(r.customers),
                requests_per_hour=r.requests_per_hour * factor,
                requests_per_week=r.requests_per_week * factor,
            )
            for r in self.routes.routes
        }
        by_customer = {
            c: [(new[id(r)], w * factor) for r, w in pairs]
            for c, pairs in self.routes.by_customer.items()
        }
        routes = Routes([new[id(r)] for r in self.routes.routes], by_customer)
        return replace(self, routes=routes)

    def with_people(self, people: list[Person]) -> Office:
        """The same office with other figures for its people (capacities, availabilities;
        the same ids in the same order): the routes, which depend on customers, processes and
        assignments only, are kept."""
        org = self.org.model_copy(update={"people": people})
        return Office(
            org,
            self.calendar,
            self.routes,
            self.shapes,
            *_people_figures(org),
            self.efforts,
            self.absence_spell,
            self.handoff_delay,
            self.uncovered,
            self.rules_used,
            self.warnings,
        )


def _people_figures(
    org: Org,
) -> tuple[
    Mapping[str, Person],
    Mapping[str, float],
    Mapping[str, float],
    Mapping[str, float],
    Mapping[str, float],
]:
    cal = org.calendar
    capacity = {p.id: p.capacity_hours_per_week(cal) for p in org.people}
    availability = {p.id: p.availability for p in org.people}
    return (
        _frozen({p.id: p for p in org.people}),
        _frozen(capacity),
        _frozen(availability),
        _frozen({p: capacity[p] * availability[p] for p in capacity}),
        _frozen({p: capacity[p] / cal.hours_per_week for p in capacity}),
    )


def resolve(org: Org, warnings: tuple[Diagnostic, ...] | None = None) -> Office:
    """Resolve a loaded org into an :class:`Office`, once.

    ``warnings`` default to the loader's (on ``org.source``). Steps no rule covers are listed
    in ``Office.uncovered`` (the lint pass reports them) and their demand left out.

    Parameters
    ----------
    org
        A loaded org (:func:`orgflow.loader.load`).
    warnings
        The office's warnings; by default the loader's.

    Returns
    -------
    Office

    Examples
    --------
    >>> from orgflow.loader import load_text
    >>> office = resolve(load_text('''
    ... version: 1
    ... org: {handoff_delay: 2h}
    ... people: [{id: ann, skills: [a], capacity: 20h/week, availability: 0.5}]
    ... activities: [{id: a, effort: 30m}]
    ... processes: [{id: p, steps: [a]}]
    ... customers: [{id: c, demand: {p: 1/week}}]
    ... assignments: [{people: [ann]}]
    ... '''))
    >>> office.speed["ann"], office.present_capacity["ann"], office.handoff_delay
    (0.5, 10.0, 2.0)
    >>> office.effort("a"), office.routes.routes[0].desks
    (0.5, ['ann'])
    """
    cal = org.calendar
    uncovered: list[tuple[str, str, int]] = []
    rules_used: set[tuple[int, str]] = set()
    routes = build_routes(org, uncovered=uncovered, rules_used=rules_used)
    shapes = {p.id: process_shape(step_predecessors(p)) for p in org.processes}
    if warnings is None:
        source = org.source
        warnings = tuple(source.warnings) if source is not None else ()
    return Office(
        org,
        cal,
        routes,
        _frozen(shapes),
        *_people_figures(org),
        _frozen(
            {a.id: (a.effort.mean_hours(cal), a.effort.variance_hours(cal)) for a in org.activities}
        ),
        org.org.absence_spell.hours(cal),
        org.org.handoff_delay.hours(cal),
        tuple(uncovered),
        frozenset(rules_used),
        warnings,
    )
