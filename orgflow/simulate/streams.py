"""Random streams shared by both simulation engines, so that the same seed gives the same
arrivals and the same absences whichever engine runs and whichever office is simulated
(common random numbers for ``--compare``)."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

#: Arrivals are drawn in chunks of this size; both engines use the same chunks.
CHUNK = 8192


def arrival_chunks(
    seed: int, run: int, rate: float, cum_weights: list[float], horizon: float
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Arrival times (working hours, Poisson at ``rate`` per hour) up to ``horizon``, and for
    each the index of its (route, customer) choice drawn in proportion to the weights."""
    import numpy as np

    if rate <= 0 or not cum_weights:
        return
    rng = np.random.default_rng([seed, run, 0])
    cum = np.asarray(cum_weights, dtype=float)
    total = cum[-1]
    last = 0.0
    while last <= horizon:
        times = last + np.cumsum(rng.standard_exponential(CHUNK) / rate)
        choice = np.searchsorted(cum, rng.random(CHUNK) * total, side="right")
        np.minimum(choice, len(cum) - 1, out=choice)
        last = float(times[-1])
        keep = times <= horizon
        if not keep.all():
            if keep.any():  # never an empty window
                yield times[keep], choice[keep]
            return
        yield times, choice


def arrivals(
    seed: int, run: int, rate: float, cum_weights: list[float], horizon: float
) -> tuple[np.ndarray, np.ndarray]:
    """All arrivals of a run at once (the chunks concatenated)."""
    import numpy as np

    parts = list(arrival_chunks(seed, run, rate, cum_weights, horizon))
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
