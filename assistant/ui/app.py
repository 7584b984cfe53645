"""The Dutch Gradio UI, built on the services container and mounted at / on the API app.

gradio is imported here and nowhere else. Handlers are short: they call the services
(answering, page lookup, feedback) and hand strings from `render` to the components.
"""

from __future__ import annotations

import contextlib
import logging
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr  # noqa: E402
from fastapi import FastAPI  # noqa: E402

from assistant.answering.types import Turn  # noqa: E402
from assistant.core import limits  # noqa: E402
from assistant.core.errors import AssistantError  # noqa: E402
from assistant.core.types import Filters  # noqa: E402
from assistant.services import NotFoundError, Services  # noqa: E402
from assistant.ui import render  # noqa: E402
from assistant.ui.admin_tab import add_admin_tab  # noqa: E402
from assistant.ui.briefing_tab import add_briefing_tab  # noqa: E402
from assistant.ui.scan_tab import add_scan_tab  # noqa: E402
from assistant.ui.tempfiles import TempFolders  # noqa: E402

log = logging.getLogger(__name__)

EXAMPLES = [
    "Wat is sociale innovatie en wat levert het mijn bedrijf op?",
    "Hoe krijg ik mijn medewerkers meer betrokken bij verbeteringen?",
    "Waar moet ik beginnen als ik sociale innovatie wil invoeren in mijn metaalbedrijf?",
    "Welke rol speelt de leidinggevende bij sociale innovatie?",
    "Wat vraagt de SER Overijssel van de provincie?",
]

CSS = """
.note { background: #eef4ff; border-left: 4px solid #5b7fdb; padding: 6px 12px; }
.source-view mark { background: #ffe58a; padding: 0 2px; }
.source-view .passage { margin: 0.4em 0; line-height: 1.5; }
.source-view .passage:not(.cited) { color: var(--body-text-color-subdued); }
.source-note { font-size: 0.85em; color: var(--body-text-color-subdued); }
.source-view .gap { margin: 0; color: var(--body-text-color-subdued); }
table.documents { width: 100%; border-collapse: collapse; }
#documents table th, #documents table td { border: none; border-bottom: 1px solid #ddd; }
table.documents th, table.documents td {
  text-align: left; padding: 6px; border-bottom: 1px solid #ddd;
}
#scan-chart img { max-width: min(100%, 560px); height: auto; margin: 0 auto; }
#beheer-docs table th, #beheer-docs table td { border: none; border-bottom: 1px solid #ddd; }
#beheer-feedback table th, #beheer-feedback table td {
  border: none; border-bottom: 1px solid #ddd; vertical-align: top;
}
table.beheer .doc-file, table.beheer .reason { font-size: 0.85em; }
table.beheer .doc-file { color: var(--body-text-color-subdued); }
table.beheer .reason { color: #b42318; }
.badge { padding: 1px 8px; border-radius: 10px; font-size: 0.85em; white-space: nowrap; }
.badge.klaar { background: #dcfae6; color: #067647; }
.badge.bezig { background: #fef0c7; color: #93370d; }
.badge.mislukt { background: #fee4e2; color: #b42318; }
.confirm { border: 1px solid #fda29b; border-radius: 8px; padding: 8px 12px; background: #fef3f2; }
table.feedback td.answer { font-size: 0.85em; color: var(--body-text-color-subdued); }
"""

CHAT_TAB = "vragen"  # id of the chat tab, so the self-scan can open it
UI_CONCURRENCY = 8  # simultaneous answers in the UI (the API has its own thread pool)
MB = 1024 * 1024
NO_SOURCES = "_De bronnen van het antwoord verschijnen hier._"
_SKIP4 = (gr.skip(), gr.skip(), gr.skip(), gr.skip())


class ChatHandlers:
    """Event handlers; each one calls the services and returns component values."""

    def __init__(self, services: Services) -> None:
        self.services = services

    def submit(self, question: str, chat: list, answers: list, types: list[str]) -> Iterator[tuple]:
        """Stream an answer into the chat, then show its sources."""
        history = [Turn(**turn) for turn in _history_before(answers, None)]
        filters = Filters(types=tuple(types or ()))
        try:
            events = self.services.stream(question, history, filters)
        except AssistantError as exc:
            gr.Warning(str(exc))
            yield chat, question, answers, *_SKIP4
            return
        chat = [*chat, {"role": "user", "content": question.strip()}]
        chat.append({"role": "assistant", "content": ""})
        text = ""
        try:
            for kind, value in events:
                if kind == "token":
                    text += value
                    chat = [*chat[:-1], {"role": "assistant", "content": text}]
                    yield chat, "", answers, *_SKIP4
                else:
                    yield self._finish(question, chat, answers, value)
        except AssistantError as exc:
            chat = [*chat[:-1], {"role": "assistant", "content": f"⚠️ {exc}"}]
            yield chat, "", answers, *_SKIP4
        except Exception:  # never show internals; log them under an id the user can quote
            error_id = uuid.uuid4().hex[:12]
            log.exception("ui answer failed id=%s", error_id)
            message = f"⚠️ Er ging iets mis aan onze kant. Foutcode: {error_id}."
            chat = [*chat[:-1], {"role": "assistant", "content": message}]
            yield chat, "", answers, *_SKIP4

    def _finish(self, question: str, chat: list, answers: list, answer: Any) -> tuple:
        chat = [*chat[:-1], {"role": "assistant", "content": answer.text}]
        data = answer.to_dict()
        record = {
            "index": len(chat) - 1,
            "question": question.strip(),
            "answer": answer.text,
            "citations": data["citations"],
            "mode": answer.mode,
        }
        answers = [*answers, record]
        return (chat, "", answers, *self._sources(record))

    def _sources(self, record: dict | None) -> tuple:
        """Sources markdown, the source picker, an empty passage view, the shown answer."""
        if record is None:
            return NO_SOURCES, gr.update(choices=[], value=None, visible=False), "", None
        citations = record["citations"]
        choices = [(render.citation_label(c), str(c["n"])) for c in citations]
        picker = gr.update(choices=choices, value=None, visible=bool(choices))
        return render.sources_markdown(citations), picker, "", record["index"]

    def select_message(self, answers: list, event: gr.SelectData) -> tuple:
        """Clicking an answer in the chat shows that answer's sources."""
        record = _record_at(answers, event.index)
        return self._sources(record) if record else _SKIP4

    def show_source(self, choice: str | None, answers: list, shown: int | None) -> str:
        """The chosen citation highlighted in the text of its page."""
        record = _record_at(answers, shown)
        if not choice or record is None:
            return ""
        citation = next((c for c in record["citations"] if str(c["n"]) == choice), None)
        if citation is None:
            return ""
        try:
            page = self.services.page(citation["doc_id"], render.first_page(citation["page"]))
        except NotFoundError:
            page = None
        return render.page_html(page, citation)

    def like(self, answers: list, event: gr.LikeData) -> tuple:
        """Store a thumbs up/down for the rated answer and offer a reason box."""
        record = _record_at(answers, event.index)
        if record is None or event.liked == "":
            return None, gr.update(visible=False), gr.skip()
        rating = "up" if event.liked is True else "down"
        feedback_id = self.services.feedback.add(
            record["question"],
            record["answer"],
            record["citations"],
            rating,
            mode=record["mode"],
            source="ui",
            history=_history_before(answers, record),
        )
        thanks = "Bedankt voor uw beoordeling! Wilt u nog iets toelichten? (mag ook leeg blijven)"
        return feedback_id, gr.update(visible=True), thanks

    def send_reason(self, reason: str, feedback_id: int | None) -> tuple:
        """Attach the optional reason to the last rating."""
        if feedback_id is None or not (reason or "").strip():
            return "", gr.update(visible=False), ""
        try:
            self.services.feedback.set_reason(int(feedback_id), reason)
        except AssistantError as exc:
            gr.Warning(str(exc))
            return reason, gr.update(visible=True), gr.skip()
        return "", gr.update(visible=False), "Uw toelichting is opgeslagen. Dank u wel!"

    def new_conversation(self) -> tuple:
        """Empty chat, sources and feedback box."""
        return [], "", [], *self._sources(None), gr.update(visible=False), ""

    def type_choices(self) -> dict:
        """The document-type filter's choices, as the index has them now."""
        return gr.update(choices=[(render.type_label(t), t) for t in self.services.doc_types()])

    def documents(self) -> str:
        """The Documenten tab."""
        return render.documents_html(self.services.documents())


