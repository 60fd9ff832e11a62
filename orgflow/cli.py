"""The ``orgflow`` command: options -> one core call -> renderer -> exit code. Wiring only."""

from __future__ import annotations

import atexit
import gc
import os
import sys
from collections.abc import Callable, Mapping
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeAlias, TypeVar

import typer
from typer.core import TyperCommand, TyperGroup

from orgflow import __version__
from orgflow.render import formats
from orgflow.render.formats import choices_help

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

_TYPE_LABELS = {
    "path": "FILE",
    "str": "TEXT",
    "integer": "N",
    "integer range": "N",
    "int": "N",
    "float": "NUMBER",
    "float range": "NUMBER",
    "int range": "N",
    "%Y-%m-%d": "DATE",
}


def _clean_help(text: str) -> str:
    """Help and usage without the artefacts of typer's type labels: ``{ORG.yaml}`` in usage
    lines, ``<list[Path]>`` or ``<path>`` after an argument's name, ``<str>`` after an option
    (an option gets a plain metavar instead: ``FILE``, ``TEXT``, ``N``, ``DATE``)."""
    import re

    text = re.sub(r"\{([^{}\s]+)\}", r"\1", text)
    # An argument's row: its metavar, then the type label.
    text = re.sub(r"(?m)^(\s+[^-\s]\S*) <[^>|]+>", r"\1", text)

    def label(match: re.Match[str]) -> str:
        kind = match.group(2)
        new = f"{match.group(1)} {_TYPE_LABELS.get(kind, kind.upper())}"
        return new.ljust(len(match.group(0)))  # keep the help column aligned

    text = re.sub(r"(--?[\w-]+) <([^>|]+)>", label, text)
    return re.sub(r"(?m)[ \t]+$", "", text)


class _Command(TyperCommand):
    """A command whose help has no type-label artefacts and whose choice errors read plainly."""

    def get_help(self, ctx: Any) -> str:
        return _clean_help(super().get_help(ctx))

    def get_usage(self, ctx: Any) -> str:
        return _clean_help(super().get_usage(ctx))

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except typer.BadParameter as exc:
            exc.message = exc.message.replace("Value error, ", "")
            raise

    def invoke(self, ctx: Any) -> Any:
        """The domain errors of every layer (:mod:`orgflow.errors`) end here: their message on
        standard error, exit 2, never a traceback."""
        from orgflow.errors import OrgflowError

        try:
            return super().invoke(ctx)
        except OrgflowError as exc:
            from orgflow.escape import visible

            typer.echo(visible(f"orgflow: {exc}"), err=True)
            raise typer.Exit(EXIT_USAGE) from None


class _Group(TyperGroup):
    def get_help(self, ctx: Any) -> str:
        return _clean_help(super().get_help(ctx))

    def get_usage(self, ctx: Any) -> str:
        return _clean_help(super().get_usage(ctx))


app = typer.Typer(
    name="orgflow",
    cls=_Group,
    help="Analyze a back office described in an org file: handoff chains, lead times, single "
    "points of failure.",
    add_completion=True,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _command() -> Callable[[Callable[..., None]], Callable[..., None]]:
    return app.command(cls=_Command)


class MineClasses(StrEnum):
    """``orgflow mine --classes``: a latent class of slow requests, or one process."""

    auto = "auto"
    one = "1"


class Color(StrEnum):
    auto = "auto"
    always = "always"
    never = "never"


def _choices(name: str, registry: Mapping[str, formats.Format]) -> Any:
    """The choices of a ``--format`` option: the names of a registry of output formats."""
    return StrEnum(name, {key: key for key in registry})


if TYPE_CHECKING:  # built from the registries below, so mypy sees an enum of some names
    Format: TypeAlias = StrEnum
    SimulateFormat: TypeAlias = StrEnum
    ProposeFormat: TypeAlias = StrEnum
    CompareFormat: TypeAlias = StrEnum
    DiagramFormat: TypeAlias = StrEnum
    CheckFormat: TypeAlias = StrEnum
    MineFormat: TypeAlias = StrEnum
    FitFormat: TypeAlias = StrEnum
else:
    Format = _choices("Format", formats.ANALYZE)
    # simulate and simulate --compare share one --format option: SIMULATE_PAIR has its names
    SimulateFormat = _choices("SimulateFormat", formats.SIMULATE)
    ProposeFormat = _choices("ProposeFormat", formats.PROPOSE)
    CompareFormat = _choices("CompareFormat", formats.COMPARE)
    DiagramFormat = _choices("DiagramFormat", formats.DIAGRAM)
    CheckFormat = _choices("CheckFormat", formats.CHECK)
    MineFormat = _choices("MineFormat", formats.MINE)
    FitFormat = _choices("FitFormat", formats.FIT)
#: The defaults of the --format options.
TEXT, SIMULATE_TEXT, PROPOSE_TEXT = Format("text"), SimulateFormat("text"), ProposeFormat("text")
COMPARE_TEXT, MERMAID = CompareFormat("text"), DiagramFormat("mermaid")
MINE_TEXT, FIT_TEXT = MineFormat("text"), FitFormat("text")


class Engine(StrEnum):
    auto = "auto"
    flow = "flow"
    event = "event"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"orgflow {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
    color: Annotated[
        Color,
        typer.Option(
            help="Colour: auto (on a terminal, unless NO_COLOR is set; FORCE_COLOR forces it), "
            "always or never."
        ),
    ] = Color.auto,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Only errors on standard error.")
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="More detail on standard error.")
    ] = False,
) -> None:
    """orgflow: why customers wait, and what stops when someone is away."""
    from orgflow import output

    output.COLOR = color.value
    output.VERBOSITY = 0 if quiet else 2 if verbose else 1


