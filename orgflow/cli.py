"""The ``orgflow`` command: options -> one core call -> renderer -> exit code. Wiring only."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from orgflow import __version__

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


class Color(StrEnum):
    auto = "auto"
    always = "always"
    never = "never"


class Format(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


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


def _load(path: Path) -> Any:
    """Load an org file (``-`` reads standard input); unusable input exits 2 with every
    problem on standard error, and the file's warnings go there too."""
    from orgflow.diagnostics import OrgFileError
    from orgflow.escape import visible
    from orgflow.loader import load, load_text
    from orgflow.output import detail, plural

    try:
        org = load_text(sys.stdin.read(), file="<stdin>") if str(path) == "-" else load(path)
    except OrgFileError as exc:
        errors = sum(1 for d in exc.diagnostics if d.level == "error")
        lines = [d.format() for d in exc.diagnostics]
        name = visible(str(path))
        lines.append(f"{name}: {plural(errors, 'error')}; the file cannot be analyzed")
        raise _fail(lines) from None
    detail(visible(f"loaded {path}"))
    if org.source is not None:
        _warn(org.source.warnings)
    return org


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
    from orgflow.output import OutputError, write_atomic

    if isinstance(rendered, (str, bytes)):
        text: str | bytes = rendered
        if output is None:
            if isinstance(text, bytes):
                sys.stdout.buffer.write(text)
                sys.stdout.buffer.flush()
            else:
                sys.stdout.write(text)
                sys.stdout.flush()
            return
    else:
        if output is None:
            import io

            buffer = io.StringIO()
            console: Any = out.console(file=buffer, like=sys.stdout)
            console.print(rendered)
            # Padding of rich's tables and wrapped text leaves trailing spaces: never print them.
            sys.stdout.write("\n".join(line.rstrip() for line in buffer.getvalue().split("\n")))
            sys.stdout.flush()
            return
        from rich.console import Console

        console = Console(
            width=80,
            record=True,
            file=open(os.devnull, "w"),  # noqa: SIM115
            color_system=None,
            force_terminal=False,
        )
        console.print(rendered)
        text = console.export_text()
        console.file.close()
    try:
        write_atomic(output, text, inputs)
    except (OutputError, OSError) as exc:
        raise _fail([visible(f"orgflow: cannot write {output}: {exc}")]) from None
    out.note(visible(f"wrote {output}") + (f" ({what})" if what else ""))


@_command()
def analyze(
    org_file: Annotated[Path, typer.Argument(metavar="ORG.yaml", help="The org file.")],
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help="text (a report), json or markdown.")
    ] = Format.text,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report here instead.")
    ] = None,
) -> None:
    """Find handoff chains, lead times, critical paths and single points of failure."""
    from orgflow.analysis.summary import analyze as run_analysis

    org = _load(org_file)
    result = run_analysis(org)
    if fmt is Format.json:
        from orgflow.render.json import render as render_json

        _emit(render_json(result), output, [org_file])
    elif fmt is Format.markdown:
        from orgflow.render.markdown import render as render_markdown

        _emit(render_markdown(result), output, [org_file])
    else:
        from orgflow.render.text import render as render_text

        _emit(render_text(result), output, [org_file])


def _simulated(org: Any, options: Any, progress: Any) -> Any:
    from orgflow.simulate.runner import simulate as run_simulation

    try:
        return run_simulation(org, options, progress=progress)
    except ValueError as exc:  # --engine flow on an office that sends work back
        raise _fail([f"orgflow: {exc}"]) from None


