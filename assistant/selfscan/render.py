"""The scan result as Markdown (UI preview, .md download) and the parts the Word file shares."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answering.types import Citation
from assistant.briefing.render import with_citation
from assistant.selfscan.templates import ScanTemplates
from assistant.selfscan.types import CitedText, ScanResult

_MD_SPECIAL = re.compile(r"([\\`*_<>])")


def source_line(citation: Citation, templates: ScanTemplates) -> str:
    """'[1] Title, pagina 8-9 · Section' for the source list."""
    section = " ".join(citation.section.split())
    where = templates.text("bron_sectie", sectie=section) if section else ""
    line = templates.text("bron_regel", titel=citation.title, paginas=citation.page)
    return f"[{citation.n}] {line} {where}".rstrip()


def cited(item: CitedText) -> str:
    """The quote in Dutch quotation marks, followed by its markers."""
    return with_citation(f"“{item.text}”", item.citations)


@dataclass(frozen=True)
class LeverPart:
    """What the result says about one lever, for the renderers."""

    id: str
    descriptions: list[CitedText]
    tips: list[CitedText]
    description_note: str  # '' or why there is no description
    tips_note: str  # '' or why there are no (lever-specific) tips


def lever_parts(result: ScanResult) -> list[LeverPart]:
    """Per lever, in the file's order: descriptions, tips and the notes about what is missing."""
    parts = []
    for lever in result.levers:
        notes = {n.kind: n.text for n in result.notes if n.lever == lever.id}
        parts.append(
            LeverPart(
                lever.id,
                [d for d in result.descriptions if d.lever == lever.id],
                [t for t in result.tips if t.lever == lever.id],
                notes.get("uitleg", ""),
                notes.get("tips") or notes.get("tips_algemeen", ""),
            )
        )
    return parts


def score_line(result: ScanResult, lever_id: str, templates: ScanTemplates) -> str:
    """'Dynamisch managen: 75 van 100, goed op weg'."""
    lever = result.lever(lever_id)
    return templates.text("score_regel", naam=lever.name, score=lever.score, woorden=lever.words)


def answer_rows(result: ScanResult, templates: ScanTemplates) -> list[tuple[str, str]]:
    """(statement, chosen answer in words) for every statement, in file order."""
    scale = templates.scale
    return [
        (templates.statements[sid].tekst, f"{value} – {scale[value - 1]}")
        for sid, value in result.answers.items()
    ]


def _esc(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _quote_md(item: CitedText) -> str:
    marks = "".join(f"[{n}]" for n in item.citations)
    return f"“{_esc(item.text)}” {marks}".rstrip()


def to_markdown(result: ScanResult, templates: ScanTemplates, *, screen: bool = False) -> str:
    """The result as Markdown; on `screen` (the UI) without the title, questions and answers,
    which the tab shows as its heading, as buttons and as the filled-in form."""
    t = templates
    lines = [] if screen else [f"# {_esc(t.texts.titel)}", ""]
    if result.company:
        lines += [f"**{_esc(result.company)}**", ""]
    lines += [f"> {_esc(t.texts.toelichting)}", ""]
    lines += [f"## {_esc(t.texts.kop_scores)}", ""]
    lines += [f"- {_esc(score_line(result, s.id, t))}" for s in result.levers] + [""]
    lines += [f"## {_esc(t.texts.kop_begin)}", "", f"**{_esc(result.start.text)}**", ""]
    if result.start.quotes:
        lines += [f"{_esc(t.texts.label_citaat)}", ""]
        lines += [f"> {_quote_md(q)}\n" for q in result.start.quotes]
    else:
        lines += [f"_{_esc(t.texts.geen_citaat)}_", ""]
    lines += [f"## {_esc(t.texts.kop_hefbomen)}", ""]
    for part in lever_parts(result):
        lines += [f"### {_esc(score_line(result, part.id, t))}", ""]
        lines += [f"**{_esc(t.texts.kop_uitleg)}**", ""]
        lines += [_quote_md(d) for d in part.descriptions]
        lines += [f"_{_esc(part.description_note)}_"] if part.description_note else []
        lines += ["", f"**{_esc(t.texts.kop_tips)}**", ""]
        lines += [f"_{_esc(part.tips_note)}_", ""] if part.tips_note else []
        lines += [f"- {_quote_md(tip)}" for tip in part.tips]
        lines += [""]
    if not screen:
        lines += [f"## {_esc(t.texts.kop_vragen)}", ""]
        lines += [f"- {_esc(q)}" for q in result.questions] + [""]
        lines += [f"## {_esc(t.texts.kop_antwoorden)}", ""]
        lines += [f"- **{_esc(a)}** · {_esc(text)}" for text, a in answer_rows(result, t)] + [""]
    lines += [f"## {_esc(t.texts.kop_bronnen)}", ""]
    lines += [f"- {_esc(source_line(c, t))}" for c in result.citations]
    lines += ["", "---", "", f"*{_esc(t.texts.voettekst)}*", ""]
    return "\n".join(lines)