def _fail(lines: list[str], code: int = EXIT_USAGE) -> typer.Exit:
    for line in lines:
        typer.echo(line, err=True)
    return typer.Exit(code)


def _fail_visibly(lines: list[str]) -> typer.Exit:
    """:func:`_fail` for messages that quote the user's data (an event log's names and
    values): each line one visible line (:func:`orgflow.escape.visible`), cut to a bound."""
    from orgflow.escape import MESSAGE_LIMIT, visible

    return _fail([visible(line, MESSAGE_LIMIT) for line in lines])


def _load(path: Path) -> Any:
    """Load an org file (``-`` reads standard input) and resolve it: the
    :class:`~orgflow.office.Office`. Unusable input exits 2 with every problem on standard
    error, and the file's warnings go there too."""
    from orgflow.analysis.lint import open_office
    from orgflow.diagnostics import OrgFileError
    from orgflow.escape import visible
    from orgflow.loader import load, load_text
    from orgflow.output import detail, plural

    try:
        org = load_text(sys.stdin.read(), file="<stdin>") if str(path) == "-" else load(path)
        office = open_office(org)
    except OrgFileError as exc:
        errors = sum(1 for d in exc.diagnostics if d.level == "error")
        lines = [d.format() for d in exc.diagnostics]
        name = visible(str(path))
        lines.append(f"{name}: {plural(errors, 'error')}; the file cannot be analyzed")
        raise _fail(lines) from None
    detail(visible(f"loaded {path}"))
    _warn(office.warnings)
    return office


def _warn(diagnostics: Any) -> None:
    """The file's warnings on standard error, ``file:line:column: level: message [code]`` with
    the hint on the next line (unless ``-q``)."""
    from orgflow import output

    if output.VERBOSITY < 1:
        return
    for d in diagnostics:
        typer.echo(d.format(), err=True)


def _emit(rendered: Any, output: Path | None, inputs: list[Path], what: str | None = None) -> None:
    """Print to stdout, or write ``output`` atomically (never over an input) and say so on
    standard error (``wrote report.html``), unless ``-q``."""
    from orgflow import output as out
    from orgflow.escape import visible

    if output is None:
        out.to_stdout(rendered)
        return
    try:
        out.write_atomic(output, out.file_content(rendered), inputs)
    except (out.OutputError, OSError) as exc:
        raise _fail([visible(f"orgflow: cannot write {output}: {exc}")]) from None
    out.note(visible(f"wrote {output}") + (f" ({what})" if what else ""))


def _rendered(
    registry: Mapping[str, formats.Format],
    fmt: StrEnum,
    result: Any,
    *,
    color: bool = False,
    command: str = "",
) -> Any:
    """``result`` in the format chosen from ``registry``; a format this machine cannot produce
    (a PNG without Graphviz) exits 2 with the reason."""
    try:
        return formats.render(registry, fmt.value, result, color=color)
    except formats.RenderError as exc:
        raise _fail([f"orgflow {command}: {exc}"]) from None


T = TypeVar("T")


def _simulating(run: Callable[[Callable[[float], None]], T], show: bool) -> T:
    """``run(progress)`` under a progress bar (``show``: on a terminal); an office the
    simulation refuses (``--engine flow`` on an office that sends work back, a run too large)
    exits 2."""
    from orgflow import output
    from orgflow.errors import SimulationError

    with output.Progress(show) as progress:
        try:
            return run(progress)
        except SimulationError as exc:
            raise _fail([f"orgflow: {exc}"]) from None