def _history_before(answers: list, record: dict | None) -> list[dict[str, str]]:
    """The conversation before an answer (all of it for None), as role/content dicts."""
    turns = []
    for earlier in answers:
        if earlier is record:
            break
        turns.append({"role": "user", "content": earlier["question"]})
        turns.append({"role": "assistant", "content": earlier["answer"]})
    return turns


def _record_at(answers: list, index: Any) -> dict | None:
    """The answer record for a chat message index (None for a user message)."""
    index = index[0] if isinstance(index, list | tuple) else index
    return next((r for r in answers if r["index"] == index), None)


def build_ui(services: Services, folders: TempFolders | None = None) -> gr.Blocks:
    """The Blocks: a chat tab with sources and feedback, a Documenten and a briefing tab.

    Files Gradio hands out (its cached copies of the brief downloads, uploads) are deleted
    once older than the ui_files_max_age_s setting, and all of them at shutdown.
    """
    h = ChatHandlers(services)
    max_age = services.settings.ui_files_max_age_s
    folders = folders or TempFolders(max_age)
    with gr.Blocks(
        title="Sociale Innovatie Assistent",
        analytics_enabled=False,
        delete_cache=(min(max_age, 600), max_age),  # (sweep every ..., older than ...) s
    ) as ui:
        gr.Markdown(
            "# Sociale Innovatie Assistent\n"
            "Stel een vraag over sociale innovatie in uw bedrijf. De antwoorden komen uit "
            "documenten van de SER Overijssel, met de bron erbij."
        )
        gr.Markdown(render.mode_note(services.mode), elem_id="mode-note", elem_classes="note")
        answers = gr.State([])
        feedback_id = gr.State(None)
        shown = gr.State(None)  # chat index of the answer whose sources are on screen
        with gr.Tabs(overflow_behavior="wrap") as tabs:  # every tab visible on a phone
            with gr.Tab("Vragen", id=CHAT_TAB):
                with gr.Row():
                    with gr.Column(scale=3):
                        chat = gr.Chatbot(
                            label="Gesprek",
                            show_label=False,
                            height=460,
                            elem_id="chat",
                            placeholder="Stel hieronder uw vraag, of kies een voorbeeldvraag.",
                            feedback_options=("Like", "Dislike"),
                            buttons=["copy"],
                        )
                        with gr.Row(visible=False, elem_id="reason-row") as reason_row:
                            reason = gr.Textbox(
                                label="Toelichting (optioneel)",
                                placeholder="Wat klopte er niet, of wat miste u?",
                                elem_id="reason",
                                scale=4,
                            )
                            reason_btn = gr.Button("Toelichting versturen", elem_id="reason-send")
                        thanks = gr.Markdown("", elem_id="feedback-thanks")
                        # gradio submits on Enter only when lines=1 (Shift+Enter then adds a
                        # line and the box grows to max_lines); with lines>1 it is the reverse
                        question = gr.Textbox(
                            label="Uw vraag",
                            placeholder=(
                                "Bijvoorbeeld: Hoe krijg ik mijn medewerkers meer betrokken?"
                            ),
                            info="Enter verstuurt uw vraag; Shift+Enter begint een nieuwe regel.",
                            elem_id="question",
                            lines=1,
                            max_lines=8,
                            max_length=limits.QUESTION_CHARS,
                        )
                        with gr.Row():
                            send = gr.Button("Vraag stellen", variant="primary", elem_id="send")
                            new = gr.Button("Nieuw gesprek", elem_id="new-chat")
                        types = gr.CheckboxGroup(
                            choices=[(render.type_label(t), t) for t in services.doc_types()],
                            label="Zoek alleen in deze soorten documenten (leeg = alle)",
                            elem_id="type-filter",
                        )
                        gr.Examples(
                            examples=[[q] for q in EXAMPLES],
                            inputs=[question],
                            label="Voorbeeldvragen",
                        )
                    with gr.Column(scale=2):
                        gr.Markdown("### Bronnen")
                        sources = gr.Markdown(NO_SOURCES, elem_id="sources")
                        picker = gr.Radio(
                            label="Open een bron om de passage in de tekst te lezen",
                            choices=[],
                            visible=False,
                            elem_id="source-picker",
                        )
                        passage = gr.HTML("", elem_id="passage")
            with gr.Tab("Documenten") as docs_tab:
                gr.Markdown("De documenten waarin de assistent zoekt:")
                docs = gr.HTML("", elem_id="documents")
            add_briefing_tab(services, folders)
            scan = add_scan_tab(services)
            add_admin_tab(services, folders)

        outputs = [chat, question, answers, sources, picker, passage, shown]
        # one event for both triggers, so Enter and a click cannot send the question twice
        gr.on([send.click, question.submit], h.submit, [question, chat, answers, types], outputs)
        new.click(h.new_conversation, None, [*outputs, reason_row, thanks])
        chat.clear(h.new_conversation, None, [*outputs, reason_row, thanks])
        chat.select(h.select_message, [answers], [sources, picker, passage, shown])
        picker.change(h.show_source, [picker, answers, shown], [passage])
        chat.like(h.like, [answers], [feedback_id, reason_row, thanks])
        gr.on(
            [reason_btn.click, reason.submit],
            h.send_reason,
            [reason, feedback_id],
            [reason, reason_row, thanks],
        )
        ui.load(h.documents, None, [docs])
        ui.load(h.type_choices, None, [types])  # Beheer may have added a type
        docs_tab.select(h.documents, None, [docs])  # Beheer may have changed the corpus
        scan.ask_in_chat(
            tabs, CHAT_TAB, question, h.submit, [question, chat, answers, types], outputs
        )
    # gradio runs one event at a time by default; let several people chat at once
    ui.queue(default_concurrency_limit=UI_CONCURRENCY, max_size=100)
    return ui


def mount_ui(app: FastAPI, services: Services) -> FastAPI:
    """Mount the UI at / on the API app (after the API routes, which take precedence).

    Gradio's upload route takes files of at most the max_file_mb setting (and only with
    the admin login: the API's BodyGuard checks that before Gradio sees the request).
    The UI's temp folders are removed when the server shuts down.
    """
    folders = TempFolders(services.settings.ui_files_max_age_s)
    app.state.ui_folders = folders
    gr.mount_gradio_app(
        app,
        build_ui(services, folders),
        path="/",
        footer_links=[],
        show_error=False,
        max_file_size=int(services.settings.max_file_mb * MB),
        css=CSS,
        theme=gr.themes.Soft(font=["system-ui", "sans-serif"], font_mono=["monospace"]),
        ssr_mode=False,
        enable_monitoring=False,
        mcp_server=False,
    )
    _remove_on_shutdown(app, folders)
    return app


def _remove_on_shutdown(app: FastAPI, folders: TempFolders) -> None:
    """Wrap the app's lifespan (Gradio's included) so the UI's temp root goes at shutdown."""
    inner = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[Any]:
        try:
            async with inner(app) as state:
                yield state
        finally:
            folders.remove_all()

    app.router.lifespan_context = lifespan
