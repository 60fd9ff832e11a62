"""The formats of ``orgflow mine`` (the log's figures) and ``orgflow fit`` (the fit table):
the renderers of :data:`orgflow.render.formats.MINE` and :data:`~orgflow.render.formats.FIT`.
The tables themselves are written by :mod:`orgflow.mine.report` and :mod:`orgflow.mine.fit`,
beside the figures they show (the mining extra is optional; nothing here imports Ibis)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from orgflow.render.formats import Renderer

if TYPE_CHECKING:
    from orgflow.mine.fit import Fit
    from orgflow.mine.report import MineReport


class MineText(Renderer["MineReport"]):
    """``mine --format text``: the log's figures and the data warnings, as a report."""

    def render(self, result: MineReport) -> str:
        from orgflow.mine.report import render_text

        return render_text(result.fig, result.mined, result.output)


class MineJson(Renderer["MineReport"]):
    """``mine --format json``: the log's figures (pm4py's definitions), warnings, header, and
    the org file (its path, and its text as ``org_yaml``)."""

    def render(self, result: MineReport) -> str:
        from orgflow.mine.report import render_json

        return render_json(result.fig, result.mined, result.output, result.org_text)


class FitText(Renderer["Fit"]):
    """``fit --format text``: observed beside analytic beside simulated, and the verdict."""

    def render(self, result: Fit) -> str:
        from orgflow.mine.fit import render

        return render(result, "text")


class FitJson(Renderer["Fit"]):
    """``fit --format json``: every row with its relative errors, and the verdict."""

    def render(self, result: Fit) -> str:
        from orgflow.mine.fit import render

        return render(result, "json")


class FitMarkdown(Renderer["Fit"]):
    """``fit --format markdown``: the tables in Markdown."""

    def render(self, result: Fit) -> str:
        from orgflow.mine.fit import render

        return render(result, "markdown")