@_command()
def analyze(
    org_file: Annotated[Path, typer.Argument(metavar="ORG.yaml", help="The org file.")],
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help=choices_help(formats.ANALYZE))
    ] = TEXT,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report here instead.")
    ] = None,
) -> None:
    """Find handoff chains, lead times, critical paths and single points of failure."""
    from orgflow.analysis.summary import analyze as run_analysis

    org = _load(org_file)
    _emit(_rendered(formats.ANALYZE, fmt, run_analysis(org)), output, [org_file])


@_command()
def simulate(
    org_file: Annotated[Path, typer.Argument(metavar="ORG.yaml", help="The org file.")],
    weeks: Annotated[
        float, typer.Option(min=0.1, help="Weeks simulated per run, after the warm-up.")
    ] = 52,
    warmup: Annotated[float, typer.Option(min=0, help="Weeks of warm-up not counted.")] = 4,
    runs: Annotated[int, typer.Option(min=1, max=10_000, help="Independent runs.")] = 10,
    seed: Annotated[int, typer.Option(help="Random seed: same seed, same numbers.")] = 1,
    start: Annotated[
        datetime | None,
        typer.Option(
            formats=["%Y-%m-%d"],
            help="Date the run starts (maps dated absences to working time); default today.",
        ),
    ] = None,
    fmt: Annotated[
        SimulateFormat, typer.Option("--format", "-f", help=choices_help(formats.SIMULATE))
    ] = SIMULATE_TEXT,
    compare: Annotated[
        Path | None,
        typer.Option(
            help="Another org file, run on the same arrivals and absences, shown side by side."
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report here instead.")
    ] = None,
    engine: Annotated[
        Engine,
        typer.Option(help="auto: the flow engine when work flows one way, else events."),
    ] = Engine.auto,
    jobs: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=1024,
            help="Runs simulated at once, in parallel processes (same results as one at a "
            "time); default: the machine's cores.",
        ),
    ] = None,
) -> None:
    """Simulate the office: lead-time spread, percentiles, queues, and the analytic check."""
    from orgflow.analysis.summary import analyze as run_analysis
    from orgflow.render.simulation import Comparison, Simulated
    from orgflow.simulate.runner import SimOptions
    from orgflow.simulate.scenarios import simulate_each

    orgs = [_load(org_file)] + ([_load(compare)] if compare is not None else [])
    options = SimOptions(
        weeks=weeks,
        warmup=warmup,
        runs=runs,
        seed=seed,
        start=start.date() if start else None,
        engine=engine.value,
        jobs=jobs or os.cpu_count() or 1,
    )
    show = fmt.value == "text" and output is None and sys.stderr.isatty() and sys.stdout.isatty()
    results = _simulating(lambda progress: simulate_each(orgs, options, progress), show)
    # The analytic check: its reports show no truck factor (no solver for it).
    analyses = [run_analysis(o, exact_truck_factor=False) for o in orgs]
    if compare is None:
        rendered = _rendered(formats.SIMULATE, fmt, Simulated(results[0], analyses[0]))
    else:  # the same --format names, another family of results: two offices side by side
        pair = Comparison(
            results[0], results[1], analyses[0], analyses[1], org_file.name, compare.name
        )
        rendered = _rendered(formats.SIMULATE_PAIR, fmt, pair)
    _emit(rendered, output, [org_file] + ([compare] if compare else []))


class By(StrEnum):
    customer = "customer"
    region = "region"


