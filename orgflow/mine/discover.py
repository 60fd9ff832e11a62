"""From the figures of a log to an org file (a plain dict, plus the lines of its header).

Every choice is documented here and in the README ("How mine builds the org file"):

- **roles**: people whose activity-count vectors correlate (Pearson) at ``ROLE_THRESHOLD`` or
  more are linked; a role is a connected group (Simod's resource pools). A role is named after
  the activity its members do most.
- **routing** (one process, the steps in the order of their mean first position in the kept
  variants): each step is done with the probability observed among the requests still going
  when they reach it; after a step, the request ends with the probability observed (the share
  of the requests that did the step and whose last event is it); a step repeated after a later
  one is rework, back to the step most often returned to, with the probability of going back
  per visit. ``paths`` keeps only the most frequent variants (all by default).
- **efforts**: lognormal with the observed mean and coefficient of variation of each
  activity's effort (fixed at 0 when every event takes no time).
- **delays**: the mean and cv of the extraneous part of the waits before a step.
- **assignments**: the people doing at least ``MEMBER_SHARE`` of an activity; a chain
  (most frequent first, the others as backups) when one does at least ``DOMINANT_SHARE``
  of it, else a pool where any member picks up the next step.
- **demand**: requests arrived / weeks from the first to the last arrival; per month, the
  arrival rate of each month observed over the mean rate (``demand_by_month``).
- **availability**: 1 - (absent working days / working days from a person's first to last day
  of work), an absence being ``ABSENCE_RUN`` or more working days in a row without any event for
  a person who averages at least ``BUSY_PER_DAY`` events per working day; else 1.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any

from orgflow.mine.figures import Figures

ROLE_THRESHOLD = 0.7
MEMBER_SHARE = 0.05
DOMINANT_SHARE = 0.8
MANDATORY = 0.98
ABSENCE_RUN = 5
BUSY_PER_DAY = 2.0
MIN_DELAY_HOURS = 0.05
MAX_CUSTOMERS = 20
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


@dataclass
class Route:
    activity: str
    probability: float = 1.0
    stop: float = 0.0
    rework_to: str | None = None
    rework: float = 0.0
    delay_mean: float = 0.0
    delay_cv: float = 0.0
    requests: int = 0


@dataclass
class Mined:
    org: dict[str, Any]
    header: list[str]
    warnings: list[str] = field(default_factory=list)
    roles: dict[str, str] = field(default_factory=dict)
    routes: list[Route] = field(default_factory=list)


def slug(name: str, taken: set[str]) -> str:
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", name.strip()).strip("_").lower() or "x"
    base = base[:60]
    out, n = base, 2
    while out in taken:
        out, n = f"{base}_{n}", n + 1
    taken.add(out)
    return out


def supports() -> dict[str, bool]:
    """Which format additions of issue 13 this orgflow's loader knows."""
    from orgflow import model

    step = getattr(model.Step, "model_fields", {})
    rule = getattr(model.Rule, "model_fields", {})
    settings = getattr(model.OrgSettings, "model_fields", {})
    return {
        "probability": "probability" in step,
        "stop": "stop" in step,
        "rework": "rework" in step,
        "delay": "delay" in step,
        "pickup": "pickup" in rule,
        "rule_effort": "effort" in rule,
        "demand_by_month": "demand_by_month" in settings,
    }


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


def discover_routes(fig: Figures, paths: int = 0) -> tuple[list[Route], int]:
    """The steps of the one process, with their probabilities (see the module docstring);
    and the number of requests the kept variants hold."""
    variants = fig.variants[:paths] if paths > 0 else fig.variants
    total = sum(n for _, n in variants)
    first_pos: dict[str, list[float]] = {}
    for seq, n in variants:
        seen: dict[str, int] = {}
        for i, a in enumerate(seq):
            seen.setdefault(a, i)
        for a, i in seen.items():
            first_pos.setdefault(a, []).append(i)
            first_pos[a].extend([i] * (n - 1))
    order = sorted(first_pos, key=lambda a: (sum(first_pos[a]) / len(first_pos[a]), a))
    index = {a: k for k, a in enumerate(order)}
    contains = [0] * len(order)
    visits = [0] * len(order)
    stops = [0] * len(order)
    back: list[dict[int, int]] = [{} for _ in order]
    for seq, n in variants:
        steps = [index[a] for a in seq]
        for k in set(steps):
            contains[k] += n
        for k in steps:
            visits[k] += n
        stops[steps[-1]] += n
        for x, y in itertools.pairwise(steps):
            if y <= x:
                back[x][y] = back[x].get(y, 0) + n
    routes = []
    alive = total
    for k, a in enumerate(order):
        done = contains[k]
        r = Route(a, requests=done)
        r.probability = done / alive if alive else 0.0
        r.stop = stops[k] / done if done else 0.0
        targets = {y: c for y, c in back[k].items() if y < k}
        if targets:
            y = max(targets, key=lambda t: (targets[t], -t))
            r.rework_to = order[y]
            r.rework = min(sum(targets.values()) / visits[k], 0.95)
        act = fig.activities.get(a, {})
        r.delay_mean = act.get("extraneous", 0.0)
        sd = act.get("extraneous_sd", 0.0)
        r.delay_cv = sd / r.delay_mean if r.delay_mean > 0 else 0.0
        alive -= stops[k]
        routes.append(r)
    return routes, total


