"""Runs of the simulator and their statistics: means with 95% confidence intervals across
runs, percentiles over every simulated request, per route, customer, process and person."""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from orgflow.errors import SimulationError
from orgflow.model import Org
from orgflow.office import Office, Routes
from orgflow.simulate.engine import RunResult, Simulator
from orgflow.simulate.streams import Profile, arrivals_until
from orgflow.units import Calendar

# Two-sided 95% Student t quantiles t(0.975, df) for df = 1..30; the normal 1.96 beyond.
_T975 = (
    12.706,
    4.303,
    3.182,
    2.776,
    2.571,
    2.447,
    2.365,
    2.306,
    2.262,
    2.228,
    2.201,
    2.179,
    2.160,
    2.145,
    2.131,
    2.120,
    2.110,
    2.101,
    2.093,
    2.086,
    2.080,
    2.074,
    2.069,
    2.064,
    2.060,
    2.056,
    2.052,
    2.048,
    2.045,
    2.042,
)


def t975(df: int) -> float:
    """The 97.5% quantile of Student's t with ``df`` degrees of freedom."""
    if df < 1:
        return math.inf
    return _T975[df - 1] if df <= len(_T975) else 1.959964


#: The most events one simulation may generate, all runs together (about a minute or two of
#: the event engine): a request for more is a usage error, never a hang.
MAX_EVENTS = 100_000_000


class SimulationTooLargeError(SimulationError):
    """The simulation asked for would generate more than :data:`MAX_EVENTS` events."""


def expected_events(sim: Simulator, runs: int, horizon: float) -> tuple[float, str]:
    """How many events the runs will generate, about (the mean), and how that comes: each
    request arrives, then each of its steps reaches a desk and is done; each absence starts
    and ends; with absences every run goes twice (the second with everyone present)."""
    steps = sim.steps_per_request()
    requests = sim.total_rate * horizon
    spells = sum(
        horizon * (1 - a) / sim.spell if a < 1 and sim.spell > 0 else 0.0 for a in sim.availability
    )
    passes = 2 if sim.has_absences else 1
    events = runs * (passes * requests * (1 + 2 * steps) + 2 * spells)
    how = (
        f"{requests:,.0f} requests a run x {steps:.3g} step(s) each, {spells:,.3g} random "
        f"absence spells a run, {runs} run(s)"
        f"{', each twice (with and without absences)' if passes == 2 else ''}"
    )
    if 2 * spells * runs > events / 2:
        how += "; the absences are short: lengthen absence_spell"
    return events, how


@dataclass(frozen=True)
class SimOptions:
    weeks: float = 52.0
    warmup: float = 4.0
    runs: int = 10
    seed: int = 1
    start: dt.date | None = None
    engine: str = "auto"  # "auto", "flow" or "event"
    jobs: int = 1  # runs simulated at once, on as many processes
    # Weeks after the warm-up during which requests arrive (None: the whole run); after them
    # the run only finishes the requests in hand (``orgflow fit``: the log's arrival window).
    arrival_weeks: float | None = None


@dataclass(frozen=True)
class Estimate:
    """A mean across runs with its 95% confidence half-width, and pooled percentiles."""

    mean: float
    ci95: float  # half-width; the interval is mean +- ci95
    p50: float
    p90: float
    p95: float
    max: float
    count: int


def mean_ci(values: Sequence[float]) -> tuple[float, float]:
    """Mean and 95% half-width t(0.975, n-1) * s / sqrt(n) of per-run values."""
    finite = [v for v in values if not math.isnan(v)]
    if not finite:
        return math.nan, math.nan
    m = statistics.fmean(finite)
    if len(finite) < 2:
        return m, math.inf
    return m, t975(len(finite) - 1) * statistics.stdev(finite) / math.sqrt(len(finite))


@dataclass(frozen=True)
class PersonStats:
    id: str
    utilization: float
    mean_queue: float
    max_queue: int
    delayed_by_absence_share: float


