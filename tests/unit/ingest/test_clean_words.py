"""Cleaning keeps every word as the source spells it, digits included.

The property, on generated text (hypothesis) and on the real corpus text: every word token
(a run of word characters) of the input comes out of clean_text unchanged, and no other token
comes out, except where a rule documented in ingest/ocr_repairs.py applies:

- ligatures spelled out and OCR_CONFUSIONS repaired (applied to the input before comparing);
- a hyphenated line end joined ('organi-' + 'satie' -> 'organisatie');
- a number glued to a word dropped when the page carries that footnote ('gemaakt3');
- a lone 'e'/'o' bullet glyph at a line start dropped;
- 'Voetnoot' added before a footnote (with "bij ‘Name’", a copy of the word of the text
  that refers to it, when that is a name), list numbers rendered;
- (real text only) whole lines of page furniture dropped.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.clean import clean_text
from ingest.loaders import load_document
from ingest.ocr_repairs import OCR_CONFUSIONS, footnote_number, repair_words
from tests.conftest import CORPUS_DIR, SHARED_OCR

TOKEN = re.compile(r"\w+")
_REF = re.compile(r"^(.*[a-zà-ÿ]{3})([1-9][0-9]?|[¹²³⁴⁵⁶⁷⁸⁹][⁰¹²³⁴⁵⁶⁷⁸⁹]?)$")
_HYPHEN_BREAK = re.compile(r"(\w+)-[ \t]*\n\s*(\w+)")
_BULLET_LETTER = re.compile(r"^\s*([eo])\s+\S|[:;.]\s+([eo])\s*$", re.M)


def unexplained(raw: str, cleaned: str, *, furniture_may_go: bool = False) -> list[str]:
    """Tokens lost ('-x') or gained ('+x') by cleaning that no documented rule explains."""
    source = repair_words(_spell_out_ligatures(raw))
    labels = re.findall(r"^Voetnoot (\d+)(?: bij ‘([^’]+)’)?: ", cleaned, re.M)
    notes = [int(n) for n, _ in labels]
    missing = Counter(TOKEN.findall(source)) - Counter(TOKEN.findall(cleaned))
    extra = Counter(TOKEN.findall(cleaned)) - Counter(TOKEN.findall(source))
    extra["Voetnoot"] -= len(notes)
    for _, referent in labels:  # 'bij ‘Boost’': the label and a copy of a word of the text
        if referent and referent in source:
            extra -= Counter(["bij", *TOKEN.findall(referent)])
    for number in re.findall(r"^(\d{1,2})\. ", cleaned, re.M):  # rendered list numbers
        extra[number] -= 1 if extra[number] > 0 else 0
    for left, right in _HYPHEN_BREAK.findall(source):
        _consume(missing, extra, [left, right], left + right)
    for token in list(missing.elements()):
        ref = _REF.match(token)
        if ref and footnote_number(ref.group(2)) in notes:
            _consume(missing, extra, [token], ref.group(1))
    for match in _BULLET_LETTER.finditer(source):
        missing[match.group(1) or match.group(2)] -= 1
    if furniture_may_go:
        for line in source.splitlines():
            tokens = Counter(TOKEN.findall(line))
            if tokens and all(missing[t] >= n for t, n in tokens.items()):
                missing -= tokens
    return [f"-{t}" for t in (+missing).elements()] + [f"+{t}" for t in (+extra).elements()]


def _spell_out_ligatures(text: str) -> str:
    return "".join(
        unicodedata.normalize("NFKC", c) if "\ufb00" <= c <= "\ufb06" else c for c in text
    )


def _consume(missing: Counter, extra: Counter, lost: list[str], gained: str) -> None:
    if all(missing[t] > 0 for t in lost) and extra[gained] > 0:
        for t in lost:
            missing[t] -= 1
        extra[gained] -= 1


# --- the checker itself catches what it should ------------------------------------------------


def test_checker_flags_a_dropped_digit_and_accepts_the_documented_rules():
    assert unexplained("In fase2 en fase3.", "In fase en fase3.") == ["-fase2", "+fase"]
    assert unexplained("De organi-\nsatie.", "De organisatie.") == []
    assert unexplained("Gemaakt3.\n\n3 Zie site.", "Gemaakt3.\n\nVoetnoot 3: Zie site.") == []
    assert unexplained("Werd gemaakt3.\n\n3 Zie.", "Werd gemaakt.\n\nVoetnoot 3: Zie.") == []
    assert unexplained("Werd gemaakt3.", "Werd gemaakt.") == ["-gemaakt3", "+gemaakt"]
    assert unexplained("Lijst:\ne eerste punt;", "Lijst:\n\n- eerste punt;") == []
    assert unexplained("Tekst.\n3\n", "Tekst.", furniture_may_go=True) == []
    assert unexplained("Tekst.\n3\n", "Tekst.") == ["-3"]


# --- generated text ----------------------------------------------------------------------------

_WORDS = [
    "sociale", "innovatie", "medewerkers", "organisatie", "werkvloer", "betrokkenheid",
    "provincie", "subsidie", "leiderschap", "ideeën", "coördinator", "één", "écht", "mkb",
]  # fmt: skip
_DIGIT_WORDS = [
    "fase2", "fase3", "Python3", "mp3", "2022", "x86", "ARM64", "B1", "lvl10", "COVID-19",
    "3,5", "10%", "H2O", "m²", "km²", "12.000", "0900-1234", "2e", "v2.1", "01", "007",
    *OCR_CONFUSIONS.values(),
]  # fmt: skip
_word = st.one_of(
    st.sampled_from(_WORDS),
    st.sampled_from(_DIGIT_WORDS),
    st.from_regex(r"[a-zéëï]{1,9}[0-9]{1,3}", fullmatch=True),
    st.from_regex(r"[A-Z][a-z]{2,8}[0-9]{0,2}", fullmatch=True),
    st.from_regex(r"[0-9]{1,5}", fullmatch=True),
)
_punct = st.sampled_from(["", "", "", ",", ".", ";", ":", "?", ")"])


@st.composite
def _line(draw) -> str:
    words = [draw(st.sampled_from(_WORDS))]  # a real word: a line is never page furniture
    words += [w + draw(_punct) for w in draw(st.lists(_word, min_size=1, max_size=10))]
    marker = draw(st.sampled_from(["", "", "", "- ", "• ", "1. ", "2) "]))
    return marker + " ".join(words)


@st.composite
def _paragraph(draw) -> str:
    lines = draw(st.lists(_line(), min_size=1, max_size=4))
    if draw(st.booleans()):  # a footnote: '3 Zie ...' after a blank line
        lines = [f"{draw(st.integers(1, 12))} {draw(st.sampled_from(['Zie', 'Bron']))} {lines[0]}"]
    if len(lines) > 1 and draw(st.booleans()):  # a word broken over two lines with a hyphen
        cut = draw(st.integers(2, 8))
        lines[0] += " organisatie"[: cut + 1] + "-"
        lines[1] = "organisatie"[cut:] + " " + lines[1]
    return "\n".join(lines)


_page = st.lists(_paragraph(), min_size=1, max_size=5).map("\n\n".join)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_page)
def test_cleaning_keeps_every_word_of_generated_text(raw):
    assert unexplained(raw, clean_text(raw)) == [], clean_text(raw)


@given(st.text(alphabet=st.characters(codec="utf-8", categories=["L", "N", "P", "Z"])))
@settings(max_examples=200, deadline=None)
def test_cleaning_never_invents_or_changes_a_token_of_any_text(raw):
    lost_or_gained = unexplained(raw, clean_text(raw), furniture_may_go=True)
    assert not [t for t in lost_or_gained if t.startswith("+")], clean_text(raw)


# --- the real corpus ---------------------------------------------------------------------------

_OCR = sorted(SHARED_OCR.glob("*.ocr.txt"))
_PDFS = sorted(CORPUS_DIR.glob("*.pdf"))


@pytest.mark.skipif(not _OCR, reason="no OCR text in ../shared/corpus-src")
@pytest.mark.parametrize("path", _OCR, ids=lambda p: p.name)
def test_cleaning_keeps_every_word_of_the_real_ocr_text(path):
    raw = path.read_text(encoding="utf-8")
    cleaned = clean_text(raw)
    assert unexplained(raw, cleaned, furniture_may_go=True) == []
    assert "gemaakt3" not in cleaned and "concreet werd gemaakt." in cleaned  # footnote 3
    assert "Overijssel" in cleaned and "Overifssel" not in cleaned


@pytest.mark.parametrize("path", _PDFS, ids=lambda p: p.name)
def test_cleaning_keeps_every_word_of_the_real_pdf_pages(path):
    for page in load_document(path).pages:
        lost_or_gained = unexplained(page.text, clean_text(page.text), furniture_may_go=True)
        assert lost_or_gained == [], f"page {page.number}"