@_command()
def propose(
    org_file: Annotated[Path, typer.Argument(metavar="ORG.yaml", help="The org file.")],
    by: Annotated[By, typer.Option(help="One person per customer, or people per area.")] = (
        By.customer
    ),
    pods: Annotated[
        int | None, typer.Option(min=2, help="Teams of N people sharing one pool.")
    ] = None,
    backups: Annotated[int, typer.Option(min=0, max=5, help="Backups per primary.")] = 1,
    keep_specialists: Annotated[
        bool,
        typer.Option(help="People holding specialist desks keep only their specialist work."),
    ] = False,
    max_utilization: Annotated[
        float, typer.Option(min=0.05, max=1.0, help="The utilization not to exceed.")
    ] = 0.85,
    learning_pace: Annotated[
        float, typer.Option(min=1.0, max=5.0, help="Effort factor for work in a new skill.")
    ] = 1.25,
    method: Annotated[
        str, typer.Option(help="auto, exact (HiGHS) or greedy (longest first + local search).")
    ] = "auto",
    priorities: Annotated[
        str,
        typer.Option(
            help="The objectives in the order they are solved, comma-separated: utilization "
            "(the highest), spread (evening out the others), continuity (customers keep "
            "their account owner)."
        ),
    ] = "utilization,spread,continuity",
    without: Annotated[
        list[str] | None,
        typer.Option(metavar="PERSON", help="A person who leaves (repeat for more)."),
    ] = None,
    keep: Annotated[
        list[str] | None,
        typer.Option(
            metavar="CUSTOMER=PERSON", help="A key account kept with a person (repeat for more)."
        ),
    ] = None,
    max_cover_utilization: Annotated[
        float | None,
        typer.Option(
            min=0.05,
            max=10.0,
            help="A backup's utilization not to exceed while covering their primary's whole "
            "load (default: twice --max-utilization).",
        ),
    ] = None,
    max_customers: Annotated[
        int | None, typer.Option(min=1, help="At most N customers per person (a pod: per member).")
    ] = None,
    no_learn: Annotated[
        list[str] | None,
        typer.Option(
            metavar="PERSON=ACTIVITY",
            help="A skill someone will not learn: no work in that activity for them unless "
            "they hold its skill (repeat for more).",
        ),
    ] = None,
    scenarios: Annotated[
        bool,
        typer.Option(
            help="Compare plans instead: by customer, by region, pods, one person more and one "
            "less, side by side."
        ),
    ] = False,
    training_weeks: Annotated[
        float,
        typer.Option(
            min=0.0, max=52.0, help="Weeks a new skill takes to learn (a migration wave's length)."
        ),
    ] = 4.0,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the proposed org file here.")
    ] = None,
    fmt: Annotated[
        ProposeFormat, typer.Option("--format", "-f", help=choices_help(formats.PROPOSE))
    ] = PROPOSE_TEXT,
    simulate: Annotated[
        bool, typer.Option(help="Add the simulated lead time (10 runs of 52 weeks).")
    ] = False,
    seed: Annotated[int, typer.Option(help="Seed of the simulation.")] = 1,
    report_file: Annotated[
        Path | None,
        typer.Option("--report", help="Also write the before/after HTML report here."),
    ] = None,
) -> None:
    """Propose a parallel organisation: one person A to Z per customer, with backups."""
    # Over 80 lines: most are the options' declarations (typer reads them from the
    # signature); the body checks them, runs the proposal and writes what was asked.
    from orgflow.propose.plan import ProposeOptions
    from orgflow.propose.plan import propose as run_proposal
    from orgflow.propose.writer import proposal_yaml
    from orgflow.render.propose import ProposalReport
    from orgflow.simulate.scenarios import mean_lead_times, report_simulations

    if method not in ("auto", "exact", "greedy"):
        raise _fail(["orgflow propose: --method is auto, exact or greedy"])
    from orgflow.propose.balance import PRIORITIES

    order = tuple(x.strip() for x in priorities.split(",") if x.strip())
    if not order or len(set(order)) < len(order) or not set(order) <= set(PRIORITIES):
        raise _fail(
            [
                "orgflow propose: --priorities is an order of utilization, spread and "
                f"continuity, comma-separated, each at most once (got '{priorities}')"
            ]
        )
    pins = [k.split("=", 1) for k in keep or []]
    if any(len(p) != 2 or not p[0].strip() or not p[1].strip() for p in pins):
        raise _fail(["orgflow propose: --keep is CUSTOMER=PERSON (e.g. --keep rossi=giulia)"])
    refusals = [k.split("=", 1) for k in no_learn or []]
    if any(len(r) != 2 or not r[0].strip() or not r[1].strip() for r in refusals):
        raise _fail(
            ["orgflow propose: --no-learn is PERSON=ACTIVITY (e.g. --no-learn marco=invoicing)"]
        )
    org = _load(org_file)
    options = ProposeOptions(
        by=by.value,
        pods=pods,
        backups=backups,
        keep_specialists=keep_specialists,
        max_utilization=max_utilization,
        learning_pace=learning_pace,
        method=method,
        priorities=order,
        without=tuple(without or []),
        keep=tuple((c.strip(), p.strip()) for c, p in pins),
        max_cover_utilization=max_cover_utilization,
        max_customers=max_customers,
        no_learn=tuple((q.strip(), a.strip()) for q, a in refusals),
        training_weeks=training_weeks,
    )
    if scenarios:
        if output is not None or report_file is not None or simulate:
            raise _fail(
                [
                    "orgflow propose: --scenarios compares plans and writes none; run without "
                    "it for -o, --report or --simulate"
                ]
            )
        from orgflow.propose.whatif import what_if

        _emit(_rendered(formats.PROPOSE_SCENARIOS, fmt, what_if(org, options)), None, [org_file])
        return
    proposal = run_proposal(org, options)
    written = str(output) if output else None
    if output is not None:
        _emit(proposal_yaml(proposal), output, [org_file])
    simulated = None
    if simulate:
        orgs = [org, proposal.office_learning, proposal.office]
        simulated = _simulating(lambda p: mean_lead_times(orgs, seed, p), sys.stderr.isatty())
    if report_file is not None:
        from orgflow.render.html import proposal_page

        sims = None
        if simulate:
            pair = [org, proposal.office]
            sims = _simulating(lambda p: report_simulations(pair, seed, p), sys.stderr.isatty())
        _emit(proposal_page(proposal, str(org_file), written, sims), report_file, [org_file])
    report = ProposalReport(proposal, written, simulated)
    _emit(_rendered(formats.PROPOSE, fmt, report), None, [org_file])