@dataclass
class SimResult:
    """Everything ``orgflow simulate`` reports (working hours)."""

    options: SimOptions
    start: dt.date
    hours_per_day: float
    lead_time: Estimate
    parts: dict[str, float]  # touch, queueing, handoff, absence: mean hours (see summarize)
    per_process: dict[str, Estimate]
    per_route: dict[int, Estimate]
    per_customer: dict[str, Estimate]
    people: list[PersonStats]
    requests_completed: float  # mean per run
    requests_open_at_end: float
    backlog_growth: float  # open at end minus open after the warm-up, mean per run
    overloaded: list[str]
    run_means: list[float] = field(default_factory=list)
    routes: Routes | None = None
    samples: Any = None  # every counted request's lead time (numpy), when asked to keep them
    present_lead_time: float = math.nan  # the mean with everyone always present (same runs)
    #: Issue 14 (the event engine; NaN and empty on the flow engine): changes of person and
    #: of role per completed request (every counted request of every run), and each
    #: activity's executions by the completed requests, mean per run.
    person_changes: float = math.nan
    role_changes: float = math.nan
    activity_counts: dict[str, float] = field(default_factory=dict)


def working_hours_from(start: dt.date, day: dt.date, cal: Calendar) -> float:
    """Working hours between ``start`` and the beginning of ``day`` (weekdays Monday onward
    are working days, ``days_per_week`` of them)."""
    if day <= start:
        return 0.0
    full_weeks, rest = divmod((day - start).days, 7)
    workdays = full_weeks * cal.days_per_week
    for i in range(rest):
        if (start + dt.timedelta(days=i)).weekday() < cal.days_per_week:
            workdays += 1
    return workdays * cal.hours_per_day


def dated_absences(org: Org, start: dt.date) -> list[list[tuple[float, float]]]:
    cal = org.calendar
    out = []
    for p in org.people:
        spans = []
        for a in p.absences:
            s = working_hours_from(start, a.from_, cal)
            # To the end of its last day (the last representable date has no next day).
            e = (
                working_hours_from(start, a.to, cal) + cal.hours_per_day
                if a.to >= dt.date.max
                else working_hours_from(start, a.to + dt.timedelta(days=1), cal)
            )
            if e > s:
                spans.append((s, e))
        out.append(spans)
    return out


def demand_profile(org: Org, start: dt.date, horizon: float) -> Profile | None:
    """``demand_by_month`` over a run from ``start``: the working hour at which each calendar
    month begins (the run's first day for the first) and its multiplier, up to past
    ``horizon`` working hours; ``None`` without ``demand_by_month``."""
    from orgflow.routing import month_starts

    months = org.org.demand_by_month
    if months is None:
        return None
    cal = org.calendar
    factors = months.factors
    # Calendar days enough to hold ``horizon`` working hours, and a month more.
    days = int(horizon / cal.hours_per_week * 7) + 40
    end = start + dt.timedelta(days=days)
    starts, values = [], []
    for first, month in month_starts(start, end):
        starts.append(working_hours_from(start, first, cal))
        values.append(float(factors[month - 1]))
    # Past the run: a flat rate (never reached; the map needs a positive last multiplier).
    starts.append(working_hours_from(start, end, cal))
    values.append(1.0)
    return starts, values


