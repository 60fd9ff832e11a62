"""Latent classes of requests: slow requests found by their total extraneous wait.

A request's *total wait* here is the sum of the extraneous parts of its waits (each wait less
its contention, :mod:`orgflow.mine.figures`): the waits that become ``delay`` on the steps. The
requests are split in two by the optimal 1-D two-class split of their total waits in working
hours (Otsu's threshold, the exact optimum of 2-means in one dimension: the cut between two
neighbouring distinct sorted values that maximises the between-class sum of squares; ties to
the lower cut; deterministic, no seed). The split is kept when

- the between-class share of the variance (eta squared) is at least ``MIN_BETWEEN`` = 0.8:
  unimodal shapes stay below it (the best split of a normal distribution explains 2/pi =
  0.64 of its variance, of a uniform 0.75, of 600 exponential or lognormal draws 0.58 to
  0.65), two separated groups come near 1 (the purchasing log: 0.96); and
- the smaller class holds at least ``MIN_SHARE`` of the requests and ``MIN_REQUESTS`` or more;

otherwise the requests stay one class. The threshold in hours is halfway between the fast
class's largest total wait and the slow class's smallest. Classes are cut in the engine (a
semi-join on the requests whose total wait reaches the threshold), so any engine gives the
same classes; only one float per request comes back to find the threshold.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from orgflow.mine.discover import RequestClass, busy_shares, step_delay
from orgflow.mine.figures import Figures, activity_figures, variant_counts

MIN_BETWEEN = 0.8
MIN_SHARE = 0.05
MIN_REQUESTS = 20


@dataclass(frozen=True)
class LatentSplit:
    """The split of the requests by total extraneous wait (working hours)."""

    threshold: float  # hours: slow when the total wait is at least this
    fast: int
    slow: int
    fast_max: float
    slow_min: float
    fast_centre: float  # mean total wait of the class, hours
    slow_centre: float
    between: float  # between-class share of the variance of the total waits

    @property
    def slow_share(self) -> float:
        return self.slow / (self.fast + self.slow)


def best_split(waits: list[float]) -> tuple[int, float] | None:
    """(number of requests in the lower class, between-class share of the variance) of the
    optimal two-class split of ``waits``; None when all values are equal.

    >>> best_split([0.0, 0.0, 2.0, 2.0])
    (2, 1.0)
    """
    import numpy as np

    x = np.sort(np.maximum(np.asarray(waits, dtype=float), 0.0))
    n = len(x)
    if n < 2 or x[0] == x[-1]:
        return None
    total = float(((x - x.mean()) ** 2).sum())
    k = np.arange(1, n)  # lower class: x[:k]
    cs = np.cumsum(x)[:-1]
    m0 = cs / k
    m1 = (x.sum() - cs) / (n - k)
    between = k * (n - k) / n * (m0 - m1) ** 2
    between[x[k - 1] == x[k]] = -1.0  # cut only between distinct values
    best = int(np.argmax(between))
    return int(k[best]), float(between[best] / total)


def decide(waits: list[float]) -> tuple[LatentSplit | None, str]:
    """The split to mine (None: one class) and a sentence saying why."""
    found = best_split(waits)
    if found is None:
        return None, "one class of requests: every request waits the same"
    k, between = found
    ordered = sorted(max(w, 0.0) for w in waits)
    low, high = ordered[:k], ordered[k:]
    smaller = min(len(low), len(high))
    share = smaller / len(ordered)

    def centre(xs: list[float]) -> float:
        return sum(xs) / len(xs)

    split = LatentSplit(
        threshold=(low[-1] + high[0]) / 2,
        fast=len(low),
        slow=len(high),
        fast_max=low[-1],
        slow_min=high[0],
        fast_centre=centre(low),
        slow_centre=centre(high),
        between=between,
    )
    figures = (
        f"the best split of the requests' total extraneous waits puts {len(high):,} requests "
        f"({len(high) / len(ordered):.0%}) at {high[0]:,.0f} h or more (centre "
        f"{split.slow_centre:,.0f} h) and {len(low):,} at most {low[-1]:,.0f} h (centre "
        f"{split.fast_centre:,.0f} h), between-class share of the variance {between:.2f}"
    )
    if between < MIN_BETWEEN:
        return None, f"one class of requests: {figures}, below {MIN_BETWEEN:g}"
    if share < MIN_SHARE or smaller < MIN_REQUESTS:
        return None, (
            f"one class of requests: {figures}; the smaller class is under "
            f"{MIN_SHARE:.0%} of the requests or {MIN_REQUESTS}"
        )
    return split, figures


def request_waits(e: Any) -> Any:
    """Per request (``case``), its total extraneous wait ``x`` (working hours), in the engine."""
    return e.group_by("case").aggregate(x=(e.wait - e.contention).sum())


def split_events(e: Any, threshold: float) -> tuple[Any, Any]:
    """The enriched events of the fast requests and of the slow ones (total wait at least
    ``threshold``), as engine expressions."""
    import ibis

    from orgflow.mine.read import materialise

    waits = request_waits(e)
    # The slow requests' ids, computed once: each figure of either class reads them again.
    slow = materialise(ibis.get_backend(e), waits.filter(waits.x >= threshold).select("case"))
    return e.anti_join(slow, "case"), e.semi_join(slow, "case")


def find(e: Any) -> tuple[LatentSplit | None, str, list[float]]:
    """:func:`decide` on the requests of the enriched events ``e``, and their total waits."""
    from orgflow.mine.read import run

    table = run(request_waits(e).select("x"))
    waits = [float(w) if w is not None else 0.0 for w in table.column("x").to_pylist()]
    return (*decide(waits), waits)


def request_delay(
    fast: Figures, slow: Figures, busy: dict[str, float], slow_waits: list[float]
) -> tuple[float, float]:
    """The slow class's wait held once a request: its requests' mean total delay (the sum
    over activities of visits x :func:`step_delay`, per request: the delay charged on every
    visit) less what the fast class's per-visit delays give over the same visits; cv: the
    standard deviation of the slow requests' total waits over that mean (at least 0 hours)."""
    import statistics

    def total(per_visit: Figures) -> float:
        return sum(
            v.get("count", 0.0) * step_delay(per_visit, a, busy)[0]
            for a, v in slow.activities.items()
        )

    excess = max((total(slow) - total(fast)) / max(slow.requests, 1), 0.0)
    sd = statistics.pstdev(slow_waits) if len(slow_waits) > 1 else 0.0
    return excess, (sd / excess if excess > 0 else 0.0)


