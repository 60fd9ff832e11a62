"""YAML -> :class:`~orgflow.model.Org`: the only way in, with ``file:line:column`` for every error.

The file is read as bytes (size and encoding checked first), parsed into YAML events by libyaml
(or PyYAML's pure-Python parser), and composed here without recursion, so that nesting depth,
alias expansion and duplicate keys are bounded and reported. Every scalar is kept as the text
the user wrote: YAML 1.1 never turns ``no`` into ``False`` or ``2026-08-03`` into a date behind
the user's back; pydantic then reads numbers and booleans only where the format asks for them.
"""

from __future__ import annotations

import codecs
import os
import re
import sys
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from orgflow.diagnostics import Diagnostic, OrgFileError, sort_diagnostics
from orgflow.escape import value as shown
from orgflow.model import Org, split_problem
from orgflow.source import Path_, SourceMap, pack

if TYPE_CHECKING:
    from pydantic import BaseModel

#: Largest org file read. 10,000 people and 100,000 customers take about 15 MiB.
MAX_BYTES = 64 * 1024 * 1024
#: Deepest nesting of mappings and sequences; the format needs 6.
MAX_DEPTH = 64
#: Most YAML nodes after alias expansion; a 100,000-customer office has about 1 million.
MAX_NODES = 5_000_000

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_STD_TAG = "tag:yaml.org,2002:"
#: Path segment for the value of a repeated key (no YAML key can contain a NUL).
_DUPLICATE = "\x00duplicate"
#: Characters YAML does not allow in a stream (YAML 1.1 "printable"; also lone surrogates).
_NON_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
#: Keys and values up to this length are interned (kept once however often they occur).
_INTERN_UP_TO = 64
_SCALAR_TAGS = frozenset(
    _STD_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp", "binary")
)


class _Fatal(Exception):  # noqa: N818 (a private signal, not an error type users see)
    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


# --- bytes -> text -------------------------------------------------------------------------