class _Progress:
    """A progress bar on the terminal, shown only once a run has taken more than a second."""

    def __init__(self, enabled: bool, label: str = "simulating") -> None:
        import time

        from orgflow import output

        self.enabled = enabled and output.VERBOSITY >= 1  # -q: no progress either
        self.label = label
        self.started = time.monotonic()
        self.bar: Any = None
        self.task: Any = None

    def __call__(self, fraction: float) -> None:
        if not self.enabled:
            return
        if self.bar is None:
            import time

            if time.monotonic() - self.started < 1.0:
                return
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TimeRemainingColumn

            self.bar = Progress(
                self.label,
                BarColumn(),
                "{task.percentage:>3.0f}%",
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self.bar.start()
            self.task = self.bar.add_task("simulate", total=1.0)
        self.bar.update(self.task, completed=fraction)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


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
        Format, typer.Option("--format", "-f", help="text (a report), json or markdown.")
    ] = Format.text,
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
    from orgflow.render import simulation as render
    from orgflow.simulate.runner import SimOptions

    org = _load(org_file)
    other = _load(compare) if compare is not None else None
    options = SimOptions(
        weeks=weeks,
        warmup=warmup,
        runs=runs,
        seed=seed,
        start=start.date() if start else None,
        engine=engine.value,
        jobs=jobs or os.cpu_count() or 1,
    )
    show = fmt is Format.text and output is None and sys.stderr.isatty() and sys.stdout.isatty()
    progress = _Progress(show)
    try:
        if other is None:
            result = _simulated(org, options, progress)
            analysis = run_analysis(org)
            rendered: Any = {
                Format.json: render.render_json,
                Format.markdown: render.render_markdown,
                Format.text: render.render_text,
            }[fmt](result, analysis)
        else:
            first = _simulated(org, options, lambda f: progress(f / 2))
            second = _simulated(other, options, lambda f: progress(0.5 + f / 2))
            comparison = render.Comparison(
                first,
                second,
                run_analysis(org),
                run_analysis(other),
                org_file.name,
                compare.name if compare else "B",
            )
            rendered = {
                Format.json: render.render_comparison_json,
                Format.markdown: render.render_comparison_markdown,
                Format.text: render.render_comparison_text,
            }[fmt](comparison)
    finally:
        progress.close()
    _emit(rendered, output, [org_file] + ([compare] if compare else []))


class By(StrEnum):
    customer = "customer"
    region = "region"


def _simulated_means(orgs: list[Any], seed: int) -> list[float | None]:
    """Mean simulated lead time of each org, on common random numbers (same seed)."""
    import datetime as dt

    from orgflow.simulate.runner import SimOptions

    options = SimOptions(seed=seed, start=dt.date.today())
    progress = _Progress(sys.stderr.isatty())
    try:
        return [
            _simulated(org, options, lambda f, i=i: progress((i + f) / len(orgs))).lead_time.mean
            for i, org in enumerate(orgs)
        ]
    finally:
        progress.close()


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
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the proposed org file here.")
    ] = None,
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help="text (a report), json or markdown.")
    ] = Format.text,
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
    from orgflow.propose.plan import ProposeOptions
    from orgflow.propose.plan import propose as run_proposal
    from orgflow.propose.writer import dump_org
    from orgflow.render import propose as render

    if method not in ("auto", "exact", "greedy"):
        raise _fail(["orgflow propose: --method is auto, exact or greedy"])
    org = _load(org_file)
    options = ProposeOptions(
        by=by.value,
        pods=pods,
        backups=backups,
        keep_specialists=keep_specialists,
        max_utilization=max_utilization,
        learning_pace=learning_pace,
        method=method,
    )
    proposal = run_proposal(org, options)
    if output is not None:
        header = [f"Proposed by orgflow propose --by {by.value} from {org_file.name}."]
        _emit(
            dump_org(proposal.org, header=header, new_skills=proposal.new_skills),
            output,
            [org_file],
        )
    simulated = (
        _simulated_means([org, proposal.org_learning, proposal.org], seed) if simulate else None
    )
    if report_file is not None:
        from orgflow.render.html import proposal_section
        from orgflow.render.propose import proposal_headline

        where = str(output) if output else "the proposal (not written: no -o)"
        _emit(
            _html_report(
                org_file,
                None,
                simulate,
                seed,
                orgs=[org, proposal.org],
                title=f"{proposal.before.org_name}: in parallel by {by.value}, proposed",
                labels=("today", f"proposed, by {by.value}"),
                files=[str(org_file), where],
                extra=proposal_section(proposal),
                headline_text=proposal_headline(proposal),
            ),
            report_file,
            [org_file],
        )
    out = str(output) if output else None
    rendered: Any = {
        Format.json: render.render_proposal_json,
        Format.markdown: render.render_proposal_markdown,
        Format.text: render.render_proposal_text,
    }[fmt](proposal, out, simulated)
    _emit(rendered, None, [org_file])


