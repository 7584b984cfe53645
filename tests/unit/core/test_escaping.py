"""escape_controls: untrusted names can never break or forge a line of output."""

from __future__ import annotations

from assistant.core.errors import DocumentError
from assistant.core.escaping import escape_controls


def test_newline_and_terminal_escapes_become_visible():
    assert escape_controls("x\nMISLUKT: alles.pdf") == "x\\nMISLUKT: alles.pdf"
    assert escape_controls("\x1b[2Jwis.txt") == "\\x1b[2Jwis.txt"
    assert escape_controls("a\rb\tc\x00d\x7fe\x9bf") == "a\\rb\\tc\\x00d\\x7fe\\x9bf"


def test_bidi_overrides_and_undecodable_bytes_are_escaped():
    assert escape_controls("rapport\u202efdp.exe") == "rapport\\u202efdp.exe"
    name = b"caf\xe9.txt".decode("utf-8", "surrogateescape")  # how Linux hands us such a name
    assert escape_controls(name) == "caf\\udce9.txt"
    escape_controls(name).encode("utf-8")  # printable: no UnicodeEncodeError


def test_ordinary_names_are_unchanged_and_escaping_is_idempotent():
    for name in ("Briefadvies (2022) – één.pdf", "C:\\map\\bestand.txt", "ideeën.docx"):
        assert escape_controls(name) == name
    once = escape_controls("a\nb\x1b")
    assert escape_controls(once) == once


def test_document_error_message_is_escaped_but_keeps_the_raw_path():
    error = DocumentError("corpus/x\nMISLUKT: y.pdf", "kapot\x1b[0m")
    assert str(error) == "corpus/x\\nMISLUKT: y.pdf: kapot\\x1b[0m"
    assert error.path == "corpus/x\nMISLUKT: y.pdf"