def simulate(
    office: Office,
    options: SimOptions,
    *,
    progress: Callable[[float], None] | None = None,
    keep_samples: bool = False,
    today: dt.date | None = None,
    roles: Mapping[str, str] | None = None,
) -> SimResult:
    """Run ``options.runs`` independent runs (seeds ``seed:0``, ``seed:1``, ...).

    Raises :class:`~orgflow.errors.SimulationError` for a run that cannot be made as asked
    (too large; ``--engine flow`` on an office that sends work back). ``roles`` (person ->
    role) are the roles of the changes of role; without, each person is a role of their own."""
    from orgflow.analysis.workload import workload

    org, routes, cal = office.org, office.routes, office.calendar
    start = options.start or today or dt.date.today()
    horizon = (options.weeks + options.warmup) * cal.hours_per_week
    profile = demand_profile(org, start, horizon)
    if options.arrival_weeks is not None:
        end = (options.warmup + options.arrival_weeks) * cal.hours_per_week
        profile = arrivals_until(profile, end, horizon)
    sim = Simulator(office, dated_absences(org, start), profile, roles)
    warmup = options.warmup * cal.hours_per_week
    events, how = expected_events(sim, options.runs, horizon)
    if not events <= MAX_EVENTS:
        raise SimulationTooLargeError(
            f"this simulation would generate about {events:,.3g} events ({how}), more than the "
            f"limit of {MAX_EVENTS:,}; lower --weeks or --runs, or the demand"
        )
    sim.check_engine(options.engine)
    # With absences each run goes twice: as it is, and with everyone always present.
    passes = 2 if sim.has_absences else 1
    tasks = [(r, twin) for r in range(options.runs) for twin in range(passes)]
    done = _run_all(sim, options, horizon, warmup, tasks, progress)
    runs = [done[(r, 0)] for r in range(options.runs)]
    present_runs = [done[(r, 1)] for r in range(options.runs)] if passes == 2 else []
    if progress is not None:
        progress(1.0)
    result = summarize(
        org,
        options,
        start,
        routes,
        runs,
        [p.person for p in workload(office) if p.overloaded],
        present_runs or None,
    )
    if keep_samples:
        import numpy as np

        result.samples = np.concatenate([run.lead_times for run in runs]) if runs else np.zeros(0)
    return result


#: The office the worker processes of a parallel simulation run (inherited when they fork).
_WORKER: tuple[Simulator, SimOptions, float, float] | None = None


def _worker_run(task: tuple[int, int]) -> tuple[tuple[int, int], RunResult]:
    assert _WORKER is not None
    sim, options, horizon, warmup = _WORKER
    r, twin = task
    return task, sim.run_any(options.seed, r, horizon, warmup, options.engine, None, bool(twin))


def _run_all(
    sim: Simulator,
    options: SimOptions,
    horizon: float,
    warmup: float,
    tasks: list[tuple[int, int]],
    progress: Callable[[float], None] | None,
) -> dict[tuple[int, int], RunResult]:
    """Every (run, twin) of ``tasks``: one after the other, or on ``options.jobs`` processes.
    Each run depends only on the seed and its number, so the results are the same."""
    done: dict[tuple[int, int], RunResult] = {}
    jobs = min(options.jobs, len(tasks))
    if jobs > 1:  # (imported only then: a few milliseconds of every single run otherwise)
        import multiprocessing
    if jobs > 1 and "fork" in multiprocessing.get_all_start_methods():
        global _WORKER
        _WORKER = (sim, options, horizon, warmup)
        try:
            # A pool forks its workers before it starts its own threads. It is closed and
            # joined, never terminated: terminating a pool whose task thread is writing to a
            # worker can deadlock (a worker's error then waits for the runs in flight).
            pool = multiprocessing.get_context("fork").Pool(jobs)
            try:
                for task, result in pool.imap_unordered(_worker_run, tasks):
                    done[task] = result
                    if progress is not None:
                        progress(len(done) / len(tasks))
            finally:
                pool.close()
                pool.join()
        finally:
            _WORKER = None
        return done
    for at, (r, twin) in enumerate(tasks):

        def step(fraction: float, at: int = at) -> None:
            if progress is not None:
                progress((at + fraction) / len(tasks))

        done[(r, twin)] = sim.run_any(
            options.seed, r, horizon, warmup, options.engine, step, bool(twin)
        )
    return done


#: The pooled percentiles of an :class:`Estimate`, as fractions.
QUANTILES = (0.5, 0.9, 0.95, 1.0)


