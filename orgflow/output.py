"""Writing results: atomically, and never over an input file."""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal


class OutputError(Exception):
    """The output cannot be written where the user asked."""


def write_atomic(
    path: str | os.PathLike[str], text: str | bytes, inputs: Iterable[str | os.PathLike[str]] = ()
) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder and a rename, so
    readers never see half a file; refuse to write over any of ``inputs``.

    Parameters
    ----------
    path : path
        The file to write.
    text : str or bytes
        The content (bytes: written as they are, e.g. a PNG).
    inputs : iterable of path
        The input files, never written over.
    """
    target = Path(path)
    for source in inputs:
        try:
            if target.exists() and target.resolve().samefile(Path(source).resolve()):
                raise OutputError(f"{target} is an input file; orgflow never overwrites its input")
        except FileNotFoundError:
            continue
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"no such folder: {folder}")
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    try:
        if isinstance(text, bytes):
            with os.fdopen(fd, "wb") as raw:
                raw.write(text)
                raw.flush()
                os.fsync(raw.fileno())
        else:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
        umask = os.umask(0o022)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def to_stdout(rendered: object) -> None:
    """Print what a renderer returned on standard output.

    Parameters
    ----------
    rendered : str, bytes or rich renderable
        Text and bytes go as they are; a renderable through :func:`console` (the terminal's
        colour and width, 80 columns off a terminal), without the trailing spaces of rich's
        padding.
    """
    import sys

    if isinstance(rendered, bytes):
        sys.stdout.buffer.write(rendered)
        sys.stdout.buffer.flush()
        return
    if isinstance(rendered, str):
        sys.stdout.write(rendered)
        sys.stdout.flush()
        return
    import io

    buffer = io.StringIO()
    screen: Any = console(file=buffer, like=sys.stdout)
    screen.print(rendered)
    # Padding of rich's tables and wrapped text leaves trailing spaces: never print them.
    sys.stdout.write("\n".join(line.rstrip() for line in buffer.getvalue().split("\n")))
    sys.stdout.flush()


def file_content(rendered: object) -> str | bytes:
    """What a renderer returned, as the content of a file (``--output``).

    Parameters
    ----------
    rendered : str, bytes or rich renderable
        Text and bytes are kept; a renderable becomes plain text, 80 columns wide, no colour.

    Returns
    -------
    str or bytes
        The content.
    """
    if isinstance(rendered, (str, bytes)):
        return rendered
    from rich.console import Console

    with open(os.devnull, "w") as devnull:
        screen = Console(
            width=80, record=True, file=devnull, color_system=None, force_terminal=False
        )
        screen.print(rendered)
        return screen.export_text()


# --- Terminal conventions: colour, verbosity and what goes to standard error -----------------

#: ``--color``: ``auto`` (a terminal, unless NO_COLOR; FORCE_COLOR forces it), ``always``,
#: ``never``.
COLOR = "auto"
#: ``-q`` lowers it to 0 (errors only), ``-v`` raises it to 2 (more detail on stderr).
VERBOSITY = 1


def use_color(stream: object) -> bool:
    """Whether to colour what goes to ``stream``: ``--color``, then NO_COLOR and FORCE_COLOR
    (https://no-color.org, https://force-color.org), then whether it is a terminal.

    Parameters
    ----------
    stream : file
        The stream written to.

    Returns
    -------
    bool
        Whether to colour.
    """
    if COLOR == "never":
        return False
    if COLOR == "always":
        return True
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def console(*, stderr: bool = False, file: object = None, like: object = None) -> object:
    """A rich console that follows ``--color``: plain text (no escape codes) when colour is
    off, and the terminal's width, or 80 columns off a terminal whatever COLUMNS says.
    ``like``: the stream that decides colour and width when ``file`` is a buffer.

    Parameters
    ----------
    stderr : bool
        A console for standard error.
    file : file, optional
        The stream to write to (a buffer).
    like : file, optional
        The stream that decides colour and width when ``file`` is a buffer.

    Returns
    -------
    rich Console
        The console.
    """
    import shutil
    import sys

    from rich.console import Console

    stream = file or (sys.stderr if stderr else sys.stdout)
    judge = like or stream
    color = use_color(judge)
    isatty = getattr(judge, "isatty", None)
    terminal = bool(isatty and isatty())
    return Console(
        file=stream,  # type: ignore[arg-type]
        width=shutil.get_terminal_size().columns if terminal else 80,
        force_terminal=color,
        no_color=not color,
        color_system="auto" if color else None,
        highlight=False,
        soft_wrap=False,
    )


_STYLES = {"red": "31", "yellow": "33", "green": "32", "bold": "1", "dim": "2"}


def paint(text: str, style: str, color: bool) -> str:
    """``text`` in ANSI ``style`` (words of ``_STYLES``) when ``color``, else as is.

    Parameters
    ----------
    text : str
        The text.
    style : str
        Words of the styles: red, yellow, green, bold, dim.
    color : bool
        Whether to write ANSI colour codes.

    Returns
    -------
    str
        The text, with the codes around it when ``color``.
    """
    if not color or not style:
        return text
    codes = ";".join(_STYLES[s] for s in style.split())
    return f"\x1b[{codes}m{text}\x1b[0m"


def plural(n: int, word: str, plural_word: str | None = None) -> str:
    """``1 error``, ``2 errors``, ``0 files``; ``plural_word`` for irregular ones.

    Parameters
    ----------
    n : int
        The count.
    word : str
        The word for one.
    plural_word : str, optional
        The word for several, when it is not ``word`` + s.

    Returns
    -------
    str
        The count and the word.
    """
    return f"{n} {word if n == 1 else plural_word or word + 's'}"


def names_list(names: Sequence[str], shown: int | None = None) -> str:
    """``a, b and c``; with ``shown``, at most that many names then ``and 5 more``.

    Parameters
    ----------
    names : sequence of str
        The names, in order.
    shown : int, optional
        The most names written out.

    Returns
    -------
    str
        The names as one phrase.

    Examples
    --------
    >>> names_list(["a", "b", "c"]), names_list(["a", "b", "c", "d", "e"], shown=3)
    ('a, b and c', 'a, b, c and 2 more')
    >>> names_list([])
    ''
    """
    if shown is not None and len(names) > shown:
        return ", ".join(names[:shown]) + f" and {len(names) - shown} more"
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


class Progress:
    """A progress bar on standard error, shown only once the work has taken more than a second,
    and never with ``-q``. Call it with the share done (0 to 1); close it when done (or use it
    as a context manager).

    Parameters
    ----------
    enabled : bool
        Whether a bar may be shown at all (usually: standard error is a terminal).
    label : str
        The words before the bar.
    """

    def __init__(self, enabled: bool, label: str = "simulating") -> None:
        import time

        self.enabled = enabled and VERBOSITY >= 1  # -q: no progress either
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
            from rich.progress import BarColumn, TimeRemainingColumn
            from rich.progress import Progress as Bar

            self.bar = Bar(
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
        """Take the bar off the terminal (if it was shown)."""
        if self.bar is not None:
            self.bar.stop()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def note(message: str) -> None:
    """A one-line note on standard error (``wrote report.html``), unless ``-q``.

    Parameters
    ----------
    message : str
        The line.
    """
    import sys

    if VERBOSITY >= 1:
        sys.stderr.write(message + "\n")
        sys.stderr.flush()


def detail(message: str) -> None:
    """A detail shown on standard error only with ``-v``.

    Parameters
    ----------
    message : str
        The line.
    """
    import sys

    if VERBOSITY >= 2:
        sys.stderr.write(message + "\n")
        sys.stderr.flush()


def distinct_names(paths: list[str]) -> list[str]:
    """Short names that tell files apart: their file names, or as many of their last path parts
    as it takes (``a/org.yaml`` and ``b/org.yaml``; ``org.yaml (2)`` for the same path twice).

    Parameters
    ----------
    paths : list of str
        The files' paths as given.

    Returns
    -------
    list of str
        One name per path, in order.
    """
    parts = [Path(p).parts or (str(p),) for p in paths]
    depth = 1
    while True:
        names = ["/".join(x[-depth:]) for x in parts]
        if len(set(names)) == len(names) or depth >= max(len(x) for x in parts):
            break
        depth += 1
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


# --- Working time for people to read ------------------------------------------------------------

#: The styles of :func:`working_time`.
TimeStyle = Literal["report", "short", "words", "finding", "hours", "days", "day count"]


def working_time(hours: float, hours_per_day: float, style: TimeStyle = "report") -> str:
    """A working time in hours, written for people: the one way orgflow writes hours and days.

    Parameters
    ----------
    hours : float
        The time in working hours; ``inf`` is written ``unbounded`` in every style.
    hours_per_day : float
        The office's working hours per day (a working day).
    style : str
        ``report`` (tables and reports): ``3.2 h`` under a day, ``12.5 h (1.6 d)`` from a day;
        ``short`` (diagram boxes): ``3.2 h`` under a day, ``1.3 d`` from a day;
        ``words`` (sentences): ``5.2 hours``, ``1.0 working day``, ``8.3 working days``;
        ``finding`` (check findings): ``12.5 h (1.6 working days)`` whatever the length;
        ``hours``, ``days``: ``12.5 h``, ``1.6 d`` whatever the length;
        ``day count`` (a column headed in days): ``1.6``.

    Returns
    -------
    str
        The time as text.

    Examples
    --------
    >>> [working_time(3.25, 8), working_time(12.5, 8), working_time(float("inf"), 8)]
    ['3.2 h', '12.5 h (1.6 d)', 'unbounded']
    >>> working_time(3.25, 8, "short"), working_time(10.48, 8, "short")
    ('3.2 h', '1.3 d')
    >>> [working_time(h, 8, "words") for h in (1.0, 5.25, 8, 66.2)]
    ['1.0 hour', '5.2 hours', '1.0 working day', '8.3 working days']
    >>> working_time(5, 8, "finding"), working_time(12.5, 8, "day count")
    ('5.0 h (0.6 working days)', '1.6')
    """
    if not math.isfinite(hours):
        return "unbounded"
    days = hours / hours_per_day
    if style == "words":
        if hours >= hours_per_day:
            return f"{days:.1f} working day{'' if f'{days:.1f}' == '1.0' else 's'}"
        return f"{hours:.1f} hour{'' if f'{hours:.1f}' == '1.0' else 's'}"
    if style == "finding":
        return f"{hours:.1f} h ({days:.1f} working days)"
    if style == "day count":
        return f"{days:.1f}"
    if style == "days" or (style == "short" and hours >= hours_per_day):
        return f"{days:.1f} d"
    if style == "report" and hours >= hours_per_day:
        return f"{hours:.1f} h ({days:.1f} d)"
    return f"{hours:.1f} h"
