"""The swimlane of one route, built once from an Analysis and drawn by Mermaid, DOT and SVG."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace

from orgflow.analysis.summary import Analysis, RouteResult
from orgflow.assign import Owners
from orgflow.office import Route
from orgflow.output import working_time

#: Node ids are ``s_`` + the step id, lane ids ``lane_`` + the desk: the prefixes keep every id
#: clear of the words Mermaid and DOT reserve (``end``, ``graph``, ``subgraph``, ``class``,
#: ``style``, ``click``, ``node``, ``edge``, ``strict``...).
STEP_PREFIX = "s_"
LANE_PREFIX = "lane_"
#: An external wait before a step (issue 13's ``delay``) is a node of its own, outside the
#: lanes, ``w_`` + the step id; the end of a request that stops early is the node ``x_end``.
WAIT_PREFIX = "w_"
END_PREFIX = "x_"


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
    #: Issue 13's routing (defaults: a step every request does once). ``probability``: the
    #: share of requests doing it; ``stop``: the share of those that end after it;
    #: ``visits``: expected executions per request; ``alternatives``: the exclusive
    #: alternatives (title, share, where: "" at this box's desk, else the other desk's first
    #: person and how many more); ``delay_hours``: the mean external wait before it.
    probability: float = 1.0
    stop: float = 0.0
    visits: float = 1.0
    alternatives: tuple[tuple[str, float, str], ...] = ()
    delay_hours: float = 0.0

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
class Wait:
    """An external wait before a step (``delay``): a node of its own, outside the lanes, on
    the way into the step; taken by nobody."""

    id: str  # safe id: [A-Za-z0-9_], unique in the diagram
    target: str  # Box.id
    hours: float  # the delay's mean, working hours


@dataclass(frozen=True)
class Rework:
    """A rework loop: from its last step back to the step it goes back to."""

    source: str  # Box.id of the step with the rework
    target: str  # Box.id of the step it goes back to
    probability: float
    max: int | None


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
    #: Issue 13's additions, empty on a route without them: the external waits, the rework
    #: loops, and the id of the end node the steps with a ``stop`` point to ("" for none).
    waits: tuple[Wait, ...] = ()
    reworks: tuple[Rework, ...] = ()
    end: str = ""

    @property
    def title(self) -> str:
        return f"{self.org_name}: {self.process}, route {self.route}"

    @property
    def caption(self) -> str:
        """One line under the title: the chain, the demand, the handoffs, the lead time."""
        handoffs = (
            str(self.handoffs)
            if isinstance(self.handoffs, int)
            else f"{self.handoffs:.1f} expected"  # a random route's (issue 13)
        )
        return (
            f"{' → '.join(self.chain)} · {self.requests_per_week:.1f} requests/week · "
            f"{handoffs} handoff{'s' if self.handoffs != 1 else ''} · "
            f"lead time {self.hours(self.lead_time_hours)}"
        )

    def hours(self, hours: float) -> str:
        """A duration as the diagrams write it (``17.2 h``, ``8.3 d``)."""
        return working_time(hours, self.hours_per_day, "short")

    def wait_label(self, wait: Wait) -> str:
        """The text of an external wait's node."""
        return f"⏳ {self.hours(wait.hours)} wait"

    @staticmethod
    def rework_label(rework: Rework) -> str:
        """The text on a rework arrow: its probability, and its limit if any."""
        limit = f", at most {rework.max} loops" if rework.max is not None else ""
        return f"rework {rework.probability:.0%}{limit}"

    @staticmethod
    def stop_label(box: Box) -> str:
        """The text on the arrow to the end: the share of the step's requests ending there."""
        return f"{box.stop:.0%} end here"

    def lines(self, box: Box, marks: bool = False) -> list[str]:
        """The text of a step's box, line by line: title, figures, its risk mark, then
        issue 13's routing (alternatives, probability, visits). With ``marks``, also the
        external wait before the step and the share that ends after it, for a drawing that
        does not draw them as nodes of their own (SVG)."""
        wait = (
            "no wait"
            if not box.handed_over and box.wait_hours == 0
            else f"wait {self.hours(box.wait_hours)}"
        )
        out = [
            box.title,
            f"work {self.hours(box.effort_hours)} · {wait}",
        ]
        if box.spof:
            out.append(f"⚠ only {box.owners[0]}")
        for title, share, where in box.alternatives:
            out.append(f"{share:.0%} {title}" + (f" · {where}" if where else ""))
        if box.probability < 1:
            out.append(f"done {box.probability:.0%} of the time")
        if box.visits > 1 + 1e-9:
            out.append(f"{box.visits:.2f} visits per request")
        if marks and box.delay_hours > 0:
            out.insert(1, f"⏳ {self.hours(box.delay_hours)} wait before")
        if marks and box.stop > 0:
            out.append(f"⏹ {self.stop_label(box)}")
        return out

    def wait_of(self) -> dict[str, Wait]:
        """Each box with an external wait before it: box id -> its wait."""
        return {w.target: w for w in self.waits}

    def stopping(self) -> list[Box]:
        """The boxes some requests end after, in step order."""
        return [b for b in self.boxes if b.stop > 0]


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
    # Over 80 lines with its docstring and doctest; the body is about 55: lanes, boxes,
    # arrows, then issue 13's routing in a helper of its own (:func:`_routing`).
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
    waits: tuple[Wait, ...] = ()
    reworks: tuple[Rework, ...] = ()
    end = ""
    if r.routing:  # issue 13's additions (or a pickup: any pool)
        boxes, waits, reworks, end = _routing(r, boxes, box_ids, names, taken)
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
        waits=waits,
        reworks=reworks,
        end=end,
    )