@_command()
def compare(
    first: Annotated[Path, typer.Argument(metavar="A.yaml", help="The first org file.")],
    second: Annotated[Path, typer.Argument(metavar="B.yaml", help="The second org file.")],
    simulate: Annotated[
        bool, typer.Option(help="Add the simulated lead time (10 runs of 52 weeks).")
    ] = False,
    seed: Annotated[int, typer.Option(help="Seed of the simulation.")] = 1,
    fmt: Annotated[
        CompareFormat, typer.Option("--format", "-f", help=choices_help(formats.COMPARE))
    ] = COMPARE_TEXT,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the table here instead.")
    ] = None,
) -> None:
    """The before/after table of `orgflow propose` for any two org files."""
    from orgflow.analysis.compare import comparison_rows
    from orgflow.analysis.summary import analyze as run_analysis
    from orgflow.render.compare import SideBySide
    from orgflow.simulate.scenarios import mean_lead_times

    orgs = [_load(first), _load(second)]
    analyses = [run_analysis(o) for o in orgs]
    simulated = None
    if simulate:
        simulated = _simulating(lambda p: mean_lead_times(orgs, seed, p), sys.stderr.isatty())
    rows = comparison_rows(analyses, simulated=simulated)
    side = SideBySide((str(first), str(second)), (analyses[0], analyses[1]), rows)
    _emit(_rendered(formats.COMPARE, fmt, side), output, [first, second])


@_command()
def init(
    org_file: Annotated[
        Path, typer.Argument(metavar="FILE", help="The org file to create.")
    ] = Path("org.yaml"),
    name: Annotated[str, typer.Option(help="The office's name.")] = "My back office",
    ask: Annotated[
        bool | None,
        typer.Option(
            "--ask/--no-ask",
            help="Ask for the office's name, people and steps; default: on a terminal.",
        ),
    ] = None,
) -> None:
    """Write a commented starter org file: a small office in series, valid, ready to edit.

    On a terminal it asks a few questions first. Never writes over an existing file.
    """
    from orgflow.output import OutputError, note, write_atomic
    from orgflow.starter import custom_starter, starter

    if org_file.exists():
        raise _fail([f"orgflow init: {org_file} exists; orgflow never overwrites it"])
    if ask is None:
        ask = sys.stdin.isatty() and sys.stdout.isatty()
    if ask:
        office = typer.prompt("The office's name", default=name)
        people = typer.prompt("Who works there (comma-separated)", default="anna, ben, chiara")
        steps = typer.prompt(
            "The steps of a request, in order (comma-separated)",
            default="intake, quotation, order_entry",
        )
        text = custom_starter(str(org_file), office, people, steps)
    else:
        text = starter(str(org_file), name)
    try:
        write_atomic(org_file, text)
    except (OutputError, OSError) as exc:
        raise _fail([f"orgflow init: cannot write {org_file}: {exc}"]) from None
    note(f"wrote {org_file}: a small office in series; next: orgflow analyze {org_file}")


