"""Output formats: one registry per command family, as check-jsonschema's ``REPORTER_BY_NAME``.

A format is one :class:`Renderer` subclass, written in the render module of its family, and
one entry in that family's registry below. The CLI offers a registry's names as the choices of
``--format`` and its ``help`` words in ``--help``; it imports the chosen class only when the
command runs, so ``orgflow --help`` never imports a renderer (nor pydantic, rich or numpy).

Each family renders one kind of result:

==================  ================================================  =====================
registry            result rendered                                   command
==================  ================================================  =====================
``ANALYZE``         :class:`~orgflow.analysis.summary.Analysis`       ``analyze``
``SIMULATE``        :class:`~orgflow.render.simulation.Simulated`     ``simulate``
``SIMULATE_PAIR``   :class:`~orgflow.render.simulation.Comparison`    ``simulate --compare``
``PROPOSE``         :class:`~orgflow.render.propose.ProposalReport`   ``propose``
``COMPARE``         :class:`~orgflow.render.compare.SideBySide`       ``compare``
``DIAGRAM``         :class:`~orgflow.diagram.Swimlane`                ``diagram``
``CHECK``           :class:`~orgflow.check.report.CheckReport`        ``check``
``MINE``            :class:`~orgflow.mine.report.MineReport`          ``mine``
``FIT``             :class:`~orgflow.mine.fit.Fit`                    ``fit``
==================  ================================================  =====================

``PROPOSE_SCENARIOS`` renders :class:`~orgflow.propose.whatif.WhatIf` (``propose --scenarios``).
The HTML report (``orgflow report``) has one format and no registry: :mod:`orgflow.render.html`.
"""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from rich.console import RenderableType

    #: What a renderer returns: text, bytes (a PNG) or a rich renderable (a text report).
    Rendered = str | bytes | RenderableType

R = TypeVar("R")


class RenderError(Exception):
    """The format cannot be produced here (a PNG without Graphviz): a usage error, exit 2."""


class Renderer(ABC, Generic[R]):
    """One output format of one command family.

    Parameters
    ----------
    color : bool
        Whether text may carry colour codes (only formats that write them read it).
    """

    def __init__(self, *, color: bool = False) -> None:
        self.color = color

    @abstractmethod
    def render(self, result: R) -> Rendered:
        """The result in this format.

        Parameters
        ----------
        result
            The family's result (see the table in :mod:`orgflow.render.formats`).

        Returns
        -------
        str, bytes or rich renderable
            Never printed here: the CLI writes it to standard output or to ``--output``.

        Raises
        ------
        RenderError
            When the format cannot be produced on this machine.
        """


@dataclass(frozen=True)
class Format:
    """A registry entry: how ``--help`` names the format, and where its class is."""

    help: str  # "text (a report)": the words of --help
    renderer: str  # "module:Class", imported only when the format is chosen

    def load(self) -> type[Renderer[Any]]:
        """The renderer class (imported now)."""
        module, _, name = self.renderer.partition(":")
        cls = getattr(importlib.import_module(module), name)
        if not (isinstance(cls, type) and issubclass(cls, Renderer)):
            raise TypeError(f"{self.renderer} is not a Renderer")
        return cls


def render(formats: Mapping[str, Format], name: str, result: Any, *, color: bool = False) -> Any:
    """``result`` in the format ``name`` of the registry ``formats``.

    Parameters
    ----------
    formats : mapping of str to Format
        A registry of this module.
    name : str
        The format's name, a key of ``formats``.
    result
        What the family renders.
    color : bool
        Whether text may carry colour codes.

    Returns
    -------
    str, bytes or rich renderable
        The rendered result.

    Examples
    --------
    >>> from orgflow.check.report import CheckReport
    >>> render(CHECK, "json", CheckReport([]))[:1]
    '{'
    """
    return formats[name].load()(color=color).render(result)


