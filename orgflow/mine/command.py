"""What ``orgflow mine`` and ``orgflow fit`` do, called by the CLI's thin wiring."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from orgflow.mine import MineError, require_ibis
from orgflow.mine.read import Columns

if TYPE_CHECKING:
    from orgflow.mine.fit import Fit
    from orgflow.mine.report import MineReport


def mine(
    logs: list[Path],
    columns: Columns,
    *,
    backend: str | None,
    table: str | None,
    since: dt.date | None,
    until: dt.date | None,
    output: Path | None,
    paths: int,
    name: str | None,
    classes: str = "auto",
) -> tuple[MineReport, str]:
    """The report (the log's figures, rendered by a format of ``render.formats.MINE``) and the
    mined org file's text (the command writes it to ``output``, or prints it when there is
    no ``-o``). ``classes``: ``auto`` mines a latent class of slow requests as a process of
    its own when the log has one (:mod:`orgflow.mine.classes`), ``1`` never."""
    require_ibis()
    from orgflow.diagnostics import OrgFileError
    from orgflow.loader import load_text
    from orgflow.mine.classes import request_classes
    from orgflow.mine.discover import build
    from orgflow.mine.figures import compute
    from orgflow.mine.read import cleanup, read_log
    from orgflow.mine.report import MineReport, org_yaml

    log = read_log(logs, columns, backend=backend, table=table, since=since, until=until)
    try:
        fig, events = compute(log)
        groups, line = request_classes(fig, events, classes)
        title = name or (Path(log.sources[0]).stem if log.sources else "Mined office")
        mined = build(
            fig,
            name=title,
            paths=paths,
            customer_column=columns.customer,
            sources=[Path(s).name for s in log.sources],
            shape=log.shape,
            notes=log.notes,
            classes=groups,
            classes_line=line,
        )
        mined.warnings.extend(log.warnings)
        if log.dropped_starts:
            from orgflow.output import plural

            mined.warnings.append(
                f"{plural(log.dropped_starts, 'start row')} never completed (no complete row to "
                "pair with): dropped, not counted as events"
            )
        text = org_yaml(mined)
    finally:
        cleanup(log)
    try:
        load_text(text, file=str(output or "<mined>"))
    except OrgFileError as exc:  # a defect of mine itself: exit 3
        raise RuntimeError(
            "the mined org file does not load: " + "; ".join(d.format() for d in exc.diagnostics)
        ) from None
    return MineReport(fig, mined, str(output) if output else None, text), text


def fit(
    org: Any,
    logs: list[Path],
    columns: Columns,
    *,
    backend: str | None,
    table: str | None,
    since: dt.date | None,
    until: dt.date | None,
    weeks: float | None,
    runs: int,
    seed: int,
) -> Fit:
    """The fit of ``org`` to the log (rendered by a format of ``render.formats.FIT``)."""
    require_ibis()

    from orgflow.analysis.summary import analyze
    from orgflow.errors import SimulationError
    from orgflow.mine.discover import discover_roles
    from orgflow.mine.figures import compute
    from orgflow.mine.fit import hold, org_roles
    from orgflow.mine.read import cleanup, read_log
    from orgflow.simulate.runner import SimOptions, simulate

    log = read_log(logs, columns, backend=backend, table=table, since=since, until=until)
    try:
        fig, _ = compute(log)
    finally:
        cleanup(log)
    fig.set_roles(discover_roles(fig))
    analysis = analyze(org)
    # Requests arrive over the log's window (or --weeks) from its first day, into an empty
    # office (no warm-up: the log starts empty), then the run goes on for twice the longest
    # lead time of the log, so that what arrived is done and counted, as in the log.
    arriving = fig.weeks if weeks is None else weeks
    week_hours = fig.calendar.hours_per_day * fig.calendar.days_per_week
    drain = max(2 * max(fig.lead_times, default=0.0) / week_hours, 1.0)
    options = SimOptions(
        weeks=arriving + drain,
        warmup=0.0,
        runs=runs,
        seed=seed,
        start=fig.first.date(),
        jobs=1,
        arrival_weeks=arriving,
        engine="event",  # the engine that counts changes of person and role, and executions
    )
    try:
        sim = simulate(org, options, keep_samples=True, roles=org_roles(org.org, fig))
    except SimulationError as exc:
        raise MineError(f"orgflow: cannot simulate the org file: {exc}") from None
    return hold(org, fig, analysis, sim)