@_command()
def diagram(
    org_file: Annotated[Path, typer.Argument(metavar="ORG.yaml", help="The org file.")],
    process: Annotated[
        str | None, typer.Option(help="The process to draw; default: the first.")
    ] = None,
    route: Annotated[
        int | None, typer.Option(min=1, help="The route number; default: the busiest route.")
    ] = None,
    fmt: Annotated[
        DiagramFormat,
        typer.Option(
            "--format",
            "-f",
            help=choices_help(formats.DIAGRAM),
        ),
    ] = MERMAID,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the diagram here instead.")
    ] = None,
) -> None:
    """Draw a route as swimlanes: one lane per desk, handoffs as arrows between lanes."""
    from orgflow.analysis.summary import analyze as run_analysis
    from orgflow.diagram import DiagramError, swimlane

    org = _load(org_file)
    try:
        lanes = swimlane(run_analysis(org), process=process, route=route)
    except DiagramError as exc:
        raise _fail([f"orgflow diagram: {exc}"]) from None
    _emit(_rendered(formats.DIAGRAM, fmt, lanes, command="diagram"), output, [org_file])


@_command()
def report(
    org_file: Annotated[Path, typer.Argument(metavar="ORG.yaml", help="The org file.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write.")],
    compare: Annotated[
        Path | None, typer.Option(help="Another org file, shown side by side (before/after).")
    ] = None,
    simulate: Annotated[
        bool, typer.Option(help="Add the simulated lead-time distribution (10 runs of 52 weeks).")
    ] = False,
    seed: Annotated[int, typer.Option(help="Seed of the simulation.")] = 1,
) -> None:
    """Write one self-contained HTML report (inline CSS and SVG) to mail around."""
    from orgflow.analysis.summary import analyze as run_analysis
    from orgflow.render.html import report_page
    from orgflow.simulate.scenarios import report_simulations

    paths = [org_file] + ([compare] if compare is not None else [])
    orgs = [_load(p) for p in paths]
    analyses = [run_analysis(o) for o in orgs]
    sims = None
    if simulate:
        sims = _simulating(lambda p: report_simulations(orgs, seed, p), sys.stderr.isatty())
    _emit(report_page(analyses, sims, [str(p) for p in paths]), output, paths)


@_command()
def check(
    files: Annotated[
        list[Path],
        typer.Argument(metavar="FILE", help="Org files, or folders to search for them."),
    ],
    policy: Annotated[
        Path | None,
        typer.Option(help="A policy file; its rules override the org files' own policy."),
    ] = None,
    fmt: Annotated[
        CheckFormat | None,
        typer.Option(
            "--format",
            "-f",
            help=choices_help(formats.CHECK),
        ),
    ] = None,
    strict: Annotated[bool, typer.Option(help="Warnings fail the check too.")] = False,
    exit_zero: Annotated[
        bool, typer.Option("--exit-zero", help="Always exit 0: report only.")
    ] = False,
    skip_other_yaml: Annotated[
        bool,
        typer.Option(
            "--skip-other-yaml",
            help="Skip given YAML files that are not org files (for pre-commit).",
        ),
    ] = False,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report here instead.")
    ] = None,
    jobs: Annotated[
        int | None, typer.Option(min=1, help="Processes for many files; default: every core.")
    ] = None,
    allow_empty: Annotated[
        bool,
        typer.Option("--allow-empty", help="Exit 0 when no org file is found (else exit 2)."),
    ] = False,
) -> None:
    """Check org files in CI: loader findings and policy rules, with file:line:column.

    Exit codes: 0 no error findings, 1 error findings (or warnings with --strict),
    2 unusable input or invocation, 3 internal error.
    """
    from orgflow import output as out

    if fmt is None:
        fmt = CheckFormat("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    report = _run_check(files, policy, jobs, skip_other_yaml)
    if not report.files and not allow_empty:
        from orgflow.check.runner import nothing_checked

        err, annotations = nothing_checked(files, github=fmt.value == "github")
        for line in annotations:
            typer.echo(line)
        raise _fail(err)
    color = output is None and out.use_color(sys.stdout)
    inputs = [p for p in files if str(p) != "-"] + ([policy] if policy else [])
    _emit(_rendered(formats.CHECK, fmt, report, color=color), output, inputs)
    raise typer.Exit(report.exit_code(strict=strict, exit_zero=exit_zero))


def _run_check(files: list[Path], policy: Path | None, jobs: int | None, skip: bool) -> Any:
    """The check of ``files`` (``-``: standard input, reported as ``<stdin>``; ``skip``: pass
    over given YAML files that are not org files), with a progress bar on a terminal."""
    import tempfile

    from orgflow import output as out
    from orgflow.check.runner import CheckOptions, CheckUsageError, looks_like_org, run_check

    with tempfile.TemporaryDirectory(prefix="orgflow-stdin-") as scratch:
        # ``-``: the org file on standard input, checked as a file named <stdin>.
        stdin_file = Path(scratch) / "stdin.yaml"
        if any(str(p) == "-" for p in files):
            stdin_file.write_text(sys.stdin.read(), encoding="utf-8")
        given = [stdin_file if str(p) == "-" else p for p in files]
        paths = tuple(p for p in given if not (skip and p.is_file() and not looks_like_org(p)))
        # On a terminal (stderr), not with -q: a bar once the files take more than a second.
        with out.Progress(sys.stderr.isatty(), "checking files") as progress:
            try:
                report = run_check(
                    CheckOptions(paths=paths, policy=policy, jobs=jobs),
                    lambda done, total: progress(done / total),
                )
            except CheckUsageError as exc:
                raise _fail(exc.lines) from None
    report.rename(str(stdin_file), "<stdin>")
    return report


@_command()
def schema(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the schema here instead.")
    ] = None,
) -> None:
    """Print the JSON Schema of the org file, for editors and CI."""
    from orgflow.schema import json_schema_text

    _emit(json_schema_text(), output, [])


