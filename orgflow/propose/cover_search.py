"""A local search after the backups are chosen: customers move (or swap) between primaries
when that lowers the worst load *while covering* without raising the highest utilization
(issue 15: the balance sees neither the backups' shares nor their cover).

The model is the analysis's (README: propose, Backups), in hours per week over present
capacity. A primary p with customers' work W_p (their hours, a rule's own effort where p
keeps it) and backups b_1, b_2, ... (in order): b_k does the share
A_k (1 - A_p) prod_{i<k} (1 - A_i) of it, p the rest (as :func:`member_shares` splits a
chain); a backup lacking the skill of an activity does it at the learning pace. Each person's
load H_x is their fixed (specialist) work, their share of their own customers and the shares
they take as a backup. The **cover** of (p, b) is (H_b + H_p) / C_b with the trained loads
(as :func:`orgflow.propose.backups.analysed_covers` on the trained analysis), the **highest
utilization** max H_x / C_x with the learning pace counted.

A step looks at the worst pair (p, b): every move of a customer of p or b to another primary
of its scope, every swap of one of them with another primary's customer, every change of
a backup duty held by p or b to another candidate, and every swap of b's duty for p with
another primary's backup (a busy primary gets a lighter backup; nobody holds more duties),
that keeps every constraint of the plan
(a kept customer stays, a person takes no work they will not learn, nor do their backups,
``--max-customers``, nobody is left without customers: no one idle), and takes the one that
lowers the covers, compared from the worst down (the worst, then the next, ...) with the
lowest variance of the utilizations (trained: the spread squared) among equals, as long as
nobody goes more than :data:`SLACK` above the highest utilization before the search and
the spread rises by at most :data:`SPREAD_SLACK`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from orgflow.analysis.workload import chain_shares
from orgflow.propose.balance import Server, Unit

#: Plans the search looks at, at most, over all its steps (each step moves or swaps one
#: customer): about 80 steps on the 40 people and 200 customers of the large sample, a
#: few seconds in all its rounds.
EVALUATIONS = 50_000
#: How far above the highest utilization before the search (learning counted, the model's)
#: a move may take someone: 0.3 points. Without it the search stops where every person
#: who could take work is at the highest while learning (bench_propose's generated 12/60
#: office: 75.5% and a worst cover of 130%; with it 75.8% and 128%).
SLACK = 0.003
#: How far the spread (the standard deviation of the people's utilizations, trained, as
#: bench_propose reports it) may rise above the plan's before the search, relative: 5%.
#: Without a cap the search traded the spread for the cover on the 7-person samples
#: (serial: 10.4% -> 12.7%); with none allowed it found nothing on the parallel ones.
SPREAD_SLACK = 0.05
#: The covers compared from the worst down (a step lowering the worst pair's cover while a
#: second pair within rounding has the same is still taken: it opens the next step).
COMPARED = 3


@dataclass(frozen=True)
class CoverProblem:
    """What :func:`lower_worst_cover` needs of a plan: the people who take customers (one
    :class:`Server` each, unscaled present capacity, fixed work, skills, availability, the
    activities they will not learn), the customers' work, the scope each person plans in
    (an area with ``--by region``), the learning pace, and ``--max-customers``."""

    people: Mapping[str, Server]
    units: Mapping[str, Unit]
    skill_of: Mapping[str, str]
    scope_of: Mapping[str, str]
    pace: float
    max_units: int | None = None
    #: How far the highest utilization may rise (:data:`SLACK`).
    slack: float = 0.0
    #: The highest utilization nobody may go over (by default the highest before the search
    #: plus ``slack``).
    ceiling: float | None = None
    #: The variance of the utilizations the plan may not go over (by default the start's,
    #: see :data:`SPREAD_SLACK`).
    spread_cap: float | None = None
    #: primary -> who may back them up (none given: the backups stay as chosen).
    candidates: Mapping[str, Sequence[str]] = field(default_factory=dict)


def lower_worst_cover(
    problem: CoverProblem,
    assignment: Mapping[str, str],
    chosen: Mapping[str, Sequence[str]],
    evaluations: int = EVALUATIONS,
) -> tuple[dict[str, str], dict[str, list[str]]]:
    """A new assignment (customer -> person) and backups whose covers are lower from the
    worst down and whose highest utilization is no higher (the module's model); the same
    when nothing helps. A step moves or swaps one customer of the worst pair's people, or
    gives one backup duty of theirs (or the worst pair's own) to another candidate.

    >>> from orgflow.propose.balance import Server, Unit
    >>> people = {p: Server(p, 40.0, 0.0, frozenset({"s"}), (p,)) for p in ("ann", "bob")}
    >>> units = {"u": Unit("u", {"a": 20.0}), "v": Unit("v", {"a": 10.0}),
    ...          "w": Unit("w", {"a": 6.0})}
    >>> problem = CoverProblem(people, units, {"a": "s"}, dict.fromkeys(people, "all"), 1.0)
    >>> # ann (u, v: 30 h) and bob (w: 6 h) back each other up: ann covering bob carries
    >>> # (30 + 6) / 40 = 90%, bob covering ann the same. Moving v to bob (ann 20 h, bob
    >>> # 16 h: 90% again) or swapping v and w (ann 26 h, bob 10 h: 90%) changes nothing:
    >>> # the two covers are the total over a capacity, whatever the split.
    >>> lower_worst_cover(problem, {"u": "ann", "v": "ann", "w": "bob"},
    ...                   {"ann": ["bob"], "bob": ["ann"]})[0]["v"]
    'ann'
    """
    search = _Search(problem, dict(assignment), {p: tuple(bs) for p, bs in chosen.items()})
    while search.judged < evaluations and search.step():
        pass
    best, spent = search, search.judged
    # With evaluations to spare (small offices), the search again from each plan one move or
    # swap away from the best so far (within the ceiling): a way out of a local minimum,
    # repeated from each better plan found.
    ceiling = search.ceiling
    improved = True
    while improved and spent < evaluations:
        improved = False
        centre = best
        for moves in centre.neighbours():
            if spent >= evaluations:
                break
            start = dict(centre.assignment)
            for c, _, y in moves:
                start[c] = y
            again = _Search(
                replace(problem, ceiling=ceiling, spread_cap=search.spread_cap),
                start,
                dict(centre.chosen),
            )
            spent += 1
            if again.highest > ceiling + 1e-12 or again.spread > search.spread_cap:
                continue
            while spent + again.judged < evaluations and again.step():
                pass
            spent += again.judged
            if again.value() < best.value():
                best, improved = again, True
    return best.assignment, {p: list(bs) for p, bs in best.chosen.items()}


def assess(
    problem: CoverProblem, assignment: Mapping[str, str], chosen: Mapping[str, Sequence[str]]
) -> tuple[tuple[float, ...], float, float]:
    """The covers from the worst down (:data:`COMPARED` of them), the variance of the
    utilizations (trained) and the highest utilization (learning) of a plan, in the module's
    model."""
    search = _Search(problem, dict(assignment), {p: tuple(bs) for p, bs in chosen.items()})
    search._rank()
    return tuple(v for v, _ in search.ranked[:COMPARED]), search.spread, search.highest


class _Search:
    """The state of :func:`lower_worst_cover`: the assignment and each person's load. The
    loads are linear in the customers: moving customer c from x to y takes c's work off x's
    chain (x and their backups, each their share) and puts it on y's."""

    def __init__(
        self,
        problem: CoverProblem,
        assignment: dict[str, str],
        chosen: dict[str, tuple[str, ...]],
    ) -> None:
        self.p = problem
        self.assignment = assignment
        self.chosen = chosen
        self.capacity = {x: s.capacity for x, s in problem.people.items()}
        self.pairs = [(p, b) for p, bs in chosen.items() for b in bs]
        self.pairs_of: dict[str, list[int]] = {}
        for i, (p, b) in enumerate(self.pairs):
            self.pairs_of.setdefault(p, []).append(i)
            if b != p:
                self.pairs_of.setdefault(b, []).append(i)
        self.of: dict[str, set[str]] = {x: set() for x in problem.people}
        for c, s in assignment.items():
            self.of[s].add(c)
        self.works: dict[tuple[str, str, tuple[str, ...]], list[tuple[str, float, float]]] = {}
        self.trained = {x: s.base for x, s in problem.people.items()}
        self.learning = dict(self.trained)
        for c, x in assignment.items():
            for z, t, ln in self._work(c, x):
                self.trained[z] += t
                self.learning[z] += ln
        self.highest = max((self.learning[x] / c for x, c in self.capacity.items()), default=0.0)
        self.ceiling = (
            problem.ceiling if problem.ceiling is not None else self.highest + problem.slack
        )
        self.ranked: list[tuple[float, int]] = []
        self._rank()
        #: The spread never rises above the start's by more than :data:`SPREAD_SLACK`.
        self.spread_cap = (
            problem.spread_cap
            if problem.spread_cap is not None
            else self.spread * (1 + SPREAD_SLACK) ** 2 + 1e-12
        )
        self.judged = 0  # plans looked at

    def _chain(self, primary: str, backups: tuple[str, ...]) -> list[tuple[str, float]]:
        """``primary`` and ``backups`` with the share of the customers' work each does (a
        chain, as :func:`~orgflow.analysis.workload.member_shares` splits it)."""
        chain = (primary, *backups)
        split = chain_shares([self.p.people[x].availability for x in chain])
        return list(zip(chain, split, strict=True))

    def _work(
        self, c: str, x: str, backups: tuple[str, ...] | None = None
    ) -> list[tuple[str, float, float]]:
        """(person, trained, learning) hours of customer c's work on x's chain (or on x with
        ``backups`` instead of theirs)."""
        chosen = self.chosen.get(x, ()) if backups is None else backups
        key = (c, x, chosen)
        if key not in self.works:
            hours = self.p.units[c].hours_on((x,))
            out = []
            for z, share in self._chain(x, chosen):
                skills = self.p.people[z].skills
                trained = sum(hours.values())
                learning = sum(
                    h * (1.0 if self.p.skill_of[a] in skills else self.p.pace)
                    for a, h in hours.items()
                )
                out.append((z, share * trained, share * learning))
            self.works[key] = out
        return self.works[key]

    def _allowed(self, c: str, x: str) -> bool:
        unit = self.p.units[c]
        if self.p.scope_of.get(x) != self.p.scope_of.get(self.assignment[c]):
            return False
        if unit.pinned is not None and unit.pinned != x:
            return False
        for who in (x, *self.chosen.get(x, ())):
            s = self.p.people[who]
            if s.refuses and any(
                a in s.refuses and self.p.skill_of[a] not in s.skills for a in unit.hours
            ):
                return False
        return True

    def _cover(self, i: int, trained: Mapping[str, float]) -> float:
        p, b = self.pairs[i]
        return (trained[b] + trained[p]) / self.capacity[b]

    def _judge(
        self,
        moves: Sequence[tuple[str, str, str]],
        backups: Sequence[tuple[int, str]] = (),
    ) -> tuple[tuple[float, ...], float] | None:
        """(covers from the worst down, variance of the utilizations, trained) after ``moves``
        (customer, from, to), or after each pair i's backup becomes b (``backups``, (i, b)
        of different primaries); ``None`` when someone goes over the ceiling. Only the people
        the change touches are worked out."""
        self.judged += 1
        delta: dict[str, list[float]] = {}
        pairs = list(self.pairs) if backups else self.pairs
        for i, new in backups:
            p, old = pairs[i]
            changed = tuple(new if x == old else x for x in self.chosen[p])
            pairs[i] = (p, new)
            for c in self.of[p]:
                for z, t, ln in self._work(c, p):
                    d = delta.setdefault(z, [0.0, 0.0])
                    d[0] -= t
                    d[1] -= ln
                for z, t, ln in self._work(c, p, changed):
                    d = delta.setdefault(z, [0.0, 0.0])
                    d[0] += t
                    d[1] += ln
        for c, x, y in moves:
            for z, t, ln in self._work(c, x):
                d = delta.setdefault(z, [0.0, 0.0])
                d[0] -= t
                d[1] -= ln
            for z, t, ln in self._work(c, y):
                d = delta.setdefault(z, [0.0, 0.0])
                d[0] += t
                d[1] += ln
        trained: dict[str, float] = {}
        sum_u, sum_u2 = self.sum_u, self.sum_u2
        for z, (dt, dl) in delta.items():
            if (self.learning[z] + dl) / self.capacity[z] > self.ceiling + 1e-12:
                return None
            now = self.trained[z]
            trained[z] = now + dt
            sum_u += (trained[z] - now) / self.capacity[z]
            sum_u2 += (trained[z] / self.capacity[z]) ** 2 - (now / self.capacity[z]) ** 2
        n = len(self.capacity)
        spread = sum_u2 / n - (sum_u / n) ** 2
        if spread > self.spread_cap:
            return None
        affected = {i for z in delta for i in self.pairs_of.get(z, ())}
        affected.update(i for i, _ in backups)
        covers = []
        for i in affected:
            p, b = pairs[i]
            if self.of[p]:
                covers.append(
                    (trained.get(b, self.trained[b]) + trained.get(p, self.trained[p]))
                    / self.capacity[b]
                )
        kept = 0
        for value, i in self.ranked:
            if kept == COMPARED:
                break
            if i not in affected:
                covers.append(value)
                kept += 1
        covers.sort(reverse=True)
        return tuple(covers[:COMPARED]), spread

    def _rank(self) -> None:
        """The live pairs' covers, worst first, and the variance of the utilizations."""
        self.ranked = sorted(
            (
                (self._cover(i, self.trained), i)
                for i, (p, _) in enumerate(self.pairs)
                if self.of[p]
            ),
            reverse=True,
        )
        utils = [t / self.capacity[x] for x, t in self.trained.items()]
        self.sum_u, self.sum_u2 = sum(utils), sum(u * u for u in utils)
        n = max(len(utils), 1)
        self.spread = self.sum_u2 / n - (self.sum_u / n) ** 2

    def step(self) -> bool:
        """One move or swap off the worst pair (customers, or backup duties); whether one was
        made."""
        self._rank()
        if not self.ranked:
            return False
        now = (tuple(v for v, _ in self.ranked[:COMPARED]), self.spread)
        best: tuple[tuple[tuple[float, ...], float], list[tuple[str, str, str]]] | None = None
        worst = self.pairs[self.ranked[0][1]]
        for x in dict.fromkeys(worst):
            for c in sorted(self.of[x]):
                # To another primary (who has backups; someone new would need them).
                for y in self.chosen:
                    if y == x or not self.of[y] or not self._allowed(c, y):
                        continue
                    tries: list[str | None] = []
                    # A move never leaves someone without customers (issue 15: nobody idle).
                    if len(self.of[x]) > 1 and (
                        self.p.max_units is None or len(self.of[y]) < self.p.max_units
                    ):
                        tries.append(None)
                    tries += [d for d in sorted(self.of[y]) if self._allowed(d, x)]
                    for d in tries:
                        moves = [(c, x, y)] + ([(d, y, x)] if d is not None else [])
                        judged = self._judge(moves)
                        if judged is not None and (best is None or judged < best[0]):
                            best = (judged, moves)
        change: tuple[tuple[tuple[float, ...], float], list[tuple[int, str]]] | None = None
        for i, (p, b) in enumerate(self.pairs):
            if b not in worst or not self.of[p]:
                continue
            for new in self.p.candidates.get(p, ()):
                if self._may_back(p, new):
                    judged = self._judge([], [(i, new)])
                    if judged is not None and (change is None or judged < change[0]):
                        change = (judged, [(i, new)])
        # The worst pair's backup swaps duties with another primary's backup: a busy primary
        # gets a lighter backup, and nobody holds more duties than before.
        i = self.ranked[0][1]
        p, b = self.pairs[i]
        for j, (q, c) in enumerate(self.pairs):
            if q == p or c == b or not self.of[q] or not self._may_back(p, c, b):
                continue
            if self._may_back(q, b, c):
                judged = self._judge([], [(i, c), (j, b)])
                if judged is not None and (change is None or judged < change[0]):
                    change = (judged, [(i, c), (j, b)])
        if change is not None and (best is None or change[0] < best[0]):
            if change[0] >= now:
                return False
            for i, new in change[1]:
                self._replace(i, new)
            return True
        if best is None or best[0] >= now:
            return False
        for c, x, y in best[1]:
            for z, t, ln in self._work(c, x):
                self.trained[z] -= t
                self.learning[z] -= ln
            for z, t, ln in self._work(c, y):
                self.trained[z] += t
                self.learning[z] += ln
            self.of[x].discard(c)
            self.of[y].add(c)
            self.assignment[c] = y
        return True

    def value(self) -> tuple[tuple[float, ...], float]:
        """The covers from the worst down and the spread, as compared."""
        self._rank()
        return tuple(v for v, _ in self.ranked[:COMPARED]), self.spread

    def neighbours(self) -> list[list[tuple[str, str, str]]]:
        """Every move of a customer to another primary (who keeps one) and every swap of two
        primaries' customers the constraints allow, as (customer, from, to)."""
        out: list[list[tuple[str, str, str]]] = []
        primaries = [p for p in self.chosen if self.of[p]]
        for x in primaries:
            for c in sorted(self.of[x]):
                for y in primaries:
                    if y == x or not self._allowed(c, y):
                        continue
                    if len(self.of[x]) > 1 and (
                        self.p.max_units is None or len(self.of[y]) < self.p.max_units
                    ):
                        out.append([(c, x, y)])
                    if x < y:
                        out += [
                            [(c, x, y), (d, y, x)]
                            for d in sorted(self.of[y])
                            if self._allowed(d, x)
                        ]
        return out

    def _may_back(self, primary: str, person: str, instead: str | None = None) -> bool:
        """Whether ``person`` may become a backup of ``primary`` (in place of ``instead``):
        a candidate, not the primary nor already their backup, and nothing in the primary's
        work they will not learn."""
        if person == primary or person not in self.p.candidates.get(primary, ()):
            return False
        if person in self.chosen[primary] and person != instead:
            return False
        s = self.p.people[person]
        return not s.refuses or not any(
            a in s.refuses and self.p.skill_of[a] not in s.skills
            for c in self.of[primary]
            for a in self.p.units[c].hours
        )

    def _replace(self, i: int, new: str) -> None:
        """Pair i's backup becomes ``new``."""
        p, old = self.pairs[i]
        backups = tuple(new if x == old else x for x in self.chosen[p])
        for c in self.of[p]:
            for z, t, ln in self._work(c, p):
                self.trained[z] -= t
                self.learning[z] -= ln
            for z, t, ln in self._work(c, p, backups):
                self.trained[z] += t
                self.learning[z] += ln
        self.chosen[p] = backups
        self.pairs[i] = (p, new)
        if old != p:
            self.pairs_of[old].remove(i)
        self.pairs_of.setdefault(new, []).append(i)
