"""Random streams shared by both simulation engines, so that the same seed gives the same
arrivals and the same absences whichever engine runs and whichever office is simulated
(common random numbers for ``--compare``)."""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

#: Arrivals are drawn in chunks of this size; both engines use the same chunks.
CHUNK = 8192


#: A piecewise-constant demand profile: the working hours at which each calendar month begins
#: (the first is 0) and the multiplier of the rate from then on (``demand_by_month``).
Profile = tuple[list[float], list[float]]


def warp(profile: Profile | None) -> Callable[[np.ndarray], np.ndarray] | None:
    """The map from the clock of a constant-rate Poisson stream to the working-hour clock of
    the non-homogeneous one whose rate is the constant rate times the profile's multiplier:
    t = Λ⁻¹(s), Λ(t) = ∫₀ᵗ f(u) du (piecewise linear), so the stream's points mapped through it
    are Poisson with rate ``rate * f(t)`` (the time-change theorem); ``None`` without a
    profile."""
    import numpy as np

    if profile is None:
        return None
    starts = np.asarray(profile[0], dtype=float)
    factors = np.asarray(profile[1], dtype=float)
    # Λ at each month's start; a month of multiplier 0 is an empty stretch of Λ (never chosen:
    # searchsorted on the right picks the last of equal starts).
    cum = np.concatenate([[0.0], np.cumsum(np.diff(starts) * factors[:-1])])

    def to_hours(s: np.ndarray) -> np.ndarray:
        k = np.searchsorted(cum, s, side="right") - 1
        f = factors[k]
        return np.where(f > 0, starts[k] + (s - cum[k]) / np.where(f > 0, f, 1.0), starts[k])

    if not factors[-1] > 0:
        raise ValueError("the last month of a demand profile needs a positive multiplier")
    return to_hours


def arrivals_until(profile: Profile | None, end: float, horizon: float) -> Profile:
    """``profile`` (``None``: a flat rate) with no arrivals from ``end`` (working hours) on: a
    multiplier of 0 from then until past ``horizon`` (the map needs a positive last multiplier,
    never reached). Before ``end`` the arrivals are the same as with ``profile``."""
    starts, factors = profile if profile is not None else ([0.0], [1.0])
    keep = [i for i, start in enumerate(starts) if start < end]
    past = max(horizon, end) + 1.0
    if not keep:  # no arrivals at all
        return [0.0, past], [0.0, 1.0]
    return [*(starts[i] for i in keep), end, past], [*(factors[i] for i in keep), 0.0, 1.0]


def arrival_chunks(
    seed: int,
    run: int,
    rate: float,
    cum_weights: list[float],
    horizon: float,
    profile: Profile | None = None,
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Arrival times (working hours, Poisson at ``rate`` per hour, times the month's
    multiplier of ``profile`` when given) up to ``horizon``, and for each the index of its
    (route, customer) choice drawn in proportion to the weights."""
    import numpy as np

    if rate <= 0 or not cum_weights:
        return
    rng = np.random.default_rng([seed, run, 0])
    cum = np.asarray(cum_weights, dtype=float)
    total = cum[-1]
    to_hours = warp(profile)
    last = 0.0  # on the constant-rate clock
    while True:
        clock = last + np.cumsum(rng.standard_exponential(CHUNK) / rate)
        choice = np.searchsorted(cum, rng.random(CHUNK) * total, side="right")
        np.minimum(choice, len(cum) - 1, out=choice)
        last = float(clock[-1])
        times = clock if to_hours is None else to_hours(clock)
        keep = times <= horizon
        if not keep.all():
            if keep.any():  # never an empty window
                yield times[keep], choice[keep]
            return
        yield times, choice


def arrivals(
    seed: int,
    run: int,
    rate: float,
    cum_weights: list[float],
    horizon: float,
    profile: Profile | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """All arrivals of a run at once (the chunks concatenated)."""
    import numpy as np

    parts = list(arrival_chunks(seed, run, rate, cum_weights, horizon, profile))
    if not parts:
        return np.zeros(0), np.zeros(0, dtype=np.int64)
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def away_intervals(
    seed: int,
    run: int,
    person: str,
    availability: float,
    spell: float,
    horizon: float,
    dated: list[tuple[float, float]],
) -> list[tuple[float, float]]:
    """The person's absences as sorted, disjoint (start, end) intervals within the run.

    Random spells alternate with presence: away spells are exponential with mean ``spell``,
    present spells exponential with mean ``spell * A / (1 - A)``, so the long-run away share
    is ``1 - A``; the run starts in the long-run state (away with probability ``1 - A``).
    Dated absences are merged in.
    """
    import numpy as np

    spans: list[tuple[float, float]] = []
    if availability < 1 and spell > 0:
        rng = np.random.default_rng([seed, run, 1, zlib.crc32(person.encode())])
        up_mean = spell * availability / (1 - availability)
        t = 0.0
        away = bool(rng.random() < 1 - availability)
        while t <= horizon:
            if away:
                end = t + float(rng.exponential(spell))
                spans.append((t, end))
                t = end
            else:
                t += float(rng.exponential(up_mean))
            away = not away
    spans.extend(dated)
    spans.sort()
    merged: list[tuple[float, float]] = []
    for start, end in spans:
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged
