"""The 'Zelfscan' tab: rate the statements, see the chart, cited tips and where to begin.

The handlers only call the self-scan service and its renderers. "Bekijk resultaat" stays
disabled until every statement has an answer. A suggested question, clicked, is asked
in the 'Vragen' tab (wired in assistant.ui.app, which owns the chat).
"""

from __future__ import annotations

import logging
import tempfile
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.briefing.validation import SIZE_RANGE
from assistant.core.errors import AssistantError
from assistant.selfscan.chart import radar_png
from assistant.selfscan.docx import to_docx_bytes
from assistant.selfscan.files import file_name
from assistant.selfscan.render import to_markdown
from assistant.selfscan.service import SelfScanService
from assistant.services import Services

log = logging.getLogger(__name__)

QUESTION_BUTTONS = 3
HIDDEN = gr.update(value=None, visible=False)
EMPTY = "_Beantwoord alle stellingen en kies **Bekijk resultaat**. Uw resultaat verschijnt hier._"


class ScanHandlers:
    """The tab's event handlers, around one self-scan service."""

    def __init__(self, service: SelfScanService) -> None:
        self.service = service
        self.ids = list(service.templates.statements)

    def progress(self, *values: Any) -> tuple:
        """How many statements are answered; the button is enabled only when all are."""
        answered = sum(value is not None for value in values)
        total = len(self.ids)
        text = f"{answered} van {total} stellingen beantwoord."
        if answered < total:
            text += " Beantwoord ze allemaal om uw resultaat te zien."
        return text, gr.update(interactive=answered == total)

    def show(self, sector: str, omvang: Any, share: bool, *values: Any) -> tuple:
        """Heading, chart, result, questions, Word download, the result's JSON and a share note."""
        answers = dict(zip(self.ids, values, strict=True))
        try:
            result = self.service.scan(answers, sector or None, omvang)
        except AssistantError as exc:
            return self._failed(f"⚠️ {exc}")
        except Exception:  # never show internals; log them under an id the user can quote
            error_id = uuid.uuid4().hex[:12]
            log.exception("ui scan failed id=%s", error_id)
            return self._failed(f"⚠️ Er ging iets mis aan onze kant. Foutcode: {error_id}.")
        templates = self.service.templates
        folder = Path(tempfile.mkdtemp(prefix="zelfscan-"))
        chart = radar_png(result)
        (folder / "zelfscan.png").write_bytes(chart)
        docx = folder / file_name("docx")
        docx.write_bytes(to_docx_bytes(result, templates, chart))
        shared = self._share(result) if share else ""
        questions = [gr.update(value=q, visible=True) for q in result.questions[:QUESTION_BUTTONS]]
        questions += [gr.update(visible=False)] * (QUESTION_BUTTONS - len(questions))
        return (
            gr.update(visible=True),
            gr.update(value=str(folder / "zelfscan.png"), visible=True),
            to_markdown(result, templates, screen=True),
            gr.update(visible=True),
            *questions,
            gr.update(value=str(docx), visible=True),
            result.to_dict(),
            shared,
        )

    def _share(self, result: Any) -> str:
        try:
            self.service.share(result)
        except Exception:  # the result still shows; say that sharing did not work
            error_id = uuid.uuid4().hex[:12]
            log.exception("ui scan share failed id=%s", error_id)
            return f"⚠️ Delen met de adviseur is niet gelukt. Foutcode: {error_id}."
        return self.service.templates.texts.gedeeld

    def _failed(self, message: str) -> tuple:
        hidden = [gr.update(visible=False)] * QUESTION_BUTTONS
        return (
            gr.update(visible=False),
            HIDDEN,
            message,
            gr.update(visible=False),
            *hidden,
            HIDDEN,
            None,
            "",
        )


@dataclass
class ScanTab:
    """The built tab: its handlers and the suggested-question buttons for the chat wiring."""

    handlers: ScanHandlers
    questions: list[gr.Button]

    def ask_in_chat(
        self,
        tabs: gr.Tabs,
        chat_tab: str,
        question: gr.Textbox,
        submit: Callable,
        inputs: Sequence[Any],
        outputs: Sequence[Any],
    ) -> None:
        """A click on a suggested question opens the chat tab and asks it there."""
        for button in self.questions:
            button.click(
                lambda text: (text, gr.Tabs(selected=chat_tab)), [button], [question, tabs]
            ).then(submit, list(inputs), list(outputs))


def add_scan_tab(services: Services) -> ScanTab:
    """Add the tab to the Blocks being built (call inside `with gr.Tabs()`)."""
    handlers = ScanHandlers(services.selfscan)
    templates = handlers.service.templates
    texts = templates.texts
    with gr.Tab("Zelfscan", id="zelfscan"):
        gr.Markdown(f"## {texts.titel}\n{texts.inleiding}")
        radios = []
        for lever in templates.spec.hefbomen:
            gr.Markdown(f"### {lever.naam}")
            for statement in lever.stellingen:
                radios.append(
                    gr.Radio(
                        choices=[(label, i) for i, label in enumerate(templates.scale, start=1)],
                        label=statement.tekst,
                        elem_id=f"scan-{statement.id}",
                        elem_classes="scan-statement",
                    )
                )
        with gr.Row():
            sector = gr.Textbox(
                label="Sector (optioneel)",
                placeholder="bijvoorbeeld: metaal",
                elem_id="scan-sector",
            )
            # a Textbox, as in the brief tab: gradio's Number shows 0 when empty
            omvang = gr.Textbox(
                label=f"Aantal medewerkers (optioneel, {SIZE_RANGE[0]}-{SIZE_RANGE[1]})",
                placeholder="bijvoorbeeld: 40",
                elem_id="scan-omvang",
            )
        share = gr.Checkbox(label=texts.anoniem, info=texts.anoniem_uitleg, elem_id="scan-share")
        progress = gr.Markdown(handlers.progress()[0], elem_id="scan-progress")
        submit = gr.Button(
            "Bekijk resultaat", variant="primary", interactive=False, elem_id="scan-submit"
        )
        heading = gr.Markdown(
            f"## {texts.titel}: uw resultaat\n{texts.grafiek}", visible=False, elem_id="scan-head"
        )
        chart = gr.Image(
            type="filepath",
            format="png",
            show_label=False,
            alt_text=texts.grafiek,
            interactive=False,
            buttons=["fullscreen"],
            visible=False,
            elem_id="scan-chart",
        )
        result = gr.Markdown(EMPTY, elem_id="scan-result")
        with gr.Column(visible=False) as ask_box:
            gr.Markdown(
                f"### {texts.kop_vragen}\nKlik op een vraag: het antwoord verschijnt in het "
                "tabblad **Vragen**, met bronnen."
            )
            questions = [
                gr.Button(visible=False, elem_id=f"scan-q{i}", elem_classes="scan-question")
                for i in range(1, QUESTION_BUTTONS + 1)
            ]
        docx = gr.DownloadButton("Download als Word", visible=False, elem_id="scan-docx")
        shared = gr.Markdown("", elem_id="scan-shared")
        state = gr.State(None)
        for radio in radios:
            radio.change(handlers.progress, radios, [progress, submit], show_progress="hidden")
        submit.click(
            handlers.show,
            [sector, omvang, share, *radios],
            [heading, chart, result, ask_box, *questions, docx, state, shared],
        )
    return ScanTab(handlers, questions)
