"""Text from an org file, made safe for where orgflow shows it.

Every value a user wrote (names, keys, ids, file names) can hold control characters, line
separators or terminal escape sequences, and can be a megabyte long. :func:`visible` is the one
function that turns such a value into text that cannot forge a line or drive a terminal:
control characters, line and paragraph separators (U+2028, U+2029, U+0085) and the
bidirectional overrides are written as visible escapes (``\\n``, ``\\x1b``, ``\\u2028``), and a
long value is cut. The other functions build on it for each reader: Markdown, HTML (and SVG),
DOT and Mermaid. Diagnostics, findings and every renderer go through this module.
"""

from __future__ import annotations

import html as _html
import re

#: Longest user value shown inside a message (a 1 MB id is cut to this).
VALUE_LIMIT = 80
#: Longest message or hint of a diagnostic.
MESSAGE_LIMIT = 1000

# C0 and C1 controls and DEL, the Unicode line and paragraph separators, and the characters
# that reorder text on screen (bidi embeddings, overrides and isolates; "Trojan Source").
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_UNSAFE_KEEP_NEWLINE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _code(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    point = ord(char)
    return f"\\x{point:02x}" if point < 0x100 else f"\\u{point:04x}"


def cut(text: str, limit: int) -> str:
    """``text`` cut to about ``limit`` characters, saying how much was left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}…({len(text) - limit:,} more characters)"


def visible(text: object, limit: int | None = None) -> str:
    """One line of text a terminal shows as written: unsafe characters escaped, cut to
    ``limit`` characters (counted before escaping) when given.

    >>> visible("x\\nforged.yaml:1:1: error")
    'x\\\\nforged.yaml:1:1: error'
    >>> visible("\\x1b]0;pwned\\x07")
    '\\\\x1b]0;pwned\\\\x07'
    >>> visible("abcdef", limit=3)
    'abc…(3 more characters)'
    """
    value = str(text)
    if limit is not None:
        value = cut(value, limit)
    return _UNSAFE.sub(_code, value)


def value(text: object) -> str:
    """A user value inside a message: :func:`visible`, cut to :data:`VALUE_LIMIT`."""
    return visible(text, VALUE_LIMIT)


def visible_lines(text: str) -> str:
    """A whole report: its own line breaks kept, every other unsafe character escaped."""
    return _UNSAFE_KEEP_NEWLINE.sub(_code, text)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*\[\]<>|])")


def markdown(text: object) -> str:
    """Inline Markdown text (also inside a table cell): one line, every character Markdown
    or HTML would read as markup backslash-escaped, ``&`` as an entity.

    >>> markdown("*a* | <b> & [x](y)")
    '\\\\*a\\\\* \\\\| \\\\<b\\\\> &amp; \\\\[x\\\\](y)'
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", visible(text).replace("&", "&amp;"))


def html(text: object) -> str:
    """Text or attribute value for HTML and SVG: ``& < > " '`` escaped, one line."""
    return _html.escape(visible(text), quote=True)


def dot(text: object) -> str:
    """The inside of a DOT double-quoted string: one line, backslashes and quotes escaped
    (in a label a backslash starts an escape such as ``\\n``), ``&`` as an entity."""
    one_line = visible(" ".join(str(text).split()))
    return one_line.replace("&", "&amp;").replace("\\", "\\\\").replace('"', '\\"')


_MERMAID_CODES = {"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;", "`": "#96;"}
_MERMAID_SPECIAL = re.compile('[#"<>&`]')


def mermaid(text: object) -> str:
    """Text for a ``"quoted"`` Mermaid label or comment: one line, entity codes for every
    character Mermaid or its HTML labels would read as syntax."""
    one_line = visible(" ".join(str(text).split()))
    return _MERMAID_SPECIAL.sub(lambda m: _MERMAID_CODES[m.group()], one_line)


def rich(text: object) -> str:
    """Text for rich markup (panel titles, table cells given as strings): :func:`visible`,
    with ``[`` escaped so a name cannot open a style tag."""
    from rich.markup import escape as escape_markup

    return escape_markup(visible(text))


def json_text(text: str) -> str:
    """JSON from ``json.dumps(..., ensure_ascii=False)`` with U+2028 and U+2029 written as
    ``\\u2028`` and ``\\u2029`` (the same data; they only occur inside strings), so the
    document cannot break a line in a JavaScript or log reader."""
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
