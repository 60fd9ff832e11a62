"""Runs of the simulator and their statistics: means with 95% confidence intervals across
runs, percentiles over every simulated request, per route, customer, process and person."""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from orgflow.analysis.routes import Routes, build_routes
from orgflow.model import Org
from orgflow.simulate.engine import RunResult, Simulator
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


@dataclass(frozen=True)
class SimOptions:
    weeks: float = 52.0
    warmup: float = 4.0
    runs: int = 10
    seed: int = 1
    start: dt.date | None = None


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


def percentile(sorted_values: Sequence[float], q: float) -> float:
    """Linear-interpolation percentile (numpy's default) of sorted values, q in [0, 1]."""
    if not sorted_values:
        return math.nan
    pos = q * (len(sorted_values) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


def mean_ci(values: Sequence[float]) -> tuple[float, float]:
    """Mean and 95% half-width t(0.975, n-1) * s / sqrt(n) of per-run values."""
    finite = [v for v in values if not math.isnan(v)]
    if not finite:
        return math.nan, math.nan
    m = statistics.fmean(finite)
    if len(finite) < 2:
        return m, math.inf
    return m, t975(len(finite) - 1) * statistics.stdev(finite) / math.sqrt(len(finite))


def estimate(per_run: list[list[float]]) -> Estimate:
    means = [statistics.fmean(r) if r else math.nan for r in per_run]
    m, ci = mean_ci(means)
    pooled = sorted(v for r in per_run for v in r)
    return Estimate(
        m,
        ci,
        percentile(pooled, 0.5),
        percentile(pooled, 0.9),
        percentile(pooled, 0.95),
        pooled[-1] if pooled else math.nan,
        len(pooled),
    )


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
    parts: dict[str, float]  # touch, queueing, handoff, absence: mean hours on the path
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
            e = working_hours_from(start, a.to + dt.timedelta(days=1), cal)
            if e > s:
                spans.append((s, e))
        out.append(spans)
    return out


def simulate(
    org: Org,
    options: SimOptions,
    *,
    progress: Callable[[float], None] | None = None,
    routes: Routes | None = None,
    today: dt.date | None = None,
) -> SimResult:
    """Run ``options.runs`` independent runs (seeds ``seed:0``, ``seed:1``, ...)."""
    from orgflow.analysis.workload import workload

    cal = org.calendar
    routes = routes or build_routes(org)
    start = options.start or today or dt.date.today()
    sim = Simulator(org, routes, dated_absences(org, start))
    horizon = (options.weeks + options.warmup) * cal.hours_per_week
    warmup = options.warmup * cal.hours_per_week
    runs: list[RunResult] = []
    for r in range(options.runs):

        def step(fraction: float, r: int = r) -> None:
            if progress is not None:
                progress((r + fraction) / options.runs)

        runs.append(sim.run(hash_seed(options.seed, r), horizon, warmup, step))
    if progress is not None:
        progress(1.0)
    return summarize(
        org, options, start, routes, runs, [p.person for p in workload(org, routes) if p.overloaded]
    )


def hash_seed(seed: int, run: int) -> int:
    return seed * 1_000_003 + run


def summarize(
    org: Org,
    options: SimOptions,
    start: dt.date,
    routes: Routes,
    runs: list[RunResult],
    overloaded: list[str],
) -> SimResult:
    cal = org.calendar
    route_numbers = [r.number for r in routes.routes]
    route_process = [r.process for r in routes.routes]
    customers = [c.id for c in org.customers]

    def grouped(key: Callable[[RunResult, int], str | int]) -> dict[str | int, Estimate]:
        per: dict[str | int, list[list[float]]] = {}
        for ri, run in enumerate(runs):
            for i, lead in enumerate(run.lead_times):
                lists = per.setdefault(key(run, i), [[] for _ in runs])
                lists[ri].append(lead)
        return {k: estimate(v) for k, v in per.items()}

    lead = estimate([run.lead_times for run in runs])
    n = sum(len(run.parts) for run in runs)
    parts = {
        name: (sum(p[i] for run in runs for p in run.parts) / n if n else math.nan)
        for i, name in enumerate(("touch", "queueing", "handoff", "absence"))
    }
    people = (
        [
            PersonStats(
                pid,
                statistics.fmean(run.utilization[i] for run in runs),
                statistics.fmean(run.mean_queue[i] for run in runs),
                max(run.max_queue[i] for run in runs),
                statistics.fmean(run.delayed_share[i] for run in runs),
            )
            for i, pid in enumerate(p.id for p in org.people)
        ]
        if runs
        else []
    )
    per_route = grouped(lambda run, i: route_numbers[run.route_of[i]])
    return SimResult(
        options=options,
        start=start,
        hours_per_day=cal.hours_per_day,
        lead_time=lead,
        parts=parts,
        per_process={
            str(k): v for k, v in grouped(lambda run, i: route_process[run.route_of[i]]).items()
        },
        per_route={int(k): v for k, v in per_route.items()},
        per_customer={
            str(k): v for k, v in grouped(lambda run, i: customers[run.customer_of[i]]).items()
        },
        people=people,
        requests_completed=statistics.fmean(run.completed for run in runs) if runs else 0.0,
        requests_open_at_end=statistics.fmean(run.open_at_end for run in runs) if runs else 0.0,
        backlog_growth=statistics.fmean(run.open_at_end - run.open_at_warmup for run in runs)
        if runs
        else 0.0,
        overloaded=overloaded,
        run_means=[
            statistics.fmean(run.lead_times) if run.lead_times else math.nan for run in runs
        ],
        routes=routes,
    )