@_command()
def compare(
    first: Annotated[Path, typer.Argument(metavar="A.yaml", help="The first org file.")],
    second: Annotated[Path, typer.Argument(metavar="B.yaml", help="The second org file.")],
    simulate: Annotated[
        bool, typer.Option(help="Add the simulated lead time (10 runs of 52 weeks).")
    ] = False,
    seed: Annotated[int, typer.Option(help="Seed of the simulation.")] = 1,
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help="text (a table), json or markdown.")
    ] = Format.text,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the table here instead.")
    ] = None,
) -> None:
    """The before/after table of `orgflow propose` for any two org files."""
    from orgflow.analysis.compare import comparison_rows
    from orgflow.analysis.summary import analyze as run_analysis
    from orgflow.render import propose as render

    orgs = [_load(first), _load(second)]
    analyses = [run_analysis(o) for o in orgs]
    simulated = _simulated_means(orgs, seed) if simulate else None
    rows = comparison_rows(analyses, simulated=simulated)
    from orgflow.output import distinct_names
    from orgflow.render.headline import headline

    columns = distinct_names([str(first), str(second)])
    hpd = analyses[0].hours_per_day
    from orgflow import escape as esc

    top = headline(analyses[0], analyses[1], columns[1])
    rendered: Any
    if fmt is Format.json:
        import json

        from orgflow import __version__ as version

        rendered = (
            json.dumps(
                {
                    "orgflow_version": version,
                    "schema_version": 1,
                    "files": [str(first), str(second)],
                    "names": columns,
                    "headline": top,
                    "figures": render.rows_dict(rows, ["a", "b"]),
                },
                indent=2,
                ensure_ascii=False,
            )
            + "\n"
        )
    elif fmt is Format.markdown:
        from orgflow.render.markdown import diagram_section

        rendered = (
            "\n".join(
                [
                    f"# {esc.markdown(columns[0])} vs {esc.markdown(columns[1])}",
                    "",
                    f"**{esc.markdown(top)}**",
                    "",
                    *render.comparison_markdown(rows, columns, hpd),
                    *diagram_section(analyses[0], columns[0]),
                    *diagram_section(analyses[1], columns[1]),
                ]
            )
            + "\n"
        )
    else:
        from rich.console import Group
        from rich.text import Text

        rendered = Group(
            Text(esc.visible(top), style="bold"),
            render.comparison_table(rows, columns, hpd, "Side by side"),
        )
    _emit(rendered, output, [first, second])


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


class DiagramFormat(StrEnum):
    mermaid = "mermaid"
    dot = "dot"
    svg = "svg"
    png = "png"


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
            help="mermaid (GitHub Markdown), dot (Graphviz), svg (a picture; nothing to "
            "install) or png (through Graphviz, when installed).",
        ),
    ] = DiagramFormat.mermaid,
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
    if fmt is DiagramFormat.dot:
        from orgflow.render.dot import render as render_dot

        _emit(render_dot(lanes), output, [org_file])
    elif fmt is DiagramFormat.svg:
        from orgflow.render.svg import standalone_svg, swimlane_svg

        _emit(standalone_svg(swimlane_svg(lanes)), output, [org_file])
    elif fmt is DiagramFormat.png:
        _emit(_png(lanes), output, [org_file])
    else:
        from orgflow.render.mermaid import render as render_mermaid

        _emit(render_mermaid(lanes), output, [org_file])


def _png(lanes: Any) -> bytes:
    """The DOT drawing rendered by Graphviz's ``dot -Tpng`` (exit 2 when it is not installed)."""
    import shutil
    import subprocess

    from orgflow.render.dot import render as render_dot

    dot = shutil.which("dot")
    if dot is None:
        raise _fail(
            [
                "orgflow diagram: --format png needs Graphviz's `dot` on the PATH "
                "(apt-get install graphviz, brew install graphviz); --format svg needs nothing"
            ]
        )
    done = subprocess.run(
        [dot, "-Tpng"], input=render_dot(lanes).encode(), capture_output=True, check=False
    )
    if done.returncode != 0:
        raise _fail([f"orgflow diagram: Graphviz failed: {done.stderr.decode().strip()}"])
    return done.stdout


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
    _emit(
        _html_report(org_file, compare, simulate, seed),
        output,
        [org_file] + ([compare] if compare else []),
    )


def _html_report(
    org_file: Path,
    compare: Path | None,
    simulate: bool,
    seed: int,
    orgs: list[Any] | None = None,
    **page: Any,
) -> str:
    """The HTML report of one org file, or of two side by side."""
    import datetime as dt

    from orgflow.analysis.summary import analyze as run_analysis
    from orgflow.render.html import render as render_html
    from orgflow.render.html import simulate_for_report
    from orgflow.simulate.runner import SimOptions, SimulationTooLargeError

    if orgs is None:
        orgs = [_load(org_file)] + ([_load(compare)] if compare is not None else [])
    analyses = [run_analysis(o) for o in orgs]
    sims: list[Any] = [None] * len(orgs)
    if simulate:
        progress = _Progress(sys.stderr.isatty())
        try:
            sims = [
                simulate_for_report(
                    o,
                    SimOptions(seed=seed, start=dt.date.today()),
                    progress=lambda f, i=i: progress((i + f) / len(orgs)),
                )
                for i, o in enumerate(orgs)
            ]
        except SimulationTooLargeError as exc:
            raise _fail([f"orgflow: {exc}"]) from None
        finally:
            progress.close()
    if len(analyses) > 1 and "labels" not in page:
        from orgflow.output import distinct_names

        names = [x.org_name for x in analyses]
        if names[0] == names[1]:
            names = distinct_names([str(org_file), str(compare)])
        page["labels"] = (names[0], names[1])
    return render_html(
        analyses[0],
        analyses[1] if len(analyses) > 1 else None,
        simulation=sims[0],
        compare_simulation=sims[1] if len(sims) > 1 else None,
        **page,
    )


class CheckFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"


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
            help="text, json, github (workflow annotations; the default under GitHub "
            "Actions) or sarif (2.1.0, for code scanning).",
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
    from orgflow.check.runner import CheckOptions, CheckUsageError, looks_like_org, run_check
    from orgflow.render import check as render

    if fmt is None:
        fmt = CheckFormat.github if os.environ.get("GITHUB_ACTIONS") == "true" else CheckFormat.text
    import tempfile

    with tempfile.TemporaryDirectory(prefix="orgflow-stdin-") as scratch:
        # ``-``: the org file on standard input, checked as a file named <stdin>.
        stdin_file = Path(scratch) / "stdin.yaml"
        if any(str(p) == "-" for p in files):
            stdin_file.write_text(sys.stdin.read(), encoding="utf-8")
        given = [stdin_file if str(p) == "-" else p for p in files]
        paths = tuple(
            p for p in given if not (skip_other_yaml and p.is_file() and not looks_like_org(p))
        )
        # On a terminal (stderr), not with -q: a bar once the files take more than a second.
        progress = _Progress(sys.stderr.isatty(), "checking files")
        try:
            report = run_check(
                CheckOptions(paths=paths, policy=policy, jobs=jobs),
                lambda done, total: progress(done / total),
            )
        except CheckUsageError as exc:
            raise _fail(exc.lines) from None
        finally:
            progress.close()
    if stdin_file in given:
        from dataclasses import replace

        for result in report.files:
            if result.file == str(stdin_file):
                result.file = "<stdin>"
                result.findings = [replace(f, file="<stdin>") for f in result.findings]
    if not report.files and not allow_empty:
        from orgflow.check.runner import nothing_checked

        err, out = nothing_checked(files, github=fmt is CheckFormat.github)
        for line in out:
            typer.echo(line)
        raise _fail(err)
    renderer: Any = {
        CheckFormat.text: render.render_text,
        CheckFormat.json: render.render_json,
        CheckFormat.github: render.render_github,
        CheckFormat.sarif: render.render_sarif,
    }[fmt]
    from orgflow.output import use_color

    rendered = (
        render.render_text(report, color=output is None and use_color(sys.stdout))
        if fmt is CheckFormat.text
        else renderer(report)
    )
    inputs = [p for p in files if str(p) != "-"] + ([policy] if policy else [])
    _emit(rendered, output, inputs)
    raise typer.Exit(report.exit_code(strict=strict, exit_zero=exit_zero))


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


class MineFormat(StrEnum):
    text = "text"
    json = "json"


