"""Backups of a proposal: chosen to keep the worst load *while covering* low, under a hard cap,
never a sole specialist as a generalist backup; each backup's cover and the backlog a typical
absence leaves, as the analysis of the written file puts them (issue 15).

Definitions (README: propose, Backups). For a primary p and a backup b, in one load model
(hours per week over present capacity, as utilization everywhere):

- b's **cover utilization** = (H_b + H_p) / C_b: b's own hours (their work, and the expected
  share of every primary they back up) plus p's whole hours, over b's present capacity;
- the **backlog** of a typical absence = (H_p - max(C_b - H_b, 0))+ x D / W hours: the
  work p brings during a spell of mean length D (``absence_spell``, W the office week) that
  b cannot absorb within their spare capacity (their own week, no overtime); it is
  (cover utilization - 1)+ x C_b x D / W when b is not over 1 on their own.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from orgflow.analysis.summary import Analysis
    from orgflow.model import Org


#: Default of ``--max-cover-utilization``, as a multiple of ``--max-utilization``: twice it
#: (1.7 at 0.85). A backup at the utilization limit who covers a colleague at the limit, of the
#: same capacity, carries twice the limit: any plan within the limit may need that, so the
#: default never condemns a plan for the office being busy (that is the limit's job). It
#: catches what the choice of backups decides: one backup for several busy people, a
#: part-timer covering a full-timer. A cap of 1 would ask any backup to absorb a whole
#: colleague within their own week, which no office where people are over half busy can do.
COVER_FACTOR = 2.0

#: Hard cap when nothing else is given (``choose_backups``): ``COVER_FACTOR`` x 0.85.
MAX_COVER_UTILIZATION = COVER_FACTOR * 0.85


@dataclass(frozen=True)
class Cover:
    """One backup of one primary, as analysed."""

    backup: str
    utilization: float  # the backup's utilization, their expected cover work counted
    cover_utilization: float  # while carrying the primary's whole load
    backlog_hours: float  # work left waiting after a typical absence (see the module)


@dataclass(frozen=True)
class BackupCover:
    primary: str
    backups: tuple[str, ...]
    expected_utilization: float  # the first backup's, counting the expected cover work
    cover_utilization: float  # the first backup's while covering the primary's whole load
    #: Every backup's cover, in order (issue 15: ``--backups 2`` shows both).
    covers: tuple[Cover, ...] = ()

    @property
    def worst_cover(self) -> float:
        return max((c.cover_utilization for c in self.covers), default=self.cover_utilization)

    @property
    def backlog_hours(self) -> float:
        """The first backup's backlog after a typical absence of the primary."""
        return self.covers[0].backlog_hours if self.covers else 0.0


def sole_specialists(org: Org, gone: set[str] | frozenset[str] = frozenset()) -> set[str]:
    """People who alone hold the skill of a specialist activity (among those who stay): they
    are never a generalist backup, since covering would leave their desk unattended.

    >>> from orgflow.loader import load_text
    >>> org = load_text('''
    ... version: 1
    ... people: [{id: ann, skills: [a]}, {id: sandro, skills: [a, s]}]
    ... activities: [{id: a, effort: 1h}, {id: s, effort: 1h, specialist: true}]
    ... processes: [{id: p, steps: [a, s]}]
    ... ''')
    >>> sorted(sole_specialists(org))
    ['sandro']
    """
    staying = [p for p in org.people if p.id not in gone]
    out: set[str] = set()
    for skill in {a.skill_id for a in org.activities if a.specialist}:
        holders = [p.id for p in staying if skill in p.skills]
        if len(holders) == 1:
            out.add(holders[0])
    return out


#: Further starts of :func:`choose_backups` (primaries in a seeded random order), up to
#: :data:`MULTISTART_PRIMARIES` primaries; a start is kept when it lowers the worst cover and
#: its busiest expected utilization is within :data:`BUSIEST_SLACK` of the first start's.
STARTS = 8
MULTISTART_PRIMARIES = 200
BUSIEST_SLACK = 0.0