# --- availability --------------------------------------------------------------------------


def availability(days: list[int], working_days: list[int], events: float) -> tuple[float, int]:
    """Share of working days present, and the absent working days found (see the module):
    ``days`` are the day numbers (since 1970) with work, ``events`` the person's event count."""
    from orgflow.mine.figures import EPOCH_WEEKDAY

    if not days:
        return 1.0, 0
    work = set(working_days)
    span = [d for d in range(days[0], days[-1] + 1) if (d + EPOCH_WEEKDAY) % 7 in work]
    if not span or events / len(span) < BUSY_PER_DAY:
        return 1.0, 0
    present = set(days)
    absent = run = 0
    for d in [*span, None]:
        if d is None or d in present:
            if run >= ABSENCE_RUN:
                absent += run
            run = 0
        else:
            run += 1
    return 1.0 - absent / len(span), absent


# --- the org file --------------------------------------------------------------------------


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


def build(
    fig: Figures,
    *,
    name: str = "Mined office",
    paths: int = 0,
    customer_column: str | None = None,
    sources: list[str] | None = None,
    shape: str = "start_end",
    notes: list[str] | None = None,
) -> Mined:
    can = supports()
    roles = discover_roles(fig)
    fig.set_roles(roles)
    routes, kept = discover_routes(fig, paths)
    taken: set[str] = set()
    act_id = {a: slug(a, taken) for a in sorted(fig.activities)}
    person_id = {p: slug(p, taken) for p in sorted(fig.people)}
    cal = fig.calendar
    warnings: list[str] = []

    # People.
    people = []
    absences: dict[str, int] = {}
    for p in sorted(fig.people):
        share, absent = availability(fig.person_days.get(p, []), cal.days, fig.people[p]["count"])
        absences[p] = absent
        skills = sorted(act_id[a] for (a, q) in fig.by_performer if q == p)
        entry: dict[str, Any] = {"id": person_id[p], "name": p, "skills": skills}
        if share < 1.0:
            entry["availability"] = round(max(share, 0.01), 3)
        people.append(entry)

    # Activities.
    activities = []
    for a in sorted(fig.activities):
        s = fig.activities[a]
        activities.append(
            {"id": act_id[a], "name": a, "effort": _effort(s["effort"], s["effort_sd"])}
        )

    # Routing.
    use_prob = can["probability"] and can["stop"]
    steps: list[Any] = []
    if use_prob:
        kept_ids = list(routes)
    else:
        kept_ids = [r for r in routes if r.requests >= 0.5 * max(fig.requests, 1)]
    for r in kept_ids:
        step: dict[str, Any] = {"activity": act_id[r.activity]}
        if can["delay"] and r.delay_mean >= MIN_DELAY_HOURS:
            step["delay"] = {"mean": _hours(r.delay_mean), "cv": round(min(r.delay_cv, 10.0), 3)}
        if use_prob and r.probability < MANDATORY:
            step["probability"] = round(r.probability, 4)
        if use_prob and r.stop > 0.0005 and r is not kept_ids[-1]:
            step["stop"] = round(r.stop, 4)
        if can["rework"] and r.rework_to is not None and r.rework > 0.0005:
            step["rework"] = {"to": act_id[r.rework_to], "probability": round(r.rework, 4)}
        steps.append(step if len(step) > 1 else act_id[r.activity])
    process = {"id": "main", "name": f"Requests of {name}", "steps": steps}

    # Assignments.
    assignments = []
    shared = []
    in_process = {r.activity for r in kept_ids}
    for a in sorted(fig.activities):
        if a not in in_process:
            continue
        perf = sorted(
            ((v["count"], q) for (b, q), v in fig.by_performer.items() if b == a),
            key=lambda x: (-x[0], x[1]),
        )
        total = sum(c for c, _ in perf)
        members = [q for c, q in perf if c >= MEMBER_SHARE * total] or [perf[0][1]]
        top_share = perf[0][0] / total if total else 1.0
        if top_share >= DOMINANT_SHARE or len(members) == 1:
            assignments.append({"activity": act_id[a], "people": [person_id[q] for q in members]})
        else:
            rule: dict[str, Any] = {"activity": act_id[a], "pool": [person_id[q] for q in members]}
            if can["pickup"]:
                rule["pickup"] = "any"
            assignments.append(rule)
            shared.append(a)

    # Demand.
    weeks = fig.weeks
    customers = []
    if customer_column and fig.customers:
        ranked = sorted(fig.customers.items(), key=lambda x: (-x[1], x[0]))
        top, rest = ranked[:MAX_CUSTOMERS], ranked[MAX_CUSTOMERS:]
        ctaken: set[str] = set()
        for cname, n in top:
            entry = {"id": slug(cname, ctaken), "name": cname}
            if cname in fig.customer_region:
                entry["region"] = fig.customer_region[cname]
            entry["demand"] = {"main": f"{n / weeks:.4g}/week"}
            customers.append(entry)
        if rest:
            n = sum(c for _, c in rest)
            customers.append(
                {
                    "id": slug("others", ctaken),
                    "name": f"{len(rest)} other customers",
                    "demand": {"main": f"{n / weeks:.4g}/week"},
                }
            )
    else:
        customers.append(
            {
                "id": "requesters",
                "name": "Everyone who sends requests",
                "demand": {"main": f"{fig.requests / weeks:.4g}/week"},
            }
        )
    settings: dict[str, Any] = {
        "name": name,
        "hours_per_day": cal.hours_per_day,
        "days_per_week": cal.days_per_week,
        "handoff_delay": "0h",
    }
    months = monthly(fig)
    if can["demand_by_month"] and months:
        settings["demand_by_month"] = months

    org = {
        "version": 1,
        "org": settings,
        "people": people,
        "activities": activities,
        "processes": [process],
        "customers": customers,
        "assignments": assignments,
    }

    # Warnings.
    if fig.open_requests:
        warnings.append(
            f"{fig.open_requests} requests are open at the end of the log (their last activity "
            f"ends fewer than 2% of requests): counted in demand, not in lead times"
        )
    drift = _drift(fig)
    if drift:
        warnings.append(drift)
    if fig.zero_length:
        warnings.append(f"{fig.zero_length} events take no time (start = end)")
    if fig.overlaps:
        warnings.append(
            f"{fig.overlaps} events start before the same person's previous event ended"
        )
    if not use_prob:
        dropped = [r.activity for r in routes if r not in kept_ids]
        if dropped:
            warnings.append(
                "this orgflow's format has no optional steps: steps done by fewer than half "
                f"the requests are left out ({len(dropped)}: {', '.join(dropped[:5])}...)"
            )
    if not can["delay"]:
        warnings.append(
            "this orgflow's format has no step delays: extraneous waits "
            f"({fig.wait_hours - fig.contention_hours:.1f} h per request) are not modelled"
        )
        _handoff_delay_fallback(org, fig, warnings)

    header = _header(
        fig, sources or [], shape, notes or [], paths, kept, roles, absences, shared, can
    )
    return Mined(org, header, warnings, roles, routes)


