"""Make untrusted names (file names, paths, zip members) safe to print in any message."""

from __future__ import annotations

import re

# C0 and C1 control characters, DEL, line/paragraph separators, bidi overrides and marks
# (which can make a name display as something else) and lone surrogates (undecodable bytes
# in a file name, which would crash a UTF-8 print).
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape_controls(text: object) -> str:
    """The text with every control or bidi character shown as an escape ('\\n', '\\x1b')."""
    return _UNSAFE.sub(_escape, str(text))


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