def choose_backups(
    primaries: Mapping[str, float],
    load: Mapping[str, float],
    capacity: Mapping[str, float],
    availability: Mapping[str, float],
    candidates: Mapping[str, Sequence[str]],
    count: int,
    *,
    cap: float = MAX_COVER_UTILIZATION,
    limit: float = math.inf,
    region: Mapping[str, str | None] | None = None,
    learning: Mapping[tuple[str, str], float] | None = None,
    rounds: int = 500,
    starts: int = STARTS,
) -> dict[str, list[str]]:
    """``count`` backups for every primary, minimising the worst cover utilization.

    ``primaries``: primary -> the hours per week of their customers' work (what a backup takes
    while they are away); ``load``: everyone's planned hours per week (the primary's whole load
    is what a covering backup carries); ``capacity``: present capacity; ``candidates``:
    primary -> who may back them up. The k-th backup takes the work while the primary and the
    backups before them are away: a share (1 - A_p) prod (1 - A_b) of it, on average, times
    ``learning[p, b]`` (default 1: the factor by which b's learning pace stretches p's work).

    Busiest primary first, each slot to a candidate whose cover stays within ``cap`` (a hard
    cap, when someone can), whose expected utilization goes least over the bound (``limit``,
    ``--max-utilization``, or the highest planned utilization before any backup, whichever
    is lower: the expected cover work counts in the plan's highest utilization, and a backup
    should not become the busiest), with the lowest cover utilization (then fewer backup
    duties, the primary's area); then, while it lowers the worst cover,
    the worst pair's backup, or another duty of that backup, goes to another candidate who
    stays within the bound or under the backup they relieve (at most ``rounds``
    replacements).

    >>> choose_backups({"ann": 20.0, "bob": 10.0}, {"ann": 20.0, "bob": 10.0, "cy": 0.0},
    ...                dict.fromkeys(["ann", "bob", "cy"], 40.0),
    ...                dict.fromkeys(["ann", "bob", "cy"], 1.0),
    ...                {"ann": ["bob", "cy"], "bob": ["ann", "cy"]}, 1)
    {'ann': ['cy'], 'bob': ['cy']}
    """
    import random

    region = region or {}
    learning = learning or {}
    order = sorted(primaries, key=lambda p: -load.get(p, 0.0))

    inputs = _Choice(
        primaries, load, capacity, availability, candidates, count, cap, limit, region,
        learning, rounds,
    )  # fmt: skip

    def once(order: list[str]) -> dict[str, list[str]]:
        return _choose(order, inputs)

    def judged(chosen: dict[str, list[str]]) -> tuple[float, float]:
        """(worst cover, busiest expected utilization) of ``chosen``."""
        exp = dict(load)
        for p, picks in chosen.items():
            for k, b in enumerate(picks):
                share = _share(p, picks, k, availability)
                exp[b] = exp.get(b, 0.0) + share * primaries[p] * learning.get((p, b), 1.0)
                exp[p] = exp.get(p, 0.0) - share * primaries[p]
        worst = max(
            ((exp.get(b, 0.0) + load.get(p, 0.0)) / capacity[b] for p, bs in chosen.items()
             for b in bs),
            default=0.0,
        )  # fmt: skip
        busiest = max((exp.get(x, 0.0) / c for x, c in capacity.items() if c > 0), default=0.0)
        return worst, busiest

    best = once(order)
    if len(order) > MULTISTART_PRIMARIES:
        return best
    best_worst, first_busiest = judged(best)
    rng = random.Random(0)
    for _ in range(starts):
        shuffled = order[:]
        rng.shuffle(shuffled)
        chosen = once(shuffled)
        worst, busiest = judged(chosen)
        if worst < best_worst - 1e-9 and busiest <= first_busiest + BUSIEST_SLACK:
            best, best_worst = chosen, worst
    return best


@dataclass(frozen=True)
class _Choice:
    """What every start of :func:`choose_backups` works on (its arguments, as there)."""

    primaries: Mapping[str, float]
    load: Mapping[str, float]
    capacity: Mapping[str, float]
    availability: Mapping[str, float]
    candidates: Mapping[str, Sequence[str]]
    count: int
    cap: float
    limit: float
    region: Mapping[str, str | None]
    learning: Mapping[tuple[str, str], float]
    rounds: int


