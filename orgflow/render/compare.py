"""The before/after table of ``orgflow compare`` and ``orgflow propose``: its cells, as text
(rich), Markdown and JSON, and the renderers of ``orgflow compare``."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from orgflow import __version__
from orgflow import escape as esc
from orgflow.analysis.compare import Row
from orgflow.output import distinct_names, working_time
from orgflow.render import finite
from orgflow.render.formats import Renderer

if TYPE_CHECKING:
    from rich.console import RenderableType

    from orgflow.analysis.summary import Analysis


def format_value(value: float | None, unit: str, hours_per_day: float) -> str:
    """A cell of the before/after table, written as its unit is.

    Parameters
    ----------
    value : float
        The figure.
    unit : str
        The row's unit: hours, hours_per_week, count, share or people.
    hours_per_day : float
        The office's working hours per day.

    Returns
    -------
    str
        The cell: ``-`` when missing, ``unbounded`` when infinite.
    """
    if value is None:
        return "-"
    if not math.isfinite(value):
        return "unbounded"
    if unit == "hours":
        return working_time(value, hours_per_day)
    if unit == "hours_per_week":  # a weekly figure: never in days
        return f"{value:.1f} h/week"
    if unit == "share":
        return f"{value:.0%}"
    if unit == "people":
        return f"{value:.0f}"
    return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{value:.0f}"


def rows_dict(rows: list[Row], columns: list[str]) -> dict[str, dict[str, float | None]]:
    """The before/after table as plain data, for JSON.

    Parameters
    ----------
    rows : list of Row
        The rows of the before/after table
        (:func:`orgflow.analysis.compare.comparison_rows`).
    columns : list of str
        The column heads (or JSON keys), one per office.

    Returns
    -------
    dict
        Each row's key, then each column's value (None: unbounded or missing).
    """
    return {
        r.key: {
            col: (None if v is None else finite(v))
            for col, v in zip(columns, r.values, strict=True)
        }
        for r in rows
    }


def comparison_table(
    rows: list[Row], columns: list[str], hours_per_day: float, title: str
) -> RenderableType:
    """The before/after table for a terminal.

    Parameters
    ----------
    rows : list of Row
        The rows of the before/after table
        (:func:`orgflow.analysis.compare.comparison_rows`).
    columns : list of str
        The column heads (or JSON keys), one per office.
    hours_per_day : float
        The office's working hours per day.
    title : str
        The title shown above the table.

    Returns
    -------
    rich Table
        The table, a cell green when better than the first column and red when worse.
    """
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, title_justify="left")
    table.add_column("")
    for col in columns:
        table.add_column(col, justify="right")
    for r in rows:
        cells: list[str | Text] = [r.label]
        first = r.values[0]
        for v in r.values:
            text = format_value(v, r.unit, hours_per_day)
            style = ""
            if v is not None and first is not None and v != first and r.better != "neither":
                improved = v < first if r.better == "lower" else v > first
                style = "green" if improved else "red"
            cells.append(Text(text, style=style))
        table.add_row(*cells)
    return table


def comparison_markdown(rows: list[Row], columns: list[str], hours_per_day: float) -> list[str]:
    """The before/after table in Markdown.

    Parameters
    ----------
    rows : list of Row
        The rows of the before/after table
        (:func:`orgflow.analysis.compare.comparison_rows`).
    columns : list of str
        The column heads (or JSON keys), one per office.
    hours_per_day : float
        The office's working hours per day.

    Returns
    -------
    list of str
        The lines of a Markdown table.
    """
    lines = ["| | " + " | ".join(columns) + " |", "|---|" + "---|" * len(columns)]
    for r in rows:
        cells = [format_value(v, r.unit, hours_per_day) for v in r.values]
        lines.append(f"| {r.label.strip()} | " + " | ".join(cells) + " |")
    return lines


@dataclass(frozen=True)
class SideBySide:
    """Two org files compared: their paths, analyses and the rows of the before/after table."""

    files: tuple[str, str]
    analyses: tuple[Analysis, Analysis]
    rows: list[Row]

    @property
    def names(self) -> list[str]:
        """Short names that tell the two files apart (the table's column heads)."""
        return distinct_names(list(self.files))

    @property
    def headline(self) -> str:
        """The first office's headline, then the second's lead time and its change."""
        from orgflow.render.headline import headline

        return headline(self.analyses[0], self.analyses[1], self.names[1])


class SideBySideJson(Renderer[SideBySide]):
    """``compare --format json``: files, names, headline and each figure per file (a, b)."""

    def render(self, result: SideBySide) -> str:
        doc = {
            "orgflow_version": __version__,
            "schema_version": 1,
            "files": list(result.files),
            "names": result.names,
            "headline": result.headline,
            "figures": rows_dict(result.rows, ["a", "b"]),
        }
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


class SideBySideMarkdown(Renderer[SideBySide]):
    """``compare --format markdown``: the headline, the table, and each office's diagram."""

    def render(self, result: SideBySide) -> str:
        from orgflow.render.markdown import diagram_section

        a, b = result.analyses
        names = result.names
        lines = [
            f"# {esc.markdown(names[0])} vs {esc.markdown(names[1])}",
            "",
            f"**{esc.markdown(result.headline)}**",
            "",
            *comparison_markdown(result.rows, names, a.hours_per_day),
            *diagram_section(a, names[0]),
            *diagram_section(b, names[1]),
        ]
        return "\n".join(lines) + "\n"


class SideBySideText(Renderer[SideBySide]):
    """``compare --format text``: the headline and the table, coloured better or worse."""

    def render(self, result: SideBySide) -> RenderableType:
        from rich.console import Group
        from rich.text import Text

        return Group(
            Text(esc.visible(result.headline), style="bold"),
            comparison_table(
                result.rows, result.names, result.analyses[0].hours_per_day, "Side by side"
            ),
        )