def sorted_percentiles(values: Any, starts: Any, counts: Any) -> Any:
    """The :data:`QUANTILES` of each group of ``values`` (sorted within each group, group
    ``g`` at ``starts[g]:starts[g] + counts[g]``, ``counts[g] > 0``), one row per group:
    numpy's ``percentile`` (its default, linear method) to the last bit, without a call per
    group. The virtual index of fraction ``q`` is ``v = (n - 1) * q``; with ``a`` and ``b``
    the values at ``floor(v)`` and the one after and ``t`` the fractional part, the value is
    ``a + (b - a) * t``, or ``b - (b - a) * (1 - t)`` when ``t >= 0.5``; ``v >= n - 1`` gives
    the last value.

    >>> import numpy as np
    >>> sorted_percentiles(np.array([1.0, 2.0, 3.0, 4.0, 10.0]), np.array([0]), np.array([5]))
    array([[ 3. ,  7.6,  8.8, 10. ]])
    """
    import numpy as np

    out = np.empty((len(counts), len(QUANTILES)))
    last = starts + counts - 1
    for j, q in enumerate(QUANTILES):
        virtual = (counts - 1) * q
        above = virtual >= counts - 1
        lower = np.where(above, 0, np.floor(virtual)).astype(np.int64)
        t = virtual - lower
        a = values[np.where(above, last, starts + lower)]
        b = values[np.where(above, last, starts + np.minimum(lower + 1, counts - 1))]
        diff = b - a
        value = np.where(t >= 0.5, b - diff * (1 - t), a + diff * t)
        out[:, j] = np.where(above, values[last], value)
    return out


def _group_estimates(
    runs: list[RunResult], keys: list[Any], names: Sequence[Any], order: Any = None
) -> dict[Any, Estimate]:
    """Per group (route, process or customer index): the mean across runs with its 95% CI,
    and percentiles over every request of every run (:func:`sorted_percentiles`); ``order``
    sorts the runs' lead times one after the other (computed when not given)."""
    import numpy as np

    groups = len(names)
    sums = np.zeros((len(runs), groups))
    counts = np.zeros((len(runs), groups))
    for r, (run, key) in enumerate(zip(runs, keys, strict=True)):
        sums[r] = np.bincount(key, weights=run.lead_times, minlength=groups)
        counts[r] = np.bincount(key, minlength=groups)
    values = np.concatenate([run.lead_times for run in runs])
    if order is None:
        order = np.argsort(values)
    values = values[order]
    if groups > 1:  # sorted within each group: sorted, then stably by their keys in that order
        allkeys = np.concatenate(keys)[order]
        small = np.uint16 if groups < 1 << 16 else np.int64  # (a radix sort)
        values = values[np.argsort(allkeys.astype(small), kind="stable")]
    sizes = counts.sum(axis=0).astype(np.int64)
    starts = np.zeros(groups, dtype=np.int64)
    np.cumsum(sizes[:-1], out=starts[1:])
    present = np.flatnonzero(sizes)
    q = sorted_percentiles(values, starts[present], sizes[present]).tolist()
    out: dict[Any, Estimate] = {}
    for g, row in zip(present.tolist(), q, strict=True):
        per_run = [
            float(sums[r, g] / counts[r, g]) if counts[r, g] else math.nan for r in range(len(runs))
        ]
        m, ci = mean_ci(per_run)
        out[names[g]] = Estimate(m, ci, row[0], row[1], row[2], row[3], int(sizes[g]))
    return out


def present_lead_times(run: RunResult, present: RunResult) -> Any:
    """The lead time with everyone always present of each request counted in ``run``, from
    ``present``, the same run without absences (requests matched by their arrival number). A
    request done in the run but not by the end of the other has no figure there: it counts
    as its own lead time (no absence part; the other would be longer still)."""
    import numpy as np

    if not len(run.number_of):
        return np.zeros(0)
    size = int(max(run.number_of.max(), present.number_of.max(initial=-1))) + 1
    by_number = np.full(size, np.nan)
    by_number[present.number_of] = present.lead_times
    paired = by_number[run.number_of]
    return np.where(np.isnan(paired), run.lead_times, paired)


def _person_stats(people: list[str], runs: list[RunResult]) -> list[PersonStats]:
    """Each person's figures, averaged over the runs (the longest queue: the longest seen)."""
    return [
        PersonStats(
            pid,
            statistics.fmean(run.utilization[i] for run in runs),
            statistics.fmean(run.mean_queue[i] for run in runs),
            max(run.max_queue[i] for run in runs),
            statistics.fmean(run.delayed_share[i] for run in runs),
        )
        for i, pid in enumerate(people)
    ]


