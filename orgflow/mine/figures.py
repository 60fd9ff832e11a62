"""The figures of an event log, computed once against Ibis expressions (any engine).

Definitions (the README's "What mine measures" repeats them):

- **working calendar** (from ``MIN_CALENDAR_EVENTS`` events; below, around the clock): an hour
  of the day (UTC) is a working hour when at least 10% as many events start in it as in the
  busiest hour; a weekday is a working day when at least 10% as many events start on it as on
  the busiest day. Working time between two instants is the
  time they enclose that falls in working hours of working days; every duration below is in
  working hours.
- **order within a request**: by start, then end, then input row.
- **effort** of an event: end - start. **wait** before an event: its start minus the end of the
  request's previous event (0 when negative, none for the first event).
- **contention**: the part of a wait during which the performer was busy with other events
  (each other event's overlap with the wait, summed, at most the wait); **extraneous**: the rest.
- **handover of work** (pm4py, beta = 0): for each pair of people (a, b), the number of times an
  event of a is directly followed within a request by an event of b (a = b included), divided
  by the sum over requests of (events - 1).
- **working together** (pm4py): for each pair a != b, the number of requests both worked on,
  divided by the number of requests.
- **changes of person (of role) per request**: consecutive events with a different performer
  (role), summed, divided by the number of requests.
- **completed request**: one whose last activity ends at least ``end_share`` (2%) of requests;
  the others are open (cut off by the end of the log, or abandoned).
- **lead time**: from the first start to the last end of a completed request; mean, p50 and p90
  (linear interpolation between order statistics).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

SEP = "\x1f"  # joins the activities of a variant
EPOCH_WEEKDAY = 3  # 1970-01-01 was a Thursday (Monday = 0)
END_SHARE = 0.02
CALENDAR_SHARE = 0.10
MIN_CALENDAR_EVENTS = 500


@dataclass
class Calendar:
    hours: list[int]  # working hours of the day, UTC
    days: list[int]  # working weekdays, Monday = 0

    @property
    def hours_per_day(self) -> int:
        return len(self.hours)

    @property
    def days_per_week(self) -> int:
        return len(self.days)


@dataclass
class Figures:
    """Everything mine and fit need from a log: small tables only."""

    calendar: Calendar
    events: int
    requests: int
    completed: int
    first: dt.datetime
    last: dt.datetime
    lead_times: list[float]  # completed requests, working hours
    lead_mean: float
    lead_p50: float
    lead_p90: float
    handovers: dict[tuple[str, str], int]
    handover_norm: int  # sum over requests of (events - 1)
    working_together: dict[tuple[str, str], int]
    activities: dict[str, dict[str, float]]
    # (activity, person) -> count, mean effort, mean squared effort
    by_performer: dict[tuple[str, str], dict[str, float]]
    people: dict[str, dict[str, float]]
    # person -> the day numbers (since 1970) with work, sorted (a numpy int64 array)
    person_days: dict[str, Any]
    variants: list[tuple[list[str], int]]  # most frequent first
    arrivals_week: dict[str, int]
    arrivals_month: dict[str, int]
    end_activities: list[str]
    open_requests: int
    zero_length: int
    overlaps: int
    wait_hours: float  # per request, completed or not
    contention_hours: float
    customers: dict[str, int]
    customer_region: dict[str, str] = field(default_factory=dict)  # the most frequent
    roles: dict[str, str] = field(default_factory=dict)
    role_changes: float = math.nan

    @property
    def weeks(self) -> float:
        """Weeks from the first arrival to the last arrival (at least one)."""
        return max((self.last - self.first).total_seconds() / 604800.0, 1.0)

    @property
    def person_changes(self) -> float:
        changes = sum(n for (a, b), n in self.handovers.items() if a != b)
        return changes / self.requests if self.requests else 0.0

    def handover_of_work(self) -> dict[tuple[str, str], float]:
        if not self.handover_norm:
            return {}
        return {pair: n / self.handover_norm for pair, n in self.handovers.items()}

    def set_roles(self, roles: dict[str, str]) -> None:
        self.roles = roles
        changes = sum(
            n for (a, b), n in self.handovers.items() if roles.get(a, a) != roles.get(b, b)
        )
        self.role_changes = changes / self.requests if self.requests else 0.0


# --- the calendar --------------------------------------------------------------------------


def detect_calendar(events: Any) -> Calendar:
    """The working hours and days seen in the log (module docstring); around the clock when
    the log has fewer than ``MIN_CALENDAR_EVENTS`` events, too few to tell."""
    from orgflow.mine.read import value as scalar

    if scalar(events.count()) < MIN_CALENDAR_EVENTS:
        return Calendar(list(range(24)), list(range(7)))
    hour = (events.start / 3600).floor().cast("int64") % 24
    day = ((events.start / 86400).floor().cast("int64") + EPOCH_WEEKDAY) % 7
    from orgflow.mine.read import fetch

    by_hour = fetch(events.group_by(h=hour).aggregate(n=events.count()))
    by_day = fetch(events.group_by(d=day).aggregate(n=events.count()))
    hmax, dmax = max(by_hour["n"]), max(by_day["n"])
    hours = sorted(
        int(h)
        for h, n in zip(by_hour["h"], by_hour["n"], strict=True)
        if n >= CALENDAR_SHARE * hmax
    )
    days = sorted(
        int(d) for d, n in zip(by_day["d"], by_day["n"], strict=True) if n >= CALENDAR_SHARE * dmax
    )
    return Calendar(hours or list(range(24)), days or list(range(7)))


def working_hours(seconds: Any, cal: Calendar) -> Any:
    """Working hours from Monday 1969-12-29 00:00 UTC to ``seconds`` (an Ibis expression):
    whole weeks, the working days before this one, the working hours before this hour today,
    and the part of this hour if it is a working one."""
    hours = seconds / 3600.0
    h = hours.floor()
    shifted = h.cast("int64") + EPOCH_WEEKDAY * 24
    week = (shifted / 168).floor()
    in_week = shifted % 168
    day = (in_week / 24).floor().cast("int64")
    hour = in_week % 24
    per_day = cal.hours_per_day
    work_day = {d: 1.0 if d in cal.days else 0.0 for d in range(7)}
    days_before = {d: float(sum(1 for x in cal.days if x < d)) for d in range(7)}
    work_hour = {x: 1.0 if x in cal.hours else 0.0 for x in range(24)}
    hours_before = {x: float(sum(1 for y in cal.hours if y < x)) for x in range(24)}
    if per_day == 24 and len(cal.days) == 7:
        return hours  # around the clock: working time is time
    return (
        week * (per_day * len(cal.days))
        + day.substitute(days_before) * per_day
        + day.substitute(work_day)
        * (hour.substitute(hours_before) + hour.substitute(work_hour) * (hours - h))
    )


# --- the events, enriched ------------------------------------------------------------------


def enrich(events: Any, cal: Calendar, stage: Any = None) -> Any:
    """Events with working-time coordinates (ws, we), effort, position in the request, the
    performer's number ``pid`` (1, 2, ... in the order of the names: :func:`person_numbers`)
    and the previous event's (``prev_pid``), the wait before the event and its contention
    part. ``stage`` (a function of a table expression, as :func:`orgflow.mine.read.materialise`),
    when given, computes the ordered events, then the contention of each wait, in the engine
    before they are joined: three smaller working sets one after the other, not one query."""
    import ibis

    events = events.join(person_numbers(events), "resource")
    e = events.mutate(
        eid=ibis.row_number(),
        ws=working_hours(events.start, cal),
        we=working_hours(events.end, cal),
    )
    w = ibis.window(group_by=e.case, order_by=[e.start, e.end, e.row, e.activity])
    e = e.mutate(
        effort=ibis.greatest(e.we - e.ws, 0.0),
        pos=ibis.row_number().over(w),
        prev_pid=e.pid.lag().over(w),
        prev_end=e.we.lag().over(w),
    )
    e = e.mutate(wait=ibis.greatest(e.ws - e.prev_end, 0.0))
    if stage is not None:
        e = stage(e)
    # Busy time of each person, B(t) = the summed time of their events before t; contention of
    # a wait [from, to] = B(to) - B(from). Over a person's points in time order (their events'
    # starts s and ends e, and the start of each wait before their events), B(t) = the sum over
    # started events of (min(t, e) - s) = t K(t) + C(t), with K the running count of starts
    # less ends and C the running sum of the ends less the starts: two running sums over one
    # ordering, and the same value whatever the order of equal times (an event starting at t
    # adds t - t = 0; one ending at t adds e - s either way). So the frame takes a point's
    # peers (same time, same kind) with it, and a wait's end needs no point of its own: it is
    # its event's start, B(to) the busy time there. Three points an event at most, one sort.
    # The points carry the person's number, not the name: narrower rows to sort (and spill).
    # (Ids as int64 whatever the engine made of the staged table: Spark's row numbers are int32.)
    who = e.select("pid", "ws", "we", "prev_end", "wait", eid=e.eid.cast("int64"))
    waited = who.wait > 0
    starts = who.select(
        "pid", t=who.ws, delta=ibis.literal(1), qid=ibis.ifelse(waited, who.eid, ibis.null("int64"))
    )
    ends = who.select("pid", t=who.we, delta=ibis.literal(-1), qid=ibis.null("int64"))
    waits = who.filter(waited)
    q_from = waits.select("pid", t=waits.prev_end, delta=ibis.literal(0), qid=waits.eid)
    points = starts.union(ends).union(q_from)
    running = ibis.window(group_by=points.pid, order_by=[points.t, points.delta], range=(None, 0))
    p = points.mutate(
        k=points.delta.sum().over(running), cs=(-points.delta * points.t).sum().over(running)
    )
    p = p.mutate(busy=p.t * p.k + p.cs)
    q = p.filter(p.qid.notnull())
    contention = q.group_by(eid=q.qid).aggregate(
        c=q.busy.max(where=q.delta == 1) - q.busy.max(where=q.delta == 0)
    )
    if stage is not None:
        contention = stage(contention)
    e = e.left_join(contention, e.eid == contention.eid).drop("eid_right")
    e = e.mutate(contention=ibis.least(ibis.greatest(ibis.coalesce(e.c, 0.0), 0.0), e.wait)).drop(
        "c"
    )
    return e


def person_numbers(events: Any) -> Any:
    """The performers of ``events`` (column ``resource``) numbered 1, 2, ... in the order of
    their names (column ``pid``): grouping and sorting by a number is cheaper than by a name."""
    import ibis

    names = events.select("resource").distinct()
    return names.mutate(pid=ibis.row_number().over(order_by=names.resource))


# --- the figures ---------------------------------------------------------------------------


def _week(day_number: int) -> str:
    """ISO date of the Monday of the week holding day ``day_number`` (days since 1970)."""
    monday = day_number - (day_number + EPOCH_WEEKDAY) % 7
    return (dt.date(1970, 1, 1) + dt.timedelta(days=monday)).isoformat()


def compute(
    log: Any, end_share: float = END_SHARE, calendar: Calendar | None = None
) -> tuple[Figures, Any]:
    """The figures of a log read by :func:`orgflow.mine.read.read_log`, and the enriched
    events table (kept in the engine)."""
    # Long on purpose: one aggregation after another over the same materialised tables, each a
    # few lines and read once; split, they would pass the tables and partial results around.
    import ibis
    import numpy as np

    from orgflow.mine.read import materialise, run, value

    cal = calendar or detect_calendar(log.events)

    def stage(table: Any) -> Any:
        return materialise(log.backend, table)

    e = stage(enrich(log.events, cal, stage))
    n_events = int(value(e.count()))
    day_no = (e.start / 86400).floor().cast("int64")

    # Requests: one row each, kept in the engine; only aggregates of them come back (and the
    # lead times of completed requests, one float each).
    cases = materialise(
        log.backend,
        e.group_by("case").aggregate(
            arrival=e.start.min(),
            first=e.ws.min(),
            last=e.we.max(),
            last_activity=e.activity.argmax(e.pos),
            customer=e.customer.arbitrary(),
            region=e.region.arbitrary(),
            wait=e.wait.sum(),
            contention=e.contention.sum(),
        ),
    )
    n_cases = int(value(cases.count()))
    last = _Rows(cases.group_by("last_activity").aggregate(n=cases.count()))
    ends = sorted(
        str(a)
        for a, n in zip(last["last_activity"], last["n"], strict=True)
        if n >= end_share * n_cases
    )
    done = cases.filter(cases.last_activity.isin(ends))
    n_done = int(value(done.count()))
    lead_table = run(done.select(lead=done["last"] - done["first"]))
    lead = np.sort(lead_table.column("lead").to_numpy()) if n_done else np.zeros(0)
    lead_sorted = lead.tolist()
    totals = _Rows(cases.aggregate(wait=cases.wait.sum(), contention=cases.contention.sum()))
    arrival_day = (cases.arrival / 86400).floor().cast("int64")
    by_day = _Rows(cases.group_by(day=arrival_day).aggregate(n=cases.count()))
    first_arrival = _Rows(cases.aggregate(lo=cases.arrival.min(), hi=cases.arrival.max()))

    variants = variant_counts(e)
    activities, by_performer = activity_figures(e, variants)
    # Per person (grouped by number; the names come back once, with the totals). Hours per
    # week are the total over the arrival window's weeks (Figures.weeks): no figure needs a
    # person's week-by-week series, so it stays in the engine.
    ppl = _Rows(
        e.group_by("pid").aggregate(
            resource=e.resource.arbitrary(), count=e.count(), hours=e.effort.sum()
        )
    )
    name = {int(r.pid): str(r.resource) for r in ppl.itertuples(index=False)}
    people = {
        str(r.resource): {"count": float(r.count), "hours": _num(r.hours)}
        for r in ppl.itertuples(index=False)
    }
    # Per person the days with work as one list (availability's input).
    worked = e.select(e.pid, day=day_no).distinct()
    pdays = run(worked.group_by("pid").aggregate(days=worked.day.collect()))
    day_lists = pdays.column("days").combine_chunks()
    person_days = {
        name[int(pid)]: np.sort(day_lists[i].values.to_numpy(zero_copy_only=False).astype(np.int64))
        for i, pid in enumerate(pdays.column("pid").to_pylist())
    }

    # Handovers and working together.
    pairs = e.filter(e.prev_pid.notnull())
    ho = _Rows(pairs.group_by(["prev_pid", "pid"]).aggregate(n=pairs.count()))
    handovers = {
        (name[int(r.prev_pid)], name[int(r.pid)]): int(r.n) for r in ho.itertuples(index=False)
    }
    who = e.select("case", "pid").distinct()
    other = who.view()
    wt = who.join(other, [who.case == other.case, who.pid != other.pid])
    wt_rows = _Rows(wt.group_by([who.pid.name("a"), other.pid.name("b")]).aggregate(n=wt.count()))
    together = {(name[int(r.a)], name[int(r.b)]): int(r.n) for r in wt_rows.itertuples(index=False)}

    # Data quality.
    by_person = ibis.window(group_by=e.pid, order_by=[e.start, e.end, e.eid])
    ov = e.mutate(prev=e.end.lag().over(by_person))
    overlaps = int(value(ov.filter(ov.start < ov.prev).count()))
    zero = int(value(e.filter(e.end <= e.start).count()))

    arrivals_week: dict[str, int] = {}
    arrivals_month: dict[str, int] = {}
    for day, n in sorted(zip(by_day["day"], by_day["n"], strict=True)):
        date = dt.date(1970, 1, 1) + dt.timedelta(days=int(day))
        wk = _week(int(day))
        arrivals_week[wk] = arrivals_week.get(wk, 0) + int(n)
        mo = f"{date.year:04d}-{date.month:02d}"
        arrivals_month[mo] = arrivals_month.get(mo, 0) + int(n)
    customers: dict[str, int] = {}
    regions: dict[str, dict[str, int]] = {}
    if value(cases.customer.notnull().any()):
        who = cases.mutate(customer=cases.customer.fill_null("(none)"))
        per = _Rows(who.group_by(["customer", "region"]).aggregate(n=who.count()))
        for name, region, n in zip(per["customer"], per["region"], per["n"], strict=True):
            customers[str(name)] = customers.get(str(name), 0) + int(n)
            if region is not None:
                seen = regions.setdefault(str(name), {})
                seen[str(region)] = seen.get(str(region), 0) + int(n)
    customer_region = {c: max(sorted(r), key=lambda x: r[x]) for c, r in regions.items() if r}
    figures = Figures(
        calendar=cal,
        events=n_events,
        requests=n_cases,
        completed=n_done,
        first=dt.datetime.fromtimestamp(float(first_arrival["lo"][0]), dt.UTC),
        last=dt.datetime.fromtimestamp(float(first_arrival["hi"][0]), dt.UTC),
        lead_times=lead_sorted,
        lead_mean=float(np.mean(lead)) if len(lead) else math.nan,
        lead_p50=float(np.percentile(lead, 50)) if len(lead) else math.nan,
        lead_p90=float(np.percentile(lead, 90)) if len(lead) else math.nan,
        handovers=handovers,
        handover_norm=int(sum(handovers.values())),
        working_together=together,
        activities=activities,
        by_performer=by_performer,
        people=people,
        person_days=person_days,
        variants=variants,
        arrivals_week=dict(sorted(arrivals_week.items())),
        arrivals_month=dict(sorted(arrivals_month.items())),
        end_activities=ends,
        open_requests=n_cases - n_done,
        zero_length=zero,
        overlaps=overlaps,
        wait_hours=float(totals["wait"][0] or 0.0) / n_cases,
        contention_hours=float(totals["contention"][0] or 0.0) / n_cases,
        customers=customers,
        customer_region=customer_region,
    )
    return figures, e


def activity_figures(
    e: Any, variants: list[tuple[list[str], int]]
) -> tuple[dict[str, dict[str, float]], dict[tuple[str, str], dict[str, float]]]:
    """Per activity (counts, requests, effort, waits and their parts) and per (activity,
    person) (count, mean effort, mean squared effort), of the enriched events ``e`` (all or
    some requests) whose variants are ``variants`` (:func:`variant_counts`): the requests doing
    an activity are those of the variants holding it (no count of distinct requests over the
    events)."""
    rows = _Rows(
        e.group_by("activity").aggregate(
            count=e.count(),
            effort=e.effort.mean(),
            effort_sd=e.effort.std(how="pop"),
            zero=(e.effort <= 0).cast("int64").sum(),
            visits_waited=e.prev_end.count(),
            wait=e.wait.mean(where=e.prev_end.notnull()),
            contention=e.contention.mean(where=e.prev_end.notnull()),
            extraneous=(e.wait - e.contention).mean(where=e.prev_end.notnull()),
            extraneous_sd=(e.wait - e.contention).std(how="pop", where=e.prev_end.notnull()),
            position=e.pos.mean(),
        )
    )
    doing: dict[str, int] = {}
    for seq, n in variants:
        for a in set(seq):
            doing[a] = doing.get(a, 0) + n
    activities = {
        str(r.activity): {
            "count": _num(r.count),
            "requests": float(doing.get(str(r.activity), 0)),
            **{k: _num(getattr(r, k)) for k in rows.columns if k not in ("activity", "count")},
        }
        for r in rows.itertuples(index=False)
    }
    perf = _Rows(
        e.group_by(["activity", "resource"]).aggregate(
            count=e.count(), effort=e.effort.mean(), effort_sq=(e.effort * e.effort).mean()
        )
    )
    by_performer = {
        (str(r.activity), str(r.resource)): {
            "count": float(r.count),
            "effort": _num(r.effort),
            "effort_sq": _num(r.effort_sq),
        }
        for r in perf.itertuples(index=False)
    }
    return activities, by_performer


def variant_counts(e: Any) -> list[tuple[list[str], int]]:
    """The variants of the enriched events ``e``: the activities of each request in order,
    with how many requests follow them, most frequent first (ties by the activities)."""
    import ibis

    seqs = e.group_by("case").aggregate(seq=ibis.struct({"p": e.pos, "a": e.activity}).collect())
    seqs = seqs.mutate(variant=seqs.seq.sort().map(lambda s: s.a).join(SEP))
    var_rows = _Rows(seqs.group_by("variant").aggregate(n=seqs.count()))
    return sorted(
        (
            (str(v).split(SEP), int(n))
            for v, n in zip(var_rows["variant"], var_rows["n"], strict=True)
        ),
        key=lambda x: (-x[1], x[0]),
    )


class _Rows:
    """A small result: columns as lists, rows as named tuples."""

    def __init__(self, expr: Any) -> None:
        from orgflow.mine.read import fetch

        self.data = fetch(expr)
        self.columns = list(self.data)

    def __getitem__(self, name: str) -> list[Any]:
        return self.data[name]

    def __len__(self) -> int:
        return len(self.data[self.columns[0]]) if self.columns else 0

    def itertuples(self, index: bool = False) -> Any:
        from collections import namedtuple

        row = namedtuple("row", self.columns)  # type: ignore[misc]
        for values in zip(*self.data.values(), strict=True):
            yield row(*values)


def _num(value: Any) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        return 0.0
    return 0.0 if math.isnan(x) else x
