"""The migration plan of ``orgflow propose`` (its waves) as JSON data, a rich table and
Markdown lines; the proposal's renderers each add one of them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from orgflow import escape as esc
from orgflow.render import finite

if TYPE_CHECKING:
    from rich.console import RenderableType

    from orgflow.propose.waves import Wave


def waves_list(waves: Sequence[Wave]) -> list[dict[str, Any]]:
    """The JSON key ``waves``: ``[{wave, customers[], moves[]{customer, from, to, hours_per_week},
    training_hours, weeks, highest_utilization}]``."""
    return [
        {
            "wave": w.wave,
            "customers": list(w.customers),
            "moves": [
                {
                    "customer": m.customer,
                    "from": m.source,
                    "to": m.target,
                    "hours_per_week": finite(m.hours),
                }
                for m in w.moves
            ],
            "training_hours": finite(w.training_hours),
            "weeks": finite(w.weeks),
            "highest_utilization": finite(w.highest_utilization),
        }
        for w in waves
    ]


def customers_shown(w: Wave, most: int = 6) -> str:
    """The wave's customers, the first ``most`` of them by name and a count of the rest."""
    names = list(w.customers)
    return ", ".join(names[:most]) + (f" +{len(names) - most}" if len(names) > most else "")


def waves_table(waves: Sequence[Wave]) -> RenderableType:
    """The waves for a terminal: customers moved, training hours, weeks, the busiest person."""
    from rich.table import Table

    weeks = sum(w.weeks for w in waves)
    table = Table(
        title=f"Migration plan ({len(waves)} wave{'' if len(waves) == 1 else 's'}, "
        f"{weeks:g} weeks; load while learning)",
        title_justify="left",
    )
    for col in ("Wave", "Customers", "Training h", "Weeks", "Highest (busiest)"):
        table.add_column(col, justify="left" if col == "Customers" else "right")
    for w in waves:
        table.add_row(
            str(w.wave),
            esc.rich(f"{len(w.moves)}: {customers_shown(w)}"),
            f"{w.training_hours:.0f}",
            f"{w.weeks:g}",
            esc.rich(f"{w.highest_utilization:.0%} ({w.busiest})"),
        )
    return table


def waves_markdown(waves: Sequence[Wave]) -> list[str]:
    """The waves as a Markdown section."""
    lines = [
        "",
        "## Migration plan",
        "",
        "| Wave | Customers | Training hours | Weeks | Highest utilization |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {w.wave} | {esc.markdown(customers_shown(w, 12))} | {w.training_hours:.0f} | "
        f"{w.weeks:g} | {w.highest_utilization:.0%} ({esc.markdown(str(w.busiest))}) |"
        for w in waves
    ]
    return lines
