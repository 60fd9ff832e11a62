"""``analyze(office)``: every analysis of a resolved office in one typed result, each figure
computed once."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from orgflow.analysis.handoffs import customer_contacts, handoff_edges, route_handoffs
from orgflow.analysis.leadtime import LeadTimeModel, Parts, RouteLeadTime, lead_times
from orgflow.analysis.risk import (
    TruckFactor,
    activity_bus_factors,
    blocked_shares,
    route_bus_factor,
    truck_factor,
)
from orgflow.analysis.workload import PersonLoad, workload
from orgflow.diagnostics import Diagnostic
from orgflow.office import Office, Route


@dataclass(frozen=True)
class RouteResult:
    route: Route
    handoffs: float
    bus_factor: int
    lead: RouteLeadTime

    @property
    def chain(self) -> list[str]:
        return self.route.desks


@dataclass(frozen=True)
class ActivityResult:
    id: str
    name: str | None
    bus_factor: int | None  # None: no customer demands it
    people: list[str]
    hours_per_week: float
    specialist: bool
    # expected executions per week: requests per week x expected visits x the alternative's share
    executions_per_week: float = 0.0


@dataclass(frozen=True)
class PersonResult:
    load: PersonLoad
    blocked_share: float
    queue_wait_hours: float  # mean wait of an item in their queue, absences included

    @property
    def id(self) -> str:
        return self.load.person


@dataclass(frozen=True)
class CustomerResult:
    id: str
    region: str | None
    requests_per_week: float
    contacts: list[str]
    handoffs_per_request: float
    lead_time_hours: float


@dataclass(frozen=True)
class BusiestMonth:
    """The busiest month of ``demand_by_month``: its multiplier, the mean lead time and each
    person's utilization with every rate multiplied by it, and who is overloaded then but not
    on average."""

    month: str
    factor: float
    lead_time_hours: float
    utilization: dict[str, float]
    overloaded_only_then: list[str]


def busiest_month_figures(office: Office) -> BusiestMonth | None:
    """The office in its busiest month, or ``None`` without ``demand_by_month``: rates times
    the month's multiplier, each month taken as steady (a month is long beside most lead
    times; the README says where it is not).

    Parameters
    ----------
    office : Office
        The resolved office.

    Returns
    -------
    BusiestMonth or None
        The month, its multiplier, the lead time and utilizations then, and who is overloaded
        only then.

    Examples
    --------
    10 requests a week of 3 h: ann is 30 h / 40 h = 75% busy on average; January's
    multiplier 1.5 makes it 112.5%: she is overloaded in January only (July's 0.5 keeps the
    mean of the twelve multipliers at 1).

    >>> from orgflow import load_text
    >>> office = load_text('''
    ... version: 1
    ... org:
    ...   demand_by_month: {jan: 1.5, feb: 1, mar: 1, apr: 1, may: 1, jun: 1, jul: 0.5,
    ...                     aug: 1, sep: 1, oct: 1, nov: 1, dec: 1}
    ... people: [{id: ann, skills: [a]}]
    ... activities: [{id: a, effort: 3h}]
    ... processes: [{id: p, steps: [a]}]
    ... customers: [{id: c, demand: {p: 10/week}}]
    ... assignments: [{people: [ann]}]
    ... ''')
    >>> peak = busiest_month_figures(office)
    >>> peak.month, peak.factor, peak.utilization["ann"], peak.overloaded_only_then
    ('January', 1.5, 1.125, ['ann'])
    """
    from orgflow.routing import busiest_month, overloaded_only_in

    months = office.org.org.demand_by_month
    if months is None:
        return None
    peak = busiest_month(months.factors)
    busy = office.scaled(peak.factor)
    _model, leads = lead_times(busy)
    lead = weighted_mean(
        [
            (lt.lead_time_hours, r.requests_per_week)
            for lt, r in zip(leads, busy.routes.routes, strict=True)
        ]
    )
    average = {p.person: p.utilization for p in workload(office)}
    return BusiestMonth(
        peak.name,
        peak.factor,
        lead,
        {p.person: p.utilization for p in workload(busy)},
        overloaded_only_in(peak.factor, average),
    )


@dataclass(frozen=True)
class Summary:
    requests_per_week: float
    handoffs_per_request: float
    lead_time_hours: float
    parts: Parts
    flow_efficiency: float
    truck_factor: TruckFactor
    contacts_per_customer: float
    worst_person: str | None
    worst_blocked_share: float
    overloaded: list[str]
    #: With ``demand_by_month``: the busiest month beside the average one (issue 13).
    busiest_month: BusiestMonth | None = None

    @property
    def touch_time_hours(self) -> float:
        return self.parts.touch


@dataclass(frozen=True)
class Analysis:
    """Everything ``orgflow analyze`` reports."""

    org_name: str
    file: str | None
    hours_per_day: float
    days_per_week: float
    handoff_delay_hours: float
    absence_spell_hours: float
    summary: Summary
    routes: list[RouteResult]
    activities: list[ActivityResult]
    people: list[PersonResult]
    customers: list[CustomerResult]
    handoffs: dict[tuple[str, str], float]
    warnings: list[Diagnostic] = field(default_factory=list)
    model: LeadTimeModel | None = field(default=None, repr=False, compare=False)

    def handoff_graph(self) -> Any:
        """The desk-to-desk handoff graph (networkx DiGraph), edges weighted by requests/week
        (``requests_per_week``)."""
        from orgflow.graph import weighted_digraph

        return weighted_digraph(self.handoffs, "requests_per_week")

    def person_activity_graph(self) -> Any:
        """The person-activity graph (networkx Graph), edges weighted by the hours per week
        each person is expected to spend on each activity (``hours_per_week``)."""
        from orgflow.graph import bipartite_graph

        return bipartite_graph(
            {(p.id, act): h for p in self.people for act, h in p.load.activities.items() if h},
            "hours_per_week",
        )


def weighted_mean(pairs: list[tuple[float, float]]) -> float:
    """Mean of values weighted by their weights; ``inf`` if an infinite value has weight.

    Parameters
    ----------
    pairs
        (value, weight) pairs; weights of 0 or less count for nothing.

    Returns
    -------
    float
        The weighted mean; 0 when no weight is positive.

    Examples
    --------
    >>> weighted_mean([(1.0, 3.0), (5.0, 1.0)])  # (1 * 3 + 5 * 1) / 4
    2.0
    >>> weighted_mean([(float("inf"), 1.0), (2.0, 1.0)])
    inf
    >>> weighted_mean([(7.0, 0.0)])
    0.0
    """
    if len(pairs) == 1:
        value, weight = pairs[0]
        return float(value) if weight > 0 else 0.0
    total = sum(w for _, w in pairs)
    if total <= 0:
        return 0.0
    if any(math.isinf(v) for v, w in pairs if w > 0):
        return math.inf
    return sum(v * w for v, w in pairs if w > 0) / total


def analyze(office: Office, *, exact_truck_factor: bool = True) -> Analysis:
    """Run every analysis on a resolved office, each figure once.

    Parameters
    ----------
    office
        The resolved office (:func:`orgflow.office.resolve`).
    exact_truck_factor
        Whether the truck factor may call the mixed-integer model (HiGHS) when the exhaustive
        search is too long; without it, its greedy bound (``method`` "greedy"). ``orgflow
        simulate`` reports no truck factor: it spares the solver.

    Returns
    -------
    Analysis
        Everything ``orgflow analyze`` reports.

    Examples
    --------
    >>> from orgflow.loader import load_text
    >>> from orgflow.office import resolve
    >>> office = resolve(load_text('''
    ... version: 1
    ... people: [{id: ann, skills: [a, b]}, {id: bob, skills: [a, b]}]
    ... activities: [{id: a, effort: 1h}, {id: b, effort: 1h}]
    ... processes: [{id: p, steps: [a, b]}]
    ... customers: [{id: c, demand: {p: 1/week}}]
    ... assignments: [{activity: a, people: [ann]}, {activity: b, people: [bob]}]
    ... '''))
    >>> analyze(office).summary.handoffs_per_request
    1.0
    """
    from orgflow.gc_pause import paused_gc

    with paused_gc():
        return _analyze(office, exact_truck_factor)


def _activity_results(office: Office, loads: list[PersonLoad]) -> list[ActivityResult]:
    """Each activity's bus factor, the people who do it, its hours and its expected executions
    per week."""
    bus = activity_bus_factors(office)
    people_per_activity: dict[str, dict[str, None]] = {}
    for r in office.routes.routes:
        for s in r.steps:
            people_per_activity.setdefault(s.activity, {}).update(dict.fromkeys(s.owners.people))
    executions: dict[str, float] = {}
    for r in office.routes.routes:
        for s in r.steps:
            for activity, part, _owners in s.doings:
                executions[activity] = (
                    executions.get(activity, 0.0) + r.requests_per_week * s.visits * part
                )
    hours_per_activity: dict[str, float] = {}
    for load in loads:
        for act, h in load.activities.items():
            hours_per_activity[act] = hours_per_activity.get(act, 0.0) + h
    return [
        ActivityResult(
            a.id,
            a.name,
            bus.get(a.id),
            list(people_per_activity.get(a.id, {})),
            hours_per_activity.get(a.id, 0.0),
            a.specialist,
            executions.get(a.id, 0.0),
        )
        for a in office.org.activities
    ]


def _customer_results(office: Office, route_results: list[RouteResult]) -> list[CustomerResult]:
    """Each customer's requests, contacts, and handoffs and lead time over their routes."""
    contacts = customer_contacts(office)
    lead_by_route = {rr.route.number: rr for rr in route_results}
    customers = []
    for c in office.org.customers:
        mine = office.routes.by_customer.get(c.id, [])
        customers.append(
            CustomerResult(
                c.id,
                c.region,
                sum(w for _, w in mine),
                contacts[c.id],
                weighted_mean([(lead_by_route[r.number].handoffs, w) for r, w in mine]),
                weighted_mean([(lead_by_route[r.number].lead.lead_time_hours, w) for r, w in mine]),
            )
        )
    return customers


