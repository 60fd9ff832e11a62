"""Benchmark ``orgflow propose`` against an independent exact model, and time it at scale.

The reference is a lexicographic mixed-integer model written here from the README's planning
rules (propose: "Balance" and "Objectives in order"), solved by HiGHS level by level:

1. minimise z, the highest utilization: every customer on one person, each person's fixed
   (specialist) work plus their customers' hours, an hour in a skill they lack counting
   ``learning_pace`` hours, at most z x their present capacity;
2. with z fixed (to 1e-6), minimise the spread, the sum over people of work² / capacity
   (capacity x utilization²), each square as the largest of 16 tangents (exact at the
   tangent points, within 1/(4 x 15²) of the range's square between them);
3. with the spread fixed (to 1e-4), minimise the customers away from their account owner.

Each level stops after LEVEL_NODES branch-and-bound nodes (fewer in proportion above 1,000
customers x people, at least 50): on the larger offices the
reference is HiGHS's best plan by then, not a proven optimum, and it is the same on any
machine (until 2026-12-05 each level had 15 s instead, and the reference varied with the
machine's load).

Then the reference chooses its own backups (:func:`reference_backups`), one per primary:

4. with the plan fixed, minimise the highest utilization with the backups' shares counted;
5. with that fixed, minimise the spread as level 2 does (the sum of trained work² /
   capacity, the backups' shares counted);
6. with both fixed, minimise the worst cover utilization.

Each backup level stops after BACKUP_NODES branch-and-bound nodes (the same answer on any
machine). Who may back up whom is the plan's rule (no sole specialist, nobody on work they
will not learn). orgflow's own backups and its cover search are not used for the reference
(until 2026-12-04 they were: the comparison was then of two plans through orgflow's own
backup stage, and said nothing of that stage). The rest of ``propose`` is the same for both
(the written file, its analysis, the repair rounds): the table compares what the two plans
give when the written files are analysed. For each office: the highest
utilization (analysed, while learning or trained), the spread (standard deviation of the
people's utilizations once trained), idle people who could take work (no customer as
primary, and the smallest customer would leave them under the mean utilization), the worst
utilization of a backup while covering, the mean lead time (trained; while learning), and
the time. Targets (issue 15): the highest utilization within 1% of the reference, the
spread within 10%, nobody idle who could take work, the worst cover no higher than the
reference's. Then the time of 400 people and 20,000 customers (target: under 30 s), with
the lower bound (learning counted) and the gap.

Usage: ``python benchmarks/bench_propose.py [--quick] [--only NAME]`` (``--quick``: the
samples and one generated office, no timing at scale; ``--only NAME``: only the offices whose
name contains NAME, e.g. ``--only "10/40"``, no timing at scale). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

import orgflow  # noqa: E402
import orgflow.propose.plan as plan  # noqa: E402
from orgflow.analysis.compare import utilization_spread  # noqa: E402
from orgflow.analysis.summary import analyze  # noqa: E402
from orgflow.office import Office  # noqa: E402
from orgflow.propose.balance import Balance, Server, Unit  # noqa: E402
from orgflow.propose.plan import Proposal, ProposeOptions, propose  # noqa: E402
from orgflow.solver import solve_mip  # noqa: E402

SAMPLES = HERE.parent / "samples"
LEVEL_NODES = 5000  # branch-and-bound nodes per level of the reference (each repair round
# solves it again), up to 1,000 columns, in proportion fewer above: the same on any machine
LEVEL_TIME = 300.0  # seconds per level of the reference (a safety net: nodes bind)
BACKUP_TIME = 60.0  # seconds per backup level of the reference (a safety net: nodes bind)
BACKUP_NODES = 2000  # branch-and-bound nodes per backup level: the same answer on any machine
TANGENTS = 16


def reference_loads(
    units: Sequence[Unit], servers: Sequence[Server], skill_of: dict[str, str], pace: float
) -> list[list[float]]:
    """Hours/week of each customer on each person, from the README's rules: the activity's
    effort (a rule's own effort when the person is among that rule's people), times the
    pace in a skill the person lacks; infinite where a kept customer may not go."""
    out = []
    for u in units:
        row = []
        for s in servers:
            people = s.members or (s.id,)
            if u.pinned is not None and u.pinned not in people:
                row.append(math.inf)
                continue
            hours = 0.0
            for activity, h in u.hours.items():
                own = u.own_hours.get(activity)
                if own is not None and set(people) <= own[0]:
                    h = own[1]
                hours += h * (1.0 if skill_of[activity] in s.skills else pace)
            row.append(hours)
        out.append(row)
    return out


def reference_balance(
    units: Sequence[Unit],
    servers: Sequence[Server],
    skill_of: dict[str, str],
    *,
    pace: float = 1.0,
    **_: Any,
) -> Balance:
    """The lexicographic reference, in place of orgflow's :func:`balance`."""
    n, m = len(units), len(servers)
    loads = reference_loads(units, servers, skill_of, pace)
    caps = [s.capacity for s in servers]
    base = [s.base for s in servers]
    member = {p: j for j, s in enumerate(servers) for p in (s.members or (s.id,))}
    home = [next((member[p] for p in u.incumbents if p in member), -1) for u in units]
    x = [[i * m + j for j in range(m)] for i in range(n)]
    upper = [0.0 if math.isinf(loads[i][j]) else 1.0 for i in range(n) for j in range(m)]

    def load(i: int, j: int) -> float:
        return 0.0 if math.isinf(loads[i][j]) else loads[i][j]

    nodes = max(50, LEVEL_NODES * 1000 // max(n * m, 1000))

    assign = [(x[i], [1.0] * m, 1.0, 1.0) for i in range(n)]

    # Level 1: minimise z.
    z = n * m
    rows = assign + [
        (
            [x[i][j] for i in range(n)] + [z],
            [load(i, j) for i in range(n)] + [-caps[j]],
            -math.inf,
            -base[j],
        )
        for j in range(m)
    ]
    cost = [0.0] * z + [1.0]
    status, sol, _ = solve_mip(
        cost,
        [0.0] * (z + 1),
        [*upper, math.inf],
        list(range(z)),
        rows,
        time_limit=LEVEL_TIME,
        max_nodes=nodes,
        mip_rel_gap=1e-6,
    )
    assert sol is not None, status
    z1 = float(sol[z])
    limit = z1 * (1 + 1e-6) + 1e-9

    # Level 2: the spread, sum_j t_j with t_j >= (2 b w_j - b²) / cap_j at TANGENTS points.
    t = n * m
    capped = [
        (
            [x[i][j] for i in range(n)],
            [load(i, j) for i in range(n)],
            -math.inf,
            limit * caps[j] - base[j],
        )
        for j in range(m)
    ]
    tangents = []
    for j in range(m):
        top = limit * caps[j]
        for k in range(TANGENTS):
            b = top * k / (TANGENTS - 1)
            tangents.append(
                (
                    [x[i][j] for i in range(n)] + [t + j],
                    [2 * b * load(i, j) / caps[j] for i in range(n)] + [-1.0],
                    -math.inf,
                    (b * b - 2 * b * base[j]) / caps[j],
                )
            )
    cost = [0.0] * t + [1.0] * m
    _, sol2, _ = solve_mip(
        cost,
        [0.0] * (t + m),
        [*upper] + [math.inf] * m,
        list(range(t)),
        assign + capped + tangents,
        time_limit=LEVEL_TIME,
        max_nodes=nodes,
        mip_rel_gap=1e-4,
    )
    sol = sol2 if sol2 is not None else sol
    placed = [max(range(m), key=lambda j: sol[i * m + j]) for i in range(n)]

    # Level 3: continuity, with the spread no worse than level 2's.
    if sol2 is not None and any(h >= 0 for h in home):
        s2 = float(sum(sol2[t + j] for j in range(m)))
        spread_row = (list(range(t, t + m)), [1.0] * m, -math.inf, s2 * (1 + 1e-4) + 1e-9)
        cost = [0.0] * (t + m)
        for i in range(n):
            if home[i] >= 0:
                cost[x[i][home[i]]] = -1.0
        status, sol3, _ = solve_mip(
            cost,
            [0.0] * (t + m),
            [*upper] + [math.inf] * m,
            list(range(t)),
            [*assign, *capped, *tangents, spread_row],
            time_limit=LEVEL_TIME,
            max_nodes=nodes,
            mip_rel_gap=1e-6,
        )
        if sol3 is not None:
            placed = [max(range(m), key=lambda j: sol3[i * m + j]) for i in range(n)]

    work = list(base)
    for i, j in enumerate(placed):
        work[j] += load(i, j)
    util = {s.id: w / c for s, w, c in zip(servers, work, caps, strict=True)}
    return Balance({u.id: servers[placed[i]].id for i, u in enumerate(units)}, util, z1, "exact")


def reference_backups(
    org: Any,
    primaries: dict[str, list[str]],
    base: dict[str, float],
    capacity: dict[str, float],
    unit_of: dict[str, Unit],
    candidates: dict[str, list[str]],
    pace: float,
) -> dict[str, list[str]] | None:
    """One backup per primary by the reference's own two levels, solved by HiGHS, from the
    README's definitions (propose: Backups): with y_pb = 1 when b backs up p, p keeps
    1 - A_b (1 - A_p) of their customers' work W_p and b takes A_b (1 - A_p) of it (at b's
    pace while b learns its skills); every person's load is their fixed work plus what they
    keep plus what they take.

    4. minimise the highest utilization, learning counted (the backups' shares count in it);
    5. with that fixed (to 1e-6), minimise the spread: the sum of trained work² / capacity,
       each square the largest of TANGENTS tangents (as level 2);
    6. with that fixed (to 1e-4), minimise the worst cover, (H_b + H_p) / C_b once trained,
       over the pairs chosen: for each candidate pair, H_b + H_p - T C_b <= M (1 - y_pb),
       with H_p given y_pb = 1 (p keeps 1 - A_b (1 - A_p) of W_p) and M = the largest the
       left side can be with y_pb = 0 (at most the ceiling on b's and p's loads).

    Who may back up whom is the plan's (``candidates``: never a sole specialist, nobody on
    work they will not learn). ``None`` when HiGHS finds nothing within its limits."""
    people = {p.id: p for p in org.people}
    names = sorted(capacity)
    avail = {x: people[x].availability if x in people else 1.0 for x in names}
    skill_of = {a.id: a.skill_id for a in org.activities}
    prims = [p for p in sorted(primaries) if p in people and candidates.get(p)]

    def hours(p: str, x: str | None) -> float:
        """p's customers' hours per week, at x's pace (trained with ``x`` None)."""
        total = 0.0
        for c in primaries[p]:
            for a, h in unit_of[c].hours_on((p,)).items():
                learns = x is not None and skill_of[a] not in people[x].skills
                total += h * (pace if learns else 1.0)
        return total

    work = {p: hours(p, None) for p in primaries if p in people}
    col: dict[tuple[str, str], int] = {}
    for p in prims:
        for b in candidates[p]:
            col[p, b] = len(col)
    n = len(col)
    if n == 0:
        return None
    one = [
        ([col[p, b] for b in candidates[p]], [1.0] * len(candidates[p]), 1.0, 1.0) for p in prims
    ]

    def load(x: str, learning: bool) -> tuple[float, dict[int, float]]:
        """x's hours per week: a constant and a coefficient per y (``learning``: x's pace)."""
        own = 0.0 if x not in work else hours(x, x) if learning else work[x]
        const = base.get(x, 0.0) + (own if x in work else 0.0)
        coef: dict[int, float] = {}
        if x in work:
            for b in candidates.get(x, ()):
                coef[col[x, b]] = -avail[b] * (1 - avail[x]) * own
        for p in prims:
            if (p, x) in col:
                took = hours(p, x) if learning else work[p]
                coef[col[p, x]] = coef.get(col[p, x], 0.0) + avail[x] * (1 - avail[p]) * took
        return const, coef

    learning = {x: load(x, True) for x in names}
    trained = {x: load(x, False) for x in names}
    caps = {x: capacity[x] for x in names}

    # Level 4: the highest utilization z, learning counted.
    z = n
    rows = one + [
        ([*coef, z], [*coef.values(), -caps[x]], -math.inf, -const)
        for x, (const, coef) in learning.items()
        if caps[x] > 0
    ]
    _, sol, _ = solve_mip(
        [0.0] * n + [1.0], [0.0] * (n + 1), [1.0] * n + [math.inf], list(range(n)), rows,
        time_limit=BACKUP_TIME, mip_rel_gap=1e-6, max_nodes=BACKUP_NODES,
    )  # fmt: skip
    if sol is None:
        return None
    ceiling = float(sol[z]) * (1 + 1e-6) + 1e-9

    # Level 5: the spread, sum over people of trained work² / capacity (each square the
    # largest of TANGENTS tangents, as level 2), the highest held.
    held = one + [
        (list(coef), list(coef.values()), -math.inf, ceiling * caps[x] - const)
        for x, (const, coef) in learning.items()
        if caps[x] > 0 and coef
    ]
    moved = [x for x, (_, coef) in trained.items() if coef and caps[x] > 0]
    sq = {x: n + k for k, x in enumerate(moved)}
    squares = []
    for x in moved:
        const, coef = trained[x]
        for k in range(TANGENTS):
            b = ceiling * caps[x] * k / (TANGENTS - 1)
            squares.append(
                (
                    [*coef, sq[x]],
                    [*(2 * b * v / caps[x] for v in coef.values()), -1.0],
                    -math.inf,
                    (b * b - 2 * b * const) / caps[x],
                )
            )
    width = n + len(moved)
    _, sol5, _ = solve_mip(
        [0.0] * n + [1.0] * len(moved), [0.0] * width, [1.0] * n + [math.inf] * len(moved),
        list(range(n)), held + squares,
        time_limit=BACKUP_TIME, mip_rel_gap=1e-4, max_nodes=BACKUP_NODES,
    )  # fmt: skip
    if sol5 is None:
        return None
    spread = float(sum(sol5[n:width]))
    spread_row = (list(range(n, width)), [1.0] * len(moved), -math.inf, spread * (1 + 1e-4) + 1e-9)

    # Level 6: the worst cover T, the highest and the spread held.
    t = width
    rows = [*held, *squares, spread_row]
    # A bound T cannot go under: each primary's best pair with nobody taking any share
    # (p keeps 1 - A_b (1 - A_p) of W_p, b at least their fixed work and A_b of their own).
    least = {x: base.get(x, 0.0) + work.get(x, 0.0) * avail[x] for x in names}

    def best_pair(p: str) -> float:
        keep = [
            (least[b] + base.get(p, 0.0) + work[p] * (1 - avail[b] * (1 - avail[p]))) / caps[b]
            for b in candidates[p]
            if caps[b] > 0
        ]
        return min(keep, default=0.0)

    lowest = max((best_pair(p) for p in prims), default=0.0)
    for (p, b), j in col.items():
        const_b, coef_b = trained[b]
        coef_p = trained[p][1]
        keep = base.get(p, 0.0) + work[p] * (1 - avail[b] * (1 - avail[p]))
        took = {k: v for k, v in coef_p.items() if v > 0}  # p's own duties
        big = max(ceiling * caps[b] + sum(took.values()) - lowest * caps[b], 0.0)
        coef = dict(coef_b)
        for k, v in took.items():
            coef[k] = coef.get(k, 0.0) + v
        coef[j] = coef.get(j, 0.0) + keep + big
        rows.append(([*coef, t], [*coef.values(), -caps[b]], -math.inf, big - const_b))
    _, sol2, _ = solve_mip(
        [0.0] * width + [1.0], [0.0] * width + [lowest], [1.0] * n + [math.inf] * (width - n + 1),
        list(range(n)), rows,
        time_limit=BACKUP_TIME, mip_rel_gap=1e-4, max_nodes=BACKUP_NODES,
    )  # fmt: skip
    sol = sol5
    final = sol2 if sol2 is not None else sol
    chosen = {p: [b for b in candidates[p] if final[col[p, b]] > 0.5] for p in prims}
    return {p: chosen.get(p, []) for p in primaries if p in people}


def idle_who_could_work(p: Proposal, units: Sequence[Unit], pace: float) -> list[str]:
    """People who are primary of no customer while the smallest customer, at the learning
    pace, would leave them under the mean utilization (the plan's, trained): an idle person
    the others' work could go to (issue 15: paolo, 40 h a week and no customer)."""
    smallest = min((u.total for u in units), default=0.0) * pace
    primaries = {m for sid in p.primary_of.values() for m in sid.split("+")}
    people = p.after_trained.people
    mean = sum(x.load.utilization for x in people) / max(len(people), 1)
    return [
        x.id
        for x in people
        if x.id not in primaries
        and (x.load.load_hours_per_week + smallest) / x.load.available_hours_per_week < mean
    ]


def run(
    office: Office, balancer: Callable[..., Balance] | None, backups: str = "orgflow"
) -> tuple[Proposal, float, list[Unit]]:
    """``propose`` with orgflow's balance or the reference; the plan, seconds, the units.

    ``backups``: ``orgflow`` (orgflow's backups and its cover search) or ``reference``
    (:func:`reference_backups`, and no cover search: the reference's plan stays as its
    levels 1 to 3 put it)."""
    seen: list[Unit] = []
    real, real_backups, real_searchable = plan.balance, plan._backups_of, plan._searchable

    def spy(
        units: Sequence[Unit], servers: Sequence[Server], skill_of: dict[str, str], **kw: Any
    ) -> Balance:
        if not seen:
            seen.extend(units)
        return (balancer or real)(units, servers, skill_of, **kw)

    def own_backups(
        org: Any,
        options: ProposeOptions,
        primaries: dict[str, list[str]],
        base: dict[str, float],
        load: dict[str, float],
        capacity: dict[str, float],
        eligible: list[Any],
        unit_of: dict[str, Unit],
    ) -> tuple[dict[str, list[str]], list[str], dict[str, list[str]]]:
        chosen, problems, candidates = real_backups(
            org, options, primaries, base, load, capacity, eligible, unit_of
        )
        if options.backups == 1:
            mine = reference_backups(
                org, primaries, base, capacity, unit_of, candidates, options.learning_pace
            )
            if mine is not None:
                chosen = mine
        return chosen, problems, candidates

    plan.balance = spy  # type: ignore[assignment]
    if backups == "reference":
        plan._backups_of = own_backups  # type: ignore[assignment]
        plan._searchable = lambda *_: False  # type: ignore[assignment]
    try:
        before = analyze(office)
        start = time.perf_counter()
        p = propose(office, ProposeOptions(), before=before)
        return p, time.perf_counter() - start, seen
    finally:
        plan.balance, plan._backups_of, plan._searchable = real, real_backups, real_searchable


def figures(p: Proposal, units: list[Unit], seconds: float) -> dict[str, float]:
    covers = [b.cover_utilization for b in p.backups]
    return {
        "highest": p.highest_utilization,
        "spread": utilization_spread(p.after_trained),
        "idle": float(len(idle_who_could_work(p, units, p.options.learning_pace))),
        "cover": max(covers, default=0.0),
        "lead": p.after_trained.summary.lead_time_hours,
        "lead_learning": p.after.summary.lead_time_hours,
        "seconds": seconds,
    }


def hours(h: float) -> str:
    return f"{h:.1f} h" if math.isfinite(h) else "unbounded"


def compare(name: str, office: Office) -> dict[str, bool]:
    mine, t1, units = run(office, None)
    ref, t2, _ = run(office, reference_balance, "reference")
    a, b = figures(mine, units, t1), figures(ref, units, t2)
    for who, f in (("orgflow", a), ("reference", b)):
        print(
            f"| {name} | {len(office.org.people)} | {len(office.org.customers)} | {who} | "
            f"{f['highest']:.1%} | {f['spread']:.1%} | {f['idle']:.0f} | {f['cover']:.0%} | "
            f"{hours(f['lead'])} ({hours(f['lead_learning'])}) | {f['seconds']:.1f} s |",
            flush=True,
        )
    return {
        "highest within 1%": a["highest"] <= b["highest"] * 1.01 + 1e-9,
        "spread within 10%": a["spread"] <= b["spread"] * 1.10 + 1e-9,
        "nobody idle": a["idle"] == 0,
        "cover no higher": a["cover"] <= b["cover"] + 5e-4,
    }


def at_scale(people: int, customers: int, tmp: Path) -> None:
    path = tmp / f"office-{people}.yaml"
    path.write_text(generate(people, seed=1, customers=customers).text)
    office = orgflow.load(path)
    before = analyze(office)
    start = time.perf_counter()
    p = propose(office, ProposeOptions(method="greedy"), before=before)
    elapsed = time.perf_counter() - start
    print(
        f"| {people} | {customers:,} | {p.method} | {elapsed:.1f} s | "
        f"{p.highest_utilization:.3f} | {p.lower_bound:.3f} | {p.gap:.2%} |",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument(
        "--only", metavar="NAME", help="compare only the offices whose name contains NAME"
    )
    args = parser.parse_args()
    print(
        "| office | people | customers | plan | highest utilization | spread (std) | idle "
        "who could work | worst cover | lead time trained (learning) | time |"
    )
    print("| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    met: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        offices: list[tuple[str, Path]] = [(f.stem, f) for f in sorted(SAMPLES.glob("*.yaml"))]
        generated = [(10, 40, 1)] if args.quick else [(10, 40, 1), (12, 60, 2)]
        for people, customers, seed in generated:
            path = tmp / f"gen-{people}-{customers}-{seed}.yaml"
            path.write_text(generate(people, seed=seed, customers=customers).text)
            offices.append((f"generated {people}/{customers} seed {seed}", path))
        if args.only:
            offices = [(n, p) for n, p in offices if args.only in n]
        for name, path in offices:
            for target, ok in compare(name, orgflow.load(path)).items():
                if not ok:
                    met.setdefault(target, []).append(name)
        for target in ("highest within 1%", "spread within 10%", "nobody idle", "cover no higher"):
            missed = met.get(target, [])
            print(
                f"target {target}: " + ("met" if not missed else "missed on " + ", ".join(missed))
            )
        if not args.quick and not args.only:
            print()
            print("| people | customers | method | time | highest (analysed) | bound | gap |")
            print("| ---: | ---: | --- | ---: | ---: | ---: | ---: |")
            for people, customers in ((40, 2000), (400, 20000)):
                at_scale(people, customers, tmp)


if __name__ == "__main__":
    main()