def summarize(
    org: Org,
    options: SimOptions,
    start: dt.date,
    routes: Routes,
    runs: list[RunResult],
    overloaded: list[str],
    present_runs: list[RunResult] | None = None,
) -> SimResult:
    """The figures of ``runs``; ``present_runs`` are the same runs with everyone always present
    (``None``: nobody is ever away, they are ``runs``).

    The parts of the mean lead time L (every counted request of every run): touch and handoff
    latency along each request's realised critical path; absence = L - L0, L0 the mean lead
    time of the same requests (same arrivals, same efforts) with everyone always present;
    external = the delays (issue 13) along the same path, reported when some step has one;
    queueing = L0 - touch - handoff - external. They add up to L."""
    import numpy as np

    cal = org.calendar
    delays = any(s.delay is not None for p in org.processes for s in p.steps)
    route_numbers = [r.number for r in routes.routes]
    route_process = [r.process for r in routes.routes]
    process_names = list(dict.fromkeys(route_process))
    process_index = np.asarray([process_names.index(p) for p in route_process], dtype=np.int64)
    customers = [c.id for c in org.customers]
    nothing = Estimate(math.nan, math.nan, math.nan, math.nan, math.nan, math.nan, 0)
    order = np.argsort(np.concatenate([run.lead_times for run in runs]))  # one sort for all
    everything = _group_estimates(
        runs, [np.zeros(len(run.lead_times), dtype=np.int64) for run in runs], ["all"], order
    )
    n = sum(len(run.lead_times) for run in runs)
    if n:
        lead = sum(float(run.lead_times.sum()) for run in runs) / n
        present_lead = lead
        if present_runs is not None:
            present_lead = (
                sum(
                    float(present_lead_times(run, twin).sum())
                    for run, twin in zip(runs, present_runs, strict=True)
                )
                / n
            )
        touch = sum(run.parts_sum[0] for run in runs) / n
        handoff = sum(run.parts_sum[2] for run in runs) / n
        external = sum(run.external_sum for run in runs) / n
        parts = {
            "touch": touch,
            "queueing": present_lead - touch - handoff - external,
            "handoff": handoff,
            "absence": lead - present_lead,
        }
        if delays:
            parts["external"] = external
    else:  # no request completed: the parts are undefined
        present_lead = math.nan
        names = ("touch", "queueing", "handoff", "absence", "external")
        parts = dict.fromkeys(names if delays else names[:4], math.nan)
    people = _person_stats([p.id for p in org.people], runs)
    return SimResult(
        options=options,
        start=start,
        hours_per_day=cal.hours_per_day,
        lead_time=everything.get("all", nothing),
        parts=parts,
        per_process=_group_estimates(
            runs, [process_index[run.route_of] for run in runs], process_names, order
        ),
        per_route=_group_estimates(runs, [run.route_of for run in runs], route_numbers, order),
        per_customer=_group_estimates(runs, [run.customer_of for run in runs], customers, order),
        people=people,
        requests_completed=statistics.fmean(run.completed for run in runs),
        requests_open_at_end=statistics.fmean(run.open_at_end for run in runs),
        backlog_growth=statistics.fmean(run.open_at_end - run.open_at_warmup for run in runs),
        overloaded=overloaded,
        run_means=[
            float(run.lead_times.mean()) if len(run.lead_times) else math.nan for run in runs
        ],
        routes=routes,
        present_lead_time=present_lead,
        **_changes_and_counts([a.id for a in org.activities], runs),
    )


def _changes_and_counts(activities: list[str], runs: list[RunResult]) -> dict[str, Any]:
    """Changes of person and of role per completed request, pooled over the runs, and each
    activity's executions, mean per run (when every run measured them: the event engine)."""
    if not runs or any(r.person_changes is None or r.activity_counts is None for r in runs):
        return {}
    n = sum(r.completed for r in runs)
    counts = [r.activity_counts or [] for r in runs]
    return {
        "person_changes": sum(r.person_changes or 0 for r in runs) / n if n else math.nan,
        "role_changes": sum(r.role_changes or 0 for r in runs) / n if n else math.nan,
        "activity_counts": {
            a: statistics.fmean(c[i] for c in counts) for i, a in enumerate(activities)
        },
    }
