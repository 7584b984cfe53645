"""Pure rendering for the UI (Markdown/HTML strings); no gradio here, so it is easy to test."""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any
from urllib.parse import quote

TYPE_LABELS = {
    "advies": "advies",
    "succesfactoren": "succesfactoren",
    "casus": "praktijkvoorbeeld",
    "overig": "overig",
}


def mode_note(mode: str) -> str:
    """The visible note saying where answers come from."""
    if mode == "generatief":
        return (
            "ℹ️ **Hoe komen de antwoorden tot stand?** Een taalmodel schrijft het antwoord "
            "op basis van de bronnen hieronder. Controleer belangrijke punten in de bron."
        )
    return (
        "ℹ️ **Hoe komen de antwoorden tot stand?** De antwoorden bestaan uit letterlijk "
        "geciteerde zinnen uit de documenten (extractief). Er schrijft geen taalmodel mee. "
        "Het nummer [1], [2] achter een zin wijst naar de bron."
    )


def type_label(doc_type: str) -> str:
    """Dutch label of a document type."""
    return TYPE_LABELS.get(doc_type, doc_type)


def citation_label(citation: dict[str, Any], width: int = 60) -> str:
    """Short one-line label: '[1] Title, p. 3 · Section' (long titles cut)."""
    title = citation["title"]
    if len(title) > width:
        title = title[: width - 1].rstrip() + "…"
    section = f" · {citation['section']}" if citation.get("section") else ""
    return f"[{citation['n']}] {title}, p. {citation['page']}{section}"


