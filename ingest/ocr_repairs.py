"""The only rules by which cleaning may change the characters of a word.

Answers quote passages word for word, so cleaning (ingest/clean.py) keeps every word as the
source spells it, digits included, except by one of these OCR repairs:

1. Hyphenated line ends are joined: 'organi-' + 'satie' -> 'organisatie' (clean.join_lines).
   The hyphen stays in compounds ('mkb-' + 'bedrijven'), before a capital or a digit, after
   a number or abbreviation, and between equal vowels ('zee-' + 'egel').
2. Known OCR confusions seen in this corpus are repaired, whole words only (OCR_CONFUSIONS).
3. A footnote reference glued to a word ('gemaakt3.', 'gemaakt³') is removed only when the same
   page carries footnote 3 (strip_footnote_refs); otherwise the digits stay ('fase2',
   'Python3'). A word ending in the number of a footnote on its page is read as a reference.
4. Misread superscript markers that are not word characters ('Boost?>', 'netwerk®',
   '(2018)¢') are removed right after a word.
5. A lone 'e' or 'o' (like '«', '•', '*') starting a line is a misread bullet glyph: it becomes
   the list marker '- '.
6. Ligatures are spelled out ('ﬁ' -> 'fi'); soft hyphens and control characters are removed.

Apart from these, cleaning only drops whole lines of page furniture (lone page numbers, the
running header, OCR'd logos and signatures; a line with a digit in it only when it is a page
number), moves footnotes after the text and renders list markers. The property test
tests/unit/ingest/test_clean_words.py checks this on generated and on the real corpus text.
"""

from __future__ import annotations

import re

# Seen in the SER Overijssel OCR text (shared corpus-src and the PDF's text layer): 'ë' read as
# 'é', 'ij' as 'if' or 'jj', 'o' as '0'. Only unambiguous misspellings belong here; spellings a
# writer might choose (a missing diaeresis: 'continuiteit', 'geinspireerd') are left alone,
# and so are words that are wrong in the source itself.
OCR_CONFUSIONS: dict[str, str] = {
    "Overifssel": "Overijssel",
    "onafhankeljjke": "onafhankelijke",
    "ideeén": "ideeën",
    "hiérarchische": "hiërarchische",
    "technologieén": "technologieën",
    "essentiéle": "essentiële",
    "efficiénter": "efficiënter",
    "iseen": "is een",  # a lost space
    "waarvande": "waarvan de",
    "invioed": "invloed",  # 'l' read as 'i'
    "0.a.": "o.a.",
}

_SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
# A one- or two-digit number (plain or superscript) glued to a word of three or more
# lowercase letters, before a space, the end, or one punctuation mark.
_FOOTNOTE_REF = re.compile(
    r"(?<=[a-zà-ÿ]{3})([1-9][0-9]?|[¹²³⁴⁵⁶⁷⁸⁹][⁰¹²³⁴⁵⁶⁷⁸⁹]?)(?=[.,;:)]?(?:\s|$))"
)
_WORD_BEFORE = re.compile(r"[\w’'-]+$")
_NAME_WINDOW = 120
_NAME_BEFORE = re.compile(r"(?:[A-ZÀ-Ý][\w’'-]*\s+){0,2}[A-ZÀ-Ý][\w’'-]*$")


def _variants() -> dict[str, str]:
    variants = dict(OCR_CONFUSIONS)
    for wrong, right in OCR_CONFUSIONS.items():
        variants.setdefault(wrong[:1].upper() + wrong[1:], right[:1].upper() + right[1:])
    return variants


_CONFUSION_FIXES = _variants()
_CONFUSION = re.compile(
    r"(?<![\w.])("
    + "|".join(re.escape(w) for w in sorted(_CONFUSION_FIXES, key=len, reverse=True))
    + r")(?!\w)"
)


def repair_words(text: str) -> str:
    """Replace whole words listed in OCR_CONFUSIONS (also capitalised) by their spelling."""
    return _CONFUSION.sub(lambda m: _CONFUSION_FIXES[m.group()], text)


def strip_footnote_refs(text: str, footnotes: set[int]) -> str:
    """Remove numbers glued to words that refer to one of the page's footnotes."""
    if not footnotes:
        return text
    return _FOOTNOTE_REF.sub(
        lambda m: "" if footnote_number(m.group(1)) in footnotes else m.group(), text
    )


def footnote_refs(text: str, footnotes: set[int]) -> list[tuple[int, str]]:
    """(footnote number, the word it is glued to) for each reference to the page's notes."""
    refs = []
    for match in _FOOTNOTE_REF.finditer(text):
        number = footnote_number(match.group(1))
        word = word_before(text, match.start())
        if number in footnotes and word:
            refs.append((number, word))
    return refs


def word_before(text: str, end: int) -> str:
    """The word that ends at `end`, with the capitalised words before it when it is a
    name ('Impact Oost'); '' when none."""
    window = text[max(0, end - _NAME_WINDOW) : end]  # bounded: a page may hold many markers
    match = _NAME_BEFORE.search(window) or _WORD_BEFORE.search(window)
    return match.group().strip() if match else ""


def footnote_number(marker: str) -> int:
    """'3' or '³' -> 3."""
    return int(marker.translate(_SUPERSCRIPT_DIGITS))