def _handoff_delay_fallback(org: dict[str, Any], fig: Figures, warnings: list[str]) -> None:
    """Without step delays in the format, the extraneous waits go into ``handoff_delay``:
    the extraneous wait per request over the model's handoffs per request (so the mean lead
    time carries them, spread evenly over the handoffs)."""
    import yaml

    from orgflow.analysis.lint import open_office
    from orgflow.analysis.summary import analyze
    from orgflow.loader import load_text

    extraneous = fig.wait_hours - fig.contention_hours
    if extraneous <= 0:
        return
    handoffs = analyze(open_office(load_text(yaml.safe_dump(org)))).summary.handoffs_per_request
    if handoffs <= 0:
        return
    org["org"]["handoff_delay"] = _hours(extraneous / handoffs)
    warnings[-1] = (
        "this orgflow's format has no step delays: the extraneous waits "
        f"({extraneous:.1f} h per request) are spread over the model's {handoffs:.1f} handoffs "
        f"per request as handoff_delay: {org['org']['handoff_delay']}"
    )


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
    can: dict[str, bool],
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
        f"- calendar: {cal.hours_per_day} h/day, {cal.days_per_week} days/week: the hours (UTC) "
        "and weekdays with at least 10% of the busiest one's event starts.",
        "- efforts: lognormal, mean and cv of end - start of each activity's events, in "
        "working hours.",
        f"- routing: one process from {'all' if not paths else f'the {paths} most frequent'} "
        f"variants ({kept} requests); steps in order of mean first position; step probability, "
        "stop after a step and rework back to an earlier step as observed.",
        "- delays: mean and cv of the extraneous part of the waits before each step (the "
        "performer was not busy with other work)."
        + ("" if can["delay"] else " Not written: this format has no delays."),
        "- assignments: people with at least 5% of an activity; a chain (most frequent first) "
        f"when one does 80% or more, else a pool ({len(shared)} pools)"
        + (" with pickup: any." if can["pickup"] else "."),
        f"- roles (not a key of the file; used for the role figures): {n_roles} groups of people "
        "whose activity-count vectors correlate at 0.7 or more (Pearson; Simod's pools).",
        "- demand: requests arrived / weeks between the first and last arrival"
        + ("; demand_by_month from each month's arrival rate." if can["demand_by_month"] else "."),
        "- availability: "
        + (
            f"{len(absent)} people with runs of 5+ working days without work; the others at 1."
            if absent
            else "no absences visible in the log (left at 1)."
        ),
    ]
    return lines
