"""The swimlane of one route, built once from an Analysis and drawn by Mermaid, DOT and SVG."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from orgflow.analysis.summary import Analysis, RouteResult
from orgflow.output import working_time

#: Node ids are ``s_`` + the step id, lane ids ``lane_`` + the desk: the prefixes keep every id
#: clear of the words Mermaid and DOT reserve (``end``, ``graph``, ``subgraph``, ``class``,
#: ``style``, ``click``, ``node``, ``edge``, ``strict``...).
STEP_PREFIX = "s_"
LANE_PREFIX = "lane_"


class DiagramError(ValueError):
    """The route asked for does not exist (a usage error: exit 2 in the CLI)."""


@dataclass(frozen=True)
class Lane:
    """One desk: a person (with any backups) or a pool, in the order a request reaches it."""

    id: str  # safe id: [A-Za-z0-9_], unique in the diagram
    desk: str  # the analysis' desk name: the primary, or ``a+b`` for a pool
    people: tuple[str, ...]  # the primary first, then the backups (or the pool's members)
    pool: bool
    label: str


@dataclass(frozen=True)
class Box:
    """One step, in its desk's lane, with its figures taken from the route's StepTiming."""

    id: str  # safe id: [A-Za-z0-9_], unique in the diagram
    step: str
    activity: str
    lane: str  # Lane.id
    title: str
    effort_hours: float  # StepTiming.work.touch
    wait_hours: float  # StepTiming.entry.total: queueing, handoff latency and absence
    handed_over: bool
    owners: tuple[str, ...]
    bus_factor: int
    critical: bool

    @property
    def spof(self) -> bool:
        """A single point of failure: one person away stops the step."""
        return self.bus_factor == 1


@dataclass(frozen=True)
class Arrow:
    """A precedence edge of the process; a handoff when its two steps are at different desks."""

    source: str  # Box.id
    target: str  # Box.id
    handoff: bool
    critical: bool  # both steps are consecutive on the critical path


@dataclass(frozen=True)
class Swimlane:
    """Everything a renderer draws; no figure in it is computed here, only taken."""

    org_name: str
    process: str
    route: int
    chain: tuple[str, ...]
    customers: tuple[str, ...]
    requests_per_week: float
    handoffs: float  # RouteResult.handoffs: the number of handoff arrows (expected: random routes)
    lead_time_hours: float
    hours_per_day: float
    lanes: tuple[Lane, ...]
    boxes: tuple[Box, ...]
    arrows: tuple[Arrow, ...]

    @property
    def title(self) -> str:
        return f"{self.org_name}: {self.process}, route {self.route}"

    @property
    def caption(self) -> str:
        """One line under the title: the chain, the demand, the handoffs, the lead time."""
        return (
            f"{' → '.join(self.chain)} · {self.requests_per_week:.1f} requests/week · "
            f"{self.handoffs} handoff{'s' if self.handoffs != 1 else ''} · "
            f"lead time {working_time(self.lead_time_hours, self.hours_per_day, 'short')}"
        )

    def lines(self, box: Box) -> list[str]:
        """The text of a step's box, line by line: title, figures, and its risk mark."""
        wait = (
            "no wait"
            if not box.handed_over and box.wait_hours == 0
            else f"wait {working_time(box.wait_hours, self.hours_per_day, 'short')}"
        )
        out = [
            box.title,
            f"work {working_time(box.effort_hours, self.hours_per_day, 'short')} · {wait}",
        ]
        if box.spof:
            out.append(f"⚠ only {box.owners[0]}")
        return out


def safe_id(text: str, prefix: str, taken: set[str]) -> str:
    """``prefix`` + ``text`` with every character outside [A-Za-z0-9_] as ``_``, made unique.

    Parameters
    ----------
    text : str
        The text.
    prefix : str
        The id's prefix (``s_`` for a step, ``lane_`` for a lane).
    taken : set of str
        The ids already given (the new one is added).

    Returns
    -------
    str
        The id.

    Examples
    --------
    >>> taken: set[str] = set()
    >>> safe_id("order-entry", "s_", taken), safe_id("order.entry", "s_", taken)
    ('s_order_entry', 's_order_entry_2')
    >>> safe_id("end", "s_", taken)
    's_end'
    """
    base = prefix + re.sub(r"[^A-Za-z0-9_]", "_", text)
    found, n = base, 1
    while found in taken:
        n += 1
        found = f"{base}_{n}"
    taken.add(found)
    return found