def _choose(order: list[str], inputs: _Choice) -> dict[str, list[str]]:
    """One start of :func:`choose_backups`, the primaries taken in ``order``."""
    primaries, load, capacity = inputs.primaries, inputs.load, inputs.capacity
    availability, candidates, count = inputs.availability, inputs.candidates, inputs.count
    cap, limit, region, learning = inputs.cap, inputs.limit, inputs.region, inputs.learning
    rounds = inputs.rounds
    chosen: dict[str, list[str]] = {p: [] for p in order}
    duty: dict[str, list[tuple[str, int]]] = {}  # backup -> the (primary, slot)s they hold
    exp = dict(load)  # planned hours with the expected cover work
    bound = min(limit, max((load.get(x, 0.0) / c for x, c in capacity.items() if c > 0), default=0))

    def shares(p: str, sign: float) -> None:
        """Add (sign 1) or take away (-1) p's expected cover work from their backups."""
        for k, b in enumerate(chosen[p]):
            work = _share(p, chosen[p], k, availability) * primaries[p] * learning.get((p, b), 1.0)
            exp[b] = exp.get(b, 0.0) + sign * work

    def cover(p: str, b: str) -> float:
        return (exp.get(b, 0.0) + load.get(p, 0.0)) / capacity[b]

    for p in order:
        for k in range(count):
            options = [b for b in candidates.get(p, ()) if b not in chosen[p] and b != p]
            if not options:
                break
            extra = _share(p, chosen[p], k, availability) * primaries[p]

            def score(
                b: str, p: str = p, extra: float = extra
            ) -> tuple[bool, float, float, int, bool]:
                more = extra * learning.get((p, b), 1.0)
                busy = max((exp.get(b, 0.0) + more) / capacity[b] - bound, 0.0)
                after = (exp.get(b, 0.0) + more + load.get(p, 0.0)) / capacity[b]
                over = after > cap + 1e-12
                return (over, busy, after, len(duty.get(b, ())), region.get(b) != region.get(p))

            pick = min(options, key=score)
            chosen[p].append(pick)
            duty.setdefault(pick, []).append((p, k))
            exp[pick] = exp.get(pick, 0.0) + extra * learning.get((p, pick), 1.0)

    def replace(p: str, k: int, b: str) -> None:
        shares(p, -1.0)
        duty[chosen[p][k]].remove((p, k))
        chosen[p][k] = b
        duty.setdefault(b, []).append((p, k))
        shares(p, 1.0)

    for _ in range(rounds):
        pairs = sorted(
            ((cover(p, b), p, k) for p, picks in chosen.items() for k, b in enumerate(picks)),
            reverse=True,
        )
        if not pairs:
            break
        top, p, k = pairs[0]
        worst_backup = chosen[p][k]
        best: tuple[float, str, int, str] | None = None
        # Either the worst pair's backup changes, or one of that backup's other duties goes
        # to someone else (which lowers their expected load).
        for q, j in [(p, k)] + [d for d in duty[worst_backup] if d != (p, k)]:
            was = chosen[q][j]
            # The new backup stays within the bound, or under the one they relieve: the
            # highest expected utilization (which comes first) never rises.
            ceiling = max(bound, exp.get(was, 0.0) / capacity[was])
            for b in candidates.get(q, ()):
                if b == q or b in chosen[q]:
                    continue
                replace(q, j, b)
                if exp.get(b, 0.0) / capacity[b] > ceiling + 1e-12:
                    replace(q, j, was)
                    continue
                touched = {was, b, *chosen[q]}
                rest = next((c for c, r, i in pairs if chosen[r][i] not in touched and r != q), 0.0)
                value = max(rest, max(cover(r, x) for x in touched for r, _ in duty.get(x, ())))
                replace(q, j, was)
                if value < top - 1e-12 and (best is None or value < best[0] - 1e-12):
                    best = (value, q, j, b)
        if best is None:
            break
        replace(best[1], best[2], best[3])
    _relieve_busiest(
        chosen, duty, exp, capacity, candidates, replace, cover, rounds, primaries, availability
    )
    return chosen


def _relieve_busiest(
    chosen: dict[str, list[str]],
    duty: dict[str, list[tuple[str, int]]],
    exp: dict[str, float],
    capacity: Mapping[str, float],
    candidates: Mapping[str, Sequence[str]],
    replace: Callable[[str, int, str], None],
    cover: Callable[[str, str], float],
    rounds: int,
    primaries: Mapping[str, float],
    availability: Mapping[str, float],
) -> None:
    """Second pass of :func:`choose_backups` (issue 15): while the busiest person (expected
    cover work counted, which the analysis counts too) holds backup duties, one of them goes
    to another candidate when that lowers the busiest's expected utilization and no touched
    pair's cover rises above the worst cover the first pass reached."""
    pairs = [cover(p, b) for p, picks in chosen.items() for b in picks]
    if not pairs:
        return
    worst = max(pairs)

    def util(x: str) -> float:
        c = capacity.get(x, 0.0)
        if c <= 0:
            return 0.0
        picks = chosen.get(x, [])
        given = sum(_share(x, picks, k, availability) for k in range(len(picks)))
        return (exp.get(x, 0.0) - given * primaries.get(x, 0.0)) / c

    for _ in range(rounds):
        top_person = max(capacity, key=util)
        top = util(top_person)
        best: tuple[float, str, int, str] | None = None
        for q, j in list(duty.get(top_person, ())):
            was = chosen[q][j]
            for b in candidates.get(q, ()):
                if b == q or b in chosen[q]:
                    continue
                replace(q, j, b)
                touched = {was, b, *chosen[q]}
                value = max(util(x) for x in touched)
                ok = value < top - 1e-12 and all(
                    cover(r, x) <= worst + 1e-12 for x in touched for r, _ in duty.get(x, ())
                )
                replace(q, j, was)
                if ok and (best is None or value < best[0] - 1e-12):
                    best = (value, q, j, b)
        if best is None:
            return
        replace(best[1], best[2], best[3])