# --- orgflow mine and orgflow fit: the options name the log's columns (orgflow/mine/) ------


# The options both commands take: the log, its columns, the days kept and where it is read.
_Logs = Annotated[
    list[Path] | None,
    typer.Argument(metavar="LOG...", help="Event logs: CSV, Parquet, XES or XES.gz."),
]
_Case = Annotated[str | None, typer.Option(metavar="COL", help="Request (case) id column.")]
_Activity = Annotated[str | None, typer.Option(metavar="COL", help="Activity column.")]
_Resource = Annotated[str | None, typer.Option(metavar="COL", help="Person column.")]
_Start = Annotated[str | None, typer.Option(metavar="COL", help="Start time column.")]
_End = Annotated[str | None, typer.Option(metavar="COL", help="End time column.")]
_Timestamp = Annotated[
    str | None,
    typer.Option(metavar="COL", help="The one time column (lifecycle or completion logs)."),
]
_TimestampFormat = Annotated[
    str | None,
    typer.Option(
        "--timestamp-format",
        metavar="FMT",
        help="Read every timestamp column with these strftime codes (e.g. '%m/%d/%Y %H:%M'): "
        "settles an ambiguous day/month order.",
    ),
]
_Lifecycle = Annotated[
    str | None, typer.Option(metavar="COL", help="Lifecycle transition column (start/complete).")
]
_Instance = Annotated[
    str | None, typer.Option(metavar="COL", help="Activity-instance id pairing lifecycle rows.")
]
_Customer = Annotated[str | None, typer.Option(metavar="COL", help="Customer column.")]
_Region = Annotated[str | None, typer.Option(metavar="COL", help="Region column.")]
_Since = Annotated[
    datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Only events from this day.")
]
_Until = Annotated[
    datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Only events to this day.")
]
_Backend = Annotated[
    str | None,
    typer.Option(metavar="URL", help="An Ibis backend URL (default: DuckDB in memory)."),
]
_Table = Annotated[str | None, typer.Option(metavar="NAME", help="Read this table of --backend.")]


@_command()
def mine(
    logs: _Logs = None,
    case: _Case = None,
    activity: _Activity = None,
    resource: _Resource = None,
    start: _Start = None,
    end: _End = None,
    timestamp: _Timestamp = None,
    timestamp_format: _TimestampFormat = None,
    lifecycle: _Lifecycle = None,
    instance: _Instance = None,
    customer: _Customer = None,
    region: _Region = None,
    since: _Since = None,
    until: _Until = None,
    backend: _Backend = None,
    table: _Table = None,
    paths: Annotated[
        int, typer.Option(min=0, help="Keep only the N most frequent variants (0: all).")
    ] = 0,
    name: Annotated[str | None, typer.Option(help="The office's name in the org file.")] = None,
    classes: Annotated[
        MineClasses,
        typer.Option(
            help="auto: mine a latent class of slow requests (by total extraneous wait) as a "
            "process of its own when the log has one; 1: one process."
        ),
    ] = MineClasses.auto,
    fmt: Annotated[
        MineFormat, typer.Option("--format", "-f", help=choices_help(formats.MINE))
    ] = MINE_TEXT,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the org file here. Without it the org file goes to stdout and the "
            "report to stderr; with --format json, stdout has one JSON document with the org "
            "file's text under 'org_yaml'.",
        ),
    ] = None,
) -> None:
    """Mine an event log into an org file, with the log's own figures."""
    from orgflow.mine import MineError
    from orgflow.mine.command import mine as run_mine
    from orgflow.mine.read import Columns

    columns = Columns(
        case,
        activity,
        resource,
        start,
        end,
        timestamp,
        lifecycle,
        instance,
        customer,
        region,
        timestamp_format=timestamp_format,
    )
    try:
        mined, org_text = run_mine(
            list(logs or []),
            columns,
            backend=backend,
            table=table,
            since=since.date() if since else None,
            until=until.date() if until else None,
            output=output,
            paths=paths,
            name=name,
            classes=classes.value,
        )
    except MineError as exc:
        raise _fail_visibly(exc.lines) from None
    report = _rendered(formats.MINE, fmt, mined, command="mine")
    if output is not None:
        _emit(org_text, output, list(logs or []), "org file")
        _emit(report, None, [])
    elif fmt.value == "json":
        _emit(report, None, [])
    else:
        _emit(org_text, None, [])
        from orgflow import output as out

        if out.VERBOSITY >= 1:
            typer.echo(report, err=True, nl=False)