def _routing(
    r: Route,
    boxes: list[Box],
    box_ids: dict[str, str],
    names: dict[str, str | None],
    taken: set[str],
) -> tuple[list[Box], tuple[Wait, ...], tuple[Rework, ...], str]:
    """Issue 13's routing of a route, read from its :class:`~orgflow.routing.RoutedStep`:
    each box's probability, stop, visits and alternatives; the external waits (a node each);
    the rework loops; and the end node's id when some step ends requests."""
    routed = {s.id: s for s in r.routing}
    out: list[Box] = []
    for box in boxes:
        step = r.step(box.step)
        rs = routed[box.step]
        alternatives = tuple(
            (names.get(activity) or activity, share, _elsewhere(owners, step.owners))
            for activity, share, owners in step.alternatives
        )
        out.append(
            replace(
                box,
                # A step of alternatives is named by its id; its lines name the alternatives.
                title=box.step if alternatives else box.title,
                probability=rs.probability,
                stop=rs.stop,
                visits=step.visits,
                alternatives=alternatives,
                delay_hours=rs.delay.mean,
            )
        )
    waits = tuple(
        Wait(safe_id(b.step, WAIT_PREFIX, taken), b.id, b.delay_hours)
        for b in out
        if b.delay_hours > 0
    )
    reworks = tuple(
        Rework(box_ids[s.id], box_ids[s.rework_to], s.rework_probability, s.rework_max)
        for s in r.routing
        if s.rework_to is not None
    )
    end = safe_id("end", END_PREFIX, taken) if any(b.stop > 0 for b in out) else ""
    return out, waits, reworks, end


def _elsewhere(owners: Owners, here: Owners) -> str:
    """Where an alternative is done, when not at the step's desk: its first person, and how
    many more share the desk."""
    if owners.desk == here.desk:
        return ""
    more = len(owners.people) - 1
    return owners.people[0] + (f" +{more}" if more else "")


def _lane_label(desk: str, members: list[str], pool: bool) -> str:
    if pool:
        return "pool: " + ", ".join(members)
    if len(members) == 1:
        return desk
    return f"{desk} (backup {', '.join(members[1:])})"