def choices_help(formats: Mapping[str, Format]) -> str:
    """The help of a ``--format`` option: each format's words, ``a, b or c.``

    Parameters
    ----------
    formats : mapping of str to Format
        A registry of :mod:`orgflow.render.formats`.

    Returns
    -------
    str
        The help text.

    Examples
    --------
    >>> choices_help(ANALYZE)
    'text (a report), json or markdown.'
    """
    words = [f.help for f in formats.values()]
    return (", ".join(words[:-1]) + " or " + words[-1] if len(words) > 1 else words[0]) + "."


# -- the registries -------------------------------------------------------------------------------

ANALYZE: dict[str, Format] = {
    "text": Format("text (a report)", "orgflow.render.text:AnalysisText"),
    "json": Format("json", "orgflow.render.json:AnalysisJson"),
    "markdown": Format("markdown", "orgflow.render.markdown:AnalysisMarkdown"),
}

SIMULATE: dict[str, Format] = {
    "text": Format("text (a report)", "orgflow.render.simulation:SimulationText"),
    "json": Format("json", "orgflow.render.simulation:SimulationJson"),
    "markdown": Format("markdown", "orgflow.render.simulation:SimulationMarkdown"),
}

#: ``simulate --compare``: the same names as ``SIMULATE`` (one ``--format`` option serves both).
SIMULATE_PAIR: dict[str, Format] = {
    "text": Format("text (a report)", "orgflow.render.simulation:ComparisonText"),
    "json": Format("json", "orgflow.render.simulation:ComparisonJson"),
    "markdown": Format("markdown", "orgflow.render.simulation:ComparisonMarkdown"),
}

PROPOSE: dict[str, Format] = {
    "text": Format("text (a report)", "orgflow.render.propose:ProposalText"),
    "json": Format("json", "orgflow.render.propose:ProposalJson"),
    "markdown": Format("markdown", "orgflow.render.propose:ProposalMarkdown"),
}

#: ``propose --scenarios``: the same names as ``PROPOSE`` (one ``--format`` option serves both).
PROPOSE_SCENARIOS: dict[str, Format] = {
    "text": Format("text (a report)", "orgflow.render.whatif:WhatIfText"),
    "json": Format("json", "orgflow.render.whatif:WhatIfJson"),
    "markdown": Format("markdown", "orgflow.render.whatif:WhatIfMarkdown"),
}

COMPARE: dict[str, Format] = {
    "text": Format("text (a table)", "orgflow.render.compare:SideBySideText"),
    "json": Format("json", "orgflow.render.compare:SideBySideJson"),
    "markdown": Format("markdown", "orgflow.render.compare:SideBySideMarkdown"),
}

DIAGRAM: dict[str, Format] = {
    "mermaid": Format("mermaid (GitHub Markdown)", "orgflow.render.mermaid:MermaidDiagram"),
    "dot": Format("dot (Graphviz)", "orgflow.render.dot:DotDiagram"),
    "svg": Format("svg (a picture; nothing to install)", "orgflow.render.svg:SvgDiagram"),
    "png": Format("png (through Graphviz, when installed)", "orgflow.render.dot:PngDiagram"),
}

CHECK: dict[str, Format] = {
    "text": Format("text", "orgflow.render.check:CheckText"),
    "json": Format("json", "orgflow.render.check:CheckJson"),
    "github": Format(
        "github (workflow annotations; the default under GitHub Actions)",
        "orgflow.render.check:CheckGithub",
    ),
    "sarif": Format("sarif (2.1.0, for code scanning)", "orgflow.render.check:CheckSarif"),
}

MINE: dict[str, Format] = {
    "text": Format("text", "orgflow.render.mine:MineText"),
    "json": Format("json (the log's figures)", "orgflow.render.mine:MineJson"),
}

FIT: dict[str, Format] = {
    "text": Format("text (a report)", "orgflow.render.mine:FitText"),
    "json": Format("json", "orgflow.render.mine:FitJson"),
    "markdown": Format("markdown", "orgflow.render.mine:FitMarkdown"),
}