@_command()
def fit(
    org_file: Annotated[Path, typer.Argument(metavar="ORG.yaml", help="The org file.")],
    logs: _Logs = None,
    case: _Case = None,
    activity: _Activity = None,
    resource: _Resource = None,
    start: _Start = None,
    end: _End = None,
    timestamp: _Timestamp = None,
    timestamp_format: _TimestampFormat = None,
    lifecycle: _Lifecycle = None,
    instance: _Instance = None,
    customer: _Customer = None,
    region: _Region = None,
    since: _Since = None,
    until: _Until = None,
    backend: _Backend = None,
    table: _Table = None,
    weeks: Annotated[
        float | None,
        typer.Option(
            min=0.1,
            help="Weeks of arrivals simulated per run (default: the log's arrival window); "
            "the run then finishes the requests in hand.",
        ),
    ] = None,
    runs: Annotated[int, typer.Option(min=1, max=10000, help="Independent runs.")] = 10,
    seed: Annotated[int, typer.Option(help="Random seed: same seed, same numbers.")] = 1,
    fmt: Annotated[
        FitFormat, typer.Option("--format", "-f", help=choices_help(formats.FIT))
    ] = FIT_TEXT,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report here instead.")
    ] = None,
) -> None:
    """Hold an org file against an event log: observed, analytic and simulated figures."""
    from orgflow.mine import MineError
    from orgflow.mine.command import fit as run_fit
    from orgflow.mine.read import Columns

    org = _load(org_file)
    columns = Columns(
        case,
        activity,
        resource,
        start,
        end,
        timestamp,
        lifecycle,
        instance,
        customer,
        region,
        timestamp_format=timestamp_format,
    )
    try:
        fitted = run_fit(
            org,
            list(logs or []),
            columns,
            backend=backend,
            table=table,
            since=since.date() if since else None,
            until=until.date() if until else None,
            weeks=weeks,
            runs=runs,
            seed=seed,
        )
    except MineError as exc:
        raise _fail_visibly(exc.lines) from None
    _emit(_rendered(formats.FIT, fmt, fitted, command="fit"), output, [org_file, *(logs or [])])


def main() -> None:
    """Console entry point: a bug exits 3 with a short message, never a bare traceback."""
    # orgflow uses no pydantic plugin: their discovery (every installed distribution's entry
    # points, 10 ms to 20 ms of each command) is skipped unless the variable is set.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    # numpy's OpenBLAS starts a thread per core at import and sizes a buffer for each: 20 ms
    # to 50 ms of every command that imports numpy. orgflow's matrix products are small (a
    # queueing network's few nodes, a plan's customers by a few activities), where one
    # thread is as fast; a value the user set is kept.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    # At exit, before the interpreter's last collection: nothing is collected from then on.
    # It would otherwise collect, one by one, the cycles of every imported module (classes,
    # functions, pydantic's and typer's models) before the operating system takes the
    # memory back anyway: 0.05 s to 0.07 s of every command (README: Performance). Standard
    # output is still flushed, and the other exit handlers still run.
    atexit.register(gc.freeze)
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("orgflow: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:
        if os.environ.get("ORGFLOW_DEBUG"):
            raise
        typer.echo(
            f"orgflow: internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in orgflow. Please report it with the command you ran and, if you "
            "can, the org file; run again with ORGFLOW_DEBUG=1 to see the traceback.",
            err=True,
        )
        sys.exit(EXIT_INTERNAL)


if __name__ == "__main__":
    main()
