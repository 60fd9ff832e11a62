"""Measure the shared purchasing log: the figures ``samples/purchasing.yaml`` is written from.

    python benchmarks/measure_purchasing.py [LOG.csv]

The log (default ``../shared/data/event-logs/purchasing-example.csv`` beside the repository,
else ``/work/shared/data/event-logs/purchasing-example.csv``) is the Fluxicon Disco purchasing
sample: 9,119 events of 608 requests, each with a start and an end time (Apache-2.0; see
``tests/data/purchasing/README.md``). Standard library only.

Definitions (README: "A real office: the purchasing sample"):

- A request is *completed* when the log shows its end: every one of the 608 ends with one of
  the process's three endings, paid ("Pay Invoice", 413), or refused after "Analyze Purchase
  Requisition" (64) or after "Analyze Request for Quotation" (131). Its *lead time* is from the
  start of its first event to the end of its last.
- *Working hours*: the events start at every hour of the day and on every day of the week
  (printed below), so the office works 24 hours a day, 7 days a week, and working hours are
  calendar hours. The same lead time counted on a 8-hour, 5-day calendar (Monday to Friday,
  9:00 to 17:00) is printed for comparison.
- *Effort* of an event: its end minus its start. Per activity and group: mean and coefficient
  of variation (standard deviation / mean).
- *Wait before a step*: its start minus the latest end of the request's earlier events. Split
  by what its performer was doing meanwhile: *busy* (hours of the wait during which they were
  doing another event) and *idle* (the rest: the supplier, a timer, a batch: an external
  delay).
- *Routing*: from the directly-follows counts (which event comes next in the request).
- *Pool sharing*: of two consecutive events of a request done by the same group, the share done
  by two different people.
- *Requests per week by month*: requests by the month of their first event, divided by the
  weeks of that month the log covers.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import statistics
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CANDIDATES = (
    ROOT.parent / "shared" / "data" / "event-logs" / "purchasing-example.csv",
    Path("/work/shared/data/event-logs/purchasing-example.csv"),
)

#: The groups, from who does what (printed by ``people_by_activity``): each person does the
#: activities of exactly one group.
GROUPS = {
    "requesters": (
        "Kim Passa",
        "Immanuel Karagianni",
        "Fjodor Kowalski",
        "Esmana Liubiata",
        "Christian Francois",
        "Tesca Lobes",
        "Miu Hanwan",
        "Alberto Duport",
        "Anna Kaufmann",
        "Clement Duchot",
        "Anne Olwada",
        "Penn Osterwalder",
        "Elvira Lores",
        "Nico Ojenbeer",
    ),
    "requisition_clerks": ("Francis Odell", "Heinz Gutschmidt", "Maris Freeman"),
    "purchasers": ("Karel de Groot", "Magdalena Predutta", "Francois de Perrier"),
    "supplier_desk": (
        "Sean Manney",
        "Esmeralda Clay",
        "Karen Clarens",
        "Carmen Finacse",
        "Kiu Kan",
    ),
    "finance": ("Karalda Nimwada", "Pedro Alvares"),
}
GROUP_OF = {person: group for group, people in GROUPS.items() for person in people}
ENDINGS = ("Pay Invoice", "Analyze Purchase Requisition", "Analyze Request for Quotation")


@dataclass(frozen=True)
class Event:
    case: str
    activity: str
    person: str
    start: dt.datetime
    end: dt.datetime

    @property
    def hours(self) -> float:
        return (self.end - self.start).total_seconds() / 3600


def find_log(argv: Sequence[str]) -> Path:
    if argv:
        return Path(argv[0])
    for path in CANDIDATES:
        if path.exists():
            return path
    raise SystemExit("purchasing-example.csv not found: pass its path")


def read_log(path: Path) -> dict[str, list[Event]]:
    """The events of each request, in the order they started (then ended)."""
    cases: dict[str, list[Event]] = defaultdict(list)
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            cases[row["case:concept:name"]].append(
                Event(
                    row["case:concept:name"],
                    row["concept:name"],
                    row["org:resource"],
                    dt.datetime.fromisoformat(row["start_timestamp"]),
                    dt.datetime.fromisoformat(row["time:timestamp"]),
                )
            )
    for events in cases.values():
        events.sort(key=lambda e: (e.start, e.end))
    return dict(cases)


def lead_time_hours(events: Sequence[Event]) -> float:
    return (max(e.end for e in events) - min(e.start for e in events)).total_seconds() / 3600


def office_hours(start: dt.datetime, end: dt.datetime) -> float:
    """Hours between ``start`` and ``end`` on a Monday-to-Friday, 9:00-17:00 calendar."""
    total = 0.0
    day = start.date()
    while day <= end.date():
        if day.weekday() < 5:
            open_ = dt.datetime.combine(day, dt.time(9), start.tzinfo)
            close = dt.datetime.combine(day, dt.time(17), start.tzinfo)
            lo, hi = max(open_, start), min(close, end)
            if hi > lo:
                total += (hi - lo).total_seconds() / 3600
        day += dt.timedelta(days=1)
    return total


def mean_cv(values: Sequence[float]) -> tuple[float, float]:
    mean = statistics.fmean(values)
    sd = statistics.pstdev(values) if len(values) > 1 else 0.0
    return mean, (sd / mean if mean else 0.0)


def quantile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def busy_hours(
    intervals: Sequence[tuple[dt.datetime, dt.datetime]], lo: dt.datetime, hi: dt.datetime
) -> float:
    """Hours of ``[lo, hi]`` covered by the (sorted) ``intervals``, overlaps counted once."""
    total = 0.0
    cursor = lo
    for s, e in intervals:
        if e <= cursor:
            continue
        if s >= hi:
            break
        s = max(s, cursor)
        e = min(e, hi)
        if e > s:
            total += (e - s).total_seconds() / 3600
            cursor = e
    return total


@dataclass
class Wait:
    total: float
    busy: float
    #: The busy hours to expect by chance: the performer's share of time at work over the
    #: log times the wait (a person busy 30% of the time is busy during 30% of any wait).
    chance: float = 0.0

    @property
    def idle(self) -> float:
        return self.total - self.busy


def waits(cases: dict[str, list[Event]]) -> dict[tuple[str, str], list[Wait]]:
    """The wait before every event but a request's first, by (activity, performer group)."""
    work: dict[str, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    for events in cases.values():
        for e in events:
            work[e.person].append((e.start, e.end))
    for spans in work.values():
        spans.sort()
    first = min(s for spans in work.values() for s, _ in spans)
    last = max(e for spans in work.values() for _, e in spans)
    span = (last - first).total_seconds() / 3600
    share = {
        p: sum((e - s).total_seconds() / 3600 for s, e in spans) / span for p, spans in work.items()
    }
    out: dict[tuple[str, str], list[Wait]] = defaultdict(list)
    for events in cases.values():
        for i, e in enumerate(events[1:], start=1):
            ready = max(x.end for x in events[:i])
            if e.start <= ready:
                out[(e.activity, GROUP_OF[e.person])].append(Wait(0.0, 0.0))
                continue
            total = (e.start - ready).total_seconds() / 3600
            out[(e.activity, GROUP_OF[e.person])].append(
                Wait(total, busy_hours(work[e.person], ready, e.start), share[e.person] * total)
            )
    return out


def follows(cases: dict[str, list[Event]]) -> Counter[tuple[str, str]]:
    """How often each activity directly follows another in a request (``END`` last)."""
    found: Counter[tuple[str, str]] = Counter()
    for events in cases.values():
        for a, b in pairwise(events):
            found[(a.activity, b.activity)] += 1
        found[(events[-1].activity, "END")] += 1
    return found


def pool_sharing(cases: dict[str, list[Event]]) -> dict[str, tuple[int, int]]:
    """Per group: (consecutive pairs of a request's events both done by the group, of them
    done by two different people)."""
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for events in cases.values():
        for a, b in pairwise(events):
            group = GROUP_OF[a.person]
            if GROUP_OF[b.person] == group:
                out[group][0] += 1
                out[group][1] += a.person != b.person
    return {g: (n, d) for g, (n, d) in out.items()}


def requests_per_week_by_month(cases: dict[str, list[Event]]) -> dict[int, float]:
    first = [min(e.start for e in events) for events in cases.values()]
    last = max(e.end for events in cases.values() for e in events)
    start = min(first)
    counts = Counter(t.month for t in first)
    out: dict[int, float] = {}
    for month in sorted(counts):
        lo = max(start, start.replace(month=month, day=1, hour=0, minute=0))
        nxt = start.replace(month=month + 1, day=1, hour=0, minute=0) if month < 12 else last
        hi = min(nxt, last)
        weeks = (hi - lo).total_seconds() / 3600 / 168
        out[month] = counts[month] / weeks
    return out


def _row(cells: Iterable[object], widths: Sequence[int]) -> str:
    return "  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=False))


def main(argv: Sequence[str]) -> None:
    path = find_log(argv)
    cases = read_log(path)
    events = [e for es in cases.values() for e in es]
    print(f"log: {path} ({len(events):,} events, {len(cases)} requests)")
    start = min(e.start for e in events)
    end = max(e.end for e in events)
    weeks = (end - start).total_seconds() / 3600 / 168
    print(f"from {start} to {end}: {weeks:.1f} weeks")

    print("\n## Calendar: events starting at each hour of the day and on each weekday")
    hours = Counter(e.start.hour for e in events)
    days = Counter(e.start.weekday() for e in events)
    print("by hour (0-23):", " ".join(str(hours[h]) for h in range(24)))
    print("by weekday (Mon-Sun):", " ".join(str(days[d]) for d in range(7)))

    print("\n## Lead time of completed requests (first start to last end)")
    ends = Counter(es[-1].activity for es in cases.values())
    assert set(ends) <= set(ENDINGS), ends
    lead = {c: lead_time_hours(es) for c, es in cases.items()}
    office = {
        c: office_hours(min(e.start for e in es), max(e.end for e in es)) for c, es in cases.items()
    }
    print(f"completed requests: {len(cases)} of {len(cases)}, by ending: {dict(ends)}")
    print(
        f"mean lead time, all completed: {statistics.fmean(lead.values()):.1f} calendar hours "
        f"(= working hours on the log's 24 x 7 calendar); on a Mon-Fri 9-17 calendar "
        f"{statistics.fmean(office.values()):.1f} h"
    )
    for ending in ENDINGS:
        chosen = [lead[c] for c, es in cases.items() if es[-1].activity == ending]
        mean = statistics.fmean(chosen)
        print(f"  ending with {ending}: {len(chosen)} requests, mean {mean:.1f} h")
    touch = sum(e.hours for e in events) / len(cases)
    print(f"touch time per request: {touch:.2f} h")

    print("\n## Effort per activity and group: events, mean hours, cv")
    effort: dict[tuple[str, str], list[float]] = defaultdict(list)
    for e in events:
        effort[(e.activity, GROUP_OF[e.person])].append(e.hours)
    all_waits = waits(cases)
    widths = (38, 18, 6, 7, 5, 7, 7, 7, 7, 7, 7, 5)
    print(
        _row(
            (
                "activity",
                "group",
                "events",
                "effort",
                "cv",
                "wait",
                "idle",
                "busy",
                "chance",
                "p50",
                "p90",
                "cv",
            ),
            widths,
        )
    )
    for (activity, group), values in sorted(effort.items()):
        mean, cv = mean_cv(values)
        w = all_waits.get((activity, group), [])
        wait = statistics.fmean(x.total for x in w) if w else 0.0
        idle = statistics.fmean(x.idle for x in w) if w else 0.0
        busy = statistics.fmean(x.busy for x in w) if w else 0.0
        chance = statistics.fmean(x.chance for x in w) if w else 0.0
        p50 = quantile([x.total for x in w], 0.5) if w else 0.0
        p90 = quantile([x.total for x in w], 0.9) if w else 0.0
        wait_cv = mean_cv([x.total for x in w])[1] if w and wait > 0 else 0.0
        print(
            _row(
                (
                    activity,
                    group,
                    len(values),
                    f"{mean:.3f}",
                    f"{cv:.2f}",
                    f"{wait:.1f}",
                    f"{idle:.1f}",
                    f"{busy:.1f}",
                    f"{chance:.1f}",
                    f"{p50:.1f}",
                    f"{p90:.1f}",
                    f"{wait_cv:.2f}",
                ),
                widths,
            )
        )
    total_wait = sum(x.total for w in all_waits.values() for x in w) / len(cases)
    total_idle = sum(x.idle for w in all_waits.values() for x in w) / len(cases)
    total_chance = sum(x.chance for w in all_waits.values() for x in w) / len(cases)
    print(
        f"waiting per request: {total_wait:.1f} h, of it while the performer was idle "
        f"{total_idle:.1f} h ({total_idle / total_wait:.0%}); "
        f"busy {total_wait - total_idle:.1f} h, "
        f"{total_chance:.1f} h of which a performer at their average load is busy by chance"
    )

    print("\n## Wait before each activity (all groups): events, mean hours, cv")
    by_activity: dict[str, list[float]] = defaultdict(list)
    for (activity, _group), w in all_waits.items():
        by_activity[activity].extend(x.total for x in w)
    for activity, values in sorted(by_activity.items()):
        mean, cv = mean_cv(values)
        print(f"{activity:40s} {len(values):5d} {mean:8.2f} {cv:5.2f}")

    print("\n## Routing: what follows each activity (count, share)")
    found = follows(cases)
    by_first: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for (a, b), n in found.items():
        by_first[a].append((b, n))
    for a in sorted(by_first):
        total = sum(n for _, n in by_first[a])
        ranked = sorted(by_first[a], key=lambda x: -x[1])
        nexts = ", ".join(f"{b} {n} ({n / total:.3f})" for b, n in ranked)
        print(f"{a} ({total}): {nexts}")
    firsts = Counter(es[0].activity for es in cases.values())
    print(f"first events: {dict(firsts)}")

    print("\n## Pool sharing: consecutive events of a request within one group")
    work_hours: Counter[str] = Counter()
    for e in events:
        work_hours[e.person] += e.hours
    shared_n = shared_d = 0
    expected_d = 0.0
    for group, (n, d) in sorted(pool_sharing(cases).items()):
        caps = [work_hours[p] for p in GROUPS[group]]
        expected = 1 - sum((c / sum(caps)) ** 2 for c in caps)
        shared_n, shared_d = shared_n + n, shared_d + d
        expected_d += n * expected
        print(
            f"{group}: {n} pairs, {d} by different people ({d / n:.0%}); "
            f"if each step went to a member in proportion to their work: {expected:.0%}"
        )
    print(
        f"all groups: {shared_d} of {shared_n} ({shared_d / shared_n:.0%}); in proportion to "
        f"their work: {expected_d / shared_n:.0%}"
    )

    changes = sum(a.person != b.person for es in cases.values() for a, b in pairwise(es)) / len(
        cases
    )
    print(f"person changes between consecutive events: {changes:.2f} per request")

    print("\n## People: hours of work per week over the log")
    for group, people in GROUPS.items():
        loads = ", ".join(f"{p} {work_hours[p] / weeks:.2f}" for p in people)
        print(f"{group}: {loads}")

    print("\n## Requests per week by month (first event's month)")
    per_month = requests_per_week_by_month(cases)
    print(" ".join(f"{dt.date(2011, m, 1):%b} {r:.1f}" for m, r in per_month.items()))
    mean_rate = len(cases) / weeks
    print(f"mean over the log: {mean_rate:.2f} requests/week")
    # November and December are not in the log (it ends on 14 October): they take October's
    # rate. The customers' rate is the mean of the twelve months; the multipliers divide each
    # month by it (so they average 1).
    twelve = [per_month.get(m, per_month[10]) for m in range(1, 13)]
    base = statistics.fmean(twelve)
    factors = ", ".join(
        f"{dt.date(2011, m, 1):%b}".lower() + f": {r / base:.2f}" for m, r in enumerate(twelve, 1)
    )
    print(f"average month (Nov, Dec as Oct): {base:.2f} requests/week")
    print(f"demand_by_month: {{{factors}}}")
    if not math.isclose(sum(len(es) for es in cases.values()), len(events)):
        raise AssertionError


if __name__ == "__main__":
    main(sys.argv[1:])