def request_classes(
    fig: Figures, events: Any, classes: str = "auto"
) -> tuple[list[RequestClass], str]:
    """The classes of requests to mine (none: one process) and the org file header's line on
    them: ``classes`` ``auto`` (split when :func:`find` says so) or ``1`` (never); ``events``:
    the enriched events of ``fig``'s log (:func:`orgflow.mine.figures.compute`)."""
    if classes == "1":
        return [], "- classes: one class of requests (--classes 1)."
    split, why, waits = find(events)
    if split is None:
        return [], f"- classes: {why}."
    groups: list[RequestClass] = []
    cut = split_events(events, split.threshold)
    for part, n, suffix, label in zip(
        cut, (split.fast, split.slow), ("", "_slow"), ("Requests", "Slow requests"), strict=True
    ):
        variants = variant_counts(part)
        activities, by_performer = activity_figures(part, variants)
        sub = dataclasses.replace(
            fig,
            activities=activities,
            by_performer=by_performer,
            variants=variants,
            requests=n,
        )
        groups.append(RequestClass(suffix, label, sub))
    fast, slow = groups
    busy = busy_shares(fig)
    slow_waits = [w for w in waits if w >= split.threshold]
    excess, cv = request_delay(fast.fig, slow.fig, busy, slow_waits)
    slow.per_visit, slow.request_delay = fast.fig, (excess, cv)
    line = (
        f"- classes: {why}; the requests whose total extraneous wait is "
        f"{split.threshold:,.0f} h or more are a process of their own (main_slow, its "
        f"routing from its {split.slow} requests; main from the other {split.fast}), demand "
        f"split {split.fast}:{split.slow}. main_slow's steps wait main's per-visit delays, and "
        f"its requests' wait beyond them ({excess:,.0f} h a request, cv {cv:.3f}: the sd of "
        "their total waits over it) is one delay on its first step, drawn once a request "
        "(a slow request's total wait hardly depends on its passes). Found by the optimal "
        f"two-class split of the requests' total extraneous waits, kept when it explains "
        f"{MIN_BETWEEN:.0%} or more of their variance and the smaller class has "
        f"{MIN_SHARE:.0%} and {MIN_REQUESTS}+ of the requests (--classes 1: one "
        "process)."
    )
    return groups, line