def _analyze(office: Office, exact_truck_factor: bool = True) -> Analysis:
    org, routes = office.org, office.routes
    loads = workload(office)
    model, leads = lead_times(office)
    route_results = [
        RouteResult(r, route_handoffs(r, office), route_bus_factor(r), lead)
        for r, lead in zip(routes.routes, leads, strict=True)
    ]
    total = routes.total_per_week
    parts = Parts()
    weighted: list[tuple[float, float]] = []
    for rr in route_results:
        w = rr.route.requests_per_week
        weighted.append((rr.lead.lead_time_hours, w))
        if total > 0 and w > 0:
            parts = parts + rr.lead.parts.scaled(w / total)
    lead = weighted_mean(weighted)
    handoffs = weighted_mean([(rr.handoffs, rr.route.requests_per_week) for rr in route_results])

    blocked = blocked_shares(office)
    activities = _activity_results(office, loads)
    people = [
        PersonResult(
            load, blocked[load.person], model.person_queues[load.person].wait_with_absences
        )
        for load in loads
    ]
    customers = _customer_results(office, route_results)
    worst = max(people, key=lambda p: p.blocked_share, default=None)
    summary = Summary(
        requests_per_week=total,
        handoffs_per_request=handoffs,
        lead_time_hours=lead,
        parts=parts,
        flow_efficiency=(parts.touch / lead if lead > 0 and math.isfinite(lead) else 0.0),
        truck_factor=truck_factor(office, mip=exact_truck_factor),
        contacts_per_customer=weighted_mean(
            [(len(c.contacts), c.requests_per_week) for c in customers]
        ),
        worst_person=worst.id if worst and worst.blocked_share > 0 else None,
        worst_blocked_share=worst.blocked_share if worst else 0.0,
        overloaded=[p.id for p in people if p.load.overloaded],
        busiest_month=busiest_month_figures(office),
    )
    cal = office.calendar
    return Analysis(
        org_name=org.org.name,
        file=office.file,
        hours_per_day=cal.hours_per_day,
        days_per_week=cal.days_per_week,
        handoff_delay_hours=office.handoff_delay,
        absence_spell_hours=office.absence_spell,
        summary=summary,
        routes=route_results,
        activities=activities,
        people=people,
        customers=customers,
        handoffs=handoff_edges(office),
        warnings=list(office.warnings),
        model=model,
    )