@_command()
def mine(
    logs: Annotated[
        list[Path] | None,
        typer.Argument(metavar="LOG...", help="Event logs: CSV, Parquet, XES or XES.gz."),
    ] = None,
    case: Annotated[
        str | None, typer.Option(metavar="COL", help="Request (case) id column.")
    ] = None,
    activity: Annotated[str | None, typer.Option(metavar="COL", help="Activity column.")] = None,
    resource: Annotated[str | None, typer.Option(metavar="COL", help="Person column.")] = None,
    start: Annotated[str | None, typer.Option(metavar="COL", help="Start time column.")] = None,
    end: Annotated[str | None, typer.Option(metavar="COL", help="End time column.")] = None,
    timestamp: Annotated[
        str | None,
        typer.Option(metavar="COL", help="The one time column (lifecycle or completion logs)."),
    ] = None,
    lifecycle: Annotated[
        str | None,
        typer.Option(metavar="COL", help="Lifecycle transition column (start/complete)."),
    ] = None,
    instance: Annotated[
        str | None, typer.Option(metavar="COL", help="Activity-instance id pairing lifecycle rows.")
    ] = None,
    customer: Annotated[str | None, typer.Option(metavar="COL", help="Customer column.")] = None,
    region: Annotated[str | None, typer.Option(metavar="COL", help="Region column.")] = None,
    since: Annotated[
        datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Only events from this day.")
    ] = None,
    until: Annotated[
        datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Only events to this day.")
    ] = None,
    backend: Annotated[
        str | None,
        typer.Option(metavar="URL", help="An Ibis backend URL (default: DuckDB in memory)."),
    ] = None,
    table: Annotated[
        str | None, typer.Option(metavar="NAME", help="Read this table of --backend.")
    ] = None,
    paths: Annotated[
        int, typer.Option(min=0, help="Keep only the N most frequent variants (0: all).")
    ] = 0,
    name: Annotated[str | None, typer.Option(help="The office's name in the org file.")] = None,
    fmt: Annotated[
        MineFormat, typer.Option("--format", "-f", help="text or json (the log's figures).")
    ] = MineFormat.text,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the org file here.")
    ] = None,
) -> None:
    """Mine an event log into an org file, with the log's own figures."""
    from orgflow.mine import MineError
    from orgflow.mine.command import mine as run_mine
    from orgflow.mine.read import Columns

    columns = Columns(
        case, activity, resource, start, end, timestamp, lifecycle, instance, customer, region
    )
    try:
        report, org_text = run_mine(
            list(logs or []),
            columns,
            backend=backend,
            table=table,
            since=since.date() if since else None,
            until=until.date() if until else None,
            output=output,
            fmt=fmt.value,
            paths=paths,
            name=name,
        )
    except MineError as exc:
        raise _fail(exc.lines) from None
    if output is not None:
        _emit(org_text, output, list(logs or []), "org file")
        _emit(report, None, [])
    elif fmt is MineFormat.json:
        _emit(report, None, [])
    else:
        _emit(org_text, None, [])
        from orgflow import output as out

        if out.VERBOSITY >= 1:
            typer.echo(report, err=True, nl=False)


@_command()
def fit(
    org_file: Annotated[Path, typer.Argument(metavar="ORG.yaml", help="The org file.")],
    logs: Annotated[
        list[Path] | None,
        typer.Argument(metavar="LOG...", help="Event logs: CSV, Parquet, XES or XES.gz."),
    ] = None,
    case: Annotated[
        str | None, typer.Option(metavar="COL", help="Request (case) id column.")
    ] = None,
    activity: Annotated[str | None, typer.Option(metavar="COL", help="Activity column.")] = None,
    resource: Annotated[str | None, typer.Option(metavar="COL", help="Person column.")] = None,
    start: Annotated[str | None, typer.Option(metavar="COL", help="Start time column.")] = None,
    end: Annotated[str | None, typer.Option(metavar="COL", help="End time column.")] = None,
    timestamp: Annotated[
        str | None,
        typer.Option(metavar="COL", help="The one time column (lifecycle or completion logs)."),
    ] = None,
    lifecycle: Annotated[
        str | None,
        typer.Option(metavar="COL", help="Lifecycle transition column (start/complete)."),
    ] = None,
    instance: Annotated[
        str | None, typer.Option(metavar="COL", help="Activity-instance id pairing lifecycle rows.")
    ] = None,
    customer: Annotated[str | None, typer.Option(metavar="COL", help="Customer column.")] = None,
    region: Annotated[str | None, typer.Option(metavar="COL", help="Region column.")] = None,
    since: Annotated[
        datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Only events from this day.")
    ] = None,
    until: Annotated[
        datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Only events to this day.")
    ] = None,
    backend: Annotated[
        str | None,
        typer.Option(metavar="URL", help="An Ibis backend URL (default: DuckDB in memory)."),
    ] = None,
    table: Annotated[
        str | None, typer.Option(metavar="NAME", help="Read this table of --backend.")
    ] = None,
    weeks: Annotated[float, typer.Option(min=0.1, help="Weeks simulated per run.")] = 52.0,
    runs: Annotated[int, typer.Option(min=1, max=10000, help="Independent runs.")] = 10,
    seed: Annotated[int, typer.Option(help="Random seed: same seed, same numbers.")] = 1,
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help="text (a report), json or markdown.")
    ] = Format.text,
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
        case, activity, resource, start, end, timestamp, lifecycle, instance, customer, region
    )
    try:
        report, _ = run_fit(
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
            fmt=fmt.value,
        )
    except MineError as exc:
        raise _fail(exc.lines) from None
    _emit(report, output, [org_file, *(logs or [])])


def main() -> None:
    """Console entry point: a bug exits 3 with a short message, never a bare traceback."""
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
