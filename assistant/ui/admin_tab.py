"""The 'Beheer' tab: advisors add, edit and delete documents, re-index, and read feedback.

Login is the app's admin login: the browser trades the token for the HttpOnly cookie at
POST /api/admin/login (in the login button's JavaScript; the token never reaches a Gradio
handler), and every handler checks the request's cookie on the server (`_allowed`, with
services.admin, as the API does). The same cookie lets Gradio's upload route take the file.
Nothing of the tab is shown, or returned by a handler, without it. Handlers are short: they
call services.library (the document use cases) and hand strings from `render` to the
components.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.core.errors import AssistantError
from assistant.core.types import DOC_TYPES
from assistant.services import Services
from assistant.ui import render
from assistant.ui.tempfiles import TempFolders

log = logging.getLogger(__name__)

UPLOAD_TYPES = [".pdf", ".docx", ".md", ".txt"]
POLL_S = 0.5
MAX_WAIT_S = 1800
LOGGED_OUT = "Log in met het beheerderstoken om documenten te beheren."
NO_ACCESS = "U bent niet (meer) aangemeld als beheerder."
TYPE_CHOICES = [(render.type_label(t), t) for t in DOC_TYPES]
# In the browser: trade the token for the login cookie, then hand the handler nothing.
LOGIN_JS = """async (token) => {
  await fetch("api/admin/login", {
    method: "POST", credentials: "same-origin", headers: {Authorization: "Bearer " + token},
  });
  return [""];
}"""
LOGOUT_JS = """async () => {
  await fetch("api/admin/logout", {method: "POST", credentials: "same-origin"});
  return [];
}"""


class BeheerHandlers:
    """The tab's event handlers, around the services' document library."""

    def __init__(self, services: Services, folders: TempFolders | None = None) -> None:
        self.services = services
        self.folders = folders or TempFolders(services.settings.ui_files_max_age_s)

    def _allowed(self, request: gr.Request | None) -> bool:
        """Whether the request carries the admin login (cookie or bearer token)."""
        if request is None:
            return False
        return self.services.admin.allows(request.headers, request.cookies)

    # ------------------------------------------------------------------ login
    def login(self, cleared: str, request: gr.Request) -> tuple:
        """After the browser asked for the login cookie: open the panel if it holds.

        `cleared` is the token box as the login JavaScript left it: empty.
        """
        if not self._allowed(request):
            message = (
                "Beheer staat uit: stel ASSISTANT_ADMIN_TOKEN in."
                if not self.services.admin.enabled
                else "Dat token klopt niet."
            )
            return "", gr.update(visible=True), gr.update(visible=False), f"Let op: {message}"
        return "", gr.update(visible=False), gr.update(visible=True), ""

    def open(self, request: gr.Request) -> tuple:
        """Opening the tab: the panel if this browser is logged in already, else the login."""
        allowed = self._allowed(request)
        return gr.update(visible=not allowed), gr.update(visible=allowed), ""

    def timer(self, request: gr.Request) -> Any:
        """Refresh the list every few seconds while logged in (statuses change)."""
        return gr.Timer(active=self._allowed(request))

    def logout(self) -> tuple:
        """Hide the panel and its contents (the browser cleared its cookie)."""
        return gr.update(visible=True), gr.update(visible=False), *self._empty()

    def _empty(self) -> tuple:
        return "", gr.update(choices=[], value=None), "", ""

    # ---------------------------------------------------------------- reading
    def overview(self, request: gr.Request) -> tuple:
        """Documents table, edit picker, feedback list, status line."""
        if not self._allowed(request):
            return self._empty()
        documents = self.services.library.documents()
        busy = [d["title"] for d in documents if d["status"] == "bezig"]
        line = f"Bezig met indexeren: {', '.join(busy)}" if busy else ""
        return (
            render.managed_documents_html(documents),
            gr.update(choices=[(d["title"], d["doc_id"]) for d in documents]),
            render.disliked_html(self.services.disliked()),
            line,
        )

    def pick(self, doc_id: str | None, request: gr.Request) -> tuple:
        """Fill the edit form with the chosen document's metadata."""
        if not self._allowed(request) or not doc_id:
            return "", None, "", "", "", gr.update(visible=False)
        try:
            d = self.services.library.document(doc_id)
        except AssistantError:
            return "", None, "", "", "", gr.update(visible=False)
        return d["title"], d["type"], d["publisher"], d["date"], d["url"], gr.update(visible=False)

    # --------------------------------------------------------------- changing
    def upload(
        self,
        file: str | None,
        title: str,
        doc_type: str | None,
        publisher: str,
        date: str,
        language: str,
        url: str,
        request: gr.Request,
        progress=gr.Progress(),  # noqa: B008 - gradio's way to ask for a progress tracker
    ) -> Iterator[tuple]:
        """Add a document, then follow its ingest until it is done (with a progress bar)."""
        keep = (gr.skip(),) * 5  # the file and the form stay as they are
        if not self._allowed(request):
            yield f"Let op: {NO_ACCESS}", *keep
            return
        if not file:
            yield "Let op: Kies eerst een bestand.", *keep
            return
        form = {"title": title, "type": doc_type or "", "publisher": publisher, "date": date}
        form |= {"language": language, "url": url}
        path = Path(file)
        try:
            with open(path, "rb") as stream:
                row = self.services.library.upload(path.name, stream, form)
        except AssistantError as exc:
            yield f"Let op: {exc}", *keep
            return
        finally:
            path.unlink(missing_ok=True)  # gradio's copy of the upload
        cleared = (None, "", "", "", "")  # ready for the next document
        yield f"'{row['title']}' wordt verwerkt…", *cleared
        row = self._follow(row["doc_id"], progress)
        yield _outcome(row), *cleared

    def _follow(self, doc_id: str, progress: Any) -> dict[str, Any]:
        started = time.monotonic()
        row = self.services.library.document(doc_id)
        while row["status"] == "bezig" and time.monotonic() - started < MAX_WAIT_S:
            progress(None, desc="Bezig met indexeren…")
            time.sleep(POLL_S)
            row = self.services.library.document(doc_id)
        return row

    def save(
        self,
        doc_id: str | None,
        title: str,
        doc_type: str | None,
        publisher: str,
        date: str,
        url: str,
        request: gr.Request,
    ) -> str:
        """Store the edited metadata (no re-embedding)."""
        if not self._allowed(request):
            return f"Let op: {NO_ACCESS}"
        if not doc_id:
            return "Let op: Kies eerst een document."
        changes = {"title": title, "type": doc_type, "publisher": publisher, "date": date}
        try:
            row, applied = self.services.library.edit(doc_id, {**changes, "url": url})
        except AssistantError as exc:
            return f"Let op: {exc}"
        if not applied:
            return f"'{row['title']}' wordt bijgewerkt zodra de lopende indexering klaar is."
        return f"'{row['title']}' is bijgewerkt."

    def ask_delete(self, doc_id: str | None, request: gr.Request) -> tuple:
        """Show the confirmation for deleting the chosen document."""
        if not self._allowed(request) or not doc_id:
            return gr.update(visible=False), "", "Let op: Kies eerst een document."
        try:
            title = self.services.library.document(doc_id)["title"]
        except AssistantError as exc:
            return gr.update(visible=False), "", f"Let op: {exc}"
        question = f"**'{title}'** wordt verwijderd: het bestand, de regel in het manifest en "
        question += "de passages in de index. Weet u het zeker?"
        return gr.update(visible=True), question, ""

    def delete(self, doc_id: str | None, request: gr.Request) -> tuple:
        """Delete the chosen document (only from the confirmation)."""
        hide = gr.update(visible=False)
        if not self._allowed(request):
            return hide, f"Let op: {NO_ACCESS}", gr.skip()
        if not doc_id:
            return hide, "Let op: Kies eerst een document.", gr.skip()
        try:
            title = self.services.library.document(doc_id)["title"]
            applied = self.services.library.delete(doc_id)
        except AssistantError as exc:
            return hide, f"Let op: {exc}", gr.skip()
        if not applied:
            return hide, f"'{title}' wordt verwijderd na de lopende indexering.", None
        return hide, f"'{title}' is verwijderd.", None

    def reindex(self, request: gr.Request) -> str:
        """Re-index the whole corpus folder and say what changed."""
        if not self._allowed(request):
            return f"Let op: {NO_ACCESS}"
        try:
            report = self.services.reindex()
        except AssistantError as exc:
            return f"Let op: {exc}"
        failed = "".join(f"\n- mislukt: {name}: {reason}" for name, reason in report["failed"])
        return (
            f"Opnieuw geïndexeerd: {len(report['added'])} toegevoegd, "
            f"{len(report['replaced'])} vervangen, {len(report['relabelled'])} alleen metadata, "
            f"{len(report['unchanged'])} ongewijzigd, {len(report['deleted'])} verwijderd, "
            f"{len(report['failed'])} mislukt.{failed}"
        )

    def candidates(self, request: gr.Request) -> str | None:
        """The candidate-question JSONL of thumbs-down feedback, as a file to download."""
        if not self._allowed(request):
            gr.Warning(NO_ACCESS)
            return None
        out = self.folders.new() / f"kandidaatvragen-{uuid.uuid4().hex[:6]}.jsonl"
        self.services.export_candidates(out)
        return str(out)