def _share(p: str, picks: Sequence[str], k: int, availability: Mapping[str, float]) -> float:
    """The share of p's work the k-th backup takes: while p and the backups before are away."""
    share = 1 - availability[p]
    for b in picks[:k]:
        share *= 1 - availability[b]
    return share


def analysed_covers(chosen: Mapping[str, Sequence[str]], analysis: Analysis) -> list[BackupCover]:
    """Every primary's backups with their cover as the analysis of the written file puts them
    (the definitions of the module), busiest primary first.

    >>> from orgflow.analysis.summary import analyze
    >>> from orgflow.loader import load_text
    >>> from orgflow.office import resolve
    >>> a = analyze(resolve(load_text('''
    ... version: 1
    ... people: [{id: ann, skills: [a]}, {id: bob, skills: [a]}]
    ... activities: [{id: a, effort: 1h}]
    ... processes: [{id: p, steps: [a]}]
    ... customers: [{id: x, demand: {p: 30/week}}]
    ... assignments: [{people: [ann, bob]}]
    ... ''')))
    >>> c = analysed_covers({"ann": ["bob"]}, a)[0].covers[0]
    >>> c.cover_utilization, c.backlog_hours   # 30 h on bob's 40: 75%, nothing left over
    (0.75, 0.0)
    """
    people = {p.id: p.load for p in analysis.people}
    spell_weeks = analysis.absence_spell_hours / (analysis.hours_per_day * analysis.days_per_week)
    out = []
    for p in sorted(chosen, key=lambda p: -people[p].load_hours_per_week):
        if not chosen[p]:
            continue
        hp = people[p].load_hours_per_week
        covers = []
        for b in chosen[p]:
            lb = people[b]
            room = lb.available_hours_per_week
            spare = max(room - lb.load_hours_per_week, 0.0)
            covers.append(
                Cover(
                    b,
                    lb.utilization,
                    (lb.load_hours_per_week + hp) / room,
                    max(hp - spare, 0.0) * spell_weeks,
                )
            )
        first = covers[0]
        out.append(
            BackupCover(
                p,
                tuple(chosen[p]),
                first.utilization,
                first.cover_utilization,
                tuple(covers),
            )
        )
    return out


def file_covers(org: Org, analysis: Analysis) -> list[BackupCover]:
    """The covers of every rule of named people in ``org`` (a primary and their backups) as
    ``analysis`` puts them: what today's file, or the proposed one, asks of its backups.
    A person who is primary of several rules has the union of their backups, in order."""
    chosen: dict[str, list[str]] = {}
    for rule in org.assignments:
        if rule.is_pool or not rule.people or len(rule.people) < 2:
            continue
        picks = chosen.setdefault(rule.people[0], [])
        picks += [b for b in rule.people[1:] if b not in picks and b != rule.people[0]]
    return analysed_covers(chosen, analysis)


def worst_cover(org: Org, analysis: Analysis) -> float:
    """The highest cover utilization over the file's backups (0 when nobody backs anyone)."""
    return max((c.worst_cover for c in file_covers(org, analysis)), default=0.0)


def cover_problems(covers: Sequence[BackupCover], cap: float, spell: str) -> list[str]:
    """One problem per backup over ``cap`` while covering, with the figure and the backlog a
    typical absence (of length ``spell``, as printed) leaves."""
    out = []
    for bc in covers:
        for c in bc.covers:
            if c.cover_utilization > cap + 1e-9:
                left = (
                    f"about {c.backlog_hours:.1f} h of work waits after a typical absence of "
                    f"{spell}"
                    if c.backlog_hours >= 0.05
                    else f"their own week absorbs a typical absence of {spell}"
                )
                out.append(
                    f"backup {c.backup} carries {c.cover_utilization:.0%} while covering "
                    f"{bc.primary} (--max-cover-utilization {cap:.0%}): {left} (no backup "
                    "within the cap was found)"
                )
    return out


def worse_cover_than_today(
    today_org: Org, today: Analysis, org: Org, learning: Analysis, trained: Analysis
) -> list[str]:
    """A warning when the worst cover utilization of the proposed file (while learning or once
    trained) is above today's, as printed; none when nobody backs anyone up today (the count
    of people whose absence stops work says that)."""
    now = worst_cover(today_org, today)
    later = [worst_cover(org, a) for a in (learning, trained)]
    if now <= 0 or not any(f"{x:.0%}" != f"{now:.0%}" and x > now for x in later):
        return []
    return [
        f"worse than today: worst backup cover {now:.0%} today, {later[0]:.0%} while "
        f"learning, {later[1]:.0%} once trained (a backup's utilization while carrying their "
        "primary's whole load)"
    ]