def sources_markdown(citations: list[dict[str, Any]]) -> str:
    """The sources panel for one answer: each document once (title and type), then its
    cited passages by number, page and section (short on a phone)."""
    if not citations:
        return "_Bij dit antwoord horen geen bronnen._"
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for c in citations:
        by_doc.setdefault(c["doc_id"], []).append(c)
    blocks = []
    for cited in by_doc.values():
        first = cited[0]
        lines = [f"{escape(first['title'])} · _{type_label(first['type'])}_"]
        for c in cited:
            section = f" · {escape(c['section'])}" if c.get("section") else ""
            lines.append(f"- **[{c['n']}]** pagina {c['page']}{section}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def first_page(page: str) -> int:
    """The first page of '3' or '3-4'."""
    head = str(page).split("-")[0].strip()
    return int(head) if head.isdigit() else 1


def file_url(doc_id: str, page: int | None = None) -> str:
    """Link to the original file, opened at a page where the viewer supports it."""
    url = f"/api/documents/{quote(doc_id, safe='')}/file"
    return f"{url}#page={page}" if page else url


def page_html(page: dict[str, Any] | None, citation: dict[str, Any], window: int = 1) -> str:
    """The cited passage highlighted among its neighbours on the page, plus a link to the file.

    `window` passages before and after the cited one are shown; '…' marks text left out.
    """
    head = (
        f"<div class='source-head'><strong>[{citation['n']}] {escape(citation['title'])}</strong>"
        f" · {escape(type_label(citation['type']))} · pagina {escape(str(citation['page']))}"
    )
    if citation.get("section"):
        head += f" · {escape(citation['section'])}"
    head += "</div>"
    passages = (page or {}).get("passages", [])
    cited = _cited_index(passages, citation)
    if cited is None:  # page text unavailable: show the cited passage on its own
        blocks = [_passage(citation["text"], True)]
    else:
        lo, hi = max(0, cited - window), min(len(passages), cited + window + 1)
        blocks = [_passage(p["text"], i == cited) for i, p in enumerate(passages) if lo <= i < hi]
        blocks = (["<p class='gap'>…</p>"] if lo > 0 else []) + blocks
        blocks += ["<p class='gap'>…</p>"] if hi < len(passages) else []
    href = file_url(citation["doc_id"], first_page(citation["page"]))
    link = (
        f"<p class='source-link'><a href='{href}' target='_blank' rel='noopener'>"
        "Open het originele document</a></p>"
    )
    note = (
        "<p class='source-note'>Geel gemarkeerd: de geciteerde passage, in de tekst eromheen.</p>"
    )
    return f"<div class='source-view'>{head}{note}{''.join(blocks)}{link}</div>"


def _cited_index(passages: list[dict[str, Any]], citation: dict[str, Any]) -> int | None:
    for i, passage in enumerate(passages):
        if passage["chunk_id"] == citation.get("chunk_id") or passage["text"] == citation["text"]:
            return i
    return None


def _passage(text: str, cited: bool) -> str:
    body = escape(text).replace("\n", "<br>")
    if cited:
        return f"<p class='passage cited'><mark>{body}</mark></p>"
    return f"<p class='passage'>{body}</p>"


def documents_html(documents: list[dict[str, Any]]) -> str:
    """The corpus as a table for the Documenten tab."""
    if not documents:
        return "<p>Er staan nog geen documenten in de index.</p>"
    rows = []
    for d in documents:
        title = escape(d["title"] or d["doc_id"])
        if d.get("has_file"):
            title = f"<a href='{file_url(d['doc_id'])}' target='_blank' rel='noopener'>{title}</a>"
        rows.append(
            "<tr>"
            f"<td>{title}</td><td>{escape(type_label(d['type']))}</td>"
            f"<td>{escape(d.get('publisher', ''))}</td><td>{escape(str(d.get('date', '')))}</td>"
            f"<td>{d.get('pages', 0)}</td><td>{d.get('chunks', 0)}</td>"
            "</tr>"
        )
    header = (
        "<tr><th>Titel</th><th>Soort</th><th>Uitgever</th><th>Datum</th>"
        "<th>Pagina's</th><th>Passages</th></tr>"
    )
    return f"<table class='documents'>{header}{''.join(rows)}</table>"


def status_badge(status: str) -> str:
    """A document's status as a coloured word (no emoji: not every system has the font)."""
    return f"<span class='badge {escape(status)}'>{escape(status)}</span>"


def managed_documents_html(documents: list[dict[str, Any]]) -> str:
    """The Beheer table: type, date, pages, passages, status (reason) and flagged sentences."""
    if not documents:
        return "<p>Er staan nog geen documenten in de documentenmap.</p>"
    rows = []
    for d in documents:
        flagged = d.get("flagged_sentences", 0)
        flag = f"<span class='badge mislukt'>{flagged}</span>" if flagged else "0"
        reason = f"<div class='reason'>{escape(d['reason'])}</div>" if d.get("reason") else ""
        rows.append(
            f"<tr data-doc='{escape(d['doc_id'])}' data-status='{escape(d['status'])}'>"
            f"<td>{escape(d['title'])}<div class='doc-file'>{escape(d.get('file', ''))}</div></td>"
            f"<td>{escape(type_label(d['type']))}</td><td>{escape(str(d.get('date', '')))}</td>"
            f"<td>{d.get('pages', 0)}</td><td>{d.get('chunks', 0)}</td>"
            f"<td class='status'>{status_badge(d['status'])}{reason}</td>"
            f"<td>{flag}</td></tr>"
        )
    header = (
        "<tr><th>Titel</th><th>Soort</th><th>Datum</th><th>Pagina's</th><th>Passages</th>"
        "<th>Status</th><th title='zinnen gericht aan de assistent; nooit geciteerd'>"
        "Verdachte zinnen</th></tr>"
    )
    return f"<table class='documents beheer'>{header}{''.join(rows)}</table>"


def disliked_html(items: list[dict[str, Any]]) -> str:
    """Thumbs-down feedback, newest first: when, question, reason, start of the answer."""
    if not items:
        return "<p>Nog geen duim-omlaag-beoordelingen.</p>"
    rows = []
    for item in items:
        when = dt.datetime.fromtimestamp(item["created"]).strftime("%d-%m-%Y %H:%M")
        answer = " ".join((item.get("answer") or "").split())
        answer = answer if len(answer) <= 160 else answer[:159] + "…"
        reason = escape(item.get("reason") or "") or "<em>geen toelichting</em>"
        rows.append(
            f"<tr><td>{when}</td><td>{escape(item['question'])}</td><td>{reason}</td>"
            f"<td class='answer'>{escape(answer)}</td></tr>"
        )
    header = "<tr><th>Wanneer</th><th>Vraag</th><th>Toelichting</th><th>Antwoord</th></tr>"
    return f"<table class='documents feedback'>{header}{''.join(rows)}</table>"