#: The byte-order marks of the wide encodings, UTF-32 first (its little-endian mark begins with
#: UTF-16's), with the codec that reads them.
WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _decode(raw: bytes, file: str) -> str:
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    for bom, encoding in WIDE_BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError as exc:
                raise _Fatal(
                    Diagnostic(
                        file,
                        1,
                        1,
                        "error",
                        "encoding",
                        f"invalid {encoding}: {exc.reason}",
                        "save the file as UTF-8",
                    )
                ) from None
    nul = raw.find(b"\x00")
    if nul != -1:
        utf16 = _utf16_without_bom(raw)
        if utf16 is not None:
            raise _Fatal(
                Diagnostic(
                    file,
                    1,
                    1,
                    "error",
                    "encoding",
                    f"this file is UTF-16 ({utf16}) without a byte-order mark",
                    "save the file as UTF-8 (or as UTF-16 with a byte-order mark)",
                )
            )
        line, col = _byte_position(raw, nul)
        raise _Fatal(
            Diagnostic(
                file,
                line,
                col,
                "error",
                "binary",
                "this is a binary file, not a YAML org file (it contains a NUL byte)",
                "pass the org file written in YAML, saved as UTF-8",
            )
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _byte_position(raw, exc.start)
        raise _Fatal(
            Diagnostic(
                file,
                line,
                col,
                "error",
                "encoding",
                f"invalid UTF-8 (byte 0x{raw[exc.start]:02x})",
                "save the file as UTF-8; editors offer this under 'Save with encoding'",
            )
        ) from None


def _utf16_without_bom(raw: bytes) -> str | None:
    """``"little-endian"`` or ``"big-endian"`` when ``raw`` reads as UTF-16 text without a
    byte-order mark: mostly ASCII, so one byte of each pair is NUL and the other is not."""
    sample = raw[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    pairs = min(len(even), len(odd))
    for zeros, other, name in ((odd, even, "little-endian"), (even, odd, "big-endian")):
        if zeros.count(0) >= 0.9 * pairs and other.count(0) <= 0.01 * pairs:
            try:
                raw.decode("utf-16-le" if name == "little-endian" else "utf-16-be")
            except UnicodeDecodeError:
                return None
            return name
    return None


def _byte_position(raw: bytes, index: int) -> tuple[int, int]:
    line = raw.count(b"\n", 0, index) + 1
    start = raw.rfind(b"\n", 0, index) + 1
    column = len(raw[start:index].decode("utf-8", errors="replace")) + 1
    return line, column


# --- text -> plain data, with positions -------------------------------------------------------


@dataclass
class _Frame:
    kind: str  # "map" or "seq"
    value: Any
    path: Path_
    start_nodes: int
    anchor: str | None
    mark: tuple[int, int]
    key: str | None = None
    key_mark: tuple[int, int] | None = None
    have_key: bool = False
    merges: list[tuple[Any, tuple[int, int]]] = field(default_factory=list)
    seen: dict[str, tuple[int, int]] = field(default_factory=dict)
    positions: array[int] = field(default_factory=lambda: array("q"))  # a list's items


def _events(text: str) -> Iterator[Any]:
    import yaml

    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return iter(yaml.parse(text, Loader=loader_cls))


def compose(text: str, file: str) -> tuple[Any, SourceMap, list[Diagnostic]]:
    """Turn YAML text into plain dicts, lists and strings (``None`` for nulls) and a source map.

    Raises ``_Fatal`` for a file that cannot be read at all; returns recoverable problems
    (duplicate keys) as diagnostics.
    """
    # Over 80 lines on purpose: one loop over libyaml's events with the stack of open
    # mappings and sequences in local variables and closures; this is the hottest code of a
    # large load (millions of events), where a method call or an attribute per event costs
    # seconds (benchmarks/bench_analyze.py).
    import yaml

    smap = SourceMap(file)
    bad = _NON_PRINTABLE.search(text)
    if bad is not None:
        index = bad.start()
        line = text.count("\n", 0, index) + 1
        column = index - (text.rfind("\n", 0, index) + 1) + 1
        raise _Fatal(
            Diagnostic(
                file,
                line,
                column,
                "error",
                "yaml-syntax",
                f"character U+{ord(bad.group()):04X} is not allowed in YAML",
                "delete it: control characters often come from copy and paste",
            )
        )
    problems: list[Diagnostic] = []
    stack: list[_Frame] = []
    anchors: dict[str, tuple[Any, int]] = {}
    nodes = 0
    documents = 0
    root: Any = None

    def pos(mark: Any) -> tuple[int, int]:
        return (mark.line + 1, mark.column + 1)

    def fatal(mark: tuple[int, int], code: str, message: str, hint: str) -> _Fatal:
        return _Fatal(Diagnostic(file, mark[0], mark[1], "error", code, message, hint))

    def child_path() -> Path_:
        top = stack[-1]
        if top.kind == "seq":
            return (*top.path, len(top.value))
        if top.key in top.seen:
            # A repeated key's value is dropped: keep its positions off the first value's path.
            return (*top.path, _DUPLICATE)
        return (*top.path, top.key if top.key is not None else "")

    def attach(
        value: Any, mark: tuple[int, int], is_scalar: bool, known: Path_ | None = None
    ) -> None:
        nonlocal root
        if not stack:
            root = value
            smap.values[()] = pack(mark)
            return
        top = stack[-1]
        if top.kind == "seq":
            if len(top.positions) == len(top.value):  # (a list or mapping recorded its start)
                top.positions.append(pack(mark))
            top.value.append(value)
            return
        if not top.have_key:
            if not is_scalar:
                raise fatal(
                    mark,
                    "yaml-key",
                    "a mapping key must be a plain word, not a list or mapping",
                    "write the key as text, e.g. name:",
                )
            key = "" if value is None else str(value)
            if len(key) <= _INTERN_UP_TO:
                key = sys.intern(key)  # one object per distinct key, not per occurrence
            top.key, top.key_mark, top.have_key = key, mark, True
            return
        key = top.key or ""
        top.have_key = False
        if key == "<<":
            top.merges.append((value, mark))
            return
        if key in top.seen:
            first = top.seen[key]
            problems.append(
                Diagnostic(
                    file,
                    top.key_mark[0] if top.key_mark else mark[0],
                    top.key_mark[1] if top.key_mark else mark[1],
                    "error",
                    "duplicate-key",
                    f"duplicate key '{key}' (first given at line {first[0]})",
                    "remove one of them; YAML keeps only one value per key",
                )
            )
            return
        top.seen[key] = top.key_mark or mark
        if known is None:
            path = (*top.path, key)
            smap.values.setdefault(path, pack(mark))
        else:
            path = known  # the value's position is already recorded
        smap.keys[path] = pack(top.key_mark or mark)
        top.value[key] = value

    aliased = 0  # nodes added by aliases

    def count(n: int, mark: tuple[int, int]) -> None:
        nonlocal nodes
        nodes += n
        if nodes > MAX_NODES:
            if aliased > 0:
                raise fatal(
                    mark,
                    "yaml-size",
                    f"the file expands to more than {MAX_NODES:,} YAML nodes; aliases repeat "
                    f"their anchor's whole content ({aliased:,} of the nodes come from aliases)",
                    "write the content out or use fewer aliases; an alias bomb is refused",
                )
            raise fatal(
                mark,
                "yaml-size",
                f"the file has more than {MAX_NODES:,} YAML nodes (values, lists and mappings)",
                "split the office into several files: 100,000 customers take about 1 million",
            )

    scalar_event = yaml.ScalarEvent
    try:
        for event in _events(text):
            if type(event) is scalar_event:
                start: Any = event.start_mark
                mark = (start.line + 1, start.column + 1)
                nodes += 1
                if nodes > MAX_NODES:
                    count(0, mark)
                value = _scalar(event, file, mark)
                if event.anchor:
                    anchors[event.anchor] = (value, 1)
                top = stack[-1] if stack else None
                if top is not None and top.kind == "map" and top.have_key:
                    path = child_path()
                    smap.values[path] = pack(mark)
                    attach(value, mark, True, path if path[-1] is not _DUPLICATE else None)
                else:
                    attach(value, mark, True)
            elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                mark = pos(event.start_mark)
                _check_tag(
                    event.tag,
                    "map" if isinstance(event, yaml.MappingStartEvent) else "seq",
                    file,
                    mark,
                )
                if len(stack) >= MAX_DEPTH:
                    raise fatal(
                        mark,
                        "yaml-depth",
                        f"nesting deeper than {MAX_DEPTH} levels",
                        "an org file needs about 6 levels; flatten the structure",
                    )
                count(1, mark)
                if stack and stack[-1].kind == "map" and not stack[-1].have_key:
                    raise fatal(
                        mark,
                        "yaml-key",
                        "a mapping key must be a plain word, not a list or mapping",
                        "write the key as text, e.g. name:",
                    )
                path = child_path() if stack else ()
                if stack and stack[-1].kind == "seq":
                    stack[-1].positions.append(pack(mark))
                else:
                    smap.values[path] = pack(mark)
                is_map = isinstance(event, yaml.MappingStartEvent)
                stack.append(
                    _Frame(
                        "map" if is_map else "seq",
                        {} if is_map else [],
                        path,
                        nodes,
                        event.anchor,
                        mark,
                    )
                )
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                frame = stack.pop()
                if frame.kind == "seq":
                    smap.items[frame.path] = frame.positions
                if frame.kind == "map" and frame.merges:
                    _merge(frame, smap, file)
                if frame.anchor:
                    anchors[frame.anchor] = (frame.value, nodes - frame.start_nodes + 1)
                attach(frame.value, frame.mark, False)
            elif isinstance(event, yaml.AliasEvent):
                mark = pos(event.start_mark)
                if event.anchor not in anchors:
                    raise fatal(
                        mark,
                        "yaml-alias",
                        f"unknown alias *{event.anchor}",
                        f"define &{event.anchor} before using it",
                    )
                value, size = anchors[event.anchor]
                aliased += size
                count(size, mark)
                if stack and stack[-1].kind == "map" and stack[-1].have_key:
                    smap.values[child_path()] = pack(mark)
                attach(value, mark, not isinstance(value, dict | list))
            elif isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise fatal(
                        pos(event.start_mark),
                        "yaml-documents",
                        "more than one YAML document in the file",
                        "keep one org per file; remove the extra '---'",
                    )
    except yaml.MarkedYAMLError as exc:
        mark_obj = exc.problem_mark or exc.context_mark
        mark = pos(mark_obj) if mark_obj is not None else (1, 1)
        message = (exc.problem or exc.context or "invalid YAML").strip()
        if "maximum nesting depth" in message:  # libyaml's own limit, met before ours
            raise fatal(
                mark,
                "yaml-depth",
                f"nesting deeper than {MAX_DEPTH} levels",
                "an org file needs about 6 levels; flatten the structure",
            ) from None
        if exc.context and exc.problem:
            message = f"{message} ({exc.context.strip()})"
        message, hint = _syntax_in_user_terms(message, text, mark)
        raise fatal(mark, "yaml-syntax", message, hint) from None
    except yaml.YAMLError as exc:
        raise fatal((1, 1), "yaml-syntax", f"YAML error: {exc}", "check the file is YAML") from None
    return root, smap, problems


def _syntax_in_user_terms(parser: str, text: str, mark: tuple[int, int]) -> tuple[str, str]:
    """A YAML syntax error as a first-time user can act on it: what is wrong in their terms,
    the parser's own words after it (to search for), and the line in the hint."""
    lines = text.splitlines()
    line = lines[mark[0] - 1] if 0 < mark[0] <= len(lines) else ""
    shown = f"line {mark[0]} reads: {line.strip()[:60]!r}" if line.strip() else ""
    indent = line[: len(line) - len(line.lstrip())]
    if "\t" in indent or "'\\t'" in parser or ("cannot start any token" in parser and "\t" in line):
        return (
            f"a tab in the indentation (YAML: {parser})",
            "YAML indents with spaces only: replace the tab with spaces"
            + (f"; {shown}" if shown else ""),
        )
    if "mapping values are not allowed" in parser:
        return (
            f"a ':' where a value was expected: a text with ': ' in it, or a key indented "
            f"under a value (YAML: {parser})",
            "put quotes around a text that holds ': ' (name: \"Ann: the boss\"), or line the "
            "key up with the keys above it" + (f"; {shown}" if shown else ""),
        )
    if any(
        words in parser
        for words in ("expected '-' indicator", "expected key", "expected <block end>")
    ):
        return (
            f"bad indentation: this line does not line up with the lines above it (YAML: {parser})",
            "indent it with spaces exactly like the other keys of the same item (list items "
            "start with '- ')" + (f"; {shown}" if shown else ""),
        )
    return (
        f"YAML syntax error: {parser}",
        "check indentation, colons and quotes on this line and the one above"
        + (f"; {shown}" if shown else ""),
    )


def _scalar(event: Any, file: str, mark: tuple[int, int]) -> str | None:
    tag = event.tag
    if tag not in (None, "!") and tag not in _SCALAR_TAGS:
        raise _unsupported_tag(tag, file, mark)
    plain = event.implicit[0] and event.style in (None, "")
    if tag == _STD_TAG + "null" or (plain and tag is None and event.value in _NULLS):
        return None
    text = str(event.value)
    # Short values repeat (units, rates, regions, skills): one object each saves memory.
    return sys.intern(text) if len(text) <= _INTERN_UP_TO else text


def _check_tag(tag: str | None, kind: str, file: str, mark: tuple[int, int]) -> None:
    allowed = {None, "!", _STD_TAG + ("map" if kind == "map" else "seq")}
    if tag not in allowed:
        raise _unsupported_tag(tag, file, mark)


def _unsupported_tag(tag: str | None, file: str, mark: tuple[int, int]) -> _Fatal:
    return _Fatal(
        Diagnostic(
            file,
            mark[0],
            mark[1],
            "error",
            "yaml-tag",
            f"unsupported YAML tag {tag}",
            "remove the tag; orgflow reads plain values",
        )
    )


def _merge(frame: _Frame, smap: SourceMap, file: str) -> None:
    """YAML merge keys (``<<: *defaults``): keys written in the mapping win."""
    for value, mark in frame.merges:
        sources = value if isinstance(value, list) else [value]
        for source in sources:
            if not isinstance(source, dict):
                raise _Fatal(
                    Diagnostic(
                        file,
                        mark[0],
                        mark[1],
                        "error",
                        "yaml-merge",
                        "'<<' must merge a mapping or a list of mappings",
                        "write <<: *anchor where &anchor names a mapping",
                    )
                )
            for key, item in source.items():
                if key not in frame.value:
                    frame.value[key] = item
                    smap.values.setdefault((*frame.path, key), pack(mark))
                    smap.keys.setdefault((*frame.path, key), pack(mark))


# --- plain data -> Org ---------------------------------------------------------------------


def _all_field_names() -> list[str]:
    from pydantic import BaseModel

    from orgflow import model

    names: set[str] = set()
    for obj in vars(model).values():
        if isinstance(obj, type) and issubclass(obj, BaseModel) and obj is not BaseModel:
            for name, info in obj.model_fields.items():
                names.add(info.alias or name)
    return sorted(names)


def _resolve_loc(data: Any, loc: tuple[Any, ...]) -> Path_:
    """Follow a pydantic error location through the data, skipping union and tag names."""
    path: list[str | int] = []
    node = data
    for seg in loc:
        present = (isinstance(node, dict) and isinstance(seg, str) and seg in node) or (
            isinstance(node, list) and isinstance(seg, int) and 0 <= seg < len(node)
        )
        if present:
            node = node[seg]
            path.append(seg)
        elif isinstance(node, dict) and seg == "from_" and "from" in node:
            node = node["from"]
            path.append("from")
    return tuple(path)


def _describe(data: Any, path: Path_, prefix: Path_ = ()) -> str:
    """Name the item an error sits in: ``people[2] (giulia).capacity``."""
    parts: list[str] = []
    node: Any = data
    for seg in path:
        node = cast(Any, node)[seg] if isinstance(node, dict | list) else None
        if isinstance(seg, int):
            ident = node.get("id") if isinstance(node, dict) else None
            parts.append(f"[{seg}]" + (f" ({shown(ident)})" if isinstance(ident, str) else ""))
        else:
            parts.append(("." if parts else "") + shown(seg))
    named = "".join(parts)
    if prefix:
        head = ".".join(str(p) for p in prefix)
        return f"{head}.{named}" if named else head
    return named or "(top level)"


def validate(data: Any, smap: SourceMap) -> tuple[Org | None, list[Diagnostic]]:
    """Validate plain data against the format; every schema error becomes a diagnostic."""
    if not isinstance(data, dict):
        what = "empty" if data is None else f"a {type(data).__name__}"
        return None, [
            smap.diagnostic(
                (),
                f"the org file is {what}, not a mapping",
                code="schema",
                hint="start the file with 'version: 1'",
            )
        ]
    org, diagnostics = validate_model(Org, data, smap)
    if org is not None:
        org._source = smap
    return org, diagnostics


M = TypeVar("M", bound="BaseModel")


def validate_model(
    model: type[M], data: Any, smap: SourceMap, *, prefix: Path_ = ()
) -> tuple[M | None, list[Diagnostic]]:
    """Validate ``data`` (found at ``prefix`` in the file) against a pydantic model; every
    error becomes a diagnostic at its line and column."""
    from pydantic import ValidationError

    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        from orgflow.suggest import Suggestions

        names = Suggestions(_all_field_names())
        diagnostics: list[Diagnostic] = []
        seen: set[tuple[Path_, str]] = set()
        for err in exc.errors(include_url=False):
            loc = tuple(err["loc"])
            kind = err["type"]
            if kind == "extra_forbidden":
                path = _resolve_loc(data, loc)
                key = str(loc[-1])
                hint: str | None = (
                    names.hint(key) if len(key) <= 200 else None
                ) or "remove it; see README: file format"
                message = f"unknown key '{shown(key)}' in {_describe(data, path[:-1], prefix)}"
                diagnostics.append(
                    smap.diagnostic((*prefix, *path), message, code="schema", hint=hint, key=True)
                )
                continue
            path = _resolve_loc(data, loc)
            if kind == "missing":
                missing = str(loc[-1])
                message = f"{_describe(data, path, prefix)} is missing required key '{missing}'"
                hint = (
                    "add 'version: 1' as the first line of an org file"
                    if missing == "version" and not path
                    else f"add '{missing}: ...'"
                )
            else:
                raw = str(err["msg"]).removeprefix("Value error, ")
                msg, about, given_hint = split_problem(raw)
                node = _node(data, path)
                if about is not None and isinstance(node, dict) and about in node:
                    path = (*path, about)
                message = f"{_describe(data, path, prefix)}: {msg}"
                hint = given_hint or _hint_for(kind, loc, msg, err.get("input"))
            place = (path, f"missing:{loc[-1]}" if kind == "missing" else kind)
            if place in seen:
                continue
            seen.add(place)
            diagnostics.append(smap.diagnostic((*prefix, *path), message, code="schema", hint=hint))
        return None, _one_per_place(diagnostics)


def _node(data: Any, path: Path_) -> Any:
    node = data
    for seg in path:
        node = cast(Any, node)[seg]
    return node


def _one_per_place(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """A value that fits no branch of a union gets one error per branch; keep the first."""
    out: list[Diagnostic] = []
    places: set[tuple[int, int, str]] = set()
    for d in diagnostics:
        place = (d.line, d.column, d.message.split(":")[0])
        if place in places:
            continue
        places.add(place)
        out.append(d)
    return out


_BOUND_HINTS = {
    "availability": "availability is the share of working time a person is present, from 0.01 "
    "(1%) to 1; leave out someone who is never there",
    "hours_per_day": "the office day has from 1 to 24 working hours",
    "days_per_week": "the office week has from 1 to 7 working days",
    "stop": "stop is the share of the requests doing the step that end after it, from 0 to 1",
    "probability": "a probability is a share of the requests, from 0 to 1",
    "max": "max is the most loops back a rework makes, a whole number from 1 to 100",
    "cv": "the coefficient of variation of an effort goes from 0 to 10; for wilder efforts "
    "give a pert or uniform range",
}


def _hint_for(kind: str, loc: tuple[Any, ...], msg: str = "", given: Any = None) -> str | None:
    last = str(loc[-1]) if loc else ""
    if isinstance(given, str) and given.strip().endswith("%") and kind == "float_parsing":
        try:
            share = float(given.strip()[:-1]) / 100
        except ValueError:
            share = None
        if share is not None:
            return f"write a share as a number: {share:g} for {given.strip()}"
    if msg.startswith("the number in "):
        return (
            "change the unit or the period to bring the number into range (2w rather than "
            "80h, 20/day rather than 100/week); see README: Bounds of the format"
        )
    if "delay" in loc and "is not a duration" in msg:
        return "a delay is working time, 17h or 2d, or any effort form, e.g. {mean: 200h, cv: 1.4}"
    if msg.startswith("a date from "):
        return "check the year; see README: Bounds of the format"
    if "version" in loc[:1]:
        return "the only format version is 1: write 'version: 1'"
    if kind == "string_pattern_mismatch":
        return "ids use letters, digits, '.', '-' and '_' only"
    if kind == "string_too_long":
        return "ids have at most 200 characters; see README: Bounds of the format"
    if kind in ("float_parsing", "float_type", "int_parsing", "int_type"):
        return "write a plain number, e.g. 0.9"
    if kind in ("less_than_equal", "greater_than", "greater_than_equal", "less_than"):
        if "shares" in loc:
            return "a share is the part of the requests doing that alternative, from 0 to 1"
        return _BOUND_HINTS.get(last, "see README: Bounds of the format")
    if last == "pickup":
        return (
            "pickup is 'same' (the request's person continues; the default) or 'any' "
            "(every step back to the pool's queue)"
        )
    if kind == "union_tag_invalid":
        return "dist is one of: fixed, exponential, lognormal, pert, triangular, uniform"
    if kind in ("list_type", "too_short"):
        return f"write {last} as a list, e.g. [a, b]" if last else None
    if kind == "dict_type" or kind == "model_type" or kind == "model_attributes_type":
        return "write a mapping of key: value lines here"
    if kind == "date_from_datetime_parsing" or kind.startswith("date"):
        return "write dates as YYYY-MM-DD"
    if kind == "bool_parsing":
        return "write true or false"
    return None


# --- the whole way in ------------------------------------------------------------------------


def read_text(path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES) -> str:
    """Read an org file's text, refusing huge, binary and wrongly encoded files."""
    file = str(path)
    try:
        size = os.stat(path).st_size
        if size > max_bytes:
            raise _Fatal(
                Diagnostic(
                    file,
                    1,
                    1,
                    "error",
                    "too-large",
                    f"the file is {size / 2**20:.1f} MiB; orgflow reads org files "
                    f"up to {max_bytes / 2**20:.0f} MiB",
                    "is this the right file? split very large offices",
                )
            )
        with open(path, "rb") as fh:
            raw = fh.read(max_bytes + 1)
    except FileNotFoundError:
        raise _Fatal(
            Diagnostic(file, 1, 1, "error", "no-file", "no such file", "check the path")
        ) from None
    except IsADirectoryError:
        raise _Fatal(
            Diagnostic(
                file,
                1,
                1,
                "error",
                "no-file",
                "this is a directory, not a file",
                "pass the org file's path",
            )
        ) from None
    except OSError as exc:
        raise _Fatal(
            Diagnostic(
                file,
                1,
                1,
                "error",
                "no-file",
                f"cannot read the file: {exc.strerror}",
                "check the path and permissions",
            )
        ) from None
    if len(raw) > max_bytes:
        raise _Fatal(
            Diagnostic(
                file,
                1,
                1,
                "error",
                "too-large",
                f"the file is larger than {max_bytes / 2**20:.0f} MiB",
                "is this the right file?",
            )
        )
    return _decode(raw, file)


def load_text(text: str, file: str = "<string>") -> Org:
    """Load an org from YAML text; raises :class:`OrgFileError` with every problem found."""
    from orgflow.gc_pause import paused_gc

    with paused_gc():
        return _load_text(text, file)


def _load_text(text: str, file: str) -> Org:
    try:
        data, smap, problems = compose(text, file)
    except _Fatal as fatal:
        raise OrgFileError([fatal.diagnostic]) from None
    org, schema_problems = validate(data, smap)
    del data  # the plain data is not needed once validated: free it before the references
    problems += schema_problems
    if org is None:
        raise OrgFileError(problems)
    from orgflow.references import check_references
    from orgflow.route_checks import check_routes

    problems += check_routes(org, smap)
    problems += check_references(org, smap)
    if any(d.level == "error" for d in problems):
        raise OrgFileError(problems)
    smap.warnings = sort_diagnostics(problems)
    return org


def load(path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES) -> Org:
    """Load and check an org file.

    Raises :class:`~orgflow.diagnostics.OrgFileError` listing every error (YAML, schema and
    references) with ``file:line:column``; warnings are kept on ``org.source.warnings``.
    """
    try:
        text = read_text(path, max_bytes=max_bytes)
    except _Fatal as fatal:
        raise OrgFileError([fatal.diagnostic]) from None
    return load_text(text, str(Path(path)))
