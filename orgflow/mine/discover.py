"""From the figures of a log to an org file (a plain dict, plus the lines of its header).

Every choice is documented here and in the README ("How mine builds the org file"):

- **roles**: people whose activity-count vectors correlate (Pearson) at ``ROLE_THRESHOLD`` or
  more are linked; a role is a connected group (Simod's resource pools). A role is named after
  the activity its members do most.
- **routing** (one process): the steps in the order most requests do the activities first
  (:func:`precedence_order`), detours for an activity done between two executions of an
  earlier step (:func:`_detours`); each kept variant is replayed on the steps, and each step's
  probability, stop and rework are the observed ones per execution (:func:`discover_routes`),
  so the expected executions equal the counts observed. ``paths`` keeps only the most
  frequent variants (all by default).
- **exclusive alternatives**: neighbouring steps whose activities never meet in a request,
  outside loops, become one step of alternatives (:func:`_alternatives`).
- **efforts per rule**: where performers differ markedly (:func:`effort_split`), the slower
  group's work is an activity of its own (same name), done as an exclusive alternative by its
  share of the events, each group's rule with its effort.
- **efforts**: lognormal with the observed mean and coefficient of variation of each
  activity's effort (fixed at 0 when every event takes no time).
- **delays**: the mean wait before a step less its queueing part: the contention measured
  (the performer busy with other events during the wait) beyond what chance gives (a
  performer busy a share b of the time is busy b of any wait); cv of the extraneous waits.
- **assignments**: the people doing at least ``MEMBER_SHARE`` of an activity; a chain
  (most frequent first, the others as backups) when one does at least ``DOMINANT_SHARE``
  of it, else a pool where any member picks up the next step. A pool gets ``shares`` when
  a member's share of its work hours in the log (the pool's activities, the members' events)
  is more than ``SHARE_TOLERANCE`` (relative) from the share the model gives without them (in
  proportion to present capacity): each member's share is their observed share over their
  availability, so that the model's share, share * A / sum of share * A, is the observed one.
- **demand**: requests arrived / weeks from the first to the last arrival; per month, the
  arrival rate of each month observed over the mean rate (``demand_by_month``).
- **availability**: 1 - (absent working days / working days from a person's first to last day
  of work), an absence being ``ABSENCE_RUN`` or more working days in a row without any event for
  a person who averages at least ``BUSY_PER_DAY`` events per working day; else 1.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, field
from typing import Any

from orgflow.mine.figures import MIN_CALENDAR_EVENTS, Figures

ROLE_THRESHOLD = 0.7
MEMBER_SHARE = 0.05
DOMINANT_SHARE = 0.8
SHARE_TOLERANCE = 0.1
MANDATORY = 0.99995
ABSENCE_RUN = 5
BUSY_PER_DAY = 2.0
MIN_DELAY_HOURS = 0.05
MAX_CUSTOMERS = 20
EFFORT_RATIO = 2.0
SPLIT_MIN_EVENTS = 10
SPLIT_MIN_SHARE = 0.05
SPLIT_MIN_HOURS = 1 / 60
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


@dataclass
class Route:
    activity: str
    probability: float = 1.0
    stop: float = 0.0
    rework_to: str | None = None  # the key of the step gone back to
    rework: float = 0.0
    delay_mean: float = 0.0
    delay_cv: float = 0.0
    requests: int = 0
    #: The step's key: the activity, or ``activity@x`` for a detour (the activity done between
    #: two executions of ``x``, placed right after ``x`` and going back to it).
    key: str = ""
    visits: int = 0
    reached: int = 0
    stops: int = 0
    #: Exclusive alternatives (activity, executions), when the step is a choice; else empty.
    alternatives: list[tuple[str, int]] = field(default_factory=list)

    @property
    def activities(self) -> list[tuple[str, int]]:
        return self.alternatives or [(self.activity, self.visits)]

    def __post_init__(self) -> None:
        self.key = self.key or self.activity


@dataclass
class RequestClass:
    """A class of requests mined as a process of its own (:mod:`orgflow.mine.classes`):
    ``fig`` is the log's figures with the class's activities, performers, variants and
    request count."""

    suffix: str  # of the process id: "" or "_slow"
    label: str  # the process's name, before " of <office>"
    fig: Figures
    #: When set, each step's delay comes from these figures (the fast class's per-visit
    #: delays) and ``request_delay`` (mean, cv) is one delay on the first step, drawn once a
    #: request: the class's own wait beyond them.
    per_visit: Figures | None = None
    request_delay: tuple[float, float] | None = None


@dataclass
class Mined:
    org: dict[str, Any]
    header: list[str]
    warnings: list[str] = field(default_factory=list)
    roles: dict[str, str] = field(default_factory=dict)
    routes: list[Route] = field(default_factory=list)
    splits: dict[str, Split] = field(default_factory=dict)


def slug(name: str, taken: set[str]) -> str:
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", name.strip()).strip("_").lower() or "x"
    if len(base) > 60:  # cut at the last word boundary (``_``) within 60 characters
        head = base[:61]
        cut = head.rfind("_")
        base = head[:cut] if cut > 0 else base[:60]
    out, n = base, 2
    while out in taken:
        out, n = f"{base}_{n}", n + 1
    taken.add(out)
    return out


# --- roles ---------------------------------------------------------------------------------


def discover_roles(fig: Figures, threshold: float = ROLE_THRESHOLD) -> dict[str, str]:
    import numpy as np

    people = sorted(fig.people)
    acts = sorted(fig.activities)
    if not people:
        return {}
    m = np.zeros((len(people), len(acts)))
    pi = {p: i for i, p in enumerate(people)}
    ai = {a: i for i, a in enumerate(acts)}
    for (a, p), v in fig.by_performer.items():
        m[pi[p], ai[a]] = v["count"]
    parent = list(range(len(people)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    centred = m - m.mean(axis=1, keepdims=True)
    norms = np.sqrt((centred**2).sum(axis=1))
    for i in range(len(people)):
        for j in range(i + 1, len(people)):
            if norms[i] == 0 or norms[j] == 0:
                continue
            r = float(centred[i] @ centred[j] / (norms[i] * norms[j]))
            if r >= threshold:
                parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(people)):
        groups.setdefault(find(i), []).append(i)
    roles: dict[str, str] = {}
    taken: set[str] = set()
    for members in sorted(groups.values(), key=lambda g: (-m[g].sum(), people[g[0]])):
        top = acts[int(m[members].sum(axis=0).argmax())]
        name = slug(top, taken)
        for i in members:
            roles[people[i]] = name
    return roles


# --- routing -------------------------------------------------------------------------------


def precedence_order(variants: list[tuple[list[str], int]]) -> list[str]:
    """The activities in the order their first executions take in most requests: ``b`` beats
    ``a`` when more requests (of those doing both) do ``b`` first. Repeatedly the activity
    that the fewest remaining ones beat comes next (ties: mean first position, then name): the
    topological order of the precedences where they agree, a short way round where they do
    not.

    >>> precedence_order([(["a", "c"], 5), (["a", "b", "c"], 1)])
    ['a', 'b', 'c']
    """
    first_sum: dict[str, float] = {}
    seen_in: dict[str, int] = {}
    before: dict[tuple[str, str], int] = {}
    for seq, n in variants:
        first: dict[str, int] = {}
        for i, a in enumerate(seq):
            first.setdefault(a, i)
        for a, i in first.items():
            first_sum[a] = first_sum.get(a, 0.0) + i * n
            seen_in[a] = seen_in.get(a, 0) + n
        for a, b in itertools.permutations(first, 2):
            if first[a] < first[b]:
                before[(a, b)] = before.get((a, b), 0) + n
    left = set(first_sum)
    order: list[str] = []
    while left:

        def rank(a: str) -> tuple[int, float, str]:
            beaten = sum(1 for b in left if before.get((b, a), 0) > before.get((a, b), 0))
            return beaten, first_sum[a] / seen_in[a], a

        nxt = min(left, key=rank)
        order.append(nxt)
        left.remove(nxt)
    return order


def _detours(variants: list[tuple[list[str], int]], order: list[str]) -> dict[tuple[str, str], int]:
    """(x, a) -> how often ``a`` is done between two executions of ``x`` (x a x) where ``a``
    comes after ``x`` in ``order`` but not right after it: such an ``a`` gets a step of its own
    after ``x`` that goes back to ``x`` (else the loop back would redo every step between)."""
    place = {a: k for k, a in enumerate(order)}
    found: dict[tuple[str, str], int] = {}
    for seq, n in variants:
        for x, a, y in zip(seq, seq[1:], seq[2:], strict=False):
            if x == y != a and place[a] > place[x] + 1:
                found[(x, a)] = found.get((x, a), 0) + n
    return found


def _steps(order: list[str], detours: dict[tuple[str, str], int]) -> list[tuple[str, str]]:
    """(key, activity) of every step: the activities in ``order``, each followed by the
    detours from it (most frequent first)."""
    out = []
    for x in order:
        out.append((x, x))
        mine = sorted((a for (y, a) in detours if y == x), key=lambda a: (-detours[(x, a)], a))
        out += [(f"{a}@{x}", a) for a in mine]
    return out


def discover_routes(
    fig: Figures, paths: int = 0, busy: dict[str, float] | None = None
) -> tuple[list[Route], int]:
    """The steps of the one process with their routing, by replaying the kept variants on the
    steps in order (the README's "How mine builds the org file", Routing). Each request walks
    the steps forward: a step it passes without doing is *reached* and skipped; an execution of
    a step at or before the current one is a loop back from the current step. Then each step's
    ``probability`` = done / reached, ``stop`` = requests ending after it / done, ``rework`` =
    loops back to its most frequent target / done: the probabilities per visit that the
    format's random route draws, so the expected executions of every step equal the counts
    observed (the traffic equations hold for the observed flows). Returns the steps and the
    number of requests the kept variants hold. ``busy``: the performers' busy shares for the
    delays' queueing part (default: ``fig``'s own; a class of requests passes the whole
    log's, its people being busy with both classes)."""
    variants = fig.variants[:paths] if paths > 0 else fig.variants
    total = sum(n for _, n in variants)
    order = precedence_order(variants)
    detours = _detours(variants, order)
    steps = _steps(order, detours)
    index = {key: k for k, (key, _) in enumerate(steps)}
    m = len(steps)
    done, reached, stops, contains = [0] * m, [0] * m, [0] * m, [0] * m
    back: list[dict[int, int]] = [{} for _ in steps]
    for seq, n in variants:
        keys = [
            index[f"{a}@{seq[i - 1]}"]
            if 0 < i < len(seq) - 1 and seq[i - 1] == seq[i + 1] and (seq[i - 1], a) in detours
            else index[a]
            for i, a in enumerate(seq)
        ]
        cur = -1
        for k in keys:
            if k > cur:
                for skipped in range(cur + 1, k):
                    reached[skipped] += n
            else:
                back[cur][k] = back[cur].get(k, 0) + n
            reached[k] += n
            done[k] += n
            cur = k
        stops[cur] += n
        for k in set(keys):
            contains[k] += n
    loops = _nested_loops(back)
    routes = []
    for k, (key, a) in enumerate(steps):
        r = Route(a, key=key, requests=contains[k], visits=done[k], reached=reached[k])
        r.stops = stops[k]
        r.probability = done[k] / reached[k] if reached[k] else 0.0
        r.stop = stops[k] / done[k] if done[k] else 0.0
        if k in loops:
            y = loops[k]
            r.rework_to = steps[y][0]
            r.rework = min(back[k][y] / done[k], 1.0)
        r.delay_mean, r.delay_cv = step_delay(fig, a, busy)
        routes.append(r)
    return _alternatives(routes, variants, loops), total


def _alternatives(
    routes: list[Route], variants: list[tuple[list[str], int]], loops: dict[int, int]
) -> list[Route]:
    """Neighbouring steps whose activities never occur in the same request, outside every
    loop, merged into one step of exclusive alternatives: done when either is (probability:
    their executions over the times the first is reached), shares by executions, stop and
    delay over both. The expected executions stay the observed ones: the request reaching the
    second step is the one that reached the first and did not end there."""
    together: set[tuple[str, str]] = set()
    for seq, _ in variants:
        acts = sorted(set(seq))
        together.update(itertools.combinations(acts, 2))
    in_loop = {i for end, start in loops.items() for i in range(start, end + 1)}

    def free(i: int) -> bool:
        return i not in in_loop and routes[i].key == routes[i].activity

    out: list[Route] = []
    for i, r in enumerate(routes):
        last = out[-1] if out else None
        if (
            last is not None
            and free(i)
            and free(i - 1)
            and all(tuple(sorted((a, r.activity))) not in together for a, _ in last.activities)
        ):
            merged = [*last.activities, (r.activity, r.visits)]
            done = sum(n for _, n in merged)
            weight = [(r.visits / done, r), ((done - r.visits) / done, last)]
            last.delay_mean = sum(w * x.delay_mean for w, x in weight)
            last.delay_cv = sum(w * x.delay_cv for w, x in weight)
            last.alternatives = merged
            last.stops += r.stops
            last.visits, last.requests = done, last.requests + r.requests
            last.probability = done / last.reached if last.reached else 0.0
            last.stop = last.stops / done if done else 0.0
            continue
        out.append(r)
    return out


def busy_shares(fig: Figures) -> dict[str, float]:
    """Each person's share of the working time spent on events: their effort hours over the
    working hours of the arrival window (at most 1)."""
    cal = fig.calendar
    span = fig.weeks * cal.hours_per_day * cal.days_per_week
    if span <= 0:
        return {}
    return {p: min(v.get("hours", 0.0) / span, 1.0) for p, v in fig.people.items()}


def queueing_part(fig: Figures, activity: str, busy: dict[str, float] | None = None) -> float:
    """The part of the mean wait before ``activity`` that queueing explains: the contention
    measured (the performer busy with other events during the wait) beyond what chance gives
    (a performer busy a share b of the time is busy b of any wait: the mean wait times the
    performers' busy shares, weighted by their events), at least 0."""
    act = fig.activities.get(activity, {})
    contention = act.get("contention", 0.0)
    if contention <= 0:
        return 0.0
    busy = busy_shares(fig) if busy is None else busy
    perf = {p: v["count"] for (b, p), v in fig.by_performer.items() if b == activity}
    total = sum(perf.values())
    share = sum(n / total * busy.get(p, 0.0) for p, n in perf.items()) if total else 0.0
    wait = act.get("wait", contention + act.get("extraneous", 0.0))
    return max(contention - share * wait, 0.0)


def step_delay(
    fig: Figures, activity: str, busy: dict[str, float] | None = None
) -> tuple[float, float]:
    """Mean and cv of the delay before each execution of ``activity``: the mean wait before
    it (from the request's previous event, in working hours) less its queueing part
    (:func:`queueing_part`: the model's queues stand for that), over every execution: the
    model charges the delay on each, while only the executions after an earlier event of
    their request waited (a request's first event has no wait before it), so the mean over
    those is scaled by their share f, and the cv is that of the extraneous waits with a
    zero for each of the others: with m and s their mean and standard deviation over the
    executions that waited, mean f m and variance f (s^2 + m^2) - (f m)^2."""
    act = fig.activities.get(activity, {})
    extraneous = act.get("extraneous", 0.0)
    wait = act.get("wait", extraneous + act.get("contention", 0.0))
    count = act.get("count", 0.0)
    f = min(act.get("visits_waited", count) / count, 1.0) if count > 0 else 1.0
    mean = f * max(wait - queueing_part(fig, activity, busy), 0.0)
    sd = act.get("extraneous_sd", 0.0)
    if extraneous <= 0 or f <= 0:
        return mean, 0.0
    var = f * (sd * sd + extraneous * extraneous) - (f * extraneous) ** 2
    return mean, math.sqrt(max(var, 0.0)) / (f * extraneous)


def _nested_loops(back: list[dict[int, int]]) -> dict[int, int]:
    """end -> start of the loops kept: each step's most frequent way back, most frequent loops
    first, a loop kept when it nests with or stays apart from those kept (the format's rule)."""
    candidates = []
    for k, targets in enumerate(back):
        if targets:
            y = max(targets, key=lambda t: (targets[t], -t))
            candidates.append((targets[y], y, k))
    kept: dict[int, int] = {}
    for _, y, k in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        apart_or_nested = (
            k < s or e < y or (s <= y and k <= e) or (y <= s and e <= k) for e, s in kept.items()
        )
        if all(apart_or_nested):
            kept[k] = y
    return kept


def expected_executions(routes: list[Route]) -> dict[str, float]:
    """Expected executions per request of each activity under the format's routing semantics
    (``orgflow analyze``'s traffic equations), for the discovered steps."""
    from orgflow.routing import RoutedStep, expected_visits

    steps = []
    for i, r in enumerate(routes):
        done = sum(n for _, n in r.activities) or 1
        steps.append(
            RoutedStep(
                r.key,
                (routes[i - 1].key,) if i else (),
                tuple((a, n / done) for a, n in r.activities),
                probability=r.probability,
                stop=r.stop if i < len(routes) - 1 else 0.0,
                rework_to=r.rework_to,
                rework_probability=r.rework if r.rework_to else 0.0,
            )
        )
    out: dict[str, float] = {}
    for (_, a), n in expected_visits(steps).activities.items():
        out[a] = out.get(a, 0.0) + n
    return out


# --- availability --------------------------------------------------------------------------


def availability(days: Any, working_days: list[int], events: float) -> tuple[float, int]:
    """Share of working days present, and the absent working days found (see the module):
    ``days`` are the day numbers (since 1970) with work, sorted (a list or a numpy array),
    ``events`` the person's event count."""
    import numpy as np

    from orgflow.mine.figures import EPOCH_WEEKDAY

    days = np.asarray(days, dtype=np.int64)
    if not len(days):
        return 1.0, 0
    every = np.arange(days[0], days[-1] + 1)
    span = every[np.isin((every + EPOCH_WEEKDAY) % 7, working_days)]
    if not len(span) or events / len(span) < BUSY_PER_DAY:
        return 1.0, 0
    # Runs of working days without work: the gaps between the working days present (and the
    # span's ends), counted when ABSENCE_RUN or longer.
    present = np.flatnonzero(np.isin(span, days))
    runs = np.diff(np.concatenate([[-1], present, [len(span)]])) - 1
    absent = int(runs[runs >= ABSENCE_RUN].sum())
    return 1.0 - absent / len(span), absent


# --- the org file --------------------------------------------------------------------------


def _step_ids(routes: list[Route], act_id: dict[str, str]) -> dict[str, str]:
    """The id of each step: its activity's id; a detour, ``<activity>_after_<step>``."""
    taken = set(act_id.values())
    out = {}
    for r in routes:
        if r.key == r.activity:
            out[r.key] = act_id[r.activity]
        else:
            back = r.key.split("@", 1)[1]
            out[r.key] = slug(f"{act_id[r.activity]}_after_{act_id[back]}", taken)
    return out


def _hours(x: float) -> str:
    if x <= 0:
        return "0h"
    if x < 0.01:
        return f"{max(x * 60, 0.01):.2f}m"
    return f"{x:.4g}h" if x < 1000 else f"{x:.0f}h"


def _effort(mean: float, sd: float) -> Any:
    if mean <= 0:
        return "0h"
    cv = min(sd / mean, 10.0) if mean > 0 else 0.0
    return {"mean": _hours(mean), "cv": round(cv, 3)}


@dataclass
class Split:
    """An activity whose performers' efforts differ markedly: two groups of performers, the
    one with more events first, with their events and effort (mean, sd)."""

    activity: str
    groups: list[list[str]]
    counts: list[float]
    efforts: list[tuple[float, float]]


def effort_split(fig: Figures, activity: str) -> Split | None:
    """The performers of ``activity`` split in two at the effort gap, when the slower group's
    mean effort is more than ``EFFORT_RATIO`` times the faster one's, each group has at least
    ``SPLIT_MIN_EVENTS`` events and ``SPLIT_MIN_SHARE`` of them, and the slower one takes at
    least ``SPLIT_MIN_HOURS``: the performers sorted by mean effort, cut where the ratio is
    largest; else ``None``."""
    perf = sorted(
        (v["effort"], v["count"], v.get("effort_sq", v["effort"] ** 2), p)
        for (b, p), v in fig.by_performer.items()
        if b == activity
    )
    total = sum(c for _, c, _, _ in perf)

    def figures(group: list[tuple[float, float, float, str]]) -> tuple[float, float, float]:
        n = sum(c for _, c, _, _ in group)
        mean = sum(e * c for e, c, _, _ in group) / n
        second = sum(q * c for _, c, q, _ in group) / n
        return n, mean, max(second - mean * mean, 0.0) ** 0.5

    best: tuple[float, int] | None = None
    for i in range(1, len(perf)):
        (nf, mf, _), (ns, ms, _) = figures(perf[:i]), figures(perf[i:])
        if min(nf, ns) < max(SPLIT_MIN_EVENTS, SPLIT_MIN_SHARE * total) or ms < SPLIT_MIN_HOURS:
            continue
        ratio = ms / mf if mf > 0 else math.inf
        if ratio > EFFORT_RATIO and (best is None or ratio > best[0]):
            best = (ratio, i)
    if best is None:
        return None
    parts = [perf[: best[1]], perf[best[1] :]]
    parts.sort(key=lambda g: -figures(g)[0])
    stats = [figures(g) for g in parts]
    return Split(
        activity,
        [[p for _, _, _, p in sorted(g, key=lambda x: (-x[1], x[3]))] for g in parts],
        [n for n, _, _ in stats],
        [(m, sd) for _, m, sd in stats],
    )


@dataclass
class _Ids:
    """Ids in the org file: of activities, people, and the second activity of each split."""

    act: dict[str, str]
    person: dict[str, str]
    splits: dict[str, Split]
    second: dict[str, str]  # activity -> id of the activity its second group does

    def of(self, activity: str, person: str) -> str:
        """The activity id ``person``'s work on ``activity`` goes under."""
        split = self.splits.get(activity)
        if split is not None and person in split.groups[1]:
            return self.second[activity]
        return self.act[activity]


def _ids(fig: Figures) -> _Ids:
    taken: set[str] = set()
    act = {a: slug(a, taken) for a in sorted(fig.activities)}
    person = {p: slug(p, taken) for p in sorted(fig.people)}
    splits: dict[str, Split] = {}
    second: dict[str, str] = {}
    for a in sorted(fig.activities):
        split = effort_split(fig, a)
        if split is not None:
            splits[a] = split
            who = person[split.groups[1][0]] + ("_and_others" if len(split.groups[1]) > 1 else "")
            second[a] = slug(f"{act[a]}_by_{who}", taken)
    return _Ids(act, person, splits, second)


def _people(fig: Figures, ids: _Ids) -> tuple[list[dict[str, Any]], dict[str, int]]:
    people = []
    absences: dict[str, int] = {}
    does: dict[str, set[str]] = {}
    for a, q in fig.by_performer:
        does.setdefault(q, set()).add(ids.of(a, q))
    for p in sorted(fig.people):
        share, absent = availability(
            fig.person_days.get(p, []), fig.calendar.days, fig.people[p]["count"]
        )
        absences[p] = absent
        skills = sorted(does.get(p, set()))
        entry: dict[str, Any] = {"id": ids.person[p], "name": p, "skills": skills}
        if share < 1.0:
            entry["availability"] = round(max(share, 0.01), 3)
        people.append(entry)
    return people, absences


def _activities(fig: Figures, ids: _Ids) -> list[dict[str, Any]]:
    """One per activity of the log, with the effort of all its events; a split activity's
    second id has the same name and effort (its rule carries the group's own)."""
    out = []
    for a in sorted(fig.activities):
        s = fig.activities[a]
        effort = _effort(s["effort"], s["effort_sd"])
        out.append({"id": ids.act[a], "name": a, "effort": effort})
        if a in ids.second:
            out.append({"id": ids.second[a], "name": a, "effort": effort})
    return out


def _process_steps(routes: list[Route], ids: _Ids) -> list[Any]:
    steps: list[Any] = []
    step_id = _step_ids(routes, ids.act)
    for r in routes:
        step: dict[str, Any] = {"activity": ids.act[r.activity]}
        if r.key != r.activity:
            step = {"id": step_id[r.key], **step}
        choice = _choice(r, ids)
        if len(choice) > 1:
            step["activity"] = [aid for aid, _ in choice]
            step["shares"] = [share for _, share in choice]
        if r.delay_mean >= MIN_DELAY_HOURS:
            step["delay"] = {"mean": _hours(r.delay_mean), "cv": round(min(r.delay_cv, 10.0), 3)}
        if r.probability < MANDATORY:
            step["probability"] = round(r.probability, 4)
        if r.stop > 0.00005 and r is not routes[-1]:
            step["stop"] = round(r.stop, 4)
        if r.rework_to is not None and r.rework > 0.00005:
            step["rework"] = {"to": step_id[r.rework_to], "probability": round(r.rework, 4)}
        steps.append(step if len(step) > 1 else ids.act[r.activity])
    return steps


def _delays_from(routes: list[Route], fig: Figures, busy: dict[str, float]) -> None:
    """Each step's delay from ``fig``'s waits (:func:`step_delay`), its alternatives weighted
    by their executions."""
    for r in routes:
        done = sum(n for _, n in r.activities) or 1
        found = [(n / done, step_delay(fig, a, busy)) for a, n in r.activities]
        r.delay_mean = sum(w * m for w, (m, _) in found)
        r.delay_cv = sum(w * cv for w, (_, cv) in found)


def _with_delay(step: Any, mean: float, cv: float) -> Any:
    """``step`` (an id or a mapping) with a delay of ``mean`` and ``cv`` (added to its own)."""
    out: dict[str, Any] = {"activity": step} if isinstance(step, str) else dict(step)
    if mean < MIN_DELAY_HOURS:
        return step
    if "delay" in out:
        return step  # a first step has no wait before it in the log: never here
    out["delay"] = {"mean": _hours(mean), "cv": round(min(cv, 10.0), 3)}
    return out


def _choice(r: Route, ids: _Ids) -> list[tuple[str, float]]:
    """(activity id, share) of each alternative of a step: its activities by their
    executions, a split activity's two ids by their groups' events; shares rounded to 4
    places, the last one making the sum 1."""
    raw: list[tuple[str, float]] = []
    for a, n in r.activities:
        split = ids.splits.get(a)
        if split is None:
            raw.append((ids.act[a], float(n)))
            continue
        total = sum(split.counts)
        raw.append((ids.act[a], n * split.counts[0] / total))
        raw.append((ids.second[a], n * split.counts[1] / total))
    done = sum(n for _, n in raw) or 1.0
    shares = [round(n / done, 4) for _, n in raw[:-1]]
    shares.append(round(1 - sum(shares), 4))
    return [(aid, share) for (aid, _), share in zip(raw, shares, strict=True)]


def _rule(
    activity_id: str, perf: list[tuple[float, str]], ids: _Ids
) -> tuple[dict[str, Any], bool]:
    """The rule for work done by ``perf`` (events, person), most events first; and whether
    it is a pool."""
    total = sum(c for c, _ in perf)
    members = [q for c, q in perf if c >= MEMBER_SHARE * total] or [perf[0][1]]
    top_share = perf[0][0] / total if total else 1.0
    if top_share >= DOMINANT_SHARE or len(members) == 1:
        return {"activity": activity_id, "people": [ids.person[q] for q in members]}, False
    # A pool's members in id order: the same people are then the same desk at every activity
    # (analyze counts a change of desk as a handoff; within a pickup: any pool, a change of
    # person with the probability that another member takes the step).
    pool = sorted(ids.person[q] for q in members)
    return {"activity": activity_id, "pool": pool, "pickup": "any"}, True


def _assignments(
    fig: Figures, routes: list[Route], ids: _Ids
) -> tuple[list[dict[str, Any]], list[str]]:
    """One rule per activity of the process (two for a split one, each with its group's
    effort), and the activities done by pools."""
    assignments = []
    shared = []
    in_process = {a for r in routes for a, _ in r.activities}
    for a in sorted(in_process):
        perf = sorted(
            ((v["count"], q) for (b, q), v in fig.by_performer.items() if b == a),
            key=lambda x: (-x[0], x[1]),
        )
        split = ids.splits.get(a)
        if split is None:
            rule, pool = _rule(ids.act[a], perf, ids)
            assignments.append(rule)
            if pool:
                shared.append(a)
            continue
        for k, group in enumerate(split.groups):
            aid = ids.act[a] if k == 0 else ids.second[a]
            rule, pool = _rule(aid, [(c, q) for c, q in perf if q in group], ids)
            rule["effort"] = _effort(*split.efforts[k])
            assignments.append(rule)
            if pool and k == 0:
                shared.append(a)
    return assignments, shared


def _pool_shares(
    fig: Figures, assignments: list[dict[str, Any]], ids: _Ids, people: list[dict[str, Any]]
) -> int:
    """Give ``shares`` to the pools whose members' shares of the work hours in the log differ
    from the model's even shares (present capacity: the mined people all have the calendar's
    capacity, so availability) by more than ``SHARE_TOLERANCE`` relative; return how many.

    A pool (its members) is one desk whatever its activities, with one queue: its shares are
    of the work of all its rules, each member's events on their activities (count * mean
    effort, the engine's aggregates), the same on each rule; of the events where some member's
    events take no time at all."""
    activity_of = {aid: a for a, aid in ids.act.items()} | {aid: a for a, aid in ids.second.items()}
    name_of = {pid: q for q, pid in ids.person.items()}
    availability = {p["id"]: float(p.get("availability", 1.0)) for p in people}
    desks: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for rule in assignments:
        if "pool" in rule:
            desks.setdefault(tuple(rule["pool"]), []).append(rule)
    given = 0
    for members, rules in desks.items():
        hours = dict.fromkeys(members, 0.0)
        events = dict.fromkeys(members, 0.0)
        for rule in rules:
            a = activity_of[rule["activity"]]
            for pid in members:
                v = fig.by_performer.get((a, name_of[pid]))
                if v is not None:
                    hours[pid] += v["count"] * v["effort"]
                    events[pid] += v["count"]
        work = hours if all(h > 0 for h in hours.values()) else events
        total = sum(work.values())
        even = sum(availability[m] for m in members)
        observed = {m: work[m] / total for m in members}
        if all(abs(observed[m] * even / availability[m] - 1) <= SHARE_TOLERANCE for m in members):
            continue
        shares = {m: float(f"{observed[m] / availability[m]:.4g}") for m in members}
        for rule in rules:
            rule["shares"] = dict(shares)
        given += 1
    return given


def _customers(
    fig: Figures, customer_column: str | None, shares: list[tuple[str, float]]
) -> list[dict[str, Any]]:
    """One customer per value of the customer column (the top ``MAX_CUSTOMERS``, the rest
    together) or one for everyone; each one's requests per week split over the processes by
    ``shares`` (process id, share of the requests)."""
    weeks = fig.weeks

    def demand(n: float) -> dict[str, str]:
        return {pid: f"{n * share / weeks:.4g}/week" for pid, share in shares}

    customers: list[dict[str, Any]] = []
    if not (customer_column and fig.customers):
        return [
            {
                "id": "requesters",
                "name": "Everyone who sends requests",
                "demand": demand(fig.requests),
            }
        ]
    ranked = sorted(fig.customers.items(), key=lambda x: (-x[1], x[0]))
    top, rest = ranked[:MAX_CUSTOMERS], ranked[MAX_CUSTOMERS:]
    ctaken: set[str] = set()
    for cname, n in top:
        entry: dict[str, Any] = {"id": slug(cname, ctaken), "name": cname}
        if cname in fig.customer_region:
            entry["region"] = fig.customer_region[cname]
        entry["demand"] = demand(n)
        customers.append(entry)
    if rest:
        n = sum(c for _, c in rest)
        customers.append(
            {
                "id": slug("others", ctaken),
                "name": f"{len(rest)} other customers",
                "demand": demand(n),
            }
        )
    return customers


def build(
    fig: Figures,
    *,
    name: str = "Mined office",
    paths: int = 0,
    customer_column: str | None = None,
    sources: list[str] | None = None,
    shape: str = "start_end",
    notes: list[str] | None = None,
    classes: list[RequestClass] | None = None,
    classes_line: str = "",
) -> Mined:
    """The org file of ``fig``: one process, or one per class of requests (``classes``, each
    with its own routing and delays; people, activities, efforts and assignments from the
    whole log; demand split by the classes' request counts). ``classes_line``: the header's
    sentence on the classes."""
    roles = discover_roles(fig)
    fig.set_roles(roles)
    groups = classes or [RequestClass("", "Requests", fig)]
    busy = busy_shares(fig)
    ids = _ids(fig)
    cal = fig.calendar
    warnings: list[str] = []
    people, absences = _people(fig, ids)
    processes = []
    routes: list[Route] = []
    kept = 0
    for group in groups:
        found, n = discover_routes(group.fig, paths, busy)
        if group.per_visit is not None:
            _delays_from(found, group.per_visit, busy)
        steps = _process_steps(found, ids)
        if group.request_delay is not None:
            steps[0] = _with_delay(steps[0], *group.request_delay)
        processes.append(
            {"id": "main" + group.suffix, "name": f"{group.label} of {name}", "steps": steps}
        )
        routes += found
        kept += n
    total = sum(g.fig.requests for g in groups) or 1
    shares = [("main" + g.suffix, g.fig.requests / total) for g in groups]
    assignments, shared = _assignments(fig, routes, ids)
    weighted = _pool_shares(fig, assignments, ids, people)
    settings: dict[str, Any] = {
        "name": name,
        "hours_per_day": cal.hours_per_day,
        "days_per_week": cal.days_per_week,
        "handoff_delay": "0h",
    }
    months = monthly(fig)
    if months:
        settings["demand_by_month"] = months

    org = {
        "version": 1,
        "org": settings,
        "people": people,
        "activities": _activities(fig, ids),
        "processes": processes,
        "customers": _customers(fig, customer_column, shares),
        "assignments": assignments,
    }

    warnings[:0] = _data_warnings(fig)
    header = _header(
        fig, sources or [], shape, notes or [], paths, kept, roles, absences, shared, weighted
    )
    where = header.index("Where each figure comes from:")
    header.insert(where + 3, _splits_line(ids))
    if classes_line:
        header.insert(where + 4, classes_line)
    if len(groups) > 1:
        header = [
            line.replace("one process from", "one process per class of requests, each from")
            for line in header
        ]
    return Mined(org, header, warnings, roles, routes, ids.splits)


def queueing_hours(fig: Figures) -> float:
    """The queueing part (:func:`queueing_part`) of the waits of a request, on average."""
    if not fig.requests:
        return 0.0
    busy = busy_shares(fig)
    total = sum(
        queueing_part(fig, a, busy) * v.get("visits_waited", v.get("count", 0.0))
        for a, v in fig.activities.items()
    )
    return total / fig.requests


def _data_warnings(fig: Figures) -> list[str]:
    from orgflow.output import plural

    warnings = []
    if fig.open_requests:
        warnings.append(
            f"{plural(fig.open_requests, 'request')} "
            f"{'is' if fig.open_requests == 1 else 'are'} open at the end of the log (their "
            "last activity ends fewer than 2% of requests): counted in demand, not in lead times"
        )
    drift = _drift(fig)
    if drift:
        warnings.append(drift)
    if fig.zero_length:
        one = fig.zero_length == 1
        warnings.append(
            f"{plural(fig.zero_length, 'event')} {'takes' if one else 'take'} no time (start = end)"
        )
    if fig.overlaps:
        one = fig.overlaps == 1
        warnings.append(
            f"{plural(fig.overlaps, 'event')} {'starts' if one else 'start'} before the same "
            "person's previous event ended"
        )
    return warnings


def monthly(fig: Figures) -> dict[str, float]:
    """Arrival rate of each calendar month observed (requests per day of the month within the
    arrival window), over their mean; months not observed: 1. Mean of the twelve: 1."""
    import calendar as calmod
    import datetime as dt

    if len(fig.arrivals_month) < 2:
        return {}
    rates: dict[int, list[float]] = {}
    for key, n in fig.arrivals_month.items():
        year, month = int(key[:4]), int(key[5:])
        first = max(dt.date(year, month, 1), fig.first.date())
        last = min(dt.date(year, month, calmod.monthrange(year, month)[1]), fig.last.date())
        days = (last - first).days + 1
        if days > 0:
            rates.setdefault(month, []).append(n / days)
    mean = sum(sum(v) / len(v) for v in rates.values()) / len(rates)
    raw = [sum(rates[m]) / len(rates[m]) / mean if m in rates else 1.0 for m in range(1, 13)]
    scale = sum(raw) / 12
    return {MONTHS[m]: round(raw[m] / scale, 3) for m in range(12)}


def _drift(fig: Figures) -> str | None:
    months = list(fig.arrivals_month.values())
    if len(months) < 4:
        return None
    half = len(months) // 2
    a, b = sum(months[:half]) / half, sum(months[half:]) / (len(months) - half)
    if a <= 0 or b <= 0:
        return None
    ratio = b / a
    if 0.67 <= ratio <= 1.5:
        return None
    return (
        f"the arrival rate drifts: {a:.1f} requests a month in the first half of the log, "
        f"{b:.1f} in the second (x{ratio:.2f})"
    )


def _splits_line(ids: _Ids) -> str:
    splits = ids.splits
    head = (
        f"- efforts per rule, where performers differ markedly (the slower group's mean over "
        f"{EFFORT_RATIO:g} times the faster one's, each with {SPLIT_MIN_EVENTS}+ events and "
        f"{SPLIT_MIN_SHARE:.0%} of them): "
    )
    if not splits:
        return head + "none."
    parts = []
    for a, sp in sorted(splits.items()):
        (m1, _), (m2, _) = sp.efforts
        parts.append(
            f"{a}: {len(sp.groups[0])} people at {m1:.3g} h ({ids.act[a]}), "
            f"{len(sp.groups[1])} at {m2:.3g} h ({ids.second[a]}), exclusive alternatives "
            f"by their shares of the events"
        )
    return head + "; ".join(parts) + "."


def _header(
    fig: Figures,
    sources: list[str],
    shape: str,
    notes: list[str],
    paths: int,
    kept: int,
    roles: dict[str, str],
    absences: dict[str, int],
    shared: list[str],
    weighted: int = 0,
) -> list[str]:
    cal = fig.calendar
    n_roles = len(set(roles.values()))
    absent = [p for p, n in absences.items() if n]
    lines = [
        "Mined by 'orgflow mine' from " + ", ".join(sources),
        f"{fig.events} events, {fig.requests} requests ({fig.completed} completed), "
        f"{len(fig.people)} people, {len(fig.activities)} activities; arrivals "
        f"{fig.first:%Y-%m-%d} to {fig.last:%Y-%m-%d} ({fig.weeks:.1f} weeks).",
        f"Log shape: {shape.replace('_', ' ')}." + (" " + "; ".join(notes) + "." if notes else ""),
        "Where each figure comes from:",
        f"- calendar: {cal.hours_per_day} h/day, {cal.days_per_week} days/week: "
        + (
            f"around the clock, as the log has {fig.events} events, fewer than the "
            f"{MIN_CALENDAR_EVENTS} needed to tell working hours from the 10% rule."
            if fig.events < MIN_CALENDAR_EVENTS
            and (cal.hours_per_day, cal.days_per_week) == (24, 7)
            else "the hours (UTC) and weekdays with at least 10% of the busiest one's event starts."
        ),
        "- efforts: lognormal, mean and cv of end - start of each activity's events, in "
        "working hours.",
        f"- routing: one process from {'all' if not paths else f'the {paths} most frequent'} "
        f"variants ({kept} requests); steps in the order most requests do them first, an "
        "activity done between two executions of an earlier step as a detour back to it; "
        "probability, stop and rework per execution, from replaying each request on the steps "
        "(expected executions = the counts observed).",
        "- delays: the mean wait before each step less its queueing part (the time the "
        "performer was busy with other events beyond what their load gives by chance: "
        f"{queueing_hours(fig):.1f} h of the {fig.wait_hours:.1f} h a request waits).",
        "- assignments: people with at least 5% of an activity; a chain (most frequent first) "
        f"when one does 80% or more, else a pool ({len(shared)} pools) with pickup: any"
        + (
            f"; shares on the rules of {weighted} pool desk(s) (the same members), where a "
            "member's share of the desk's work hours in the log (its members' events on its "
            f"activities) is more than {SHARE_TOLERANCE:.0%} (relative) from the even share: "
            "each member's observed share over their availability."
            if weighted
            else "."
        ),
        f"- roles (not a key of the file; used for the role figures): {n_roles} groups of people "
        "whose activity-count vectors correlate at 0.7 or more (Pearson; Simod's pools).",
        "- demand: requests arrived / weeks between the first and last arrival; "
        "demand_by_month from each month's arrival rate.",
        "- availability: "
        + (
            f"{len(absent)} people with runs of 5+ working days without work; the others at 1."
            if absent
            else "no absences visible in the log (left at 1)."
        ),
    ]
    return lines
