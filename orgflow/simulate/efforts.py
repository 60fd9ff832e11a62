"""How each effort distribution is drawn: the parameters both engines sample from."""

from __future__ import annotations

import math
from typing import Any

from orgflow.model import (
    ExponentialEffort,
    FixedEffort,
    LognormalEffort,
    PertEffort,
    TriangularEffort,
    UniformEffort,
)
from orgflow.units import Calendar


def sampling_plan(effort: Any, cal: Calendar) -> tuple[str, tuple[float, ...]]:
    """The distribution to draw from and its parameters, in hours:
    ``("fixed", (value,))``, ``("exponential", (mean,))``, ``("lognormal", (mu, sigma))``
    (of the underlying normal), ``("beta", (low, high, alpha, beta))`` (Beta-PERT scaled to
    [low, high]), ``("triangular", (low, mode, high))`` or ``("uniform", (low, high))``.

    >>> sampling_plan(PertEffort.model_validate({"min": "1h", "likely": "2h", "max": "5h"}),
    ...               Calendar())
    ('beta', (1.0, 5.0, 2.0, 4.0))
    """
    mean = effort.mean_hours(cal)
    if isinstance(effort, FixedEffort) or mean == 0:
        return "fixed", (mean,)
    if isinstance(effort, ExponentialEffort):
        return "exponential", (mean,)
    if isinstance(effort, LognormalEffort):
        if effort.cv == 0:
            return "fixed", (mean,)
        sigma2 = math.log(1 + effort.cv**2)
        return "lognormal", (math.log(mean) - sigma2 / 2, math.sqrt(sigma2))
    if isinstance(effort, PertEffort | TriangularEffort):
        a, m, b = effort.min.hours(cal), effort.likely.hours(cal), effort.max.hours(cal)
        if b == a:
            return "fixed", (a,)
        if isinstance(effort, TriangularEffort):
            return "triangular", (a, m, b)
        return "beta", (a, b, 1 + 4 * (m - a) / (b - a), 1 + 4 * (b - m) / (b - a))
    if isinstance(effort, UniformEffort):
        return "uniform", (effort.min.hours(cal), effort.max.hours(cal))
    raise TypeError(f"unknown effort {effort!r}")


def numpy_sampler(effort: Any, cal: Any) -> Any:
    """A function (rng, n) -> n efforts in hours, for the activity's distribution."""
    import numpy as np

    kind, p = sampling_plan(effort, cal)
    if kind == "fixed":
        return lambda rng, n: np.full(n, p[0])
    if kind == "exponential":
        return lambda rng, n: rng.exponential(p[0], n)
    if kind == "lognormal":
        return lambda rng, n: rng.lognormal(p[0], p[1], n)
    if kind == "beta":
        return lambda rng, n: p[0] + (p[1] - p[0]) * rng.beta(p[2], p[3], n)
    if kind == "triangular":
        return lambda rng, n: rng.triangular(p[0], p[1], p[2], n)
    return lambda rng, n: rng.uniform(p[0], p[1], n)
