"""The 'Sessie voorbereiden' tab: theme, sector, size and length in; a cited brief out.

The handler only calls the briefing service and writes the brief as .md and .docx for
the download buttons (in a TempFolders folder, pruned by age); the preview is the same
Markdown.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

import gradio as gr

from assistant.briefing.files import file_name, write_brief
from assistant.briefing.render import to_markdown
from assistant.briefing.service import BriefingService
from assistant.briefing.validation import DEFAULT_DURATION, DURATION_RANGE, SIZE_RANGE
from assistant.core.errors import AssistantError
from assistant.services import Services
from assistant.ui.tempfiles import TempFolders

log = logging.getLogger(__name__)

EMPTY = "_Vul een thema in en kies **Brief maken**. De brief verschijnt hier._"
HIDDEN = gr.update(value=None, visible=False)


class BriefingHandlers:
    """The tab's event handler, around one briefing service."""

    def __init__(self, service: BriefingService, folders: TempFolders) -> None:
        self.service = service
        self.folders = folders

    def make(self, thema: str, sector: str, omvang: Any, duur: Any) -> tuple:
        """Preview, the two download buttons and the brief's JSON form (None on failure)."""
        try:
            brief = self.service.build_brief(thema, sector or None, omvang, duur)
        except AssistantError as exc:
            return f"⚠️ {exc}", HIDDEN, HIDDEN, None
        except Exception:  # never show internals; log them under an id the user can quote
            error_id = uuid.uuid4().hex[:12]
            log.exception("ui brief failed id=%s", error_id)
            return f"⚠️ Er ging iets mis aan onze kant. Foutcode: {error_id}.", HIDDEN, HIDDEN, None
        folder = self.folders.new()
        md = write_brief(brief, folder / file_name(brief, "md"))
        docx = write_brief(brief, folder / file_name(brief, "docx"))
        return (
            to_markdown(brief),
            gr.update(value=str(md), visible=True),
            gr.update(value=str(docx), visible=True),
            brief.to_dict(),
        )


def add_briefing_tab(services: Services, folders: TempFolders) -> BriefingHandlers:
    """Add the tab to the Blocks being built (call inside `with gr.Blocks()`)."""
    handlers = BriefingHandlers(services.briefing, folders)
    with gr.Tab("Sessie voorbereiden"):
        gr.Markdown(
            "Maak een brief voor een sessie met ondernemers. Elk inhoudelijk punt komt uit "
            "de documenten en heeft een bronnummer."
        )
        with gr.Row():
            thema = gr.Textbox(
                label="Thema", placeholder="bijvoorbeeld: slimmer werken", elem_id="brief-thema"
            )
            sector = gr.Textbox(
                label="Sector (optioneel)",
                placeholder="bijvoorbeeld: metaal",
                elem_id="brief-sector",
            )
        with gr.Row():
            # a Textbox, not a Number: gradio's Number shows 0 when empty (its frontend
            # sets a missing value to 0, placeholder or not), and 0 is out of range
            omvang = gr.Textbox(
                label=f"Medewerkers per bedrijf (optioneel, {SIZE_RANGE[0]}-{SIZE_RANGE[1]})",
                placeholder="bijvoorbeeld: 40",
                elem_id="brief-omvang",
            )
            duur = gr.Number(
                label=f"Duur in minuten ({DURATION_RANGE[0]}-{DURATION_RANGE[1]})",
                value=DEFAULT_DURATION,
                precision=0,
                elem_id="brief-duur",
            )
        make = gr.Button("Brief maken", variant="primary", elem_id="brief-maken")
        with gr.Row():
            md = gr.DownloadButton("Download Markdown", visible=False, elem_id="brief-md")
            docx = gr.DownloadButton("Download Word", visible=False, elem_id="brief-docx")
        preview = gr.Markdown(EMPTY, elem_id="brief-preview")
        state = gr.State(None)
        outputs = [preview, md, docx, state]
        # one event for all triggers, so Enter and a click cannot build the brief twice
        gr.on(
            [make.click, thema.submit, sector.submit, omvang.submit, duur.submit],
            handlers.make,
            [thema, sector, omvang, duur],
            outputs,
        )
    return handlers