def _outcome(row: dict[str, Any]) -> str:
    if row["status"] == "klaar":
        flagged = row["flagged_sentences"]
        note = (
            f" Let op: {flagged} zin(nen) gericht aan de assistent; die worden nooit geciteerd."
            if flagged
            else ""
        )
        chunks = f"{row['chunks']} passage" + ("" if row["chunks"] == 1 else "s")
        pages = f"{row['pages']} pagina" + ("" if row["pages"] == 1 else "'s")
        return f"'{row['title']}' is klaar: {chunks}, {pages}.{note}"
    if row["status"] == "mislukt":
        return f"'{row['title']}' is mislukt: {row['reason']}"
    return f"'{row['title']}' is nog bezig; de lijst hieronder toont de voortgang."


def add_admin_tab(services: Services, folders: TempFolders) -> BeheerHandlers:
    """Add the tab to the Blocks being built (call inside `with gr.Blocks()`)."""
    h = BeheerHandlers(services, folders)
    with gr.Tab("Beheer", elem_id="beheer-tab") as tab:
        with gr.Column(elem_id="beheer-login") as login_box:
            gr.Markdown(LOGGED_OUT)
            given = gr.Textbox(
                label="Beheerderstoken", type="password", elem_id="admin-token", max_lines=1
            )
            login = gr.Button("Inloggen", variant="primary", elem_id="admin-login")
            login_msg = gr.Markdown("", elem_id="admin-login-msg")
        with gr.Column(visible=False, elem_id="beheer-panel") as panel:
            with gr.Row():
                status = gr.Markdown("", elem_id="beheer-status")
                logout = gr.Button("Uitloggen", size="sm", scale=0, elem_id="admin-logout")
            with gr.Accordion("Document toevoegen", open=True):
                file = gr.File(
                    label="Bestand (.pdf, .docx, .md, .txt)",
                    file_types=UPLOAD_TYPES,
                    type="filepath",
                    elem_id="upload-file",
                )
                with gr.Row():
                    title = gr.Textbox(label="Titel", elem_id="upload-title")
                    doc_type = gr.Dropdown(
                        TYPE_CHOICES, label="Soort", value="casus", elem_id="upload-type"
                    )
                with gr.Row():
                    publisher = gr.Textbox(label="Uitgever", elem_id="upload-publisher")
                    date = gr.Textbox(
                        label="Datum (JJJJ, JJJJ-MM of JJJJ-MM-DD)", elem_id="upload-date"
                    )
                    language = gr.Textbox(label="Taal", value="nl", elem_id="upload-language")
                    url = gr.Textbox(label="Link (optioneel)", elem_id="upload-url")
                send = gr.Button("Toevoegen", variant="primary", elem_id="upload-send")
                upload_msg = gr.Markdown("", elem_id="upload-msg")
            gr.Markdown("### Documenten")
            documents = gr.HTML("", elem_id="beheer-docs")
            with gr.Row():
                refresh = gr.Button("Lijst vernieuwen", size="sm", elem_id="beheer-refresh")
                reindex = gr.Button("Alles opnieuw indexeren", size="sm", elem_id="reindex")
            reindex_msg = gr.Markdown("", elem_id="reindex-msg")
            with gr.Accordion("Bewerken of verwijderen", open=True):
                pick = gr.Dropdown([], value=None, label="Document", elem_id="edit-doc")
                with gr.Row():
                    e_title = gr.Textbox(label="Titel", elem_id="edit-title")
                    e_type = gr.Dropdown(
                        TYPE_CHOICES, value=None, label="Soort", elem_id="edit-type"
                    )
                with gr.Row():
                    e_publisher = gr.Textbox(label="Uitgever", elem_id="edit-publisher")
                    e_date = gr.Textbox(label="Datum", elem_id="edit-date")
                    e_url = gr.Textbox(label="Link", elem_id="edit-url")
                with gr.Row():
                    save = gr.Button("Wijzigingen opslaan", variant="primary", elem_id="edit-save")
                    remove = gr.Button("Verwijderen…", variant="stop", elem_id="delete-doc")
                with gr.Column(
                    visible=False, elem_id="delete-confirm-box", elem_classes="confirm"
                ) as confirm_box:
                    confirm_text = gr.Markdown("", elem_id="delete-question")
                    with gr.Row():
                        confirm = gr.Button("Ja, verwijderen", variant="stop", elem_id="delete-yes")
                        cancel = gr.Button("Annuleren", elem_id="delete-no")
                edit_msg = gr.Markdown("", elem_id="edit-msg")
            with gr.Accordion("Feedback: duim omlaag (nieuwste eerst)", open=False):
                feedback = gr.HTML("", elem_id="beheer-feedback")
                export = gr.Button("Kandidaatvragen maken (JSONL)", size="sm", elem_id="export")
                download = gr.File(label="Download", interactive=False, elem_id="candidates")
        timer = gr.Timer(2.0, active=False)

        view = [documents, pick, feedback, status]
        form = [title, doc_type, publisher, date, language, url]
        edit_form = [e_title, e_type, e_publisher, e_date, e_url]
        private = {"api_visibility": "private"}
        tab.select(h.open, None, [login_box, panel, login_msg], **private).then(
            h.overview, None, view, **private
        )
        gr.on(
            [login.click, given.submit],
            h.login,
            [given],
            [given, login_box, panel, login_msg],
            js=LOGIN_JS,  # the token goes to /api/admin/login only; the handler gets ""
            **private,
        ).then(h.overview, None, view, **private).then(h.timer, None, [timer], **private)
        logout.click(h.logout, None, [login_box, panel, *view], js=LOGOUT_JS, **private).then(
            lambda: gr.Timer(active=False), None, [timer], **private
        )
        timer.tick(h.overview, None, view, show_progress="hidden", **private)
        refresh.click(h.overview, None, view, **private)
        cleared = [file, title, publisher, date, url]
        send.click(h.upload, [file, *form], [upload_msg, *cleared], **private).then(
            h.overview, None, view, **private
        )
        pick.change(h.pick, [pick], [*edit_form, confirm_box], **private)
        save.click(h.save, [pick, *edit_form], [edit_msg], **private).then(
            h.overview, None, view, **private
        )
        remove.click(h.ask_delete, [pick], [confirm_box, confirm_text, edit_msg], **private)
        cancel.click(lambda: gr.update(visible=False), None, [confirm_box], **private)
        confirm.click(h.delete, [pick], [confirm_box, edit_msg, pick], **private).then(
            h.overview, None, view, **private
        )
        reindex.click(h.reindex, None, [reindex_msg], **private).then(
            h.overview, None, view, **private
        )
        export.click(h.candidates, None, [download], **private)
    return h