def pick_route(a: Analysis, process: str | None = None, route: int | None = None) -> RouteResult:
    """The route to draw: ``route`` by number, else the busiest route of ``process`` (default:
    the first process that has demand); ties go to the lower route number.

    Parameters
    ----------
    a : Analysis
        The office's analysis.
    process : str, optional
        The process to draw (default: the first with demand).
    route : int, optional
        The route's number (default: the busiest route of the process).

    Returns
    -------
    RouteResult
        The route's result.
    """
    if not a.routes:
        raise DiagramError("no route to draw: no customer demands any process")
    if route is not None:
        found = next((r for r in a.routes if r.route.number == route), None)
        if found is None:
            raise DiagramError(f"no route {route}: routes are numbered 1 to {len(a.routes)}")
        if process is not None and found.route.process != process:
            raise DiagramError(
                f"route {route} belongs to process {found.route.process!r}, not {process!r}"
            )
        return found
    process = process or a.routes[0].route.process
    mine = [r for r in a.routes if r.route.process == process]
    if not mine:
        known = ", ".join(dict.fromkeys(r.route.process for r in a.routes))
        raise DiagramError(f"no route for process {process!r}; processes with demand: {known}")
    return max(mine, key=lambda r: (r.route.requests_per_week, -r.route.number))


def swimlane(a: Analysis, process: str | None = None, route: int | None = None) -> Swimlane:
    """The swimlane of a route (see :func:`pick_route`): one lane per desk in the order a
    request reaches it, each step in its desk's lane, every precedence edge an arrow.

    Parameters
    ----------
    a : Analysis
        The office's analysis.
    process : str, optional
        The process to draw (default: the first with demand).
    route : int, optional
        The route's number (default: the busiest route of the process).

    Returns
    -------
    Swimlane
        What a renderer draws.

    Examples
    --------
    >>> from orgflow import load_text
    >>> from orgflow.analysis.summary import analyze
    >>> org = load_text('''
    ... version: 1
    ... people: [{id: ann, skills: [a, b]}, {id: bob, skills: [a, b]}]
    ... activities: [{id: a, effort: 1h}, {id: b, effort: 2h}]
    ... processes: [{id: p, steps: [a, b]}]
    ... customers: [{id: c, demand: {p: 1/week}}]
    ... assignments: [{activity: a, people: [ann, bob]}, {activity: b, people: [bob]}]
    ... ''')
    >>> sw = swimlane(analyze(org))
    >>> [lane.label for lane in sw.lanes], [(b.id, b.lane, b.spof) for b in sw.boxes]
    (['ann (backup bob)', 'bob'], [('s_a', 'lane_ann', False), ('s_b', 'lane_bob', True)])
    >>> sw.arrows
    (Arrow(source='s_a', target='s_b', handoff=True, critical=True),)
    """
    rr = pick_route(a, process, route)
    r = rr.route
    names = {act.id: act.name for act in a.activities}
    taken: set[str] = set()
    desks: dict[str, tuple[list[str], bool]] = {}
    for s in r.steps:
        members, _ = desks.setdefault(s.owners.desk, ([], s.owners.pool))
        members.extend(p for p in s.owners.people if p not in members)
    lane_ids = {desk: safe_id(desk, LANE_PREFIX, taken) for desk in desks}
    lanes = tuple(
        Lane(lane_ids[desk], desk, tuple(members), pool, _lane_label(desk, members, pool))
        for desk, (members, pool) in desks.items()
    )
    box_ids = {t.step: safe_id(t.step, STEP_PREFIX, taken) for t in rr.lead.steps}
    critical = set(rr.lead.critical_path)
    boxes = []
    for t in rr.lead.steps:
        owners = r.step(t.step).owners
        name = names.get(t.activity) or t.activity
        boxes.append(
            Box(
                id=box_ids[t.step],
                step=t.step,
                activity=t.activity,
                lane=lane_ids[t.desk],
                title=name if t.step == t.activity else f"{name} ({t.step})",
                effort_hours=t.work.touch,
                wait_hours=t.entry.total,
                handed_over=t.handed_over,
                owners=owners.people,
                bus_factor=owners.bus_factor,
                critical=t.step in critical,
            )
        )
    desk_of = {t.step: t.desk for t in rr.lead.steps}
    path = rr.lead.critical_path
    on_path = set(itertools.pairwise(path))
    arrows = tuple(  # in step order, as the analysis lists the steps
        Arrow(box_ids[p], box_ids[t.step], desk_of[p] != desk_of[t.step], (p, t.step) in on_path)
        for t in rr.lead.steps
        for p in r.step(t.step).after
    )
    return Swimlane(
        org_name=a.org_name,
        process=r.process,
        route=r.number,
        chain=tuple(rr.chain),
        customers=tuple(r.customers),
        requests_per_week=r.requests_per_week,
        handoffs=rr.handoffs,
        lead_time_hours=rr.lead.lead_time_hours,
        hours_per_day=a.hours_per_day,
        lanes=lanes,
        boxes=tuple(boxes),
        arrows=arrows,
    )


def _lane_label(desk: str, members: list[str], pool: bool) -> str:
    if pool:
        return "pool: " + ", ".join(members)
    if len(members) == 1:
        return desk
    return f"{desk} (backup {', '.join(members[1:])})"
